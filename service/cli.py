"""The `flrisk` command."""

from __future__ import annotations

import gc
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import Engine

from service.batch_cli import batch_app
from service.check.command import check as check_command
from service.lists_cli import lists_app
from service.relations_cli import relations_app
from service.settings import Settings, get_settings

app = typer.Typer(help="flrisk: forced-labour (UFLPA) risk screening.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(lists_app, name="lists")
keys_app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
app.add_typer(batch_app, name="batch")
app.add_typer(relations_app, name="relations")
secrets_app = typer.Typer(help="Secrets stored encrypted (webhook signing secrets).", no_args_is_help=True)
app.add_typer(secrets_app, name="secrets")
err = Console(stderr=True, soft_wrap=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes.")] = 1,
) -> None:
    """Migrate the database, load the shipped lists if none are loaded, and serve the API."""
    # prometheus_client picks its value store when first imported: the multiprocess directory must be set
    # before anything below imports it (the list loaders do, through service.observability).
    with _shared_metrics(workers):
        _serve(host, port, workers)


def _serve(host: str, port: int, workers: int) -> None:
    import uvicorn

    from service.bootstrap import admin_key_path, first_admin_key, prepare_database
    from service.store.db import make_engine

    settings = get_settings()
    engine = make_engine(settings.database_url)
    for outcome in prepare_database(engine, settings):
        err.print(outcome.message)
    key = first_admin_key(engine, settings)
    if key and sys.stderr.isatty():  # a person at a terminal; never into a log file or a container's log
        err.print(f"\n[bold]First admin API key[/bold] (shown once; also saved to {admin_key_path(settings)}):\n"
                  f"  {key}\nSend it as `Authorization: Bearer <key>` or `X-API-Key: <key>`.\n")
    elif key:
        err.print(f"First admin API key saved to {admin_key_path(settings)} (readable by this user only).")
    engine.dispose()
    if workers > 1 and settings.prefork and hasattr(os, "fork"):
        from service.prefork import serve_prefork

        config = uvicorn.Config("service.app:create_app", factory=True, host=host, port=port,
                                log_level=settings.log_level.lower())
        serve_prefork(config, workers, preload=lambda: _preload_lists(settings))
    else:
        uvicorn.run("service.app:create_app", factory=True, host=host, port=port, workers=workers,
                    log_level=settings.log_level.lower())


def _preload_lists(settings: Settings) -> None:
    """Before the workers are forked: import the app and build the active list view they will share."""
    import service.app  # noqa: F401 - imported once here, shared by the forked workers
    from service.lists.active import preload
    from service.store.db import make_engine

    engine = make_engine(settings.database_url)
    try:
        preload(engine)
    finally:
        engine.dispose()  # no connection crosses the fork


@contextmanager
def _shared_metrics(workers: int) -> Iterator[None]:
    """Several server processes: prometheus_client's multiprocess mode, in a fresh directory (the workers
    inherit the variable, so /metrics answers for all of them, whichever process serves the scrape)."""
    if workers < 2 or os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        yield
        return
    directory = tempfile.mkdtemp(prefix="flrisk-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    try:
        yield
    finally:
        os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
        shutil.rmtree(directory, ignore_errors=True)


@app.command()
def worker(
    concurrency: Annotated[int, typer.Option(help="Jobs at once in this process (screening is CPU-bound: 1).")] = 1,
    metrics_port: Annotated[int, typer.Option(envvar="FLRISK_WORKER_METRICS_PORT",
                                              help="Serve this worker's Prometheus metrics (batch rows, screening "
                                                   "latency) on this port; 0: off.")] = 0,
) -> None:
    """Run a batch worker on PostgreSQL (procrastinate); start as many as you like, on any machine."""
    from service.bootstrap import prepare_database
    from service.jobs.runner import context_provider
    from service.jobs.worker import ensure_schema, make_app, run_worker
    from service.lists.active import ListRegistry
    from service.relations.active import RelationsRegistry
    from service.store.db import make_engine

    settings = get_settings()
    engine = make_engine(settings.database_url)
    if engine.dialect.name != "postgresql":
        err.print("[red]flrisk worker needs PostgreSQL[/red]; on SQLite, `flrisk serve` runs batches in-process.")
        raise typer.Exit(2)
    prepare_database(engine, settings)
    if metrics_port:
        from service.observability.metrics import start_worker_metrics

        start_worker_metrics(metrics_port)
        err.print(f"worker metrics on http://0.0.0.0:{metrics_port}/metrics")
    registry = ListRegistry(engine, poll_seconds=settings.list_poll_seconds)
    registry.refresh()
    registry.start_polling()
    relations = RelationsRegistry(engine, max_hops=settings.relations_max_hops, poll_seconds=settings.list_poll_seconds)
    relations.start_polling()
    job_app = make_app(settings.database_url, sync_cron=settings.sync_cron)
    ensure_schema(settings.database_url)
    _start_deliveries(engine, settings)  # workers send webhook deliveries too
    # The index and reference data live as long as the process: keep them out of every full collection
    # (see service/observability/runtime.py; a screened chunk allocates hundreds of thousands of objects).
    gc.freeze()
    from service.native import REASON, build_mode

    mode = build_mode()
    schedule = "off" if settings.sync_cron.strip().lower() == "off" else f"cron {settings.sync_cron!r} (UTC)"
    err.print(f"worker started (screening core: {mode}{'' if mode == 'compiled' else f' ({REASON})'}); "
              f"waiting for batch chunks; list sync: {schedule}")
    run_worker(job_app, engine, context_provider(registry, settings, relations), concurrency=concurrency)


def _start_deliveries(engine: Engine, settings: Settings) -> None:
    from service.auth.encryption import SecretBox, old_secrets
    from service.auth.keys import SecretKeyMissingError, resolve_secret
    from service.jobs.deliveries import DeliveryLoop
    from service.monitoring.egress import EgressPolicy

    try:
        secret = resolve_secret(settings.secret_key, settings.database_url)
    except SecretKeyMissingError:
        err.print("[yellow]FLRISK_SECRET_KEY is not set: this worker sends no webhook deliveries[/yellow]")
        return
    DeliveryLoop(engine, box=SecretBox(secret, old_secrets(settings.old_secret_keys)),
                 egress=EgressPolicy.from_setting(settings.webhook_allowed_networks)).start()


app.command("check")(check_command)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply all migrations (idempotent)."""
    from service.store.db import make_engine
    from service.store.migrate import current_revision, upgrade

    engine = make_engine(get_settings().database_url)
    upgrade(engine)
    err.print(f"database at revision {current_revision(engine)}")


def _key_session() -> tuple[Engine, bytes]:
    from service.auth.keys import resolve_secret
    from service.bootstrap import prepare_database
    from service.store.db import make_engine

    settings = get_settings()
    engine = make_engine(settings.database_url)
    prepare_database(engine, settings)
    return engine, resolve_secret(settings.secret_key, settings.database_url)


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="Who or what uses the key, e.g. ERP.")],
    scopes: Annotated[str, typer.Option(help="Comma-separated: screen, read, decide, admin.")] = "screen,read",
    org: Annotated[str, typer.Option(help="Organisation the key belongs to.")] = "default",
    expires_days: Annotated[int | None, typer.Option(help="Expire after this many days.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a key and print it once (it is stored only as a keyed hash)."""
    from datetime import timedelta

    from service.services.keys import KeyError_, create_key
    from service.store.db import transaction
    from service.timestamps import utcnow

    engine, secret = _key_session()
    expires = utcnow() + timedelta(days=expires_days) if expires_days else None
    try:
        with transaction(engine) as session:
            created = create_key(session, secret, name=name, scopes=[s.strip() for s in scopes.split(",") if s.strip()],
                                 org_id=org, expires_at=expires, actor="cli")
    except KeyError_ as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    row = created.row
    if as_json:
        typer.echo(json.dumps({"id": row.id, "key": created.key, "scopes": row.scopes, "org": row.org_id,
                               "expires_at": row.expires_at.isoformat() if row.expires_at else None}))
    else:
        typer.echo(created.key)
        err.print(f"key {row.id} ({', '.join(row.scopes)}) for organisation {row.org_id}; shown once")


@keys_app.command("list")
def keys_list(org: Annotated[str, typer.Option(help="Organisation.")] = "default") -> None:
    """Keys of an organisation (prefixes only, never the keys)."""
    from service.store import auth_repo
    from service.store.db import read_session

    engine, _ = _key_session()
    with read_session(engine) as session:
        rows = auth_repo.keys_of(session, org)
    table = Table("id", "name", "prefix", "scopes", "created", "expires", "revoked")
    for r in rows:
        table.add_row(r.id, r.name, r.prefix, ",".join(r.scopes), r.created_at.isoformat(timespec="seconds"),
                      str(r.expires_at or ""), str(r.revoked_at or ""))
    Console().print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="Key id (from `flrisk keys list`).")]) -> None:
    """Revoke a key at once."""
    from service.services.keys import KeyError_, revoke_key
    from service.store.db import transaction

    engine, _ = _key_session()
    try:
        with transaction(engine) as session:
            revoke_key(session, key_id, org_id=None, actor="cli")
    except KeyError_ as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    typer.echo(f"revoked {key_id}")


@secrets_app.command("rotate")
def secrets_rotate() -> None:
    """Re-encrypt every stored webhook secret under the current FLRISK_SECRET_KEY (after changing it, list the
    earlier value in FLRISK_OLD_SECRET_KEYS for this run and until every process has the new key)."""
    from service.auth.encryption import InvalidToken, SecretBox, old_secrets
    from service.monitoring.webhook_secrets import rotate
    from service.store.db import transaction

    engine, secret = _key_session()
    try:
        with transaction(engine) as session:
            count = rotate(session, SecretBox(secret, old_secrets(get_settings().old_secret_keys)))
    except InvalidToken as exc:
        err.print("[red]a stored secret opens with neither FLRISK_SECRET_KEY nor FLRISK_OLD_SECRET_KEYS[/red]; "
                  "nothing was changed")
        raise typer.Exit(2) from exc
    typer.echo(f"re-encrypted {count} webhook secrets under the current key")


def main() -> None:  # pragma: no cover - console entry point
    try:
        app(prog_name="flrisk")
    except ValidationError as exc:  # settings from FLRISK_* variables: one line per bad value, no traceback
        for error in exc.errors():
            name = "FLRISK_" + "_".join(str(part) for part in error["loc"]).upper()
            print(f"flrisk: invalid setting {name}: {error['msg']}", file=sys.stderr)
        sys.exit(2)
    sys.exit(0)
