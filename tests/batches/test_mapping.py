"""Header auto-mapping (English and Chinese), the caller's mapping, validation and UploadRow building."""

from __future__ import annotations

import pytest

from service.batches.errors import UploadError
from service.batches.mapping import Mapping, auto_mapping, parse_mapping, upload_rows, validate
from service.batches.reading import Table


def _table(headers: list[str], *rows: list[str]) -> Table:
    return Table("csv", "utf-8", headers, [list(row) for row in rows], list(range(2, len(rows) + 2)))


class TestAutoMapping:
    def test_english_erp_headers(self) -> None:
        mapping = auto_mapping(["Vendor No.", "VENDOR NAME", "Street", "City", "Ctry", "HTS Code", "Payment Terms"])
        assert mapping == Mapping({"name": "VENDOR NAME", "country": "Ctry", "address": "Street", "city": "City",
                                   "hs_code": "HTS Code", "reference": "Vendor No."}, "auto")

    def test_chinese_headers(self) -> None:
        mapping = auto_mapping(["供应商编号", "供应商名称", "国别", "地址", "城市", "海关编码", "类型"])
        assert mapping.columns == {"name": "供应商名称", "country": "国别", "address": "地址", "city": "城市",
                                   "hs_code": "海关编码", "reference": "供应商编号", "type": "类型"}

    def test_chinese_header_next_to_a_latin_one_is_the_chinese_name(self) -> None:
        mapping = auto_mapping(["Vendor Name", "供应商名称", "Country"])
        assert mapping.columns == {"name": "Vendor Name", "chinese_name": "供应商名称", "country": "Country"}

    def test_explicit_chinese_name_header_wins(self) -> None:
        mapping = auto_mapping(["Supplier Name", "公司名称", "Chinese Name"])
        assert (mapping.columns["name"], mapping.columns["chinese_name"]) == ("Supplier Name", "Chinese Name")

    def test_spacing_case_and_punctuation_ignored(self) -> None:
        mapping = auto_mapping([" supplier_name ", "HS-Code", "国家/地区", "Ｓｕｐｐｌｉｅｒ ＩＤ"])
        assert mapping.columns == {"name": " supplier_name ", "hs_code": "HS-Code", "country": "国家/地区",
                                   "reference": "Ｓｕｐｐｌｉｅｒ ＩＤ"}

    def test_customer_name_is_not_a_supplier(self) -> None:
        assert "name" not in auto_mapping(["客户名称", "国家"]).columns

    def test_each_header_used_once(self) -> None:
        assert auto_mapping(["Supplier", "Supplier ID"]).columns == {"name": "Supplier", "reference": "Supplier ID"}


class TestParseMapping:
    def test_given_mapping(self) -> None:
        mapping = parse_mapping('{"name": "Firma", "country": "Land", "city": null}', ["Nr", "Firma", "Land"])
        assert mapping == Mapping({"name": "Firma", "country": "Land"}, "given")

    def test_invalid_json(self) -> None:
        with pytest.raises(UploadError) as caught:
            parse_mapping("{name: Firma}", ["Firma"])
        assert caught.value.field == "mapping"

    def test_not_an_object(self) -> None:
        with pytest.raises(UploadError, match="JSON object"):
            parse_mapping('["Firma"]', ["Firma"])

    def test_unknown_field(self) -> None:
        with pytest.raises(UploadError, match="unknown field 'vendor'") as caught:
            parse_mapping('{"vendor": "Firma"}', ["Firma"])
        assert caught.value.field == "mapping"

    def test_header_not_in_file(self) -> None:
        with pytest.raises(UploadError) as caught:
            parse_mapping('{"name": "Vendor Name"}', ["Firma", "Land"])
        assert (caught.value.field, caught.value.column) == ("mapping", "Vendor Name")

    def test_duplicated_header(self) -> None:
        with pytest.raises(UploadError, match="more than one column"):
            parse_mapping('{"name": "Name"}', ["Name", "Name"])


class TestValidate:
    headers = ["ID", "Vendor Name", "Country"]

    def test_valid(self) -> None:
        table = _table(self.headers, ["1", "新疆中泰化学股份有限公司", "CN"], ["2", "Daqo New Energy", ""])
        validate(table, auto_mapping(table.headers))

    def test_no_name_column(self) -> None:
        table = _table(["ID", "Land"], ["1", "CN"])
        with pytest.raises(UploadError, match='mapping={"name": "<header>"}') as caught:
            validate(table, auto_mapping(table.headers))
        assert caught.value.column is None

    def test_too_long_name_names_row_and_column(self) -> None:
        table = _table(self.headers, ["1", "Acme", "US"], ["2", "x" * 1000, "US"], ["3", "y" * 1001, "US"])
        with pytest.raises(UploadError, match="longer than 1000") as caught:
            validate(table, auto_mapping(table.headers))
        assert (caught.value.row, caught.value.column) == (4, "Vendor Name")

    def test_empty_name(self) -> None:
        table = _table(self.headers, ["1", "Acme", "US"], ["2", "  ", "US"])
        with pytest.raises(UploadError, match="empty name") as caught:
            validate(table, auto_mapping(table.headers))
        assert (caught.value.row, caught.value.column) == (3, "Vendor Name")

    def test_empty_name_with_a_chinese_name_is_screened_on_that(self) -> None:
        table = _table(["Vendor Name", "中文名称"], ["", "新疆中泰化学股份有限公司"], ["", "x" * 1001])
        mapping = auto_mapping(table.headers)
        assert upload_rows(table, mapping)[0].name == "新疆中泰化学股份有限公司"
        with pytest.raises(UploadError, match="longer than") as caught:
            validate(table, mapping)
        assert (caught.value.row, caught.value.column) == (3, "中文名称")

    def test_control_characters(self) -> None:
        table = _table(self.headers, ["1", "Acme\x07 Ltd", "US"])
        with pytest.raises(UploadError, match="control characters") as caught:
            validate(table, auto_mapping(table.headers))
        assert caught.value.row == 2

    def test_tab_and_newline_allowed(self) -> None:
        validate(_table(self.headers, ["1", "Acme\tLtd\nUrumqi", "US"]), auto_mapping(self.headers))


class TestUploadRows:
    def test_fields_stripped_and_empty_as_none(self) -> None:
        table = Table("csv", "utf-8", ["Vendor Name", "中文名称", "Country"],
                      [[" Hoshine Silicon ", "合盛硅业", ""]], [7])
        [row] = upload_rows(table, auto_mapping(table.headers))
        assert (row.index, row.row_number, row.values) == (0, 7, [" Hoshine Silicon ", "合盛硅业", ""])
        assert (row.name, row.chinese_name, row.country, row.address) == ("Hoshine Silicon", "合盛硅业", None, None)
