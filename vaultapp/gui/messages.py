"""The GUI's one place that turns errors into what the user sees."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from vaultapp.core.errors import VaultError
from vaultapp.gui.i18n import fill, tr


def error_text(exc: BaseException) -> str:
    if isinstance(exc, VaultError):
        return str(exc)
    return fill(
        tr("Something unexpected went wrong (%1). Your vault file was not changed."), type(exc).__name__
    )


def show_error(parent: QWidget | None, exc: BaseException, title: str = "") -> None:
    QMessageBox.warning(parent, title or tr("vaultapp"), error_text(exc))
