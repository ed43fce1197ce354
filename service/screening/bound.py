"""A cheap upper bound of `best_name_score`, so the matcher fully scores only candidates that can reach a band.

A token that resembles no token of the other side (token_sim 0, and no part of a joined match) is *dead*: it
keeps its weight and adds nothing to the matched weight; borrowing only lowers weights. So a form pair scores
at most 1 - (dead weight on both sides) / (both sides' total weight). Below `EXACT` the scorer also applies
its penalty factors; each one whose condition the dead tokens already prove is applied to the bound too
(a sector clash, a place clash, nothing distinctive shared, a sector on one side only).

The candidate side (`CandidateFacts`) is computed once per list entry when the index is built; the query side
(`NameBound`) once per query.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz

from service.screening.normalize import NameForm, spelled
from service.screening.scoring import (
    CONTAINED,
    DESCRIPTOR_ALONE,
    DESCRIPTOR_CLASH,
    EXACT,
    INITIALISM_SCORE,
    MIN_CONTAINED_HAN,
    NEAR_MATCH,
    NOTHING_DISTINCTIVE,
    PLACE_CLASH,
    TOKEN_MATCH,
    FormInfo,
    abbreviates,
    contains,
    core_token,
    describe_form,
    form_info,
    initialism,
    required_tokens,
    token_sim,
)


# Not frozen: built per candidate or per alias pair, and a frozen dataclass's __init__ (object.__setattr__ per
# field) costs twice as much, compiled or not. Nothing changes one after it is made.
@dataclass(slots=True)
class FormFacts:
    # Tuples, not sets: facts are kept for every entry ever shortlisted, and a small tuple is a quarter
    # of a small frozenset's size; set operations accept them as arguments.
    form: NameForm
    weights: tuple[float, ...]
    total: float
    descriptors: tuple[str, ...]
    placed: tuple[str, ...]
    distinctive: tuple[str, ...]


def _facts(form: NameForm, info: FormInfo) -> FormFacts:
    toks = form.tokens
    return FormFacts(form, info.weights, info.total, tuple(toks[i] for i in info.descriptors),
                     tuple(t for t, p in zip(toks, info.placed, strict=True) if p),
                     tuple(t for t, d in zip(toks, info.distinctive, strict=True) if d))


@dataclass(slots=True)
class CandidateFacts:
    """What the bound needs of a list entry's names, computed once per entry (on first use)."""

    forms: tuple[FormFacts, ...]  # forms with tokens
    all_forms: tuple[NameForm, ...]
    tokens: tuple[str, ...]  # distinct
    hans: tuple[str, ...]
    needs: tuple[tuple[tuple[str, ...], NameForm], ...] = ()  # forms a query may contain, with their words


def candidate_facts(forms: Iterable[NameForm]) -> CandidateFacts:
    every = tuple(forms)
    kept = tuple(_facts(f, describe_form(f)) for f in every if f.tokens)
    needs = tuple((need, f) for f in every if (need := required_tokens(f)))
    return CandidateFacts(kept, every, tuple(dict.fromkeys(t for f in kept for t in f.form.tokens)),
                          tuple(f.han for f in every if f.han), needs)


def _joins(forms: Iterable[NameForm]) -> Iterator[tuple[str, tuple[str, ...]]]:
    """2-3 adjacent tokens joined, as `_joined` compares them."""
    for form in forms:
        toks = form.tokens
        for start in range(len(toks) - 1):
            for end in range(start + 2, min(start + 3, len(toks)) + 1):
                yield "".join(map(spelled, toks[start:end])), toks[start:end]


def _close(a: str, b: str) -> bool:
    """token_sim(a, b) may be >= 0.9, the bar of `_joined` (a ratio that high needs similar lengths)."""
    if 2 * min(len(a), len(b)) < 0.89 * (len(a) + len(b)):
        return False
    return a.replace("v", "u") == b.replace("v", "u") or fuzz.ratio(a, b, score_cutoff=89.9) > 0


class NameBound:
    """The query side of the bound, prepared once per query."""

    def __init__(self, query: tuple[NameForm, ...]) -> None:
        self.forms = query
        self.sides = tuple(_facts(f, form_info(f)) for f in query if f.tokens)
        # Sorted: the lists below keep this order, and no step may follow set iteration (PYTHONHASHSEED).
        ordered = sorted({t for f in query for t in f.tokens})
        self.tokens = frozenset(ordered)
        self.hans = frozenset(f.han for f in query if f.han)
        self.joins: dict[str, list[tuple[str, tuple[str, ...]]]] = {}  # the query's joined tokens by first letter
        for joined, parts in _joins(query):
            self.joins.setdefault(joined[0], []).append((joined, parts))
        self.long: dict[str, list[str]] = {}  # tokens of 4+ letters by first letter, to meet joined tokens
        self.three: dict[str, list[str]] = {}
        self.unvoiced: dict[str, list[str]] = {}
        for tok in ordered:
            if len(tok) >= 4:
                self.long.setdefault(tok[0], []).append(tok)
            elif len(tok) == 3:
                self.three.setdefault(tok[0], []).append(tok)
            self.unvoiced.setdefault(tok.replace("v", "u"), []).append(tok)
        self.fuzzy = [t for t in ordered if len(t) >= 4]
        self.cores = {c for c in map(core_token, query) if c}
        # A candidate token -> the query tokens it resembles, and the runs of query tokens it may equal joined.
        self._known: dict[str, tuple[frozenset[str], tuple[tuple[str, ...], ...]]] = {}
        self._close_to: dict[str, tuple[str, ...]] = {}  # joined candidate tokens -> query tokens close to them
        self.acronyms = {t for f in query for t in (*f.initials, *(f.soft if len(f.tokens) >= 3 else ()))}

    def may_reach(self, candidate: CandidateFacts, floor: float) -> bool:
        """False only when `best_name_score(query, candidate forms)` is surely below `floor`."""
        if self.hans and not self.hans.isdisjoint(candidate.hans):
            return True
        if floor <= CONTAINED and self._may_contain(candidate):
            return True
        alive_q = {t for t in candidate.tokens if t in self.tokens}
        dead_c = set()
        known = self._known
        for tok in candidate.tokens:
            facts = known.get(tok)
            if facts is None:
                facts = known[tok] = (self._resembling(tok), self._joined_close(tok))
            if facts[0]:
                alive_q |= facts[0]
            elif tok not in self.tokens:
                dead_c.add(tok)
        dead_q = set(self.tokens - alive_q)
        if not dead_q and not dead_c:
            return True
        self._unjoin(candidate, dead_q, dead_c)
        if self._bound(candidate, dead_q, dead_c) + 1e-9 >= floor:  # float error: the scorer sums differently
            return True
        return floor <= INITIALISM_SCORE and self._initialism(candidate)

    def _may_contain(self, candidate: CandidateFacts) -> bool:
        """`scoring.contains` holds for some form pair (checked only where the words are all there)."""
        if any(self.tokens.issuperset(need) and any(contains(q, f) for q in self.forms) for need, f in candidate.needs):
            return True
        return any(len(h) >= MIN_CONTAINED_HAN and any(h in q for q in self.hans) for h in candidate.hans)

    def _resembling(self, tok: str) -> frozenset[str]:
        """The query tokens t with token_sim(t, tok) > 0, other than tok itself."""
        near: set[str] = set()
        if len(tok) >= 4:
            cutoff = NEAR_MATCH * 100 - 0.01
            near.update(t for t in self.fuzzy if fuzz.ratio(tok, t, score_cutoff=cutoff))
        if len(tok) >= 3:
            near.update(t for t in self.long.get(tok[0], ()) if abbreviates(t, tok) or abbreviates(tok, t))
            near.update(t for t in self.three.get(tok[0], ()) if abbreviates(t, tok) or abbreviates(tok, t))
        near.update(self.unvoiced.get(tok.replace("v", "u"), ()))
        near.discard(tok)
        return frozenset(near)

    def _bound(self, candidate: CandidateFacts, dead_q: set[str], dead_c: set[str]) -> float:
        best = 0.0
        cands = [(c, sum((w for t, w in zip(c.form.tokens, c.weights, strict=True) if t in dead_c), 0.0))
                 for c in candidate.forms]
        for q in self.sides:
            dq = sum((w for t, w in zip(q.form.tokens, q.weights, strict=True) if t in dead_q), 0.0)
            for c, dc in cands:
                raw = 1.0 - (dq + dc) / (q.total + c.total)
                if raw > best:
                    best = max(best, raw if raw >= EXACT else raw * self._factor(q, c, dead_q, dead_c))
        return best

    @staticmethod
    def _factor(q: FormFacts, c: FormFacts, dead_q: set[str], dead_c: set[str]) -> float:
        """The product of the penalty factors of `scoring._factor` that the dead tokens prove for this pair
        (after `_unjoin`, a dead token's final similarity is 0)."""
        factor = 1.0
        if q.descriptors and c.descriptors:
            if all(token_sim(a, b) < TOKEN_MATCH for a in q.descriptors for b in c.descriptors):
                factor *= DESCRIPTOR_CLASH
        elif q.descriptors or c.descriptors:
            side, dead = (q, dead_q) if q.descriptors else (c, dead_c)
            if not dead.isdisjoint(side.form.tokens):
                factor *= DESCRIPTOR_ALONE
        if not dead_q.isdisjoint(q.placed) and not dead_c.isdisjoint(c.placed):
            factor *= PLACE_CLASH
        if dead_q.issuperset(q.distinctive):
            factor *= NOTHING_DISTINCTIVE
        return factor

    def _joined_close(self, tok: str) -> tuple[tuple[str, ...], ...]:
        if len(tok) < 4:
            return ()
        return tuple(parts for joined, parts in self.joins.get(tok[0], ()) if _close(tok, joined))

    def _unjoin(self, candidate: CandidateFacts, dead_q: set[str], dead_c: set[str]) -> None:
        """Revive tokens that equal 2-3 joined tokens of the other side, and those tokens (`_joined`)."""
        known = self._known
        for tok in candidate.tokens:
            for parts in known[tok][1]:
                if tok in dead_c or not dead_q.isdisjoint(parts):
                    dead_c.discard(tok)
                    dead_q.difference_update(parts)
        # A join matters only when its query token or one of its parts is dead: runs are built only where
        # that is possible, so most pruned candidates never build a joined string.
        dead_letters = {t[0] for t in dead_q if len(t) >= 4}
        close_to = self._close_to
        for facts in candidate.forms:
            toks = facts.form.tokens
            size = len(toks)
            if size < 2 or (not dead_letters and dead_c.isdisjoint(toks)):
                continue
            for start in range(size - 1):
                first = spelled(toks[start])[0]
                if first not in self.long:
                    continue
                for end in range(start + 2, min(start + 3, size) + 1):
                    parts = toks[start:end]
                    if first not in dead_letters and dead_c.isdisjoint(parts):
                        continue
                    joined = "".join(map(spelled, parts))
                    close = close_to.get(joined)
                    if close is None:
                        close = close_to[joined] = tuple(t for t in self.long[first] if _close(t, joined))
                    for tok in close:
                        if tok in dead_q or not dead_c.isdisjoint(parts):
                            dead_q.discard(tok)
                            dead_c.difference_update(parts)

    def _initialism(self, candidate: CandidateFacts) -> bool:
        forms = candidate.all_forms
        if self.cores and any(c in cf.initials or (c in cf.soft and len(cf.tokens) >= 3)
                              for cf in forms for c in self.cores):
            return True
        return not self.acronyms.isdisjoint(candidate.tokens) and any(
            initialism(cf, qf) for cf in forms for qf in self.forms)
