"""Screening answers do not depend on the interpreter's string hashing (PYTHONHASHSEED) or set iteration order.

Each hash seed runs `benchmarks.parity --dump` in its own process: every eval-set row and clean supplier
(`tests/eval/`) matched against the shipped lists and against the shipped lists crowded with 5,000 generated
look-alike entities, the nomenklatura pairs compared, and generated supplier names screened against the crowded
index. Every answer (entries, aliases, scores, bands, features, order) must be the same under every seed.
Run in the installed mode (compiled where built) and interpreted (`FLRISK_PURE_PYTHON=1`): the C shortlist loop
and its Python fallback each have to be deterministic.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from service.native import build_mode

REPO = Path(__file__).resolve().parents[2]
SEEDS = (0, 1, 2, 3)
GENERATED = 1000  # generated supplier names per run, besides the eval inputs


def _answers_per_seed(tmp_path: Path, env_extra: dict[str, str]) -> dict[int, dict[str, object]]:
    """One process per seed, run side by side; each writes its answers as JSON."""
    running = {}
    for seed in SEEDS:
        out = tmp_path / f"seed-{seed}.json"
        env = {**os.environ, **env_extra, "PYTHONHASHSEED": str(seed)}
        command = [sys.executable, "-m", "benchmarks.parity", "--dump", str(out), "--generated", str(GENERATED)]
        running[seed] = (subprocess.Popen(command, cwd=REPO, env=env), out)
    answers = {}
    for seed, (process, out) in running.items():
        assert process.wait() == 0, f"the run with PYTHONHASHSEED={seed} failed"
        answers[seed] = json.loads(out.read_text(encoding="utf-8"))
    return answers


def _differing(answers: dict[int, dict[str, object]]) -> list[str]:
    first = answers[SEEDS[0]]
    keys = set().union(*(a.keys() for a in answers.values()))
    return sorted(k for k in keys if any(a.get(k) != first.get(k) for a in answers.values()))


class TestHashSeedIndependence:
    @pytest.mark.parametrize("pure", ["0", "1"], ids=["installed", "interpreted"])
    def test_every_answer_is_the_same_under_every_hash_seed(self, tmp_path: Path, pure: str) -> None:
        answers = _answers_per_seed(tmp_path, {"FLRISK_PURE_PYTHON": pure})
        inputs = len(answers[SEEDS[0]]) - 1  # less the "mode" key

        assert answers[SEEDS[0]]["mode"] == ("interpreted" if pure == "1" else build_mode())
        assert inputs > 4000
        assert _differing(answers) == []
