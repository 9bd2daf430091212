"""Typing through XTEST into another program: a separate Qt process on a private Xvfb (with
openbox) receives exactly the username and password, with characters that need Shift, AltGr,
or are on no key of the layout at all (typed through a borrowed keycode, given back after)."""

from __future__ import annotations

import pytest
from Xlib import XK
from Xlib.display import Display

from tests.autotype.session import Target, set_layout
from vaultapp.autotype import sequence
from vaultapp.autotype.x11 import active_window, connect, read_keymap, type_strokes, wait_until

USERNAME = "Jürgen.Müller@example.com"
PASSWORD = "é ß ü € Ω {|} µ ~ Pass#1"


def strokes(fields: dict[str, str], text: str = sequence.DEFAULT_SEQUENCE) -> list[sequence.Stroke]:
    return sequence.expand(sequence.parse(text), fields.__getitem__)


def mapping(display: Display) -> list[list[int]]:
    """The keysyms of every keycode, without the trailing NoSymbols (the width may change)."""
    rows = read_keymap(display).table
    return [row[: max((i + 1 for i, sym in enumerate(row) if sym), default=0)] for row in rows]


@pytest.mark.parametrize("layout", ["us", "de"])
def test_the_default_sequence_types_username_and_password_into_another_program(
    x_session: str, layout: str
) -> None:
    set_layout(x_session, layout)  # before the target starts: it reads the layout once
    display = connect(x_session)
    before = mapping(display)
    keymap = read_keymap(display)
    assert keymap.find_char("é") is None  # on no key of either layout: a keycode is borrowed
    if layout == "de":  # AltGr (ISO_Level3_Shift) types these there, Shift the capital
        found = {c: keymap.find_char(c) for c in "@€{|P"}
        assert {c: press.mods for c, press in found.items() if press} == {
            "@": {"level3"}, "€": {"level3"}, "{": {"level3"}, "|": {"level3"}, "P": {"shift"}
        }  # fmt: skip
    target = Target(x_session)
    try:
        assert active_window(display) == target.window
        type_strokes(strokes({"username": USERNAME, "password": PASSWORD}), display_name=x_session)
        typed = target.wait_for("submit")
    finally:
        target.close()
    assert (typed["username"], typed["password"]) == (USERNAME, PASSWORD)
    assert mapping(display) == before  # every borrowed keycode was given back
    display.close()


def test_keys_modifiers_repeats_and_literals(target: Target, x_session: str) -> None:
    """{BACKSPACE 2} erases, +x is X, {F16} types nothing visible, {TAB} moves on, {{} and {+}
    are literal."""
    text = "abcd{BACKSPACE 2}+x{F16}{TAB}{{}{+}{}}~"  # F16: no key has it here, one is borrowed
    display = connect(x_session)
    assert read_keymap(display).find(XK.string_to_keysym("F16")) is None
    display.close()
    type_strokes(strokes({}, text), display_name=x_session)
    typed = target.wait_for("submit")
    assert (typed["username"], typed["password"]) == ("abX", "{+}")


def test_typing_follows_the_active_layout_of_several(x_session: str) -> None:
    """us and de as two layouts, the de one active (y and z swap places there, ü is a key):
    what arrives is still exactly what was asked."""
    from Xlib import X
    from Xlib.ext import xtest

    set_layout(x_session, "us,de", "-option", "grp:alt_shift_toggle")
    display = connect(x_session)
    target = Target(x_session)
    try:
        keymap = read_keymap(display)
        codes = [keymap.modifier("shift"), keymap.modifier("alt")]
        for code in codes:
            xtest.fake_input(display, X.KeyPress, code)
        for code in reversed(codes):
            xtest.fake_input(display, X.KeyRelease, code)
        display.sync()
        assert wait_until(lambda: (int(display.screen().root.query_pointer().mask) >> 13) & 3 == 1, 30)
        type_strokes(strokes({"username": "yz-Zürich", "password": "Yz€@"}), display_name=x_session)
        typed = target.wait_for("submit")
    finally:
        target.close()
        display.close()
    assert (typed["username"], typed["password"]) == ("yz-Zürich", "Yz€@")
