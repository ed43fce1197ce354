"""Regenerate the upload test files: `python tests/data/uploads/make_uploads.py` from the repo root.

Names are real UFLPA Entity List companies and ordinary suppliers, in 汉字, pinyin and English.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
ROWS = [  # reference, English name, 汉字 name, country, address, HS code
    ("V001", "Hoshine Silicon Ind (Shanshan) Co Ltd", "合盛硅业（鄯善）有限公司", "CN", "新疆鄯善县", "2804.61"),
    ("V002", "Xinjiang Zhongtai Chemical Co., Ltd.", "新疆中泰化学股份有限公司", "CN", "乌鲁木齐市", "2904.10"),
    ("V003", "Ningbo Shanshan Co., Ltd.", "宁波杉杉股份有限公司", "CN", "宁波市鄞州区", "8507.60"),
    ("V004", "Vina Solar Technology Co Ltd", "", "VN", "Bac Giang", "8541.43"),
]


def main() -> None:
    chinese = "供应商编号,供应商名称,国家,地址,海关编码\n" + "".join(
        f"{ref},{cn},中国,{address},{hs}\n" for ref, _, cn, _, address, hs in ROWS[:3])
    (HERE / "gbk_chinese_headers.csv").write_bytes(chinese.encode("gbk"))
    english = "Vendor ID,Vendor Name,Chinese Name,Country,Address,HS Code\n" + "".join(
        f'{ref},"{en}",{cn},{ctry},{address},{hs}\n' for ref, en, cn, ctry, address, hs in ROWS)
    (HERE / "utf8_bom.csv").write_bytes(english.encode("utf-8-sig"))
    tabbed = "Vendor ID\tVendor Name\tChinese Name\tCountry\tAddress\tHS Code\n" + "".join(
        "\t".join(row) + "\n" for row in ROWS)
    (HERE / "utf16.txt").write_bytes(tabbed.encode("utf-16"))  # Excel's "Unicode text": UTF-16 LE with BOM, tabs
    semicolon = "Lieferant;Supplier Name;Land;Address\n" + "".join(
        f'{ref};"{en}";{ctry};"{address}\nline 2"\n' for ref, en, _, ctry, address, _ in ROWS)
    (HERE / "semicolon.csv").write_bytes(semicolon.encode("utf-8"))
    _xlsx()
    _bomb()
    (HERE / "garbage.bin").write_bytes(bytes(range(256)) * 8)


def _xlsx() -> None:
    workbook = openpyxl.Workbook()
    hidden = workbook.active
    hidden.title = "hidden"
    hidden.sheet_state = "hidden"
    hidden.append(["not", "this"])
    sheet = workbook.create_sheet("Vendors")
    sheet.append(["Supplier ID", "供应商名称", "Supplier Name", "Ctry", "Since", "Volume"])
    for index, (_ref, en, cn, ctry, _address, _hs) in enumerate(ROWS):
        sheet.append([1000 + index, cn, en, ctry, dt.datetime(2021, 3, index + 1), 1.5 * index])
    sheet.append([])  # an empty row: skipped, the next keeps its sheet row number
    sheet.append([2000, "", "=cmd|' /C calc'!A0", "CN", None, None])
    sheet.cell(sheet.max_row, 3).data_type = "s"  # a text cell that looks like a formula (CSV-injection style)
    workbook.save(HERE / "vendors.xlsx")


def _bomb() -> None:
    """A zip that claims to be an XLSX with a 300 MB sheet of zeros (compresses ~1000:1, file ~300 KB)."""
    with zipfile.ZipFile(HERE / "bomb.xlsx", "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"0" * (1024 * 1024)
            for _ in range(150):
                member.write(block)


if __name__ == "__main__":
    main()
