"""The `flrisk` command."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from service.settings import get_settings

app = typer.Typer(help="flrisk: forced-labour (UFLPA) risk screening.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
lists_app = typer.Typer(help="Source lists: show and update.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(lists_app, name="lists")
err = Console(stderr=True, soft_wrap=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes.")] = 1,
) -> None:
    """Migrate the database, load the shipped lists if none are loaded, and serve the API."""
    import uvicorn

    from service.bootstrap import prepare_database
    from service.store.db import make_engine

    settings = get_settings()
    engine = make_engine(settings.database_url)
    for outcome in prepare_database(engine, settings):
        err.print(outcome.message)
    engine.dispose()
    uvicorn.run("service.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level=settings.log_level.lower())


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply all migrations (idempotent)."""
    from service.store.db import make_engine
    from service.store.migrate import current_revision, upgrade

    engine = make_engine(get_settings().database_url)
    upgrade(engine)
    err.print(f"database at revision {current_revision(engine)}")


@lists_app.command("show")
def lists_show(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Per source: entry count, snapshot date, active version and coverage note."""
    from service.bootstrap import prepare_database
    from service.lists.versions import is_stale
    from service.store import lists_repo
    from service.store.db import make_engine

    settings = get_settings()
    engine = make_engine(settings.database_url)
    prepare_database(engine, settings)
    with Session(engine) as session:
        versions = lists_repo.active_versions(session)
    rows = [{"source": v.source, "entry_count": v.entry_count, "snapshot_date": v.snapshot_date,
             "stale": is_stale(v, max_age_days=settings.stale_after_days), "version_id": v.id,
             "content_hash": v.content_hash, "loaded_at": v.loaded_at.isoformat(), "origin": v.origin,
             "coverage_note": v.coverage_note} for v in versions]
    if as_json:
        typer.echo(json.dumps({"data": rows}, indent=2, ensure_ascii=False))
        return
    table = Table("source", "entries", "snapshot", "stale", "version", "coverage")
    for r in rows:
        table.add_row(str(r["source"]), str(r["entry_count"]), str(r["snapshot_date"]), "yes" if r["stale"] else "no",
                      f"v{r['version_id']} {str(r['content_hash'])[:10]}", str(r["coverage_note"]))
    Console().print(table)


@lists_app.command("update")
def lists_update(
    source: Annotated[str, typer.Option("--source", help="Source id, e.g. ofac_sdn, uflpa_entity_list.")],
    from_: Annotated[list[str], typer.Option("--from", help="File, directory, zip or http(s) URL; repeatable.")],
    allow_shrink: Annotated[bool, typer.Option(help="Accept an update that drops over 20% of entries.")] = False,
    snapshot_date: Annotated[str | None, typer.Option(help="Date the data reflects (default: today).")] = None,
    note: Annotated[str | None, typer.Option(help="Coverage note to show with the list.")] = None,
) -> None:
    """Load a new version of a source list from any supported upstream format; atomic, versioned."""
    from service.bootstrap import prepare_database
    from service.lists.errors import ListLoadError
    from service.lists.update import UpdateRequest, run_update
    from service.store.db import make_engine

    settings = get_settings()
    engine = make_engine(settings.database_url)
    prepare_database(engine, settings)
    try:
        outcome = run_update(engine, UpdateRequest(source=source, sources=from_, allow_shrink=allow_shrink,
                                                   snapshot_date=snapshot_date, coverage_note=note),
                             max_shrink_ratio=settings.max_shrink_ratio)
    except ListLoadError as exc:
        err.print(f"[red]refused:[/red] {exc}")
        raise typer.Exit(2) from exc
    typer.echo(outcome.message)


def main() -> None:  # pragma: no cover - console entry point
    app(prog_name="flrisk")
    sys.exit(0)
