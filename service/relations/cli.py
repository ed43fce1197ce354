"""`flrisk relations`: load GLEIF or OpenSanctions relations, show a party's relations, show the versions."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy.engine import Engine

from service.settings import get_settings

relations_app = typer.Typer(help="Ownership and other relations around listed entities: update, show, status.",
                            no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)


def _engine() -> Engine:
    from service.bootstrap import prepare_database
    from service.store.db import make_engine

    settings = get_settings()
    engine = make_engine(settings.database_url)
    prepare_database(engine, settings)
    return engine


@relations_app.command("update")
def update(
    from_: Annotated[list[str], typer.Option("--from", help="GLEIF LEI-CDF and RR-CDF files (CSV or zip), or an "
                                                            "OpenSanctions FtM file; path or http(s) URL.")],
    more: Annotated[list[str] | None, typer.Argument(help="Further files (`--from LEI_FILE RR_FILE`).",
                                                     show_default=False)] = None,
    hops: Annotated[int | None, typer.Option(min=1, max=5, help="Relations kept around each listed entity "
                                                                "(default FLRISK_RELATIONS_MAX_HOPS).")] = None,
    allow_shrink: Annotated[bool, typer.Option(help="Accept an update that drops over 20% of relations.")] = False,
    snapshot_date: Annotated[str | None, typer.Option(help="Date the data reflects (default: from the GLEIF "
                                                           "file name, else today).")] = None,
    note: Annotated[str | None, typer.Option(help="Coverage note to show with the relations.")] = None,
) -> None:
    """Stream the files, find the listed entities in them, keep the relations within --hops of those, and
    load them as a new version (atomic; identical content is a no-op)."""
    from service.lists.errors import ListLoadError
    from service.relations.update import RelationsUpdate, run_update

    settings = get_settings()
    try:
        outcome = run_update(_engine(), RelationsUpdate(
            sources=[*from_, *(more or [])], hops=hops or settings.relations_max_hops, allow_shrink=allow_shrink,
            snapshot_date=snapshot_date, coverage_note=note), max_shrink_ratio=settings.max_shrink_ratio)
    except ListLoadError as exc:
        err.print(f"[red]refused:[/red] {exc}")
        raise typer.Exit(2) from exc
    typer.echo(outcome.message)


@relations_app.command("show")
def show(
    party: Annotated[str, typer.Argument(help="A name, an LEI, or a list entry id (uflpa-003, cbp_wro:cbp-012).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """A party's known relations and its paths to list entries, with who says so."""
    from service.lists.active import read_active
    from service.relations.active import build_view, read_stored
    from service.relations.query import describe, find_keys
    from service.services.context import default_thresholds

    engine = _engine()
    lists = read_active(engine)
    view = build_view(read_stored(engine), lists, max_hops=get_settings().relations_max_hops)
    found = [describe(view, key) for key in find_keys(view, lists, party, default_thresholds(get_settings()))]
    if as_json:
        typer.echo(json.dumps({"data": found, "count": len(found)}, indent=2, ensure_ascii=False, default=str))
    elif not found:
        err.print(f"no list entry or related organisation found for {party!r}")
    for item in [] if as_json else found:
        _print_party(item)
    if not found:
        raise typer.Exit(1)


def _print_party(item: dict[str, Any]) -> None:
    from service.screening.ownership import chain_text

    p = item["party"]
    listed = f" [{p['list_entry']['source']} {p['list_entry']['entry_id']}]" if p["list_entry"] else ""
    console = Console(soft_wrap=True)
    console.print(f"[bold]{escape(p['name'])}[/bold]{escape(listed)}" + (f" LEI {p['lei']}" if p["lei"] else "")
                  + (f" ({p['country']})" if p["country"] else ""), highlight=False)
    table = Table("relation", "party", "share", "source", "citation")
    for r in item["relations"]:
        other = r["other"]
        table.add_row(r["relation"], escape(other["name"]) + (f" (LEI {other['lei']})" if other["lei"] else ""),
                      f"{r['share']:g} %" if r["share"] is not None else "", r["source"], escape(r["citation"]))
    console.print(table if item["relations"] else "  no direct relations known")
    for path in item["paths"]:
        console.print(f"  {path['rule']} ({path['effect_if_strong_match']} on a strong match): "
                      f"{chain_text(path['path'])}", highlight=False, markup=False)


@relations_app.command("status")
def status(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Per relation source: active version, counts, snapshot date and coverage."""
    from sqlmodel import Session

    from service.relations.status import relation_sources

    with Session(_engine()) as session:
        rows = relation_sources(session, stale_after_days=get_settings().stale_after_days)
    if as_json:
        typer.echo(json.dumps({"data": rows}, indent=2, ensure_ascii=False, default=str))
        return
    table = Table("source", "relations", "orgs", "snapshot", "stale", "version", "coverage")
    for r in rows:
        v = r["active_version"]
        table.add_row(r["source"], str(r["relation_count"]), str(r["org_count"]), str(r["snapshot_date"]),
                      "yes" if r["stale"] else "no", f"v{v['id']} {v['content_hash'][:10]}", str(r["coverage_note"]))
    Console().print(table)
