"""`flrisk lists`: show, update, sync, changes and remove source lists."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy.engine import Engine

from service.settings import get_settings

lists_app = typer.Typer(help="Source lists: show, update, sync from the official publications, changes, remove.",
                        no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)
SourcesOption = Annotated[Path | None, typer.Option(
    "--sources", help="TOML sources file (default FLRISK_SOURCES_FILE); with it, only the sources it names.",
    show_default=False)]


def _engine() -> Engine:
    from service.bootstrap import prepare_database
    from service.store.db import make_engine

    settings = get_settings()
    engine = make_engine(settings.database_url)
    prepare_database(engine, settings)
    return engine


def _configuration(path: Path | None) -> Any:
    from service.lists.sources import SourcesFileError, configuration

    try:
        return configuration(path or get_settings().sources_file)
    except SourcesFileError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc


def _check_known(config: Any, names: list[str]) -> None:
    from service.lists.sources import UnknownSourceError

    try:
        config.check(names)
    except UnknownSourceError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc


@lists_app.command("show")
def show(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Per source: entries, snapshot date, last check, last change, last error, stale, version and coverage."""
    from service.services.lists import sources
    from service.store.db import read_session

    with read_session(_engine()) as session:
        found = sources(session, stale_after_days=get_settings().stale_after_days).data
    rows = [{"source": s.source, "entry_count": s.entry_count, "snapshot_date": s.snapshot_date, "stale": s.stale,
             "last_checked_at": _iso(s.last_checked_at), "last_changed_at": _iso(s.last_changed_at),
             "last_error": s.last_error.model_dump(mode="json") if s.last_error else None,
             "version_id": s.active_version.id, "content_hash": s.active_version.content_hash,
             "loaded_at": s.active_version.loaded_at.isoformat(), "origin": s.active_version.origin,
             "coverage_note": s.coverage_note} for s in found]
    if as_json:
        typer.echo(json.dumps({"data": rows}, indent=2, ensure_ascii=False))
        return
    table = Table("source", "entries", "snapshot", "checked", "changed", "stale", "last error", "version", "coverage")
    for r in rows:
        error: Any = r["last_error"]
        table.add_row(str(r["source"]), str(r["entry_count"]), str(r["snapshot_date"]), _day(r["last_checked_at"]),
                      _day(r["last_changed_at"]), "yes" if r["stale"] else "no",
                      escape(f"{error['at'][:10]}: {error['message']}") if error else "",
                      f"v{r['version_id']} {str(r['content_hash'])[:10]}", escape(str(r["coverage_note"])))
    Console().print(table)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _day(value: Any) -> str:
    return str(value)[:10] if value else ""


@lists_app.command("update")
def update(
    source: Annotated[str, typer.Option("--source", help="Source id, e.g. ofac_sdn, uflpa_entity_list.")],
    from_: Annotated[list[str], typer.Option("--from", help="File, directory, zip or http(s) URL; repeatable.")],
    allow_shrink: Annotated[bool, typer.Option(help="Accept an update that drops over 20% of entries.")] = False,
    snapshot_date: Annotated[str | None, typer.Option(help="Date the data reflects (default: today).")] = None,
    note: Annotated[str | None, typer.Option(help="Coverage note to show with the list.")] = None,
    sources_file: SourcesOption = None,
) -> None:
    """Load a new version of a source list from any supported upstream format; atomic, versioned."""
    from service.lists.errors import ListLoadError
    from service.lists.update import UpdateRequest, run_update
    from service.observability.logging import redact
    from service.store.db import transaction

    _check_known(_configuration(sources_file), [source])
    settings = get_settings()
    engine = _engine()
    try:
        with transaction(engine) as session:
            outcome = run_update(session, UpdateRequest(source=source, sources=from_, allow_shrink=allow_shrink,
                                                        snapshot_date=snapshot_date, coverage_note=note),
                                 max_shrink_ratio=settings.max_shrink_ratio)
    except ListLoadError as exc:
        err.print(f"[red]refused:[/red] {escape(redact(exc))}")
        raise typer.Exit(2) from exc
    typer.echo(outcome.message)


@lists_app.command("sync")
def sync(
    source: Annotated[list[str] | None, typer.Option("--source", help="Only this source; repeatable.",
                                                     show_default=False)] = None,
    sources_file: SourcesOption = None,
) -> None:
    """Fetch every configured source from its official URLs (conditional requests) and load what changed.
    Exits 1 when any source failed (its active version stays; the reason is printed and recorded)."""
    from service.jobs.sync import run_sync
    from service.lists.sources import SourcesFileError

    config = _configuration(sources_file)
    _check_known(config, source or [])
    try:
        selected = config.select(source or [])
    except SourcesFileError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc
    results = run_sync(_engine(), selected, max_shrink_ratio=get_settings().max_shrink_ratio)
    for result in results:
        if result.ok:
            typer.echo(result.message)
        else:
            err.print(f"[red]failed:[/red] {escape(result.message)}")
    if not all(r.ok for r in results):
        raise typer.Exit(1)


@lists_app.command("changes")
def changes(
    source: Annotated[str, typer.Argument(help="Source id.")],
    since: Annotated[str | None, typer.Option(help="Only versions loaded on or after this ISO date.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="Versions to show.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Entries added, removed and changed by each version of a source, newest first."""
    from service.errors import NotFoundError
    from service.services.lists import changes as list_changes
    from service.store.db import read_session

    try:
        day = date.fromisoformat(since) if since else None
    except ValueError as exc:
        err.print(f"[red]--since {since!r} is not an ISO date (YYYY-MM-DD)[/red]")
        raise typer.Exit(2) from exc
    try:
        with read_session(_engine()) as session:
            page = list_changes(session, source, since=day, limit=limit, offset=0)
    except NotFoundError as exc:
        err.print(f"[red]{escape(exc.detail)}[/red]")
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(page.model_dump_json(indent=2))
        return
    console = Console(soft_wrap=True, highlight=False)
    for c in page.data:
        console.print(f"[bold]v{c.version_id}[/bold] {c.at.isoformat(timespec='seconds')} (after "
                      f"{'v' + str(c.previous_version_id) if c.previous_version_id else 'nothing'}): "
                      f"{len(c.added)} added, {len(c.removed)} removed, {len(c.changed)} changed")
        for sign, items in (("+", c.added), ("-", c.removed), ("~", c.changed)):
            for item in items:
                changed = getattr(item, "fields", {})
                fields = f" ({', '.join(changed)})" if changed else ""
                console.print(f"  {sign} {item.entry_id} {escape(item.name)}{fields}")
    if not page.data:
        err.print(f"no changes recorded for {source}" + (f" since {since}" if since else ""))


@lists_app.command("remove")
def remove(
    source: Annotated[str, typer.Argument(help="Source id.")],
    version: Annotated[int | None, typer.Option("--version", help="Remove only this (non-active) version.",
                                                show_default=False)] = None,
) -> None:
    """Remove a non-active version of a source, or (without --version) a whole source that is not built in.
    Recorded in the audit log."""
    from service.services.lists import RemoveRefusedError, remove_source, remove_version
    from service.store.db import transaction

    try:
        with transaction(_engine()) as session:
            message = (remove_version(session, source, version, actor="cli") if version is not None
                       else remove_source(session, source, actor="cli"))
    except RemoveRefusedError as exc:
        err.print(f"[red]refused:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    typer.echo(message)
