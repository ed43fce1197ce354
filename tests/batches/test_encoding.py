"""detect_encoding on real upload files and crafted bytes: BOMs, UTF-8, GBK guess, forced codecs, binaries."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from service.batches.encoding import decode, detect_encoding
from service.batches.errors import UploadError

UPLOADS = Path(__file__).parents[1] / "data" / "uploads"
NAMES = "供应商名称,国家\n新疆中泰化学股份有限公司,中国\n合盛硅业（鄯善）有限公司,中国\n"


class TestDetectEncoding:
    def test_gbk_file_decodes_to_the_right_hanzi(self) -> None:
        text, encoding = decode((UPLOADS / "gbk_chinese_headers.csv").read_bytes())
        assert encoding == "gb18030"
        assert "合盛硅业（鄯善）有限公司" in text
        assert text.startswith("供应商编号,供应商名称")

    def test_utf8_bom(self) -> None:
        assert detect_encoding((UPLOADS / "utf8_bom.csv").read_bytes()) == "utf-8-sig"

    def test_utf16_bom(self) -> None:
        assert detect_encoding((UPLOADS / "utf16.txt").read_bytes()) == "utf-16"

    def test_utf16_without_bom(self) -> None:
        assert detect_encoding("Vendor Name\tCountry\nAcme Ltd\tDE\n".encode("utf-16-le")) == "utf-16-le"

    def test_plain_utf8(self) -> None:
        assert detect_encoding(NAMES.encode()) == "utf-8"

    def test_big5(self) -> None:
        data = "供應商名稱,國家\n台灣積體電路製造股份有限公司,台灣\n鴻海精密工業股份有限公司,台灣\n".encode("big5")
        text, encoding = decode(data)
        assert encoding == "big5hkscs"
        assert "鴻海精密工業股份有限公司" in text

    def test_cp1252(self) -> None:
        data = "Name,Country\nSociété Générale Textiles,FR\nMüller Baumwolle GmbH,DE\nTejidos Señor SA,ES\n"
        assert detect_encoding(data.encode("cp1252")) == "cp1252"


class TestForcedEncoding:
    def test_forced_gbk_is_decoded_with_gb18030(self) -> None:
        text, encoding = decode(NAMES.encode("gbk"), forced="GBK")
        assert (encoding, text) == ("gb18030", NAMES)

    def test_forced_utf8_on_a_bom_file_drops_the_bom(self) -> None:
        assert detect_encoding(codecs.BOM_UTF8 + b"Name\nAcme\n", forced="utf8") == "utf-8-sig"

    def test_unknown_codec_is_refused(self) -> None:
        with pytest.raises(UploadError) as caught:
            detect_encoding(b"Name\nAcme\n", forced="klingon-8")
        assert caught.value.field == "encoding"

    def test_wrong_forced_encoding_names_the_line(self) -> None:
        data = "Name,Country\nAcme Ltd,US\nBeta GmbH,DE\n新疆中泰化学股份有限公司,中国\n".encode("gbk")
        with pytest.raises(UploadError) as caught:
            detect_encoding(data, forced="utf-8")
        assert (caught.value.field, caught.value.row) == ("encoding", 4)
        assert "line 4" in caught.value.message

    def test_a_non_text_codec_is_refused(self) -> None:
        with pytest.raises(UploadError) as caught:
            detect_encoding(b"Name\nAcme\n", forced="hex")
        assert caught.value.field == "encoding"


class TestBinary:
    def test_garbage_bytes_are_refused(self) -> None:
        with pytest.raises(UploadError, match="not a text CSV or XLSX"):
            detect_encoding((UPLOADS / "garbage.bin").read_bytes())

    def test_nul_bytes_are_refused(self) -> None:
        with pytest.raises(UploadError, match="not a text CSV or XLSX"):
            detect_encoding(b"Name,Country\nAcme\x00\x00Ltd,US\n" * 3 + b"\x89PNG" * 20)
