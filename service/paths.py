"""Where shipped data lives, found through the package so any working directory works."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def fixtures_dir() -> Path:
    """`FLRISK_FIXTURES_DIR`, else the copy bundled in an installed wheel, else the repo's `fixtures/`."""
    override = os.environ.get("FLRISK_FIXTURES_DIR")
    if override:
        return Path(override)
    bundled = _PACKAGE / "_fixtures"
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent / "fixtures"


def migrations_dir() -> Path:
    return _PACKAGE / "store" / "migrations"
