"""The console's evidence page shows an ownership path as a chain, with who says so at each step."""

from __future__ import annotations

from fastapi.testclient import TestClient

from service.relations.update import RelationsUpdate, run_update
from tests.relations.conftest import LEI_FILE, RR_FILE
from tests.ui.conftest import app_client, console, finish, settings, upload  # noqa: F401 - fixtures


def test_row_page_shows_the_chain(console: tuple[TestClient, str]) -> None:  # noqa: F811
    client, csrf = console
    run_update(client.app.state.engine, RelationsUpdate([str(LEI_FILE), str(RR_FILE)], hops=2),
               max_shrink_ratio=0.2)
    client.app.state.relations.refresh()
    batch = upload(client, csrf, b"Vendor Name,Country\nOrmsby Solar Glass Co Ltd,CN\nKrones AG,DE\n")
    finish(client, batch)
    page = client.get(f"{batch}/rows/2").text  # the spreadsheet row (header = 1)
    assert 'id="verdict">review<' in page
    assert "Ownership path · related" in page
    assert "Related organisation matched" in page
    assert "LEI TESTORMSBY0000000055" in page
    assert "&darr; parent of · gleif: GLEIF Level 2 relationship record" in page
    assert "sister company of" in page
    assert "Record decision" in page  # a decision on the (party, listed entry) pair, as for a list match
    assert client.get(f"{batch}/rows/3").status_code == 404  # Krones AG stays clear
