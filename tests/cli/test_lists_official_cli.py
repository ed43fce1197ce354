"""`flrisk lists update` from the official publications served by a local HTTP server on 127.0.0.1,
on SQLite and PostgreSQL: the DHS page with Federal Register search results, the CBP dataset CSV, and
the pages that must be refused (moved, error page, login wall, empty table) leaving the active version."""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from sqlmodel import Session

from service.store import lists_repo
from service.store.db import make_engine
from tests.cli.test_lists_cli import FORMATS, run, show
from tests.lists.official_layout import render_cbp_csv, render_dhs_page, snapshot_rows

UFLPA = "uflpa_entity_list"
NINESTAR = {"uflpa-007": ("Zhuhai", [f"uflpa-{n:03d}" for n in range(77, 85)])}


@pytest.fixture
def www(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local HTTP server on 127.0.0.1 serving `tmp_path/www`; missing files answer 404."""
    root = tmp_path / "www"
    root.mkdir()
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    thread.join(timeout=10)


def entries(database_url: str, source: str) -> dict[str, object]:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            active = lists_repo.active_version(session, source)
            assert active is not None
            assert active.id is not None
            return {e.entry_id: e for e in lists_repo.entries_of(session, active.id)}
    finally:
        engine.dispose()


class TestDhsPageOverHttp:
    def test_page_and_federal_register_results(self, database_url: str, www: tuple[str, Path]) -> None:
        base, root = www
        rows = snapshot_rows("uflpa_entity_list.csv")
        (root / "uflpa.html").write_text(render_dhs_page(rows, former=frozenset({"uflpa-086"}), parents=NINESTAR),
                                         "utf-8")
        shutil.copy(FORMATS / "federal_register_documents.json", root / "fr.json")
        args = ["lists", "update", "--source", UFLPA, "--from", f"{base}/uflpa.html", "--from", f"{base}/fr.json"]
        result = run(database_url, *args)
        assert result.returncode == 0, result.stderr
        assert "with 148 entries (was 149)" in result.stdout
        loaded = entries(database_url, UFLPA)
        assert set(loaded) == {r["list_id"] for r in rows[:148]}  # every shipped id kept
        zhongtai = loaded["uflpa-006"]
        assert zhongtai.citation.endswith("effective 2023-06-12; FR Doc. 2023-12481, 88 FR 38080 (2023-06-12)")
        assert loaded["uflpa-003"].extra["listing_scope"] == "and subsidiaries"
        assert loaded["uflpa-078"].extra["parent_entry_id"] == "uflpa-007"
        assert loaded["uflpa-005"].legal_basis == ("UFLPA Section 2(d)(2)(B)(i); UFLPA Section 2(d)(2)(B)(ii); "
                                                   "UFLPA Section 2(d)(2)(B)(v)")
        assert "identical" in run(database_url, *args).stdout

    @pytest.mark.parametrize(("page", "message"), [
        (None, "uflpa.html: HTTP 404"),
        ("<!DOCTYPE html><html><head><title>Access Denied</title></head><body><h1>Access Denied</h1>"
         "<p>Reference #18.4f2c</p></body></html>",
         "the page titled 'Access Denied' has no div.field--name-body: not the DHS UFLPA Entity List page"),
        ("<html><head><title>Log in | Homeland Security</title></head><body><form method='post'>"
         "<input name='name'><input name='pass' type='password'></form></body></html>",
         "the page titled 'Log in | Homeland Security' has no div.field--name-body"),
        ("EMPTY", r"table of Section 2(d)(2)(B)(v) has no rows"),
    ], ids=["moved-404", "error-page", "login-wall", "empty-table"])
    def test_refused_and_active_version_kept(self, database_url: str, www: tuple[str, Path],
                                             page: str | None, message: str) -> None:
        base, root = www
        before = show(database_url)[UFLPA]
        if page == "EMPTY":
            text = (FORMATS / "dhs_uflpa_entity_list.html").read_text("utf-8")
            start = text.index("<tbody>", text.index("Section 2(d)(2)(B)(v)"))
            page = text[:start] + "<tbody>" + text[text.index("</tbody>", start):]
        if page is not None:
            (root / "uflpa.html").write_text(page, "utf-8")
        result = run(database_url, "lists", "update", "--source", UFLPA, "--from", f"{base}/uflpa.html")
        assert result.returncode == 2
        assert message in " ".join(result.stderr.split())
        after = show(database_url)[UFLPA]
        assert (after["version_id"], after["entry_count"]) == (before["version_id"], 149)

    def test_federal_register_alone_refused(self, database_url: str, www: tuple[str, Path]) -> None:
        base, root = www
        shutil.copy(FORMATS / "federal_register_documents.json", root / "fr.json")
        result = run(database_url, "lists", "update", "--source", UFLPA, "--from", f"{base}/fr.json")
        assert result.returncode == 2
        assert "is not a list" in " ".join(result.stderr.split())


class TestCbpDatasetOverHttp:
    def test_dataset_csv(self, database_url: str, www: tuple[str, Path]) -> None:
        base, root = www
        rows = snapshot_rows("cbp_wro_findings.csv")
        other = [["05/18/2018", "2018", "TM", "Turkmenistan", "Cotton", "WRO", "", "Active", "", "", "", ""]]
        (root / "wro.csv").write_bytes(render_cbp_csv(rows, other))
        result = run(database_url, "lists", "update", "--source", "cbp_wro", "--from", f"{base}/wro.csv")
        assert result.returncode == 0, result.stderr
        loaded = entries(database_url, "cbp_wro")
        assert len(loaded) == 42
        assert (loaded["cbp-011"].match_by_name, loaded["cbp-042"].match_by_name) == (False, False)
        assert loaded["cbp-042"].country == "TM"
        assert loaded["cbp-012"].extra["listing_scope"] == "and subsidiaries"
