"""Input suppliers take the party shape (issue 15 item 8): role, tier, names, address fields and country; a
supplier without a role is an upstream supplier, and the result says the role was assumed."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import goods, own_warnings, party, record

POINTER = "/goods/0/inputs/0/supplier"


def shipment(supplier: dict[str, Any]) -> dict[str, Any]:
    return record(parties=[party(role="manufacturer", name="Example Solar Module Co Ltd", country="VN")],
                  goods_lines=[goods(hs_code="8541.43", origin_country="VN",
                                     inputs=[{"material": "polysilicon", "origin_country": "CN",
                                              "supplier": supplier}])])


def post(client: TestClient, body: dict[str, Any]) -> Any:
    return client.post("/v1/screenings", json=body)


def about_supplier(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in result["evidence"] if e["concerns"].get("pointer") == POINTER]


class TestInputSuppliers:
    def test_full_party_shape_with_role_is_accepted_and_used(self, client: TestClient) -> None:
        response = post(client, shipment({
            "role": "manufacturer", "tier": 3, "name": "Example Polysilicon Plant", "chinese_name": "示例多晶硅厂",
            "address": "Shihezi Economic Development Zone", "city": "Shihezi", "region": "Xinjiang",
            "country": "People's Republic of China", "type": "company"}))
        assert response.status_code == 201, response.text
        result = response.json()
        assert result["verdict"] == "presumption"
        located = [e for e in about_supplier(result) if e["type"] == "xinjiang_location"]
        assert [e["concerns"] for e in located] == [
            {"pointer": POINTER, "role": "manufacturer", "name": "Example Polysilicon Plant", "tier": 3}]
        assert own_warnings(result["warnings"]) == []

    def test_without_role_it_is_an_upstream_supplier_and_the_result_says_so(self, client: TestClient) -> None:
        response = post(client, shipment({"name": "Hoshine Silicon Industry (Shanshan) Co Ltd", "country": "中国"}))
        assert response.status_code == 201, response.text
        result = response.json()
        matches = [e for e in about_supplier(result) if e["type"] == "list_match"]
        assert matches
        assert {(e["concerns"]["role"], e["concerns"]["role_assumed"]) for e in matches} == {
            ("upstream_supplier", True)}
        assert result["verdict"] == "presumption"
        assert own_warnings(result["warnings"]) == [f"{POINTER}: no role given; screened as upstream_supplier"]

    def test_upstream_supplier_role_without_tier_is_accepted(self, client: TestClient) -> None:
        response = post(client, shipment({"role": "upstream_supplier", "name": "Hoshine Silicon Industry Co Ltd"}))
        assert response.status_code == 201, response.text
        result = response.json()
        assert {e["concerns"]["role"] for e in about_supplier(result)} == {"upstream_supplier"}
        assert all("role_assumed" not in e["concerns"] for e in about_supplier(result))
        assert own_warnings(result["warnings"]) == []

    def test_unknown_role_or_field_is_422_naming_it(self, client: TestClient) -> None:
        response = post(client, shipment({"role": "broker", "name": "A", "vat_id": "1"}))
        assert response.status_code == 422
        assert sorted(e["pointer"] for e in response.json()["errors"]) == [f"{POINTER}/role", f"{POINTER}/vat_id"]
