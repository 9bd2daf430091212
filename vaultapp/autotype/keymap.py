"""Which key and which modifiers type a character, read from an X keyboard mapping (the core
protocol's table of keysyms per keycode). Pure: the table comes from ``x11.py``.

A keycode's keysyms are listed by level: index 0 plain, 1 with Shift, 2 and 3 the second layout
(group), 4 with AltGr (ISO_Level3_Shift), 5 with AltGr and Shift. A character found at
none of them is typed by mapping it, for the time of the typing, on a keycode that has no
keysym at all ("spare"), as xdotool does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

NO_SYMBOL: Final = 0
ISO_LEVEL3_SHIFT: Final = 0xFE03
UNICODE_OFFSET: Final = 0x01000000  # the keysym of any Unicode character: 0x01000000 + code point
MODIFIER_KEYSYMS: Final = {
    "shift": 0xFFE1,  # Shift_L
    "ctrl": 0xFFE3,  # Control_L
    "alt": 0xFFE9,  # Alt_L
    "super": 0xFFEB,  # Super_L
    "level3": ISO_LEVEL3_SHIFT,  # AltGr
}
SPECIAL: Final = {"\n": 0xFF0D, "\r": 0xFF0D, "\t": 0xFF09, "\b": 0xFF08}  # Return, Tab, BackSpace
# Keysyms outside Latin-1 that layouts use for characters users type often (legacy names; any
# other character is found or mapped under its Unicode keysym).
LEGACY: Final = {"€": 0x20AC, "™": 0x0AC9, "–": 0x0AAA, "—": 0x0AA9, "…": 0x0AAE,  # noqa: RUF001
                 "„": 0x0AFE, "“": 0x0AD2, "”": 0x0AD3, "‘": 0x0AD0, "’": 0x0AD1,  # noqa: RUF001
                 "•": 0x0AE6, "Œ": 0x13BC, "œ": 0x13BD}  # fmt: skip
LEVELS: Final = {0: frozenset(), 1: frozenset({"shift"}), 4: frozenset({"level3"}),
                 5: frozenset({"level3", "shift"})}  # fmt: skip
SECOND_GROUP: Final = {2: frozenset(), 3: frozenset({"shift"})}  # the core table's 2nd layout


def keysyms_of(char: str) -> list[int]:
    """The keysyms that stand for ``char``, the legacy one first."""
    if char in SPECIAL:
        return [SPECIAL[char]]
    point = ord(char)
    found: list[int] = []
    if 0x20 <= point <= 0x7E or 0xA0 <= point <= 0xFF:
        found.append(point)
    if char in LEGACY:
        found.append(LEGACY[char])
    found.append(UNICODE_OFFSET + point)
    return found


@dataclass(frozen=True, slots=True)
class Press:
    """Hold ``mods`` (names of ``MODIFIER_KEYSYMS``), press and release ``keycode``."""

    keycode: int
    mods: frozenset[str] = frozenset()


@dataclass
class Keymap:
    """A snapshot of the server's mapping: ``table[k]`` are the keysyms of keycode
    ``first + k``; ``modifier_keycodes`` the keycodes the modifier map lists."""

    first: int
    table: list[list[int]]
    modifier_keycodes: set[int] = field(default_factory=set)

    def keysyms(self, keycode: int) -> list[int]:
        return self.table[keycode - self.first]

    def find(self, keysym: int, group: int = 0) -> Press | None:
        """The plainest way to type ``keysym`` with this mapping while layout ``group`` (0 the
        first) is active, or None. The core table has the second layout's two plain levels only;
        in a third or fourth layout every key is borrowed (a borrowed key has one layout, which
        XKB uses in every group)."""
        has_level3 = self.modifier("level3") is not None
        levels = LEVELS if group == 0 else SECOND_GROUP if group == 1 else {}
        for level, mods in levels.items():
            if "level3" in mods and not has_level3:
                continue
            for index, syms in enumerate(self.table):
                if len(syms) > level and syms[level] == keysym:
                    return Press(self.first + index, mods)
        return None

    def find_char(self, char: str, group: int = 0) -> Press | None:
        for keysym in keysyms_of(char):
            found = self.find(keysym, group)
            if found is not None:
                return found
        return None

    def modifier(self, name: str) -> int | None:
        """The keycode of the modifier ``name`` (shift, ctrl, alt, super, level3) that the
        modifier map knows, or None."""
        keysym = MODIFIER_KEYSYMS[name]
        for index, syms in enumerate(self.table):
            keycode = self.first + index
            if syms and syms[0] == keysym and keycode in self.modifier_keycodes:
                return keycode
        return None

    def spare(self) -> list[int]:
        """Keycodes with no keysym and no modifier role: free to borrow while typing."""
        return [
            self.first + index
            for index, syms in enumerate(self.table)
            if not any(syms) and self.first + index not in self.modifier_keycodes
        ]

    def assign(self, keycode: int, keysym: int) -> None:
        """Record that ``keycode`` now types ``keysym`` at its first two levels."""
        width = max(2, len(self.table[keycode - self.first]))
        self.table[keycode - self.first] = [keysym, keysym] + [NO_SYMBOL] * (width - 2)


def caps_adjusted(press: Press, char: str, caps_lock: bool) -> Press:
    """With Caps Lock on, a letter's case flips: flip Shift to type ``char`` as asked."""
    if not caps_lock or char.lower() == char.upper():
        return press
    return Press(press.keycode, press.mods ^ {"shift"})
