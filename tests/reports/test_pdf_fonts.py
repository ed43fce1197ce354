"""PDF reports and Chinese text (issue 18): with a CJK font installed (the Dockerfile and .ci/run install
fonts-noto-cjk) the PDF embeds it; without one the service warns at start-up and refuses a PDF holding Chinese
text instead of printing empty boxes. Also: /docs and /redoc load their assets from the server itself."""

from __future__ import annotations

import logging
import re
import zlib

import pytest
from fastapi.testclient import TestClient

from service.reports import fonts

CHINESE_ROW = {"reference": "V-1", "kind": "supplier",
               "parties": [{"role": "supplier", "name": "合盛硅业（鄯善）有限公司", "country": "CN"}]}
LATIN_ROW = {"reference": "V-2", "kind": "supplier",
             "parties": [{"role": "supplier", "name": "Krones AG", "country": "DE"}]}


def _embedded_fonts(pdf: bytes) -> set[str]:
    """Names of the fonts a PDF embeds (WeasyPrint keeps its objects in compressed object streams)."""
    names = set()
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            body = zlib.decompress(stream.group(1))
        except zlib.error:
            continue
        names |= {m.decode() for m in re.findall(rb"/(?:BaseFont|FontName)\s*/([^\s/<>\[\]]+)", body)}
    return names


def test_pdf_with_chinese_names_embeds_a_cjk_font(client: TestClient) -> None:
    assert fonts.cjk_font_available()  # .ci/run installs fonts-noto-cjk; without it this test has nothing to show
    screening = client.post("/v1/screenings", json=CHINESE_ROW).json()
    pdf = client.get(f"/v1/screenings/{screening['id']}/report", params={"format": "pdf"})
    assert pdf.status_code == 200, pdf.text
    assert any("CJK" in name for name in _embedded_fonts(pdf.content))


def test_without_a_cjk_font_chinese_pdfs_are_refused_with_the_package_named(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("service.api.reports.cjk_font_available", lambda: False)
    chinese = client.post("/v1/screenings", json=CHINESE_ROW).json()
    refused = client.get(f"/v1/screenings/{chinese['id']}/report", params={"format": "pdf"})
    assert refused.status_code == 406
    assert refused.headers["content-type"] == "application/problem+json"
    assert "no CJK font is installed" in refused.json()["detail"]
    assert "fonts-noto-cjk" in refused.json()["detail"]
    assert client.get(f"/v1/screenings/{chinese['id']}/report").status_code == 200  # HTML works
    latin = client.post("/v1/screenings", json=LATIN_ROW).json()
    assert client.get(f"/v1/screenings/{latin['id']}/report", params={"format": "pdf"}).status_code == 200


def test_start_up_warns_when_no_cjk_font_is_installed(monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(fonts, "cjk_font_available", lambda: False)
    with caplog.at_level(logging.WARNING, logger="service.reports.fonts"):
        fonts.warn_if_missing()
    assert "no CJK font is installed" in caplog.text
    assert "fonts-noto-cjk" in caplog.text


def test_has_cjk() -> None:
    assert fonts.has_cjk("Hoshine 合盛")
    assert not fonts.has_cjk('font-family: "Noto Sans CJK SC"')


def test_docs_pages_load_their_assets_from_the_server(anonymous_client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        page = anonymous_client.get(path)
        assert page.status_code == 200
        assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', page.text)
        assert assets
        assert all(a.startswith("/static-offline-docs/") for a in assets), assets
        assert "cdn.jsdelivr.net" not in page.text
        assert "fonts.googleapis.com" not in page.text
        for asset in assets:
            assert anonymous_client.get(asset).status_code == 200
