"""Name cleaning before matching: invisible characters, reversed text, and noise around the name.

Vendor masters put more than the name into the name field: an attention or care-of clause, a department or
contact, an address, the former name, ERP markers (`*BLOCKED*`, `- DO NOT USE`, `(old)`). Each is cut into a
separate "ignored" part that the explanation shows; a former or other name ("formerly X", "f/k/a X", "d/b/a X")
is kept as a further name to match. Bidi controls and zero-width characters are dropped; text under a
right-to-left override is put in the order it is displayed in, so what is matched is what a person reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

_RLO, _PDF, _PDI = "\u202e", "\u202c", "\u2069"
# Bidi embeddings, overrides, isolates and marks; zero-width characters; soft hyphen; BOM.
_INVISIBLE: Final = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u180e]")
_SPACES: Final = re.compile(r"\s+")

# ERP markers: a flag word between asterisks or in brackets anywhere, or after a dash at the end.
_FLAGS: Final = (r"blocked|block|inactive|do\s*not\s*use|don'?t\s*use|dnu|obsolete|closed|deleted|delete|"
                 r"duplicate|dupe?|old|not\s*in\s*use|no\s*longer\s*used|archived?|invalid|suspended|x+")
_MARKERS: Final = (
    re.compile(rf"[*#!]+\s*(?:{_FLAGS})\s*[*#!]+", re.I),
    re.compile(rf"[(\[{{]\s*(?:{_FLAGS})\s*[)\]}}]", re.I),
    re.compile(rf"(?:^|\s)[-–—/|:]+\s*(?:{_FLAGS})\b.*$", re.I),
    re.compile(r"\b(?:do\s*not\s*use|don'?t\s*use|dnu)\b.*$", re.I),
    re.compile(r"^(?:(?:z{2,}|x{2,})[-_.*:\s]+|(?:dnu|old)[-_.*:]+)", re.I),
)
# Another name of the same party, given inside the name field: matched too, never dropped.
_OTHER_NAME: Final = re.compile(
    r"(?:^|(?<=[\s(\[,;]))[(\[,;]?\s*\b(?:formerly(?:\s+known\s+as)?|previously(?:\s+known\s+as)?|f/?k/?a|n/?k/?a|a/?k/?a|d/?b/?a|"
    r"also\s+known\s+as|trading\s+as|t/a|(?:old|former|previous)\s+name)\b\.?\s*:?\s+([^)\]]+)[)\]]?", re.I)
# A clause that starts a contact, care-of, department or address part: everything from it on is noise.
_CLAUSES: Final = re.compile(
    r"(?:^|[\s,;(\[/|-])(?:(?:attn|attention|atten)\b|att(?=\s*[:.])|c/o\b|c\.o\.|(?<=[,;(])\s*care\s+of\b|"
    r"contact(?:\s+person|\s+name)?(?=\s*[:：-])|(?:tel|phone|fax|mobile|email|e-mail)(?=\s*[:.#]|\s*[+(]?\d)|"
    r"p\.?\s?o\.?\s+box\b|(?:ship|bill|remit)\s+to\b).*$",
    re.I)
# A department or an address after the legal form or after a separator.
_LEGAL_END: Final = (r"(?:co\.?,?\s*ltd\.?|company\s+limited|limited|ltd\.?|inc\.?|corp(?:oration)?\.?|"
                     r"llc|gmbh|plc|s\.?a\.?|company|co\.?|group|jsc)")
_DEPARTMENT: Final = (r"(?:(?:purchasing|procurement|accounting|accounts?\s+payable|a/p|receiving)"
                      r"(?:\s+(?:dept\.?|department|division|office|team|section))?|"
                      r"(?:sales|finance|logistics|shipping|export|import|quality|warehouse)"
                      r"\s+(?:dept\.?|department|division|office|team|section)|(?:dept\.?|department)$)")
# An address: a house number, a unit with its number, a named road, or a place followed by a postcode.
_ADDRESS: Final = (r"(?:no\.?\s*\d+|#\s*\d+|\d+[a-z]?(?:-\d+)?\s+\w+|\d+/f|p\.?\s?o\.?\s+box|"
                   r"(?:room|rm\.?|unit|suite|ste\.|floor|flr\.?|bldg\.?|building|block|tower)\s*(?:no\.?\s*)?\d+|"
                   r"[a-z]+\s+(?:road|rd|street|st|avenue|ave|dadao)\b|"
                   r"(?:[a-z]+\s+)+(?:district|county|province|city|zone)\b(?=.*\d)|"
                   r"(?:industrial|economic|development)\s+(?:zone|area)\b(?=.*\d))")
_TAIL: Final = re.compile(
    rf"(?:\b{_LEGAL_END}[\s,;:-]+|\s*[,;|]\s*|\s+[-–—/]\s+)"
    rf"(?P<cut>(?:{_DEPARTMENT}|{_ADDRESS})(?:\b|(?<=\.)).*)$", re.I)
# After a Chinese legal suffix: an address or a department (...有限公司 浙江省嘉兴市..., ...公司采购部).
_HAN_LEGAL: Final = r"(?:有限责任公司|有限責任公司|股份有限公司|有限公司|公司|集团|集團)"
_HAN_TAIL: Final = re.compile(
    rf"{_HAN_LEGAL}\s*[,，;；:：]?\s*(?P<cut>(?:地址|联系|聯繫|联系人|收件|电话|電話|"
    r"[\u4e00-\u9fff]{0,12}?(?:省|市|区|區|县|縣|路|街|号|號|镇|鎮|村|楼|樓|室|大道|园区)|"
    r"[\u4e00-\u9fff]{0,4}(?:采购|採購|财务|財務|销售|銷售|物流|仓库|倉庫)(?:部|科|处|處)?)"
    r"(?![\u4e00-\u9fff]*(?:公司|厂|廠))"
    r".*)$")


@dataclass(frozen=True, slots=True)
class CleanName:
    """A name as it is matched and shown, with what was set aside."""

    text: str  # the name to match and display
    ignored: tuple[str, ...] = ()  # noise cut off, in reading order
    other_names: tuple[str, ...] = ()  # former or trade names given in the field, matched too
    reordered: bool = False  # text under a right-to-left override was put in display order

    @property
    def changed(self) -> bool:
        return bool(self.ignored or self.other_names or self.reordered)


def display_order(text: str) -> tuple[str, bool]:
    """Put each run under a right-to-left override (U+202E ... U+202C or the end) in the order it is shown."""
    if _RLO not in text:
        return text, False
    out: list[str] = []
    rest = text
    while _RLO in rest:
        head, _, tail = rest.partition(_RLO)
        ends = [i for i in (tail.find(_PDF), tail.find(_PDI)) if i >= 0]
        end = min(ends) if ends else len(tail)
        out.extend((head, tail[:end][::-1]))
        rest = tail[end:]
    out.append(rest)
    return "".join(out), True


def _cut(pattern: re.Pattern[str], text: str, ignored: list[str], *, at_start: bool = False) -> str:
    """Cut what `pattern` finds into `ignored`; a find at the very start only when `at_start` (a prefix marker)."""
    found = pattern.search(text)
    if found is None:
        return text
    group = "cut" if "cut" in pattern.groupindex else 0
    start, end = found.span(group)
    if start == 0 and not at_start:
        return text
    ignored.append(found.group(group).strip(" ,;:-–—/|"))
    return (text[:start] + " " + text[end:]).strip()


def _tidy(text: str) -> str:
    return _SPACES.sub(" ", text).strip(" ,;:-–—/|*#，；：、")


@lru_cache(maxsize=16384)
def clean_name(raw: str) -> CleanName:
    """The name without invisible characters, markers and trailing clauses; other names given apart."""
    text, reordered = display_order(raw)
    text = _INVISIBLE.sub("", text)
    ignored: list[str] = []
    for marker in _MARKERS:
        text = _cut(marker, text, ignored, at_start=True)  # a name is never only a marker
    others: list[str] = []
    found = _OTHER_NAME.search(text)
    if found is not None and found.start() > 0:
        other = _tidy(found.group(1))
        if other:
            others.append(other)
        ignored.append(found.group(0).strip(" ,;([)]"))
        text = text[:found.start()] + " " + text[found.end():]
    for pattern in (_CLAUSES, _TAIL, _HAN_TAIL):
        text = _cut(pattern, text, ignored)
    cleaned = _tidy(text)
    if not cleaned:  # nothing but noise: match what was given
        return CleanName(_tidy(_INVISIBLE.sub("", display_order(raw)[0])), (), (), reordered)
    ignored = [i for i in ignored if i]
    return CleanName(cleaned, tuple(ignored), tuple(others), reordered)
