"""Countries in `flrisk check` (CSV and JSON, locally and on a server): every spelling of China screens as China;
a country that names none is screened without, with a warning in every output format (never a refusal)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from service.check.engines import CheckResult, Screened
from service.check.inputs import CheckItem, load
from service.check.output import Report, render
from service.contracts.screening import ScreeningRequest
from tests.check.test_check_cli import check, json_lines, server  # noqa: F401 - `server` is a fixture
from tests.factories import own_warnings

ROWS = [("V-1", "Example Knitwear Co Ltd", "CN"), ("V-2", "Example Knitwear Co Ltd", "中国"),
        ("V-3", "Example Knitwear Co Ltd", "People's Republic of China"), ("V-4", "Example Knitwear Co Ltd", "PRC"),
        ("V-5", "Example Knitwear Co Ltd", "Narnia"), ("V-6", "Example Knitwear Co Ltd", "Germany")]
CSV_WARNING = "row 6, column '国家': 'Narnia' is not a recognised country; screened without a country"


def gbk_csv(path: Path) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["供应商编号", "供应商名称", "国家", "海关编码"])
    writer.writerows((*row, "6109.10") for row in ROWS)
    path.write_bytes(out.getvalue().encode("gbk"))
    return path


def shipments(path: Path) -> Path:
    def shipment(reference: str, country: str, supplier: dict[str, Any] | None = None) -> dict[str, Any]:
        inputs = [{"material": "cotton", "origin_country": "CN", "supplier": supplier}] if supplier else []
        return {"reference": reference, "kind": "shipment",
                "parties": [{"role": "manufacturer", "name": "Example Knitwear Co Ltd", "country": country}],
                "goods": [{"hs_code": "6109.10", "origin_country": country, "inputs": inputs}]}

    records = [shipment("S-1", "China"), shipment("S-2", "XX"),
               shipment("S-3", "DE", {"name": "Example Spinning Mill", "country": "中國"})]
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2), "utf-8")
    return path


def by_reference(stdout: str) -> dict[str, dict[str, Any]]:
    return {str(r["reference"]): r for r in json_lines(stdout)}


class TestCsv:
    def test_spellings_screen_alike_and_an_unknown_country_warns(self, tmp_path: Path) -> None:
        result = check(str(gbk_csv(tmp_path / "vendors.csv")), "--format", "json", "--fail-on", "review")
        assert result.returncode == 0, result.stderr
        rows = by_reference(result.stdout)
        assert {ref: (r["verdict"], r["risk_score"]) for ref, r in rows.items() if ref <= "V-4"} == \
            dict.fromkeys(("V-1", "V-2", "V-3", "V-4"), ("elevated", 49))
        assert (rows["V-5"]["verdict"], rows["V-6"]["verdict"]) == ("clear", "clear")
        assert {ref: own_warnings(r["warnings"]) for ref, r in rows.items() if own_warnings(r["warnings"])} == \
            {"V-5": [CSV_WARNING]}
        assert "1 warning(s)" in result.stderr

    def test_table_shows_the_warning(self, tmp_path: Path) -> None:
        result = check(str(gbk_csv(tmp_path / "vendors.csv")))
        assert result.returncode == 0, result.stderr
        assert f"warning: {CSV_WARNING}" in result.stdout
        assert "4 elevated" in result.stdout


class TestJson:
    def test_spellings_and_unknown_countries_with_pointer_and_line(self, tmp_path: Path) -> None:
        result = check(str(shipments(tmp_path / "shipments.json")), "--format", "json", "--fail-on", "review")
        assert result.returncode == 0, result.stderr
        rows = by_reference(result.stdout)
        assert {ref: r["verdict"] for ref, r in rows.items()} == {"S-1": "elevated", "S-2": "clear",
                                                                  "S-3": "elevated"}
        assert own_warnings(rows["S-2"]["warnings"]) == [
            f"line {rows['S-2']['line']}, /1/parties/0/country: 'XX' is not a recognised country; screened without a "
            "country",
            f"line {rows['S-2']['line']}, /1/goods/0/origin_country: 'XX' is not a recognised country; screened "
            "without a country"]
        assert own_warnings(rows["S-3"]["warnings"]) == [
            "/goods/0/inputs/0/supplier: no role given; screened as upstream_supplier"]
        assert own_warnings(rows["S-1"]["warnings"]) == []

    def test_records_wrapper_points_into_records(self, tmp_path: Path) -> None:
        path = shipments(tmp_path / "records.json")
        path.write_text(json.dumps({"records": json.loads(path.read_text("utf-8"))}), "utf-8")
        assert load(path).items[1].warnings[0].startswith("line 1, /records/1/parties/0/country: 'XX'")


class TestServerMode:
    def test_warnings_and_verdicts_as_local(self, server: tuple[str, str], tmp_path: Path) -> None:  # noqa: F811
        url, key = server
        for path in (gbk_csv(tmp_path / "vendors.csv"), shipments(tmp_path / "shipments.json")):
            remote = check(str(path), "--server", url, "--format", "json", env={"FLRISK_API_KEY": key})
            local = check(str(path), "--format", "json")
            assert remote.returncode == local.returncode == 0, remote.stderr
            fields = ("reference", "verdict", "risk_score", "warnings")
            assert [{k: r[k] for k in fields} for r in json_lines(remote.stdout)] == \
                [{k: r[k] for k in fields} for r in json_lines(local.stdout)]


def _report() -> Report:
    request = ScreeningRequest.model_validate({"reference": "V-5", "kind": "supplier",
                                               "parties": [{"role": "supplier", "name": "Example Knitwear"}]})
    item = CheckItem(0, 6, request, (CSV_WARNING,))
    clear = CheckResult(item, "clear", 6, "nothing found", [], [CSV_WARNING])
    return Report(Screened([clear], {"uflpa_entity_list": "v1"}, "local"), "vendors.csv", "presumption")


def _rendered(fmt: str) -> str:
    out = io.StringIO()
    render(_report(), fmt, out)
    return out.getvalue()


class TestWarningFormats:
    def test_junit_system_err(self) -> None:
        case = ET.fromstring(_rendered("junit")).find("./testsuite/testcase")
        assert case is not None
        assert case.find("failure") is None
        assert case.findtext("system-err") == f"warning: {CSV_WARNING}"

    def test_sarif_result_at_the_line(self) -> None:
        run = json.loads(_rendered("sarif"))["runs"][0]
        assert [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
                for r in run["results"]] == [("flrisk/input", "warning", 6)]
        assert run["results"][0]["message"]["text"] == f"Example Knitwear (V-5): {CSV_WARNING}"
        assert run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"]]["id"] == "flrisk/input"
