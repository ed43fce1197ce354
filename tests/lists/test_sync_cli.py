"""`flrisk lists sync / changes / remove` as the real console script, on SQLite and PostgreSQL: the closed set
of sources, a sources file as the whole configuration, a failed sync's exit status, removal with an audit record."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from benchmarks.upstream_server import Upstream, upstream_server
from service.jobs.worker import SYNC_TASK, make_app
from service.store.db import make_engine
from service.store.tables import AuditEventRow
from tests.cli.test_lists_cli import FORMATS, run, show

KNOWN = "bis_entity_list, cbp_wro, ofac_sdn, opensanctions, trade_gov_csl, uflpa_entity_list"


@pytest.fixture
def upstream(tmp_path: Path) -> Iterator[Upstream]:
    with upstream_server(tmp_path / "www") as server:
        for name in ("ofac_sdn.csv", "ofac_alt.csv", "ofac_add.csv", "csl_consolidated.csv"):
            shutil.copy(FORMATS / name, server.root / name)
        yield server


def sources_file(tmp_path: Path, upstream: Upstream) -> Path:
    path = tmp_path / "sources.toml"
    ofac = ", ".join(f'"{upstream.url(n)}"' for n in ("ofac_sdn.csv", "ofac_alt.csv", "ofac_add.csv"))
    path.write_text(f'[ofac_sdn]\nurls = [{ofac}]\nmax_age_days = 3\n\n'
                    f'[bis_csl_mirror]\nurls = ["{upstream.url("csl_consolidated.csv")}"]\nlists = ["EL"]\n', "utf-8")
    return path


def audit(database_url: str, type_: str) -> list[AuditEventRow]:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            return list(session.exec(select(AuditEventRow).where(AuditEventRow.type == type_)))
    finally:
        engine.dispose()


class TestClosedSet:
    @pytest.mark.parametrize("command", [["lists", "sync", "--source", "uflpa_entitylist"],
                                         ["lists", "update", "--source", "uflpa_entitylist", "--from", "x.csv"]])
    def test_unknown_source_exits_2_listing_the_known_names(self, database_url: str, command: list[str]) -> None:
        result = run(database_url, *command)
        assert result.returncode == 2
        assert f"unknown source(s) uflpa_entitylist; known: {KNOWN}" in " ".join(result.stderr.split())
        assert "uflpa_entitylist" not in show(database_url)

    def test_sources_file_names_join_the_set(self, database_url: str, tmp_path: Path, upstream: Upstream) -> None:
        path = sources_file(tmp_path, upstream)
        result = run(database_url, "lists", "sync", "--sources", str(path))
        assert result.returncode == 0, result.stderr
        rows = show(database_url)
        assert rows["ofac_sdn"]["entry_count"] == 465
        assert rows["bis_csl_mirror"]["entry_count"] == 22  # the sample's Entity List rows only
        assert rows["uflpa_entity_list"]["last_checked_at"].startswith("2026-06-26")  # not named: not synced
        again = run(database_url, "lists", "sync", "--sources", str(path), "--source", "ofac_sdn")
        assert again.returncode == 0
        assert again.stdout.strip() == "ofac_sdn: not modified upstream since the last check"


class TestFailedSync:
    def test_exit_1_with_the_reason_and_the_error_shown(self, database_url: str, tmp_path: Path,
                                                        upstream: Upstream) -> None:
        path = tmp_path / "sources.toml"
        path.write_text(f'[cbp_wro]\nurls = ["{upstream.url("moved.csv")}"]\n', "utf-8")
        before = show(database_url)["cbp_wro"]["version_id"]
        result = run(database_url, "lists", "sync", "--sources", str(path))
        assert result.returncode == 1
        assert "moved.csv: HTTP 404" in result.stderr
        row = show(database_url)["cbp_wro"]
        assert (row["entry_count"], row["version_id"]) == (41, before)
        assert "moved.csv: HTTP 404" in row["last_error"]["message"]


class TestChangesAndRemove:
    def test_changes_then_remove_a_version_and_a_source(self, database_url: str, tmp_path: Path,
                                                        upstream: Upstream) -> None:
        path = sources_file(tmp_path, upstream)
        snapshot_version = show(database_url)["ofac_sdn"]["version_id"]
        assert run(database_url, "lists", "sync", "--sources", str(path)).returncode == 0
        changes = json.loads(run(database_url, "lists", "changes", "ofac_sdn", "--json").stdout)
        latest = changes["data"][0]
        assert (len(latest["added"]), latest["previous_version_id"]) == (465 - 12 + len(latest["removed"]),
                                                                          snapshot_version)
        active = run(database_url, "lists", "remove", "ofac_sdn", "--version", str(latest["version_id"]))
        assert active.returncode == 2
        assert "is the active version" in active.stderr
        builtin = run(database_url, "lists", "remove", "ofac_sdn")
        assert builtin.returncode == 2
        assert "built-in source" in builtin.stderr
        removed = run(database_url, "lists", "remove", "ofac_sdn", "--version", str(snapshot_version))
        assert removed.returncode == 0, removed.stderr
        assert [(e.subject, e.details["version_id"]) for e in audit(database_url, "list.version_removed")] == [
            ("ofac_sdn", snapshot_version)]
        gone = run(database_url, "lists", "remove", "bis_csl_mirror")
        assert gone.returncode == 0, gone.stderr
        assert "bis_csl_mirror" not in show(database_url)
        assert [e.subject for e in audit(database_url, "list.source_removed")] == ["bis_csl_mirror"]


class TestPeriodicTask:
    def test_scheduled_by_default_cron_and_off_disables(self) -> None:
        url = "postgresql://flrisk@127.0.0.1:5432/unused"
        scheduled = make_app(url, sync_cron="17 4 * * *").periodic_registry.periodic_tasks
        assert [(name, task.cron) for (name, _), task in scheduled.items()] == [(SYNC_TASK, "17 4 * * *")]
        assert make_app(url, sync_cron="off").periodic_registry.periodic_tasks == {}
        assert SYNC_TASK in make_app(url, sync_cron="off").tasks
