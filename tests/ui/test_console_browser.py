"""End to end in Debian's headless Chromium against a real uvicorn: log in, upload a GBK CSV with Chinese names,
watch the batch finish, open a presumption row, mark a false positive, download the XLSX and check its rows.

Screenshots of every page are saved in tests/artifacts/console-*.png (look at them: a page that works but looks
broken is not done)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import Session

from service.settings import Settings
from tests.conftest import TEST_SECRET
from tests.reports.test_report_browser import ARGS, ARTIFACTS, chromium  # noqa: F401 (fixture)
from tests.servers import uvicorn_thread
from tests.ui.conftest import SUPPLIERS, supplier_csv

VIEWPORT = {"width": 1366, "height": 860}  # a common laptop screen
# Enough ordinary suppliers after the real ones that the batch runs for a moment and the page is seen updating.
PADDING = [(f"P-{i:03d}", "", f"Nordic Packaging Supplies {i} AB", "SE", "Malmo", "4819.10") for i in range(240)]


@pytest.fixture
def console_server(tmp_path: Path) -> Iterator[tuple[str, str, object]]:
    """(base URL, API key with every scope, app) of a real uvicorn on SQLite with in-process batch jobs."""
    from service.app import create_app
    from service.services.keys import create_key

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'flrisk.db'}", list_poll_seconds=0.5,
                        secret_key=TEST_SECRET, batch_chunk_rows=2, log_json=False, log_level="WARNING")
    app = create_app(settings)
    with uvicorn_thread(app) as base:
        with Session(app.state.engine, expire_on_commit=False) as session:
            key = create_key(session, app.state.secret, name="m.chen", scopes=("screen", "read", "decide", "admin"),
                             actor="test").key
            session.commit()
        yield base, key, app


def test_supplier_list_workflow_in_chromium(chromium: Path, console_server: tuple[str, str, object],  # noqa: F811
                                            tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, key, _ = console_server
    upload = tmp_path / "供应商清单-GBK.csv"
    upload.write_bytes(supplier_csv([*SUPPLIERS, *PADDING]))
    total = len(SUPPLIERS) + len(PADDING)
    ARTIFACTS.mkdir(exist_ok=True)

    def shot(page: object, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"console-{name}.png"), full_page=True)  # type: ignore[attr-defined]

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=ARGS)
        try:
            context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="en-GB")
            page = context.new_page()
            page.set_default_timeout(20_000)

            # Log in: any console page leads to the login form first.
            page.goto(f"{base}/ui/batches")
            expect(page).to_have_url(f"{base}/ui/login?next=%2Fui%2Fbatches")
            page.get_by_label("API key").fill(key)
            shot(page, "login")
            page.get_by_role("button", name="Log in").click()
            expect(page.get_by_role("heading", name="Supplier lists screened")).to_be_visible()
            cookie = next(c for c in context.cookies() if c["name"] == "flrisk_console")
            assert cookie["httpOnly"]
            assert cookie["sameSite"] == "Lax"
            assert key not in cookie["value"]

            # Upload: pick the GBK file; the preview shows the encoding, the mapping and the Chinese rows.
            page.get_by_role("link", name="Upload", exact=True).click()
            page.set_input_files("#file", str(upload))
            expect(page.locator("#detected-encoding")).to_contain_text("gb18030")
            expect(page.get_by_label("Supplier name")).to_have_value("Vendor Name")
            expect(page.get_by_label("Chinese name (汉字)")).to_have_value("供应商名称")
            expect(page.locator("table.sample")).to_contain_text("新疆合盛硅业有限公司")
            shot(page, "upload-preview")
            # A wrong mapping is explained with row and column before anything is screened, then corrected.
            # Every bad row at once, in a table and as a sheet to fix in Excel.
            page.get_by_label("Supplier name").select_option("供应商名称")
            expect(page.locator("#problem-msg")).to_contain_text(f"The file has {total - 4} row problems")
            expect(page.locator("#problem-rows .row-no")).to_have_count(total - 4)  # all but the four 汉字 names
            expect(page.locator("#problem-rows .row-no").nth(2)).to_have_text("8")
            expect(page.locator("#problem-rows .col-name").first).to_have_text("供应商名称")
            expect(page.locator("#start")).to_be_disabled()
            shot(page, "upload-problem")
            with page.expect_download() as sheet_download:
                page.get_by_role("button", name="Rows with problems (XLSX)").click()
            sheet_path = tmp_path / sheet_download.value.suggested_filename
            sheet_download.value.save_as(sheet_path)
            expect(page.locator("#problem-msg")).to_be_visible()  # the page stays, with the chosen file
            page.get_by_label("Supplier name").select_option("Vendor Name")
            expect(page.locator("#problem-msg")).to_have_count(0)
            page.get_by_role("button", name=f"Start screening {total} rows").click()

            # Progress: the batch page updates by itself (polling) until the batch is done.
            expect(page).to_have_url(re.compile(r"/ui/batches/[0-9a-f-]{36}$"))
            first_status = page.locator("#progress [data-status]").get_attribute("data-status")
            if first_status != "done":
                shot(page, "batch-running")
            expect(page.locator('#progress [data-status="done"]')).to_be_visible()
            expect(page.locator("#rows-done")).to_have_text(str(total))
            presumptions = int(page.locator('[data-verdict="presumption"]').inner_text())
            assert presumptions >= 2
            batch_url = page.url
            shot(page, "batch")

            # Review: the non-clear rows; filter to presumptions and open the Hoshine row.
            page.locator("#review-link").click()
            page.get_by_label("Verdict").select_option("presumption")
            page.get_by_role("button", name="Apply").click()
            expect(page.locator("#review-table tbody tr")).to_have_count(presumptions)
            page.get_by_label("Verdict").select_option("")
            page.get_by_role("button", name="Apply").click()
            shot(page, "review")
            expect(page.locator("#review-table tbody tr").first.locator(".row-no")).to_have_text(re.compile(r"^\d+$"))
            page.get_by_role("link", name="Hetian Haolin Fashi Youxian Gongsi").click()
            expect(page).to_have_url(re.compile(r"/rows/3$"))  # V-002: the spreadsheet's row 3
            expect(page.locator("#verdict")).to_have_text("presumption")
            expect(page.locator("#screening-id")).to_have_text(re.compile(r"^[0-9a-f-]{36}-r3$"))
            match = page.locator("#match-uflpa_entity_list-uflpa-002")
            expect(match.locator(".names mark").first).to_be_visible()
            expect(match.locator("td.citation")).to_contain_text("DHS UFLPA Entity List")
            shot(page, "row")

            # Decide: mark the UFLPA match a false positive with a reason; the page shows it at once.
            match.get_by_label("False positive: a different company").check()
            match.get_by_label("Reason").fill("Different company: Guangzhou trading firm, no Xinjiang facility")
            match.get_by_role("button", name="Record decision").click()
            expect(page.locator("#decided")).to_contain_text("false positive")
            decided = page.locator("#match-uflpa_entity_list-uflpa-002 .decision")
            expect(decided).to_contain_text("Guangzhou trading firm")
            expect(decided).to_contain_text("m.chen")
            shot(page, "row-decided")
            page.get_by_role("link", name="Back to the list").click()
            expect(page.locator("#review-table")).to_contain_text("false positive")
            shot(page, "review-decided")

            # Download: the results as XLSX from the batch page.
            page.goto(batch_url)
            with page.expect_download() as download:
                page.locator("#download-xlsx").click()
            saved = tmp_path / download.value.suggested_filename
            download.value.save_as(saved)

            page.get_by_role("link", name="Lists", exact=True).click()
            expect(page.locator("#lists-table")).to_contain_text("UFLPA Entity List (DHS)")
            shot(page, "lists")
            page.get_by_role("link", name="Versions of UFLPA Entity List (DHS)").click()
            expect(page.locator("#versions-table")).to_contain_text("active")
            shot(page, "versions")
            page.get_by_role("button", name="Log out").click()
            expect(page.get_by_text("You are logged out.")).to_be_visible()
            page.goto(f"{base}/ui/batches")
            expect(page).to_have_url(f"{base}/ui/login?next=%2Fui%2Fbatches")
        finally:
            browser.close()

    fix = openpyxl.load_workbook(sheet_path).active
    assert [r[0] for r in fix.iter_rows(min_row=2, values_only=True)] == ["V-005", "V-006", "V-007",
                                                                          *(p[0] for p in PADDING)]
    assert saved.name.endswith("-flrisk.xlsx")
    sheet = openpyxl.load_workbook(saved).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:6] == ["供应商编号", "供应商名称", "Vendor Name", "国家", "地址", "海关编码"]
    verdict = header.index("flrisk_verdict")
    by_ref = {r[0]: r for r in rows[1:]}
    assert list(by_ref)[:len(SUPPLIERS)] == [s[0] for s in SUPPLIERS]
    assert len(by_ref) == total
    assert by_ref["V-001"][1] == "新疆合盛硅业有限公司"
    assert by_ref["V-001"][verdict] == "presumption"
    assert by_ref["V-001"][header.index("flrisk_row")] == 2
    assert str(by_ref["V-001"][header.index("flrisk_screening_id")]).endswith("-r2")
    assert by_ref["V-005"][verdict] == "clear"
    print(f"batch page first showed status {first_status!r}")
    for name in ("login", "upload-preview", "upload-problem", "batch", "review", "row", "row-decided", "lists",
                 "versions"):
        assert (ARTIFACTS / f"console-{name}.png").stat().st_size > 10_000
