"""The `check` command: register it with `app.command("check")(check)`.

Heavy imports happen inside the command, so registering it does not slow down the rest of `flrisk`.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer

from service.check import EXIT_HITS, EXIT_INTERNAL, EXIT_OK, CheckError
from service.screening.vocabulary import FINDING_VERDICTS

PROGRESS_FROM = 300  # rows; smaller files finish before a bar is worth drawing
INTERRUPTED = 130


class FailOn(StrEnum):
    presumption = "presumption"
    review = "review"
    elevated = "elevated"


assert tuple(FailOn) == FINDING_VERDICTS, "--fail-on takes the verdicts that make a finding"


class Format(StrEnum):
    table = "table"
    json = "json"
    junit = "junit"
    sarif = "sarif"


@dataclass(frozen=True)
class CheckOptions:
    file: Path
    server: str | None = None
    fail_on: str = "presumption"
    format: str = "table"
    mapping: str | None = None
    encoding: str | None = None
    timeout: float = 120.0
    relations: tuple[Path, ...] = ()
    fail_on_stale: bool = False


def check(
    file: Annotated[Path, typer.Argument(help="CSV, XLSX, JSON or JSON Lines file of suppliers or shipments.",
                                         dir_okay=False, show_default=False, metavar="FILE")],
    server: Annotated[str | None, typer.Option(
        "--server", metavar="URL", help="Screen on this flrisk server (key from FLRISK_API_KEY) instead of "
                                        "locally with the shipped lists.")] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when any record is at or above this verdict."
                                            )] = FailOn.presumption,
    fmt: Annotated[Format, typer.Option("--format", help="Report on stdout: table, JSON lines, JUnit XML or "
                                                         "SARIF 2.1.0.")] = Format.table,
    mapping: Annotated[str | None, typer.Option(
        help='CSV/XLSX column mapping as JSON, e.g. \'{"name": "Vendor Name"}\' (replaces auto-mapping).'
    )] = None,
    encoding: Annotated[str | None, typer.Option(help="CSV text encoding, e.g. gbk (default: detected).")] = None,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds to wait for each server request.")] = 120.0,
    relations: Annotated[list[Path] | None, typer.Option(
        "--relations", metavar="FILE", dir_okay=False,
        help="Local engine: also catch subsidiaries, branches and owners of listed entities from GLEIF LEI-CDF + "
             "RR-CDF files (CSV or zip) or an OpenSanctions FtM file; repeatable.")] = None,
    fail_on_stale: Annotated[bool, typer.Option(
        "--fail-on-stale", help="Exit 1 when any list the records were screened against was stale (not checked "
                                "against its official source within its maximum age); prints which.")] = False,
) -> None:
    """Screen a supplier or shipment file for UFLPA risk, for CI pipelines.

    Exit 0: nothing at or above --fail-on. Exit 1: hits found (or, with --fail-on-stale, a stale list used).
    Exit 2: usage or input error.

    Exit 3: server unreachable (connection error, timeout, 5xx after retries). Exit 4: internal error.

    Only the report (with any warnings about the records) goes to stdout; progress, log messages and (for
    non-table formats) the summary go to stderr.
    """
    options = CheckOptions(file=file, server=server, fail_on=fail_on.value, format=fmt.value, mapping=mapping,
                           encoding=encoding, timeout=timeout, relations=tuple(relations or ()),
                           fail_on_stale=fail_on_stale)
    raise typer.Exit(guarded(lambda: run(options)))


def guarded(body: Callable[[], int], err: TextIO | None = None) -> int:
    """Run `body`; known failures exit with their code, anything unexpected with 4 (never 1, "hits found")."""
    err = err or sys.stderr
    try:
        return body()
    except CheckError as exc:
        err.write(f"flrisk check: {exc.message}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        err.write("flrisk check: interrupted\n")
        return INTERRUPTED
    except Exception as exc:
        err.write(f"flrisk check: internal error: {type(exc).__name__}: {exc}\n")
        err.write("".join(traceback.format_exception(exc)))
        return EXIT_INTERNAL


def run(options: CheckOptions, out: TextIO | None = None) -> int:
    from rich.console import Console

    from service.check.engines import Engine, LocalEngine, ServerEngine
    from service.check.inputs import load
    from service.check.output import Report, render

    out = out or sys.stdout
    _log_to_stderr()
    if options.server and not options.server.startswith(("http://", "https://")):
        raise CheckError(f"--server must be an http:// or https:// URL, not {options.server!r}")
    if options.server and options.relations:
        raise CheckError("--relations is for the local engine; a server screens with its own loaded relations")
    checked = load(options.file, mapping_json=options.mapping, encoding=options.encoding)
    engine: Engine = (ServerEngine(options.server, os.environ.get("FLRISK_API_KEY") or None, timeout=options.timeout)
                      if options.server else LocalEngine(options.relations))
    with _progress(len(checked.items)) as advance:
        screened = engine.screen(checked.items, advance)
    report = Report(screened, checked.path, options.fail_on)
    try:
        render(report, options.format, out)
        out.flush()
    except BrokenPipeError:  # the reader stopped early (`| head`); the verdicts still decide the exit code
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    if options.format != "table":
        err.print(report.summary())
    stale = report.stale_lists() if options.fail_on_stale else None
    if stale:
        err.print(f"flrisk check: --fail-on-stale: {stale}", markup=False)
    return EXIT_HITS if report.hits or stale else EXIT_OK


def _log_to_stderr() -> None:
    """Service modules log; none of it may reach stdout, where the report goes."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, force=True)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None]]:
    if total <= PROGRESS_FROM:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True)) as progress:
        task = progress.add_task("screening", total=total)
        yield lambda n: progress.advance(task, n)
