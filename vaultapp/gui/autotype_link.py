"""The window's side of auto-type: holds the global shortcut while auto-type is on (Settings →
Auto-type), answers it by typing the entry that matches the active window (a chooser when
several do), and runs Entry → Perform auto-type (Ctrl+Shift+V) for the selected entry into the
window the user was in before. Nothing is typed while the vault is locked: the shortcut then
brings the window up to unlock and says so. The typing runs off the GUI thread.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication

from vaultapp.core.errors import VaultError

if TYPE_CHECKING:
    from vaultapp.autotype.gui import Chooser, ShortcutListener
    from vaultapp.autotype.matching import Match
    from vaultapp.core.entry import Entry
    from vaultapp.gui.main_window import MainWindow


def session_problem() -> str | None:
    """Why auto-type cannot work in this session (Wayland, no X display, a window not on X11)."""
    from vaultapp.autotype.x11 import session_problem as x11_problem

    problem = x11_problem()
    if problem is None and QGuiApplication.platformName() != "xcb":
        return "Auto-type is not available on this session: the window is not on X11."
    return problem


LOCKED = "The vault is locked: unlock it, then press the auto-type shortcut again. Nothing was typed."


class AutoTypeLink:
    """Owned by the window (``window.autotype``); ``update`` after every unlock, lock and settings
    change, ``close`` when the window closes. Tests set ``display_name`` to their Xvfb."""

    def __init__(self, window: MainWindow) -> None:
        from vaultapp.gui.autotype_settings import AutoTypeOptions

        self.window = window
        self.options = AutoTypeOptions(window.settings)
        self.display_name: str | None = None
        self.listener: ShortcutListener | None = None
        self.chooser: Chooser | None = None
        self.busy = False
        self.error = ""  # why auto-type or its shortcut is off, for the settings page and tests

    def problem(self) -> str | None:
        """Why auto-type cannot work in this session, or None."""
        return None if self.display_name is not None else session_problem()

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 10_000)

    # ---- the listener -----------------------------------------------------------------------

    def update(self) -> None:
        if self.window.vault is None:
            self.cancel_chooser()
        problem = self.problem()
        if not self.options.enabled or problem is not None:
            self.close()
            self.error = problem or ""
            return
        wanted = self.options.shortcut or None
        if self.listener is not None and self.listener.text == wanted:
            return
        self.close()
        self.error = ""
        self.listener = self._listen(wanted)
        if self.listener is None and wanted is not None:  # the shortcut is taken: still follow windows
            self.listener = self._listen(None)

    def _listen(self, text: str | None) -> ShortcutListener | None:
        from vaultapp.autotype.gui import ShortcutListener
        from vaultapp.autotype.hotkey import parse_shortcut

        try:
            listener = ShortcutListener(
                parse_shortcut(text) if text else None, self.display_name, self.window
            )
        except VaultError as exc:
            self.error = str(exc)
            self._say(self.error)
            return None
        listener.pressed.connect(self.global_autotype)
        listener.failed.connect(self._lost)
        return listener

    def _lost(self, message: str) -> None:
        self.listener = None
        self.error = message
        self._say(message)

    def close(self) -> None:
        self.cancel_chooser()
        if self.listener is not None:
            self.listener.close()
            self.listener.deleteLater()
            self.listener = None

    # ---- the global shortcut ----------------------------------------------------------------

    def global_autotype(self) -> None:
        """Type the entry matching the active window (the shortcut was pressed there)."""
        from vaultapp.autotype.matching import find_matches
        from vaultapp.autotype.x11 import active_window, connect, window_pid, window_title

        w = self.window
        if self.busy or self.chooser is not None:
            return
        if w.vault is None:
            self._say(LOCKED)
            w.showNormal()
            w.raise_()
            w.activateWindow()
            return
        try:
            display = connect(self.display_name)
            try:
                target = active_window(display)
                title = window_title(display, target) if target is not None else ""
                own = target is not None and window_pid(display, target) == os.getpid()
            finally:
                display.close()
        except VaultError as exc:
            self._say(str(exc))
            return
        if target is None or own:
            self._say("Auto-type types into another program's window: press the shortcut there.")
            return
        o = self.options
        live = [entry for entry in w.vault.entries if entry.trashed is None]
        matches = find_matches(title, live, o.sequence, match_title=o.match_title, match_url=o.match_url)
        if not matches:
            self._say(f"No entry matches the window “{title}”: add an AutoType-Window field to one.")
        elif len(matches) == 1:
            self.type_entry(matches[0].entry, matches[0].sequence, target)
        else:
            self._choose(matches, title, target)

    def _choose(self, matches: list[Match], title: str, target: int) -> None:
        from vaultapp.autotype.gui import Chooser

        vault = self.window.vault
        chooser = Chooser(matches, title)  # a window of its own: vaultapp may be minimised
        self.chooser = chooser

        def finished(_code: int) -> None:
            if self.chooser is not chooser:  # answered already
                return
            picked = chooser.chosen()
            self.chooser = None
            chooser.deleteLater()
            if picked is not None and self.window.vault is vault:
                self.type_entry(picked.entry, picked.sequence, target)

        chooser.finished.connect(finished)
        chooser.show()
        chooser.raise_()
        chooser.activateWindow()

    def cancel_chooser(self) -> None:
        if self.chooser is not None:
            self.chooser.reject()

    # ---- the window's action ----------------------------------------------------------------

    def perform_selected(self) -> None:
        """Entry → Perform auto-type: the selected entry into the window the user was in before;
        vaultapp minimises itself first."""
        from vaultapp.autotype.matching import associations, entry_sequence, window_matches
        from vaultapp.autotype.x11 import connect, window_title

        w = self.window
        entry = w.vault_view.current_entry() if w.vault is not None else None
        if entry is None or entry.trashed is not None:
            return
        problem = self.problem()
        if problem is not None or self.listener is None:
            self._say(problem or self.error or "Turn auto-type on in Settings → Auto-type first.")
            return
        target = self.listener.previous()
        if target is None:
            self._say("There is no other window to type into: click into it, then come back here.")
            return
        sequence = entry_sequence(entry, self.options.sequence)
        try:
            display = connect(self.display_name)
            try:
                title = window_title(display, target)
            finally:
                display.close()
        except VaultError as exc:
            self._say(str(exc))
            return
        for association in associations(entry):
            if window_matches(association.window, title) and association.sequence:
                sequence = association.sequence
                break
        self.type_entry(entry, sequence, target, minimise=True)

    # ---- typing -----------------------------------------------------------------------------

    def type_entry(self, entry: Entry, sequence: str, target: int, *, minimise: bool = False) -> None:
        """Expand ``sequence`` for ``entry`` now (the vault is open), then type it into
        ``target`` off the GUI thread."""
        from vaultapp.autotype.fields import strokes_for
        from vaultapp.autotype.x11 import type_strokes
        from vaultapp.gui.workers import run_in_background

        w = self.window
        vault = w.vault
        if vault is None:
            self._say(LOCKED)
            return
        try:
            strokes, fields = strokes_for(vault, entry, sequence)
            vault.note("entry.typed", entry.uuid, {"fields": fields})
        except VaultError as exc:
            self._say(str(exc))
            return
        self.busy = True
        if minimise:
            w.showMinimized()
        name = self.display_name

        def done(_result: object) -> None:
            self.busy = False
            self._say(f"Typed “{entry.title}”.")

        def failed(exc: BaseException) -> None:
            self.busy = False
            self._say(str(exc) if isinstance(exc, VaultError) else f"Auto-type failed: {exc}")

        run_in_background(w, lambda: type_strokes(strokes, window=target, display_name=name), done, failed)
