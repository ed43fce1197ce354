"""`flrisk relations ...` and `flrisk check --relations` run as real commands."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.relations.conftest import FTM_FILE, LEI_FILE, RR_FILE

ROOT = Path(__file__).resolve().parents[2]
FLRISK = str(Path(sys.executable).parent / "flrisk")
NO_DATABASE = "sqlite:////nonexistent-flrisk-dir/never.db"


def run(database_url: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**{k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "COLUMNS")},
           "FLRISK_DATABASE_URL": database_url, "FLRISK_LOG_LEVEL": "WARNING"}
    return subprocess.run([FLRISK, *args], capture_output=True, text=True, env=env, timeout=300, check=False,
                          cwd=cwd)


class TestRelationsCommands:
    def test_update_show_status(self, database_url: str) -> None:
        first = run(database_url, "relations", "update", "--from", str(LEI_FILE), str(RR_FILE))
        assert first.returncode == 0, first.stderr
        loaded = re.fullmatch(r"gleif: loaded version (\d+) with 9 relations among 6 organisations",
                              first.stdout.strip())
        assert loaded is not None, first.stdout
        again = run(database_url, "relations", "update", "--from", str(LEI_FILE), "--from", str(RR_FILE))
        assert f"content identical to active version {loaded.group(1)}" in again.stdout
        ftm = run(database_url, "relations", "update", "--from", str(FTM_FILE))
        assert ftm.returncode == 0, ftm.stderr

        shown = run(database_url, "relations", "show", "Kestrel Crystal Materials", "--json")
        assert shown.returncode == 0, shown.stderr
        found = json.loads(shown.stdout)["data"][0]
        assert found["party"]["lei"] == "TESTKESTREL000000033"
        assert {p["list_entry"]["entry_id"] for p in found["paths"]} == {"uflpa-003", "cbp-012", "bis-004"}

        table = run(database_url, "relations", "show", "uflpa-003")
        assert table.returncode == 0, table.stderr
        assert "Hoshine Silicon Industry (Shanshan) Co., Ltd [uflpa_entity_list uflpa-003]" in table.stdout
        assert "listing_scope (presumption on a strong match): Kestrel Crystal Materials Co., Ltd." in table.stdout

        status = json.loads(run(database_url, "relations", "status", "--json").stdout)["data"]
        assert {r["source"]: r["relation_count"] for r in status} == {"gleif": 9, "opensanctions": 11}

    def test_refusals_exit_2_or_1(self, database_url: str, tmp_path: Path) -> None:
        other = tmp_path / "other.csv"
        other.write_text("a,b\n1,2\n", "utf-8")
        refused = run(database_url, "relations", "update", "--from", str(other))
        assert refused.returncode == 2
        assert "not a recognised relations file" in refused.stderr
        assert run(database_url, "relations", "show", "Zzyzx Unknown Widget Works").returncode == 1


class TestCheckWithRelations:
    def test_local_engine_catches_the_subsidiary_and_keeps_clean_rows_clear(self, tmp_path: Path) -> None:
        vendors = tmp_path / "vendors.csv"
        vendors.write_text("Vendor ID,Vendor Name,Country\nV1,Kestrel Crystal Materials Co Ltd,CN\n"
                           "V2,Saltmarsh Orchard Trading Co Ltd,CN\nV3,Acme Fasteners Inc,US\n", "utf-8")
        result = run(NO_DATABASE, "check", str(vendors), "--format", "json", "--relations", str(LEI_FILE),
                     "--relations", str(RR_FILE), "--relations", str(FTM_FILE))
        assert result.returncode == 1, result.stderr
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        assert [r["verdict"] for r in rows] == ["presumption", "review", "clear"]
        assert rows[0]["top_match"]["entry_id"] == "uflpa-003"
        assert rows[0]["top_match"]["via"].startswith("Kestrel Crystal Materials Co., Ltd. (LEI TESTKESTREL")
        without = run(NO_DATABASE, "check", str(vendors), "--format", "json")
        assert [json.loads(line)["verdict"] for line in without.stdout.splitlines()] == ["clear", "clear", "clear"]

    def test_clean_suppliers_stay_clear(self) -> None:
        result = run(NO_DATABASE, "check", "tests/data/check/clean_suppliers.csv", "--fail-on", "review",
                     "--relations", str(LEI_FILE), "--relations", str(RR_FILE), "--relations", str(FTM_FILE),
                     cwd=ROOT)
        assert result.returncode == 0, result.stdout + result.stderr

    def test_relations_with_a_server_is_a_usage_error(self, tmp_path: Path) -> None:
        result = run(NO_DATABASE, "check", str(LEI_FILE), "--server", "http://127.0.0.1:9", "--relations",
                     str(LEI_FILE))
        assert result.returncode == 2
        assert "--relations is for the local engine" in result.stderr
