"""The name cell of the DHS UFLPA Entity List: one entity, its aliases and its group wording in prose.

Forms seen on the official page (shared/data/formats/README.md):

    NAME (including one alias: NAME)
    NAME (including three aliases: NAME; NAME; and NAME)
    NAME (formerly known as NAME; and NAME)
    NAME ... and subsidiaries            NAME, and Subsidiaries
    NAME and its subordinate and affiliated entities
    NAME and its subsidiary NAME
    NAME and its eight PLACE-based subsidiaries, which include NAME, NAME, ..., and NAME

Parentheses that are part of a name ("(Shanshan)", "(Group)", "(VSETC)") stay in it: only a
parenthesis that opens with "including", "formerly known as" or "also known as" is prose. A stated
count ("three aliases", "eight ... subsidiaries") must match the names found, else the cell is refused:
a mis-split cell would otherwise load a partial or garbled entity as if it were whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBERS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
# A fragment after a comma that continues the previous name rather than starting a new one.
_LEGAL_TAIL = re.compile(r"^(?:ltd|limited|inc|incorporated|llc|l\.l\.c|co|corp|corporation|company|plc|"
                         r"s\.?a|gmbh|bhd|berhad|sdn\.? bhd|pte\.? ltd)\.?$", re.IGNORECASE)
_ALIASES = re.compile(r"^including\s+(\w+)\s+alias(?:es)?\s*:\s*(.+)$", re.IGNORECASE | re.DOTALL)
_FORMER = re.compile(r"^(?:formerly\s+known\s+as|formerly|f/k/a)\s*:?\s*(.+)$", re.IGNORECASE | re.DOTALL)
_AKA = re.compile(r"^(?:also\s+known\s+as|a\.?k\.?a\.?|a/k/a)\s*:?\s*(.+)$", re.IGNORECASE | re.DOTALL)
_PROSE_SPLIT = re.compile(r";?\s*(?=\b(?:formerly\s+known\s+as|also\s+known\s+as|including\s+\w+\s+alias)\b)",
                          re.IGNORECASE)
# Group wording at the end of the cell, checked on the text with parenthesised parts masked.
_NAMED_SUBS = re.compile(r",?\s+(and\s+its\s+((?:[\w-]+\s+)*?)subsidiaries),?\s+which\s+includes?:?\s+",
                         re.IGNORECASE)
_ONE_SUB = re.compile(r",?\s+and\s+its\s+subsidiary\s+(?=\S)", re.IGNORECASE)
_SCOPE = re.compile(r",?\s+(and\s+(?:its\s+)?(?:subordinate\s+and\s+affiliated\s+entities|subordinates|"
                    r"subsidiaries|affiliates))\s*\.?$", re.IGNORECASE)
_GENERIC_WORDS = re.compile(r"\b(?:And|Its|Subsidiar(?:y|ies)|Subordinates?|Affiliated|Affiliates|Entities)\b")


class CellError(ValueError):
    """The cell does not follow the page's grammar; the message says what is wrong."""


@dataclass(frozen=True)
class NameCell:
    name: str
    aliases: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()
    listing_scope: str = ""
    subsidiaries: tuple[NameCell, ...] = ()


def clean(text: str) -> str:
    """`&nbsp;` and runs of whitespace become single spaces."""
    return " ".join(text.replace("\xa0", " ").split())


def parse_name_cell(text: str) -> NameCell:
    """Split one name cell into the entity, its aliases, former names, group wording and named subsidiaries."""
    text = clean(text)
    if not text:
        raise CellError("empty name")
    masked = _mask(text)
    if match := _NAMED_SUBS.search(masked):
        head = _entity(text[:match.start()])
        subs = tuple(_entity(part) for part in split_names(text[match.end():]))
        count = next((n for n in map(_number, match.group(2).split()) if n is not None), None)
        if count is not None and count != len(subs):
            raise CellError(f"says {count} subsidiaries but names {len(subs)}: {text!r}")
        return _with(head, scope=_scope(text[match.start(1):match.end(1)]), subs=subs)
    if match := _ONE_SUB.search(masked):
        head, sub = _entity(text[:match.start()]), _entity(text[match.end():])
        return _with(head, scope="and its subsidiary", subs=(sub,))
    if match := _SCOPE.search(masked):
        return _with(_entity(text[:match.start()]), scope=_scope(match.group(1)))
    return _entity(text)


def split_names(text: str) -> list[str]:
    """`A; B; and C` or `A Co., Ltd., B Co., Ltd., and C Co., Ltd.` → the names, "and" dropped."""
    text = clean(text).rstrip(";")
    masked = _mask(text)
    sep = ";" if ";" in masked else ","
    parts, start = [], 0
    for i, ch in enumerate(masked):
        if ch == sep:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    names: list[str] = []
    for part in (p.strip() for p in parts):
        if sep == "," and names and _LEGAL_TAIL.match(part):
            names[-1] = f"{names[-1]}, {part}"
        elif part:
            names.append(re.sub(r"^and\s+", "", part, flags=re.IGNORECASE))
    return [n for n in names if n]


def _entity(text: str) -> NameCell:
    """One name with its prose parentheses ("including ... aliases", "formerly known as ...")."""
    aliases: list[str] = []
    former: list[str] = []
    kept, last = [], 0
    for start, end in _groups(text):
        prose = _prose(text[start + 1:end - 1], aliases, former)
        if prose:
            kept.append(text[last:start])
            last = end
    kept.append(text[last:])
    name = clean("".join(kept)).strip(" ,;")
    if not name:
        raise CellError(f"no entity name before the prose: {text!r}")
    if name.count("(") != name.count(")"):
        raise CellError(f"unbalanced parentheses in {text!r}")
    names = [n for n in dict.fromkeys(aliases + former) if n != name]
    return NameCell(name=name, aliases=tuple(names), former_names=tuple(n for n in former if n != name))


def _prose(inner: str, aliases: list[str], former: list[str]) -> bool:
    """Read one parenthesis; False when it is part of the name."""
    pieces = [p.strip() for p in _PROSE_SPLIT.split(clean(inner)) if p.strip()]
    if not pieces or not (_ALIASES.match(pieces[0]) or _FORMER.match(pieces[0]) or _AKA.match(pieces[0])):
        return False
    for piece in pieces:
        if m := _ALIASES.match(piece):
            names = split_names(m.group(2))
            count = _number(m.group(1))
            if count is not None and count != len(names):
                raise CellError(f"says {m.group(1)} alias(es) but lists {len(names)}: ({inner})")
            aliases.extend(names)
        elif m := _FORMER.match(piece):
            former.extend(split_names(m.group(1)))
        elif m := _AKA.match(piece):
            aliases.extend(split_names(m.group(1)))
        else:
            raise CellError(f"unrecognised wording in ({inner})")
    return True


def _groups(text: str) -> list[tuple[int, int]]:
    """(start, end) of every top-level parenthesised group, end exclusive."""
    groups, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, i + 1))
    return groups


def _mask(text: str) -> str:
    """The text with everything inside parentheses replaced by `_` (same length, same offsets)."""
    out, depth = [], 0
    for ch in text:
        if ch == ")" and depth:
            depth -= 1
            out.append(ch)
            continue
        out.append("_" if depth else ch)
        if ch == "(":
            depth += 1
    return "".join(out)


def _number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


def _scope(wording: str) -> str:
    """The group wording as kept in `listing_scope`: "and subsidiaries", "and its eight Zhuhai-based subsidiaries"."""
    wording = clean(wording).strip(" ,.")
    return _GENERIC_WORDS.sub(lambda m: m.group(0).lower(), wording)


def _with(head: NameCell, *, scope: str, subs: tuple[NameCell, ...] = ()) -> NameCell:
    return NameCell(name=head.name, aliases=head.aliases, former_names=head.former_names,
                    listing_scope=scope, subsidiaries=subs)
