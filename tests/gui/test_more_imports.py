"""The window imports other programs' exports: recognised from the file, or chosen from the list."""

from __future__ import annotations

from pathlib import Path

from tests.gui.conftest import answer_import_previews, titles
from tests.interop import exports
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.transfer import FORMAT_LABELS
from vaultapp.interop.catalog import MORE_FORMATS


def _wait_idle(qtbot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: not win.transfers.busy, timeout=20_000)


def test_the_format_list_offers_every_new_format() -> None:
    assert set(MORE_FORMATS) <= set(FORMAT_LABELS)
    assert "1Password" in FORMAT_LABELS["1pux"]


def test_a_1pux_export_is_recognised_and_imported(
    qtbot, unlocked: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    source = exports.write(tmp_path, "1pux")
    asked: list[Path] = []
    monkeypatch.setattr(unlocked.transfers, "ask_format", lambda path: asked.append(path))
    summaries = answer_import_previews(monkeypatch, unlocked)
    unlocked.transfers.import_file(source)
    _wait_idle(qtbot, unlocked)
    assert not asked  # the zip's export.data says 1PUX
    assert "second one-time code kept as field 'second code'" in summaries[0]
    assert {"Fake Site", "Visa", "Passport scan"} <= set(titles(unlocked))


def test_an_ambiguous_file_asks_and_uses_the_choice(
    qtbot, unlocked: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    source = exports.write(tmp_path, "dashlane-notes")
    monkeypatch.setattr(unlocked.transfers, "ask_format", lambda path: "dashlane-csv")
    monkeypatch.setattr(unlocked.transfers, "confirm_import", lambda *a, changes: changes)
    unlocked.transfers.import_file(source)
    _wait_idle(qtbot, unlocked)
    assert "Door code" in titles(unlocked)


def test_a_broken_export_is_one_error_and_changes_nothing(
    qtbot, unlocked: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    source = tmp_path / "broken.1pux"
    source.write_bytes(b"PK\x03\x04 broken")
    monkeypatch.setattr(unlocked.transfers, "ask_format", lambda path: "1pux")
    errors: list[str] = []
    monkeypatch.setattr(
        "vaultapp.gui.transfer.show_error", lambda parent, exc, *a, **k: errors.append(str(exc))
    )
    on_disk = unlocked.vault.path.read_bytes()
    unlocked.transfers.import_file(source)
    _wait_idle(qtbot, unlocked)
    assert unlocked.vault.path.read_bytes() == on_disk
    assert errors
    assert "not a readable zip" in errors[0]
