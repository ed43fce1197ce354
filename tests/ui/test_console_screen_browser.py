"""In Debian's headless Chromium against a real uvicorn: screen one shipment from the console form and read its
evidence, and the API docs pages rendered with no network (their assets come from the installed package).
Screenshots: tests/artifacts/console-screen-*.png, docs-*.png."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from service.settings import Settings
from tests.conftest import TEST_SECRET
from tests.reports.test_report_browser import ARGS, ARTIFACTS, chromium  # noqa: F401 (fixture)
from tests.servers import uvicorn_thread


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    from service.app import create_app
    from service.services.keys import create_key

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'flrisk.db'}", secret_key=TEST_SECRET, log_json=False,
                        log_level="WARNING")
    app = create_app(settings)
    with uvicorn_thread(app) as base:
        with Session(app.state.engine, expire_on_commit=False) as session:
            key = create_key(session, app.state.secret, name="m.chen", scopes=("screen", "read"), actor="test").key
            session.commit()
        yield base, key


def test_screen_one_shipment_and_read_the_docs_offline(chromium: Path, server: tuple[str, str]  # noqa: F811
                                                       ) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, key = server
    ARTIFACTS.mkdir(exist_ok=True)
    outside: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 860}, locale="en-GB")
            # Air-gapped: every request to anywhere but the server fails.
            context.route(re.compile(r"^https?://"), lambda route: route.continue_()
                          if route.request.url.startswith(base) else (outside.append(route.request.url), route.abort()))
            page = context.new_page()
            page.set_default_timeout(20_000)
            page.goto(f"{base}/ui/login?next=/ui/screen")
            page.get_by_label("API key").fill(key)
            page.get_by_role("button", name="Log in").click()
            expect(page.get_by_role("heading", name="Screen one record")).to_be_visible()
            page.get_by_label("Shipment").check()
            page.locator("[name=reference]").fill("PO-77")
            page.get_by_label("Party 1 role").select_option("importer")
            page.get_by_label("Party 1 name").fill("Krones AG")
            page.get_by_label("Party 1 country").fill("Germany")
            page.get_by_label("Party 2 role").select_option("manufacturer")
            page.get_by_label("Party 2 name").fill("Hoshine Silicon Industry (Shanshan) Co., Ltd")
            page.get_by_label("Party 2 country").fill("中国")
            page.locator("[name=g0_hs_code]").fill("2804.61")
            page.screenshot(path=str(ARTIFACTS / "console-screen-form.png"), full_page=True)
            page.get_by_role("button", name="Screen", exact=True).click()
            expect(page).to_have_url(re.compile(r"/ui/screenings/[0-9a-f-]{36}$"))
            expect(page.locator("#verdict")).to_have_text("presumption")
            expect(page.locator("#reason")).to_contain_text("UFLPA Entity List: Hoshine Silicon Industry")
            expect(page.locator(".concerns").first).to_contain_text("manufacturer Hoshine Silicon Industry")
            expect(page.locator("#match-uflpa_entity_list-uflpa-003 td.citation")).to_contain_text("DHS")
            page.screenshot(path=str(ARTIFACTS / "console-screen-result.png"), full_page=True)

            page.goto(f"{base}/docs")
            expect(page.locator(".swagger-ui .info .title")).to_contain_text("flrisk")
            expect(page.locator(".opblock-tag").first).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "docs-swagger.png"))
            page.goto(f"{base}/redoc")
            expect(page.locator("h1").first).to_contain_text("flrisk")
            page.screenshot(path=str(ARTIFACTS / "docs-redoc.png"))
        finally:
            browser.close()
    # Nothing needed from anywhere but the server; ReDoc's "powered by" logo alone is asked for, and hides itself.
    assert set(outside) <= {"https://cdn.redoc.ly/redoc/logo-mini.svg"}
    for name in ("console-screen-form", "console-screen-result", "docs-swagger", "docs-redoc"):
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000
