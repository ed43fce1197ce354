"""Name similarity of two name forms.

Tokens are weighed by what they say about identity: distinctive tokens (Hoshine, Zhongtai) carry the
score, sector words (Chemical, Textile) count a little but a clash of them is penalised, places and
generic words (Xinjiang, Group, Industry) count little; legal forms are compared apart (matcher.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from rapidfuzz import fuzz, process

from service.screening.chinese import PINYIN_GLOSS, han_forms, has_han
from service.screening.glossary import CITY_TOKENS, COUNTRY_TOKENS, DESCRIPTORS, GENERIC, PLACE_TOKENS
from service.screening.normalize import NameForm, fix_token, latin_form, strip_format, tokens_of

W_DISTINCTIVE: Final = 1.0
W_DESCRIPTOR: Final = 0.5
W_PLACE: Final = 0.2
W_GENERIC: Final = 0.1
DESCRIPTOR_CLASH: Final = 0.75  # factor when both names name a sector and no sector is shared
DESCRIPTOR_ALONE: Final = 0.9  # factor when only one name names a sector ("Zhongtai Securities" / "Zhongtai Group")
NOTHING_DISTINCTIVE: Final = 0.8  # factor when only generic, sector and place words are shared
PLACE_CLASH: Final = 0.7  # factor when both names carry different countries or qualifiers
EXACT: Final = 0.97  # near-identical token sets need no further evidence
INITIALISM_SCORE: Final = 0.82  # an acronym alone is review-worthy, never strong by itself
ABBREVIATION_MATCH: Final = 0.85
TOKEN_MATCH: Final = 0.8  # fuzzy token ratio from which two tokens count as the same word
NEAR_MATCH: Final = 0.7  # a nearer miss earns partial credit (OCR, transliteration)
NEAR_CREDIT: Final = 0.5


@dataclass(frozen=True, slots=True)
class NameScore:
    similarity: float
    method: str
    shared: tuple[str, ...]
    query_form: NameForm
    candidate_form: NameForm


def compute_forms(text: str) -> tuple[NameForm, ...]:
    """Every comparable form of a name: the Latin form, plus translated and pinyin forms of Han text."""
    if not has_han(text):
        return _with_gloss(latin_form(text))
    forms = han_forms(text)
    latin = "".join(ch for ch in strip_format(text) if ch.isascii())
    return (*forms, latin_form(latin)) if latin_form(latin).tokens else forms


name_forms = lru_cache(maxsize=16384)(compute_forms)  # queries repeat; list names are precomputed

# Series numerals tell siblings apart only weakly ("Fund XII" / "Fund XIII").
_NUMERALS: Final = frozenset("ii iii iv vi vii viii ix xii xiii xiv xv xvi xx".split())


def _with_gloss(form: NameForm) -> tuple[NameForm, ...]:
    """A romanised Chinese name ("Zijin Kuangye") also gets its translation ("zijin mining")."""
    if not any(t in PINYIN_GLOSS for t in form.tokens):
        return (form,)
    words = [w for t in form.tokens for w in PINYIN_GLOSS.get(t, t).split() if w != "and"]
    return form, NameForm(tuple(fix_token(w) for w in words), form.legal, form.soft, "glossary_translation",
                          initials=form.initials)


@lru_cache(maxsize=65536)
def token_class_weight(token: str) -> float:
    if token in GENERIC or token in _NUMERALS:
        return W_GENERIC
    if token in PLACE_TOKENS:
        return W_PLACE
    if token in DESCRIPTORS:
        return W_DESCRIPTOR
    english = PINYIN_GLOSS.get(token)
    if english is not None:  # pinyin of a generic word ("xinnengyuan"): weighed like a sector word at most
        return max(W_DESCRIPTOR, min(token_class_weight(fix_token(w)) for w in english.split()))
    return W_DISTINCTIVE


def is_distinctive(token: str) -> bool:
    return token_class_weight(token) == W_DISTINCTIVE


def weight(token: str, soft: frozenset[str]) -> float:
    return W_PLACE if token in soft else token_class_weight(token)


@lru_cache(maxsize=65536)  # bounded: query tokens are new all the time
def token_sim(a: str, b: str) -> float:
    """1 for the same word, the fuzzy ratio for a near spelling of a word of 4+ letters, else 0."""
    if a == b:
        return 1.0
    if a.replace("v", "u") == b.replace("v", "u"):  # pinyin ü typed as v ("Lvye" / "Luye")
        return 0.95
    if min(len(a), len(b)) < 3:
        return 0.0
    if _abbreviates(a, b) or _abbreviates(b, a):
        return ABBREVIATION_MATCH
    if min(len(a), len(b)) < 4:
        return 0.0
    ratio = fuzz.ratio(a, b) / 100
    if ratio >= TOKEN_MATCH:
        return ratio
    return ratio * NEAR_CREDIT if ratio >= NEAR_MATCH else 0.0


def _abbreviates(short: str, word: str) -> bool:
    """`short` abbreviates the generic or sector word `word` ("indl" / "industrial", "prtg" / "printing")."""
    if len(short) >= len(word) or short[0] != word[0] or token_class_weight(word) == W_DISTINCTIVE:
        return False
    rest = iter(word)
    return all(ch in rest for ch in short)


def _joined(tokens: tuple[str, ...], sims: list[float], others: tuple[str, ...], other_sims: list[float]) -> None:
    """Credit a token that equals 2-3 adjacent tokens of the other name ("zhongtai" / "zhong tai")."""
    if len(others) < 2:
        return
    for i, tok in enumerate(tokens):
        if sims[i] >= 0.9 or len(tok) < 4:
            continue
        for start in range(len(others) - 1):
            if others[start][0] != tok[0]:
                continue
            for end in (start + 2, start + 3):
                sim = token_sim(tok, "".join(others[start:end])) if end <= len(others) else 0.0
                if sim >= 0.9:
                    sims[i] = max(sims[i], sim)
                    for j in range(start, end):
                        other_sims[j] = max(other_sims[j], sim)


@lru_cache(maxsize=65536)
def is_descriptor(token: str) -> bool:
    """A sector word, in English or as the pinyin of one ("shuini" = cement)."""
    gloss = PINYIN_GLOSS.get(token)
    return token in DESCRIPTORS or (gloss is not None and any(fix_token(w) in DESCRIPTORS for w in gloss.split()))


@dataclass(frozen=True, slots=True)
class FormInfo:
    """Per-form facts the scorer needs, computed once per form (forms are cached)."""

    weights: tuple[float, ...]
    total: float
    descriptors: tuple[int, ...]  # positions of sector words (not in parentheses)
    placed: tuple[bool, ...]  # token is a country, a city or a parenthesised qualifier
    distinctive: tuple[bool, ...]


@lru_cache(maxsize=32768)  # bounded: each entry keeps query forms alive
def form_info(form: NameForm) -> FormInfo:
    weights = tuple(weight(t, form.soft) for t in form.tokens)
    places = COUNTRY_TOKENS | CITY_TOKENS
    return FormInfo(
        weights=weights, total=sum(weights),
        descriptors=tuple(i for i, t in enumerate(form.tokens) if is_descriptor(t) and t not in form.soft),
        placed=tuple(t in places or t in form.soft for t in form.tokens),
        distinctive=tuple(is_distinctive(t) for t in form.tokens),
    )


def _factor(ia: FormInfo, ib: FormInfo, rows: list[list[float]], sims_a: list[float], sims_b: list[float]) -> float:
    """Penalties for what the shared tokens do not show: a clash of sectors or places, a sector on one
    side only, or nothing distinctive in common."""
    factor = 1.0
    own, theirs = ia.descriptors, ib.descriptors
    if own and theirs and all(rows[i][j] < TOKEN_MATCH for i in own for j in theirs):
        factor *= DESCRIPTOR_CLASH
    elif bool(own) != bool(theirs) and any(s < TOKEN_MATCH for s in (sims_a if own else sims_b)):
        factor *= DESCRIPTOR_ALONE
    if _unmatched(ia.placed, sims_a) and _unmatched(ib.placed, sims_b):
        factor *= PLACE_CLASH
    if not any(d and s >= TOKEN_MATCH for d, s in zip(ia.distinctive, sims_a, strict=True)):
        factor *= NOTHING_DISTINCTIVE
    return factor


def _unmatched(placed: tuple[bool, ...], sims: list[float]) -> bool:
    return any(p and s < TOKEN_MATCH for p, s in zip(placed, sims, strict=True))


def _borrowed(own: tuple[float, ...], other: tuple[float, ...], rows: list[list[float]] | list[tuple[float, ...]]
              ) -> list[float]:
    """A misspelt word weighs what the word it resembles weighs ("Zimc" counts like "Zinc", not like a name)."""
    out = list(own)
    for i, row in enumerate(rows):
        best = max(row)
        if NEAR_MATCH * NEAR_CREDIT <= best < 1.0:  # equal words weigh the same anyway
            out[i] = min(out[i], other[row.index(best)])
    return out


def form_similarity(a: NameForm, b: NameForm) -> tuple[float, tuple[str, ...]]:
    """Weighted soft token-set similarity of two forms, and the tokens they share."""
    if not a.tokens or not b.tokens:
        return 0.0, ()
    if a.tokens == b.tokens:
        return 1.0, a.tokens
    rows = [[token_sim(t, u) for u in b.tokens] for t in a.tokens]
    sims_a = [max(row) for row in rows]
    sims_b = [max(col) for col in zip(*rows, strict=True)]
    if min(sims_a) < 0.9 or min(sims_b) < 0.9:
        _joined(a.tokens, sims_a, b.tokens, sims_b)
        _joined(b.tokens, sims_b, a.tokens, sims_a)
    ia, ib = form_info(a), form_info(b)
    wa, wb = _borrowed(ia.weights, ib.weights, rows), _borrowed(ib.weights, ia.weights, list(zip(*rows, strict=True)))
    matched = sum(w * s for w, s in zip(wa, sims_a, strict=True)) + sum(w * s for w, s in zip(wb, sims_b, strict=True))
    sim = matched / (sum(wa) + sum(wb))
    if sim < EXACT:
        sim *= _factor(ia, ib, rows, sims_a, sims_b)
    shared = tuple(t for t, s in zip(a.tokens, sims_a, strict=True) if s >= TOKEN_MATCH)
    return sim, shared


def _core(form: NameForm) -> str | None:
    """A name's only token of 3+ letters besides places, generic words and numbers: a possible acronym."""
    core = [t for t in form.tokens if t not in PLACE_TOKENS and t not in GENERIC and not t.isdigit()]
    return core[0] if len(core) == 1 and len(core[0]) >= 3 else None


def _initialism(a: NameForm, b: NameForm) -> bool:
    """`a` is an acronym of the long name `b` (XPCC), or the acronym `b` gives in parentheses."""
    core = _core(a)
    return core is not None and (core in b.initials or (core in b.soft and len(b.tokens) >= 3))


def best_name_score(query: Iterable[NameForm], candidate: Iterable[NameForm]) -> NameScore | None:
    best: NameScore | None = None
    cand = tuple(candidate)
    for qf in query:
        for cf in cand:
            if qf.han and cf.han and qf.han != cf.han and qf.method != cf.method:
                continue  # two Chinese names: translation meets translation, pinyin meets pinyin
            score = _pair_score(qf, cf)
            if best is None or score.similarity > best.similarity:
                best = score
                if score.similarity >= 1.0:
                    return best
    return best


def _pair_score(qf: NameForm, cf: NameForm) -> NameScore:
    if qf.han and qf.han == cf.han:
        return NameScore(1.0, "han", qf.tokens, qf, cf)
    sim, shared = form_similarity(qf, cf)
    method = qf.method if qf.method != "token_set" else cf.method
    if sim < INITIALISM_SCORE and (_initialism(qf, cf) or _initialism(cf, qf)):
        return NameScore(INITIALISM_SCORE, "initialism", shared, qf, cf)
    return NameScore(sim, method, shared, qf, cf)


@lru_cache(maxsize=16384)
def place_tokens(text: str) -> frozenset[str]:
    """Tokens of an address that can name a place (generic address words dropped)."""
    words = tokens_of(text) if not has_han(text) else [t for f in han_forms(text) for t in f.tokens]
    return frozenset(t for t in words if t not in GENERIC and not t.isdigit() and len(t) > 2)




# A cheap upper bound of `best_name_score`, so the matcher fully scores only candidates that can reach a band.
# A token that resembles no token of the other side (token_sim 0, and no part of a joined match) keeps its own
# weight and adds nothing to the matched weight; borrowing only lowers weights and every penalty factor is <= 1.
# So a form pair scores at most 1 - (weight of such tokens on both sides) / (both sides' total weight).


def _form_weights(form: NameForm) -> tuple[tuple[str, float], ...]:
    return tuple((t, W_PLACE if t in form.soft else token_class_weight(t)) for t in form.tokens)


def _joins(forms: Iterable[NameForm]) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """2-3 adjacent tokens of each form joined, by first letter, as `_joined` compares them."""
    out: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for form in forms:
        toks = form.tokens
        for start in range(len(toks) - 1):
            for end in range(start + 2, min(start + 3, len(toks)) + 1):
                out.setdefault(toks[start][0], []).append(("".join(toks[start:end]), toks[start:end]))
    return out


def _close(a: str, b: str) -> bool:
    """token_sim(a, b) may be >= 0.9, the bar of `_joined` (a ratio that high needs similar lengths)."""
    if 2 * min(len(a), len(b)) < 0.89 * (len(a) + len(b)):
        return False
    return a.replace("v", "u") == b.replace("v", "u") or fuzz.ratio(a, b, score_cutoff=89.9) > 0


class NameBound:
    """The query side of the bound, prepared once per query."""

    def __init__(self, query: tuple[NameForm, ...]) -> None:
        self.forms = query
        self.tokens = {t for f in query for t in f.tokens}
        self.hans = {f.han for f in query if f.han}
        self.weights = [(ws, sum(w for _, w in ws)) for ws in (_form_weights(f) for f in query if f.tokens)]
        self.joins = _joins(query)
        self.long: dict[str, list[str]] = {}  # tokens of 4+ letters by first letter, to meet joined tokens
        for tok in self.tokens:
            if len(tok) >= 4:
                self.long.setdefault(tok[0], []).append(tok)
        self.three: dict[str, list[str]] = {}
        self.unvoiced: dict[str, list[str]] = {}
        for tok in self.tokens:
            if len(tok) == 3:
                self.three.setdefault(tok[0], []).append(tok)
            self.unvoiced.setdefault(tok.replace("v", "u"), []).append(tok)
        self.fuzzy = [t for t in self.tokens if len(t) >= 4]
        self.cores = {c for c in map(_core, query) if c}
        self._near: dict[str, frozenset[str]] = {}  # a candidate token -> the query tokens it resembles
        self.acronyms = {t for f in query for t in (*f.initials, *(f.soft if len(f.tokens) >= 3 else ()))}

    def may_reach(self, candidate: tuple[NameForm, ...], floor: float) -> bool:
        """False only when `best_name_score(query, candidate)` is surely below `floor`."""
        if self.hans and any(cf.han in self.hans for cf in candidate):
            return True
        forms = [f for f in candidate if f.tokens]
        cv = {t for f in forms for t in f.tokens}
        alive_q = self.tokens & cv
        dead_c = set()
        for tok in cv:
            near = self._near.get(tok)
            if near is None:
                near = self._near[tok] = self._resembling(tok)
            if near:
                alive_q |= near
            elif tok not in self.tokens:
                dead_c.add(tok)
        dead_q = self.tokens - alive_q
        if (dead_q or dead_c) and self._bound(forms, dead_q, dead_c) < floor:
            self._unjoin(forms, cv, dead_q, dead_c)
            if self._bound(forms, dead_q, dead_c) < floor:
                return floor <= INITIALISM_SCORE and self._initialism(candidate, cv)
        return True

    def _resembling(self, tok: str) -> frozenset[str]:
        """The query tokens t with token_sim(t, tok) > 0, other than tok itself."""
        near = {t for t, _, _ in process.extract(tok, self.fuzzy, scorer=fuzz.ratio, limit=None,
                                                  score_cutoff=NEAR_MATCH * 100 - 0.01)} if len(tok) >= 4 else set()
        if len(tok) >= 3:
            near.update(t for t in self.long.get(tok[0], ()) if _abbreviates(t, tok) or _abbreviates(tok, t))
            near.update(t for t in self.three.get(tok[0], ()) if _abbreviates(t, tok) or _abbreviates(tok, t))
        near.update(self.unvoiced.get(tok.replace("v", "u"), ()))
        near.discard(tok)
        return frozenset(near)

    def _bound(self, forms: list[NameForm], dead_q: set[str], dead_c: set[str]) -> float:
        sides = []
        for weights, total in self.weights:
            dead = 0.0
            for tok, w in weights:
                if tok in dead_q:
                    dead += w
            sides.append((dead, total))
        best = 0.0
        for form in forms:
            dead = total = 0.0
            for tok in form.tokens:
                w = W_PLACE if tok in form.soft else token_class_weight(tok)
                total += w
                if tok in dead_c:
                    dead += w
            for dq, tq in sides:
                best = max(best, 1.0 - (dq + dead) / (tq + total))
        return best

    def _unjoin(self, candidate: list[NameForm], cv: set[str], dead_q: set[str], dead_c: set[str]) -> None:
        """Revive tokens that equal 2-3 joined tokens of the other side, and those tokens (`_joined`)."""
        for tok in cv:
            for joined, parts in self.joins.get(tok[0], ()) if len(tok) >= 4 else ():
                if (tok in dead_c or not dead_q.isdisjoint(parts)) and _close(tok, joined):
                    dead_c.discard(tok)
                    dead_q.difference_update(parts)
        for form in candidate:
            toks = form.tokens
            for start in range(len(toks) - 1):
                for tok in self.long.get(toks[start][0], ()):
                    for end in range(start + 2, min(start + 3, len(toks)) + 1):
                        parts = toks[start:end]
                        if (tok in dead_q or not dead_c.isdisjoint(parts)) and _close(tok, "".join(parts)):
                            dead_q.discard(tok)
                            dead_c.difference_update(parts)

    def _initialism(self, candidate: tuple[NameForm, ...], cv: set[str]) -> bool:
        if self.cores and any(c in cf.initials or (c in cf.soft and len(cf.tokens) >= 3)
                              for cf in candidate for c in self.cores):
            return True
        return not self.acronyms.isdisjoint(cv) and any(
            _initialism(cf, qf) for cf in candidate for qf in self.forms)
