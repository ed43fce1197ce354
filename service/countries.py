"""Country values as people write them → ISO 3166-1 alpha-2: the one normalisation at the edge.

Every country that enters flrisk (API bodies, batch rows, `flrisk check` files, decisions, monitored
suppliers) goes through `to_alpha2` or `lookup`, so the screening domain only ever sees alpha-2 codes.

Accepted: alpha-2 and alpha-3 codes, English short, official and common names (pycountry's ISO 3166
data, with "Korea, Republic of" also read as "Republic of Korea"), their Chinese names in simplified and
traditional script (pycountry's zh_CN, zh_TW and zh_HK translations), and `VARIANTS` below for spellings
pycountry lacks. Matching ignores case, accents, spacing and punctuation ("P.R.C.", "people's republic of
china"). Hong Kong (HK), Macao (MO) and Taiwan (TW) keep their own ISO codes, in every spelling: the UFLPA
China-origin terms apply to CN only, and the matcher already counts HK and MO as agreeing with CN.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import cache, lru_cache

import pycountry

ACCEPTED = ("an ISO 3166 alpha-2 or alpha-3 code (CN, CHN) or an English or Chinese country name "
            "(China, People's Republic of China, 中国)")
# Codes in use outside ISO 3166-1 proper: UK is reserved for the United Kingdom; XK is the code the EU,
# the US and the sanctions lists use for Kosovo.
_EXTRA_CODES = {"UK": "GB", "XK": "XK"}
# Spellings pycountry does not carry (its names are "Viet Nam", "Korea, Republic of", "Czechia", ...).
VARIANTS: dict[str, str] = {
    # China, Hong Kong, Macao, Taiwan
    "PRC": "CN", "PR China": "CN", "P. R. China": "CN", "China PRC": "CN", "China, People's Republic of": "CN",
    "People Republic of China": "CN", "Mainland China": "CN", "China Mainland": "CN", "Chinese Mainland": "CN",
    "中华人民共和国": "CN", "中国大陆": "CN", "中國大陸": "CN", "中国内地": "CN", "中國內地": "CN",
    "Hong Kong SAR": "HK", "Hong Kong SAR China": "HK", "Hong Kong, China": "HK", "HKSAR": "HK", "Hongkong": "HK",
    "香港特别行政区": "HK", "中国香港": "HK", "中國香港": "HK",
    "Macau": "MO", "Macao SAR": "MO", "Macau SAR": "MO", "Macao, China": "MO", "Macau, China": "MO",
    "澳门特别行政区": "MO", "澳門特別行政區": "MO", "中国澳门": "MO", "中國澳門": "MO",
    "Taiwan ROC": "TW", "Republic of China": "TW", "ROC": "TW", "Chinese Taipei": "TW", "Taiwan, China": "TW",
    "台湾": "TW", "台灣": "TW", "臺灣": "TW", "中国台湾": "TW", "中國台灣": "TW", "中华民国": "TW", "台湾省": "TW",
    # Common English forms
    "USA": "US", "U.S.": "US", "Great Britain": "GB", "Britain": "GB", "England": "GB",
    "Scotland": "GB", "Wales": "GB", "Northern Ireland": "GB",
    "Korea, South": "KR", "South Korea": "KR", "Korea South": "KR", "Korea, North": "KP", "DPRK": "KP",
    "Russia": "RU", "Vietnam": "VN", "Laos": "LA", "Burma": "MM", "Turkey": "TR", "Czech Republic": "CZ",
    "Ivory Coast": "CI", "Cape Verde": "CV", "Swaziland": "SZ", "Macedonia": "MK", "East Timor": "TL",
    "Brunei": "BN", "Palestine": "PS", "Vatican": "VA", "Vatican City": "VA", "Kosovo": "XK",
    "Democratic Republic of Congo": "CD", "DR Congo": "CD", "DRC": "CD", "Congo-Kinshasa": "CD",
    "Congo-Brazzaville": "CG", "UAE": "AE",
    # Common Chinese short names (pycountry's are often the formal ones)
    "韩国": "KR", "韓國": "KR", "南韩": "KR", "南韓": "KR", "朝鲜": "KP", "朝鮮": "KP", "北韩": "KP", "北韓": "KP",
    "俄罗斯": "RU", "俄羅斯": "RU", "伊朗": "IR", "叙利亚": "SY", "敘利亞": "SY", "老挝": "LA", "寮國": "LA",
    "柬埔寨": "KH", "印尼": "ID", "孟加拉国": "BD", "孟加拉國": "BD", "阿联酋": "AE",
    "阿拉伯联合酋长国": "AE", "哈萨克斯坦": "KZ", "哈薩克斯坦": "KZ", "吉尔吉斯斯坦": "KG", "吉爾吉斯斯坦": "KG",
    "塔吉克斯坦": "TJ", "乌兹别克斯坦": "UZ", "烏茲別克斯坦": "UZ", "土库曼斯坦": "TM", "土庫曼斯坦": "TM",
    "委内瑞拉": "VE", "委內瑞拉": "VE", "玻利维亚": "BO", "玻利維亞": "BO", "坦桑尼亚": "TZ", "摩尔多瓦": "MD",
    "澳大利亚": "AU", "澳洲": "AU", "新西兰": "NZ", "紐西蘭": "NZ", "沙特": "SA", "沙特阿拉伯": "SA",
}
# Values that name more than one country: refused with the choice, never guessed.
AMBIGUOUS = {"Korea": "KR (South Korea) or KP (North Korea)"}
_ZH_LOCALES = ("zh_CN", "zh_TW", "zh_HK")
_DROPPED = re.compile(r"[.'’`]")  # "P.R.C." → prc, "People's" → peoples
_SEPARATORS = re.compile(r"[\W_]+")


class UnknownCountry(ValueError):
    """A country value that names no country (or more than one)."""

    def __init__(self, value: str, reason: str) -> None:
        super().__init__(reason)
        self.value = value


def to_alpha2(value: str | None) -> str | None:
    """ISO alpha-2 for a code or name; None when blank; `UnknownCountry` when it names no country."""
    text = (value or "").strip()
    if not text:
        return None
    found = _find(text)
    if found is not None:
        return found
    choice = _ambiguous().get(key(text))
    if choice is not None:
        raise UnknownCountry(text, f"{text!r} names more than one country: give {choice}")
    raise UnknownCountry(text, f"{text!r} is not a country flrisk recognises: give {ACCEPTED}")


def lookup(value: str | None) -> str | None:
    """Like `to_alpha2`, but None for an unknown value too (stored data read back, list entries)."""
    try:
        return to_alpha2(value)
    except UnknownCountry:
        return None


def dropped_warning(where: str, value: str) -> str:
    """The warning a batch row or checked record carries when its country was not recognised and dropped."""
    choice = _ambiguous().get(key(value))
    what = f"names more than one country ({choice})" if choice else "is not a recognised country"
    return f"{where}: {value.strip()!r} {what}; screened without a country"


def key(text: str) -> str:
    """Case-, accent-, space- and punctuation-insensitive form; a leading or trailing "the" is dropped."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold().replace("&", " and "))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = _SEPARATORS.sub(" ", _DROPPED.sub("", folded)).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    if len(words) > 1 and words[-1] == "the":
        words = words[:-1]
    return " ".join(words)


@lru_cache(maxsize=4096)  # a supplier list repeats a few spellings a million times
def _find(text: str) -> str | None:
    return _index().get(key(text))


@cache
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    translations = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[loc]) for loc in _ZH_LOCALES]
    for country in pycountry.countries:
        code = country.alpha_2
        names = [getattr(country, attr, None) for attr in ("name", "official_name", "common_name")]
        english = [n for n in names if n]
        chinese = [t.gettext(n) for t in translations for n in english]
        for text in (code, country.alpha_3, *english, *map(_uninverted, english), *chinese):
            index.setdefault(key(text), code)
    for text, code in (*_EXTRA_CODES.items(), *VARIANTS.items()):
        index[key(text)] = code
    return index


@cache
def _ambiguous() -> dict[str, str]:
    return {key(text): choice for text, choice in AMBIGUOUS.items()}


def _uninverted(name: str) -> str:
    """"Korea, Republic of" → "Republic of Korea"; other names unchanged."""
    head, sep, tail = name.partition(", ")
    return f"{tail} {head}" if sep else name
