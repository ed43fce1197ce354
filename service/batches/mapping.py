"""Which column holds which field: mapped from common English and Chinese headers, or given by the caller."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from service.batches.errors import UploadError
from service.batches.reading import Table

FIELDS = ("name", "chinese_name", "country", "address", "city", "hs_code", "reference", "type")

# Header spellings after `_key` (NFKC, case-folded, no spaces or punctuation), best first. 客户名称 (customer
# name) is left out on purpose: a customer column is not the supplier being screened.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("vendorname", "suppliername", "companyname", "legalname", "name", "company", "supplier", "vendor",
             "manufacturer", "manufacturername", "partyname", "entityname", "englishname", "nameen", "namelatin",
             "供应商名称", "供应商", "供应商全称", "公司名称", "企业名称", "单位名称", "厂商名称", "厂商", "名称"),
    "chinese_name": ("chinesename", "namecn", "namezh", "cnname", "zhname", "localname", "namelocal",
                     "vendornamecn", "suppliernamecn", "中文名称", "中文名", "供应商中文名称", "公司中文名称"),
    "country": ("country", "ctry", "countrycode", "countryregion", "countryname", "vendorcountry",
                "suppliercountry", "国家", "国别", "国家地区", "国家代码"),
    "address": ("address", "streetaddress", "street", "address1", "addressline1", "vendoraddress",
                "supplieraddress", "registeredaddress", "地址", "详细地址", "公司地址", "注册地址", "供应商地址"),
    "city": ("city", "town", "cityname", "城市", "所在城市", "市"),
    "hs_code": ("hscode", "hs", "hts", "htscode", "htsus", "htsnumber", "tariffcode", "tariffnumber",
                "commoditycode", "海关编码", "商品编码", "hs编码", "税则号", "税则号列"),
    "reference": ("vendorid", "supplierid", "vendorno", "vendornumber", "vendorcode", "supplierno",
                  "suppliernumber", "suppliercode", "reference", "ref", "id", "供应商编号", "供应商代码",
                  "供应商编码", "编号"),
    "type": ("type", "entitytype", "partytype", "suppliertype", "vendortype", "类型", "供应商类型"),
}
_PUNCTUATION = re.compile(r"[\s\W_]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, str]  # field -> header text, exactly as in the file
    source: Literal["given", "auto"]


@dataclass(frozen=True)
class UploadRow:
    index: int  # 0-based data row index
    row_number: int  # the file's row number (header = 1)
    values: list[str]  # the original cells
    name: str
    chinese_name: str | None
    country: str | None
    address: str | None
    city: str | None
    hs_code: str | None
    reference: str | None
    type: str | None


def _key(header: str) -> str:
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", header).casefold())


def auto_mapping(headers: list[str]) -> Mapping:
    """Fields found by header text; each header used once, the first of duplicate headers wins."""
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(_key(header), header)
    found = {field: [by_key[key] for key in synonyms if key in by_key] for field, synonyms in _SYNONYMS.items()}
    latin = [header for header in found["name"] if not _HAN.search(header)]
    han = [header for header in found["name"] if _HAN.search(header)]
    if latin and han:  # "Vendor Name" next to "供应商名称": the 汉字-headed one is the Chinese name
        found["name"] = latin
        found["chinese_name"] += han  # after any explicit "Chinese Name" header
    columns: dict[str, str] = {}
    for field in FIELDS:
        free = next((header for header in found[field] if header not in columns.values()), None)
        if free is not None:
            columns[field] = free
    return Mapping(columns, "auto")


def parse_mapping(raw_json: str, headers: list[str]) -> Mapping:
    """The caller's {"field": "header text"} object. It replaces auto-mapping entirely (no merging)."""
    try:
        raw = json.loads(raw_json)
    except ValueError as exc:
        raise UploadError(f"mapping is not valid JSON: {exc}", field="mapping") from None
    if not isinstance(raw, dict):
        raise UploadError('mapping must be a JSON object like {"name": "Vendor Name"}', field="mapping")
    columns: dict[str, str] = {}
    for field, header in raw.items():
        if field not in FIELDS:
            raise UploadError(f"mapping has an unknown field {field!r}; fields are {', '.join(FIELDS)}",
                              field="mapping")
        if header is None or header == "":
            continue  # {"city": null} says "no city column"
        if not isinstance(header, str) or header not in headers:
            raise UploadError(f"mapping for {field!r} names a column the file does not have: {header!r}; "
                              f"the headers are {', '.join(repr(h) for h in headers)}",
                              column=str(header), field="mapping")
        if headers.count(header) > 1:
            raise UploadError(f"the file has more than one column headed {header!r}; rename one",
                              column=header, field="mapping")
        columns[field] = header
    return Mapping(columns, "given")


def validate(table: Table, mapping: Mapping) -> None:
    """Refuse the upload for a missing name column, or for every row it cannot screen at once (empty, too long
    or garbled names, invalid HS codes: `service/batches/problems.py`), naming each row and column."""
    from service.batches.problems import UploadProblems, row_problems

    if "name" not in mapping.columns:
        raise UploadError(f"no name column among the headers ({', '.join(repr(h) for h in table.headers)}); "
                          'map one with mapping={"name": "<header>"}', field="mapping")
    problems, total = row_problems(table, mapping.columns)
    if problems:
        raise UploadProblems(problems, total)


def _positions(table: Table, mapping: Mapping) -> dict[str, int]:
    return {field: table.headers.index(header) for field, header in mapping.columns.items()}


def _name(row: list[str], positions: dict[str, int]) -> tuple[str, str]:
    """The field the row's name comes from and the name, stripped."""
    name = row[positions["name"]].strip()
    if not name and "chinese_name" in positions and row[positions["chinese_name"]].strip():
        return "chinese_name", row[positions["chinese_name"]].strip()
    return "name", name


def upload_rows(table: Table, mapping: Mapping) -> list[UploadRow]:
    """One UploadRow per data row, fields stripped, empty optional fields as None. Call `validate` first."""
    positions = _positions(table, mapping)

    def cell(row: list[str], field: str) -> str | None:
        position = positions.get(field)
        value = row[position].strip() if position is not None else ""
        return value or None

    return [
        UploadRow(index=index, row_number=number, values=row, name=_name(row, positions)[1],
                  chinese_name=cell(row, "chinese_name"), country=cell(row, "country"), address=cell(row, "address"),
                  city=cell(row, "city"), hs_code=cell(row, "hs_code"), reference=cell(row, "reference"),
                  type=cell(row, "type"))
        for index, (row, number) in enumerate(zip(table.rows, table.row_numbers, strict=True))
    ]
