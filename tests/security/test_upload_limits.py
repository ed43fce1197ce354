"""Issue 17, items 1 and 10: a sparse wide XLSX and a malformed one are refused with a 422 (a console page in
the console), naming the limit or the read error, and nothing is stored."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from types import SimpleNamespace

import httpx
import pytest
import xlsxwriter
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from benchmarks.attack_rss import sparse_wide_xlsx
from service.app import create_app
from service.batches import reading
from service.settings import Settings
from service.store.tables import BatchRow
from tests.api.test_batches import upload
from tests.conftest import add_key
from tests.servers import uvicorn_thread
from tests.ui.conftest import login


def _xlsx(cells: dict[tuple[int, int], str]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    for (row, column), value in cells.items():
        sheet.write_string(row, column, value)
    book.close()
    return out.getvalue()


def _with_sheet_xml(data: bytes, edit: dict[str, str]) -> bytes:
    """The workbook with its first sheet's XML text replaced as `edit` says (old -> new)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    sheet = source.read("xl/worksheets/sheet1.xml").decode()
    for old, new in edit.items():
        assert old in sheet, old
        sheet = sheet.replace(old, new, 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, sheet if info.filename == "xl/worksheets/sheet1.xml" else source.read(info))
    return out.getvalue()


def billion_laughs_xlsx() -> bytes:
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    plain = _xlsx({(0, 0): "Vendor Name", (1, 0): "Acme Trading"})
    return _with_sheet_xml(plain, {"<worksheet": f"<!DOCTYPE worksheet [{entities}]><worksheet",
                                   '<c r="A2" t="s"><v>1</v></c>': '<c r="A2" t="inlineStr"><is><t>&a9;</t></is></c>'})


def entity_xlsx() -> bytes:
    plain = _xlsx({(0, 0): "Vendor Name", (1, 0): "Acme Trading"})
    cell = '<c r="A2" t="inlineStr"><is><t>&name;</t></is></c>'
    return _with_sheet_xml(plain, {"<worksheet": '<!DOCTYPE worksheet [<!ENTITY name "Evil Corp">]><worksheet',
                                   '<c r="A2" t="s"><v>1</v></c>': cell})


def broken_xml_xlsx() -> bytes:
    """Well-formed up to the second row, so the workbook opens and the error comes while rows are read."""
    plain = _xlsx({(0, 0): "Vendor Name", (1, 0): "Acme Trading"})
    broken = '<c r="A2" t="inlineStr"><is><t>A &amp B</t></is></c>'  # an entity reference without its ";"
    return _with_sheet_xml(plain, {'<c r="A2" t="s"><v>1</v></c>': broken})


def _batches(client: TestClient) -> int:
    with Session(client.app.state.engine) as session:
        return int(session.exec(select(func.count()).select_from(BatchRow)).one())


def _problem(response: httpx.Response) -> tuple[str, list[str]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    return str(body["detail"]), [str(e["pointer"]) for e in body["errors"]]


class TestSparseWideXlsx:
    def test_one_cell_in_a_and_one_in_xfd_per_row_is_refused_naming_the_limit(self, client: TestClient) -> None:
        detail, pointers = _problem(upload(client, sparse_wide_xlsx(7000, 16_384), "wide.xlsx"))

        assert detail == "row 1 has a cell in column XFD; the limit is 500 columns"
        assert pointers == ["/1"]
        assert _batches(client) == 0

    def test_data_row_reaching_past_the_header_is_refused_at_that_row(self, client: TestClient) -> None:
        cells = {(0, 0): "Vendor Name", (0, 1): "Country", (1, 0): "Acme", (2, 0): "Beta", (2, 16_383): "x"}

        detail, pointers = _problem(upload(client, _xlsx(cells), "wide.xlsx"))

        assert "row 3 has a cell in column XFD; the limit is 500 columns" in detail
        assert pointers == ["/3"]
        assert _batches(client) == 0

    def test_widest_header_within_the_limit_is_accepted(self, client: TestClient) -> None:
        cells = {(0, 0): "Vendor Name", (0, 499): "Note", (1, 0): "Acme Trading", (1, 499): "x"}

        response = upload(client, _xlsx(cells), "wide.xlsx")

        assert response.status_code == 202, response.text
        assert response.json()["rows_total"] == 1
        with Session(client.app.state.engine) as session:
            assert len(session.exec(select(BatchRow)).one().headers) == 500

    def test_total_cells_over_the_limit_is_refused(self, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(reading, "MAX_CELLS", 9)
        rows = "Vendor Name,Country\n" + "".join(f"Supplier {i},CN\n" for i in range(5))

        detail, pointers = _problem(upload(client, rows.encode()))

        assert detail == "the file has more than 9 cells (rows x header columns); split it or drop unused columns " \
                         "(row 6)"
        assert pointers == ["/6"]
        assert _batches(client) == 0

    def test_csv_header_wider_than_the_limit_is_refused(self, client: TestClient) -> None:
        header = ",".join(["Vendor Name", *(f"c{i}" for i in range(600))])

        detail, _ = _problem(upload(client, f"{header}\nAcme\n".encode()))

        assert detail.startswith("the header row has 601 columns; the limit is 500 columns")

    def test_console_preview_explains_the_limit(self, app_client: TestClient) -> None:
        csrf = login(app_client)

        response = app_client.post("/ui/upload/preview", data={"csrf": csrf},
                                   files={"file": ("wide.xlsx", sparse_wide_xlsx(50, 16_384))})

        assert response.status_code == 200
        assert "Row 1 has a cell in column XFD; the limit is 500 columns" in response.text


class TestMalformedXlsx:
    @pytest.mark.parametrize("make", [entity_xlsx, billion_laughs_xlsx])
    def test_entity_declarations_are_a_422_not_a_500(self, client: TestClient, make: Callable[[], bytes]) -> None:
        detail, pointers = _problem(upload(client, make(), "evil.xlsx"))

        assert detail.startswith(("the XLSX workbook cannot be opened", "the XLSX worksheet cannot be read"))
        assert pointers == ["/"]
        assert _batches(client) == 0

    def test_xml_error_met_while_reading_rows_is_a_422(self, client: TestClient) -> None:
        detail, pointers = _problem(upload(client, broken_xml_xlsx(), "broken.xlsx"))

        assert detail.startswith("the XLSX worksheet cannot be read: ParseError: ")
        assert pointers == ["/"]
        assert _batches(client) == 0

    def test_console_preview_and_start_show_a_page(self, app_client: TestClient) -> None:
        csrf = login(app_client)
        files = {"file": ("broken.xlsx", broken_xml_xlsx())}

        preview = app_client.post("/ui/upload/preview", data={"csrf": csrf}, files=files)
        started = app_client.post("/ui/upload", data={"csrf": csrf}, files=files, follow_redirects=False)

        assert preview.status_code == 200
        assert "The XLSX worksheet cannot be read" in preview.text
        assert started.status_code == 422
        assert "The XLSX worksheet cannot be read" in started.text

    def test_keep_alive_connection_survives_the_refusal(self, settings: Settings) -> None:
        app = create_app(settings)
        with uvicorn_thread(app) as base, httpx.Client(base_url=base) as http:
            http.headers["X-API-Key"] = add_key(SimpleNamespace(app=app))  # type: ignore[arg-type]
            refused = http.post("/v1/batches", files={"file": ("e.xlsx", broken_xml_xlsx())})
            again = http.get("/v1/batches/nope")

        assert refused.status_code == 422
        assert refused.headers.get("connection") != "close"
        assert again.status_code == 404
