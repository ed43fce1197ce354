"""The screening core runs compiled where mypyc modules are installed and up to date, else interpreted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES

from service.native import build_mode
from service.screening import matcher

PROBE = ("import json, service.native as s, service.screening.matcher as m; "
         "print(json.dumps([s.build_mode(), s.REASON, m.__file__]))")


def _probe(**env: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", PROBE], check=True, capture_output=True, text=True,
                         env={**os.environ, **env})
    found: list[str] = json.loads(out.stdout)
    return found


class TestBuildMode:
    def test_mode_names_where_the_matcher_was_loaded_from(self) -> None:
        compiled = str(matcher.__file__).endswith(tuple(EXTENSION_SUFFIXES))
        assert build_mode() == ("compiled" if compiled else "interpreted")

    def test_pure_python_switch_loads_the_sources(self) -> None:
        mode, reason, path = _probe(FLRISK_PURE_PYTHON="1")
        assert (mode, reason) == ("interpreted", "FLRISK_PURE_PYTHON=1")
        assert path.endswith("service/screening/matcher.py")

    def test_without_the_switch_the_installed_mode_is_used(self) -> None:
        mode, _, _ = _probe(FLRISK_PURE_PYTHON="0")
        assert mode == build_mode()
