"""Site password rules in the ``passwordrules`` syntax Apple documents, e.g.
``minlength: 12; maxlength: 16; required: upper; required: digit; allowed: [-!@#]; max-consecutive: 2``.

A rule becomes a set of constraints; passwords are drawn uniformly from every string that meets
them (rejection sampling) and the entropy is the exact count: inclusion-exclusion over the
``required`` sets (which may overlap), and a small dynamic programme when ``max-consecutive``
limits runs of identical characters.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from typing import Final

from vaultapp.core.errors import UsageError
from vaultapp.generators import draw
from vaultapp.generators.entropy import bits, count_with_required_sets
from vaultapp.generators.password import Generated

# Apple's "special" set, without the space (many sites trim or refuse it).
SPECIAL: Final = "-~!@#$%^&*_+=`|(){}[:;\"'<>,.?]"
ASCII_PRINTABLE: Final = "".join(chr(c) for c in range(33, 127))
NAMED: Final = {
    "upper": string.ascii_uppercase,
    "lower": string.ascii_lowercase,
    "digit": string.digits,
    "special": SPECIAL,
    "ascii-printable": ASCII_PRINTABLE,
    "unicode": ASCII_PRINTABLE,  # "any character": generated from printable ASCII
}
DEFAULT_LENGTH: Final = 20


@dataclass(frozen=True, slots=True)
class PasswordRules:
    min_length: int = 0
    max_length: int = 0  # 0: no maximum
    required: tuple[frozenset[str], ...] = ()
    allowed: frozenset[str] = frozenset()
    max_consecutive: int = 0  # 0: no limit

    @property
    def alphabet(self) -> str:
        chars = (
            set(self.allowed).union(*self.required)
            if (self.allowed or self.required)
            else set(ASCII_PRINTABLE)
        )
        return "".join(sorted(chars))

    def length(self, wanted: int = DEFAULT_LENGTH) -> int:
        length = max(wanted, self.min_length, len(self.required), 1)
        if self.max_length:
            length = min(length, self.max_length)
        return length

    def check(self, length: int) -> None:
        if self.max_length and self.min_length > self.max_length:
            raise UsageError(
                f"The rules ask for minlength {self.min_length} above maxlength {self.max_length}."
            )
        if length < len(self.required):
            raise UsageError(
                f"Length {length} is too short for {len(self.required)} required character sets."
            )
        if self.max_consecutive and len(self.alphabet) == 1 and length > self.max_consecutive:
            raise UsageError("With one allowed character, max-consecutive cannot be met at that length.")

    def count(self, length: int) -> int:
        """How many strings of ``length`` meet the rules."""
        if not self.max_consecutive:
            return count_with_required_sets(length, self.alphabet, list(self.required))
        return _count_runs(length, self.alphabet, self.required, self.max_consecutive)

    def accepts(self, password: str) -> bool:
        if any(c not in set(self.alphabet) for c in password):
            return False
        if any(s.isdisjoint(password) for s in self.required):
            return False
        return not (
            self.max_consecutive and any(len(list(g)) > self.max_consecutive for _, g in groupby(password))
        )


def _class_chars(item: str, where: str) -> frozenset[str]:
    item = item.strip()
    if item.startswith("[") and item.endswith("]") and len(item) >= 2:
        chars = frozenset(c for c in item[1:-1] if c.isprintable() and c != " ")
        if not chars:
            raise UsageError(f"The character class {item!r} in {where} is empty.")
        return chars
    name = item.lower()
    if name not in NAMED:
        raise UsageError(
            f"Unknown character class {item!r} in {where}; use upper, lower, digit, special, "
            "ascii-printable, unicode or [characters]."
        )
    return frozenset(NAMED[name])


def _classes(value: str, where: str) -> frozenset[str]:
    # Split on commas outside brackets: "[,.] , upper" holds a custom class with a comma.
    items, depth, current = [], 0, ""
    for c in value:
        if c == "[" and depth == 0:
            depth = 1
        elif c == "]" and depth == 1:
            depth = 0
        if c == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += c
    items.append(current)
    return frozenset().union(*(_class_chars(i, where) for i in items if i.strip()))


def parse_rules(text: str) -> PasswordRules:
    """Parse a ``passwordrules`` text. Unknown properties are ignored, as the syntax says.

    Raises:
        UsageError: a malformed value, with the property named.
    """
    min_length = max_length = max_consecutive = 0
    required: list[frozenset[str]] = []
    allowed: set[str] = set()
    for part in text.split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition(":")
        name = name.strip().lower()
        if not sep:
            raise UsageError(f"Password rule {part.strip()!r} has no ':'; write it as name: value.")
        if name in ("minlength", "maxlength", "max-consecutive"):
            try:
                number = int(value.strip())
            except ValueError:
                raise UsageError(f"{name} needs a whole number, not {value.strip()!r}.") from None
            if not 0 < number <= 1024:
                raise UsageError(f"{name} must be 1 to 1024, not {number}.")
            if name == "minlength":
                min_length = max(min_length, number)
            elif name == "maxlength":
                max_length = min(max_length, number) if max_length else number
            else:
                max_consecutive = min(max_consecutive, number) if max_consecutive else number
        elif name == "required":
            required.append(_classes(value, "required"))
        elif name == "allowed":
            allowed |= _classes(value, "allowed")
    return PasswordRules(min_length, max_length, tuple(required), frozenset(allowed), max_consecutive)


@cache
def _count_runs(length: int, alphabet: str, required: tuple[frozenset[str], ...], limit: int) -> int:
    """Count strings with every required set present and no run of one character over ``limit``.

    The alphabet is split into atoms (characters in the same required sets); the state is
    (sets seen so far, atom of the last character, length of its run)."""
    atoms: dict[int, int] = {}
    for c in alphabet:
        mask = sum(1 << i for i, s in enumerate(required) if c in s)
        atoms[mask] = atoms.get(mask, 0) + 1
    items = list(atoms.items())
    full = (1 << len(required)) - 1
    state: dict[tuple[int, int, int], int] = {}
    for a, (mask, size) in enumerate(items):
        state[(mask, a, 1)] = state.get((mask, a, 1), 0) + size
    for _ in range(length - 1):
        nxt: dict[tuple[int, int, int], int] = {}
        for (seen, a, run), ways in state.items():
            if run < limit:
                key = (seen, a, run + 1)
                nxt[key] = nxt.get(key, 0) + ways
            for b, (mask, size) in enumerate(items):
                choices = size - 1 if b == a else size
                if choices:
                    key = (seen | mask, b, 1)
                    nxt[key] = nxt.get(key, 0) + ways * choices
        state = nxt
    return sum(ways for (seen, _a, _r), ways in state.items() if seen == full)


def generate_with_rules(
    rules: PasswordRules, length: int = DEFAULT_LENGTH, count: int = 1
) -> list[Generated]:
    """Passwords uniform over every string of the chosen length that the rules accept."""
    length = rules.length(length)
    rules.check(length)
    total = rules.count(length)
    if total == 0:
        raise UsageError("No password of that length can meet these rules.")
    entropy = bits(total)
    alphabet = rules.alphabet
    out: list[Generated] = []
    while len(out) < count:
        batch = max(8, (count - len(out)) * 2)
        text = draw.chars(batch * length, alphabet)
        for i in range(0, len(text), length):
            candidate = text[i : i + length]
            if rules.accepts(candidate):
                out.append(Generated(candidate, entropy))
                if len(out) == count:
                    break
    return out
