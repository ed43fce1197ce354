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

# Equivalence classes of legal and organisational forms, as data: canonical form -> every spelling, as
# normalised Latin token sequences (abbreviations, translations, other languages, pinyin of the Chinese forms)
# and as Chinese suffixes. Both sides of a comparison are reduced with the same table, so "Corps" meets
# "Corporation", "Grp" meets "Group" and 集團 meets 集团; the canonical form is then compared as a feature.
FORMS: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "ltd": (("company limited", "co ltd", "co limited", "company ltd", "ltd", "limited", "itd", "ltd co",
             "limited company", "pty ltd", "pvt ltd", "private limited", "pte ltd", "sdn bhd", "bhd",
             "youxian gongsi", "youxiangongsi"), ("有限公司",)),
    "pty": (("pty",), ()),
    "llc": (("limited liability company", "limited liability co", "llc", "l l c", "youxian zeren gongsi"),
            ("有限责任公司", "有限責任公司")),
    "jsc": (("joint stock company", "joint stock co", "stock company", "stock co", "jsc", "ojsc", "pjsc", "cjsc",
             "oao", "zao", "pao", "ao", "open joint stock company", "public joint stock company",
             "closed joint stock company", "company limited by shares", "co ltd by shares", "joint stock",
             "akcionernoe obshchestvo", "aktsionernoe obshchestvo", "gufen youxian gongsi"), ("股份有限公司",)),
    "gmbh": (("gmbh", "gesellschaft mit beschrankter haftung"), ()),
    "ag": (("ag", "aktiengesellschaft", "aktiengeselschaft"), ()),
    "plc": (("plc", "public limited company"), ()),
    "sa": (("sa", "societe anonyme", "sociedad anonima", "sa de cv"), ()),
    "spa": (("spa",), ()),
    "srl": (("srl", "sarl", "societatea cu raspundere limitata", "ltda", "limitada"), ()),
    "spzoo": (("sp z o o", "sp z oo", "spzoo"), ()),
    "bv": (("bv",), ()), "nv": (("nv",), ()), "kft": (("kft",), ()),
    "ooo": (("ooo", "o o o", "obshchestvo s ogranichennoy otvetstvennostyu",
             "obshchestvo s ogranichennoi otvetstvennostiu"), ()),
    "ab": (("ab",), ()), "as": (("as", "a s"), ()), "oy": (("oy", "oyj"), ()), "sas": (("sas",), ()),
    "sl": (("sl",), ()), "kk": (("kk", "kabushiki kaisha"), ()),
    "lp": (("lp", "limited partnership"), ()), "llp": (("llp",), ()),
    "corp": (("corporation", "corp", "corps"), ()),
    "inc": (("incorporated", "inc"), ()),
    "co": (("company", "co", "cos", "cie", "gongsi"), ("总公司", "公司")),
    "group": (("group", "grp", "jituan"), ("集团公司", "集團公司", "集团", "集團", "(集团)", "(集團)")),
    "factory": (("factory",), ("厂", "廠")),
}
PHRASES: Final[dict[tuple[str, ...], str]] = {
    tuple(spelling.split()): canon for canon, (latin, _) in FORMS.items() for spelling in latin
}
MAX_PHRASE: Final = max(len(k) for k in PHRASES)
# Chinese suffixes, longest first; stripped repeatedly from the end of a Han name.
HAN_SUFFIXES: Final[tuple[tuple[str, str], ...]] = tuple(sorted(
    ((suffix, canon) for canon, (_, han) in FORMS.items() for suffix in han), key=lambda pair: -len(pair[0])))
# Misspelt long legal words are still read as legal forms ("Corproation"); "corps" is too near "crops".
FUZZY_WORDS: Final = tuple(k[0] for k in PHRASES if len(k) == 1 and len(k[0]) >= 5 and k[0] != "corps")
# Legal words glued to a name in CamelCase ("AcmeLtd", "CamelGroup").
GLUED_WORDS: Final = ("Group", "Ltd", "Limited", "Corp", "Corporation", "Company", "Co")


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
