"""A bad FLRISK_* value stops every command at once with one line naming the variable, exit 2, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FLRISK = str(Path(sys.executable).parent / "flrisk")


def flrisk(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("FLRISK_")}
    base["FLRISK_DATABASE_URL"] = f"sqlite:///{tmp_path / 'flrisk.db'}"
    return subprocess.run([FLRISK, "lists", "show", "--json"], capture_output=True, text=True, timeout=120,
                          env=base | env)


@pytest.mark.parametrize(("name", "value", "says"), [
    ("FLRISK_SYNC_CRON", "every day", "not a cron expression"),
    ("FLRISK_SYNC_CRON", "61 4 * * *", "not a cron expression"),
    ("FLRISK_STALE_AFTER_DAYS", "0", "greater than 0"),
])
def test_a_bad_setting_is_named_and_exits_2(tmp_path: Path, name: str, value: str, says: str) -> None:
    result = flrisk(tmp_path, **{name: value})
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"flrisk: invalid setting {name}: ")
    assert says in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("cron", ["off", "OFF", "0 */6 * * *"])
def test_a_cron_or_off_is_accepted(tmp_path: Path, cron: str) -> None:
    result = flrisk(tmp_path, FLRISK_SYNC_CRON=cron)
    assert result.returncode == 0, result.stderr
