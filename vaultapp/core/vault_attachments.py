"""The ``Vault`` façade's attachment methods: list, add, rename, replace, remove, read, save to a
file, open a private plaintext copy. Content lives in the blob store (``core.attachments``);
entries hold references, so every change is an ordinary edit (the old version, with its
attachments by reference, goes into the history) and nothing is decrypted until read.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from vaultapp.core.attachments import BlobStore, PrivateCopy, check_name, read_file, write_file
from vaultapp.core.entry import Attachment, Entry
from vaultapp.core.errors import EntryNotFoundError, UsageError

if TYPE_CHECKING:
    from vaultapp.core.contents import Contents


class AttachmentMethods:
    """Mixed into ``Vault``: everything front ends do with attachments."""

    _blobs: BlobStore
    _contents: Contents

    # ---- reading: no content is read or decrypted ----------------------------------------------

    def attachments(self, uuid: str) -> tuple[Attachment, ...]:
        """An entry's attachments: name, size and blob id, without reading any content."""
        return self._contents.get(uuid).attachments

    def attachment(self, uuid: str, name: str) -> Attachment:
        """An entry's attachment by name.

        Raises:
            EntryNotFoundError: the entry has no attachment of that name (exit 5).
        """
        entry = self._contents.get(uuid)
        for attachment in entry.attachments:
            if attachment.name == name:
                return attachment
        names = ", ".join(a.name for a in entry.attachments) or "none"
        raise EntryNotFoundError(
            f"Entry {entry.title!r} has no attachment {name!r}; its attachments: {names}."
        )

    @property
    def attachment_decrypts(self) -> int:
        """How many attachment contents were decrypted since the vault was opened."""
        return self._blobs.decrypts

    # ---- content, on demand ---------------------------------------------------------------------

    def attachment_content(self, attachment: Attachment) -> bytes:
        """The content of an attachment (of any entry or history version): read, verified and
        decrypted now.

        Raises:
            DamagedFileError: it is damaged or missing (exit 4); the rest of the vault is fine.
        """
        return self._blobs.read(attachment.blob)

    def save_attachment(self, attachment: Attachment, path: Path | str) -> None:
        """Write an attachment's content to a new file (0600, never through a symbolic link,
        never over an existing file).

        Raises:
            UsageError: ``path`` exists already.
            DamagedFileError: the attachment is damaged; nothing is written.
            SaveFailedError: it could not be written; nothing is left at ``path``.
        """
        write_file(path, self.attachment_content(attachment))

    def open_attachment_copy(self, attachment: Attachment) -> PrivateCopy:
        """A plaintext copy of the attachment in a new private temp folder (0700), for "open with
        the default application"; call ``remove()`` on it (or use ``with``) when done. Front
        ends warn that the copy is plaintext while it exists."""
        return PrivateCopy(attachment.name, self.attachment_content(attachment))

    # ---- changing: ordinary edits, in memory until ``save`` ------------------------------------

    def new_attachment(self, name: str, content: bytes) -> Attachment:
        """Store ``content`` (sealed now, written at the next save; once, however many entries
        hold it) and return a reference to put in an entry (importers, editors).

        Raises:
            UsageError: a name that is not a file name.
            AttachmentTooLargeError: over 64 MiB, or the vault's attachments would pass 1 GiB.
        """
        check_name(name)
        return Attachment(name, self._blobs.put(content, repr(name)), len(content))

    def attach(
        self, uuid: str, name: str, content: bytes, *, replace: bool = False, now: datetime | None = None
    ) -> Entry:
        """Add an attachment to an entry (with ``replace``, in place of one of the same name).

        Raises:
            UsageError: the entry has an attachment of that name (and not ``replace``), or the
                name is not a file name.
            AttachmentTooLargeError: over the limits; nothing was added.
        """
        entry = self._contents.get(uuid)
        taken = [a.name for a in entry.attachments]
        if name in taken and not replace:
            raise UsageError(
                f"Entry {entry.title!r} has an attachment named {name!r} already; "
                "replace it (--replace), or give another name."
            )
        new = self.new_attachment(name, content)
        if name in taken:
            kept = tuple(new if a.name == name else a for a in entry.attachments)
        else:
            kept = (*entry.attachments, new)
        return self._contents.update(uuid, attachments=kept, now=now)

    def attach_file(
        self,
        uuid: str,
        path: Path | str,
        *,
        name: str | None = None,
        replace: bool = False,
        now: datetime | None = None,
    ) -> Entry:
        """``attach`` a file's content (read bounded: a file over 64 MiB is refused unread)."""
        path = Path(path)
        return self.attach(
            uuid, path.name if name is None else name, read_file(path), replace=replace, now=now
        )

    def replace_attachment(
        self, uuid: str, name: str, content: bytes, *, now: datetime | None = None
    ) -> Entry:
        """Give an attachment new content (the old content stays in the entry's history)."""
        self.attachment(uuid, name)
        return self.attach(uuid, name, content, replace=True, now=now)

    def rename_attachment(self, uuid: str, name: str, new_name: str, *, now: datetime | None = None) -> Entry:
        """Rename an attachment (no content is read).

        Raises:
            EntryNotFoundError: no attachment ``name``.
            UsageError: ``new_name`` is not a file name, or the entry has one of that name.
        """
        old = self.attachment(uuid, name)
        check_name(new_name)
        entry = self._contents.get(uuid)
        if new_name != name and any(a.name == new_name for a in entry.attachments):
            raise UsageError(f"Entry {entry.title!r} has an attachment named {new_name!r} already.")
        renamed = Attachment(new_name, old.blob, old.size)
        return self._contents.update(
            uuid, attachments=tuple(renamed if a == old else a for a in entry.attachments), now=now
        )

    def detach(self, uuid: str, name: str, *, now: datetime | None = None) -> Entry:
        """Remove an attachment from an entry (its history keeps it, by reference; its content
        leaves the file at a save once no entry, version or draft refers to it).

        Raises:
            EntryNotFoundError: no attachment ``name``.
        """
        gone = self.attachment(uuid, name)
        entry = self._contents.get(uuid)
        kept = tuple(a for a in entry.attachments if a != gone)
        return self._contents.update(uuid, attachments=kept, now=now)
