"""The group wording of a listing ("and subsidiaries") reaches the evidence of a match."""

from fastapi.testclient import TestClient

from tests.factories import party, record


def test_listing_scope_in_the_list_entry_block(client: TestClient) -> None:
    body = record(kind="supplier", parties=[party(name="Hoshine Silicon Industry (Shanshan) Co Ltd", country="CN")])
    result = client.post("/v1/screenings", json=body).json()
    blocks = {e["list_entry"]["entry_id"]: e["list_entry"] for e in result["evidence"] if e["type"] == "list_match"}
    assert blocks["uflpa-003"]["listing_scope"] == "and subsidiaries"
    assert blocks["cbp-012"]["listing_scope"] == "and subsidiaries"
    report = client.get(f"/v1/screenings/{result['id']}/report")
    assert report.status_code == 200
    assert "<strong>and subsidiaries</strong>" in report.text
