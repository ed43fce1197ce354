"""Analyst decisions: a false positive stops driving the verdict, stays visible, and is invalidated when
the list entry changes in a new list version."""

import time
from dataclasses import replace

from fastapi.testclient import TestClient
from sqlmodel import Session

from service.lists.versions import LoadRequest, load_list
from tests.factories import party, record

NAME, COUNTRY = "Hoshine Silicon Industry (Shanshan) Co Ltd", "CN"


def screen(client: TestClient) -> dict:
    body = record(kind="supplier", parties=[party(name=NAME, country=COUNTRY)])
    return client.post("/v1/screenings", json=body).json()


def decide(client: TestClient, source: str, entry_id: str, decision: str = "false_positive") -> dict:
    response = client.post("/v1/decisions", json={
        "party": {"name": NAME, "country": COUNTRY}, "source": source, "entry_id": entry_id, "decision": decision,
        "reason": "test", "analyst": "a.analyst"})
    assert response.status_code == 201, response.text
    return response.json()


def matched(result: dict) -> list[tuple[str, str]]:
    return [(e["list_entry"]["source"], e["list_entry"]["entry_id"]) for e in result["evidence"]
            if e["type"] == "list_match"]


def test_false_positive_stops_driving_the_verdict_but_stays_visible(client: TestClient) -> None:
    before = screen(client)
    assert before["verdict"] == "presumption"
    for source, entry_id in matched(before):
        decide(client, source, entry_id)
    after = screen(client)
    assert sorted(matched(after)) == sorted(matched(before))  # still shown
    assert after["verdict"] != "presumption"
    items = [e for e in after["evidence"] if e["type"] == "list_match"]
    assert {e["effect"] for e in items} == {"informational"}
    assert {e["decision"]["status"] for e in items} == {"applied"}
    assert all("false positive" in e["summary"] for e in items)


def test_confirmed_keeps_the_verdict(client: TestClient) -> None:
    decide(client, "uflpa_entity_list", "uflpa-003", decision="confirmed")
    result = screen(client)
    assert result["verdict"] == "presumption"
    uflpa = next(e for e in result["evidence"] if e.get("list_entry", {}).get("entry_id") == "uflpa-003")
    assert uflpa["decision"]["decision"] == "confirmed"


def test_decision_invalidated_when_entry_changes(client: TestClient) -> None:
    made = decide(client, "uflpa_entity_list", "uflpa-003")
    assert client.get(f"/v1/decisions/{made['id']}").json()["status"] == "active"
    lists = client.app.state.registry.current()
    entries = [e for e in lists.entries if e.source == "uflpa_entity_list"]
    changed = [replace(e, aliases=(*e.aliases, "Hoshine Shanshan")) if e.entry_id == "uflpa-003" else e
               for e in entries]
    with Session(client.app.state.engine, expire_on_commit=False) as session:
        load_list(session, LoadRequest(source="uflpa_entity_list", entries=changed, origin="test"),
                  max_shrink_ratio=0.2)
        session.commit()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and client.get(f"/v1/decisions/{made['id']}").json()["status"] == "active":
        time.sleep(0.1)
    assert client.get(f"/v1/decisions/{made['id']}").json()["status"] == "invalidated"
    uflpa = next(e for e in screen(client)["evidence"] if e.get("list_entry", {}).get("entry_id") == "uflpa-003")
    assert uflpa["effect"] == "presumption"
    assert uflpa["decision"]["status"].startswith("invalidated")


def test_revoke(client: TestClient) -> None:
    made = decide(client, "uflpa_entity_list", "uflpa-003")
    assert client.delete(f"/v1/decisions/{made['id']}").json()["status"] == "revoked"
    uflpa = next(e for e in screen(client)["evidence"] if e.get("list_entry", {}).get("entry_id") == "uflpa-003")
    assert "decision" not in uflpa or uflpa["decision"] is None


def test_unknown_entry_refused(client: TestClient) -> None:
    response = client.post("/v1/decisions", json={"party": {"name": NAME}, "source": "uflpa_entity_list",
                                                  "entry_id": "nope", "decision": "confirmed", "reason": "x",
                                                  "analyst": "y"})
    assert response.status_code == 422
