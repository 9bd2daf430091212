"""Typing into another program on X11: XTEST key events through python-xlib (no xdotool), the
keyboard mapping they need (``keymap.py``), and the windows: which one is active, its title and
process, activating it. No Qt.

Every wait here is for a condition with a deadline (a window becoming active, the user letting
go of the shortcut's modifiers); the pauses between keys are the typing speed KeePassXC uses.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import Final

from Xlib import XK, X, Xatom, error
from Xlib.display import Display
from Xlib.ext import xtest
from Xlib.protocol import event as xevent

from vaultapp.autotype.keymap import NO_SYMBOL, Keymap, Press, caps_adjusted, keysyms_of
from vaultapp.autotype.sequence import Char, Key, KeyDelay, Pause, SequenceError, Stroke
from vaultapp.core.errors import VaultError

KEY_DELAY_MS: Final = 25  # KeePassXC's default pause between keys
WAIT_SECONDS: Final = 2.0  # for a window to become active, for modifiers to be let go
POLL_SECONDS: Final = 0.01


class AutoTypeUnavailableError(VaultError):
    """No X display to type into (no DISPLAY, a Wayland session, no XTEST)."""


def session_problem(environ: dict[str, str] | None = None) -> str | None:
    """Why auto-type cannot work in this session, or None on X11."""
    env = dict(os.environ) if environ is None else environ
    if env.get("XDG_SESSION_TYPE", "").lower() == "wayland" or (
        env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY")
    ):
        return "Auto-type is not available on this session (Wayland); it works in an X11 session."
    if not env.get("DISPLAY"):
        return "Auto-type is not available on this session: there is no X display."
    return None


def connect(name: str | None = None) -> Display:
    """A connection to the X server (``$DISPLAY`` by default) that has XTEST."""
    try:
        display = Display(name)
    except (error.DisplayError, error.ConnectionClosedError, OSError) as exc:
        raise AutoTypeUnavailableError(f"Auto-type cannot reach the X display: {exc}") from exc
    if not display.has_extension("XTEST"):
        display.close()
        raise AutoTypeUnavailableError("Auto-type needs the X server's XTEST extension, which is off here.")
    return display


def read_keymap(display: Display) -> Keymap:
    first = display.display.info.min_keycode
    count = display.display.info.max_keycode - first + 1
    table = [list(syms) for syms in display.get_keyboard_mapping(first, count)]
    held = {code for codes in display.get_modifier_mapping() for code in codes if code}
    return Keymap(first, table, held)


# ---- windows -----------------------------------------------------------------------------------


def _atom(display: Display, name: str) -> int:
    return int(display.intern_atom(name))


def active_window(display: Display) -> int | None:
    """The window manager's active window (``_NET_ACTIVE_WINDOW``), or None."""
    prop = display.screen().root.get_full_property(_atom(display, "_NET_ACTIVE_WINDOW"), X.AnyPropertyType)
    if prop is None or not len(prop.value) or not prop.value[0]:
        return None
    return int(prop.value[0])


def window_title(display: Display, window: int) -> str:
    """``_NET_WM_NAME`` (UTF-8), else ``WM_NAME``; "" for a window gone meanwhile."""
    try:
        win = display.create_resource_object("window", window)
        prop = win.get_full_property(_atom(display, "_NET_WM_NAME"), _atom(display, "UTF8_STRING"))
        if prop is None or not prop.value:
            prop = win.get_full_property(Xatom.WM_NAME, X.AnyPropertyType)
    except error.XError:
        return ""
    if prop is None:
        return ""
    value = prop.value
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def window_pid(display: Display, window: int) -> int | None:
    try:
        win = display.create_resource_object("window", window)
        prop = win.get_full_property(_atom(display, "_NET_WM_PID"), Xatom.CARDINAL)
    except error.XError:
        return None
    return int(prop.value[0]) if prop is not None and len(prop.value) else None


def wait_until(check: Callable[[], bool], seconds: float = WAIT_SECONDS) -> bool:
    """Poll ``check`` until it holds or ``seconds`` pass; whether it held."""
    deadline = time.monotonic() + seconds
    while True:
        if check():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)


def activate(display: Display, window: int) -> None:
    """Ask the window manager to activate ``window`` and wait until it is the active one."""
    root = display.screen().root
    message = xevent.ClientMessage(
        window=display.create_resource_object("window", window),
        client_type=_atom(display, "_NET_ACTIVE_WINDOW"),
        data=(32, [2, X.CurrentTime, 0, 0, 0]),  # 2: asked for by a pager-like tool
    )
    root.send_event(message, event_mask=X.SubstructureRedirectMask | X.SubstructureNotifyMask)
    display.sync()
    if not wait_until(lambda: active_window(display) == window):
        raise AutoTypeUnavailableError("The window to type into could not be brought to the front.")


# ---- typing ------------------------------------------------------------------------------------


class Typer:
    """Sends strokes as XTEST key events to whatever window has the keyboard focus."""

    def __init__(self, display: Display, key_delay_ms: int = KEY_DELAY_MS) -> None:
        self.display = display
        self.key_delay = key_delay_ms / 1000
        self.keymap = read_keymap(display)
        self.borrowed: dict[int, int] = {}  # spare keycode -> keysym mapped there for now
        self.free = self.keymap.spare()
        self.group = 0  # the layout active when the typing starts

    def type(self, strokes: Iterable[Stroke]) -> None:
        """Type every stroke, then give back every borrowed keycode, even after an error."""
        strokes = list(strokes)
        self.group = self._state()[1]
        self._plan_borrowing(strokes)
        self.release_modifiers()
        try:
            for stroke in strokes:
                if isinstance(stroke, Pause):
                    self.display.sync()
                    time.sleep(stroke.ms / 1000)
                elif isinstance(stroke, KeyDelay):
                    self.key_delay = stroke.ms / 1000
                else:
                    self._press(self._resolve(stroke))
                    time.sleep(self.key_delay)
        finally:
            self._give_back()

    def _state(self) -> tuple[bool, int]:
        """Caps Lock, and the active layout (XKB's group, bits 13-14 of the core state)."""
        mask = int(self.display.screen().root.query_pointer().mask)
        return bool(mask & X.LockMask), (mask >> 13) & 3

    def _resolve(self, stroke: Key | Char) -> Press:
        if isinstance(stroke, Key):
            keysym = XK.string_to_keysym(stroke.name)
            if not keysym:
                raise SequenceError(f"Auto-type: X11 has no key named {stroke.name}.")
            key = self.keymap.find(keysym, self.group) or self._borrow(keysym)  # F13-F16 are often missing
            return Press(key.keycode, key.mods | stroke.mods)
        caps_lock, _group = self._state()
        found = self.keymap.find_char(stroke.char, self.group)
        if found is None:  # borrowed in _plan_borrowing; a missing one is mapped now
            found = self._borrow(keysyms_of(stroke.char)[-1])
        found = caps_adjusted(found, stroke.char, caps_lock)
        return Press(found.keycode, found.mods | stroke.mods)

    def _plan_borrowing(self, strokes: list[Stroke]) -> None:
        """Map every character the keyboard lacks before the first key, in one request, so the
        target's keymap is fresh long before the last key."""
        missing: list[int] = []
        for stroke in strokes:
            if isinstance(stroke, Char) and self.keymap.find_char(stroke.char, self.group) is None:
                keysym = keysyms_of(stroke.char)[-1]
                if keysym not in missing:
                    missing.append(keysym)
        for keysym in missing[: len(self.free)]:
            self._borrow(keysym, flush=False)
        self._write(self.borrowed)

    def _borrow(self, keysym: int, *, flush: bool = True) -> Press:
        if not self.free:  # every spare keycode is in use: reuse the first one borrowed
            oldest = next(iter(self.borrowed))
            del self.borrowed[oldest]
            self.free.append(oldest)
            time.sleep(self.key_delay)
        if not self.free:
            raise SequenceError("Auto-type: this keyboard mapping has no free key to type with.")
        keycode = self.free.pop(0)
        self.borrowed[keycode] = keysym
        self.keymap.assign(keycode, keysym)
        if flush:
            self._write([keycode])
        return Press(keycode)

    def _write(self, keycodes: Iterable[int]) -> None:
        """Send the mapping of ``keycodes`` (spare ones only: a real key is never rewritten)."""
        for keycode in keycodes:
            row = self.keymap.keysyms(keycode)
            self.display.change_keyboard_mapping(keycode, [row])
        self.display.sync()

    def _give_back(self) -> None:
        if not self.borrowed:
            return
        self.display.sync()
        time.sleep(max(self.key_delay, 0.1))  # the target reads the mapping after the last key
        for keycode in self.borrowed:
            self.keymap.table[keycode - self.keymap.first] = [NO_SYMBOL] * len(self.keymap.keysyms(keycode))
        self._write(self.borrowed)
        self.free.extend(self.borrowed)
        self.borrowed.clear()

    def _press(self, press: Press) -> None:
        mods = []
        for name in ("ctrl", "alt", "super", "shift", "level3"):
            if name in press.mods:
                keycode = self.keymap.modifier(name)
                if keycode is None:
                    raise SequenceError(f"Auto-type: this keyboard has no {name} key to hold.")
                mods.append(keycode)
        for keycode in mods:
            xtest.fake_input(self.display, X.KeyPress, keycode)
        xtest.fake_input(self.display, X.KeyPress, press.keycode)
        xtest.fake_input(self.display, X.KeyRelease, press.keycode)
        for keycode in reversed(mods):
            xtest.fake_input(self.display, X.KeyRelease, keycode)
        self.display.sync()

    def release_modifiers(self) -> None:
        """Wait for the user to let go of the shortcut's modifiers; after ``WAIT_SECONDS``,
        release them for the user (as xdotool's ``--clearmodifiers``)."""

        def held() -> list[int]:
            bits = self.display.query_keymap()
            return [code for code in self.keymap.modifier_keycodes if bits[code // 8] & (1 << (code % 8))]

        if not wait_until(lambda: not held()):
            for keycode in held():
                xtest.fake_input(self.display, X.KeyRelease, keycode)
            self.display.sync()


def type_strokes(strokes: list[Stroke], *, window: int | None = None, display_name: str | None = None,
                 key_delay_ms: int = KEY_DELAY_MS) -> None:  # fmt: skip
    """Activate ``window`` (if given) and type ``strokes`` into the focused window."""
    display = connect(display_name)
    try:
        if window is not None and active_window(display) != window:
            activate(display, window)
        Typer(display, key_delay_ms).type(strokes)
    finally:
        display.close()
