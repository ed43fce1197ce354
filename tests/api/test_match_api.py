from fastapi.testclient import TestClient


class TestMatch:
    def test_erp_uppercase_variant_finds_entry_with_explanation(self, client: TestClient) -> None:
        body = client.post("/v1/match", json={"name": "HOSHINE SILICON IND SHANSHAN CO LTD", "country": "CN"}).json()
        strong = {(m["source"], m["entry_id"]) for m in body["matches"] if m["band"] == "strong"}
        assert {("uflpa_entity_list", "uflpa-003"), ("bis_entity_list", "bis-004")} <= strong
        top = body["matches"][0]
        assert top["citation"]
        assert {"name_similarity", "legal_form", "country", "query_script"} <= set(top["features"])
        assert set(body["list_versions"]) == {"uflpa_entity_list", "cbp_wro", "ofac_sdn", "bis_entity_list"}

    def test_chinese_script_name_meets_listed_chinese_name(self, client: TestClient) -> None:
        body = client.post("/v1/match", json={"name": "新疆生產建設兵團"}).json()
        assert ("ofac_sdn", "ofac-002") in {(m["source"], m["entry_id"]) for m in body["matches"]}

    def test_sources_filter(self, client: TestClient) -> None:
        body = client.post("/v1/match", json={"name": "Xinjiang Production and Construction Corps",
                                              "sources": ["cbp_wro"]}).json()
        assert {m["source"] for m in body["matches"]} == {"cbp_wro"}

    def test_region_name_never_matches_region_wide_order(self, client: TestClient) -> None:
        body = client.post("/v1/match", json={"name": "Xinjiang Uyghur Autonomous Region"}).json()
        assert "cbp-011" not in {m["entry_id"] for m in body["matches"]}

    def test_unrelated_generic_name_has_no_match(self, client: TestClient) -> None:
        body = client.post("/v1/match", json={"name": "Zhongtai Securities Co., Ltd.", "country": "CN"}).json()
        assert body["matches"] == []

    def test_per_request_thresholds(self, client: TestClient) -> None:
        strict = client.post("/v1/match", json={"name": "Hoshine Silicon", "thresholds": {"strong": 1.0,
                                                                                         "review": 0.999}}).json()
        assert strict["matches"] == []

    def test_thresholds_out_of_order_refused(self, client: TestClient) -> None:
        response = client.post("/v1/match", json={"name": "x", "thresholds": {"strong": 0.5, "review": 0.9}})
        assert response.status_code == 422

    def test_unknown_source_refused(self, client: TestClient) -> None:
        response = client.post("/v1/match", json={"name": "ACME", "sources": ["interpol"]})
        assert response.status_code == 422
        assert "unknown source" in response.json()["detail"]

    def test_absurd_names_are_422_never_500(self, client: TestClient) -> None:
        for name in ["", "   ", "x" * 10_000, "!!!...", "ab\x07c"]:
            response = client.post("/v1/match", json={"name": name})
            assert response.status_code == 422, name
            assert response.json()["errors"][0]["pointer"] == "/name"


class TestMatchBatch:
    def test_results_in_query_order(self, client: TestClient) -> None:
        body = client.post("/v1/match:batch", json={"queries": [{"name": "Krones AG"},
                                                                {"name": "Hetian Taida Apparel"}]}).json()
        assert body["results"][0]["matches"] == []
        assert "cbp-001" in {m["entry_id"] for m in body["results"][1]["matches"]}

    def test_over_1000_refused(self, client: TestClient) -> None:
        response = client.post("/v1/match:batch", json={"queries": [{"name": "a"}] * 1001})
        assert response.status_code == 422
        assert response.json()["errors"][0]["pointer"] == "/queries"


class TestCompare:
    def test_explains_a_match(self, client: TestClient) -> None:
        body = client.post("/v1/compare", json={
            "a": {"name": "Hoshine Silicon Industry (Shanshan) Co., Ltd", "type": "company"},
            "b": {"name": "HOSHINE SILICON IND CO LTD", "type": "company"}}).json()
        assert body["band"] in ("strong", "review")
        assert body["features"]["legal_form"]

    def test_explains_a_non_match(self, client: TestClient) -> None:
        body = client.post("/v1/compare", json={
            "a": {"name": "Xinjiang Tianshan Wool Textile Co Ltd"}, "b": {"name": "Xinjiang Tianshan Cement Co Ltd"}}
        ).json()
        assert body["band"] is None
