"""HS code normalisation and validation against the HS 2022 nomenclature.

`HsNomenclature.normalize()` accepts HS-6 and national 8-10 digit tariff codes written with dots,
spaces or dashes ("8541.43", "8541 43 00 10", "854143") and validates the chapter, the heading and,
when six or more digits are given, the subheading. Decisions:

* a six-digit subheading that HS 2022 does not have, under a heading that exists, is accepted at
  heading level with `subheading_unknown=True` and `hs6=None` (national lines and older HS editions
  produce such codes; the heading still places the goods in a sector);
* US HTS chapters 98 and 99 (special provisions, temporary legislation) are accepted with
  `special=True` and no heading check: they are not HS chapters and map to no sector;
* 3 or 5 digits are rejected: HS codes come in pairs, and an odd length usually means a lost leading zero.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

SPECIAL_CHAPTERS = {"98": "US HTS chapter 98 (special classification provisions; not an HS 2022 chapter)",
                    "99": "US HTS chapter 99 (temporary legislation and modifications; not an HS 2022 chapter)"}
_SEPARATORS = re.compile(r"[\s.\-/]")


class HsCodeError(ValueError):
    """The input is not a usable HS code; `reason` says why in words an analyst can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class HsRow:
    """One row of harmonized-system.csv (HS 2022)."""

    code: str
    description: str
    parent: str
    level: int
    section: str


@dataclass(frozen=True, slots=True)
class HsCode:
    """A validated HS code. `prefix` is the most specific level the nomenclature confirmed."""

    raw: str
    digits: str
    chapter: str
    heading: str | None
    hs6: str | None
    chapter_description: str
    heading_description: str | None = None
    subheading_description: str | None = None
    section: str | None = None
    special: bool = False  # US HTS 98/99
    subheading_unknown: bool = False  # six digits given, not an HS 2022 subheading

    @property
    def prefix(self) -> str:
        return self.hs6 or self.heading or self.chapter

    @property
    def national_suffix(self) -> str:
        """Digits beyond HS-6 (US HTS / China tariff line), unchecked."""
        return self.digits[6:]

    @property
    def descriptions(self) -> tuple[str, ...]:
        return tuple(d for d in (self.chapter_description, self.heading_description,
                                 self.subheading_description) if d)


class HsNomenclature:
    """HS 2022 chapters, headings and subheadings keyed by code."""

    def __init__(self, rows: Iterable[HsRow]) -> None:
        self._rows = {row.code: row for row in rows}

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, code: object) -> bool:
        return code in self._rows

    def description(self, code: str) -> str | None:
        row = self._rows.get(code)
        return row.description if row else None

    def normalize(self, raw: str) -> HsCode:
        """Validate `raw` and return its `HsCode`; raises `HsCodeError` with the reason otherwise."""
        digits = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw or ""))  # NFKC: full-width digits
        if not digits:
            raise HsCodeError("empty HS code")
        if not (digits.isascii() and digits.isdigit()):
            raise HsCodeError(f"HS code {raw!r} contains characters other than digits and separators")
        if not 2 <= len(digits) <= 10:
            raise HsCodeError(f"HS code {raw!r} has {len(digits)} digits; expected 2 to 10")
        if len(digits) in (3, 5):
            raise HsCodeError(f"HS code {raw!r} has {len(digits)} digits; a leading zero may be missing")
        chapter = digits[:2]
        if chapter in SPECIAL_CHAPTERS:
            return HsCode(raw=raw, digits=digits, chapter=chapter, heading=None, hs6=None,
                          chapter_description=SPECIAL_CHAPTERS[chapter], special=True)
        if chapter not in self._rows:
            raise HsCodeError(f"unknown HS chapter {chapter} (not in HS 2022)")
        code = HsCode(raw=raw, digits=digits, chapter=chapter, heading=None, hs6=None,
                      chapter_description=self._rows[chapter].description, section=self._rows[chapter].section)
        if len(digits) < 4:
            return code
        heading = digits[:4]
        if heading not in self._rows:
            raise HsCodeError(f"unknown HS heading {heading} in chapter {chapter} (not in HS 2022)")
        hs6 = digits[:6] if len(digits) >= 6 else None
        known6 = hs6 if hs6 in self._rows else None
        return HsCode(raw=raw, digits=digits, chapter=chapter, heading=heading, hs6=known6,
                      chapter_description=code.chapter_description,
                      heading_description=self._rows[heading].description,
                      subheading_description=self._rows[known6].description if known6 else None,
                      section=code.section, subheading_unknown=hs6 is not None and known6 is None)
