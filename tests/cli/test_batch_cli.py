"""`flrisk batch submit/status/results` as real commands against a real `flrisk serve` (SQLite, in-process jobs)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from benchmarks.local_server import free_port

ROOT = Path(__file__).resolve().parents[2]
FLRISK = str(Path(sys.executable).parent / "flrisk")
GBK_UPLOAD = ROOT / "tests" / "data" / "uploads" / "gbk_chinese_headers.csv"


def batch(*args: str, key: str | None, progress: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FLRISK_API_KEY", "FLRISK_SERVER", "FLRISK_PROGRESS")}
    env |= {"FLRISK_API_KEY": key} if key else {}
    env |= {"FLRISK_PROGRESS": "1"} if progress else {}
    return subprocess.run([FLRISK, "batch", *args], capture_output=True, text=True, env=env, timeout=300, cwd=ROOT,
                          check=False)


def vendors(tmp_path: Path, rows: int) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Vendor ID", "Vendor Name", "Country"])
    for i in range(rows):
        name = "Hoshine Silicon Industry (Shanshan) Co., Ltd." if i == 3 else f"Nordic Parts {i} GmbH"
        writer.writerow([f"V{i:04d}", name, "CN" if i == 3 else "DE"])
    path = tmp_path / "vendors.csv"
    path.write_bytes(out.getvalue().encode("utf-8"))
    return path


class TestSubmit:
    def test_waits_and_downloads_xlsx(self, server: tuple[str, str], tmp_path: Path) -> None:
        url, key = server
        target = tmp_path / "out.xlsx"
        result = batch("submit", str(vendors(tmp_path, 40)), "--server", url, "-o", str(target), key=key,
                       progress=True)
        assert result.returncode == 0, result.stderr
        status = json.loads(result.stdout)  # stdout is the status alone
        assert (status["status"], status["rows_done"], status["rows_total"]) == ("done", 40, 40)
        assert status["counts"]["presumption"] == 1
        assert "screening rows" in result.stderr
        assert "40/40" in result.stderr
        sheet = load_workbook(target, read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == ("Vendor ID", "Vendor Name", "Country")
        assert len(rows) == 41
        assert [r[0] for r in rows[1:] if "presumption" in r] == ["V0003"]

    def test_gbk_file_with_verdict_filter(self, server: tuple[str, str], tmp_path: Path) -> None:
        url, key = server
        target = tmp_path / "hits.csv"
        result = batch("submit", str(GBK_UPLOAD), "--server", url, "-o", str(target), "--verdict",
                       "presumption,review", key=key)
        assert result.returncode == 0, result.stderr
        status = json.loads(result.stdout)
        assert status["encoding"].lower() in ("gb18030", "gbk", "gb2312")
        text = target.read_bytes().decode("utf-8-sig")
        listed = list(csv.DictReader(io.StringIO(text)))
        assert 0 < len(listed) == status["counts"].get("presumption", 0) + status["counts"].get("review", 0)
        assert all(r["flrisk_verdict"] in ("presumption", "review") for r in listed)

    def test_no_wait_then_status_and_results(self, server: tuple[str, str], tmp_path: Path) -> None:
        url, key = server
        submitted = batch("submit", str(vendors(tmp_path, 10)), "--server", url, "--no-wait", key=key)
        assert submitted.returncode == 0, submitted.stderr
        batch_id = json.loads(submitted.stdout)["id"]
        waited = batch("status", batch_id, "--server", url, "--wait", key=key)
        assert json.loads(waited.stdout)["status"] == "done"
        target = tmp_path / "all.json"
        downloaded = batch("results", batch_id, "--server", url, "-o", str(target), key=key)
        assert downloaded.returncode == 0, downloaded.stderr
        rows = json.loads(target.read_text("utf-8"))["rows"]
        assert [r["cells"]["Vendor ID"] for r in rows] == [f"V{i:04d}" for i in range(10)]

    def test_idempotency_key_returns_the_same_batch(self, server: tuple[str, str], tmp_path: Path) -> None:
        url, key = server
        path = vendors(tmp_path, 5)
        first = batch("submit", str(path), "--server", url, "--no-wait", "--idempotency-key", "erp-77", key=key)
        again = batch("submit", str(path), "--server", url, "--no-wait", "--idempotency-key", "erp-77", key=key)
        assert json.loads(first.stdout)["id"] == json.loads(again.stdout)["id"]


class TestErrors:
    def test_refused_file_exits_2_with_the_problem(self, server: tuple[str, str], tmp_path: Path) -> None:
        url, key = server
        path = tmp_path / "bad.csv"
        path.write_text("Vendor ID,Country\nV1,CN\n", encoding="utf-8")
        result = batch("submit", str(path), "--server", url, key=key)
        assert result.returncode == 2
        assert result.stdout == ""
        assert "name" in result.stderr
        assert "422" in result.stderr

    def test_unreachable_server_exits_3(self, tmp_path: Path) -> None:
        result = batch("submit", str(vendors(tmp_path, 2)), "--server", f"http://127.0.0.1:{free_port()}",
                       key="flr_x_y")
        assert result.returncode == 3
        assert "cannot reach" in result.stderr

    def test_missing_key_exits_2(self, server: tuple[str, str], tmp_path: Path) -> None:
        result = batch("status", "some-id", "--server", server[0], key=None)
        assert result.returncode == 2
        assert "FLRISK_API_KEY" in result.stderr

    def test_unknown_batch_exits_2(self, server: tuple[str, str]) -> None:
        url, key = server
        result = batch("status", "00000000-0000-0000-0000-000000000000", "--server", url, key=key)
        assert result.returncode == 2
        assert "404" in result.stderr
