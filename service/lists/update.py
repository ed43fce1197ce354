"""`flrisk lists update`: fetch, parse, tag Xinjiang ties, then load as a new version."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from service.lists.fetch import local_files
from service.lists.parsers.detect import parse_list_files
from service.lists.versions import LoadOutcome, LoadRequest, load_list
from service.refdata.loaders import load_gazetteer
from service.screening.model import ListEntry


@dataclass(frozen=True)
class UpdateRequest:
    source: str
    sources: Sequence[str]  # paths or URLs
    allow_shrink: bool = False
    snapshot_date: str | None = None
    coverage_note: str | None = None


def read_entries(source: str, sources: Sequence[str]) -> list[ListEntry]:
    with local_files(sources) as paths:
        return parse_list_files(paths, source=source, mentions_xinjiang=load_gazetteer().mentions_xinjiang)


def run_update(session: Session, req: UpdateRequest, *, max_shrink_ratio: float) -> LoadOutcome:
    """Parse everything first, then write the version in the caller's transaction: a bad file writes nothing."""
    entries = read_entries(req.source, req.sources)
    origin = " + ".join(req.sources)
    return load_list(session, LoadRequest(
        source=req.source, entries=entries, origin=origin, snapshot_date=req.snapshot_date,
        coverage_note=req.coverage_note, allow_shrink=req.allow_shrink,
    ), max_shrink_ratio=max_shrink_ratio)
