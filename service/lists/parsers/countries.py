"""Country names as the upstream lists spell them → ISO-3166 alpha-2.

A small table (the names OFAC's add.csv and the CSL use, plus common variants) rather than a
dependency: two-letter codes pass through upper-cased; an unknown name gives None and the caller
keeps the name verbatim.
"""

from __future__ import annotations

_NAMES = {
    "afghanistan": "AF", "albania": "AL", "algeria": "DZ", "angola": "AO", "argentina": "AR",
    "armenia": "AM", "australia": "AU", "austria": "AT", "azerbaijan": "AZ", "bahamas": "BS",
    "bahamas, the": "BS", "bahrain": "BH", "bangladesh": "BD", "barbados": "BB", "belarus": "BY",
    "belgium": "BE", "belize": "BZ", "bolivia": "BO", "bosnia and herzegovina": "BA", "brazil": "BR",
    "bulgaria": "BG", "burma": "MM", "myanmar": "MM", "burundi": "BI", "cambodia": "KH", "cameroon": "CM",
    "canada": "CA", "cayman islands": "KY", "central african republic": "CF", "chile": "CL",
    "china": "CN", "people's republic of china": "CN", "colombia": "CO", "comoros": "KM",
    "congo, democratic republic of the": "CD", "democratic republic of the congo": "CD",
    "congo, republic of the": "CG", "costa rica": "CR", "cote d'ivoire": "CI", "croatia": "HR",
    "cuba": "CU", "cyprus": "CY", "czech republic": "CZ", "czechia": "CZ", "denmark": "DK",
    "djibouti": "DJ", "dominica": "DM", "dominican republic": "DO", "ecuador": "EC", "egypt": "EG",
    "el salvador": "SV", "equatorial guinea": "GQ", "eritrea": "ER", "estonia": "EE", "ethiopia": "ET",
    "finland": "FI", "france": "FR", "gambia": "GM", "the gambia": "GM", "gambia, the": "GM",
    "georgia": "GE", "germany": "DE", "ghana": "GH", "gibraltar": "GI", "greece": "GR", "guatemala": "GT",
    "guinea": "GN", "guinea-bissau": "GW", "guyana": "GY", "haiti": "HT", "honduras": "HN",
    "hong kong": "HK", "hungary": "HU", "india": "IN", "indonesia": "ID", "iran": "IR", "iraq": "IQ",
    "ireland": "IE", "israel": "IL", "italy": "IT", "jamaica": "JM", "japan": "JP", "jordan": "JO",
    "kazakhstan": "KZ", "kenya": "KE", "korea, north": "KP", "north korea": "KP", "korea, south": "KR",
    "south korea": "KR", "kosovo": "XK", "kuwait": "KW", "kyrgyzstan": "KG", "laos": "LA", "latvia": "LV",
    "lebanon": "LB", "liberia": "LR", "libya": "LY", "liechtenstein": "LI", "lithuania": "LT",
    "luxembourg": "LU", "macau": "MO", "macao": "MO", "malaysia": "MY", "mali": "ML", "malta": "MT",
    "marshall islands": "MH", "mexico": "MX", "moldova": "MD", "monaco": "MC", "mongolia": "MN",
    "montenegro": "ME", "morocco": "MA", "mozambique": "MZ", "namibia": "NA", "nepal": "NP",
    "netherlands": "NL", "new zealand": "NZ", "nicaragua": "NI", "niger": "NE", "nigeria": "NG",
    "north macedonia": "MK", "norway": "NO", "oman": "OM", "pakistan": "PK", "palau": "PW",
    "palestinian": "PS", "west bank": "PS", "panama": "PA", "paraguay": "PY", "peru": "PE",
    "philippines": "PH", "poland": "PL", "portugal": "PT", "qatar": "QA", "romania": "RO", "russia": "RU",
    "russian federation": "RU", "rwanda": "RW", "saint kitts and nevis": "KN", "saudi arabia": "SA",
    "senegal": "SN", "serbia": "RS", "seychelles": "SC", "sierra leone": "SL", "singapore": "SG",
    "slovakia": "SK", "slovenia": "SI", "somalia": "SO", "south africa": "ZA", "south sudan": "SS",
    "spain": "ES", "sri lanka": "LK", "sudan": "SD", "sweden": "SE", "switzerland": "CH", "syria": "SY",
    "taiwan": "TW", "tajikistan": "TJ", "tanzania": "TZ", "thailand": "TH", "tunisia": "TN",
    "turkey": "TR", "turkiye": "TR", "turkmenistan": "TM", "uganda": "UG", "ukraine": "UA",
    "united arab emirates": "AE", "united kingdom": "GB", "united states": "US", "uruguay": "UY",
    "uzbekistan": "UZ", "vanuatu": "VU", "venezuela": "VE", "vietnam": "VN", "viet nam": "VN",
    "virgin islands, british": "VG", "yemen": "YE", "zambia": "ZM", "zimbabwe": "ZW",
}


def to_iso2(value: str | None) -> str | None:
    """`"Korea, North"` → `"KP"`, `"cn"` → `"CN"`; None when blank, undetermined or unknown."""
    text = (value or "").strip()
    if len(text) == 2 and text.isalpha() and text.isascii():
        return text.upper()
    return _NAMES.get(text.lower())
