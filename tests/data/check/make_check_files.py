"""Regenerate the `flrisk check` sample files: `python tests/data/check/make_check_files.py` from the repo root.

clean_suppliers.csv    no finding at any level (exit 0 even with --fail-on elevated)
listed_suppliers.csv   one UFLPA Entity List company in ERP upper-case (presumption), one CBP WRO company
                       not on the UFLPA list (review), one lithium supplier from China (elevated), one clean row
gbk_suppliers.csv      GBK, Chinese headers, one listed company in 汉字
suppliers.xlsx         a workbook with one listed company on sheet row 4
shipments.json         ScreeningRequest objects: a clean shipment and one with a Xinjiang input (presumption)
malformed.csv          an unbalanced quote on row 3
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
CLEAN = [
    ("V100", "Vina Solar Technology Co Ltd", "VN", "Bac Giang", "8541.43"),
    ("V101", "Bosch Rexroth AG", "DE", "Lohr am Main", "8412.21"),
    ("V102", "Acme Fasteners Inc", "US", "Cleveland, Ohio", "7318.15"),
]


def main() -> None:
    header = "Vendor ID,Vendor Name,Country,Address,HS Code\n"
    (HERE / "clean_suppliers.csv").write_text(header + "".join(f'{r},"{n}",{c},"{a}",{h}\n'
                                                                for r, n, c, a, h in CLEAN), "utf-8")
    listed = [*CLEAN[:1], ("V200", "HOSHINE SILICON IND SHANSHAN CO LTD", "CN", "", ""),
              ("V201", "Tangshan Sanyou Group Co., Ltd.", "CN", "Tangshan, Hebei", ""),
              ("V202", "Ningbo Shanshan Co., Ltd.", "CN", "Ningbo", "8507.60"), *CLEAN[1:2]]
    (HERE / "listed_suppliers.csv").write_text(header + "".join(f'{r},"{n}",{c},"{a}",{h}\n'
                                                                 for r, n, c, a, h in listed), "utf-8")
    gbk = ("供应商编号,供应商名称,国家,地址\n"
           "G001,博世力士乐（常州）有限公司,中国,江苏省常州市\n"
           "G002,合盛硅业（鄯善）有限公司,中国,鄯善县\n")
    (HERE / "gbk_suppliers.csv").write_bytes(gbk.encode("gbk"))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Vendors"
    sheet.append(["Supplier ID", "Supplier Name", "Ctry"])
    sheet.append([1000, "Bosch Rexroth AG", "DE"])
    sheet.append([1001, "Acme Fasteners Inc", "US"])
    sheet.append([1002, "Xinjiang Zhongtai Chemical Co., Ltd.", "CN"])
    workbook.save(HERE / "suppliers.xlsx")
    shipments = [
        {"reference": "PO-1", "kind": "shipment",
         "parties": [{"role": "manufacturer", "name": "Bosch Rexroth AG", "country": "DE"}],
         "goods": [{"hs_code": "8412.21", "origin_country": "DE"}]},
        {"reference": "PO-2", "kind": "shipment",
         "parties": [{"role": "manufacturer", "name": "Vina Solar Technology Co Ltd", "country": "VN"}],
         "goods": [{"hs_code": "8541.43", "origin_country": "VN",
                    "inputs": [{"material": "polysilicon", "origin_country": "CN", "origin_region": "Xinjiang"}]}]},
    ]
    (HERE / "shipments.json").write_text(json.dumps(shipments, indent=2, ensure_ascii=False) + "\n", "utf-8")
    (HERE / "malformed.csv").write_text('Vendor ID,Vendor Name,Country\nV1,Bosch Rexroth AG,DE\n'
                                        'V2,"Acme Fasteners Inc,US\nV3,Other Co,US\n', "utf-8")


if __name__ == "__main__":
    main()
