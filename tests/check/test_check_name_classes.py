"""Issue 15's name classes through `flrisk check` (local engine, a real subprocess)."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.check.test_check_cli import check, json_lines
from tests.name_classes import CASES


def test_every_class_gets_its_verdict(tmp_path: Path) -> None:
    path = tmp_path / "vendors.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Vendor ID", "Vendor Name", "Chinese Name"])
        writer.writerows([f"V{i:03d}", c.name, c.chinese] for i, c in enumerate(CASES))
    result = check(str(path), "--format", "json", "--fail-on", "review")
    assert result.returncode == 1, result.stderr
    records = json_lines(result.stdout)
    assert [r["verdict"] for r in records] == [c.verdict for c in CASES]
    for record, case in zip(records, CASES, strict=True):
        listed = {e["summary"].split(" entry ")[1].split()[0] for e in record["evidence"]  # type: ignore[union-attr]
                  if e["type"] == "list_match"}  # type: ignore[index]
        assert case.entries <= listed
