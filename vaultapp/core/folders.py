"""Folders: an entry's ``folder`` path, plus empty folders kept in ``meta.folders``: listing,
making, renaming (entries follow, each keeping its old version in history) and removing them.
Offered as methods of ``Contents``; no file I/O.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from vaultapp.core.entry import Entry, normalize_folder
from vaultapp.core.errors import UsageError

if TYPE_CHECKING:
    from vaultapp.core.contents import Contents


def kept(contents: Contents) -> set[str]:
    """The folders kept while empty (``meta.folders``), normalised."""
    stored = contents.body.meta.get("folders", [])
    return {normalize_folder(f) for f in stored if isinstance(f, str) and normalize_folder(f)}


def listing(contents: Contents) -> list[str]:
    """Every folder, sorted: those of entries not in the Trash, their parents, and empty
    folders made with ``add_folder``."""
    found = kept(contents) | {e.folder for e in contents.entries if e.folder}
    with_parents = {"/".join(f.split("/")[:depth]) for f in found for depth in range(1, f.count("/") + 2)}
    return sorted(with_parents, key=str.casefold)


def store(contents: Contents, folders: set[str]) -> None:
    if folders:
        contents.body.meta["folders"] = sorted(folders, key=str.casefold)
    else:
        contents.body.meta.pop("folders", None)


def add_folder(contents: Contents, path: str) -> str:
    """Make a folder (kept while empty); returns its normalised path.

    Raises:
        UsageError: the name is empty or the folder exists already.
    """
    folder = normalize_folder(path)
    if not folder:
        raise UsageError("A folder needs a name that is not empty.")
    if folder in listing(contents):
        raise UsageError(f"There is a folder “{folder}” already.")
    store(contents, kept(contents) | {folder})
    return folder


def rename_folder(contents: Contents, old: str, new: str, *, now: datetime | None = None) -> list[Entry]:
    """Rename (or move) a folder with its subfolders; its entries, in the Trash too, follow.
    Returns the changed entries (each keeps its old version in its history).

    Raises:
        UsageError: no such folder, an empty or taken new name, or a move into itcontents.
    """
    source, target = normalize_folder(old), normalize_folder(new)
    if source not in listing(contents):
        raise UsageError(f"There is no folder “{source or old}”.")
    if not target:
        raise UsageError("A folder needs a name that is not empty.")
    if target == source:
        return []
    if target.startswith(source + "/"):
        raise UsageError(f"“{source}” cannot move into its own subfolder “{target}”.")
    if target in listing(contents):
        raise UsageError(f"There is a folder “{target}” already. Choose another name.")

    def moved(folder: str) -> str:
        return (
            target + folder[len(source) :] if folder == source or folder.startswith(source + "/") else folder
        )

    changed = [
        contents.update(entry.uuid, folder=moved(entry.folder), now=now)
        for entry in list(contents.body.entries.values())
        if entry.folder and moved(entry.folder) != entry.folder
    ]
    store(contents, {moved(f) for f in kept(contents)})
    return changed


def remove_folder(contents: Contents, path: str) -> None:
    """Delete an empty folder (no entry outside the Trash in it or below it).

    Raises:
        UsageError: no such folder, or it is not empty.
    """
    folder = normalize_folder(path)
    if folder not in listing(contents):
        raise UsageError(f"There is no folder “{folder or path}”.")
    inside = [e for e in contents.entries if e.folder == folder or e.folder.startswith(folder + "/")]
    if inside:
        count = "entry" if len(inside) == 1 else f"{len(inside)} entries"
        raise UsageError(f"“{folder}” is not empty: move or delete its {count} first.")
    store(contents, {f for f in kept(contents) if f != folder and not f.startswith(folder + "/")})
