"""Fixtures for the relations tests: the shipped lists (no database) and the generated test files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from service.check.engines import snapshot_lists
from service.lists.active import ActiveLists
from service.relations.active import files_view
from service.relations.update import read_relation_files
from service.screening.relations import RelationsView

DATA = Path(__file__).resolve().parents[1] / "data" / "relations"
LEI_FILE, RR_FILE, FTM_FILE = DATA / "gleif-lei.csv", DATA / "gleif-rr.csv", DATA / "ownership.ftm.json"
TODAY = date.today()


@pytest.fixture(scope="session")
def lists() -> ActiveLists:
    return snapshot_lists()


@pytest.fixture(scope="session")
def view(lists: ActiveLists) -> RelationsView:
    """The shipped lists with the generated GLEIF and FtM relations, two hops."""
    loaded = read_relation_files([LEI_FILE, RR_FILE, FTM_FILE], lists, hops=2)
    return files_view(loaded, {}, lists, max_hops=2)
