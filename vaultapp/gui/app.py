"""Start the desktop app: ``vaultapp [VAULT]`` or ``python -m vaultapp [VAULT]``."""

from __future__ import annotations

import sys
from collections.abc import Sequence

_SYSTEM_STYLE: list[str] = []


def apply_theme(theme: str) -> None:
    """'system' keeps the platform look; 'light'/'dark' use Fusion with a matching palette."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QGuiApplication, QPalette
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    hints = QGuiApplication.styleHints()
    if not _SYSTEM_STYLE:  # the platform's look, to come back to from light or dark
        _SYSTEM_STYLE.append(app.style().name())
    if theme == "system":
        if hasattr(hints, "unsetColorScheme"):
            hints.unsetColorScheme()
        if app.style().name() != _SYSTEM_STYLE[0]:
            app.setStyle(_SYSTEM_STYLE[0])
            app.setPalette(app.style().standardPalette())
        return
    app.setStyle("Fusion")
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme(Qt.ColorScheme.Dark if theme == "dark" else Qt.ColorScheme.Light)
    if theme == "dark":
        palette = QPalette()
        for role, color in (
            (QPalette.ColorRole.Window, "#1f2329"), (QPalette.ColorRole.WindowText, "#e6e6e6"),
            (QPalette.ColorRole.Base, "#16191d"), (QPalette.ColorRole.AlternateBase, "#1c2025"),
            (QPalette.ColorRole.Text, "#e6e6e6"), (QPalette.ColorRole.Button, "#2a2f36"),
            (QPalette.ColorRole.ButtonText, "#e6e6e6"), (QPalette.ColorRole.Highlight, "#2f6fdf"),
            (QPalette.ColorRole.HighlightedText, "#ffffff"), (QPalette.ColorRole.ToolTipBase, "#2a2f36"),
            (QPalette.ColorRole.ToolTipText, "#e6e6e6"), (QPalette.ColorRole.PlaceholderText, "#8b949e"),
            (QPalette.ColorRole.Link, "#6ea8fe"),
        ):  # fmt: skip
            palette.setColor(role, QColor(color))
        app.setPalette(palette)
    else:
        app.setPalette(app.style().standardPalette())


def build_window(argv: Sequence[str]):
    """Create the QApplication (if needed) and the main window; returns (app, window)."""
    from pathlib import Path

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from vaultapp import __version__
    from vaultapp.gui.main_window import MainWindow
    from vaultapp.gui.settings import Settings
    from vaultapp.resources import resource_path

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("vaultapp")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("vaultapp")
    app.setWindowIcon(QIcon(str(resource_path("icons", "vaultapp.svg"))))
    settings = Settings()
    apply_theme(settings.theme)
    args = [a for a in argv if not a.startswith("-")]
    window = MainWindow(settings, vault_path=Path(args[0]) if args else None)
    return app, window


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--version" in argv:
        from vaultapp import __version__

        print(f"vaultapp {__version__}")
        return 0
    app, window = build_window(argv)
    window.show()
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
