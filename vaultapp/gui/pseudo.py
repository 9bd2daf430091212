"""Pseudo-localisation: every string 40% longer and in brackets, to find clipped and untranslated text.

``VAULTAPP_PSEUDO=1 vaultapp`` shows the window this way; tests/gui/test_pseudo_layout.py renders
every view with it and fails on clipped labels and buttons. Qt's places (``%1``, ``%n``), the
``&`` of a mnemonic, HTML tags and entities are kept as they are, so the text still works.
"""

from __future__ import annotations

import math
import re
from typing import Final

from PySide6.QtCore import QObject, QTranslator

GROWTH: Final = 0.4
_KEEP: Final = re.compile(r"<[^>]*>|&[A-Za-z]+;|&#\d+;|%L?\d|%n|&&|&.", re.DOTALL)
_PAD: Final = "ŀőŕéḿ ĩƥšũḿ ďőŀőŕ šĩţ áḿéţ ċőńšéċţéţũŕ "
_DOCUMENT_START: Final = re.compile(
    r"^\s*(?:<!DOCTYPE[^>]*>\s*)?(?:<(?:html|body|qt|p|div|h[1-6])\b[^>]*>\s*)*", re.IGNORECASE
)
_DOCUMENT_END: Final = re.compile(r"(?:\s*</(?:html|body|qt|p|div|h[1-6])>)*\s*$", re.IGNORECASE)


def visible_length(text: str) -> int:
    """How many characters of ``text`` are shown (tags, entities and places count as one or none)."""
    length = 0
    last = 0
    for match in _KEEP.finditer(text):
        length += match.start() - last
        token = match.group(0)
        length += 0 if token.startswith("<") else 1
        last = match.end()
    return length + len(text) - last


def pseudo(text: str) -> str:
    """``text`` bracketed and lengthened by 40% of its visible characters; tags, entities,
    places and mnemonics kept. An empty string stays empty."""
    if not text.strip():
        return text
    count = math.ceil(visible_length(text) * GROWTH)
    padding = (_PAD * (count // len(_PAD) + 1))[:count].rstrip() or "ŀ"
    head = _DOCUMENT_START.match(text)
    tail = _DOCUMENT_END.search(text)
    start = head.end() if head else 0
    end = tail.start() if tail and tail.start() >= start else len(text)
    return f"{text[:start]}[{text[start:end]} {padding}]{text[end:]}"


class PseudoTranslator(QTranslator):
    """Answers every lookup with the pseudo form of the text (of ``base``'s translation, if it has one)."""

    def __init__(self, parent: QObject | None = None, *, base: QTranslator | None = None) -> None:
        super().__init__(parent)
        self._base = base

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False

    def translate(  # type: ignore[override]
        self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        text = source_text
        if self._base is not None:
            text = self._base.translate(context, source_text, disambiguation, n) or source_text
        return pseudo(text)
