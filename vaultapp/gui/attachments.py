"""Attachments in the window: the detail pane's list (Save…, Open, drag out) and the editor's
section (Add…, files dropped in, Rename…, Replace…, Remove, Save…, Open).

The editor changes only its own list of references: new content is sealed into the vault's blob
store when added (``Vault.new_attachment``), and the entry changes at the editor's Save, as one
edit with a history version. Opening or dragging out an attachment writes a private plaintext
copy (0600, in a 0700 folder; ``core.attachments.PrivateCopy``) that is deleted when the vault
locks or the app quits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, QEvent, QMimeData, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDrag, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.attachments import check_name, read_file
from vaultapp.core.entry import Attachment
from vaultapp.core.errors import UsageError, VaultError
from vaultapp.gui.i18n import fill, tr
from vaultapp.gui.messages import show_error

if TYPE_CHECKING:
    from vaultapp.core.attachments import PrivateCopy
    from vaultapp.core.entry import Entry
    from vaultapp.gui.host import WindowHost
    from vaultapp.gui.settings import Settings

PLAINTEXT_WARNING = QT_TR_NOOP(
    "%1 is opened from a plaintext copy on this computer's disk, in a private folder only "
    "you can read. The copy is deleted when the vault locks or vaultapp quits; close it in the "
    "other application before then. Changes made to the copy are not saved to the vault."
)


def size_text(size: int) -> str:
    """A size for people: 512 bytes, 14.2 KiB, 3.5 MiB."""
    if size < 1024:
        return tr("%n byte(s)", None, size)
    if size < 1 << 20:
        return fill(tr("%1 KiB"), f"{size / 1024:.1f}")
    return fill(tr("%1 MiB"), f"{size / (1 << 20):.1f}")


def local_files(mime: QMimeData) -> list[Path]:
    """The local files a drag carries (none for text, web links or other programs' data)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def _row(*widgets: QWidget) -> QHBoxLayout:
    layout = QHBoxLayout()
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return layout


class PlainCopies:
    """The private plaintext copies alive now (opened, dragged out): removed all at once."""

    def __init__(self) -> None:
        self._copies: list[PrivateCopy] = []

    def keep(self, copy: PrivateCopy) -> None:
        self._copies.append(copy)

    @property
    def paths(self) -> list[Path]:
        return [copy.path for copy in self._copies]

    def remove_all(self) -> None:
        copies, self._copies = self._copies, []
        for copy in copies:
            copy.remove()


class AttachmentActions:
    """Adds, saves, opens and drags out attachments for the detail pane and the editor; holds the
    private plaintext copies until ``remove_copies`` (the window calls it at lock and quit)."""

    def __init__(self, host: WindowHost, settings: Settings) -> None:
        self.host = host
        self.settings = settings
        self.copies = PlainCopies()
        self._warned = False  # the plaintext warning: once per run, or never with "don't show"

    def remove_copies(self) -> None:
        self.copies.remove_all()

    def store(self, parent: QWidget, path: Path, name: str | None = None) -> tuple[Attachment, bytes] | None:
        """Read a file and seal it into the vault's blob store (the entry changes at the editor's
        Save); None after saying why not (too large, unreadable, a bad name)."""
        vault = self.host.vault
        if vault is None:
            return None
        # Up to 64 MiB read and sealed here, about 0.7 s on a slow machine: a busy cursor.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            content = read_file(path)
            return vault.new_attachment(path.name if name is None else name, content), content
        except VaultError as exc:
            show_error(parent, exc, tr("Could not add the attachment"))
            return None
        finally:
            QApplication.restoreOverrideCursor()

    def save_to_disk(self, parent: QWidget, attachment: Attachment, uuid: str | None) -> None:
        """Ask where, then write a new file (0600; never over an existing one)."""
        vault = self.host.vault
        if vault is None:
            return
        start = str(Path.home() / attachment.name)
        path, _ = QFileDialog.getSaveFileName(
            parent,
            fill(tr("Save %1"), attachment.name),
            start,
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not path:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            vault.save_attachment(attachment, path)
        except VaultError as exc:
            QApplication.restoreOverrideCursor()
            show_error(parent, exc, tr("Could not save the attachment"))
            return
        QApplication.restoreOverrideCursor()
        self._noted(uuid)
        self.host.statusBar().showMessage(fill(tr("Saved %1 to %2."), attachment.name, path), 5000)

    def open(self, parent: QWidget, attachment: Attachment, uuid: str | None) -> None:
        """Open a private plaintext copy with the default application (after the warning)."""
        if self.host.vault is None or not self._may_open(parent, attachment.name):
            return
        copy = self._copy(parent, attachment, uuid)
        if copy is None:
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy)))
        self.host.statusBar().showMessage(
            fill(tr("Opened a plaintext copy of %1; it is deleted when the vault locks."), attachment.name),
            8000,
        )

    def drag_file(self, parent: QWidget, attachment: Attachment, uuid: str | None) -> Path | None:
        """A private copy to offer a drag out of the window (deleted at lock or quit)."""
        return self._copy(parent, attachment, uuid)

    def _copy(self, parent: QWidget, attachment: Attachment, uuid: str | None) -> Path | None:
        vault = self.host.vault
        if vault is None:
            return None
        try:
            copy = vault.open_attachment_copy(attachment)
        except VaultError as exc:
            show_error(parent, exc, tr("Could not open the attachment"))
            return None
        except OSError as exc:
            show_error(parent, VaultError(fill(tr("Cannot write a private copy: %1."), exc.strerror or exc)))
            return None
        self.copies.keep(copy)
        self._noted(uuid)
        return copy.path

    def _noted(self, uuid: str | None) -> None:
        """The audit log notes an attachment's content leaving the vault, as for the CLI."""
        vault = self.host.vault
        if vault is not None and uuid is not None and any(e.uuid == uuid for e in vault.entries):
            vault.note("entry.revealed", uuid, {"field": "attachment"})

    def _may_open(self, parent: QWidget, name: str) -> bool:
        if self._warned or not self.settings.warn_open_attachment:
            return True
        go, never_again = self.ask_plaintext(parent, name)
        if go:
            self._warned = True
            if never_again:
                self.settings.warn_open_attachment = False
        return go

    def ask_plaintext(self, parent: QWidget, name: str) -> tuple[bool, bool]:
        """(open it?, never ask again?) — a test seam: monkeypatch to answer."""
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Open a plaintext copy?"),
                          fill(tr(PLAINTEXT_WARNING), name), parent=parent)  # fmt: skip
        box.setObjectName("open_attachment_warning")
        never = QCheckBox(tr("Don't show this again"))
        box.setCheckBox(never)
        open_button = box.addButton(tr("Open"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is open_button, never.isChecked()


class AttachmentList(QListWidget):
    """Names and sizes; an item dragged out gives the file (``drag_file``); with ``accept_files``
    files dropped on it are offered by ``files_dropped``."""

    files_dropped = Signal(list)

    def __init__(self, object_name: str, *, accept_files: bool = False) -> None:
        super().__init__(objectName=object_name)
        self.drag_file: Callable[[Attachment], Path | None] | None = None
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(accept_files)
        self.setDropIndicatorShown(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setUniformItemSizes(True)
        mode = QAbstractItemView.DragDropMode
        self.setDragDropMode(mode.DragDrop if accept_files else mode.DragOnly)
        tip = tr("Drag an attachment out to save it")
        self.setToolTip(tip + (tr(", or drop files here to add them") if accept_files else ""))

    def set_attachments(self, attachments: Iterable[Attachment]) -> None:
        self.clear()
        for attachment in attachments:
            item = QListWidgetItem(f"{attachment.name}  —  {size_text(attachment.size)}")
            item.setData(Qt.ItemDataRole.UserRole, attachment)
            item.setToolTip(fill(tr("%1 (%2 bytes)"), attachment.name, format(attachment.size, ",")))
            self.addItem(item)
        self._fit_height()

    def _fit_height(self) -> None:
        """Tall enough for its rows (up to five, then it scrolls); a long name is elided."""
        row = max(self.sizeHintForRow(0) if self.count() else 0, self.fontMetrics().height() + 6)
        self.setFixedHeight(row * max(1, min(self.count(), 5)) + 2 * self.frameWidth() + 2)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_height()

    def current(self) -> Attachment | None:
        item = self.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, Attachment) else None

    def startDrag(self, supported: Qt.DropAction) -> None:  # noqa: N802 - Qt override
        attachment = self.current()
        path = self.drag_file(attachment) if attachment is not None and self.drag_file else None
        if path is None:
            return
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.CopyAction)

    def _files(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> list[Path]:
        if event.source() is self:  # our own item dragged over us: nothing to add
            return []
        return local_files(event.mimeData())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self._files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        if self._files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        files = self._files(event)
        if files:
            event.acceptProposedAction()
            self.files_dropped.emit(files)
        else:
            event.ignore()


class DetailAttachments(QWidget):
    """The detail pane's Attachments: the list, Save… and Open (double-click opens too)."""

    def __init__(self) -> None:
        super().__init__(objectName="detail_attachments")
        self.actions: AttachmentActions | None = None
        self.entry: Entry | None = None
        self.list = AttachmentList("detail_attachment_list")
        self.list.drag_file = lambda a: self._do(lambda act: act.drag_file(self, a, self._uuid()))
        self.save_button = QPushButton(tr("Save…"), objectName="detail_attachment_save")
        self.save_button.setToolTip(tr("Save the attachment as a file"))
        self.open_button = QPushButton(tr("Open"), objectName="detail_attachment_open")
        self.open_button.setToolTip(tr("Open it with the default application (from a plaintext copy)"))
        self.save_button.clicked.connect(lambda: self._with_current(AttachmentActions.save_to_disk))
        self.open_button.clicked.connect(lambda: self._with_current(AttachmentActions.open))
        self.list.itemDoubleClicked.connect(lambda _item: self._with_current(AttachmentActions.open))
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(_row(self.save_button, self.open_button))
        self._update_buttons()

    def _uuid(self) -> str | None:
        return self.entry.uuid if self.entry is not None else None

    def _do(self, what: Callable[[AttachmentActions], Path | None]) -> Path | None:
        return what(self.actions) if self.actions is not None else None

    def _with_current(
        self, action: Callable[[AttachmentActions, QWidget, Attachment, str | None], None]
    ) -> None:
        attachment = self.list.current()
        if self.actions is not None and attachment is not None:
            action(self.actions, self, attachment, self._uuid())

    def set_entry(self, entry: Entry | None) -> None:
        self.entry = entry
        self.list.set_attachments(entry.attachments if entry is not None else ())
        if self.list.count():
            self.list.setCurrentRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.list.current() is not None
        self.save_button.setEnabled(chosen)
        self.open_button.setEnabled(chosen)


class EditorAttachments(QWidget):
    """The editor's Attachments: its own list of references, changed by Add…/drop, Rename…,
    Replace… and Remove, and given to the entry at the editor's Save."""

    changed = Signal()

    def __init__(self, actions: AttachmentActions, target: str | None) -> None:
        super().__init__(objectName="editor_attachments")
        self.actions = actions
        self.target = target
        self.items: list[Attachment] = []
        # Content added here, by blob id, until the entry is saved: a save of the vault meanwhile
        # (a health run, a merge) drops blobs no entry refers to yet, so ``sealed`` puts it back.
        self._pending: dict[str, bytes] = {}
        self.list = AttachmentList("editor_attachment_list", accept_files=True)
        self.list.setAccessibleName(tr("Attachments"))
        self.list.drag_file = lambda a: actions.drag_file(self, a, target)
        self.list.files_dropped.connect(self.add_files)
        buttons = {
            "add": (tr("Add…"), tr("Attach files (or drop them on the editor)"), self.add_dialog),
            "rename": (tr("Rename…"), tr("Give the attachment another name"), self.rename),
            "replace": (tr("Replace…"), tr("Give it a file's content (the old one stays in history)"), self.replace),  # noqa: E501
            "remove": (tr("Remove"), tr("Remove the attachment (the history keeps it)"), self.remove),
            "save": (tr("Save…"), tr("Save the attachment as a file"), self.save_to_disk),
            "open": (tr("Open"), tr("Open it with the default application (from a plaintext copy)"), self.open),  # noqa: E501
        }  # fmt: skip
        self.buttons: dict[str, QPushButton] = {}
        for key, (text, tip, slot) in buttons.items():
            button = QPushButton(text, objectName=f"attachment_{key}_button")
            button.setToolTip(tip)
            button.clicked.connect(lambda _=False, s=slot: s())
            self.buttons[key] = button
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(_row(*(self.buttons[k] for k in ("add", "rename", "replace", "remove"))))
        layout.addLayout(_row(self.buttons["save"], self.buttons["open"]))
        self._show()

    def load(self, attachments: Iterable[Attachment]) -> None:
        self.items = list(attachments)
        self._show()

    def values(self) -> tuple[Attachment, ...]:
        return tuple(self.items)

    def sealed(self) -> tuple[Attachment, ...]:
        """The attachments with every added file's content in the vault's blob store (sealed
        again if a save dropped it; the same content keeps its id), for the entry or a draft.

        Raises:
            AttachmentTooLargeError: the vault's attachments would pass 1 GiB meanwhile.
        """
        vault = self.actions.host.vault
        if vault is None or not self._pending:
            return self.values()
        sealed = []
        for attachment in self.items:
            content = self._pending.get(attachment.blob)
            if content is not None:
                attachment = vault.new_attachment(attachment.name, content)
            sealed.append(attachment)
        return tuple(sealed)

    def _show(self, select: str | None = None) -> None:
        self.list.set_attachments(self.items)
        names = [a.name for a in self.items]
        if names:
            self.list.setCurrentRow(names.index(select) if select in names else 0)
        self._update_buttons()
        self.changed.emit()

    def _update_buttons(self) -> None:
        chosen = self.list.current() is not None
        for key in ("rename", "replace", "remove", "save", "open"):
            self.buttons[key].setEnabled(chosen)

    def _taken(self, name: str, but: Attachment | None = None) -> bool:
        """A name this entry has already (names are unique within an entry, as in the core)."""
        if any(a.name == name and a is not but for a in self.items):
            show_error(self, UsageError(
                fill(tr("This entry has an attachment named '%1' already; rename or remove that one first, "
                        "or use Replace…. Nothing was added."), name)
            ), tr("Could not add the attachment"))  # fmt: skip
            return True
        return False

    def add_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Add attachments"), str(Path.home()))
        self.add_files([Path(p) for p in paths])

    def add_files(self, paths: list[Path]) -> None:
        """Add files (all or none: a refused one leaves the list as it was)."""
        names = [p.name for p in paths]
        if len(set(names)) != len(names):
            show_error(self, UsageError(tr("Two of these files have the same name; add them one at a time.")))
            return
        if any(self._taken(name) for name in names):
            return
        added = []
        for path in paths:
            stored = self.actions.store(self, path)
            if stored is None:
                return
            added.append(stored[0])
            self._pending[stored[0].blob] = stored[1]
        if added:
            self.items.extend(added)
            self._show(select=added[-1].name)

    def rename(self) -> None:
        current = self.list.current()
        if current is None:
            return
        new, ok = QInputDialog.getText(self, tr("Rename attachment"), tr("New name:"), text=current.name)
        new = new.strip()
        if not ok or not new or new == current.name:
            return
        try:
            check_name(new)
        except VaultError as exc:
            show_error(self, exc, tr("Could not rename the attachment"))
            return
        if self._taken(new, but=current):
            return
        self.items = [Attachment(new, a.blob, a.size) if a is current else a for a in self.items]
        self._show(select=new)

    def replace(self) -> None:
        current = self.list.current()
        if current is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, fill(tr("Replace %1"), current.name), str(Path.home()))
        if not path:
            return
        stored = self.actions.store(self, Path(path), name=current.name)
        if stored is not None:
            new, self._pending[stored[0].blob] = stored
            self.items = [new if a is current else a for a in self.items]
            self._show(select=new.name)

    def remove(self) -> None:
        current = self.list.current()
        if current is not None:
            self.items = [a for a in self.items if a is not current]
            self._show()

    def save_to_disk(self) -> None:
        current = self.list.current()
        if current is not None:
            self.actions.save_to_disk(self, current, self.target)

    def open(self) -> None:
        current = self.list.current()
        if current is not None:
            self.actions.open(self, current, self.target)
