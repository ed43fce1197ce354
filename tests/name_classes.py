"""The classes of issue 15 as cases shared by the HTTP, batch and `flrisk check` tests: real listed names with
real-world noise, listed names in other forms, parents of listed companies, and real unlisted companies.

Each case: (name, chinese_name, verdict, listed entries that must come back). Names are real list names
rewritten mechanically, or real unlisted companies (tests/eval/clean_suppliers.csv); nothing is invented.
"""

from __future__ import annotations

from typing import NamedTuple


class Case(NamedTuple):
    name: str
    chinese: str
    verdict: str
    entries: frozenset[str]


CASES: tuple[Case, ...] = (
    # noise around a listed name (item 3)
    Case("Hoshine Silicon Industry Shanshan Co Ltd Attn Purchasing", "", "presumption",
         frozenset({"uflpa-003", "bis-004"})),
    Case("Xinjiang Zhongtai Chemical Co., Ltd. c/o Shanghai Office", "", "presumption", frozenset({"uflpa-006"})),
    Case("Aksu Huafu Color Spinning Co., Ltd. - Purchasing Dept", "", "presumption", frozenset({"uflpa-049"})),
    Case("*BLOCKED* Changji Esquel Textile Co., Ltd.", "", "presumption", frozenset({"uflpa-053"})),
    Case("Xinjiang Tianshan Wool Textile Co. Ltd. - DO NOT USE", "", "presumption", frozenset({"uflpa-012"})),
    Case("\u202e" + "Hetian Haolin Hair Accessories Co. Ltd."[::-1], "", "presumption",
         frozenset({"uflpa-002", "cbp-002"})),
    Case("Acme Trading Ltd (formerly Xinjiang GCL New Energy Material Technology Co., Ltd.)", "", "presumption",
         frozenset({"uflpa-086", "bis-001"})),
    Case("Xinjiang Junggar Cotton and Linen Co., Ltd., No. 1 Wuxing Road, Urumqi 830000", "", "presumption",
         frozenset({"uflpa-087", "cbp-009"})),
    # legal-form synonyms (item 4)
    Case("Xinjiang Production and Construction Corporation", "", "presumption",
         frozenset({"uflpa-005", "cbp-010", "ofac-002", "bis-005"})),
    # one entity, several lists (item 5)
    Case("Bingtuan", "", "presumption", frozenset({"uflpa-005", "cbp-010", "ofac-002", "bis-005"})),
    # parents at review, brands split in two (item 6)
    Case("Daqo New Energy Corp.", "", "review", frozenset({"uflpa-041", "bis-002"})),
    Case("JA Solar Technology Co., Ltd.", "", "review", frozenset({"uflpa-043"})),
    Case("Nine Star Corporation", "", "presumption", frozenset({"uflpa-007"})),
    # a Chinese name that puts its group first (item 7)
    Case("Bayi Steel", "宝武集团新疆八一钢铁有限公司", "presumption", frozenset({"uflpa-050"})),
    # real unlisted companies stay clear (items 9, 10)
    Case("Midea Group Co., Ltd.", "美的集团股份有限公司", "clear", frozenset()),
    Case("TCL Technology Group Corporation", "TCL科技集团股份有限公司", "clear", frozenset()),
    Case("Gree Electric Appliances, Inc. of Zhuhai", "珠海格力电器股份有限公司", "clear", frozenset()),
    Case("Inner Mongolia Yili Industrial Group Co., Ltd.", "内蒙古伊利实业集团股份有限公司", "clear", frozenset()),
)
