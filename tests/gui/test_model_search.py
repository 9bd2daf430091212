"""Issue 23: the table's search narrows the last result when the query grows; whatever the path
taken, the rows are those a full search finds, in order, and never a stale entry."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from vaultapp.core.entry import Entry
from vaultapp.gui.models import EntryTableModel, Scope

T = datetime(2026, 5, 6, tzinfo=UTC)
WORDS = ["alpha", "alphabet", "beta", "Alpine", "gamma", "alp", "ALPHA two"]


def _entries() -> list[Entry]:
    return [
        Entry(
            uuid=f"u{n}",
            title=word,
            created=T,
            modified=T,
            username=f"user{n}",
            folder="F" if n % 2 else "",
            trashed=T if n == 5 else None,
        )
        for n, word in enumerate(WORDS)
    ]


def _titles(model: EntryTableModel) -> list[str]:
    return [model.entry(row).title for row in range(model.rowCount())]


def _fresh(entries: list[Entry], needle: str, scope: Scope) -> list[str]:
    model = EntryTableModel()
    model.set_entries(entries)
    model.set_filter(needle=needle, scope=scope)
    return _titles(model)


def test_typing_and_erasing_find_what_a_fresh_search_finds(qapp: object) -> None:
    entries = _entries()
    model = EntryTableModel()
    model.set_entries(entries)
    for scope in (Scope(), Scope("folder", "F"), Scope("trash")):
        model.set_filter(scope=scope)
        for needle in ["a", "al", "alp", "alph", "alpha", "alph", "al", "", "p", "ph", "zz", "phz", ""]:
            model.set_filter(needle=needle)
            assert _titles(model) == _fresh(entries, needle, scope), (scope, needle)
    model.set_filter(needle="alp", scope=Scope())
    assert _titles(model) == ["alpha", "ALPHA two", "alphabet", "Alpine"]  # "alp" is in the Trash


def test_a_changed_or_removed_entry_is_never_served_from_the_last_result(qapp: object) -> None:
    entries = _entries()
    model = EntryTableModel()
    model.set_entries(entries)
    model.set_filter(needle="alp")
    renamed = dataclasses.replace(entries[0], title="omega")
    model.replace_entry(renamed)
    model.set_filter(needle="alph")
    assert "omega" not in _titles(model)
    model.set_filter(needle="ome")
    assert [model.entry(r) for r in range(model.rowCount())] == [renamed]
    model.set_filter(needle="alp")
    model.remove_entry("u1")
    model.set_filter(needle="alph")
    assert _titles(model) == ["ALPHA two"]


def test_a_selected_row_follows_its_entry_through_a_sort(qapp: object) -> None:
    from PySide6.QtCore import QItemSelectionModel, Qt

    entries = _entries()
    model = EntryTableModel()
    model.set_entries(entries)
    selection = QItemSelectionModel(model)
    row = _titles(model).index("beta")
    selection.setCurrentIndex(model.index(row, 1), QItemSelectionModel.SelectionFlag.SelectCurrent)
    model.sort(1, Qt.SortOrder.DescendingOrder)  # by username
    model.sort(1, Qt.SortOrder.DescendingOrder)  # asked again (as the view does): nothing moves
    current = selection.currentIndex()
    assert (model.entry(current.row()).title, current.column()) == ("beta", 1)
    assert _titles(model)[0] == "ALPHA two"  # user6 first, descending
