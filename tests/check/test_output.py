"""The report formatters, the exit-4 wrapper and JSON line numbers, in-process on hand-built results."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from service.api.schemas_screening import ScreeningRequest
from service.check import EXIT_INTERNAL, EXIT_UNREACHABLE, InputError, ServerUnreachable
from service.check.command import guarded
from service.check.engines import CheckResult, Screened
from service.check.inputs import CheckItem, load
from service.check.output import Report, artifact_uri, render

TRICKY = 'Acme <&> "Quote" Co'


def result(*, index: int = 0, line: int = 2, name: str = "Bosch Rexroth AG", verdict: str = "clear",
           evidence: list[dict[str, Any]] | None = None) -> CheckResult:
    request = ScreeningRequest.model_validate({"reference": f"R{index}", "kind": "supplier",
                                               "parties": [{"role": "supplier", "name": name}]})
    summary = "nothing found" if verdict == "clear" else f"{verdict}: {name} matched"
    return CheckResult(CheckItem(index, line, request), verdict, {"clear": 0, "review": 70}.get(verdict, 95),
                       summary, evidence or [])


def match(effect: str, score: float, entry_id: str) -> dict[str, Any]:
    return {"type": "list_match", "effect": effect, "summary": f"matches {entry_id} <&>",
            "list_entry": {"source": "uflpa_entity_list", "entry_id": entry_id, "name": "Listed"},
            "match": {"score": score}}


def report(fail_on: str = "review") -> Report:
    results = [
        result(),
        result(index=1, line=3, name=TRICKY, verdict="presumption",
               evidence=[match("presumption", 0.9, "uflpa-1"), match("review", 1.0, "uflpa-2")]),
        result(index=2, line=5, name="Hefei Bitland", verdict="review", evidence=[match("review", 0.75, "uflpa-3")]),
    ]
    return Report(Screened(results, {"uflpa_entity_list": "v1"}, "local"), "data/vendors list.csv", fail_on)


def rendered(fmt: str, fail_on: str = "review") -> str:
    out = io.StringIO()
    render(report(fail_on), fmt, out)
    return out.getvalue()


class TestJson:
    def test_one_object_per_record_top_match_by_effect_then_score(self) -> None:
        rows = [json.loads(line) for line in rendered("json").splitlines()]
        assert [(r["row"], r["verdict"], r["hit"]) for r in rows] == [
            (2, "clear", False), (3, "presumption", True), (5, "review", True)]
        assert rows[1]["top_match"] == {"source": "uflpa_entity_list", "entry_id": "uflpa-1", "name": "Listed",
                                        "score": 0.9}
        assert rows[1]["evidence"][0] == {"type": "list_match", "effect": "presumption",
                                          "summary": "matches uflpa-1 <&>", "concerns": {}}


class TestJunit:
    def test_counts_and_escaping(self) -> None:
        root = ET.fromstring(rendered("junit", fail_on="presumption"))
        suite = root.find("testsuite")
        assert suite is not None
        assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "0")
        cases = suite.findall("testcase")
        assert cases[1].get("name") == f"row 3: {TRICKY} (R1)"
        failure = cases[1].find("failure")
        assert failure is not None
        assert failure.text == "[presumption] matches uflpa-1 <&>\n[review] matches uflpa-2 <&>"
        assert cases[2].find("failure") is None  # review is below --fail-on presumption


class TestSarif:
    def test_results_only_for_hits(self) -> None:
        run = json.loads(rendered("sarif"))["runs"][0]
        assert [r["ruleId"] for r in run["results"]] == ["flrisk/presumption", "flrisk/review"]
        assert [r["level"] for r in run["results"]] == ["error", "warning"]
        assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run["results"]] == [3, 5]
        assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
            "data/vendors%20list.csv"
        assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == [
            "flrisk/presumption", "flrisk/review", "flrisk/elevated", "flrisk/input"]

    def test_absolute_paths_become_file_uris(self, tmp_path: Path) -> None:
        assert artifact_uri(str(tmp_path / "a.csv")) == (tmp_path / "a.csv").as_uri()


class TestTable:
    def test_lists_non_clear_records_and_summary(self) -> None:
        text = rendered("table")
        assert TRICKY in text
        assert "Bosch Rexroth AG" not in text
        assert "3 records screened (shipped lists): 1 presumption, 1 review, 0 elevated, 1 clear; " \
               "2 at or above review" in text
        assert "\x1b[" not in text


class TestGuarded:
    def test_unexpected_exception_is_exit_4_with_traceback(self) -> None:
        def boom() -> int:
            raise RuntimeError("kaput")

        err = io.StringIO()
        assert guarded(boom, err) == EXIT_INTERNAL
        assert "internal error: RuntimeError: kaput" in err.getvalue()
        assert "Traceback" in err.getvalue()

    @pytest.mark.parametrize(("error", "code"), [(InputError("bad file"), 2), (ServerUnreachable("down"),
                                                                                 EXIT_UNREACHABLE)])
    def test_known_failures_keep_their_code(self, error: Exception, code: int) -> None:
        def fail() -> int:
            raise error

        err = io.StringIO()
        assert guarded(fail, err) == code
        assert "Traceback" not in err.getvalue()

    def test_result_passes_through(self) -> None:
        assert guarded(lambda: 1) == 1


class TestJsonInput:
    def test_records_wrapper_lines(self, tmp_path: Path) -> None:
        record = {"reference": "A", "kind": "shipment", "parties": [{"role": "seller", "name": "Bosch"}]}
        path = tmp_path / "x.json"
        path.write_text('{\n  "records": [\n' + json.dumps(record) + ",\n\n" + json.dumps(record) + "\n]}\n", "utf-8")
        assert [item.line for item in load(path).items] == [3, 5]

    def test_json_lines(self, tmp_path: Path) -> None:
        record = json.dumps({"reference": "A", "kind": "shipment", "parties": [{"role": "seller", "name": "Bosch"}]})
        path = tmp_path / "x.jsonl"
        path.write_text(f"{record}\n\n{record}\n", "utf-8")
        checked = load(path)
        assert (checked.format, [item.line for item in checked.items]) == ("jsonl", [1, 3])

    def test_mapping_refused_for_json(self, tmp_path: Path) -> None:
        path = tmp_path / "x.json"
        path.write_text("[]", "utf-8")
        with pytest.raises(InputError, match="--mapping"):
            load(path, mapping_json='{"name": "x"}')
