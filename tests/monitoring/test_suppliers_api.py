"""The supplier register: single, bulk and from-batch registration, each screened at once; tenancy; audit."""

import time

from fastapi.testclient import TestClient

from tests.conftest import add_key

HOSHINE = {"reference": "V-1", "name": "Hoshine Silicon Industry (Shanshan) Co., Ltd", "country": "CN"}
PLAIN = {"reference": "V-2", "name": "Bavaria Gear Works GmbH", "country": "DE"}


class TestRegister:
    def test_single_is_screened_at_once(self, mclient: TestClient) -> None:
        response = mclient.post("/v1/suppliers", json=HOSHINE)
        assert response.status_code == 201, response.text
        supplier = response.json()
        assert supplier["reference"] == "V-1"
        assert supplier["last_verdict"] == "presumption"
        assert any(source == "uflpa_entity_list" for source, _ in supplier["last_matches"])
        screening = mclient.get(f"/v1/screenings/{supplier['last_screening_id']}").json()
        assert screening["verdict"] == "presumption"
        assert screening["kind"] == "supplier"
        assert mclient.get(f"/v1/suppliers/{supplier['id']}").json() == supplier

    def test_bulk(self, mclient: TestClient) -> None:
        response = mclient.post("/v1/suppliers", json={"suppliers": [HOSHINE, PLAIN]})
        assert response.status_code == 201
        assert [(s["reference"], s["last_verdict"]) for s in response.json()["data"]] == [
            ("V-1", "presumption"), ("V-2", "clear")]
        listed = mclient.get("/v1/suppliers").json()
        assert listed["count"] == 2
        assert [s["reference"] for s in mclient.get("/v1/suppliers", params={"verdict": "clear"}).json()["data"]] \
            == ["V-2"]

    def test_duplicate_reference_is_409_and_nothing_stored(self, mclient: TestClient) -> None:
        assert mclient.post("/v1/suppliers", json=PLAIN).status_code == 201
        response = mclient.post("/v1/suppliers", json={"suppliers": [HOSHINE, PLAIN]})
        assert response.status_code == 409
        assert response.headers["content-type"] == "application/problem+json"
        assert mclient.get("/v1/suppliers").json()["count"] == 1

    def test_duplicate_within_body_is_422(self, mclient: TestClient) -> None:
        assert mclient.post("/v1/suppliers", json={"suppliers": [PLAIN, PLAIN]}).status_code == 422

    def test_invalid_supplier_points_at_the_field(self, mclient: TestClient) -> None:
        response = mclient.post("/v1/suppliers", json={"suppliers": [PLAIN, {"reference": "V-3", "name": ""}]})
        assert response.status_code == 422
        assert "/suppliers/1/name" in {e["pointer"] for e in response.json()["errors"]}

    def test_from_finished_batch(self, mclient: TestClient) -> None:
        csv = b"Vendor ID,Vendor Name,Country\nB-1,Hoshine Silicon Industry (Shanshan) Co Ltd,CN\nB-2,ACME GmbH,DE\n"
        batch = mclient.post("/v1/batches", files={"file": ("v.csv", csv)}).json()
        deadline = time.monotonic() + 30
        while mclient.get(f"/v1/batches/{batch['id']}").json()["status"] != "done":
            if mclient.app.state.jobs.__class__.__name__ != "InlineRunner":
                _run_batch_inline(mclient, batch["id"])
            assert time.monotonic() < deadline
            time.sleep(0.05)
        response = mclient.post("/v1/suppliers", json={"from_batch": batch["id"]})
        assert response.status_code == 201, response.text
        assert [(s["reference"], s["last_verdict"]) for s in response.json()["data"]] == [
            ("B-1", "presumption"), ("B-2", "clear")]

    def test_unfinished_or_foreign_batch(self, mclient: TestClient) -> None:
        assert mclient.post("/v1/suppliers", json={"from_batch": "nope"}).status_code == 404

    def test_registration_and_deletion_are_audited(self, mclient: TestClient) -> None:
        supplier = mclient.post("/v1/suppliers", json=PLAIN).json()
        assert mclient.delete(f"/v1/suppliers/{supplier['id']}").status_code == 200
        assert mclient.get(f"/v1/suppliers/{supplier['id']}").status_code == 404
        events = [e["type"] for e in mclient.get("/v1/audit").json()["data"] if e["subject"] == supplier["id"]]
        assert events == ["supplier.created", "supplier.deleted"]


class TestTenancy:
    def test_other_organisation_sees_nothing(self, mclient: TestClient) -> None:
        supplier = mclient.post("/v1/suppliers", json=HOSHINE).json()
        other = {"X-API-Key": add_key(mclient, org="acme")}
        assert mclient.get("/v1/suppliers", headers=other).json()["count"] == 0
        assert mclient.get(f"/v1/suppliers/{supplier['id']}", headers=other).status_code == 404
        assert mclient.delete(f"/v1/suppliers/{supplier['id']}", headers=other).status_code == 404
        # the same reference is free in another organisation
        assert mclient.post("/v1/suppliers", json=HOSHINE, headers=other).status_code == 201

    def test_register_needs_admin(self, mclient: TestClient) -> None:
        reader = {"X-API-Key": add_key(mclient, scopes=("read", "screen", "decide"))}
        assert mclient.post("/v1/suppliers", json=PLAIN, headers=reader).status_code == 403
        admin_only = {"X-API-Key": add_key(mclient, scopes=("admin",))}
        assert mclient.post("/v1/suppliers", json=PLAIN, headers=admin_only).status_code == 201


def _run_batch_inline(client: TestClient, batch_id: str) -> None:
    """On PostgreSQL the batch waits for a worker; run its chunks here as `flrisk worker` would."""
    from service.jobs.chunks import process_chunk
    from service.jobs.runner import context_provider

    app = client.app
    provide = context_provider(app.state.registry, app.state.settings)
    seq = 0
    while process_chunk(app.state.engine, batch_id, seq, provide).status != "missing":
        seq += 1
