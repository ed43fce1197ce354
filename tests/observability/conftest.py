"""Observability tests build their own app (SQLite file per test) and install the pieces under test
before the client starts: middlewares cannot be added to a running app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from tests.conftest import TEST_SECRET, add_key

Installer = Callable[[FastAPI], Any]
METRICS_TOKEN = "operator-scrape-token"
SCRAPE = {"Authorization": f"Bearer {METRICS_TOKEN}"}


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., FastAPI]:
    def build(*installers: Installer) -> FastAPI:
        app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", secret_key=TEST_SECRET,
                                  metrics_token=METRICS_TOKEN))
        for install in installers:
            install(app)
        return app

    return build


@pytest.fixture
def start() -> Iterator[Callable[..., TestClient]]:
    """start(app, **client_kwargs): a TestClient with the app's lifespan running until the test ends, sending
    an API key with the read and screen scopes (every route but the probes needs one)."""
    with ExitStack() as stack:
        def begin(app: FastAPI, **kw: Any) -> TestClient:
            client = stack.enter_context(TestClient(app, **kw))
            client.headers.setdefault("X-API-Key", add_key(client, scopes=("read", "screen")))
            return client

        yield begin
