"""What the window's parts and tool windows may use of the window: a Protocol, not the window."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar

    from vaultapp.core.entry import Entry
    from vaultapp.core.vault import Vault


class WindowHost(Protocol):
    """The open vault (None when locked), the status line, the questions and saving."""

    @property
    def vault(self) -> Vault | None: ...

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - QMainWindow's name

    def confirm(self, title: str, text: str) -> bool: ...

    def ask_passphrase(self, name: str) -> str | None: ...

    def save(self) -> bool: ...

    def reload_model(self) -> None: ...

    def after_change(self, entry: Entry | None, *, select: bool = True) -> None: ...
