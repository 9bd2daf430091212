"""The global shortcut: its text, the grab on a real X server (a second grab of the same keys
is refused with a message saying what to do), and following the active window."""

from __future__ import annotations

import pytest
from Xlib import XK, X
from Xlib.ext import xtest

from tests.autotype.session import Target
from vaultapp.autotype.hotkey import DEFAULT_SHORTCUT, Watcher, parse_shortcut
from vaultapp.autotype.x11 import connect, read_keymap, wait_until
from vaultapp.core.errors import UsageError


def test_shortcut_texts() -> None:
    assert DEFAULT_SHORTCUT == "Ctrl+Alt+A"
    assert parse_shortcut("Ctrl+Alt+A").keysym == XK.string_to_keysym("a")
    assert parse_shortcut("Ctrl+Alt+A").mods == {"ctrl", "alt"}
    assert parse_shortcut("Meta+Shift+F5").mods == {"super", "shift"}
    assert parse_shortcut("Meta+Shift+F5").keysym == XK.string_to_keysym("F5")
    assert parse_shortcut("Control+Alt++").keysym == ord("+")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("A", "needs Ctrl, Alt or Meta"),
        ("Shift+A", "needs Ctrl, Alt or Meta"),
        ("Hyper+A", "unknown modifier 'Hyper'"),
        ("Ctrl+Alt+NoSuchKey", "ends with a key vaultapp does not know"),
        ("", "needs Ctrl, Alt or Meta"),
    ],
)
def test_bad_shortcuts(text: str, says: str) -> None:
    with pytest.raises(UsageError, match=says.replace("+", r"\+")):
        parse_shortcut(text)


def press(display_name: str, keysyms: list[str]) -> None:
    display = connect(display_name)
    keymap = read_keymap(display)
    codes = []
    for name in keysyms:
        found = keymap.find(XK.string_to_keysym(name))
        assert found is not None
        codes.append(found.keycode)
    for code in codes:
        xtest.fake_input(display, X.KeyPress, code)
    for code in reversed(codes):
        xtest.fake_input(display, X.KeyRelease, code)
    display.sync()
    display.close()


def test_the_grab_sees_the_shortcut_even_with_caps_lock_and_refuses_a_second(x_session: str) -> None:
    shortcut = parse_shortcut("Ctrl+Alt+A")
    first = Watcher(shortcut, x_session)
    try:
        with pytest.raises(UsageError, match="Ctrl\\+Alt\\+A is taken by another program: choose another"):
            Watcher(shortcut, x_session)
        press(x_session, ["Control_L", "Alt_L", "a"])
        counted: list[int] = []
        assert wait_until(lambda: bool(counted.append(first.read()) or sum(counted)), 30)
        press(x_session, ["Caps_Lock"])  # Lock on: the same keys still count
        press(x_session, ["Control_L", "Alt_L", "a"])
        assert wait_until(lambda: bool(counted.append(first.read()) or sum(counted) == 2), 30)
        press(x_session, ["Caps_Lock"])
    finally:
        first.close()
    again = Watcher(shortcut, x_session)  # closing gave the keys back
    again.close()


def test_the_previous_window_is_the_last_active_one_of_another_program(x_session: str) -> None:
    watcher = Watcher(None, x_session)
    try:
        assert watcher.previous is None
        one = Target(x_session, "One")
        assert wait_until(lambda: (watcher.read(), watcher.previous)[1] == one.window, 30)
        two = Target(x_session, "Two")
        assert wait_until(lambda: (watcher.read(), watcher.previous)[1] == two.window, 30)
        one.close()
        two.close()
    finally:
        watcher.close()


def test_the_previous_window_falls_back_to_the_topmost_of_another_program(
    x_session: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """vaultapp active since it started (no earlier window seen): the topmost other window."""
    two = Target(x_session, "Two")
    one = Target(x_session, "One")  # active; it plays vaultapp's own window below
    try:
        monkeypatch.setattr("vaultapp.autotype.hotkey.os.getpid", lambda: one.proc.pid)
        watcher = Watcher(None, x_session)
        try:
            assert watcher.previous is None
            assert watcher.previous_window() == two.window
        finally:
            watcher.close()
    finally:
        one.close()
        two.close()
