"""Seeded generators of realistic-looking entity and supplier names for speed runs (not real companies).

Company names are combinations of Chinese place names (pinyin and 汉字), two-syllable brand names,
industry words and legal forms, as they appear in vendor masters; persons are pinyin surname + given name.
`true_variant()` rewrites a real list name the way the eval set does (case, legal form, typo, 汉字 only).
"""

from __future__ import annotations

import random
import re

from service.screening.matcher import MatchQuery
from service.screening.model import ListEntry

PLACES = [
    ("Beijing", "北京"), ("Shanghai", "上海"), ("Guangzhou", "广州"), ("Shenzhen", "深圳"), ("Ningbo", "宁波"),
    ("Wenzhou", "温州"), ("Suzhou", "苏州"), ("Wuxi", "无锡"), ("Changzhou", "常州"), ("Nantong", "南通"),
    ("Qingdao", "青岛"), ("Yantai", "烟台"), ("Weifang", "潍坊"), ("Zibo", "淄博"), ("Jinan", "济南"),
    ("Xiamen", "厦门"), ("Quanzhou", "泉州"), ("Fuzhou", "福州"), ("Dongguan", "东莞"), ("Foshan", "佛山"),
    ("Zhongshan", "中山"), ("Huizhou", "惠州"), ("Shantou", "汕头"), ("Hangzhou", "杭州"), ("Shaoxing", "绍兴"),
    ("Jiaxing", "嘉兴"), ("Huzhou", "湖州"), ("Yiwu", "义乌"), ("Hefei", "合肥"), ("Wuhu", "芜湖"),
    ("Nanjing", "南京"), ("Yangzhou", "扬州"), ("Xuzhou", "徐州"), ("Tianjin", "天津"), ("Tangshan", "唐山"),
    ("Zhengzhou", "郑州"), ("Luoyang", "洛阳"), ("Wuhan", "武汉"), ("Changsha", "长沙"), ("Nanchang", "南昌"),
    ("Chengdu", "成都"), ("Chongqing", "重庆"), ("Kunming", "昆明"), ("Xi'an", "西安"), ("Lanzhou", "兰州"),
    ("Harbin", "哈尔滨"), ("Shenyang", "沈阳"), ("Dalian", "大连"), ("Hohhot", "呼和浩特"), ("Yinchuan", "银川"),
    ("Urumqi", "乌鲁木齐"), ("Kashgar", "喀什"), ("Hotan", "和田"), ("Aksu", "阿克苏"), ("Korla", "库尔勒"),
    ("Jiangsu", "江苏"), ("Zhejiang", "浙江"), ("Guangdong", "广东"), ("Shandong", "山东"), ("Fujian", "福建"),
]
SYLLABLES = [
    ("hua", "华"), ("xin", "鑫"), ("tai", "泰"), ("feng", "丰"), ("sheng", "盛"), ("long", "龙"), ("da", "达"),
    ("heng", "恒"), ("yuan", "源"), ("jin", "金"), ("rui", "瑞"), ("kang", "康"), ("fu", "富"), ("an", "安"),
    ("xiang", "祥"), ("hong", "宏"), ("tian", "天"), ("yong", "永"), ("bao", "宝"), ("cheng", "诚"), ("li", "利"),
    ("mei", "美"), ("jia", "佳"), ("guang", "光"), ("ming", "明"), ("hai", "海"), ("run", "润"), ("de", "德"),
    ("zhong", "中"), ("xing", "兴"), ("wei", "伟"), ("chang", "昌"), ("ding", "鼎"), ("bo", "博"), ("yi", "意"),
]
INDUSTRIES = [
    ("Textile", "纺织"), ("Garment", "服装"), ("Apparel", "服饰"), ("Cotton", "棉业"), ("Knitting", "针织"),
    ("Trading", "贸易"), ("Import and Export", "进出口"), ("Electronics", "电子"), ("Technology", "科技"),
    ("New Energy", "新能源"), ("Solar Technology", "光伏科技"), ("Silicon Industry", "硅业"), ("Chemical", "化工"),
    ("Plastics", "塑料"), ("Aluminium", "铝业"), ("Steel", "钢铁"), ("Machinery", "机械"), ("Food", "食品"),
    ("Agricultural Products", "农产品"), ("Tomato Products", "番茄制品"), ("Packaging", "包装"),
    ("Logistics", "物流"), ("Hair Products", "发制品"), ("Shoes", "鞋业"), ("Furniture", "家具"),
    ("Auto Parts", "汽车配件"), ("Printing", "印刷"), ("Paper", "纸业"), ("Metal Products", "金属制品"),
    ("Biotechnology", "生物科技"),
]
LEGAL = ["Co., Ltd.", "Company Limited", "Co. Ltd", "CO LTD", "Corp.", "Group Co., Ltd.", "Industrial Co., Ltd.",
         "Limited", "(Group) Co., Ltd."]
LEGAL_HAN = ["有限公司", "股份有限公司", "集团有限公司", "有限责任公司"]
FOREIGN_WORDS = ["Nordic", "Atlas", "Pacific", "Summit", "Horizon", "Vertex", "Global", "Union", "Apex", "Delta",
                 "Alpine", "Coastal", "Premier", "United", "Royal", "Metro", "Central", "Western", "Eastern"]
FOREIGN_TRADES = ["Textiles", "Apparel", "Components", "Solar", "Foods", "Trading", "Logistics", "Materials"]
FOREIGN_FORMS = ["GmbH", "Inc.", "LLC", "S.A.", "Pte. Ltd.", "B.V.", "S.p.A.", "Ltd"]
SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu",
            "Hu", "Guo", "He", "Lin", "Gao", "Luo"]


def _brand(rng: random.Random) -> tuple[str, str]:
    a, b = rng.sample(SYLLABLES, 2)
    return (a[0] + b[0]).capitalize(), a[1] + b[1]


def company_name(rng: random.Random) -> tuple[str, str]:
    """(Latin name, Chinese name) of one generated Chinese company."""
    place, place_han = rng.choice(PLACES)
    brand, brand_han = _brand(rng)
    industry, industry_han = rng.choice(INDUSTRIES)
    han = place_han + brand_han + industry_han + rng.choice(LEGAL_HAN)
    return f"{place} {brand} {industry} {rng.choice(LEGAL)}", han


def foreign_name(rng: random.Random) -> str:
    return f"{rng.choice(FOREIGN_WORDS)} {rng.choice(FOREIGN_TRADES)} {rng.choice(FOREIGN_FORMS)}"


def person_name(rng: random.Random) -> str:
    given = "".join(s for s, _ in rng.sample(SYLLABLES, rng.choice((1, 2)))).capitalize()
    return f"{rng.choice(SURNAMES).upper()}, {given}"


def generate_entities(n: int, seed: int = 7) -> list[ListEntry]:
    """n generated list entries: ~85% Chinese companies (a third with a Chinese name), 5% foreign, 10% persons."""
    rng = random.Random(seed)
    out: list[ListEntry] = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.10:
            out.append(ListEntry("generated", f"gen-{i}", person_name(rng), entity_type="person", country="CN"))
        elif roll < 0.15:
            out.append(ListEntry("generated", f"gen-{i}", foreign_name(rng)))
        else:
            latin, han = company_name(rng)
            out.append(ListEntry("generated", f"gen-{i}", latin, chinese_names=(han,) if roll < 0.45 else (),
                                 country="CN"))
    return out


def true_variant(entry: ListEntry, rng: random.Random) -> MatchQuery:
    """One re-writing of a real list name: upper-case, legal-form swap, typo, or its Chinese name alone."""
    name = rng.choice(entry.all_names)
    roll = rng.random()
    if entry.chinese_names and roll < 0.25:
        return MatchQuery(name=rng.choice(entry.chinese_names))
    if roll < 0.5:
        return MatchQuery(name=re.sub(r"[^\w\s]", "", name).upper(), country="CN")
    if roll < 0.75:
        return MatchQuery(name=re.sub(r",?\s*(Co\.,? Ltd\.?|Ltd\.?|Limited)$", " Company Limited", name))
    i = rng.randrange(1, max(2, len(name) - 1))
    return MatchQuery(name=name[:i] + name[i + 1:])


def generate_queries(n: int, listed: list[ListEntry], seed: int = 11, variant_share: float = 0.05) -> list[MatchQuery]:
    """n supplier records: ~5% true variants of `listed`, the rest generated companies, foreign firms, persons."""
    rng = random.Random(seed)
    matchable = [e for e in listed if e.match_by_name]
    out: list[MatchQuery] = []
    for _ in range(n):
        roll = rng.random()
        if roll < variant_share:
            out.append(true_variant(rng.choice(matchable), rng))
        elif roll < 0.25:
            out.append(MatchQuery(name=company_name(rng)[1]))
        elif roll < 0.30:
            out.append(MatchQuery(name=foreign_name(rng)))
        elif roll < 0.38:
            out.append(MatchQuery(name=person_name(rng).replace(",", ""), country="CN"))
        else:
            latin, han = company_name(rng)
            out.append(MatchQuery(name=latin, chinese_name=han if roll > 0.9 else None, country="CN"))
    return out
