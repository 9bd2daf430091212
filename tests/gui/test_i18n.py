"""Every window string goes through Qt's translations: the catalogue is current, plurals work,
the system locale's catalogue is loaded over English, and nothing shown skips ``tr``."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from tests.gui.i18n_scan import ROOT, scan, window_helpers, window_modules
from vaultapp.gui import i18n
from vaultapp.gui.i18n import fill, install_translators, remove_translators, tr
from vaultapp.gui.pseudo import pseudo, visible_length

SCRIPT = ROOT / "scripts" / "update_translations.py"
TRANSLATIONS = ROOT / "resources" / "translations"

MODULES = {str(p.relative_to(ROOT / "vaultapp")): p for p in window_modules()}


@pytest.fixture
def translated(qapp) -> Iterator[None]:
    yield
    english = QLocale(QLocale.Language.English)
    install_translators(QCoreApplication.instance(), english, pseudo=False)  # type: ignore[arg-type]


def test_catalogue_is_current_with_the_source() -> None:
    """resources/translations/ is what scripts/update_translations.py writes from today's source
    (run it after changing a string); English has every plural form."""
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_catalogue_check_fails_on_a_stale_catalogue(tmp_path: Path) -> None:
    """The check is not a rubber stamp: a catalogue missing a string the source has is reported."""
    for path in TRANSLATIONS.glob("*"):
        shutil.copyfile(path, tmp_path / path.name)
    template = tmp_path / "vaultapp.ts"
    text = template.read_text(encoding="utf-8")
    start = text.index("    <message>")
    template.write_text(text[:start] + text[text.index("</message>", start) + len("</message>\n") :], "utf-8")
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--translations", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "out of date: vaultapp.ts" in run.stdout


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_shown_string_is_wrapped(name: str) -> None:
    """No literal reaches setText/QLabel/QMessageBox/addRow/… without tr() in the window's modules."""
    assert [str(u) for u in scan(MODULES[name], window_helpers())] == []


def test_the_scan_catches_bare_strings(tmp_path: Path) -> None:
    """The scan finds a bare literal, an f-string, one in a list, and one through a helper."""
    module = tmp_path / "planted.py"
    module.write_text(
        "def _button(tip):\n    b = QPushButton()\n    b.setToolTip(tip)\n\n"
        "def build(label, n):\n"
        "    label.setText('Bare words')\n"
        "    label.setText(f'{n} entries')\n"
        "    table.setHorizontalHeaderLabels([tr('Fine'), 'Not fine'])\n"
        "    _button('Through a helper')\n"
        "    QLabel(tr('Wrapped'))\n"
        "    label.setText(f'<code>{n}</code>')\n"
        "    box.addItems(['SHA1', 'SHA256'])\n",
        encoding="utf-8",
    )
    tree = ast.parse(module.read_text(encoding="utf-8"))
    from tests.gui.i18n_scan import helpers_of

    found = [u.text for u in scan(module, helpers_of([tree]))]
    assert found == ["Bare words", "%1 entries", "Not fine", "Through a helper"]


def test_no_either_or_plurals_outside_numerus() -> None:
    """ "version(s)" is only ever a numerus source text (tr(text, None, n)), which English fills."""
    offenders = []
    for path in window_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
            and ast.get_docstring(node) is not None
        }
        numerus = {
            id(call.args[0])
            for call in ast.walk(tree)
            if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "tr" and len(call.args) == 3
        }
        offenders += [
            f"{path.name}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and "(s)" in node.value
            and id(node) not in numerus | docstrings
        ]
    assert offenders == []


def test_english_plural_forms(translated: None) -> None:
    """With the English catalogue, 1 entry / 2 entries (not "1 entry(ies)")."""
    remove_translators(QCoreApplication.instance())  # type: ignore[arg-type]
    assert tr("%n entry(ies)", None, 1) == "1 entry(ies)"  # the source text, before any catalogue
    install_translators(QCoreApplication.instance(), QLocale(QLocale.Language.English))  # type: ignore[arg-type]
    assert tr("%n entry(ies)", None, 1) == "1 entry"
    assert tr("%n entry(ies)", None, 2) == "2 entries"
    assert tr("%n finding(s)", None, 0) == "0 findings"


def test_the_system_locales_catalogue_is_loaded_over_english(
    translated: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A vaultapp_de.qm beside the English one is used for a German locale; a language with no
    catalogue (Icelandic here) gets English."""
    for path in TRANSLATIONS.glob("*"):
        shutil.copyfile(path, tmp_path / path.name)
    (tmp_path / "vaultapp_de.ts").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n<TS version="2.1" language="de">\n'
        "<context><name></name>\n"
        "<message><source>Cancel</source><translation>Abbrechen</translation></message>\n"
        '<message numerus="yes"><source>%n entry(ies)</source><translation>'
        "<numerusform>%n Eintrag</numerusform><numerusform>%n Einträge</numerusform>"
        "</translation></message>\n"
        "</context>\n</TS>\n",
        encoding="utf-8",
    )
    import PySide6

    lrelease = Path(PySide6.__file__).parent / "lrelease"
    subprocess.run([str(lrelease), "-silent", str(tmp_path / "vaultapp_de.ts")], check=True)
    monkeypatch.setattr(i18n, "translations_dir", lambda: str(tmp_path))
    app = QCoreApplication.instance()
    install_translators(app, QLocale("de_DE"))  # type: ignore[arg-type]
    assert tr("Cancel") == "Abbrechen"
    assert tr("%n entry(ies)", None, 3) == "3 Einträge"
    assert tr("%n finding(s)", None, 3) == "3 findings"  # not translated yet: English
    install_translators(app, QLocale("is_IS"))  # type: ignore[arg-type]
    assert tr("Cancel") == "Cancel"
    assert tr("%n entry(ies)", None, 1) == "1 entry"


def test_fill_puts_values_in_places_once() -> None:
    """%1 and %2 are filled in one pass: a value that holds "%2" is not filled again."""
    assert fill("Moved %1 to %2.", "50%2 off", "Work") == "Moved 50%2 off to Work."
    assert fill("%2, %1", "a", "b") == "b, a"


@pytest.mark.parametrize(
    "text",
    [
        "Save",
        "&Open…",
        "Moved %1 to %2.",
        "%n entry(ies)",
        "<b>Health %1/100</b> — %2.",
        "Tom &amp; Jerry",
        "a && b",
    ],
)
def test_pseudo_keeps_places_mnemonics_and_markup(text: str) -> None:
    """The pseudo form is bracketed, 40% longer, and keeps %1/%n, the & mnemonic, tags and entities."""
    shown = pseudo(text)
    assert (shown.startswith("[") and shown.endswith("]")) or "<" in shown
    assert visible_length(shown) >= 1.4 * visible_length(text)
    for token in ("%1", "%2", "%n", "&O", "<b>", "</b>", "&amp;", "&&"):
        assert shown.count(token) == text.count(token)
    assert pseudo("") == ""


def test_pseudo_mode_from_the_environment(translated: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """VAULTAPP_PSEUDO=1 shows every string in its pseudo form, plurals included."""
    monkeypatch.setenv("VAULTAPP_PSEUDO", "1")
    install_translators(QCoreApplication.instance(), QLocale(QLocale.Language.English))  # type: ignore[arg-type]
    assert tr("Cancel").startswith("[Cancel ")
    assert tr("%n entry(ies)", None, 2).startswith("[2 entries ")


def test_the_health_reports_words_are_all_translatable() -> None:
    """Every kind, severity and suggested action of vaultapp.health (pure, without Qt) has a
    translatable text in the window: a new one added there fails here until it is listed."""
    from vaultapp.gui import health as window
    from vaultapp.health.report import KINDS, SEVERITY_NAMES

    assert set(window.KIND_TEXT) == set(KINDS)
    assert set(window.SEVERITY_TEXT) == set(SEVERITY_NAMES)
    assert {action for _severity, action in KINDS.values()} <= set(window._ACTIONS)
