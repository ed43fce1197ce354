"""The README's shell examples, run as written against a real `flrisk serve` on 127.0.0.1.

Every ```bash block runs, in order, in one bash script (set -euo pipefail), except those marked
`<!-- readme-test: skip (why) -->` on the line before (starting the server itself, or fetching from the
internet). The only changes: the server's port for 8000, HOME in a temp dir (so `make serve`'s default database
and admin key file land there), and a command whose comment says "exit code N" must exit with N. The script runs in
a temp dir holding the repo's `examples/` and the venv as `.venv`, so the files it writes stay out of the repo.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from benchmarks.local_server import free_port, stop, wait_ready

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SKIP = "<!-- readme-test: skip"
_EXIT = re.compile(r"^(?P<command>.*?)\s+#.*\bexit code (?P<code>\d)\b.*$")


def bash_blocks(text: str) -> list[tuple[int, str, bool]]:
    """(line, body, skipped) of every ```bash block."""
    lines = text.splitlines()
    found = []
    for number, line in enumerate(lines):
        if line.strip() != "```bash":
            continue
        end = next(i for i in range(number + 1, len(lines)) if lines[i].strip() == "```")
        before = next((lines[i] for i in range(number - 1, -1, -1) if lines[i].strip()), "")
        found.append((number + 1, "\n".join(lines[number + 1:end]), before.startswith(SKIP)))
    return found


def with_exit_codes(block: str) -> str:
    """A command annotated `# ... exit code N` must exit with N (the script runs with `set -e`)."""
    out = []
    for line in block.splitlines():
        match = _EXIT.match(line)
        if match is None:
            out.append(line)
            continue
        command, code = match["command"], match["code"]
        out.append(f"set +e; {command}; rc=$?; set -e; [ $rc -eq {code} ] || "
                   f"{{ echo 'README: expected exit code {code}, got '$rc': {command[:60]}' >&2; exit 1; }}")
    return "\n".join(out)


def readme_script(port: int) -> str:
    blocks = [with_exit_codes(body) for _, body, skipped in bash_blocks(README.read_text()) if not skipped]
    return "\n".join(blocks).replace("127.0.0.1:8000", f"127.0.0.1:{port}")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str], int]]:
    """A temp dir with `examples/` and `.venv`, a HOME of its own, and `flrisk serve` on a free port."""
    work = tmp_path_factory.mktemp("readme")
    (work / "examples").symlink_to(ROOT / "examples")
    (work / ".venv").symlink_to(Path(sys.prefix))
    venv_bin = str(Path(sys.executable).parent)
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != venv_bin)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLRISK_", "VIRTUAL_ENV"))}
    env.update(HOME=str(work / "home"), PATH=path, FLRISK_LOG_LEVEL="WARNING", COLUMNS="200")
    port = free_port()
    server = subprocess.Popen([f"{venv_bin}/flrisk", "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        wait_ready(f"http://127.0.0.1:{port}", server)
        yield work, env, port
    finally:
        stop(server)


def test_blocks_are_found_and_only_the_marked_ones_skipped() -> None:
    blocks = bash_blocks(README.read_text())
    skipped = [body for _, body, skip in blocks if skip]
    assert len(blocks) - len(skipped) >= 6
    assert all("make serve" in body or "lists update" in body or "lists sync" in body or "relations update" in body
               for body in skipped)
    assert "https://" not in readme_script(1234).replace("https://flrisk.dev/problems/", "")


def test_readme_examples_run_as_written(sandbox: tuple[Path, dict[str, str], int]) -> None:
    work, env, port = sandbox
    script = readme_script(port)
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=work, env=env, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, f"stderr:\n{run.stderr[-3000:]}\nstdout:\n{run.stdout[-3000:]}"
    out = run.stdout
    assert '"verdict":"presumption"' in out.replace(" ", "")  # the shipment with a Xinjiang input supplier
    problem = json.loads(out[out.index('{\n    "type": "https://flrisk.dev/problems/validation-error"'):]
                         .split("\n}\n", 1)[0] + "\n}")
    assert [(e["row"], e["column"]) for e in problem["errors"]] == [(3, "Vendor Name"), (4, "HS Code")]
    results = openpyxl.load_workbook(work / "results.xlsx").active
    header = [c.value for c in next(results.iter_rows(max_row=1))]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in results.iter_rows(min_row=2, values_only=True)}
    assert rows["V-1042"]["flrisk_row"] == 2
    assert rows["V-1042"]["flrisk_verdict"] == "presumption"
    assert rows["V-1042"]["flrisk_reason"].startswith("UFLPA Entity List: Hoshine Silicon Industry (Shanshan)")
    assert rows["V-1046"]["flrisk_evidence"] == f"/v1/screenings/{rows['V-1046']['flrisk_screening_id']}"
    junit = ET.parse(work / "flrisk.xml").getroot()
    assert junit.find("testsuite").get("failures") == "2"  # type: ignore[union-attr]
    sarif = json.loads((work / "flrisk.sarif").read_text())
    assert len(sarif["runs"][0]["results"]) == 2
    hits = list(csv.DictReader(io.StringIO((work / "hits.csv").read_text(encoding="utf-8-sig"))))
    assert {r["供应商编号"] for r in hits} == {"V-1042", "V-1043"}


def test_make_serve_takes_port_and_host_and_make_path_prints_the_venv() -> None:
    # Not inheriting the calling make's flags: under `make test`, -w would print "Leaving directory" last.
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    dry = subprocess.run(["make", "--no-print-directory", "-n", "serve", "PORT=8123", "HOST=127.0.0.2"],
                         cwd=ROOT, capture_output=True, text=True, check=True, env=env).stdout
    assert dry.strip().splitlines()[-1].endswith("flrisk serve --host 127.0.0.2 --port 8123")
    printed = subprocess.run(["make", "--no-print-directory", "-s", "path"], cwd=ROOT, capture_output=True,
                             text=True, check=True, env=env).stdout
    assert printed.strip() == str(ROOT / ".venv" / "bin")
