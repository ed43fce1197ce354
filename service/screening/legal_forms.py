"""Legal and organisational forms across languages, reduced to one canonical token each.

The canonical form is kept as a feature (agree / conflict / absent), never silently dropped: "Deutsche
Bank AG" and "Deutsche Bank GmbH" are different companies, while "Co., Ltd." and 股份有限公司 are two
renderings of the same Chinese form.
"""

from __future__ import annotations

from typing import Final, Literal

Family = Literal["limited", "stock", "partnership", "generic"]

# canonical -> family. "generic" forms (Corp, Inc, Co, Group) are compatible with every other form.
FAMILY: Final[dict[str, Family]] = {
    "ltd": "limited", "llc": "limited", "gmbh": "limited", "ooo": "limited", "srl": "limited",
    "bv": "limited", "spzoo": "limited", "pty": "limited", "kft": "limited",
    "jsc": "stock", "ag": "stock", "plc": "stock", "sa": "stock", "nv": "stock", "spa": "stock",
    "ab": "stock", "as": "stock", "oy": "stock", "sas": "stock", "sl": "limited", "kk": "stock",
    "lp": "partnership", "llp": "partnership",
    "corp": "generic", "inc": "generic", "co": "generic", "group": "generic", "factory": "generic",
}

# Phrases as normalised token sequences -> canonical form. Longest phrases are tried first.
_PHRASES: Final[dict[str, str]] = {
    "company limited": "ltd", "co ltd": "ltd", "co limited": "ltd", "company ltd": "ltd", "ltd": "ltd",
    "limited": "ltd", "itd": "ltd", "ltd co": "ltd", "limited company": "ltd", "pty ltd": "ltd", "pty": "pty",
    "limited liability company": "llc", "limited liability co": "llc", "llc": "llc", "l l c": "llc",
    "joint stock company": "jsc", "joint stock co": "jsc", "stock company": "jsc", "stock co": "jsc",
    "jsc": "jsc", "ojsc": "jsc", "pjsc": "jsc", "cjsc": "jsc", "oao": "jsc", "zao": "jsc", "pao": "jsc",
    "ao": "jsc", "open joint stock company": "jsc", "public joint stock company": "jsc",
    "closed joint stock company": "jsc", "company limited by shares": "jsc", "co ltd by shares": "jsc",
    "joint stock": "jsc", "akcionernoe obshchestvo": "jsc", "aktsionernoe obshchestvo": "jsc",
    "gmbh": "gmbh", "gesellschaft mit beschrankter haftung": "gmbh", "ag": "ag",
    "aktiengesellschaft": "ag", "aktiengeselschaft": "ag", "plc": "plc", "public limited company": "plc",
    "sa": "sa", "societe anonyme": "sa", "sociedad anonima": "sa", "sa de cv": "sa", "spa": "spa",
    "srl": "srl", "sarl": "srl", "societatea cu raspundere limitata": "srl", "sp z o o": "spzoo", "sp z oo": "spzoo",
    "spzoo": "spzoo", "bv": "bv", "nv": "nv", "kft": "kft", "ooo": "ooo", "o o o": "ooo",
    "obshchestvo s ogranichennoy otvetstvennostyu": "ooo", "obshchestvo s ogranichennoi otvetstvennostiu": "ooo",
    "ab": "ab", "as": "as", "a s": "as", "oy": "oy", "oyj": "oy", "sas": "sas", "sl": "sl", "kk": "kk",
    "lp": "lp", "llp": "llp", "limited partnership": "lp",
    "corporation": "corp", "corp": "corp", "incorporated": "inc", "inc": "inc", "company": "co", "co": "co",
    "cos": "co", "group": "group", "grp": "group", "factory": "factory",
    # Pinyin of the Chinese forms, as ERP systems sometimes romanise them.
    "youxian gongsi": "ltd", "youxiangongsi": "ltd", "youxian zeren gongsi": "llc",
    "gufen youxian gongsi": "jsc", "jituan": "group", "gongsi": "co",
}
PHRASES: Final[dict[tuple[str, ...], str]] = {tuple(k.split()): v for k, v in _PHRASES.items()}
MAX_PHRASE: Final = max(len(k) for k in PHRASES)

# Chinese suffixes, longest first; stripped repeatedly from the end of a Han name.
HAN_SUFFIXES: Final[tuple[tuple[str, str], ...]] = (
    ("股份有限公司", "jsc"), ("有限责任公司", "llc"), ("有限公司", "ltd"), ("集团公司", "group"),
    ("总公司", "co"), ("公司", "co"), ("集团", "group"), ("(集团)", "group"), ("厂", "factory"),
)


def family(form: str) -> Family:
    return FAMILY.get(form, "generic")


def compare_forms(a: tuple[str, ...], b: tuple[str, ...], *, han: bool) -> str:
    """'agree', 'conflict' or 'absent'. With a Chinese-script side, stock vs limited is no conflict
    (股份有限公司 is routinely rendered "Co., Ltd.")."""
    fam_a = {family(f) for f in a} - {"generic"}
    fam_b = {family(f) for f in b} - {"generic"}
    if not fam_a or not fam_b:
        return "agree" if set(a) & set(b) else "absent"
    if fam_a & fam_b or han:
        return "agree"
    return "conflict"
