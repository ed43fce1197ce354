"""read_table on the committed upload files and on crafted CSV/XLSX edge cases."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from service.batches import reading
from service.batches.errors import UploadError
from service.batches.reading import read_table, sniff_delimiter

UPLOADS = Path(__file__).parents[1] / "data" / "uploads"


def _upload(name: str) -> bytes:
    return (UPLOADS / name).read_bytes()


class TestCsv:
    def test_gbk_with_chinese_headers(self) -> None:
        table = read_table(_upload("gbk_chinese_headers.csv"), filename="vendors.csv")
        assert (table.format, table.encoding) == ("csv", "gb18030")
        assert table.headers == ["供应商编号", "供应商名称", "国家", "地址", "海关编码"]
        assert table.rows[1] == ["V002", "新疆中泰化学股份有限公司", "中国", "乌鲁木齐市", "2904.10"]
        assert table.row_numbers == [2, 3, 4]

    def test_utf8_bom_does_not_reach_the_first_header(self) -> None:
        table = read_table(_upload("utf8_bom.csv"))
        assert table.headers[0] == "Vendor ID"
        assert table.rows[0][2] == "合盛硅业（鄯善）有限公司"

    def test_utf16_tab_separated(self) -> None:
        table = read_table(_upload("utf16.txt"))
        assert (table.encoding, len(table.headers)) == ("utf-16", 6)
        assert table.rows[1][1] == "Xinjiang Zhongtai Chemical Co., Ltd."

    def test_semicolons_and_quoted_newlines(self) -> None:
        table = read_table(_upload("semicolon.csv"))
        assert table.headers == ["Lieferant", "Supplier Name", "Land", "Address"]
        assert table.rows[0][3] == "新疆鄯善县\nline 2"
        assert table.row_numbers == [2, 3, 4, 5]  # records, as a spreadsheet shows them, not physical lines

    def test_forced_encoding(self) -> None:
        data = "名称,国家\n新疆天业股份有限公司,中国\n".encode("gbk")
        assert read_table(data, encoding="gbk").rows == [["新疆天业股份有限公司", "中国"]]

    @pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
    def test_delimiter_sniffed(self, delimiter: str) -> None:
        text = delimiter.join(["Vendor Name", "Country", "City"]) + "\n" + delimiter.join(
            ['"Acme Co., Ltd."', "CN", "Urumqi"]) + "\n"
        assert sniff_delimiter(text) == delimiter
        assert read_table(text.encode()).rows == [["Acme Co., Ltd.", "CN", "Urumqi"]]

    def test_commas_inside_names_do_not_fool_the_sniffer(self) -> None:
        text = "Name;Country\nHoshine Silicon Co., Ltd.;CN\nDaqo New Energy Co., Ltd.;CN\n"
        assert sniff_delimiter(text) == ";"

    def test_one_column_of_names_with_commas(self) -> None:
        assert read_table(b"Name\nAcme, Inc.\nDaqo New Energy Co., Ltd.\n").rows == [
            ["Acme, Inc."], ["Daqo New Energy Co., Ltd."]]

    def test_empty_rows_skipped_short_rows_padded(self) -> None:
        table = read_table(b"Name,Country,City\n\nAcme,US\n,,\nBeta,DE,Berlin,\n")
        assert table.rows == [["Acme", "US", ""], ["Beta", "DE", "Berlin"]]
        assert table.row_numbers == [3, 5]


class TestXlsx:
    def test_first_visible_sheet_with_values_as_text(self) -> None:
        table = read_table(_upload("vendors.xlsx"), filename="x.csv")  # format from content, not the name
        assert (table.format, table.encoding) == ("xlsx", None)
        assert table.headers == ["Supplier ID", "供应商名称", "Supplier Name", "Ctry", "Since", "Volume"]
        assert table.rows[0] == ["1000", "合盛硅业（鄯善）有限公司", "Hoshine Silicon Ind (Shanshan) Co Ltd", "CN",
                                 "2021-03-01", "0"]
        assert table.rows[1][5] == "1.5"

    def test_cell_text(self) -> None:
        assert [reading._cell_text(value) for value in (12345.0, 0.1 + 0.2, True, None, dt.datetime(2024, 5, 1, 8, 30),
                                                        dt.date(2024, 5, 1), "00123")] == [
            "12345", "0.3", "TRUE", "", "2024-05-01 08:30:00", "2024-05-01", "00123"]

    def test_empty_row_skipped_and_row_numbers_kept(self) -> None:
        table = read_table(_upload("vendors.xlsx"))
        assert table.row_numbers == [2, 3, 4, 5, 7]
        assert table.rows[-1][2] == "=cmd|' /C calc'!A0"  # user data as given

    def test_wrong_dimension_does_not_truncate(self) -> None:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for row in (["Name", "Country"], ["Acme", "US"], ["Beta", "DE"]):
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = _rewrite(buffer.getvalue(), "xl/worksheets/sheet1.xml", b'<dimension ref="A1:B3"/>',
                        b'<dimension ref="A1"/>')
        assert read_table(data).rows == [["Acme", "US"], ["Beta", "DE"]]


def _rewrite(data: bytes, member: str, old: bytes, new: bytes) -> bytes:
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            archive.writestr(info.filename, content.replace(old, new) if info.filename == member else content)
    return target.getvalue()


class TestRefused:
    def test_zip_bomb(self) -> None:
        assert len(_upload("bomb.xlsx")) < 200_000
        with pytest.raises(UploadError, match="compressed more than 100:1"):
            read_table(_upload("bomb.xlsx"))

    def test_total_uncompressed_size(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(reading, "MAX_UNCOMPRESSED", 1000)
        with pytest.raises(UploadError, match="unpacks to more than"):
            read_table(_upload("vendors.xlsx"))

    def test_too_many_zip_members(self) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
            for index in range(10_001):
                archive.writestr(f"xl/x{index}.xml", "")
        with pytest.raises(UploadError, match="parts"):
            read_table(buffer.getvalue())

    def test_zip_that_is_not_xlsx(self) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("vendors.csv", "Name\nAcme\n")
        with pytest.raises(UploadError, match="not an XLSX"):
            read_table(buffer.getvalue())

    def test_legacy_xls(self) -> None:
        with pytest.raises(UploadError, match="legacy .xls"):
            read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))

    def test_garbage(self) -> None:
        with pytest.raises(UploadError, match="not a text CSV or XLSX"):
            read_table(_upload("garbage.bin"))

    @pytest.mark.parametrize("data", [b"", b"\n\n", b",,,\n"])
    def test_empty_file(self, data: bytes) -> None:
        with pytest.raises(UploadError, match="empty"):
            read_table(data)

    def test_header_only(self) -> None:
        with pytest.raises(UploadError, match="no data rows"):
            read_table(b"Vendor Name,Country\n\n")

    def test_ragged_row_names_its_row(self) -> None:
        with pytest.raises(UploadError) as caught:
            read_table(b"Name,Country\nAcme,US\nBeta,DE,extra\n")
        assert caught.value.row == 3

    def test_unterminated_quote_names_its_row(self) -> None:
        with pytest.raises(UploadError, match="quoting") as caught:
            read_table(b'Name,Country\nAcme,US\n"Beta, Inc,DE\nGamma,CN\n')
        assert caught.value.row == 3

    def test_huge_cell(self) -> None:
        with pytest.raises(UploadError, match="field limit") as caught:
            read_table(b"Name,Country\n" + b"A" * (2 * 1024 * 1024) + b",US\n")
        assert caught.value.row == 2

    def test_too_many_rows(self) -> None:
        data = b"Name\n" + b"Acme\n" * 11
        assert len(read_table(data, max_rows=11).rows) == 11
        with pytest.raises(UploadError, match="more than 10 data rows") as caught:
            read_table(data, max_rows=10)
        assert caught.value.row == 12
