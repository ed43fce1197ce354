"""Translation dictionary of generic Chinese words, and the English token classes the scorer weighs.

Only generic vocabulary lives here (places, industries, materials, organisational words): it lets a
汉字 name meet an English-listed entry by translating what is generic and keeping the distinctive part
in pinyin. No list entry, brand or alias is recorded here.
"""

from __future__ import annotations

from typing import Final

# Chinese places -> the token the English lists use (pinyin, or the usual exonym's canonical form).
_PROVINCES: Final = {
    "北京": "beijing", "天津": "tianjin", "上海": "shanghai", "重庆": "chongqing", "河北": "hebei",
    "山西": "shanxi", "辽宁": "liaoning", "吉林": "jilin", "黑龙江": "heilongjiang", "江苏": "jiangsu",
    "浙江": "zhejiang", "安徽": "anhui", "福建": "fujian", "江西": "jiangxi", "山东": "shandong",
    "河南": "henan", "湖北": "hubei", "湖南": "hunan", "广东": "guangdong", "海南": "hainan",
    "四川": "sichuan", "贵州": "guizhou", "云南": "yunnan", "陕西": "shaanxi", "甘肃": "gansu",
    "青海": "qinghai", "台湾": "taiwan", "内蒙古": "inner mongolia", "广西": "guangxi", "西藏": "tibet",
    "宁夏": "ningxia", "新疆": "xinjiang", "香港": "hong kong", "澳门": "macau", "中国": "china",
    "中华": "china", "维吾尔": "uyghur", "维吾尔自治区": "uyghur autonomous region",
}
_CITIES: Final = {
    "广州": "guangzhou", "深圳": "shenzhen", "珠海": "zhuhai", "东莞": "dongguan", "佛山": "foshan",
    "杭州": "hangzhou", "宁波": "ningbo", "温州": "wenzhou", "绍兴": "shaoxing", "宁海": "ninghai",
    "南京": "nanjing", "苏州": "suzhou", "无锡": "wuxi", "常州": "changzhou", "南通": "nantong",
    "徐州": "xuzhou", "连云港": "lianyungang", "东海": "donghai", "合肥": "hefei", "芜湖": "wuhu",
    "福州": "fuzhou", "厦门": "xiamen", "泉州": "quanzhou", "济南": "jinan", "青岛": "qingdao",
    "日照": "rizhao", "菏泽": "heze", "滨州": "binzhou", "潍坊": "weifang", "烟台": "yantai",
    "郑州": "zhengzhou", "洛阳": "luoyang", "武汉": "wuhan", "黄梅": "huangmei", "长沙": "changsha",
    "成都": "chengdu", "西安": "xian", "兰州": "lanzhou", "西宁": "xining", "银川": "yinchuan",
    "呼和浩特": "hohhot", "包头": "baotou", "鄂尔多斯": "ordos", "石家庄": "shijiazhuang",
    "保定": "baoding", "衡水": "hengshui", "唐山": "tangshan", "太原": "taiyuan", "沈阳": "shenyang",
    "大连": "dalian", "长春": "changchun", "哈尔滨": "harbin", "南昌": "nanchang", "昆明": "kunming",
    "贵阳": "guiyang", "南宁": "nanning", "海口": "haikou", "拉萨": "lhasa", "温岭": "wenling",
    "义乌": "yiwu", "嘉兴": "jiaxing", "湖州": "huzhou", "扬州": "yangzhou", "泰州": "taizhou",
    "南宫": "nangong", "新野": "xinye", "南陵": "nanling", "乐山": "leshan", "宜宾": "yibin",
}
_XINJIANG: Final = {
    "乌鲁木齐": "urumqi", "喀什": "kashi", "和田": "hetian", "伊犁": "yili", "伊宁": "yining",
    "阿克苏": "aksu", "吐鲁番": "turpan", "哈密": "hami", "克拉玛依": "karamay", "石河子": "shihezi",
    "昌吉": "changji", "库尔勒": "korla", "巴音郭楞": "bayingolin", "博尔塔拉": "bortala",
    "塔城": "tacheng", "阿勒泰": "altay", "克孜勒苏": "kizilsu", "阿图什": "artux", "五家渠": "wujiaqu",
    "阿拉尔": "alar", "图木舒克": "tumxuk", "北屯": "beitun", "铁门关": "tiemenguan", "可克达拉": "kokdala",
    "昆玉": "kunyu", "胡杨河": "huyanghe", "新星": "xinxing", "奎屯": "kuytun", "鄯善": "shanshan",
    "洛浦": "lop", "墨玉": "karakax", "皮山": "pishan", "于田": "keriya", "策勒": "qira",
    "民丰": "niya", "疏勒": "shule", "疏附": "shufu", "莎车": "yarkant", "叶城": "kargilik",
    "英吉沙": "yengisar", "伽师": "peyzawat", "巴楚": "maralbexi", "麦盖提": "makit", "岳普湖": "yopurga",
    "泽普": "poskam", "库车": "kuqa", "沙雅": "shayar", "新和": "toksu", "拜城": "bay", "温宿": "wensu",
    "阿瓦提": "awat", "柯坪": "kalpin", "乌什": "uqturpan", "焉耆": "yanqi", "和静": "hejing",
    "尉犁": "yuli", "若羌": "charkilik", "且末": "qiemo", "轮台": "luntai", "博乐": "bole",
    "精河": "jinghe", "霍尔果斯": "khorgos", "察布查尔": "qapqal", "霍城": "huocheng", "巩留": "gongliu",
    "新源": "xinyuan", "特克斯": "tekes", "尼勒克": "nilka", "奎屯市": "kuytun", "玛纳斯": "manas",
    "呼图壁": "hutubi", "阜康": "fukang", "吉木萨尔": "jimsar", "奇台": "qitai", "木垒": "mori",
    "托克逊": "toksun", "巴里坤": "barkol", "伊吾": "aratürük", "哈巴河": "habahe", "福海": "fuhai",
    "富蕴": "fuyun", "布尔津": "burqin", "乌苏": "wusu", "沙湾": "shawan",
    "米东": "midong", "达坂城": "dabancheng",
}
PLACES_HAN: Final[dict[str, str]] = {**_PROVINCES, **_CITIES, **_XINJIANG}
# Province-level divisions: "Zhejiang Huali Textile" and "Jiangsu Huali Textile" are different companies.
_NOT_PROVINCES: Final = frozenset({"中国", "中华", "台湾", "澳门", "维吾尔"})
_PROVINCE_TOKENS: Final[frozenset[str]] = frozenset(
    value for han, value in _PROVINCES.items() if " " not in value and han not in _NOT_PROVINCES
)
# The province of each place token that can be placed: the provinces themselves, and Xinjiang's prefectures,
# cities and counties (all listed in the geo data). Other cities' provinces are not recorded.
PROVINCE_OF: Final[dict[str, str]] = {
    **{word: "xinjiang" for value in _XINJIANG.values() for word in value.split()},
    **dict.fromkeys(("hotan", "kashgar", "ghulja"), "xinjiang"),
    **{province: province for province in _PROVINCE_TOKENS},
}
# City- and county-level places: two names registered in different cities are different companies.
CITY_TOKENS: Final[frozenset[str]] = frozenset(
    word for value in (*_CITIES.values(), *_XINJIANG.values()) for word in value.split()
) | frozenset({"hotan", "kashgar", "ghulja", "beijing", "shanghai", "tianjin", "chongqing"})

# Generic words: industries, materials, organisational vocabulary -> English.
TERMS_HAN: Final[dict[str, str]] = {
    "生产建设": "production and construction", "兵团": "corps", "建设": "construction", "生产": "production",
    "实业": "industrial", "工业": "industry", "产业": "industry", "企业": "enterprise", "科技": "technology",
    "技术": "technology", "高科技": "high technology", "高新技术": "high technology", "纺织": "textile",
    "毛纺织": "wool textile", "毛纺": "wool spinning", "棉纺": "cotton spinning", "纺纱": "spinning",
    "色纺": "color spinning", "棉业": "cotton", "棉花": "cotton", "棉麻": "cotton and linen", "棉": "cotton",
    "硅业": "silicon industry", "硅": "silicon", "多晶硅": "polysilicon", "硅材料": "silicon materials",
    "化工": "chemical", "化学": "chemical", "能源": "energy", "新能源": "new energy", "电力": "electric power",
    "煤电": "coal and electricity", "煤业": "coal", "煤炭": "coal", "煤化工": "coal chemical",
    "有色金属": "nonferrous metals", "有色": "nonferrous", "金属": "metals", "矿业": "mining",
    "采矿": "mining", "矿": "mine", "金矿": "gold mine", "黄金": "gold", "锌业": "zinc industry",
    "铜业": "copper", "铝业": "aluminum", "电解铝": "electrolytic aluminum", "钢铁": "iron and steel",
    "钢": "steel", "镁业": "magnesium", "镁制品": "magnesium products", "稀土": "rare earth",
    "锂业": "lithium", "锂": "lithium", "碳酸锂": "lithium carbonate", "服装": "apparel", "服饰": "apparel",
    "制衣": "garment", "成衣": "garment", "发饰": "hair accessories", "发饰品": "hair accessories",
    "饰品": "accessories", "发制品": "hair products",
    "假发": "wigs", "鞋业": "shoe industry", "鞋": "shoes", "贸易": "trade", "商贸": "trade and business",
    "经贸": "economic and trade", "国际贸易": "international trade", "进出口": "import and export",
    "物流": "logistics", "仓储": "warehousing", "储备库": "reserve", "食品": "food", "罐头": "canned food",
    "番茄": "tomato", "番茄制品": "tomato products", "果蔬": "fruit and vegetable", "红枣": "red dates",
    "糖业": "sugar", "制糖": "sugar", "生物": "biological", "生物科技": "biotechnology",
    "生物技术": "biotechnology", "医药": "pharmaceutical", "药业": "pharmaceutical", "中药材": "herbal medicine",
    "电子": "electronics", "微电子": "microelectronics", "信息技术": "information technology",
    "信息": "information", "数码": "digital", "半导体": "semiconductor", "光伏": "photovoltaic",
    "太阳能": "solar", "绿色能源": "green energy", "材料": "materials", "新材料": "new materials",
    "水泥": "cement", "建材": "building materials", "建筑": "construction", "建筑工程": "construction engineering",
    "工程": "engineering", "房地产": "real estate", "置业": "real estate", "投资": "investment",
    "控股": "holding", "管理": "management", "发展": "development", "开发": "development",
    "农业": "agriculture", "农牧": "agriculture and animal husbandry", "畜牧": "animal husbandry",
    "农产品": "agricultural products", "种植": "planting", "养殖": "breeding", "水产": "aquatic products",
    "海产": "seafood", "渔业": "fishery", "印刷": "printing", "打印": "printing", "耗材": "consumables",
    "机械": "machinery", "设备": "equipment", "制造": "manufacturing", "汽车": "automobile",
    "电池": "battery", "电器": "electric appliances", "家电": "home appliances", "塑料": "plastics",
    "聚氯乙烯": "pvc", "氯碱": "chlor alkali", "烧碱": "caustic soda", "番茄酱": "tomato paste",
    "公安": "public security", "公安厅": "public security department", "公安局": "public security bureau",
    "厅": "department", "局": "bureau", "职业技能": "vocational skills", "教育培训": "education training",
    "教育": "education", "培训": "training", "中心": "center", "工业园": "industrial park", "园区": "park",
    "产业园": "industrial park", "国际": "international", "环球": "global", "东方": "east", "西部": "western",
    "希望": "hope", "第一": "first", "第二": "second", "第三": "third", "第四": "no 4",
    "自治区": "autonomous region", "自治州": "autonomous prefecture", "地区": "prefecture", "市": "city",
    "县": "county", "区": "district", "省": "province", "镇": "town", "乡": "township", "村": "village",
    "分公司": "branch", "子公司": "subsidiary", "办事处": "office", "研究院": "research institute",
    "研究所": "research institute", "大学": "university", "学院": "college", "医院": "hospital",
    "银行": "bank", "证券": "securities", "保险": "insurance", "基金": "fund", "资本": "capital",
    "电气": "electric", "电缆": "cable", "光电": "optoelectronics", "通信": "communications",
    "网络": "network", "软件": "software", "智能": "intelligent", "数据": "data", "安防": "security",
    "监控": "surveillance", "视频": "video", "运输": "transport", "航运": "shipping", "港口": "port",
    "纸业": "paper", "包装": "packaging", "家具": "furniture", "玩具": "toys", "皮革": "leather",
    "羊毛": "wool", "羊绒": "cashmere", "丝绸": "silk", "化纤": "chemical fiber", "纤维": "fiber",
    "粘胶": "viscose", "针织": "knitting", "印染": "printing and dyeing", "家纺": "home textile",
    "面料": "fabric", "纱线": "yarn", "织造": "weaving", "石油": "petroleum", "石化": "petrochemical",
    "天然气": "natural gas", "燃气": "gas", "热电": "thermal power", "风电": "wind power",
    "水电": "hydropower", "铁路": "railway", "交通": "transportation", "旅游": "tourism",
    "世纪": "century", "阳光": "sunshine", "长城": "great wall", "胜利": "victory", "光明": "bright",
    "和平": "peace", "未来": "future", "太阳": "sun", "蓝天": "blue sky", "绿洲": "oasis", "明珠": "pearl",
    "红旗": "red flag", "金色": "golden", "绿叶": "green leaf", "联合": "united", "友谊": "friendship",
    "酒店": "hotel", "餐饮": "catering", "商业": "commercial", "超市": "supermarket", "百货": "department store",
}

# Country names (and a few world cities): a clash of them between two names is telling.
COUNTRY_TOKENS: Final[frozenset[str]] = frozenset({
    "china", "prc", "usa", "us", "america", "uk", "britain", "england", "france", "germany", "deutschland",
    "schweiz", "switzerland", "spain", "italy", "netherlands", "holland", "belgium", "ireland", "sweden",
    "finland", "norway", "norge", "denmark", "poland", "austria", "portugal", "greece", "turkey", "russia",
    "ukraine", "japan", "korea", "taiwan", "vietnam", "india", "pakistan", "bangladesh", "cambodia",
    "indonesia", "malaysia", "singapore", "thailand", "philippines", "australia", "canada", "mexico",
    "brazil", "chile", "argentina", "peru", "colombia", "egypt", "africa", "nigeria", "kenya",
    "iran", "iraq", "syria", "israel", "uae", "dubai", "london", "paris", "tokyo", "asia", "europe",
    "hong", "kong", "macau", "luxembourg", "cyprus", "panama", "kazakhstan", "uzbekistan", "mongolia",
})

# English tokens weighed as places: present in a name they say little about which company it is.
PLACE_TOKENS: Final[frozenset[str]] = frozenset(
    word for value in PLACES_HAN.values() for word in value.split()
) | frozenset({
    "xuar", "prc", "asia", "pacific", "europe", "usa", "america", "uk", "hk", "schweiz", "germany",
    "vietnam", "india", "bangladesh", "pakistan", "cambodia", "indonesia", "malaysia", "thailand",
    "east", "west", "north", "south", "central", "northwest", "xinye", "hotan", "kashgar", "ghulja",
    "xian", "autonomous", "region", "lop", "karakax", "uyghur", "uighur", "uygur", "uygar",
}) | COUNTRY_TOKENS

# Latin spellings of places -> the canonical token (exonyms, historical and Wade-Giles forms).
PLACE_SYNONYMS: Final[dict[str, str]] = {
    "kashgar": "kashi", "kaxgar": "kashi", "hotan": "hetian", "khotan": "hetian", "hoten": "hetian",
    "ghulja": "yining", "gulja": "yining", "kulja": "yining", "urumchi": "urumqi", "wulumuqi": "urumqi",
    "tihwa": "urumqi", "akesu": "aksu", "tulufan": "turpan", "turfan": "turpan", "kumul": "hami",
    "kelamayi": "karamay", "kuerle": "korla", "aletai": "altay", "altai": "altay", "yili": "yili",
    "ili": "yili", "shache": "yarkant", "yarkand": "yarkant", "kuche": "kuqa", "kucha": "kuqa",
    "moyu": "karakax", "luopu": "lop", "uighur": "uyghur", "uygur": "uyghur", "uygar": "uyghur",
    "uigur": "uyghur", "peking": "beijing", "canton": "guangzhou", "amoy": "xiamen", "tientsin": "tianjin",
    "chungking": "chongqing", "sinkiang": "xinjiang", "huhhot": "hohhot", "huhehaote": "hohhot",
    "hongkong": "hong kong",
}

# Sector and product words: they tell companies apart only weakly, but a clash of them is telling
# ("Zhongtai Securities" against "Zhongtai Chemical").
DESCRIPTORS: Final[frozenset[str]] = frozenset({
    "textile", "wool", "cotton", "linen", "spinning", "silicon", "polysilicon", "chemical", "chemicals",
    "energy", "power", "electric", "electricity", "coal", "nonferrous", "metal", "mining", "mine", "gold",
    "zinc", "copper", "aluminum", "aluminium", "steel", "iron", "magnesium", "lithium", "apparel",
    "garment", "clothing", "fashion", "hair", "accessory", "shoe", "footwear", "food", "foods", "canned",
    "tomato", "fruit", "vegetable", "sugar", "biotechnology", "biotech", "biological", "pharmaceutical",
    "medicine", "herbal", "electronics", "microelectronics", "semiconductor", "digital", "information",
    "solar", "photovoltaic", "material", "cement", "construction", "engineering", "real", "estate",
    "securities", "bank", "banking", "insurance", "fund", "capital", "investment", "logistics",
    "warehousing", "warehouse", "printing", "agriculture", "seafood", "fishery", "machinery", "equipment",
    "automobile", "battery", "plastic", "pvc", "software", "network", "telecom", "communications",
    "petroleum", "petrochemical", "gas", "oil", "shipping", "transport", "hotel", "tourism", "paper",
    "packaging", "furniture", "toy", "leather", "cashmere", "silk", "fiber", "yarn", "fabric", "weaving",
    "knitting", "dyeing", "surveillance", "security", "video", "optoelectronics", "cable", "wigs",
    "dates", "catering", "supermarket", "aviation", "airlines", "refinery", "oilfield", "systems",
    "missiles", "defense", "defence", "weapons", "arms", "marine", "port", "railway", "university",
    "hospital", "education", "training", "vocational", "police", "public", "bureau", "department",
    "media", "broadcasting", "consulting", "management", "trust", "motors", "tobacco", "rubber", "glass",
    "paint", "fertilizer", "grain", "seed", "dairy", "meat", "beverage", "wine", "tea", "consumables",
    "rare", "earth", "polyester", "viscose", "wafer", "ingot", "module", "cell", "quartz", "sand", "salt",
    "soda", "chlor", "alkali", "aquatic", "paste", "pepper", "jujube", "walnut", "herb", "nutrition",
    "cosmetic", "toner", "agricultural",
})

# Words common to company names of every kind: near-zero identifying weight.
GENERIC: Final[frozenset[str]] = frozenset({
    "company", "co", "group", "holding", "holdings", "industry", "industrial", "international",
    "trade", "trading", "business", "economic", "technology", "development", "enterprise", "enterprises",
    "new", "high", "general", "corporation", "corp", "products", "product", "manufacturing", "production",
    "and", "of", "the", "de", "la", "et", "und", "y", "for", "in", "import", "export", "services",
    "service", "science", "sciences", "commercial", "global", "limited", "branch", "subsidiary",
    "subsidiaries", "factory", "plant", "works", "center", "centre", "park", "city", "county", "district",
    "province", "prefecture", "town", "township", "village", "no", "number", "office", "reserve",
    "library", "green", "first", "second", "third", "national", "state", "china", "chinese",
    "sino", "asia", "world", "union", "shi", "associated", "associates", "partners", "agency", "institute",
    "research", "society", "association", "committee", "administration", "authority", "ministry",
    "government", "organization", "organisation", "foundation", "stock", "joint", "resource", "venture",
})
