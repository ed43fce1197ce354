"""Countries in the console: the preview names rows whose country is not recognised (nothing is refused), and the
row page shows the warning; spelled-out countries are screened as their codes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.ui.conftest import HEADERS, SUPPLIERS, finish, supplier_csv, upload

# Hoshine with its country written in 汉字 and spelled out; Krones with a country that names none.
ROWS = [(*SUPPLIERS[0][:3], "中华人民共和国", *SUPPLIERS[0][4:]), (*SUPPLIERS[4][:3], "Narnia", *SUPPLIERS[4][4:]),
        (*SUPPLIERS[0][:3], "Narnia", *SUPPLIERS[0][4:])]
WARNING = "Row 3, column &#39;国家&#39;: &#39;Narnia&#39; is not a recognised country; screened without a country"


def test_preview_lists_unrecognised_countries_and_still_starts(console: tuple[TestClient, str]) -> None:
    client, csrf = console
    html = client.post("/ui/upload/preview", data={"csrf": csrf},
                       files={"file": ("suppliers.csv", supplier_csv(ROWS, HEADERS))}).text
    assert 'id="country-warnings"' in html
    assert WARNING in html
    assert WARNING.replace("Row 3", "Row 4") in html
    assert "中华人民共和国" in html
    assert "Row 2," not in html
    assert 'id="start">Start screening 3 rows' in html


def test_row_page_shows_the_warning(console: tuple[TestClient, str]) -> None:
    client, csrf = console
    batch = upload(client, csrf, supplier_csv(ROWS, HEADERS))
    finish(client, batch)
    first, last = client.get(f"{batch}/rows/2").text, client.get(f"{batch}/rows/4").text
    assert 'id="row-warnings"' not in first
    assert ("Warning: country: &#39;Narnia&#39; is not a recognised country; screened without a country"
            in last)
    assert 'id="verdict">presumption' in first
