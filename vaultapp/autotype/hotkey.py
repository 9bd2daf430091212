"""The global auto-type shortcut on X11: parsing ``Ctrl+Alt+A``, grabbing it on the root window
(``XGrabKey``, with and without Caps Lock and Num Lock), and watching which window is active so
the window's own "Perform auto-type" knows where the user was before. No Qt: ``gui.py`` reads
this connection when its file descriptor has data."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Final

from Xlib import XK, X, error
from Xlib.display import Display

from vaultapp.autotype.keymap import MODIFIER_KEYSYMS
from vaultapp.autotype.x11 import AutoTypeUnavailableError, active_window, connect, read_keymap, window_pid
from vaultapp.core.errors import UsageError

DEFAULT_SHORTCUT: Final = "Ctrl+Alt+A"
NAMES: Final = {"ctrl": "ctrl", "control": "ctrl", "alt": "alt", "shift": "shift", "meta": "super",
                "super": "super", "win": "super"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Shortcut:
    keysym: int
    mods: frozenset[str]
    text: str


def parse_shortcut(text: str) -> Shortcut:
    """``Ctrl+Alt+A`` (Qt's portable text, as the settings' key editor writes it) as a keysym
    and modifiers; ``UsageError`` for one with no modifier or an unknown key."""
    parts = [part.strip() for part in text.replace(" ", "").split("+")]
    if text.endswith("++"):  # the key itself is "+"
        parts = [*parts[:-2], "+"]
    *mod_names, key = parts if parts else [""]
    mods: set[str] = set()
    for name in mod_names:
        if name.lower() not in NAMES:
            raise UsageError(f"The auto-type shortcut {text!r} has an unknown modifier {name!r}.")
        mods.add(NAMES[name.lower()])
    if not mods & {"ctrl", "alt", "super"}:
        raise UsageError(f"The auto-type shortcut {text!r} needs Ctrl, Alt or Meta with its key.")
    keysym = XK.string_to_keysym(key.lower() if len(key) == 1 else key) if key else 0
    if not keysym and len(key) == 1:
        keysym = ord(key.lower()) if ord(key) < 0x100 else 0x01000000 + ord(key)
    if not keysym:
        raise UsageError(f"The auto-type shortcut {text!r} ends with a key vaultapp does not know.")
    return Shortcut(keysym, frozenset(mods), text)


def _mask(display: Display, keysym: int) -> int:
    """The modifier mask (Mod1…Mod5) a modifier key sets, from the server's modifier map."""
    keycodes = {code for code, _index in display.keysym_to_keycodes(keysym)}
    for index, codes in enumerate(display.get_modifier_mapping()):
        if keycodes & {code for code in codes if code}:
            return 1 << index
    return 0


class Watcher:
    """One X connection that holds the shortcut's grab and follows ``_NET_ACTIVE_WINDOW``.
    ``read()`` handles what arrived: it returns how often the shortcut was pressed, and keeps
    ``previous``, the last active window of another process."""

    def __init__(self, shortcut: Shortcut | None, display_name: str | None = None) -> None:
        self.display = connect(display_name)
        self.root = self.display.screen().root
        self.shortcut = shortcut
        self.active_atom = self.display.intern_atom("_NET_ACTIVE_WINDOW")
        self.grabs: list[tuple[int, int]] = []
        self.previous: int | None = None
        self.root.change_attributes(event_mask=X.PropertyChangeMask)
        self._note_active()
        try:
            if shortcut is not None:
                self._grab(shortcut)
        except UsageError:
            self.close()
            raise

    def fileno(self) -> int:
        return int(self.display.fileno())

    def _grab(self, shortcut: Shortcut) -> None:
        keymap = read_keymap(self.display)
        press = keymap.find(shortcut.keysym)
        if press is None:
            raise UsageError(f"The auto-type shortcut {shortcut.text!r}: this keyboard has no such key.")
        mask = 0
        for name in shortcut.mods:
            mask |= X.ShiftMask if name == "shift" else X.ControlMask if name == "ctrl" else 0
            if name in ("alt", "super"):
                mask |= _mask(self.display, MODIFIER_KEYSYMS[name]) or (
                    X.Mod1Mask if name == "alt" else X.Mod4Mask
                )
        num_lock = _mask(self.display, XK.string_to_keysym("Num_Lock"))
        catch = error.CatchError(error.BadAccess)
        for extra in {0, X.LockMask, num_lock, X.LockMask | num_lock}:
            self.root.grab_key(
                press.keycode, mask | extra, True, X.GrabModeAsync, X.GrabModeAsync, onerror=catch
            )
            self.grabs.append((press.keycode, mask | extra))
        self.display.sync()
        if catch.get_error() is not None:
            self._ungrab()
            raise UsageError(
                f"The auto-type shortcut {shortcut.text} is taken by another program: choose another "
                "in Settings → Auto-type."
            )

    def _ungrab(self) -> None:
        for keycode, mods in self.grabs:
            self.root.ungrab_key(keycode, mods)
        self.grabs.clear()
        self.display.sync()

    def _note_active(self) -> None:
        window = active_window(self.display)
        if window is not None and window_pid(self.display, window) != os.getpid():
            self.previous = window

    def previous_window(self) -> int | None:
        """Where the user was before vaultapp: the last active window of another program while
        it is still open, else the topmost open window of another program (vaultapp may have
        been active since it started)."""
        self.read()
        prop = self.root.get_full_property(
            self.display.intern_atom("_NET_CLIENT_LIST_STACKING"), X.AnyPropertyType
        )
        if prop is None:  # a window manager without the list
            return self.previous
        stacking = [int(window) for window in prop.value]
        if self.previous in stacking:
            return self.previous
        for window in reversed(stacking):  # bottom to top in the list: the topmost first here
            if window_pid(self.display, window) != os.getpid():
                return window
        return None

    def read(self) -> int:
        """Handle every event received so far; the number of shortcut presses among them."""
        presses = 0
        try:
            while self.display.pending_events():
                event = self.display.next_event()
                if event.type == X.KeyPress and self.grabs:
                    presses += 1
                elif event.type == X.PropertyNotify and event.atom == self.active_atom:
                    self._note_active()
        except (error.ConnectionClosedError, OSError) as exc:
            raise AutoTypeUnavailableError(f"The X display went away: {exc}") from exc
        return presses

    def close(self) -> None:
        try:
            if self.grabs:
                self._ungrab()
            self.display.close()
        except (error.ConnectionClosedError, OSError):
            pass
