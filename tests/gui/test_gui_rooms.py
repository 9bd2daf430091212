"""The window's rooms, checked in the source: no module imports the entry point, the tool
windows do not know the main window, and every module fits on a few screens."""

from __future__ import annotations

import ast
from pathlib import Path

import vaultapp

PACKAGE = Path(vaultapp.__file__).resolve().parent
GUI = PACKAGE / "gui"


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_only_main_imports_the_entry_point() -> None:
    """gui/app.py starts the program; the theme and everything else live elsewhere."""
    importers = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "vaultapp.gui.app" in _imported(path)
    ]
    assert importers == ["__main__.py"]


def test_tool_windows_take_what_they_use_not_the_main_window() -> None:
    """The health, audit-log and transfer windows get the vault, callbacks and a small Protocol."""
    for name in ("health.py", "transfer.py", "host.py"):
        assert not any(m.startswith("vaultapp.gui.main_window") for m in _imported(GUI / name)), name


def test_every_gui_module_is_short_and_names_what_it_owns() -> None:
    """At most ~500 lines each, with a one-line docstring first."""
    for path in sorted(GUI.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert len(source.splitlines()) <= 500, path.name
        doc = ast.get_docstring(ast.parse(source))
        assert doc, path.name
        assert doc.splitlines()[0].strip(), path.name
