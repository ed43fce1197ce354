"""A running app notices a list version activated by another process and rebuilds its index."""

import time

from fastapi.testclient import TestClient
from sqlmodel import Session

from service.lists.versions import LoadRequest, load_list
from service.settings import Settings
from service.store.db import make_engine
from tests.factories import make_entry


def test_new_active_version_is_used_within_seconds(client: TestClient, settings: Settings) -> None:
    query = {"name": "Qingshan Phantom Widget Works Co Ltd"}
    before = client.post("/v1/match", json=query).json()
    assert before["matches"] == []
    engine = make_engine(settings.database_url)
    with Session(engine, expire_on_commit=False) as session:  # as `flrisk lists update` in another process
        snapshot = [e for e in client.app.state.registry.current().entries if e.source == "ofac_sdn"]
        added = make_entry(source="ofac_sdn", entry_id="99001", name="QINGSHAN PHANTOM WIDGET WORKS CO LTD")
        load_list(session, LoadRequest(source="ofac_sdn", entries=[*snapshot, added], origin="test"),
                  max_shrink_ratio=0.2)
        session.commit()
    engine.dispose()
    deadline = time.monotonic() + 10
    matches: list[dict[str, object]] = []
    while time.monotonic() < deadline and not matches:
        time.sleep(0.1)
        matches = client.post("/v1/match", json=query).json()["matches"]
    assert [m["entry_id"] for m in matches] == ["99001"]
    after = client.post("/v1/match", json=query).json()["list_versions"]
    assert after["ofac_sdn"] != before["list_versions"]["ofac_sdn"]
    assert after["uflpa_entity_list"] == before["list_versions"]["uflpa_entity_list"]
