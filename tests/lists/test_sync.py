"""`lists sync` against a local stand-in for the publishers (benchmarks/upstream_server.py) on SQLite and
PostgreSQL: the official publications load, an unchanged upstream makes no version but counts as a check, a
changed one records exactly what changed, and every kind of failure keeps the active version and says why."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from benchmarks.upstream_server import Upstream, upstream_server
from service.jobs.sync import run_sync
from service.lists.sources import SourceConfig
from service.store import lists_repo
from service.store.tables import AuditEventRow, ListFetchState
from tests.lists.official_layout import render_cbp_csv, render_dhs_page, sections_of, snapshot_rows

FORMATS = Path(__file__).resolve().parents[1] / "data" / "formats"
UFLPA = "uflpa_entity_list"
# The shipped rows with a UFLPA section: the page lists an entity under its sections (uflpa-149 has none yet).
ROWS = [r for r in snapshot_rows("uflpa_entity_list.csv") if sections_of(r)]


@pytest.fixture
def upstream(tmp_path: Path) -> Iterator[Upstream]:
    with upstream_server(tmp_path / "www") as server:
        shutil.copy(FORMATS / "federal_register_documents.json", server.root / "fr.json")
        yield server


def publish(upstream: Upstream, rows: list[dict[str, str]]) -> None:
    (upstream.root / "uflpa.html").write_text(render_dhs_page(rows), "utf-8")


def uflpa(upstream: Upstream, *names: str) -> SourceConfig:
    return SourceConfig(UFLPA, tuple(upstream.url(n) for n in (names or ("uflpa.html", "fr.json"))))


def sync(client: TestClient, *sources: SourceConfig) -> list[Any]:
    return run_sync(client.app.state.engine, sources, max_shrink_ratio=0.2)


def status(client: TestClient, source: str = UFLPA) -> dict[str, Any]:
    rows = {r["source"]: r for r in client.get("/v1/lists").json()["data"]}
    return rows[source]


def active_ids(client: TestClient, source: str = UFLPA) -> dict[str, Any]:
    with Session(client.app.state.engine) as session:
        version = lists_repo.active_version(session, source)
        assert version is not None
        assert version.id is not None
        return {e.entry_id: e for e in lists_repo.entries_of(session, version.id)}


class TestOfficialPublications:
    def test_dhs_page_cbp_csv_and_federal_register_sync_to_the_right_entries(self, client: TestClient,
                                                                            upstream: Upstream) -> None:
        publish(upstream, ROWS)
        cbp_rows = snapshot_rows("cbp_wro_findings.csv")
        other = [["05/18/2018", "2018", "TM", "Turkmenistan", "Cotton", "WRO", "", "Active", "", "", "", ""]]
        (upstream.root / "wro.csv").write_bytes(render_cbp_csv(cbp_rows, other))
        results = sync(client, uflpa(upstream), SourceConfig("cbp_wro", (upstream.url("wro.csv"),)))
        assert [(r.source, r.status, r.entry_count) for r in results] == [(UFLPA, "loaded", 148),
                                                                            ("cbp_wro", "loaded", 42)]
        entries = active_ids(client)
        assert set(entries) == {r["list_id"] for r in ROWS}  # every shipped id kept
        assert entries["uflpa-006"].citation.endswith("FR Doc. 2023-12481, 88 FR 38080 (2023-06-12)")
        assert entries["uflpa-003"].extra["listing_scope"] == "and subsidiaries"
        wro = active_ids(client, "cbp_wro")
        assert (len(wro), wro["cbp-042"].country, wro["cbp-042"].match_by_name) == (42, "TM", False)
        row = status(client)
        assert (row["entry_count"], row["last_error"], row["stale"]) == (148, None, False)
        assert row["last_changed_at"] is not None
        assert row["last_checked_at"] > "2026-06-26"  # no longer the snapshot date: checked upstream


class TestUnchanged:
    def test_second_sync_of_unchanged_files_makes_no_version_but_records_the_check(self, client: TestClient,
                                                                                  upstream: Upstream) -> None:
        publish(upstream, ROWS)
        first = sync(client, uflpa(upstream))[0]
        checked = datetime.fromisoformat(status(client)["last_checked_at"])
        upstream.log.clear()
        second = sync(client, uflpa(upstream))[0]
        assert (second.status, second.version_id) == ("not_modified", None)
        assert sorted(upstream.log) == [("/fr.json", 304), ("/uflpa.html", 304)]  # conditional requests
        row = status(client)
        assert row["active_version"]["id"] == first.version_id
        assert datetime.fromisoformat(row["last_checked_at"]) > checked

    def test_new_validators_with_the_same_content_load_nothing(self, client: TestClient, upstream: Upstream) -> None:
        publish(upstream, ROWS)
        first = sync(client, uflpa(upstream))[0]
        upstream.salt = "re-published"
        again = sync(client, uflpa(upstream))[0]
        assert (again.status, again.version_id) == ("unchanged", first.version_id)
        assert len(client.get(f"/v1/lists/{UFLPA}/versions").json()["data"]) == 2  # snapshot + first sync

    def test_one_changed_file_fetches_the_other_again(self, client: TestClient, upstream: Upstream) -> None:
        publish(upstream, ROWS[:-1])
        sync(client, uflpa(upstream))
        publish(upstream, ROWS)
        upstream.log.clear()
        result = sync(client, uflpa(upstream))[0]
        assert result.status == "loaded"
        assert ("/fr.json", 304) in upstream.log
        assert ("/fr.json", 200) in upstream.log


class TestChanges:
    def test_changes_endpoint_lists_exactly_the_added_and_removed_entries(self, client: TestClient,
                                                                          upstream: Upstream) -> None:
        publish(upstream, ROWS[:-3])
        sync(client, uflpa(upstream))
        publish(upstream, ROWS[1:])  # the first entity delisted, the last three listed
        result = sync(client, uflpa(upstream))[0]
        page = client.get(f"/v1/lists/{UFLPA}/changes", params={"limit": 1}).json()
        assert page["count"] == 3  # snapshot, first sync, second sync
        latest = page["data"][0]
        assert latest["version_id"] == result.version_id
        assert [e["name"] for e in latest["removed"]] == [ROWS[0]["name"]]
        assert latest["removed"][0]["entry_id"] == "uflpa-001"
        assert sorted(e["name"] for e in latest["added"]) == sorted(r["name"] for r in ROWS[-3:])
        assert latest["changed"] == []
        assert client.get(f"/v1/lists/{UFLPA}/changes", params={"since": "2999-01-01"}).json()["data"] == []

    @pytest.mark.parametrize("since", ["0", "1735689600", "yesterday", "2026-13-01"])
    def test_since_must_be_an_iso_date(self, client: TestClient, since: str) -> None:
        response = client.get(f"/v1/lists/{UFLPA}/changes", params={"since": since})
        assert response.status_code == 422
        assert response.json()["errors"][0]["pointer"] == "/since"

    def test_a_changed_name_is_a_change_not_an_addition(self, client: TestClient, upstream: Upstream) -> None:
        publish(upstream, ROWS)
        sync(client, uflpa(upstream))
        renamed = [dict(r) for r in ROWS]
        renamed[1]["aliases"] = ""  # uflpa-002 loses its aliases upstream
        publish(upstream, renamed)
        sync(client, uflpa(upstream))
        latest = client.get(f"/v1/lists/{UFLPA}/changes").json()["data"][0]
        assert (latest["added"], latest["removed"]) == ([], [])
        assert [(c["entry_id"], sorted(c["fields"])) for c in latest["changed"]] == [("uflpa-002", ["aliases"])]


ERROR_PAGE = ("<!DOCTYPE html><html><head><title>Access Denied</title></head><body><h1>Access Denied</h1>"
              "<p>Reference #18.4f2c</p></body></html>")


class TestFailuresKeepTheActiveVersion:
    @pytest.mark.parametrize(("case", "message"), [
        ("moved", "uflpa.html: HTTP 404"),
        ("error-page", "the page titled 'Access Denied' has no div.field--name-body"),
        ("empty-table", "has no rows"),
        ("shrink-50", "from 148 to 74 entries (50.0% fewer, limit 20%)"),
    ])
    def test_failure_recorded_and_version_kept(self, client: TestClient, upstream: Upstream, case: str,
                                               message: str) -> None:
        publish(upstream, ROWS)
        good = sync(client, uflpa(upstream))[0]
        if case == "moved":
            (upstream.root / "uflpa.html").unlink()
        elif case == "error-page":
            (upstream.root / "uflpa.html").write_text(ERROR_PAGE, "utf-8")
        elif case == "empty-table":
            text = (FORMATS / "dhs_uflpa_entity_list.html").read_text("utf-8")
            start = text.index("<tbody>", text.index("Section 2(d)(2)(B)(v)"))
            (upstream.root / "uflpa.html").write_text(text[:start] + "<tbody>" + text[text.index("</tbody>", start):],
                                                      "utf-8")
        else:
            publish(upstream, ROWS[:74])
        failed = sync(client, uflpa(upstream))[0]
        assert failed.status == "failed"
        assert message in failed.message
        row = status(client)
        assert (row["active_version"]["id"], row["entry_count"]) == (good.version_id, 148)
        assert message in row["last_error"]["message"]
        assert row["last_error"]["at"] > row["last_checked_at"]


class TestCredentialsRedacted:
    def test_user_password_and_query_never_stored_or_shown(self, client: TestClient, upstream: Upstream) -> None:
        publish(upstream, ROWS)
        secret_url = upstream.url("uflpa.html").replace("http://", "http://reader:s3cret@") + "?token=t0ken"
        sync(client, SourceConfig(UFLPA, (secret_url, upstream.url("fr.json"))))
        shown = (client.get(f"/v1/lists/{UFLPA}/versions").text + client.get("/v1/lists").text
                 + client.get("/v1/audit").text)
        with Session(client.app.state.engine) as session:
            stored = [s.url for s in session.exec(select(ListFetchState))]
            stored += [str(e.details) for e in session.exec(select(AuditEventRow))]
        for text in (shown, *stored):
            assert "s3cret" not in text
            assert "t0ken" not in text
        assert "http://***@127.0.0.1" in client.get(f"/v1/lists/{UFLPA}/versions").json()["data"][0]["origin"]


class TestShrinkAlert:
    def test_a_shrink_over_five_percent_is_said_and_alerted(self, client: TestClient, upstream: Upstream) -> None:
        publish(upstream, ROWS)
        sync(client, uflpa(upstream))
        publish(upstream, ROWS[:133])  # 15 of 148 gone: 10.1 %
        result = sync(client, uflpa(upstream))[0]
        assert result.status == "loaded"
        assert "the list shrank by 10.1% (over 5%: administrators alerted)" in result.message
        events = client.get("/v1/audit", params={"type": "list.shrink_alert"}).json()["data"]
        assert [(e["subject"], e["details"]["shrink_pct"]) for e in events] == [(UFLPA, 10.1)]
        assert len(events[0]["details"]["removed_entries"]) == 15


class TestEntrySearch:
    @pytest.mark.parametrize("q", ["%", "_", "a%b", "hoshine_"])
    def test_like_wildcards_match_themselves(self, client: TestClient, q: str) -> None:
        page = client.get(f"/v1/lists/{UFLPA}/entries", params={"q": q}).json()
        assert page["count"] == 0

    def test_plain_substring_still_matches(self, client: TestClient) -> None:
        assert client.get(f"/v1/lists/{UFLPA}/entries", params={"q": "hoshine"}).json()["count"] >= 1
