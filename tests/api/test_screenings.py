"""The verdict paths over HTTP, with realistic records."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import goods, party, record

BANDS = {"clear": range(0, 30), "elevated": range(30, 60), "review": range(60, 85), "presumption": range(85, 101)}


def screen(client: TestClient, body: dict[str, Any], **headers: str) -> dict[str, Any]:
    response = client.post("/v1/screenings", json=body, headers=headers)
    assert response.status_code == 201, response.json()
    return response.json()


def of_type(result: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e for e in result["evidence"] if e["type"] == kind]


class TestVerdictPaths:
    def test_hoshine_polysilicon_shipment_is_presumption(self, client: TestClient) -> None:
        result = screen(client, record(
            parties=[party(role="manufacturer", name="HOSHINE SILICON IND (SHANSHAN) CO LTD", country="CN"),
                     party(role="importer", name="Sunbelt Solar Imports LLC", country="US")],
            goods_lines=[goods(hs_code="2804.61.00", origin_country="CN", description="Polysilicon chunks")]))
        assert result["verdict"] == "presumption"
        assert result["risk_score"] in BANDS["presumption"]
        uflpa = [e for e in of_type(result, "list_match") if e["list_entry"]["source"] == "uflpa_entity_list"]
        assert uflpa[0]["effect"] == "presumption"
        assert uflpa[0]["concerns"]["pointer"] == "/parties/0"
        assert uflpa[0]["list_entry"]["entry_id"] == "uflpa-003"
        assert uflpa[0]["list_entry"]["citation"].startswith("DHS UFLPA Entity List")
        assert uflpa[0]["list_entry"]["date_listed"] == "2022-06-21"
        assert uflpa[0]["match"]["band"] == "strong"
        assert "UFLPA section 3" in uflpa[0]["consequence"]
        sector = of_type(result, "sector_exposure")[0]
        assert [s["sector_id"] for s in sector["sectors"]] == ["silica_materials"]
        assert any(s["citation"] for s in sector["shares"])
        texts = " ".join(i["text"].lower() for i in result["rebuttal_checklist"])
        assert "quartz" in texts

    def test_apparel_with_tier2_mill_in_aksu_is_presumption(self, client: TestClient) -> None:
        result = screen(client, record(
            parties=[party(role="manufacturer", name="Saigon Apparel Export JSC", country="VN",
                           address="Tan Binh District, Ho Chi Minh City"),
                     party(role="upstream_supplier", tier=2, name="Aksu Huaxing Fabric Mill",
                           address="Aksu City, Aksu Prefecture", country="CN")],
            goods_lines=[goods(hs_code="6109.10", origin_country="VN", description="Men's cotton T-shirts")]))
        assert result["verdict"] == "presumption"
        location = of_type(result, "xinjiang_location")[0]
        assert location["concerns"] == {"pointer": "/parties/1", "role": "upstream_supplier",
                                        "name": "Aksu Huaxing Fabric Mill", "tier": 2}
        assert location["place"]["chinese_name"].startswith("阿克苏")
        order = of_type(result, "region_order")[0]
        assert order["list_entry"]["entry_id"] == "cbp-011"
        assert "1307" in order["consequence"]
        assert any("bale" in i["text"].lower() for i in result["rebuttal_checklist"])

    def test_clean_german_machinery_is_clear(self, client: TestClient) -> None:
        result = screen(client, record(
            parties=[party(role="manufacturer", name="Krones AG", country="DE", address="Neutraubling, Bavaria")],
            goods_lines=[goods(hs_code="8422.30", origin_country="DE", description="Bottling machine")]))
        assert result["verdict"] == "clear"
        assert result["risk_score"] in BANDS["clear"]
        assert result["rebuttal_checklist"] == []
        assert set(result["list_versions"]) == {"uflpa_entity_list", "cbp_wro", "ofac_sdn", "bis_entity_list"}
        assert all(e["effect"] == "informational" for e in result["evidence"])

    def test_vietnamese_module_with_chinese_polysilicon_is_elevated(self, client: TestClient) -> None:
        result = screen(client, record(
            parties=[party(role="manufacturer", name="Vina Solar Technology Co Ltd", country="VN")],
            goods_lines=[goods(hs_code="8541.43", origin_country="VN", description="Monocrystalline PV modules",
                               inputs=[{"material": "polysilicon", "origin_country": "CN"}])]))
        assert result["verdict"] == "elevated"
        assert result["risk_score"] in BANDS["elevated"]
        exposure = of_type(result, "sector_exposure")[0]["exposure"]
        assert "inputs" in [t["name"] for t in exposure["terms"]]
        assert exposure["score"] == sum(t["points"] for t in exposure["terms"])

    def test_input_from_xinjiang_is_presumption(self, client: TestClient) -> None:
        result = screen(client, record(
            parties=[party(role="manufacturer", name="Dhaka Knitwear Ltd", country="BD")],
            goods_lines=[goods(hs_code="6109.10", origin_country="BD",
                               inputs=[{"material": "cotton yarn", "origin_country": "CN",
                                        "origin_region": "Xinjiang Uyghur Autonomous Region"}])]))
        assert result["verdict"] == "presumption"
        assert of_type(result, "xinjiang_location")[0]["concerns"]["pointer"] == "/goods/0/inputs/0"

    def test_sdn_official_is_review(self, client: TestClient) -> None:
        result = screen(client, record(kind="supplier", parties=[party(name="CHEN Quanguo", type="person")]))
        assert result["verdict"] == "review"
        match = of_type(result, "list_match")[0]
        assert match["list_entry"]["source"] == "ofac_sdn"
        assert "Blocked property" in match["consequence"]

    def test_china_cotton_from_coastal_mill_is_elevated(self, client: TestClient) -> None:
        result = screen(client, record(
            parties=[party(name="Ningbo Coastal Textiles Co Ltd", country="CN", address="Yinzhou District, Ningbo")],
            goods_lines=[goods(hs_code="5205.11", origin_country="CN")]))
        assert result["verdict"] == "elevated"

    def test_shanghai_urumqi_road_is_not_xinjiang(self, client: TestClient) -> None:
        result = screen(client, record(
            parties=[party(name="Shanghai Meilong Trading Co Ltd", country="CN",
                           address="No. 88 Urumqi Road, Xuhui District, Shanghai")],
            goods_lines=[goods(hs_code="8479.89", origin_country="CN")]))
        assert of_type(result, "xinjiang_location") == []
        assert result["verdict"] == "clear"


class TestStorage:
    def test_get_returns_stored_result_unchanged(self, client: TestClient) -> None:
        created = screen(client, record(reference="PO-77"))
        assert client.get(f"/v1/screenings/{created['id']}").json() == created

    def test_search_by_reference_and_verdict(self, client: TestClient) -> None:
        screen(client, record(reference="A"))
        screen(client, record(reference="B", kind="supplier", parties=[party(name="Chen Quanguo", type="person")]))
        review = client.get("/v1/screenings", params={"verdict": "review"}).json()["data"]
        assert [r["reference"] for r in review] == ["B"]
        assert client.get("/v1/screenings", params={"reference": "A"}).json()["count"] == 1
        assert client.get("/v1/screenings", params={"since": "2100-01-01T00:00:00Z"}).json()["count"] == 0

    def test_unknown_id_404(self, client: TestClient) -> None:
        response = client.get("/v1/screenings/does-not-exist")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


class TestIdempotency:
    def test_same_key_same_body_replays(self, client: TestClient) -> None:
        first = client.post("/v1/screenings", json=record(), headers={"Idempotency-Key": "k-1"})
        second = client.post("/v1/screenings", json=record(), headers={"Idempotency-Key": "k-1"})
        assert second.json() == first.json()
        assert second.headers["Idempotent-Replayed"] == "true"
        assert client.get("/v1/screenings").json()["count"] == 1

    def test_same_key_other_body_refused(self, client: TestClient) -> None:
        client.post("/v1/screenings", json=record(), headers={"Idempotency-Key": "k-2"})
        response = client.post("/v1/screenings", json=record(reference="other"), headers={"Idempotency-Key": "k-2"})
        assert response.status_code == 422
        assert "Idempotency-Key" in response.json()["detail"]

    def test_batch_replays(self, client: TestClient) -> None:
        body = {"records": [record(reference="x"), record(reference="y")]}
        first = client.post("/v1/screenings:batch", json=body, headers={"Idempotency-Key": "b-1"}).json()
        second = client.post("/v1/screenings:batch", json=body, headers={"Idempotency-Key": "b-1"}).json()
        assert [r["id"] for r in second["data"]] == [r["id"] for r in first["data"]]


class TestBatch:
    def test_screens_every_record_in_order(self, client: TestClient) -> None:
        body = {"records": [record(reference=f"R{i}") for i in range(5)]}
        response = client.post("/v1/screenings:batch", json=body)
        assert response.status_code == 201
        assert [r["reference"] for r in response.json()["data"]] == ["R0", "R1", "R2", "R3", "R4"]

    def test_one_bad_record_refuses_all(self, client: TestClient) -> None:
        body = {"records": [record(reference="ok"), record(parties=[party(name="")])]}
        response = client.post("/v1/screenings:batch", json=body)
        assert response.status_code == 422
        assert response.json()["errors"][0]["pointer"] == "/records/1/parties/0/name"
        assert client.get("/v1/screenings").json()["count"] == 0


class TestBadInput:
    @pytest.mark.parametrize(("body", "pointer"), [
        (record(parties=[party(role="boss")]), "/parties/0/role"),
        (record(parties=[party(), party(), party(), party(name="")]), "/parties/3/name"),
        (record(parties=[{"role": "supplier"}]), "/parties/0/name"),
        (record(goods_lines=[goods(hs_code="77.01")]), "/goods/0/hs_code"),
        (record(goods_lines=[goods(hs_code="85A1.43")]), "/goods/0/hs_code"),
        (record(goods_lines=[goods(value="lots")]), "/goods/0/value"),
        (record(parties=[party(name="x" * 10_000)]), "/parties/0/name"),
        (record(parties=[party(name="...!!!")]), "/parties/0/name"),
        (record(parties=[party(name="ACME\x00 Ltd")]), "/parties/0/name"),
        (record(parties=[party(role="upstream_supplier")]), "/parties/0"),
        ({**record(), "colour": "red"}, "/colour"),
        ({**record(), "parties": "ACME"}, "/parties"),
        (record(goods_lines=[goods() for _ in range(5000)]), "/goods"),
    ])
    def test_refused_with_pointer_and_nothing_stored(self, client: TestClient, body: dict[str, Any],
                                                     pointer: str) -> None:
        response = client.post("/v1/screenings", json=body)
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert pointer in [e["pointer"] for e in response.json()["errors"]]
        assert client.get("/v1/screenings").json()["count"] == 0

    def test_zero_width_joiner_is_normalised_not_refused(self, client: TestClient) -> None:
        result = screen(client, record(parties=[party(name="Hoshine\u200d Silicon Industry (Shanshan) Co Ltd",
                                                      country="CN")]))
        assert result["verdict"] == "presumption"

    def test_malformed_json(self, client: TestClient) -> None:
        response = client.post("/v1/screenings", content=b'{"reference": ',
                               headers={"content-type": "application/json"})
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"


class TestNearNames:
    def test_other_pinyin_syllables_ask_for_review_not_presumption(self, client: TestClient) -> None:
        # Zhongtian is not Zhongtai (uflpa-006): a letter apart, but other characters.
        result = screen(client, record(kind="supplier", parties=[
            party(name="Zhongtian Chemical Co., Ltd.", country="CN", address="Xiaoshan District, Hangzhou")]))
        assert result["verdict"] == "review"
        match = [e for e in of_type(result, "list_match") if e["list_entry"]["entry_id"] == "uflpa-006"][0]
        assert match["match"]["band"] == "review"
        assert match["match"]["features"]["syllable_variant"] == ["zhongtian", "zhongtai"]
        assert "different pinyin syllables" in match["summary"]
