"""The entry table: a QAbstractTableModel over core entries, behind an identity proxy.

Built for 100,000 entries within one frame per search keystroke. Each row's search text (title,
username, URL, tags, notes, folded case) is computed once; a keystroke tests the rows in C
(``map(operator.contains, ...)``), only those the last query found when the query grew, and the
model resets once if the visible set changed. Sorting is one ``list.sort``. Measured
(benchmarks/gui.py): a Python ``filterAcceptsRow`` on a QSortFilterProxyModel costs about 6 ms
per keystroke at 10,000 rows in callbacks plus the view's relayout of thousands of removed and
inserted ranges, and even without it, the proxy rebuilt its row mapping after every reset. So the
proxy (a QIdentityProxyModel) forwards search, scope and sort to the model and does no per-row
work; it stays the view's model so that views, selection and tests address rows the same way
whichever layer filters.
"""

from __future__ import annotations

import contextlib
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import compress, repeat
from operator import contains

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QIdentityProxyModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from vaultapp.core.entry import Entry
from vaultapp.core.heap import collector_paused

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
ENTRY_MIME = "application/x-vaultapp-entry-uuids"  # dragging rows onto a folder (no secret in it)
COLUMNS = ("Title", "Username", "URL", "Tags", "Modified", "Password")
PASSWORD_COLUMN = 5
MASK = "••••••••"
TRAIL_MAX = 32  # queries kept while typing (each a list of references to the rows it found)

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole


def _when(value: datetime) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


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


class EntryTableModel(QAbstractTableModel):
    """All entries (the Trash included); ``rows`` are those the search and scope let through."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[Entry] = []
        self._haystacks: list[str] = []
        # caches: the scope's entries and haystacks; the last needle's rows and haystacks
        self._scoped: tuple[Scope, list[Entry], list[str]] | None = None
        # the queries typed since the scope or the entries changed, each narrowing the one before
        self._trail: list[tuple[str, list[Entry], list[str]]] = []
        self._rows: list[Entry] = []
        self._needle = ""
        self._scope = Scope()
        self._reveal = None  # set to a function Sealed -> str when passwords show in the table
        self._sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)

    # ---- Qt overrides ----
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            from vaultapp.gui.i18n import tr  # imported here: the headers are the module's only words

            return (tr("Title"), tr("Username"), tr("URL"), tr("Tags"), tr("Modified"), tr("Password"))[
                section
            ]
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
        if (column, order) == self._sort:
            return  # every change keeps the rows in this order (the view asks twice per click)
        self._sort = (column, order)
        with collector_paused():  # see core.heap: 100,000 new keys would set off full collections
            self._relayout()

    def _relayout(self) -> None:
        """Re-sort the rows in place; selections and other persistent indexes follow their entry."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        rows = self._rows
        held = [(rows[i.row()], i.column()) if 0 <= i.row() < len(rows) else None for i in persistent]
        self._apply_sort()
        self._rows = self._visible()
        where: dict[int, int] = {}
        wanted = {id(h[0]) for h in held if h is not None}
        if wanted:  # by identity, in C (list.index would call Entry.__eq__ on every row before)
            ids = list(map(id, self._rows))
            for key in wanted:
                with contextlib.suppress(ValueError):  # a held entry outside the rows: no index
                    where[key] = ids.index(key)
        moved = [
            QModelIndex() if h is None or id(h[0]) not in where else self.index(where[id(h[0])], h[1])
            for h in held
        ]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt override
        return [ENTRY_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802 - Qt override
        uuids = dict.fromkeys(self._rows[i.row()].uuid for i in indexes if i.isValid())
        data = QMimeData()
        data.setData(ENTRY_MIME, QByteArray(" ".join(uuids).encode("ascii")))
        return data

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802 - Qt override
        return Qt.DropAction.MoveAction

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
        entries, haystacks = self._all, self._haystacks
        values = list(map(key, entries))  # one key per entry; the sort compares them in C
        descending = order == Qt.SortOrder.DescendingOrder
        ranked = sorted(range(len(entries)), key=values.__getitem__, reverse=descending)
        self._all = [entries[i] for i in ranked]
        self._haystacks = [haystacks[i] for i in ranked]
        self._scoped = None

    def _in_scope(self) -> tuple[list[Entry], list[str]]:
        """The entries the scope lets through, in order, and their haystacks (cached)."""
        scope = self._scope
        if self._scoped is None or self._scoped[0] != scope:
            if scope.kind == "all":
                mask = [e.trashed is None for e in self._all]
            else:
                mask = [scope.accepts(e) for e in self._all]
            entries = list(compress(self._all, mask))
            self._scoped = (scope, entries, list(compress(self._haystacks, mask)))
            self._trail = []
        return self._scoped[1], self._scoped[2]

    def _visible(self) -> list[Entry]:
        """The rows for the needle and scope. A needle that extends the last one searches only
        the rows the last one found, and erasing back to an earlier query finds its rows kept;
        the test of each row runs in C (``map(contains, ...)``)."""
        entries, haystacks = self._in_scope()
        needle, trail = self._needle, self._trail
        while trail and trail[-1][0] not in needle:
            trail.pop()  # queries this one does not extend
        if not needle:
            return entries
        if trail:
            if trail[-1][0] == needle:
                return trail[-1][1]
            entries, haystacks = trail[-1][1], trail[-1][2]
        mask = list(map(contains, haystacks, repeat(needle)))
        if all(mask):  # every row matches (typing the start of what all share): no copies
            rows = entries
        else:
            rows, haystacks = list(compress(entries, mask)), list(compress(haystacks, mask))
        trail.append((needle, rows, haystacks))
        if len(trail) > TRAIL_MAX:
            del trail[0]
        return rows

    def _refresh(self, *, force: bool = False) -> None:
        rows = self._visible()
        # List equality checks identity first, in C: the same entry objects compare instantly.
        if not force and rows == self._rows:
            return  # the same rows (typing within one result set): nothing to redo
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def set_filter(self, needle: str | None = None, scope: Scope | None = None) -> None:
        if needle is not None:
            self._needle = needle.strip().casefold()
        if scope is not None:
            self._scope = scope
        self._refresh()

    @property
    def scope(self) -> Scope:
        return self._scope

    def set_entries(self, entries: list[Entry]) -> None:
        with collector_paused():  # see core.heap
            self._all = list(entries)
            self._haystacks = [_haystack(e) for e in self._all]
            self._apply_sort()
        self._refresh(force=True)

    @property
    def revealing(self) -> bool:
        """Whether the password column shows passwords."""
        return self._reveal is not None

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
        """Add or update one entry; the row updates in place when it stays visible."""
        for i, old in enumerate(self._all):
            if old.uuid == entry.uuid:
                self._all[i] = entry
                self._haystacks[i] = _haystack(entry)
                break
        else:
            self._all.append(entry)
            self._haystacks.append(_haystack(entry))
        self._apply_sort()  # a new or renamed entry lands in its sorted place
        rows = self._visible()
        row = self.row_of(entry.uuid)
        if len(rows) == len(self._rows) and row >= 0 and rows[row] is entry:
            self._rows = rows
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        else:
            self._refresh()

    def remove_entry(self, uuid: str) -> None:
        keep = [(e, h) for e, h in zip(self._all, self._haystacks, strict=True) if e.uuid != uuid]
        self._all = [e for e, _ in keep]
        self._haystacks = [h for _, h in keep]
        self._scoped = None
        self._refresh()

    def entries(self) -> list[Entry]:
        return list(self._all)


def _haystack(entry: Entry) -> str:
    return "\0".join((entry.title, entry.username, entry.url, " ".join(entry.tags), entry.notes)).casefold()


class EntryFilterProxy(QIdentityProxyModel):
    """The view's model: forwards search, scope and sorting to the source (see the module notes).

    An identity proxy: a QSortFilterProxyModel rebuilt its row mapping after every reset, with
    one call per row into Python's wrapper (tens of milliseconds at 100,000 rows)."""

    @property
    def source(self) -> EntryTableModel:
        model = self.sourceModel()
        assert isinstance(model, EntryTableModel)
        return model

    def set_search(self, text: str) -> None:
        self.source.set_filter(needle=text)

    def set_scope(self, scope: Scope) -> None:
        self.source.set_filter(scope=scope)

    @property
    def scope(self) -> Scope:
        return self.source.scope

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.source.sort(column, order)

    def entry_at(self, index: QModelIndex) -> Entry | None:
        if not index.isValid():
            return None
        return self.source.entry(self.mapToSource(index).row())
