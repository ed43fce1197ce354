"""`flrisk check FILE` run as a real command in a subprocess: locally and against a real uvicorn server.

Local runs point FLRISK_DATABASE_URL at a directory that does not exist: the local engine must not need one.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from benchmarks.local_server import free_port
from service.check.engines import ServerEngine
from service.check.inputs import load

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "check"
REL = "tests/data/check"  # the same files, relative to ROOT (the subprocess's working directory)
FLRISK = str(Path(sys.executable).parent / "flrisk")
# `flrisk check` once service/cli.py registers the command, `python -m service.check` until then.
_REGISTERED = 'app.command("check")' in (ROOT / "service" / "cli.py").read_text("utf-8")
CHECK = [FLRISK, "check"] if _REGISTERED else [sys.executable, "-m", "service.check"]
NO_DATABASE = "sqlite:////nonexistent-flrisk-dir/never.db"


def check(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("FLRISK_API_KEY", "FORCE_COLOR", "COLUMNS")}
    full = {**base, "FLRISK_DATABASE_URL": NO_DATABASE, "FLRISK_LOG_LEVEL": "INFO", **(env or {})}
    return subprocess.run([*CHECK, *args], capture_output=True, text=True, env=full, timeout=300, cwd=ROOT,
                          check=False)


def json_lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]  # every stdout line must parse


class TestExitCodes:
    def test_clean_file_exits_0_even_at_elevated(self) -> None:
        result = check(f"{REL}/clean_suppliers.csv", "--fail-on", "elevated")
        assert result.returncode == 0, result.stderr
        assert "3 records screened (shipped lists): 0 presumption, 0 review, 0 elevated, 3 clear" in result.stdout

    @pytest.mark.parametrize(("name", "reference"), [
        ("listed_suppliers.csv", "V200"), ("gbk_suppliers.csv", "G002"), ("suppliers.xlsx", "1002"),
        ("shipments.json", "PO-2")])
    def test_listed_entity_or_xinjiang_exits_1(self, name: str, reference: str) -> None:
        result = check(f"{REL}/{name}", "--format", "json")
        assert result.returncode == 1, result.stderr
        hits = [r["reference"] for r in json_lines(result.stdout) if r["hit"]]
        assert hits == [reference]

    @pytest.mark.parametrize(("fail_on", "code", "hits"), [
        ("presumption", 1, ["V200"]), ("review", 1, ["V200", "V201"]), ("elevated", 1, ["V200", "V201", "V202"])])
    def test_fail_on_levels(self, fail_on: str, code: int, hits: list[str]) -> None:
        result = check(f"{REL}/listed_suppliers.csv", "--format", "json", "--fail-on", fail_on)
        assert result.returncode == code
        assert [r["reference"] for r in json_lines(result.stdout) if r["hit"]] == hits

    def test_review_only_file_passes_at_presumption(self, tmp_path: Path) -> None:
        path = tmp_path / "wro.csv"
        path.write_text('Vendor Name,Country\n"Tangshan Sanyou Group Co., Ltd.",CN\n', "utf-8")
        assert check(str(path), "--fail-on", "presumption").returncode == 0
        assert check(str(path), "--fail-on", "review").returncode == 1

    def test_malformed_file_exits_2_naming_the_row(self) -> None:
        result = check(f"{REL}/malformed.csv")
        assert result.returncode == 2
        assert result.stdout == ""
        assert "row 3" in result.stderr
        assert "Traceback" not in result.stderr

    def test_mapping_to_unknown_column_exits_2(self) -> None:
        result = check(f"{REL}/clean_suppliers.csv", "--mapping", '{"name": "Supplier"}')
        assert result.returncode == 2
        assert "--mapping" in result.stderr
        assert "'Supplier'" in result.stderr

    def test_given_mapping_is_used(self, tmp_path: Path) -> None:
        path = tmp_path / "odd.csv"
        path.write_text("Kreditor,Firma\nK1,HOSHINE SILICON IND SHANSHAN CO LTD\n", "utf-8")
        result = check(str(path), "--mapping", '{"name": "Firma", "reference": "Kreditor"}', "--format", "json")
        assert result.returncode == 1
        assert json_lines(result.stdout)[0]["reference"] == "K1"

    def test_forced_encoding(self) -> None:
        assert check(f"{REL}/gbk_suppliers.csv", "--encoding", "gbk").returncode == 1
        bad = check(f"{REL}/gbk_suppliers.csv", "--encoding", "no-such-codec")
        assert bad.returncode == 2
        assert "--encoding" in bad.stderr

    def test_invalid_json_record_exits_2_with_pointer_and_line(self, tmp_path: Path) -> None:
        path = tmp_path / "records.json"
        path.write_text(json.dumps({"records": [
            {"reference": "A", "kind": "shipment", "parties": [{"role": "seller", "name": "Bosch"}]},
            {"reference": "B", "kind": "shipment", "parties": [{"role": "seller", "name": ""}]}]}, indent=2), "utf-8")
        result = check(str(path))
        assert result.returncode == 2
        assert "/records/1/parties/0/name (line 13)" in result.stderr

    @pytest.mark.parametrize("args", [
        ["--no-such-option"], ["--fail-on", "clear"], ["--format", "html"], ["--server", "localhost:8000"], []])
    def test_usage_errors_exit_2(self, args: list[str]) -> None:
        files = [] if not args else [f"{REL}/clean_suppliers.csv"]
        assert check(*files, *args).returncode == 2

    def test_missing_file_exits_2(self) -> None:
        result = check("no/such/file.csv")
        assert result.returncode == 2
        assert "cannot read" in result.stderr

    def test_server_unreachable_exits_3(self) -> None:
        result = check(f"{REL}/clean_suppliers.csv", "--server", f"http://127.0.0.1:{free_port()}", "--timeout", "2")
        assert result.returncode == 3
        assert "cannot reach" in result.stderr
        assert result.stdout == ""


    def test_server_5xx_after_retries_exits_3(self) -> None:
        class Unavailable(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server hook name
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Unavailable)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            result = check(f"{REL}/clean_suppliers.csv", "--server", f"http://127.0.0.1:{server.server_address[1]}")
        finally:
            server.shutdown()
        assert result.returncode == 3
        assert "answered 503 (gave up after 4 attempts)" in result.stderr


class TestReports:
    def test_json_lines_only_on_stdout(self) -> None:
        result = check(f"{REL}/listed_suppliers.csv", "--format", "json")
        rows = json_lines(result.stdout)
        assert [r["row"] for r in rows] == [2, 3, 4, 5, 6]
        assert [r["verdict"] for r in rows] == ["clear", "presumption", "review", "elevated", "clear"]
        assert rows[1]["top_match"] == {"source": "uflpa_entity_list", "entry_id": "uflpa-003",
                                        "name": "Hoshine Silicon Industry (Shanshan) Co., Ltd", "score": 1.0}
        assert rows[3]["sectors"] == ["lithium"]
        assert "5 records screened" in result.stderr

    def test_junit_counts(self) -> None:
        result = check(f"{REL}/listed_suppliers.csv", "--format", "junit", "--fail-on", "review")
        root = ET.fromstring(result.stdout)
        suite = root.find("testsuite")
        assert suite is not None
        assert (suite.get("tests"), suite.get("failures")) == ("5", "2")
        failures = suite.findall("testcase/failure")
        assert [f.get("type") for f in failures] == ["presumption", "review"]
        assert "uflpa-003" in (failures[0].text or "")

    def test_sarif(self) -> None:
        result = check(f"{REL}/listed_suppliers.csv", "--format", "sarif", "--fail-on", "elevated")
        sarif = json.loads(result.stdout)
        assert sarif["version"] == "2.1.0"
        run = sarif["runs"][0]
        assert run["tool"]["driver"]["name"] == "flrisk"
        assert [r["ruleId"] for r in run["results"]] == ["flrisk/presumption", "flrisk/review", "flrisk/elevated"]
        assert [r["level"] for r in run["results"]] == ["error", "warning", "warning"]
        location = run["results"][0]["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == f"{REL}/listed_suppliers.csv"
        assert location["region"]["startLine"] == 3

    def test_sarif_json_records_point_at_their_line(self) -> None:
        sarif = json.loads(check(f"{REL}/shipments.json", "--format", "sarif").stdout)
        assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in sarif["runs"][0]["results"]] \
            == [19]

    def test_table_has_no_colour_codes_when_piped(self) -> None:
        result = check(f"{REL}/listed_suppliers.csv")
        assert "HOSHINE SILICON IND SHANSHAN CO LTD" in result.stdout
        assert "\x1b[" not in result.stdout
        assert "1 at or above presumption" in result.stdout

    def test_table_colours_when_forced(self) -> None:
        result = check(f"{REL}/listed_suppliers.csv", env={"FORCE_COLOR": "1"})
        assert "\x1b[" in result.stdout


class TestProgress:
    def test_large_file_progress_on_stderr_only(self, tmp_path: Path) -> None:
        path = tmp_path / "big.csv"
        path.write_text("Vendor Name,Country\n" + "".join(f"Supplier {i} GmbH,DE\n" for i in range(320)), "utf-8")
        result = check(str(path), "--format", "json")
        assert result.returncode == 0, result.stderr
        assert len(json_lines(result.stdout)) == 320
        assert "320/320" in result.stderr


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A real `flrisk serve` on a free 127.0.0.1 port with its own SQLite file; yields (url, admin key)."""
    root = tmp_path_factory.mktemp("server")
    port = free_port()
    env = {**os.environ, "FLRISK_DATABASE_URL": f"sqlite:///{root}/x.db", "FLRISK_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen([FLRISK, "serve", "--port", str(port)], env=env, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, "flrisk serve exited"
            assert time.monotonic() < deadline, "flrisk serve did not become healthy"
            time.sleep(0.2)
        yield url, (root / "flrisk-admin.key").read_text("utf-8").strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


class TestServerMode:
    @pytest.mark.parametrize("name", ["listed_suppliers.csv", "shipments.json"])
    def test_same_verdicts_as_local(self, server: tuple[str, str], name: str) -> None:
        url, key = server
        remote = check(f"{REL}/{name}", "--server", url, "--format", "json", "--fail-on", "review",
                       env={"FLRISK_API_KEY": key})
        local = check(f"{REL}/{name}", "--format", "json", "--fail-on", "review")
        assert remote.returncode == local.returncode == 1, remote.stderr
        fields = ("reference", "line" if name.endswith(".json") else "row", "verdict", "risk_score", "top_match", "hit",
                  "name", "caused_by")
        assert [{k: r[k] for k in fields} for r in json_lines(remote.stdout)] == \
            [{k: r[k] for k in fields} for r in json_lines(local.stdout)]
        assert url in remote.stderr

    def test_chunks_keep_record_order(self, server: tuple[str, str]) -> None:
        url, key = server
        items = load(DATA / "listed_suppliers.csv").items
        advanced: list[int] = []
        screened = ServerEngine(url, key, chunk=2).screen(items, advanced.append)
        assert advanced == [2, 2, 1]
        assert [r.item.reference for r in screened.results] == ["V100", "V200", "V201", "V202", "V101"]
        assert [r.verdict for r in screened.results] == ["clear", "presumption", "review", "elevated", "clear"]

    def test_missing_key_exits_2(self, server: tuple[str, str]) -> None:
        result = check(f"{REL}/clean_suppliers.csv", "--server", server[0])
        assert result.returncode == 2
        assert "FLRISK_API_KEY" in result.stderr
