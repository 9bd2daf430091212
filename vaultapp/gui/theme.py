"""The look: the platform's style, or Fusion with a light or dark palette."""

from __future__ import annotations

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
