"""`flrisk batch`: upload a supplier list to a flrisk server, watch it being screened, download the results.

Progress bars (upload bytes, then rows screened) go to stderr; stdout carries only the batch status as JSON,
so `flrisk batch submit vendors.xlsx --wait > status.json` works in scripts. Exit codes: 0 done, 1 the batch
failed, 2 the server refused the file (its problem+json is printed), 3 the server could not be reached.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated, Any, cast

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

batch_app = typer.Typer(help="Supplier-list batches on a flrisk server: submit, status, results.",
                        no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)

ServerOpt = Annotated[str, typer.Option("--server", envvar="FLRISK_SERVER", help="flrisk server URL.")]
DEFAULT_SERVER = "http://127.0.0.1:8000"
POLL_SECONDS = 0.5


class _Reading:
    """A file object that reports how much of it has been read (httpx streams multipart uploads by read())."""

    def __init__(self, fh: IO[bytes], advance: Callable[[int], None]) -> None:
        self._fh, self._advance = fh, advance
        self.name = fh.name

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self._advance(len(data))
        return data


def _client(server: str) -> httpx.Client:
    key = os.environ.get("FLRISK_API_KEY")
    if not key:
        err.print("set FLRISK_API_KEY to a key with the `screen` and `read` scopes")
        raise typer.Exit(2)
    return httpx.Client(base_url=server.rstrip("/"), headers={"Authorization": f"Bearer {key}"}, timeout=300)


@contextmanager
def _calling(server: str) -> Iterator[None]:
    try:
        yield
    except httpx.TransportError as exc:
        err.print(f"cannot reach {server}: {exc}")
        raise typer.Exit(3) from exc


def _checked(response: httpx.Response) -> dict[str, Any]:
    if response.status_code >= 400:
        err.print(f"the server refused the request ({response.status_code}):")
        err.print(response.text)
        raise typer.Exit(2)
    data: dict[str, Any] = response.json()
    return data


def _progress(*columns: Any) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), *columns, TimeRemainingColumn(), console=err,
                    disable=not err.is_terminal and not os.environ.get("FLRISK_PROGRESS"))


def _upload(client: httpx.Client, path: Path, form: dict[str, str], headers: dict[str, str]) -> dict[str, Any]:
    with path.open("rb") as fh, _progress(DownloadColumn()) as bar:
        task = bar.add_task(f"uploading {path.name}", total=path.stat().st_size)
        reading = _Reading(fh, lambda n: bar.advance(task, n))
        upload = cast(IO[bytes], reading)  # httpx only calls read() on it
        return _checked(client.post("/v1/batches", files={"file": (path.name, upload)}, data=form, headers=headers))


def _wait(client: httpx.Client, status: dict[str, Any]) -> dict[str, Any]:
    with _progress(MofNCompleteColumn()) as bar:
        task = bar.add_task("screening rows", total=status["rows_total"])
        while status["status"] not in ("done", "failed"):
            time.sleep(POLL_SECONDS)
            status = _checked(client.get(f"/v1/batches/{status['id']}"))
            bar.update(task, completed=status["rows_done"])
    return status


def _download(client: httpx.Client, batch_id: str, verdict: str | None, target: Path) -> None:
    """The results in the format the target's suffix names (.csv, .xlsx, .json; CSV without one)."""
    fmt = target.suffix.lstrip(".").lower() or "csv"
    params = (("format", fmt), *(("verdict", v.strip()) for v in (verdict or "").split(",") if v.strip()))
    with client.stream("GET", f"/v1/batches/{batch_id}/results", params=params) as response:
        if response.status_code >= 400:
            response.read()
            _checked(response)
        with target.open("wb") as out:
            for block in response.iter_bytes():
                out.write(block)
    err.print(f"results written to {target}")


def _emit(status: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(status, ensure_ascii=False) + "\n")


@batch_app.command()
def submit(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or XLSX supplier list.")],
    server: ServerOpt = DEFAULT_SERVER,
    mapping: Annotated[str | None, typer.Option(help='Column mapping as JSON, e.g. {"name": "Vendor Name"}.')] = None,
    encoding: Annotated[str | None, typer.Option(help="Force the CSV encoding (e.g. gbk); detected otherwise.")
                        ] = None,
    idempotency_key: Annotated[str | None, typer.Option(help="Re-submitting with the same key returns the "
                                                              "same batch.")] = None,
    wait: Annotated[bool, typer.Option(help="Wait until the batch is screened, with a progress bar.")] = True,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Download the results here when done "
                                                "(format from the extension: .csv, .xlsx, .json).")] = None,
    verdict: Annotated[str | None, typer.Option(help="Only download rows with these verdicts "
                                                     "(comma-separated).")] = None,
) -> None:
    """Upload a supplier list as a batch; print its status as JSON."""
    form = {k: v for k, v in (("mapping", mapping), ("encoding", encoding)) if v}
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    with _calling(server), _client(server) as client:
        status = _upload(client, file, form, headers)
        err.print(f"batch {status['id']}: {status['rows_total']} rows, encoding {status.get('encoding')}, "
                  f"mapping {json.dumps(status.get('mapping'), ensure_ascii=False)}")
        if wait or output:
            status = _wait(client, status)
        if output and status["status"] == "done":
            _download(client, status["id"], verdict, output)
    _emit(status)
    raise typer.Exit(1 if status["status"] == "failed" else 0)


@batch_app.command()
def status(
    batch_id: Annotated[str, typer.Argument(help="Batch id.")],
    server: ServerOpt = DEFAULT_SERVER,
    wait: Annotated[bool, typer.Option(help="Wait until it is done, with a progress bar.")] = False,
) -> None:
    """Print a batch's status as JSON (rows done, counts by verdict, list versions)."""
    with _calling(server), _client(server) as client:
        current = _checked(client.get(f"/v1/batches/{batch_id}"))
        if wait:
            current = _wait(client, current)
    _emit(current)
    raise typer.Exit(1 if current["status"] == "failed" else 0)


@batch_app.command()
def results(
    batch_id: Annotated[str, typer.Argument(help="Batch id.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Target file; format from its extension.")],
    server: ServerOpt = DEFAULT_SERVER,
    verdict: Annotated[str | None, typer.Option(help="Only rows with these verdicts (comma-separated).")] = None,
) -> None:
    """Download a batch's results (every input row with its verdict) as CSV, XLSX or JSON."""
    with _calling(server), _client(server) as client:
        _download(client, batch_id, verdict, output)
