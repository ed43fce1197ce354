"""`flrisk lists ...` run as a real console script against SQLite and PostgreSQL."""

import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

FORMATS = Path(__file__).resolve().parents[1] / "data" / "formats"
FLRISK = str(Path(sys.executable).parent / "flrisk")


def run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FLRISK_DATABASE_URL": database_url, "FLRISK_LOG_LEVEL": "WARNING"}
    return subprocess.run([FLRISK, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def show(database_url: str) -> dict[str, dict[str, object]]:
    result = run(database_url, "lists", "show", "--json")
    assert result.returncode == 0, result.stderr
    return {row["source"]: row for row in json.loads(result.stdout)["data"]}


@pytest.fixture
def http_dir(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local HTTP server on 127.0.0.1 serving `tmp_path/www`."""
    root = tmp_path / "www"
    root.mkdir()
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()


class TestListsShow:
    def test_snapshot_loaded_on_first_use(self, database_url: str) -> None:
        rows = show(database_url)
        assert {s: r["entry_count"] for s, r in rows.items()} == {
            "uflpa_entity_list": 149, "cbp_wro": 41, "ofac_sdn": 12, "bis_entity_list": 5}


class TestListsUpdate:
    def test_ofac_trio_from_three_paths_then_identical_is_no_op(self, database_url: str) -> None:
        files = [str(FORMATS / n) for n in ("ofac_add.csv", "ofac_sdn.csv", "ofac_alt.csv")]
        args = ["lists", "update", "--source", "ofac_sdn", *(a for f in files for a in ("--from", f))]
        first = run(database_url, *args)
        assert first.returncode == 0, first.stderr
        assert "loaded version" in first.stdout
        assert show(database_url)["ofac_sdn"]["entry_count"] == 465
        again = run(database_url, *args)
        assert again.returncode == 0
        assert "identical" in again.stdout

    def test_from_url_on_local_server(self, database_url: str, http_dir: tuple[str, Path]) -> None:
        base, root = http_dir
        shutil.copy(FORMATS / "csl_consolidated.csv", root / "consolidated.csv")
        result = run(database_url, "lists", "update", "--source", "trade_gov_csl", "--from", f"{base}/consolidated.csv")
        assert result.returncode == 0, result.stderr
        row = show(database_url)["trade_gov_csl"]
        assert row["entry_count"] == 115
        assert row["origin"] == f"{base}/consolidated.csv"

    def test_url_404_refused(self, database_url: str, http_dir: tuple[str, Path]) -> None:
        base, _ = http_dir
        result = run(database_url, "lists", "update", "--source", "trade_gov_csl", "--from", f"{base}/missing.csv")
        assert result.returncode == 2
        assert "HTTP 404" in result.stderr

    def test_mis_encoded_file_refused_and_active_version_kept(self, database_url: str, tmp_path: Path) -> None:
        before = show(database_url)["uflpa_entity_list"]
        bad = tmp_path / "uflpa.csv"
        bad.write_bytes("list_id,name,source_citation\nu-1,新疆某某棉业有限公司,test\n".encode("gbk"))
        result = run(database_url, "lists", "update", "--source", "uflpa_entity_list", "--from", str(bad))
        assert result.returncode == 2
        assert "uflpa.csv, line 2" in result.stderr
        assert show(database_url)["uflpa_entity_list"]["version_id"] == before["version_id"]

    def test_shrink_refused_then_allowed(self, database_url: str) -> None:
        csl = ["lists", "update", "--source", "trade_gov_csl"]
        assert run(database_url, *csl, "--from", str(FORMATS / "csl_consolidated.csv")).returncode == 0
        small = str(FORMATS / "csl_consolidated_with_id.csv")
        refused = run(database_url, *csl, "--from", small)
        assert refused.returncode == 2
        assert "from 115 to 13 entries (88.7% fewer" in refused.stderr
        assert run(database_url, *csl, "--from", small, "--allow-shrink").returncode == 0
        assert show(database_url)["trade_gov_csl"]["entry_count"] == 13
