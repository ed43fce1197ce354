"""One source's sync against its upstream: fetch (conditionally), parse, then load or record the check.

The caller owns the transactions (service/jobs/sync.py): nothing here is written until `apply`, and a failure
is recorded by `record_failure` in a transaction of its own, so the active version always stays.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

import httpx
from sqlmodel import Session

from service.lists.conditional import SourceFiles, Validators, fetch_source
from service.lists.errors import ListLoadError
from service.lists.parsers.detect import parse_list_files
from service.lists.sources import SourceConfig
from service.lists.versions import LoadRequest, load_list
from service.observability.logging import redact
from service.screening.model import ListEntry
from service.store import lists_repo
from service.store.tables import ListFetchState

Status = Literal["loaded", "unchanged", "not_modified", "failed"]


@dataclass(frozen=True)
class SyncResult:
    source: str
    status: Status
    message: str
    version_id: int | None = None
    entry_count: int | None = None
    shrink: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass(frozen=True)
class Prepared:
    files: SourceFiles
    entries: list[ListEntry]
    origin: str


def known_validators(session: Session, source: str) -> dict[str, Validators]:
    """The stored validators of a source's URLs; none while it has no active version (a full download then)."""
    if lists_repo.active_version(session, source) is None:
        return {}
    return {h: Validators(s.etag, s.last_modified) for h, s in lists_repo.fetch_states(session, source).items()}


def prepare(client: httpx.Client, cfg: SourceConfig, known: Mapping[str, Validators], tmp: Path,
            mentions_xinjiang: Callable[[str], bool]) -> Prepared:
    """Download and parse; raises ListLoadError naming what is wrong. No entries when nothing was modified."""
    files = fetch_source(client, cfg, known, tmp)
    if files.not_modified:
        return Prepared(files, [], "")
    entries = parse_list_files(files.paths, source=cfg.name, mentions_xinjiang=mentions_xinjiang)
    if cfg.lists:
        entries = [e for e in entries if e.extra.get("list_code") in cfg.lists]
        if not entries:
            raise ListLoadError(f"{cfg.name}: no entries of the list(s) {', '.join(cfg.lists)} in the download")
    return Prepared(files, [dataclasses.replace(e, source=cfg.name) for e in entries], " + ".join(files.origins))


def apply(session: Session, cfg: SourceConfig, prepared: Prepared, *, at: datetime, max_shrink_ratio: float
          ) -> SyncResult:
    """Load the new version (or find it identical), record the check and keep the URLs' validators."""
    if prepared.files.not_modified:
        result = SyncResult(cfg.name, "not_modified", f"{cfg.name}: not modified upstream since the last check")
    else:
        outcome = load_list(session, LoadRequest(source=cfg.name, entries=prepared.entries, origin=prepared.origin,
                                                 actor="system:sync"), max_shrink_ratio=max_shrink_ratio)
        result = SyncResult(cfg.name, outcome.status, outcome.message, outcome.version_id, outcome.entry_count,
                            outcome.shrink)
    for digest, (url, v) in prepared.files.validators.items():
        lists_repo.save_fetch_state(session, ListFetchState(url_hash=digest, source=cfg.name, url=url, etag=v.etag,
                                                            last_modified=v.last_modified, checked_at=at))
    lists_repo.record_check(session, cfg.name, at=at, max_age_days=cfg.max_age_days)
    return result


def record_failure(session: Session, source: str, error: Exception, *, at: datetime) -> SyncResult:
    message = redact(str(error) if isinstance(error, ListLoadError) else f"{type(error).__name__}: {error}")
    recorded = lists_repo.record_error(session, source, at=at, message=message)
    kept = "the active version stays" if recorded else "no version of it is loaded"
    return SyncResult(source, "failed", f"{source}: sync failed, {kept}: {message}")
