"""Console fixtures: the real app (SQLite and PostgreSQL, in-process jobs), logged in through the login form."""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.settings import Settings
from tests.conftest import TEST_SECRET, add_key

# Real list names in 汉字 and pinyin/English, plus ordinary suppliers: (ref, 汉字 name, name, country, address, HS)
SUPPLIERS = [
    ("V-001", "新疆合盛硅业有限公司", "Hoshine Silicon Industry (Shanshan) Co., Ltd.", "CN", "新疆鄯善县", "2804.61"),
    ("V-002", "和田浩林发饰有限公司", "Hetian Haolin Fashi Youxian Gongsi", "CN", "和田市", "6704.20"),
    ("V-003", "新疆中泰化学股份有限公司", "Xinjiang Zhongtai Huaxue Gufen Youxian Gongsi", "CN", "乌鲁木齐市",
     "2904.10"),
    ("V-004", "宁波申洲针织有限公司", "Ningbo Shenzhou Knitting Co., Ltd.", "CN", "浙江省宁波市", "6109.10"),
    ("V-005", "", "Krones AG", "DE", "Neutraubling", "8422.30"),
    ("V-006", "", "Bosch Rexroth AG", "DE", "Lohr am Main", "8412.21"),
    ("V-007", "", "<script>alert(1)</script> Trading", "DE", "Hamburg", "8422.30"),
]
HEADERS = ["供应商编号", "供应商名称", "Vendor Name", "国家", "地址", "海关编码"]


def supplier_csv(rows: list[tuple[str, ...]] = SUPPLIERS, headers: list[str] = HEADERS,
                 encoding: str = "gbk") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, list_poll_seconds=0.2, jobs_backend="inline", batch_chunk_rows=2,
                    max_upload_bytes=200_000, secret_key=TEST_SECRET)


@pytest.fixture
def app_client(settings: Settings) -> Iterator[TestClient]:
    """The real app with no key and no session."""
    from service.app import create_app

    with TestClient(create_app(settings), base_url="http://testserver") as client:
        yield client


def login(client: TestClient, scopes: tuple[str, ...] = ("screen", "read", "decide", "admin"),
          name: str = "analyst") -> str:
    """Log in through the form with a new key; returns the page's CSRF token."""
    key = add_key(client, scopes=scopes, name=name)
    response = client.post("/ui/login", data={"api_key": key, "next": "/ui/lists"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/ui/lists").text)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    assert found.group(1), "empty CSRF token"
    return found.group(1)


@pytest.fixture
def console(app_client: TestClient) -> tuple[TestClient, str]:
    """A client logged in with every scope, and its CSRF token."""
    return app_client, login(app_client)


def upload(client: TestClient, csrf: str, data: bytes, name: str = "suppliers.csv", **form: str) -> str:
    """Start a batch through the console; returns its page path."""
    response = client.post("/ui/upload", data={"csrf": csrf, **form}, files={"file": (name, data)},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def finish(client: TestClient, batch_path: str) -> None:
    client.app.state.jobs.drain()
    deadline = time.monotonic() + 30
    while 'data-status="done"' not in client.get(f"{batch_path}/progress").text:
        assert time.monotonic() < deadline, "batch did not finish"
        time.sleep(0.05)
