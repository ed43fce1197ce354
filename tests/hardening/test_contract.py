"""What schemathesis found against the committed schema, pinned as tests (SQLite and PostgreSQL).

The full property-based run is `tests/hardening/run_schemathesis.py` (called by `.ci/run`).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.openapi_dump import openapi_document
from tests.factories import party, record

PROBLEM = "application/problem+json"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


class TestTimestamps:
    """SQLite keeps no offset: timestamps came back naive, which is not an RFC 3339 `date-time`."""

    def test_every_stored_timestamp_is_answered_with_an_offset(self, client: TestClient) -> None:
        created = client.post("/v1/keys", json={"name": "ERP", "scopes": ["screen"],
                                                "expires_at": "2031-01-01T00:00:00"})  # naive: taken as UTC
        assert created.status_code == 201, created.text
        assert created.json()["expires_at"] in ("2031-01-01T00:00:00Z", "2031-01-01T00:00:00+00:00")
        assert client.delete(f"/v1/keys/{created.json()['id']}").status_code == 200
        client.post("/v1/screenings", json=record())
        stamps = [v for k in client.get("/v1/keys").json()["data"] for v in
                  (k["created_at"], k["expires_at"], k["revoked_at"]) if v]
        stamps += [e["at"] for e in client.get("/v1/audit").json()["data"]]
        stamps += [v["loaded_at"] for v in client.get("/v1/lists/uflpa_entity_list/versions").json()["data"]]
        assert len(stamps) > 5
        assert all(RFC3339.match(s) for s in stamps), stamps

    def test_a_time_in_another_offset_is_stored_as_the_same_instant(self, client: TestClient) -> None:
        created = client.post("/v1/keys", json={"name": "ERP", "scopes": ["screen"],
                                                "expires_at": "2031-01-01T05:00:00+05:00"}).json()
        listed = {k["id"]: k for k in client.get("/v1/keys").json()["data"]}
        assert listed[created["id"]]["expires_at"] in ("2031-01-01T00:00:00Z", "2031-01-01T00:00:00+00:00")


class TestInputsOutsideTheSchemaAreRefused:
    @pytest.mark.parametrize(("path", "body"), [
        ("/v1/match", {"name": "Hoshine", "thresholds": {"strong": 0.9, "review": False}}),
        ("/v1/match", {"name": "Hoshine", "limit": "5"}),
        ("/v1/compare", {"a": {"name": "A Co"}, "b": {"name": "B Co"}, "thresholds": {"strong": "1", "review": 0}}),
        ("/v1/keys", {"name": "ERP", "scopes": ["screen"], "expires_at": 0}),
        ("/v1/keys", {"name": "ERP", "scopes": ["everything"]}),
        ("/v1/screenings", record(parties=[party(role="upstream_supplier", tier=True)])),
        ("/v1/screenings", record(goods_lines=[{"hs_code": "8541.43", "value": "12.5"}])),
    ])
    def test_coerced_values_are_422(self, client: TestClient, path: str, body: dict[str, Any]) -> None:
        problem(client.post(path, json=body), 422)

    @pytest.mark.parametrize("query", ["since=0.5", "since=1700000000"])
    def test_unix_time_for_a_date_time_is_422(self, client: TestClient, query: str) -> None:
        problem(client.get(f"/v1/audit?{query}"), 422)
        problem(client.get(f"/v1/screenings?{query}"), 422)

    def test_offset_beyond_any_page_is_422_not_a_driver_overflow(self, client: TestClient) -> None:
        for path in ("/v1/suppliers", "/v1/screenings", "/v1/alerts", "/v1/audit", "/v1/lists/ofac_sdn/entries"):
            body = problem(client.get(path, params={"offset": 2524178678122090242450329819938816}), 422)
            assert body["errors"][0]["pointer"] == "/offset"

    def test_repeated_single_valued_query_parameter_is_422(self, client: TestClient) -> None:
        body = problem(client.get("/v1/screenings?verdict=clear&verdict=review"), 422)
        assert body["errors"] == [{"source": "query", "pointer": "/verdict",
                                   "detail": "given more than once; this parameter takes one value"}]
        assert client.get("/v1/screenings?verdict=clear").status_code == 200
        # an array parameter may repeat (this batch does not exist: 404, not 422)
        assert client.get("/v1/batches/nope/results?verdict=clear&verdict=review").status_code == 404

    @pytest.mark.parametrize("path", ["/v1/match", "/v1/screenings", "/v1/webhooks", "/v1/decisions"])
    def test_body_that_is_not_utf8_json_is_422(self, client: TestClient, path: str) -> None:
        body = problem(client.post(path, content=b"\xff\xfe\xde\xbd.\x10",
                                   headers={"Content-Type": "application/json"}), 422)
        assert body["errors"][0]["source"] == "body"

    def test_broken_multipart_upload_is_422(self, client: TestClient) -> None:
        boundary = "f70cb301742c3e611da313457a3dc265"
        response = client.post("/v1/batches", content=f"--{boundary}\r\n-6.5e+16--{boundary}--\r\n".encode(),
                               headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        problem(response, 422)


class TestCreatedResourcesHaveALocation:
    def test_screening(self, client: TestClient) -> None:
        response = client.post("/v1/screenings", json=record(reference="LOC-1"))
        assert response.status_code == 201
        assert response.headers["location"] == f"/v1/screenings/{response.json()['id']}"
        stored = client.get(response.headers["location"])
        assert stored.json() == response.json()  # the 201 body is the stored result, byte for byte in JSON

    def test_replayed_screening_keeps_it(self, client: TestClient) -> None:
        first = client.post("/v1/screenings", json=record(), headers={"Idempotency-Key": "k-1"})
        again = client.post("/v1/screenings", json=record(), headers={"Idempotency-Key": "k-1"})
        assert again.headers["idempotent-replayed"] == "true"
        assert again.headers["location"] == first.headers["location"]

    def test_batch(self, client: TestClient) -> None:
        response = client.post("/v1/batches", files={"file": ("v.csv", b"Vendor Name,Country\r\nAcme Ltd,DE\r\n")})
        assert response.status_code == 202, response.text
        assert response.headers["location"] == f"/v1/batches/{response.json()['id']}"


class TestStoredWithEveryScreening:
    def test_result_and_audit_event(self, client: TestClient) -> None:
        body = {"records": [record(reference="B-1"), record(reference="B-2")]}
        created = client.post("/v1/screenings:batch", json=body)
        assert created.status_code == 201, created.text
        ids = [r["id"] for r in created.json()["data"]]
        assert [client.get(f"/v1/screenings/{i}").json()["reference"] for i in ids] == ["B-1", "B-2"]
        events = client.get("/v1/audit", params={"type": "screening.created"}).json()["data"]
        assert sorted(e["subject"] for e in events) == sorted(ids)
        assert {e["details"]["reference"] for e in events} == {"B-1", "B-2"}
        assert len({e["request_hash"] for e in events}) == 1


def test_error_responses_are_documented_as_problem_json_only() -> None:
    doc = openapi_document()
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            responses = op["responses"]
            for status, response in responses.items():
                if status[0] in "45":
                    assert list(response["content"]) == [PROBLEM], (method, path, status)
            if "requestBody" in op:
                assert "413" in responses, (method, path)
            if path not in ("/health", "/ready"):
                assert responses["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer"}, (method, path)


def test_startup_heap_is_frozen_out_of_gc_while_serving(anonymous_client: TestClient) -> None:
    import gc

    assert gc.get_freeze_count() > 0  # the lifespan is running: lists and reference data are frozen
