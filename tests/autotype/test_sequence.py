"""KeePass auto-type sequences: what each placeholder becomes, and one clear line for each
mistake (where it is and what to write instead)."""

from __future__ import annotations

import pytest

from vaultapp.autotype.keymap import Keymap, Press, caps_adjusted, keysyms_of
from vaultapp.autotype.sequence import (
    DEFAULT_SEQUENCE,
    Char,
    Field,
    Key,
    KeyDelay,
    Pause,
    SequenceError,
    expand,
    fields_used,
    parse,
)

SHIFT, CTRL, ALT = frozenset({"shift"}), frozenset({"ctrl"}), frozenset({"alt"})


def test_the_default_sequence_is_keepassxcs() -> None:
    assert DEFAULT_SEQUENCE == "{USERNAME}{TAB}{PASSWORD}{ENTER}"
    assert parse(DEFAULT_SEQUENCE) == [Field("username"), Key("Tab"), Field("password"), Key("Return")]


@pytest.mark.parametrize(
    ("text", "actions"),
    [
        ("{TITLE}{URL}{NOTES}{TOTP}", [Field("title"), Field("url"), Field("notes"), Field("totp")]),
        ("{username}{Password}", [Field("username"), Field("password")]),  # any case
        ("{S:PIN}{S:pin code}", [Field("S:PIN"), Field("S:pin code")]),  # custom names kept as typed
        ("{TAB 3}", [Key("Tab")] * 3),
        ("{x 2}{TAB 0}", [Char("x"), Char("x")]),
        ("{DELAY 500}{DELAY=40}", [Pause(500), KeyDelay(40)]),
        ("{SPACE}{BACKSPACE}{BS}{BKSP}", [Key("space")] + [Key("BackSpace")] * 3),
        ("{UP}{DOWN}{LEFT}{RIGHT}{HOME}{END}{PGUP}{PGDN}",
         [Key(n) for n in ("Up", "Down", "Left", "Right", "Home", "End", "Prior", "Next")]),
        ("{INSERT}{DELETE}{DEL}{ESC}", [Key("Insert"), Key("Delete"), Key("Delete"), Key("Escape")]),
        ("{F1}{F12}{F16}", [Key("F1"), Key("F12"), Key("F16")]),
        ("{+}{%}{^}{~}{#}{(}{)}{[}{]}{{}{}}", [Char(c) for c in "+%^~#()[]{}"]),
        ("+a^c%{TAB}", [Char("a", SHIFT), Char("c", CTRL), Key("Tab", ALT)]),
        ("^+{END}", [Key("End", CTRL | SHIFT)]),
        ("+(ab)c", [Char("a", SHIFT), Char("b", SHIFT), Char("c")]),
        ("a~", [Char("a"), Key("Return")]),
        ("{CLEARFIELD}", [Key("Home", CTRL), Key("End", CTRL | SHIFT), Key("BackSpace")]),
        ("é ß€", [Char("é"), Char(" "), Char("ß"), Char("€")]),
        ("", []),
    ],
)  # fmt: skip
def test_placeholders(text: str, actions: list[object]) -> None:
    assert parse(text) == actions


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("{FOO}", 1, "{FOO} is not a placeholder vaultapp knows"),
        ("ab{TAB", 3, "a '{' is never closed; close it with '}' or type a brace as {{}"),
        ("a}", 2, "a '}' closes nothing; type a brace as {}}"),
        ("abc+", 4, "a modifier (+ ^ % #) must be followed by a key; type it as {+}"),
        ("+{USERNAME}", 1, "can hold a key or a character, not a field or a delay"),
        ("x(ab", 2, "a '(' is never closed"),
        ("a)", 2, "a ')' closes nothing; type a bracket as {)}"),
        ("((a))", 2, "groups ( … ) cannot be nested"),
        ("{TAB x}", 1, "the count in {TAB x} must be a number from 0 to 100"),
        ("{TAB 101}", 1, "from 0 to 100"),
        ("{DELAY=x}", 1, "{DELAY=x} needs milliseconds from 0 to 60000"),
        ("{DELAY 60001}", 1, "needs milliseconds"),
        ("{S:}", 1, "{S:} needs a field name"),
        ("{}", 1, "{} is not a placeholder vaultapp knows; type a brace as {{}"),
        ("{PASSWORD 2}", 1, "a field cannot be repeated"),
    ],
)
def test_mistakes_are_one_line_saying_where_and_what_to_do(text: str, where: int, says: str) -> None:
    with pytest.raises(SequenceError) as raised:
        parse(text)
    message = str(raised.value)
    assert message.startswith(f"Auto-type sequence {text!r}, at character {where}: ")
    assert says in message
    assert "\n" not in message
    assert raised.value.exit_code == 2  # a UsageError


def test_fields_are_typed_literally_and_never_parsed() -> None:
    values = {"username": "{TAB}+x", "password": "p~w"}
    strokes = expand(parse(DEFAULT_SEQUENCE), values.__getitem__)
    assert strokes == [*(Char(c) for c in "{TAB}+x"), Key("Tab"), *(Char(c) for c in "p~w"), Key("Return")]
    assert fields_used(parse("{S:PIN}{PASSWORD}x")) == {"S:PIN", "password"}


def test_a_missing_field_stops_the_expansion() -> None:
    def field(name: str) -> str:
        raise SequenceError(f"no {name}")

    with pytest.raises(SequenceError, match="no S:PIN"):
        expand(parse("{S:PIN}"), field)


# ---- the keymap (pure: a made-up table) -------------------------------------------------------

SHIFT_L, LEVEL3 = 0xFFE1, 0xFE03


def keymap() -> Keymap:
    table = [
        [SHIFT_L],  # 8
        [LEVEL3],  # 9
        [ord("e"), ord("E"), 0, 0, 0x20AC],  # 10: e E, AltGr €
        [ord("q"), ord("Q"), 0, 0, ord("@"), 0x1000000 + 0x3A9],  # 11: AltGr @, AltGr+Shift Ω
        [],  # 12: spare
        [0, 0],  # 13: spare
    ]
    return Keymap(8, table, {8, 9})


def test_levels_shift_and_altgr() -> None:
    km = keymap()
    assert km.find_char("e") == Press(10)
    assert km.find_char("E") == Press(10, SHIFT)
    assert km.find_char("€") == Press(10, frozenset({"level3"}))
    assert km.find_char("@") == Press(11, frozenset({"level3"}))
    assert km.find_char("Ω") == Press(11, frozenset({"level3", "shift"}))
    assert km.find_char("é") is None
    assert km.spare() == [12, 13]
    assert (km.modifier("shift"), km.modifier("level3"), km.modifier("ctrl")) == (8, 9, None)


def test_altgr_levels_are_not_used_without_an_altgr_key() -> None:
    km = keymap()
    km.modifier_keycodes.discard(9)
    assert km.find_char("@") is None  # borrowed instead


def test_borrowing_and_caps_lock() -> None:
    km = keymap()
    km.assign(12, keysyms_of("é")[-1])
    assert km.find_char("é") == Press(12)
    assert (keysyms_of("\n"), keysyms_of("é")) == ([0xFF0D], [0xE9, 0x10000E9])
    assert caps_adjusted(Press(10), "e", caps_lock=True) == Press(10, SHIFT)
    assert caps_adjusted(Press(10, SHIFT), "E", caps_lock=True) == Press(10)
    assert caps_adjusted(Press(11, frozenset({"level3"})), "@", caps_lock=True).mods == {"level3"}


def test_the_second_layouts_levels() -> None:
    km = Keymap(8, [[SHIFT_L], [LEVEL3], [ord("y"), ord("Y"), ord("z"), ord("Z")]], {8, 9})
    assert km.find_char("z") is None  # not in the first layout
    assert km.find_char("z", group=1) == Press(10)
    assert km.find_char("Z", group=1) == Press(10, SHIFT)
    assert km.find_char("y", group=1) is None
    assert km.find_char("y", group=2) is None  # a third layout: every key is borrowed
