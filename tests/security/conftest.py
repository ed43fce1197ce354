"""Security regression tests (issue 17): each performs an attack or a fault through HTTP or the CLI.

The app runs batches in-process (inline jobs) on SQLite and PostgreSQL alike, unless a test says otherwise.
No test sends a request outside 127.0.0.0/8 and [::1]: webhook targets elsewhere are only registered.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.settings import Settings
from tests.conftest import TEST_SECRET
from tests.monitoring.conftest import receiver  # noqa: F401 - HTTP receivers on 127.0.0.1


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, list_poll_seconds=0.2, jobs_backend="inline", batch_chunk_rows=2,
                    max_upload_bytes=200_000, secret_key=TEST_SECRET)


@pytest.fixture
def app_client(settings: Settings) -> Iterator[TestClient]:
    """The real app with no key and no session (for console tests)."""
    from service.app import create_app

    with TestClient(create_app(settings), base_url="http://testserver") as client:
        yield client
