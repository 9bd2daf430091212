"""The façade's delegation: a room's method offered under the façade's name keeps its signature
and docstring; an attribute kept by a room is read and set there."""

from __future__ import annotations

import inspect

from vaultapp.core.delegation import Kept, forward
from vaultapp.core.vault import Vault
from vaultapp.core.vault_file import VaultFile


class Room:
    def __init__(self) -> None:
        self.count = 1
        self.saved: list[str] = []

    def bump(self, by: int, *, note: str = "") -> int:
        """Add ``by`` to the count."""
        self.count += by
        return self.count


class Facade:
    def __init__(self) -> None:
        self._room = Room()
        self.saves: list[bool] = []

    def save(self, *, merge: bool) -> None:
        self.saves.append(merge)

    count: Kept[int] = Kept("_room")
    total: Kept[int] = Kept("_room", "count")
    bump = forward("_room", Room.bump)
    bump_and_save = forward("_room", Room.bump, then_save=True)


def test_a_forwarded_method_runs_on_the_room_and_keeps_its_signature_and_docstring() -> None:
    """The room's method does the work; help() and inspect show the room's docstring and
    parameters; with then_save the façade saves after it (merging), once."""
    facade = Facade()
    assert facade.bump(2) == 3
    assert facade._room.count == 3
    assert facade.saves == []
    assert facade.bump_and_save(1, note="x") == 4
    assert facade.saves == [True]
    assert Facade.bump.__doc__ == "Add ``by`` to the count."
    assert list(inspect.signature(Facade.bump).parameters) == ["self", "by", "note"]


def test_a_kept_attribute_is_read_and_set_in_its_room() -> None:
    """Reading and setting go to the room, under the attribute's own name or the one given."""
    facade = Facade()
    facade.count = 7
    assert facade._room.count == 7
    assert facade.total == 7
    facade.total = 9
    assert facade.count == 9
    assert isinstance(Facade.__dict__["count"], Kept)


def test_the_vault_offers_its_file_room_under_unchanged_names() -> None:
    """Vault.save and Vault.merge_disk are VaultFile's, with its docstrings and parameters."""
    assert Vault.save.__doc__ == VaultFile.save.__doc__
    assert list(inspect.signature(Vault.save).parameters) == ["self", "overwrite", "backup", "merge"]
    assert Vault.merge_disk.__doc__ == VaultFile.merge_disk.__doc__
