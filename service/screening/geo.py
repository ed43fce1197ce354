"""Xinjiang (XUAR) place detection in free-text addresses and origin fields.

`Gazetteer.find()` looks for the names in `fixtures/geo/xinjiang_places.csv` (Chinese, pinyin,
English/Uyghur-derived variants, XPCC names, CN-XJ/CN-65) and the former names in
`xinjiang_historical_changes.csv`. A name only counts when its context allows (`MatchPolicy`,
built from `false_positive_notes.md`):

* distinctive names (Urumqi, Korla, 新疆, 乌鲁木齐市 ...) fire alone;
* shared names (Aksu, Altay, Khorgos, Kashi, 和田 ...) need China context (country CN, China/PRC/中国,
  a 83xxxx/84xxxx postcode, a +86 99x phone) without another country named, or another Xinjiang hit;
* local names (pinyin stems that recur in China, short words such as Bay/Ili/Usu, generic Chinese
  words such as 白杨/新星/双河, XPCC division numbers such as 一师) need another Xinjiang hit.

A name directly followed by a street word (路, Road, Lu ...) is a street elsewhere and never counts;
one followed by a product word (瓜, melon, jade, 餐厅 ...) is a product name. "Xinjiang cotton"/新疆棉
is different: it comes back as a region-level hit with `via="product_claim"` (a claim about the goods'
origin, to review, not an address). Only the most specific hits are returned; `parents()` gives the chain.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from service.screening.geo_text import (
    ascii_fold,
    cn_stem,
    compact_key,
    fold_latin,
    latin_words,
    pinyin_stem,
    to_simplified,
)

Level = Literal["region", "prefecture", "county", "xpcc_city", "xpcc_division"]
Via = Literal["chinese", "pinyin", "variant", "historical", "code", "product_claim"]
Strength = Literal["distinctive", "shared", "local"]

_LEVEL_RANK: dict[str, int] = {"region": 0, "xpcc_division": 1, "prefecture": 1, "xpcc_city": 2, "county": 2}
_STRENGTH_RANK: dict[str, int] = {"distinctive": 0, "shared": 1, "local": 2}

_DIVISION_NUMBER = re.compile(r"^第?[一二三四五六七八九十]+师$")

_CHINA = re.compile(r"\b(?:China|PRC|P\.\s?R\.\s?C\b\.?|CHN)\b|中国|中华人民共和国", re.IGNORECASE)
_CN_TOKEN = re.compile(r"(?<![A-Za-z])CN(?![A-Za-z\-])")
_XJ_POSTCODE = re.compile(r"(?<!\d)8[34]\d{4}(?!\d)")
_XJ_PHONE = re.compile(r"(?:\+|\b00)\s*86[\s\-()]*0?9\d{2}")
_FOREIGN = re.compile(r"\b(?:Kazakhstan|Qazaqstan|Kyrgyzstan|Kyrgyz Republic|Russia|Russian Federation|Turkey|"
                      r"T[uü]rkiye|Mongolia|Tajikistan|Uzbekistan|Turkmenistan|Pakistan|Afghanistan|India|Bhutan|"
                      r"Brazil|Chile|Philippines)\b", re.IGNORECASE)
# Notes section 5: bare "Xinjiang" next to Shanxi/Yuncheng/新绛 is Xinjiang County (新绛县), not XUAR.
# Another province named in the address: a non-distinctive name ("Gucheng", an old name of Qitai, is
# also a county of Hebei and Hubei) then needs a second Xinjiang place before it counts.
_OTHER_PROVINCE = re.compile(
    r"\b(?:Beijing|Tianjin|Hebei|Shanxi|Inner Mongolia|Nei Mongol|Liaoning|Jilin|Heilongjiang|Shanghai|Jiangsu|"
    r"Zhejiang|Anhui|Fujian|Jiangxi|Shandong|Henan|Hubei|Hunan|Guangdong|Guangxi|Hainan|Chongqing|Sichuan|"
    r"Guizhou|Yunnan|Tibet|Xizang|Shaanxi|Gansu|Qinghai|Ningxia|Hong Kong|Macau|Macao|Taiwan)\b|"
    r"北京|天津|河北|山西|内蒙古|辽宁|吉林|黑龙江|上海|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|广西|海南|重庆|"
    r"四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|香港|澳门|台湾", re.IGNORECASE)
_SHANXI = re.compile(r"\b(?:Shanxi|Yuncheng)\b|新绛|运城|山西", re.IGNORECASE)
_XINJIANG_COUNTY = re.compile(r"[\s\-]*(?:county|xian)\b", re.IGNORECASE)
_LATIN_STREET = re.compile(r"[\s\-.]*(?:(?:north|south|east|west|middle|central|zhong|bei|nan|dong|xi|[nsew])\.?\s+)?"
                           r"(?:road|rd|street|str|st|lu|jie|dajie|dadao|avenue|ave|lane|ln|boulevard|blvd)\b\.?",
                           re.IGNORECASE)
_CN_STREET = re.compile(r"[东西南北中]?(?:[一二三四五六七八九十]+段)?(?:路(?!桥)|街|大道|大街|巷|弄|胡同)")
_LATIN_PRODUCT = re.compile(r"[\s\-]*(?:melons?|pears?|jade|restaurants?|cuisine|style|noodles|raisins?|"
                            r"apples?|grapes?)\b", re.IGNORECASE)
_CN_PRODUCT = re.compile(r"(?:瓜|香梨|梨|[白青碧黄墨糖]?玉|菜(?!籽)|餐厅|餐馆|饭店|饭馆|风味|大盘鸡|葡萄干)")
_LATIN_CLAIM = re.compile(r"[\s\-]*(?:long[\s\-]staple\s+)?cotton\b", re.IGNORECASE)
_CN_CLAIM = re.compile(r"(?:长绒|产)?棉")


@dataclass(frozen=True, slots=True)
class Place:
    """One row of xinjiang_places.csv."""

    code: str | None  # GB/T 2260; None for XPCC divisions and the Corps
    chinese_name: str
    level: Level
    parent_code: str | None
    pinyin: str
    variants: tuple[str, ...]
    source: str

    @property
    def name(self) -> str:
        """English display name: the first Latin variant, else the pinyin."""
        return next((v for v in self.variants if v.isascii() and not v.startswith("CN-")), self.pinyin)


@dataclass(frozen=True, slots=True)
class HistoricalChange:
    """One row of xinjiang_historical_changes.csv."""

    year: int
    change_type: str
    old_code: str | None
    old_name: str | None
    new_code: str | None
    new_name: str | None
    source: str


@dataclass(frozen=True, slots=True)
class MatchPolicy:
    """Which names fire alone and which need context (fixtures/geo/match_policy.json)."""

    distinctive_words: frozenset[str]
    weak_keys: frozenset[str]
    unique_pinyin: frozenset[str]
    cn_needs_xinjiang: frozenset[str]
    cn_needs_china: frozenset[str]
    cn_short_distinctive: frozenset[str]
    cn_blocked_tails: Mapping[str, tuple[str, ...]]
    historical_variants: frozenset[str]


@dataclass(frozen=True, slots=True)
class PlaceHit:
    """A Xinjiang place found in a text; `start`/`end` index the original text."""

    code: str | None
    chinese_name: str
    name: str
    level: Level
    matched_text: str
    start: int
    end: int
    via: Via
    source: str


@dataclass(frozen=True, slots=True)
class _Alias:
    place: Place
    via: Via
    strength: Strength
    latin: bool
    source: str
    bare_xinjiang: bool = False
    paired: Place | None = None  # "第八师石河子市": the division and its city (师市合一) in one name


@dataclass(frozen=True, slots=True)
class _Candidate:
    alias: _Alias
    start: int
    end: int


class Gazetteer:
    """Xinjiang places, their former names and an index of every spelling, with a context-aware `find`."""

    def __init__(self, places: Iterable[Place], changes: Iterable[HistoricalChange], policy: MatchPolicy) -> None:
        self.places = tuple(places)
        self.changes = tuple(changes)
        self.policy = policy
        self._by_code = {p.code: p for p in self.places if p.code}
        self._latin: dict[str, _Alias] = {}
        self._script: dict[str, _Alias] = {}
        for place in self.places:
            for form, via in self._forms(place):
                self._add(form, place, via, place.source)
        self._add_historical()
        self._latin_max = max(map(len, self._latin), default=0)
        self._script_lengths = sorted({len(k) for k in self._script}, reverse=True)

    @property
    def alias_count(self) -> int:
        return len(self._latin) + len(self._script)

    def place(self, code: str) -> Place | None:
        return self._by_code.get(code)

    def parents(self, code: str) -> tuple[Place, ...]:
        """The chain above a code, nearest first (county -> prefecture -> region)."""
        chain: list[Place] = []
        current = self._by_code.get(code)
        while current and current.parent_code and current.parent_code in self._by_code:
            current = self._by_code[current.parent_code]
            chain.append(current)
        return tuple(chain)

    def mentions_xinjiang(self, text: str, country: str | None = None) -> bool:
        """True when `find` returns anything, product claims included."""
        return bool(self.find(text, country=country))

    def find(self, text: str, *, country: str | None = None) -> list[PlaceHit]:
        """Most specific Xinjiang places in `text`, in text order; see the module docstring for the rules."""
        if not text or not text.strip():
            return []
        simplified = to_simplified(text)
        kept: list[_Candidate] = []
        claims: list[PlaceHit] = []
        for cand in self._select(self._candidates(text, simplified)):
            source = text if cand.alias.latin else simplified
            verdict = self._guard(cand, source[cand.start : cand.end], source[cand.end : cand.end + 30])
            if verdict == "claim":
                claims.append(self._hit(cand, text, "product_claim", self._by_code["650000"]))
            elif verdict == "keep":
                kept.append(cand)
        accepted = self._accept(kept, text, country)
        return sorted(self._most_specific(accepted, text) + claims[:1], key=lambda h: h.start)

    # -- index ---------------------------------------------------------------------------------
    def _forms(self, place: Place) -> Iterator[tuple[str, Via]]:
        yield place.chinese_name, "chinese"
        if place.level != "xpcc_division":
            yield cn_stem(place.chinese_name), "chinese"
        yield place.pinyin, "pinyin"
        yield pinyin_stem(place.pinyin), "pinyin"
        for variant in place.variants:
            if fold_latin(variant) in self.policy.historical_variants:
                yield variant, "historical"
            else:
                yield variant, "code" if variant.startswith("CN-") else "variant"

    def _add(self, form: str, place: Place, via: Via, source: str) -> None:
        latin = fold_latin(form).isascii()
        key = compact_key(form) if latin else to_simplified(form)
        if not key or (not latin and len(key) < 2):
            return
        strength = self._latin_strength(form, key, place) if latin else self._script_strength(key)
        if via == "code":
            strength = "distinctive"
        paired = self._paired_city(place, key)
        if paired is not None:
            strength = "distinctive"
        alias = _Alias(place, via, strength, latin, source, latin and key == "xinjiang", paired)
        index = self._latin if latin else self._script
        old = index.get(key)
        if old is not None:  # same spelling twice: the higher-level place, the stricter context
            top = min((old, alias), key=lambda a: _LEVEL_RANK[a.place.level])
            strictest = max(old.strength, alias.strength, key=_STRENGTH_RANK.__getitem__)
            alias = _Alias(top.place, top.via, strictest, latin, top.source, top.bare_xinjiang, top.paired)
        index[key] = alias

    def _paired_city(self, place: Place, key: str) -> Place | None:
        if place.level != "xpcc_division" or not key.startswith(place.chinese_name):
            return None
        rest = key[len(place.chinese_name) :]
        return next((p for p in self.places if p.level == "xpcc_city" and p.chinese_name == rest), None)

    def _latin_strength(self, form: str, key: str, place: Place) -> Strength:
        words, policy = latin_words(form), self.policy
        stem = compact_key(pinyin_stem(place.pinyin).split()[0])
        if key in policy.weak_keys:
            return "local"
        if key in policy.distinctive_words or any(w in policy.distinctive_words for w in words):
            return "distinctive"
        if "division" in words or "corps" in words:
            return "local"  # "First Division" etc. are generic without XPCC (notes section 4)
        if len(words) >= 3:
            return "distinctive"
        if words[0] == stem or key == stem or key == compact_key(place.pinyin):
            return "shared" if stem in policy.unique_pinyin else "local"
        return "shared"

    def _script_strength(self, key: str) -> Strength:
        policy = self.policy
        if key in policy.cn_needs_xinjiang or _DIVISION_NUMBER.match(key):
            return "local"
        if key in policy.cn_needs_china:
            return "shared"
        if len(key) == 2 and key not in policy.cn_short_distinctive:
            return "local"
        return "distinctive"

    def _add_historical(self) -> None:
        current = {to_simplified(p.chinese_name) for p in self.places}
        for change in self.changes:
            for name in (change.old_name, change.new_name):
                if not name or len(name) < 3 or to_simplified(name) in current:
                    continue
                successor = self._successor(change)
                source = f"{change.source} ({change.year} {change.change_type}: {change.old_name} -> {change.new_name})"
                for form in {name, cn_stem(name)}:
                    if to_simplified(form) not in self._script:
                        self._add(form, successor, "historical", source)

    def _successor(self, change: HistoricalChange) -> Place:
        code = change.new_code if change.new_code and change.new_code.startswith("65") else change.old_code
        for _ in range(10):
            if not code or code in self._by_code:
                break
            later = [c.new_code for c in self.changes if c.old_code == code and c.new_code not in (None, code)]
            nxt = next((c for c in later if c and c.startswith("65")), None)
            if nxt is None:
                break
            code = nxt
        if code and code not in self._by_code:
            code = code[:4] + "00"  # no coded successor: the prefecture that held it
        return self._by_code.get(code or "", self._by_code["650000"])

    # -- matching ------------------------------------------------------------------------------
    def _candidates(self, text: str, simplified: str) -> Iterator[_Candidate]:
        compact, positions, starts, ends = ascii_fold(text)
        for s in starts:
            lo, hi = bisect_right(ends, s), bisect_right(ends, s + self._latin_max)
            for e in ends[lo:hi]:
                alias = self._latin.get(compact[s:e])
                if alias is not None:
                    yield _Candidate(alias, positions[s], positions[e - 1] + 1)
        for i, ch in enumerate(simplified):
            if ch.isascii():
                continue
            for length in self._script_lengths:
                alias = self._script.get(simplified[i : i + length])
                if alias is not None:
                    yield _Candidate(alias, i, i + length)
                    break

    @staticmethod
    def _select(candidates: Iterable[_Candidate]) -> list[_Candidate]:
        """Leftmost-longest, non-overlapping."""
        chosen: list[_Candidate] = []
        for cand in sorted(candidates, key=lambda c: (c.start, c.start - c.end)):
            if not chosen or cand.start >= chosen[-1].end:
                chosen.append(cand)
        return chosen

    def _guard(self, cand: _Candidate, matched: str, tail: str) -> Literal["keep", "drop", "claim"]:
        alias = cand.alias
        street, product, claim = (_LATIN_STREET, _LATIN_PRODUCT, _LATIN_CLAIM) if alias.latin else (
            _CN_STREET, _CN_PRODUCT, _CN_CLAIM)
        if claim.match(tail) and alias.place.level == "region":
            return "claim"
        if street.match(tail) or product.match(tail):
            return "drop"
        if alias.bare_xinjiang and _XINJIANG_COUNTY.match(tail):
            return "drop"
        for name, tails in self.policy.cn_blocked_tails.items():
            if not alias.latin and matched.endswith(name) and tail.startswith(tails):
                return "drop"
        return "keep"

    def _accept(self, cands: list[_Candidate], text: str, country: str | None) -> list[_Candidate]:
        shanxi = bool(_SHANXI.search(text))
        elsewhere = bool(_OTHER_PROVINCE.search(to_simplified(text)))
        strength = {id(c): "local" if (shanxi and c.alias.bare_xinjiang) or (elsewhere and c.alias.strength == "shared")
                    else c.alias.strength for c in cands}
        phone_or_post = bool(_XJ_POSTCODE.search(text) or _XJ_PHONE.search(text))
        china = (country or "").upper() == "CN" or bool(_CHINA.search(text) or _CN_TOKEN.search(text)) or phone_or_post
        china = china and not _FOREIGN.search(text)
        accepted = [c for c in cands if strength[id(c)] == "distinctive"]
        accepted += [c for c in cands if strength[id(c)] == "shared" and (china or accepted)]
        if accepted or (china and phone_or_post):
            accepted += [c for c in cands if strength[id(c)] == "local"]
        return accepted

    def _most_specific(self, cands: list[_Candidate], text: str) -> list[PlaceHit]:
        # A name accepted only through context ("Tianshan" in "Xinjiang Tianshan Wool") may be a brand,
        # so it does not hide the broader place that gave it context.
        covered = {p.code for c in cands if c.alias.place.code and c.alias.strength != "local"
                   for p in self.parents(c.alias.place.code)}
        divisions = any(c.alias.place.level == "xpcc_division" and c.alias.place.parent_code is None for c in cands)
        hits: dict[tuple[str | None, str], PlaceHit] = {}
        for cand in sorted(cands, key=lambda c: c.start):
            place = cand.alias.place
            corps = place.level == "xpcc_division" and place.parent_code is not None
            if place.code in covered or (corps and divisions):  # a numbered division implies the Corps
                continue
            hits.setdefault((place.code, place.chinese_name), self._hit(cand, text, cand.alias.via, place))
            city = cand.alias.paired
            if city is not None and city.code not in covered:
                hits.setdefault((city.code, city.chinese_name), self._hit(cand, text, cand.alias.via, city))
        return list(hits.values())

    @staticmethod
    def _hit(cand: _Candidate, text: str, via: Via, place: Place) -> PlaceHit:
        return PlaceHit(code=place.code, chinese_name=place.chinese_name, name=place.name, level=place.level,
                        matched_text=text[cand.start : cand.end], start=cand.start, end=cand.end, via=via,
                        source=cand.alias.source if via != "product_claim" else f"{place.source}; product-origin "
                        "claim per false_positive_notes.md section 2")
