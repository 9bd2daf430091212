"""The entry table: a QAbstractTableModel over core entries and a filtering proxy.

Built for 10,000 entries: each row's search text (title, username, URL, tags, notes, folded
case) is computed once when the rows are set, a keystroke computes the matching rows in one
Python pass, and the proxy's per-row callback only looks the answer up. Sorting happens in the
source model with one ``list.sort`` (the proxy delegates), not through per-comparison callbacks.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from vaultapp.core.entry import Entry

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Title", "Username", "URL", "Tags", "Modified", "Password")
PASSWORD_COLUMN = 5
MASK = "••••••••"

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole


def _when(value: datetime) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


class EntryTableModel(QAbstractTableModel):
    """Rows are core ``Entry`` objects (the Trash included; the proxy decides what shows)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Entry] = []
        self.haystacks: list[str] = []
        self._reveal = None  # set to a function Sealed -> str when passwords show in the table
        self._sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)

    # ---- Qt overrides ----
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        # Painting asks for a dozen roles per cell; answer the ones we do not serve first.
        if role == _DISPLAY:
            entry = self._rows[index.row()]
            column = index.column()
            if column == 0:
                return ("★ " if entry.favourite else "") + entry.title
            if column == 1:
                return entry.username
            if column == 2:
                return entry.url
            if column == 3:
                return ", ".join(entry.tags)
            if column == 4:
                return _when(entry.modified)
            if entry.password is None:
                return ""
            return self._reveal(entry.password) if self._reveal else MASK
        if role == ENTRY_ROLE:
            return self._rows[index.row()]
        if role == _TOOLTIP and index.column() == 2:
            return self._rows[index.row()].url or None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply_sort()
        self.layoutChanged.emit()

    # ---- ours ----
    def _apply_sort(self) -> None:
        column, order = self._sort
        keys = {
            0: lambda e: e.title.casefold(),
            1: lambda e: e.username.casefold(),
            2: lambda e: e.url.casefold(),
            3: lambda e: ", ".join(e.tags).casefold(),
            4: operator.attrgetter("modified"),
        }
        key = keys.get(column, keys[0])
        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.haystacks = [_haystack(e) for e in self._rows]

    def set_entries(self, entries: list[Entry]) -> None:
        self.beginResetModel()
        self._rows = list(entries)
        self._apply_sort()
        self.endResetModel()

    def set_reveal(self, reveal) -> None:
        """A function that decrypts a password for display, or None to mask them."""
        self._reveal = reveal
        if self._rows:
            self.dataChanged.emit(
                self.index(0, PASSWORD_COLUMN), self.index(len(self._rows) - 1, PASSWORD_COLUMN)
            )

    def entry(self, row: int) -> Entry:
        return self._rows[row]

    def row_of(self, uuid: str) -> int:
        for row, entry in enumerate(self._rows):
            if entry.uuid == uuid:
                return row
        return -1

    def replace_entry(self, entry: Entry) -> None:
        """Update one row in place (after an edit) without resetting the view."""
        row = self.row_of(entry.uuid)
        if row < 0:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
            self._rows.append(entry)
            self.haystacks.append(_haystack(entry))
            self.endInsertRows()
            return
        self._rows[row] = entry
        self.haystacks[row] = _haystack(entry)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def remove_entry(self, uuid: str) -> None:
        row = self.row_of(uuid)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            del self.haystacks[row]
            self.endRemoveRows()

    def entries(self) -> list[Entry]:
        return list(self._rows)


def _haystack(entry: Entry) -> str:
    return "\0".join((entry.title, entry.username, entry.url, " ".join(entry.tags), entry.notes)).casefold()


@dataclass(frozen=True, slots=True)
class Scope:
    """What the sidebar selected: all, favourites, a folder (and below), a tag, or the Trash."""

    kind: str = "all"  # "all" | "favourites" | "folder" | "tag" | "trash"
    value: str = ""

    def accepts(self, entry: Entry) -> bool:
        if self.kind == "trash":
            return entry.trashed is not None
        if entry.trashed is not None:
            return False
        if self.kind == "favourites":
            return entry.favourite
        if self.kind == "folder":
            return entry.folder == self.value or entry.folder.startswith(self.value + "/")
        if self.kind == "tag":
            return self.value in entry.tags
        return True


class EntryFilterProxy(QSortFilterProxyModel):
    """Filters by sidebar scope and search text; sorting is delegated to the source model."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scope = Scope()
        self._needle = ""
        self._accepted: list[bool] = []
        self.setDynamicSortFilter(False)

    def setSourceModel(self, model: EntryTableModel) -> None:  # noqa: N802
        super().setSourceModel(model)
        model.modelReset.connect(self._refresh)
        model.layoutChanged.connect(self._refresh)
        model.rowsInserted.connect(self._refresh)
        model.rowsRemoved.connect(self._refresh)
        model.dataChanged.connect(self._refresh)
        self._refresh()

    def _refresh(self, *args: object) -> None:
        self._recompute(force=True)

    @property
    def source(self) -> EntryTableModel:
        model = self.sourceModel()
        assert isinstance(model, EntryTableModel)
        return model

    def set_search(self, text: str) -> None:
        self._needle = text.strip().casefold()
        self._recompute()

    def set_scope(self, scope: Scope) -> None:
        self._scope = scope
        self._recompute()

    @property
    def scope(self) -> Scope:
        return self._scope

    def _recompute(self, *, force: bool = False) -> None:
        source = self.source
        needle, scope = self._needle, self._scope
        rows = source.entries()
        if scope.kind == "all" and not needle:
            accepted = [e.trashed is None for e in rows]
        elif needle:
            accepted = [
                needle in hay and scope.accepts(e) for hay, e in zip(source.haystacks, rows, strict=True)
            ]
        else:
            accepted = [scope.accepts(e) for e in rows]
        if accepted == self._accepted and not force:
            return  # same rows as before (typing within one result set): nothing to redo
        self._accepted = accepted
        self._refilter()

    def _refilter(self) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+: the non-deprecated way
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        try:
            return self._accepted[source_row]
        except IndexError:
            return False

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.source.sort(column, order)

    def entry_at(self, index: QModelIndex) -> Entry | None:
        if not index.isValid():
            return None
        return self.source.entry(self.mapToSource(index).row())
