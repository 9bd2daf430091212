"""KeePass auto-type sequences: parsing ``{USERNAME}{TAB}{PASSWORD}{ENTER}`` into actions, and
expanding an entry's fields into the strokes a typer sends. Pure: no X11, no Qt, no vault.

The syntax is KeePass's (and KeePassXC's) common subset:

- plain characters are typed as they are;
- ``+`` Shift, ``^`` Ctrl, ``%`` Alt, ``#`` Super modify the next key, character or
  ``( … )`` group; ``~`` is Enter;
- fields: ``{USERNAME}`` ``{PASSWORD}`` ``{TITLE}`` ``{URL}`` ``{NOTES}`` ``{TOTP}`` and
  ``{S:name}`` (a custom field), typed literally (their text is never read as a sequence);
- keys: ``{TAB}`` ``{ENTER}`` ``{SPACE}`` ``{BACKSPACE}`` (``{BS}``, ``{BKSP}``) ``{UP}``
  ``{DOWN}`` ``{LEFT}`` ``{RIGHT}`` ``{HOME}`` ``{END}`` ``{PGUP}`` ``{PGDN}`` ``{INSERT}``
  ``{DELETE}`` ``{ESC}`` ``{F1}``…``{F16}`` and a few more (``KEYS``); ``{CLEARFIELD}``
  (Ctrl+Home, Ctrl+Shift+End, Backspace);
- a count repeats a key or character: ``{TAB 3}``, ``{x 5}`` (at most ``MAX_REPEAT``);
- ``{DELAY 500}`` waits 500 ms; ``{DELAY=50}`` sets the pause between keys from there on;
- the literals ``{+}`` ``{^}`` ``{%}`` ``{#}`` ``{~}`` ``{(}`` ``{)}`` ``{[}`` ``{]}`` ``{{}``
  ``{}}``.

Anything else is a ``SequenceError`` whose one line says where and what to write instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from vaultapp.core.errors import UsageError

DEFAULT_SEQUENCE: Final = "{USERNAME}{TAB}{PASSWORD}{ENTER}"  # KeePassXC's
MAX_REPEAT: Final = 100
MAX_DELAY_MS: Final = 60_000
MODIFIERS: Final = {"+": "shift", "^": "ctrl", "%": "alt", "#": "super"}
FIELDS: Final = ("USERNAME", "PASSWORD", "TITLE", "URL", "NOTES", "TOTP")
LITERALS: Final = frozenset("+^%#~()[]{}")

# Placeholder -> X keysym name (the names are X11's; the typer turns them into keysyms).
KEYS: Final[dict[str, str]] = {
    "TAB": "Tab", "ENTER": "Return", "SPACE": "space", "BACKSPACE": "BackSpace",
    "BS": "BackSpace", "BKSP": "BackSpace", "UP": "Up", "DOWN": "Down", "LEFT": "Left",
    "RIGHT": "Right", "HOME": "Home", "END": "End", "PGUP": "Prior", "PGDN": "Next",
    "INSERT": "Insert", "INS": "Insert", "DELETE": "Delete", "DEL": "Delete", "ESC": "Escape",
    "ESCAPE": "Escape", "CAPSLOCK": "Caps_Lock", "NUMLOCK": "Num_Lock",
    "SCROLLLOCK": "Scroll_Lock", "PRTSC": "Print", "BREAK": "Break", "HELP": "Help",
    "WIN": "Super_L", "LWIN": "Super_L", "RWIN": "Super_R", "APPS": "Menu",
    "ADD": "KP_Add", "SUBTRACT": "KP_Subtract", "MULTIPLY": "KP_Multiply", "DIVIDE": "KP_Divide",
    **{f"F{n}": f"F{n}" for n in range(1, 17)},
    **{f"NUMPAD{n}": f"KP_{n}" for n in range(10)},
}  # fmt: skip


class SequenceError(UsageError):
    """An auto-type sequence that cannot be typed: bad syntax, or a field the entry lacks."""


@dataclass(frozen=True, slots=True)
class Key:
    """A named key (an X keysym name such as ``Tab``) with modifiers held."""

    name: str
    mods: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Char:
    """One character to type (with modifiers held, as in ``^a``)."""

    char: str
    mods: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Field:
    """A field of the entry: ``username`` … ``totp``, or ``S:name`` for a custom field."""

    name: str


@dataclass(frozen=True, slots=True)
class Pause:
    """Wait this many milliseconds (``{DELAY n}``)."""

    ms: int


@dataclass(frozen=True, slots=True)
class KeyDelay:
    """From here on, wait this many milliseconds between keys (``{DELAY=n}``)."""

    ms: int


Action = Key | Char | Field | Pause | KeyDelay
Stroke = Key | Char | Pause | KeyDelay


def _fail(sequence: str, where: int, what: str) -> SequenceError:
    return SequenceError(f"Auto-type sequence {sequence!r}, at character {where + 1}: {what}")


def parse(sequence: str) -> list[Action]:
    """The actions of ``sequence``, or ``SequenceError`` naming the first mistake."""
    return _parse(sequence, 0, inside_group=False)[0]


def _parse(sequence: str, start: int, *, inside_group: bool) -> tuple[list[Action], int]:
    actions: list[Action] = []
    mods: set[str] = set()
    mods_at = start
    i = start
    while i < len(sequence):
        c = sequence[i]
        if c in MODIFIERS:
            if not mods:
                mods_at = i
            mods.add(MODIFIERS[c])
            i += 1
            continue
        produced: list[Action]
        if c == "~":
            produced, i = [Key("Return")], i + 1
        elif c == "(":
            if inside_group:
                raise _fail(sequence, i, "groups ( … ) cannot be nested; type a bracket as {(}.")
            opened = i
            produced, i = _parse(sequence, i + 1, inside_group=True)
            if i >= len(sequence) or sequence[i] != ")":
                raise _fail(sequence, opened, "a '(' is never closed; close it with ')' or type it as {(}.")
            i += 1
        elif c == ")":
            if inside_group:
                if mods:
                    raise _fail(sequence, mods_at, "a modifier (+ ^ % #) must be followed by a key.")
                return actions, i
            raise _fail(sequence, i, "a ')' closes nothing; type a bracket as {)}.")
        elif c == "{":
            produced, i = _placeholder(sequence, i)
        elif c == "}":
            raise _fail(sequence, i, "a '}' closes nothing; type a brace as {}}.")
        else:
            produced, i = [Char(c)], i + 1
        if mods:
            produced = [_with_mods(sequence, mods_at, action, frozenset(mods)) for action in produced]
            mods.clear()
        actions.extend(produced)
    if mods:
        raise _fail(sequence, mods_at, "a modifier (+ ^ % #) must be followed by a key; type it as {+}.")
    return actions, i


def _with_mods(sequence: str, where: int, action: Action, mods: frozenset[str]) -> Action:
    if isinstance(action, Key):
        return Key(action.name, action.mods | mods)
    if isinstance(action, Char):
        return Char(action.char, action.mods | mods)
    raise _fail(
        sequence, where, "a modifier (+ ^ % #) can hold a key or a character, not a field or a delay."
    )


def _placeholder(sequence: str, start: int) -> tuple[list[Action], int]:
    """``{…}`` at ``start``: its actions and the index after its closing brace."""
    if sequence.startswith("{{}", start):
        return [Char("{")], start + 3
    if sequence.startswith("{}}", start):
        return [Char("}")], start + 3
    close = sequence.find("}", start + 1)
    if close < 0:
        raise _fail(sequence, start, "a '{' is never closed; close it with '}' or type a brace as {{}.")
    body = sequence[start + 1 : close]
    end = close + 1
    upper = body.upper()
    if upper.startswith("S:"):
        if not body[2:]:
            raise _fail(sequence, start, "{S:} needs a field name, as in {S:PIN}.")
        return [Field("S:" + body[2:])], end
    if upper.startswith("DELAY=") or upper.startswith("DELAY "):
        text = body[6:].strip()
        if not text.isascii() or not text.isdigit() or int(text) > MAX_DELAY_MS:
            raise _fail(sequence, start, f"{{{body}}} needs milliseconds from 0 to {MAX_DELAY_MS}.")
        ms = int(text)
        return [KeyDelay(ms) if upper[5] == "=" else Pause(ms)], end
    if upper == "CLEARFIELD":  # select from the start to the end of the field, then delete
        ctrl = frozenset({"ctrl"})
        return [Key("Home", ctrl), Key("End", ctrl | {"shift"}), Key("BackSpace")], end
    name, count = body, 1
    if " " in body.strip():
        name, _, number = body.strip().rpartition(" ")
        if not number.isascii() or not number.isdigit() or int(number) > MAX_REPEAT:
            raise _fail(sequence, start, f"the count in {{{body}}} must be a number from 0 to {MAX_REPEAT}.")
        count = int(number)
    one = _single(sequence, start, name)
    if count != 1 and isinstance(one, Field):
        raise _fail(sequence, start, f"a field cannot be repeated ({{{body}}}); write it {count} times.")
    return [one] * count, end


def _single(sequence: str, start: int, name: str) -> Action:
    upper = name.upper()
    if upper in FIELDS:
        return Field(upper.lower())
    if upper in KEYS:
        return Key(KEYS[upper])
    if len(name) == 1:  # {+}, {(}, {a}
        return Char(name)
    hint = "; type a brace as {{}" if not name else ""
    raise _fail(sequence, start, f"{{{name}}} is not a placeholder vaultapp knows{hint}.")


def expand(actions: list[Action], field: Callable[[str], str]) -> list[Stroke]:
    """The strokes to send: each field replaced by its characters (from ``field(name)``, which
    raises ``SequenceError`` for a field the entry lacks)."""
    strokes: list[Stroke] = []
    for action in actions:
        if isinstance(action, Field):
            strokes.extend(Char(c) for c in field(action.name))
        else:
            strokes.append(action)
    return strokes


def fields_used(actions: list[Action]) -> set[str]:
    """The field names a sequence types (``password``, ``S:PIN``…)."""
    return {action.name for action in actions if isinstance(action, Field)}
