"""The window's words in the user's language: ``tr``, ``fill``, the translators loaded at start.

Every user-visible string in the window goes through ``tr(text)`` (``tr(text, None, n)`` for a
count, with ``%n`` in the text), and values go in through Qt's numbered places with
``fill(tr("Deleted “%1”"), title)``, so a translation can move them. ``scripts/update_translations.py``
collects the strings (Qt's ``lupdate`` reads these calls) into ``resources/translations/``.
The one context is the empty one: lupdate files a module-level ``tr(...)`` there.
"""

from __future__ import annotations

import os
import re
from typing import Final

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from vaultapp.resources import resource_path

CATALOGUE: Final = "vaultapp"
_INSTALLED: list[QTranslator] = []  # kept alive here while installed
_PLACE: Final = re.compile(r"%(\d)")


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``text`` in the user's language; with ``n`` >= 0 the plural form for ``n`` (``%n`` becomes ``n``)."""
    return QCoreApplication.translate("", text, disambiguation, n)


def fill(text: str, *values: object) -> str:
    """Put ``values`` in ``text``'s places ``%1``…``%9`` in one pass (a value holding ``%2`` stays)."""

    def place(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return str(values[index]) if 0 <= index < len(values) else match.group(0)

    return _PLACE.sub(place, text)


def translations_dir() -> str:
    return str(resource_path("translations"))


def install_translators(
    app: QCoreApplication, locale: QLocale | None = None, *, pseudo: bool | None = None
) -> list[QTranslator]:
    """Install the English catalogue (the plural forms of the source strings) and, above it, the
    one for ``locale`` (the system's by default) when there is one, with Qt's own strings for
    that language. ``pseudo`` (by default: ``VAULTAPP_PSEUDO=1`` in the environment) puts the
    pseudo-translation on top, for layout checks.
    Returns the installed translators; installing again first removes the earlier ones."""
    remove_translators(app)
    locale = locale or QLocale.system()
    installed = _INSTALLED

    def install(translator: QTranslator) -> None:
        if app.installTranslator(translator):
            installed.append(translator)

    english = QTranslator(app)
    if english.load(f"{CATALOGUE}_en", translations_dir()):
        install(english)
    if any(not name.startswith(("en", "C")) for name in locale.uiLanguages()):
        qt_own = QTranslator(app)
        if qt_own.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            install(qt_own)
        ours = QTranslator(app)
        if ours.load(locale, CATALOGUE, "_", translations_dir()):
            install(ours)
    if pseudo or (pseudo is None and os.environ.get("VAULTAPP_PSEUDO") == "1"):
        from vaultapp.gui.pseudo import PseudoTranslator

        install(PseudoTranslator(app, base=english))
    return list(installed)


def remove_translators(app: QCoreApplication) -> None:
    """Take back what install_translators installed (the source strings are shown again)."""
    while _INSTALLED:
        app.removeTranslator(_INSTALLED.pop())
