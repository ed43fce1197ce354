"""Issue 17, item 2: request amplification on `POST /v1/screenings(:batch)`. Parties, goods lines and inputs per
request are capped (422 naming the limit, nothing stored) and the batch answer carries each list entry and
checklist item once."""

from __future__ import annotations

import json

import httpx
import pytest
from fastapi.testclient import TestClient

from benchmarks.attack_rss import LISTED, wide_batch
from service.api import schemas_screening
from service.check.engines import _chunks
from service.check.inputs import CheckItem
from tests.factories import goods, party, record


def _refused(response: httpx.Response) -> str:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["errors"][0]["pointer"] in ("/records", "/")
    return str(body["errors"][0]["detail"])


def _stored(client: TestClient) -> int:
    return int(client.get("/v1/screenings").json()["count"])


class TestCaps:
    def test_a_thousand_records_of_a_hundred_parties_is_refused(self, client: TestClient) -> None:
        response = client.post("/v1/screenings:batch", content=wide_batch(1000, 100),
                               headers={"content-type": "application/json"})

        assert _refused(response) == ("more than 5,000 parties (input suppliers included) in one request (the limit "
                                      "is passed at /records/50); split it into several requests")
        assert _stored(client) == 0

    def test_one_record_with_fifty_thousand_input_suppliers_is_refused(self, client: TestClient) -> None:
        inputs = [{"material": "cotton", "supplier": {"name": f"Gin {i}"}} for i in range(100)]
        body = record(goods_lines=[goods(inputs=inputs) for _ in range(500)])

        detail = _refused(client.post("/v1/screenings", json=body))

        assert detail.startswith("more than 5,000 parties (input suppliers included) in one request")
        assert _stored(client) == 0

    def test_goods_lines_counted_over_the_records(self, client: TestClient) -> None:
        body = {"records": [record(reference=f"R{i}", goods_lines=[goods()] * 500) for i in range(11)]}

        detail = _refused(client.post("/v1/screenings:batch", json=body))

        assert detail == ("more than 5,000 goods lines in one request (the limit is passed at /records/10); "
                          "split it into several requests")

    def test_the_limit_itself_is_accepted(self, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(schemas_screening, "MAX_PARTIES_PER_REQUEST", 6)
        body = {"records": [record(reference=f"R{i}", parties=[party(), party()]) for i in range(3)]}

        accepted = client.post("/v1/screenings:batch", json=body)
        body["records"][2]["parties"].append(party())  # type: ignore[index, attr-defined]
        refused = client.post("/v1/screenings:batch", json=body)

        assert accepted.status_code == 201, accepted.text
        assert refused.status_code == 422
        assert _stored(client) == 3


class TestProportionalAnswer:
    def test_each_list_entry_and_checklist_item_once(self, client: TestClient) -> None:
        parties = [party(role="manufacturer", name=name) for name in LISTED]
        body = {"records": [record(reference=f"R{i}", parties=parties) for i in range(3)]}

        response = client.post("/v1/screenings:batch", json=body)

        assert response.status_code == 201, response.text
        answer = response.json()
        refs = [e["list_entry"] for r in answer["data"] for e in r["evidence"] if e["list_entry"]]
        assert refs
        assert all(set(ref) == {"ref", "source", "entry_id", "name"} for ref in refs)
        assert {ref["ref"] for ref in refs} == set(answer["list_entries"])
        assert len(refs) > len(answer["list_entries"])  # the same entries matched in every record
        for ref in refs:
            assert answer["list_entries"][ref["ref"]]["entry_id"] == ref["entry_id"]
        ids = [c["id"] for r in answer["data"] for c in r["rebuttal_checklist"]]
        assert ids
        assert set(ids) == set(answer["checklist"])
        assert all(set(c) == {"id", "done"} for r in answer["data"] for c in r["rebuttal_checklist"])
        first = answer["list_entries"][refs[0]["ref"]]
        # Each citation appears once per distinct entry that carries it (entries of one listing round share it).
        sharing = sum(1 for entry in answer["list_entries"].values() if entry["citation"] == first["citation"])
        assert response.text.count(json.dumps(first["citation"])) == sharing

    def test_stored_results_stay_whole(self, client: TestClient) -> None:
        body = {"records": [record(reference="R", parties=[party(role="manufacturer", name=LISTED[0])])]}
        answer = client.post("/v1/screenings:batch", json=body).json()

        stored = client.get(f"/v1/screenings/{answer['data'][0]['id']}").json()

        entry = next(e["list_entry"] for e in stored["evidence"] if e["list_entry"])
        ref = next(e["list_entry"]["ref"] for e in answer["data"][0]["evidence"] if e["list_entry"])
        assert entry == answer["list_entries"][ref]
        assert stored["rebuttal_checklist"] == [answer["checklist"][c["id"]] for c in
                                                answer["data"][0]["rebuttal_checklist"]]

    def test_replay_answers_the_same_shape(self, client: TestClient) -> None:
        body = {"records": [record(reference="R", parties=[party(role="manufacturer", name=LISTED[0])])]}
        first = client.post("/v1/screenings:batch", json=body, headers={"Idempotency-Key": "k"}).json()
        again = client.post("/v1/screenings:batch", json=body, headers={"Idempotency-Key": "k"}).json()

        assert again == first


def test_check_client_splits_requests_at_the_caps(monkeypatch: pytest.MonkeyPatch) -> None:
    from service.api.schemas_screening import ScreeningRequest
    from service.check import engines

    monkeypatch.setattr(engines, "MAX_PARTIES_PER_REQUEST", 5)
    items = [CheckItem(index=i, line=i + 2, request=ScreeningRequest.model_validate(
        record(reference=f"R{i}", parties=[party()] * 2))) for i in range(7)]

    assert [len(part) for part in _chunks(items, 1000)] == [2, 2, 2, 1]
    assert [len(part) for part in _chunks(items, 3)] == [2, 2, 2, 1]
    assert [len(part) for part in _chunks(items[:1], 1000)] == [1]
