"""Folders and the Trash as a whole: new, rename, delete a folder, move entries, empty the Trash."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vaultapp.core.errors import VaultError
from vaultapp.gui.i18n import fill, tr
from vaultapp.gui.messages import error_text

if TYPE_CHECKING:
    from vaultapp.core.entry import Entry
    from vaultapp.gui.main_window import MainWindow


class FolderActions:
    """The sidebar's commands and drops: each asks, applies one change in the core, saves and
    refreshes; a refusal from the core (a name taken, a folder not empty) is one status line."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        """One line of text from the user (a test seam)."""
        from PySide6.QtWidgets import QInputDialog

        value, ok = QInputDialog.getText(self.window, title, label, text=text)
        return value if ok and value.strip() else None

    def _folder_change(self, change: Any, done: str) -> bool:
        """Apply a folder change from the core, save, refresh; a refusal is one status line."""
        w = self.window
        try:
            change()
        except VaultError as exc:
            w.statusBar().showMessage(error_text(exc), 8000)
            return False
        w.save()
        w.reload_model()
        w.statusBar().showMessage(done, 5000)
        return True

    def new_folder(self, parent: str = "") -> str | None:
        w = self.window
        vault = w.vault
        if vault is None:
            return None
        name = self.ask_text(
            tr("New folder"),
            fill(tr("Name of the new folder in “%1”:"), parent) if parent else tr("Folder name:"),
        )
        if name is None:
            return None
        path = f"{parent}/{name}" if parent else name
        made: list[str] = []
        if self._folder_change(
            lambda: made.append(vault.add_folder(path)), fill(tr("Folder “%1” made."), path.strip())
        ):
            from vaultapp.gui.models import Scope

            w.vault_view._select_scope(Scope("folder", made[0]))
            return made[0]
        return None

    def rename_folder(self, path: str) -> None:
        w = self.window
        vault = w.vault
        if vault is None:
            return
        parent, _, name = path.rpartition("/")
        new = self.ask_text(tr("Rename folder"), fill(tr("New name for “%1”:"), name), name)
        if new is None:
            return
        target = f"{parent}/{new}" if parent else new
        if self._folder_change(
            lambda: vault.rename_folder(path, target), fill(tr("Folder renamed to “%1”."), target)
        ):
            from vaultapp.core.entry import normalize_folder
            from vaultapp.gui.models import Scope

            w.vault_view._select_scope(Scope("folder", normalize_folder(target)))

    def delete_folder(self, path: str) -> None:
        w = self.window
        vault = w.vault
        if vault is not None:
            self._folder_change(lambda: vault.remove_folder(path), fill(tr("Folder “%1” deleted."), path))

    def empty_trash(self) -> None:
        w = self.window
        vault = w.vault
        if vault is None or not vault.trashed_entries:
            return
        count = _entries(len(vault.trashed_entries))
        if w.confirm(
            tr("Empty Trash?"), fill(tr("Delete %1 in the Trash for good? This cannot be undone."), count)
        ):
            self._folder_change(vault.empty_trash, fill(tr("Deleted %1 for good."), count))

    def move_entries(self, uuids: list[str], folder: str) -> None:
        """Move entries (dragged onto a folder, or from the menu) into ``folder``."""
        w = self.window
        vault = w.vault
        if vault is None:
            return
        moved: list[Entry] = []

        def move() -> None:
            for uuid in uuids:
                if vault.get(uuid).folder != folder:
                    moved.append(vault.update(uuid, folder=folder))

        where = fill(tr("“%1”"), folder) if folder else tr("no folder")
        if (
            self._folder_change(move, fill(tr("Moved %1 to %2."), _entries(len(uuids)), where))
            and len(moved) == 1
        ):
            w.vault_view.select_uuid(moved[0].uuid)

    def move_to_new_folder(self, uuid: str) -> None:
        folder = self.new_folder()
        if folder is not None:
            self.move_entries([uuid], folder)


def _entries(count: int) -> str:
    return tr("%n entry(ies)", None, count)
