"""`flrisk check` (issue 18): a presumption is attributed to the party that caused it, never to the importer
for its manufacturer's listing; JUnit names do not repeat the row; a file with several bad rows lists them all."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.check.test_check_cli import check, json_lines


def test_json_names_the_manufacturer_not_the_importer() -> None:
    result = check("examples/shipments.json", "--format", "json")
    assert result.returncode == 1, result.stderr
    records = {r["reference"]: r for r in json_lines(result.stdout)}
    po3 = records["PO-3"]
    assert po3["verdict"] == "presumption"
    assert po3["name"] == "Hoshine Silicon Industry (Shanshan) Co., Ltd"  # not Krones AG, the importer
    assert [(c["pointer"], c["role"]) for c in po3["caused_by"]] == [("/parties/1", "manufacturer")]
    assert po3["parties"] == [{"role": "importer", "name": "Krones AG"},
                              {"role": "manufacturer", "name": "Hoshine Silicon Industry (Shanshan) Co., Ltd"}]
    assert all(e["concerns"]["pointer"] != "/parties/0" for e in po3["evidence"] if e["effect"] != "informational")
    po2 = records["PO-2"]
    assert po2["name"] is None  # no party caused it: a Xinjiang input did
    assert po2["caused_by"] == [{"pointer": "/goods/0/inputs/0", "hs_code": "854143", "material": "polysilicon"}]
    assert "line" in po2
    assert "row" not in po2


def test_junit_and_sarif_name_the_cause_and_do_not_repeat_the_row() -> None:
    junit = ET.fromstring(check("examples/shipments.json", "--format", "junit").stdout)
    cases = {c.get("name"): c for c in junit.iter("testcase")}
    assert set(cases) == {"line 2: PO-1", "line 19: PO-2", "line 43: PO-3"}
    failure = cases["line 43: PO-3"].find("failure")
    assert failure is not None
    assert failure.get("message", "").startswith("manufacturer 'Hoshine Silicon Industry (Shanshan) Co., Ltd': ")
    assert "Krones" not in failure.get("message", "")
    suppliers = ET.fromstring(check("examples/vendors.csv", "--format", "junit").stdout)
    names = [c.get("name") for c in suppliers.iter("testcase")]
    assert names[0] == "row 2: Hoshine Silicon Industry (Shanshan) Co., Ltd (V-1042)"
    sarif = json.loads(check("examples/shipments.json", "--format", "sarif").stdout)
    texts = [r["message"]["text"] for r in sarif["runs"][0]["results"]]
    po3 = next(t for t in texts if "PO-3" in t)
    assert po3.startswith("line 43 (PO-3), manufacturer 'Hoshine Silicon Industry (Shanshan) Co., Ltd': presumption")


def test_every_bad_row_of_a_file_is_listed(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Vendor Name,HS Code\nAcme Trading,8479.89\n,8479.89\nBeta Industries,0000.00\n   ,8479.89\n")
    result = check(str(bad))
    assert result.returncode == 2
    assert "bad.csv: 3 invalid value(s):" in result.stderr
    assert "row 3, column 'Vendor Name': empty name" in result.stderr
    assert "row 4, column 'HS Code': invalid HS code '0000.00'" in result.stderr
    assert "row 5, column 'Vendor Name': empty name" in result.stderr
