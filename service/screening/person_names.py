"""Personal names: surname-first Chinese names, "SURNAME, Given" forms, joined or split pinyin.

"CHEN, Quanguo", "Chen Quan Guo", "Quanguo Chen" and 陈全国 all reduce to the syllables
chen+quan+guo; order-free comparison of the joined forms makes them meet.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import permutations
from typing import Final

from rapidfuzz import fuzz

from service.screening.chinese import has_han, person_syllables
from service.screening.normalize import fold, ocr_fix
from service.screening.pinyin_syllables import syllables

FULL = 0.8  # token ratio counted in full
NEAR = 0.7  # token ratio earning partial credit
PARTIAL = 0.7
WEAKEST = 0.4  # how much the weakest part of the shorter name pulls the score down
_TITLES: Final = frozenset({"mr", "mrs", "ms", "dr", "prof", "sir", "gen", "general", "col", "jr", "sr"})


@lru_cache(maxsize=65536)
def person_tokens(name: str) -> tuple[str, ...]:
    """Name parts, surname first when written "SURNAME, Given"; Han names become pinyin syllables."""
    if has_han(name):
        return person_syllables(name)
    if name.count(",") == 1:
        surname, given = name.split(",")
        name = f"{surname} {given}"
    return tuple(ocr_fix(t) for t in fold(name).split() if t not in _TITLES)


def _orderings(tokens: tuple[str, ...]) -> set[str]:
    if len(tokens) > 5:
        return {"".join(tokens), "".join(sorted(tokens))}
    return {"".join(p) for p in permutations(tokens)}


SHORTENED = 0.85  # a given name cut short ("Nic" / "Nicolas", "Muh" / "Muhammad")


def _token_sim(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:  # an initial
        return 0.8 if a[0] == b[0] else 0.0
    if min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)) and syllables(max(a, b, key=len)) is None:
        return SHORTENED  # not "Ming" / "Mingshan": a pinyin given name is written whole
    ratio = fuzz.ratio(a, b) / 100
    if ratio >= FULL:
        return ratio
    return ratio * PARTIAL if ratio >= NEAR else 0.0


def _sims(tokens: tuple[str, ...], others: tuple[str, ...]) -> list[float]:
    return [max(_token_sim(t, o) for o in others) for t in tokens]


def _aligned(ta: tuple[str, ...], tb: tuple[str, ...]) -> float:
    """Length-weighted share of both names' parts found in the other; the longer name's unmatched
    parts count half (middle names and patronymics are often left out)."""
    sa, sb = _sims(ta, tb), _sims(tb, ta)
    longer = len(ta) > len(tb)
    # The weakest part of the shorter name decides a lot: one wrong surname is a different person.
    weakest = min(sa if len(ta) <= len(tb) else sb)
    total = matched = 0.0
    for tokens, sims, is_long in ((ta, sa, longer), (tb, sb, not longer and len(tb) > len(ta))):
        for tok, sim in zip(tokens, sims, strict=True):
            w = len(tok) * (0.5 if is_long and sim == 0.0 else 1.0)
            total += w
            matched += w * sim
    return (matched / total if total else 0.0) * (1 - WEAKEST + WEAKEST * weakest)


def person_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two personal names, order-free and robust to joined given names."""
    ta, tb = person_tokens(a), person_tokens(b)
    if not ta or not tb:
        return 0.0
    compact_b = "".join(tb)
    joined = max(fuzz.ratio(o, compact_b) for o in _orderings(ta)) / 100
    if joined >= 0.95:  # the same letters, split or ordered differently ("Quanguo" / "Quan Guo")
        return joined
    return _aligned(ta, tb)


def shared_parts(a: str, b: str) -> int:
    """How many parts of name `a` resemble a part of name `b` (a company sharing one word with a person)."""
    ta, tb = person_tokens(a), person_tokens(b)
    if not ta or not tb:
        return 0
    return sum(1 for s in _sims(ta, tb) if s >= FULL)


def may_reach(a: str, b: str, floor: float) -> bool:
    """False only when `person_similarity(a, b)` is surely below `floor`: under 0.95 of the letters in common,
    a part of the shorter name that resembles no part of the other caps the score at 1 - WEAKEST."""
    if floor <= 1 - WEAKEST:
        return True
    ta, tb = person_tokens(a), person_tokens(b)
    if not ta or not tb:
        return False
    la, lb = sum(map(len, ta)), sum(map(len, tb))
    if 2 * min(la, lb) >= 0.949 * (la + lb):  # the joined forms may reach 0.95
        return True
    shorter, other = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    return all(any(_token_sim(t, o) for o in other) for t in shorter)


def looks_like_person(name: str) -> bool:
    """'SURNAME, Given' or a short Han name of 2-4 characters."""
    stripped = name.strip()
    if has_han(stripped):
        return 2 <= len(stripped) <= 4 and not stripped.endswith(("司", "厂", "团", "局", "厅", "会", "所"))
    if stripped.count(",") == 1:
        surname, given = (p.strip() for p in stripped.split(","))
        return bool(surname) and bool(given) and len(surname.split()) <= 2 and len(given.split()) <= 3
    return False
