"""The GUI's one place that turns errors into what the user sees."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from vaultapp.core.errors import VaultError


def error_text(exc: BaseException) -> str:
    if isinstance(exc, VaultError):
        return str(exc)
    return f"Something unexpected went wrong ({type(exc).__name__}). Your vault file was not changed."


def show_error(parent: QWidget | None, exc: BaseException, title: str = "vaultapp") -> None:
    QMessageBox.warning(parent, title, error_text(exc))
