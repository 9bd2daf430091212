"""The vault view: sidebar (All, Favourites, folders, tags, Trash), search + table, detail pane.

Built on first unlock (not at start-up), so the unlock window appears as fast as Qt allows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.entry import Entry
from vaultapp.gui.detail import DetailPane
from vaultapp.gui.i18n import fill, tr
from vaultapp.gui.models import ENTRY_MIME, PASSWORD_COLUMN, EntryFilterProxy, EntryTableModel, Scope
from vaultapp.gui.widgets import icon

SCOPE_ROLE = Qt.ItemDataRole.UserRole + 2
FOLDERS_ROOT = "folders"  # the SCOPE_ROLE of the "Folders" heading


class Sidebar(QTreeWidget):
    """The scope tree; entries dragged from the table onto a folder emit ``entries_dropped``."""

    entries_dropped = Signal(list, str)  # entry UUIDs, folder path

    def __init__(self) -> None:
        super().__init__(objectName="sidebar")
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QTreeWidget.DragDropMode.DropOnly)

    def _folder_at(self, event: QDropEvent | QDragMoveEvent) -> str | None:
        if not event.mimeData().hasFormat(ENTRY_MIME):
            return None
        item = self.itemAt(event.position().toPoint())
        scope = item.data(0, SCOPE_ROLE) if item is not None else None
        return scope.value if isinstance(scope, Scope) and scope.kind == "folder" else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasFormat(ENTRY_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        if self._folder_at(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        folder = self._folder_at(event)
        if folder is None:
            event.ignore()
            return
        uuids = bytes(event.mimeData().data(ENTRY_MIME).data()).decode("ascii").split()
        event.acceptProposedAction()
        self.entries_dropped.emit(uuids, folder)


class VaultView(QWidget):
    """Sidebar (All, Favourites, folders, tags, Trash), search + table, detail pane.

    The search box works as KeePassXC's: typing selects the first result, Down moves into the
    table, Ctrl+C (with no text selected in the box) asks to copy that entry's password through
    ``copy_requested``, and Escape clears the search.
    """

    copy_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = EntryTableModel(self)
        self.proxy = EntryFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.sidebar = Sidebar()
        self.sidebar.setAccessibleName(tr("Folders, tags and Trash"))
        self.sidebar.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.sidebar.setHeaderHidden(True)
        self.sidebar.setMinimumWidth(140)
        self.search_edit = QLineEdit(objectName="search_edit")
        self.search_edit.setAccessibleName(tr("Search entries"))
        self.search_edit.setPlaceholderText(tr("Search title, username, URL, tags, notes  (Ctrl+F)"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.proxy.set_search)
        self.search_edit.textChanged.connect(self._searched)
        self.search_edit.installEventFilter(self)
        self.table = QTableView(objectName="entry_table")
        self.table.setAccessibleName(tr("Entries"))
        self.table.setTabKeyNavigation(False)  # Tab moves on to the next control, arrows move in the table
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.setDragEnabled(True)  # onto a folder in the sidebar
        self.table.setDragDropMode(QTableView.DragDropMode.DragOnly)
        self.table.setShowGrid(False)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # "Userna…", not a cut "Jsername"
        for column, width in enumerate((200, 170, 200, 100, 122, 140)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnHidden(PASSWORD_COLUMN, True)
        # The empty state is drawn over the table's viewport: hiding and showing a 10,000-row
        # table on every keystroke would cost a full relayout each time.
        self.empty_label = QLabel(self.table.viewport(), objectName="empty_state")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: gray; font-size: 12pt; padding: 40px;")
        self.empty_label.hide()
        self.table.viewport().installEventFilter(self)
        self.table.installEventFilter(self)
        self.detail = DetailPane(self)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.search_edit)
        middle_layout.addWidget(self.table)
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal, objectName="main_splitter")
        splitter.addWidget(self.sidebar)
        splitter.addWidget(middle)
        # The detail pane scrolls rather than clipping its rows (a narrow window, QT_SCALE_FACTOR=2).
        self.detail_scroll = QScrollArea(objectName="detail_scroll")
        self.detail_scroll.setAccessibleName(tr("Entry details"))
        self.detail_scroll.setWidget(self.detail)
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.detail_scroll.setMinimumWidth(200)
        splitter.addWidget(self.detail_scroll)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([180, 800, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)
        self.sidebar.currentItemChanged.connect(self._scope_chosen)
        for signal in (
            self.proxy.modelReset,
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.layoutChanged,
        ):
            signal.connect(self.update_empty_state)
        self._last_uuid: str | None = None
        self.table.selectionModel().selectionChanged.connect(self._remember_selection)
        self.proxy.modelReset.connect(self._restore_selection)

    # Shares of the table's width (Title, stretched, takes the rest: about a third).
    COLUMN_SHARES = ((1, 0.18), (2, 0.20), (3, 0.10), (4, 0.16))

    def fit_layout(self, width: int) -> None:
        """Share ``width`` (the window's) between sidebar, table and detail pane, and the table
        between its columns, so that Title keeps a fair part at any size or scale factor."""
        side = max(140, width * 15 // 100)
        detail = max(220, width * 27 // 100)
        middle = max(240, width - side - detail - 24)
        self.splitter.setSizes([side, middle, detail])
        for column, share in self.COLUMN_SHARES:
            self.table.setColumnWidth(column, max(40, int(middle * share)))

    def save_layout(self) -> dict[str, bytes]:
        """Splitter sizes, column widths, order and sort order (no entry data)."""
        return {
            "splitter": bytes(self.splitter.saveState().data()),
            "columns": bytes(self.table.horizontalHeader().saveState().data()),
        }

    def restore_layout(self, saved: dict[str, bytes | None]) -> bool:
        """Put back a saved layout; False when there was none (or it did not fit this version)."""
        splitter, columns = saved.get("splitter"), saved.get("columns")
        if splitter is None or columns is None:
            return False
        header = self.table.horizontalHeader()
        if not (
            self.splitter.restoreState(QByteArray(splitter)) and header.restoreState(QByteArray(columns))
        ):
            return False
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        return True

    def _remember_selection(self, *args: object) -> None:
        entry = self.current_entry()
        if entry is not None:
            self._last_uuid = entry.uuid

    def _restore_selection(self) -> None:
        """After the visible rows change, keep the same entry selected, or take the first match."""
        if self._last_uuid is not None and self.model.row_of(self._last_uuid) >= 0:
            self.select_uuid(self._last_uuid)
        elif self.search_edit.text().strip() and self.proxy.rowCount():
            self.table.selectRow(0)

    def current_entry(self) -> Entry | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.proxy.entry_at(indexes[0]) if indexes else None

    def select_uuid(self, uuid: str) -> None:
        row = self.model.row_of(uuid)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.table.selectionModel().setCurrentIndex(index, flags)
            self.table.scrollTo(index)

    def rebuild_sidebar(self, entries: list[Entry], folders: list[str] | None = None) -> None:
        """``folders``: every folder to show (empty ones too); by default those of ``entries``."""
        current = self.proxy.scope
        self.sidebar.blockSignals(True)
        self.sidebar.clear()

        def add(parent: Any, text: str, scope: Scope, icon_name: str) -> QTreeWidgetItem:
            item = QTreeWidgetItem(parent, [text])
            item.setIcon(0, icon(icon_name))
            item.setData(0, SCOPE_ROLE, scope)
            return item

        live = [e for e in entries if e.trashed is None]
        add(self.sidebar, fill(tr("All entries (%1)"), len(live)), Scope("all"), "list")
        add(self.sidebar, tr("Favourites"), Scope("favourites"), "star")
        if folders is None:
            folders = sorted({e.folder for e in live if e.folder}, key=str.casefold)
        root = QTreeWidgetItem(self.sidebar, [tr("Folders")])  # always there: right-click → New folder…
        root.setData(0, SCOPE_ROLE, FOLDERS_ROOT)
        root.setFlags(Qt.ItemFlag.ItemIsEnabled)
        nodes: dict[str, QTreeWidgetItem] = {}
        for folder in folders:
            parts = folder.split("/")
            for depth in range(1, len(parts) + 1):
                path = "/".join(parts[:depth])
                if path not in nodes:
                    parent = nodes.get("/".join(parts[: depth - 1]), root)
                    nodes[path] = add(parent, parts[depth - 1], Scope("folder", path), "folder")
        root.setExpanded(True)
        tags = sorted({t for e in live for t in e.tags}, key=str.casefold)
        if tags:
            root = QTreeWidgetItem(self.sidebar, [tr("Tags")])
            root.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for tag in tags:
                add(root, tag, Scope("tag", tag), "tag")
            root.setExpanded(True)
        trashed = len(entries) - len(live)
        add(
            self.sidebar, fill(tr("Trash (%1)"), trashed) if trashed else tr("Trash"), Scope("trash"), "trash"
        )
        self.sidebar.expandAll()
        self.sidebar.blockSignals(False)
        self._select_scope(current)

    def _select_scope(self, scope: Scope) -> None:
        iterator = [self.sidebar.topLevelItem(i) for i in range(self.sidebar.topLevelItemCount())]
        while iterator:
            item = iterator.pop(0)
            if item.data(0, SCOPE_ROLE) == scope:
                self.sidebar.setCurrentItem(item)
                return
            iterator.extend(item.child(i) for i in range(item.childCount()))
        self.sidebar.setCurrentItem(self.sidebar.topLevelItem(0))

    def _scope_chosen(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        scope = item.data(0, SCOPE_ROLE) if item is not None else None
        if isinstance(scope, Scope):
            self.proxy.set_scope(scope)
            self.update_empty_state()

    def update_empty_state(self, *args: object) -> None:
        if self.proxy.rowCount():
            self.empty_label.hide()
            return
        if self.proxy.scope.kind == "trash":
            text = tr("The Trash is empty.")
        elif self.search_edit.text().strip():
            text = fill(tr("Nothing matches “%1”."), self.search_edit.text().strip())
        elif not any(e.trashed is None for e in self.model.entries()):
            text = tr("No entries yet.\nPress Ctrl+N or click “New entry” to add your first login.")
        else:
            text = tr("No entries here.")
        self.empty_label.setText(text)
        self.empty_label.setGeometry(self.table.viewport().rect())
        self.empty_label.show()

    @property
    def showing_empty_state(self) -> bool:
        return self.empty_label.isVisibleTo(self)

    def _searched(self, text: str) -> None:
        if text.strip() and self.proxy.rowCount():
            self.table.selectRow(0)

    def _search_key(self, event: QKeyEvent) -> bool:
        """Keys in the search box that act on the results; True when handled."""
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) and self.proxy.rowCount():
            if not self.table.selectionModel().hasSelection():
                self.table.selectRow(0)
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        if key == Qt.Key.Key_Escape and self.search_edit.text():
            self.search_edit.clear()
            return True
        if event.matches(QKeySequence.StandardKey.Copy) and not self.search_edit.hasSelectedText():
            self.copy_requested.emit("password")
            return True
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.empty_label.setGeometry(self.table.viewport().rect())
        elif (
            watched is self.table
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
            and self.search_edit.text()
        ):
            self.search_edit.clear()  # Escape in the results ends the search too; the entry stays selected
            return True
        elif watched is self.search_edit and isinstance(event, QKeyEvent):
            if event.type() == QEvent.Type.ShortcutOverride:
                # Claim Ctrl+C here, or the window's Copy shortcut would never see the box's keys.
                if event.matches(QKeySequence.StandardKey.Copy) and not self.search_edit.hasSelectedText():
                    event.accept()
                    return True
            elif event.type() == QEvent.Type.KeyPress:
                return self._search_key(event)
        return False
