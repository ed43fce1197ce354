"""Highlight where a matched query name and a list name differ, for the analyst reading a report."""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from markupsafe import Markup, escape

STRAY = 2  # equal runs this short between two differences are marked with them


def _fold(text: str) -> list[str]:
    """Compare case-insensitively, one element per character so opcodes index the original string."""
    out = []
    for ch in text:
        low = ch.casefold()
        out.append(low if len(low) == 1 else ch)
    return out


def _marked(text: str, spans: list[tuple[bool, int, int]]) -> Markup:
    merged: list[tuple[bool, int, int]] = []
    for differs, start, end in spans:
        if start == end:
            continue
        if merged and merged[-1][0] == differs:  # adjacent spans of one kind become one <mark>
            start = merged.pop()[1]
        merged.append((differs, start, end))
    parts = []
    for differs, start, end in merged:
        piece = escape(text[start:end])
        parts.append(Markup("<mark>{}</mark>").format(piece) if differs else piece)
    return Markup("").join(parts)


def highlight_diff(query: str, listed: str) -> tuple[Markup, Markup]:
    """Both names, escaped, with the characters that the other name lacks wrapped in `<mark>`.

    Case is ignored (an ERP's upper-case "HOSHINE" equals "Hoshine"); spaces and punctuation count."""
    ops = SequenceMatcher(None, _fold(query), _fold(listed), autojunk=False).get_opcodes()
    left: list[tuple[bool, int, int]] = []
    right: list[tuple[bool, int, int]] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        differs = tag != "equal" or _stray(ops, k)
        left.append((differs, i1, i2))
        right.append((differs, j1, j2))
    return _marked(query, left), _marked(listed, right)


def _stray(ops: Sequence[tuple[str, int, int, int, int]], k: int) -> bool:
    """A one- or two-character agreement between two differences ("Ind|u|s|try") reads as noise: mark it too."""
    _, i1, i2, _, _ = ops[k]
    return 0 < k < len(ops) - 1 and i2 - i1 <= STRAY and ops[k - 1][0] != "equal" and ops[k + 1][0] != "equal"
