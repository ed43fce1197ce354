"""`flrisk relations update`: recognise the files, find the listed entities in them, keep the relations
within `hops` of those, and load them as a new version of their source (gleif or opensanctions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.lists.active import ActiveLists, read_active
from service.lists.fetch import local_files
from service.relations.errors import RelationsFormatError, RelationsLoadError
from service.relations.ftm import load_ftm, looks_like_ftm
from service.relations.gleif import gleif_kind, header_of
from service.relations.identify import Identifier
from service.relations.load_gleif import load_gleif
from service.relations.model import Loaded
from service.relations.versions import RelationsLoad, RelationsOutcome, load_relations

ACCEPTED = ("GLEIF golden copy: the Level 1 LEI-CDF CSV and the Level 2 RR-CDF CSV together (CSV or zip)",
            "OpenSanctions FollowTheMoney entities, JSON lines (Ownership, UnknownLink, Directorship and the "
            "entities they join)")


@dataclass(frozen=True)
class RelationsUpdate:
    sources: Sequence[str]  # paths or http(s) URLs
    hops: int
    allow_shrink: bool = False
    snapshot_date: str | None = None
    coverage_note: str | None = None


def file_kind(path: Path) -> str:
    """"lei", "rr" or "ftm", from the content; anything else is refused naming the accepted formats."""
    if not path.is_file():
        raise RelationsFormatError(path.name, "no such file")
    found = gleif_kind(header_of(path))
    if found is not None:
        return found
    with path.open("rb") as fh:
        head = fh.read(4096).decode("utf-8", errors="replace")
    if looks_like_ftm(head):
        return "ftm"
    raise RelationsFormatError(path.name, "not a recognised relations file; accepted: " + "; ".join(ACCEPTED),
                               line=1)


def read_relations(paths: Sequence[Path], lists: ActiveLists, *, hops: int) -> Loaded:
    kinds: dict[str, Path] = {}
    for path in paths:
        kind = file_kind(path)
        if kind in kinds:
            raise RelationsLoadError(f"two {kind} files given: {kinds[kind].name} and {path.name}")
        kinds[kind] = path
    identifier = Identifier(lists.entries, index=lists.index)
    if set(kinds) == {"ftm"}:
        return load_ftm(kinds["ftm"], identifier, hops=hops)
    if set(kinds) == {"lei", "rr"}:
        return load_gleif(kinds["lei"], kinds["rr"], identifier, hops=hops)
    raise RelationsLoadError(f"got {', '.join(sorted(kinds)) or 'no file'}; give either the GLEIF LEI-CDF and "
                             "RR-CDF files together, or one OpenSanctions FtM file")


def read_relation_files(paths: Sequence[Path], lists: ActiveLists, *, hops: int) -> list[Loaded]:
    """Any mix of the accepted files: the GLEIF pair as one source, each FtM file as one."""
    kinds = {path: file_kind(path) for path in paths}
    gleif = [p for p, k in kinds.items() if k != "ftm"]
    groups = ([gleif] if gleif else []) + [[p] for p, k in kinds.items() if k == "ftm"]
    return [read_relations(group, lists, hops=hops) for group in groups]


def run_update(engine: Engine, req: RelationsUpdate, *, max_shrink_ratio: float) -> RelationsOutcome:
    """Read everything first (streamed), then write the version in one transaction: a bad file writes nothing."""
    lists = read_active(engine)
    if not lists.entries:
        raise RelationsLoadError("no list is loaded yet: relations are kept only around listed entities "
                                 "(`flrisk lists update`, or start the service once to load the shipped lists)")
    with local_files(req.sources) as paths:
        loaded = read_relations(paths, lists, hops=req.hops)
    with Session(engine, expire_on_commit=False) as session:
        outcome = load_relations(session, RelationsLoad(
            loaded, origin=" + ".join(req.sources), hops=req.hops, snapshot_date=req.snapshot_date,
            coverage_note=req.coverage_note, allow_shrink=req.allow_shrink), max_shrink_ratio=max_shrink_ratio)
        session.commit()
    return outcome

