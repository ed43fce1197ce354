"""Countries over HTTP (issue 15 items 1 and 2): every spelling of China screens as China, in parties, goods
origins and input origins, in matches, comparisons and decisions; an unknown value is a 422 naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.monitoring.rescreen import rescreen_supplier
from service.screening.decisions import entry_hash, party_key
from service.services.context import default_thresholds, screening_context, used_lists
from service.store import monitor_repo
from service.store.tables import DecisionRow, ScreeningRow
from tests.factories import goods, own_warnings, party, record

CHINA = ["CN", "cn", "China", "CHN", "PRC", "People's Republic of China", "中国", "中華人民共和國",
         "Mainland China"]
ACCEPTED = ("give an ISO 3166 alpha-2 or alpha-3 code (CN, CHN) or an English or Chinese country name "
            "(China, People's Republic of China, 中国)")
HOSHINE = "Hoshine Silicon Industry (Shanshan) Co Ltd"


def knitwear(country: str) -> dict[str, Any]:
    """A T-shirt shipment (a FLETF high-priority sector) whose maker and goods come from `country`."""
    return record(parties=[party(role="manufacturer", name="Example Knitwear Co Ltd", country=country)],
                  goods_lines=[goods(hs_code="6109.10", origin_country=country)])


def screened(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/v1/screenings", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def refused(client: TestClient, path: str, body: dict[str, Any]) -> list[tuple[str, str]]:
    response = client.post(path, json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [(e["pointer"], e["detail"]) for e in response.json()["errors"]]


def unknown(value: str) -> str:
    return f"{value!r} is not a country flrisk recognises: {ACCEPTED}"


class TestScreenings:
    def test_every_china_spelling_is_china(self, client: TestClient) -> None:
        results = {c: screened(client, knitwear(c)) for c in CHINA}
        verdicts = {c: (r["verdict"], r["risk_score"]) for c, r in results.items()}
        assert verdicts == dict.fromkeys(CHINA, ("elevated", 49))
        exposure = [e for e in results["中華人民共和國"]["evidence"] if e["type"] == "sector_exposure"][0]
        assert exposure["effect"] == "elevated"
        assert screened(client, knitwear("DE"))["verdict"] == "clear"

    def test_input_origin_spelled_out_counts_as_china(self, client: TestClient) -> None:
        def shipment(origin: str) -> dict[str, Any]:
            return record(parties=[party(role="manufacturer", name="Example Knitwear Co Ltd", country="VN")],
                          goods_lines=[goods(hs_code="6109.10", origin_country="Viet Nam",
                                             inputs=[{"material": "cotton", "origin_country": origin}])])
        scores = {c: (r["verdict"], r["risk_score"]) for c in ("CN", "China", "中国", "PRC")
                  for r in [screened(client, shipment(c))]}
        assert scores == dict.fromkeys(("CN", "China", "中国", "PRC"), ("elevated", 43))
        assert screened(client, shipment("越南"))["verdict"] == "clear"

    def test_the_request_is_stored_with_alpha2(self, client: TestClient) -> None:
        result = screened(client, knitwear("中华人民共和国"))
        with Session(client.app.state.engine) as session:
            stored = session.get(ScreeningRow, result["id"])
            assert stored is not None
            assert (stored.request["parties"][0]["country"], stored.request["goods"][0]["origin_country"]) == \
                ("CN", "CN")

    @pytest.mark.parametrize("value", ["XX", "Narnia"])
    def test_unknown_country_is_422_naming_the_field_and_nothing_is_stored(self, client: TestClient,
                                                                          value: str) -> None:
        body = record(parties=[party(country="CN"), party(role="importer", country=value)],
                      goods_lines=[goods(hs_code="6109.10", origin_country="China"),
                                   goods(hs_code="6109.10", origin_country=value,
                                         inputs=[{"material": "cotton", "origin_country": value,
                                                  "supplier": {"name": "Example Mill", "country": value}}])])
        assert refused(client, "/v1/screenings", body) == [
            ("/parties/1/country", unknown(value)), ("/goods/1/origin_country", unknown(value)),
            ("/goods/1/inputs/0/origin_country", unknown(value)),
            ("/goods/1/inputs/0/supplier/country", unknown(value))]
        assert client.get("/v1/screenings").json()["count"] == 0

    def test_ambiguous_country_is_422_with_the_choice(self, client: TestClient) -> None:
        assert refused(client, "/v1/screenings", knitwear("Korea")) == [
            ("/parties/0/country", "'Korea' names more than one country: give KR (South Korea) or KP (North Korea)"),
            ("/goods/0/origin_country",
             "'Korea' names more than one country: give KR (South Korea) or KP (North Korea)")]

    def test_batch_call_points_at_the_record(self, client: TestClient) -> None:
        body = {"records": [knitwear("China"), knitwear("Narnia")]}
        assert refused(client, "/v1/screenings:batch", body)[0] == ("/records/1/parties/0/country", unknown("Narnia"))


class TestMatchAndCompare:
    def test_match_reads_the_country_the_same_in_every_spelling(self, client: TestClient) -> None:
        answers = [client.post("/v1/match", json={"name": "HOSHINE SILICON IND SHANSHAN CO LTD", "country": c}).json()
                   for c in ("CN", "China", "中国", "PRC")]
        assert answers[0]["matches"][0]["features"]["country"] == "agree"
        assert all(a == answers[0] for a in answers[1:])

    def test_match_refuses_an_unknown_country(self, client: TestClient) -> None:
        assert refused(client, "/v1/match", {"name": "Hoshine Silicon", "country": "Narnia"}) == [
            ("/country", unknown("Narnia"))]
        assert refused(client, "/v1/match:batch", {"queries": [{"name": "A", "country": "XX"}]}) == [
            ("/queries/0/country", unknown("XX"))]

    def test_compare_agrees_on_spelled_out_countries(self, client: TestClient) -> None:
        body = {"a": {"name": "Example Knitwear Co Ltd", "country": "People's Republic of China"},
                "b": {"name": "Example Knitwear Company Limited", "country": "中国"}}
        assert client.post("/v1/compare", json=body).json()["features"]["country"] == "agree"
        body["b"]["country"] = "Narnia"
        assert refused(client, "/v1/compare", body) == [("/b/country", unknown("Narnia"))]


def _decide(client: TestClient, country: str, entry_id: str = "uflpa-003") -> dict[str, Any]:
    response = client.post("/v1/decisions", json={
        "party": {"name": HOSHINE, "country": country}, "source": "uflpa_entity_list", "entry_id": entry_id,
        "decision": "false_positive", "reason": "test", "analyst": "a.analyst"})
    assert response.status_code == 201, response.text
    return response.json()


def _decision_on(result: dict[str, Any], entry_id: str = "uflpa-003") -> dict[str, Any] | None:
    return next(e["decision"] for e in result["evidence"] if (e.get("list_entry") or {}).get("entry_id") == entry_id)


class TestDecisions:
    def test_decision_saved_with_cn_applies_to_china_in_every_spelling(self, client: TestClient) -> None:
        made = _decide(client, "CN")
        for spelling in ("China", "中国", "CHN", "cn"):
            result = screened(client, record(kind="supplier", parties=[party(name=HOSHINE, country=spelling)]))
            decision = _decision_on(result)
            assert decision is not None
            assert (decision["id"], decision["status"]) == (made["id"], "applied")
        other = screened(client, record(kind="supplier", parties=[party(name=HOSHINE, country="DE")]))
        assert _decision_on(other) is None

    def test_decision_saved_with_a_name_is_stored_as_alpha2(self, client: TestClient) -> None:
        made = _decide(client, "People's Republic of China")
        assert made["party"] == {"name": HOSHINE, "country": "CN"}
        result = screened(client, record(kind="supplier", parties=[party(name=HOSHINE, country="CN")]))
        assert (_decision_on(result) or {}).get("id") == made["id"]

    def test_decision_with_unknown_country_is_422(self, client: TestClient) -> None:
        assert refused(client, "/v1/decisions", {
            "party": {"name": HOSHINE, "country": "Narnia"}, "source": "uflpa_entity_list", "entry_id": "uflpa-003",
            "decision": "false_positive", "reason": "test", "analyst": "a"}) == [("/party/country", unknown("Narnia"))]

    def test_decision_stored_before_normalisation_still_applies(self, client: TestClient) -> None:
        """Stored as the old code did: the country verbatim, upper-cased into the key."""
        entry = next(e for e in client.app.state.registry.current().entries if e.entry_id == "uflpa-003")
        with Session(client.app.state.engine) as session:
            for row_id, country in (("old-china", "China"), ("old-narnia", "Narnia")):
                session.add(DecisionRow(id=row_id, org_id="default", party_name=HOSHINE, party_country=country,
                                        party_key=party_key(HOSHINE, country), source=entry.source,
                                        entry_id=entry.entry_id, entry_hash=entry_hash(entry),
                                        decision="false_positive", reason="old", analyst="a"))
            session.commit()
        china = screened(client, record(kind="supplier", parties=[party(name=HOSHINE, country="中国")]))
        assert (_decision_on(china) or {}).get("id") == "old-china"
        # a stored country that names none applies, like the batch row it came from, to a party without one
        none = screened(client, record(kind="supplier", parties=[party(name=HOSHINE)]))
        assert (_decision_on(none) or {}).get("id") == "old-narnia"
        listed = {d["id"]: d["party"]["country"] for d in client.get("/v1/decisions").json()["data"]}
        assert listed == {"old-china": "CN", "old-narnia": "Narnia"}


class TestMonitoredSuppliers:
    def test_country_names_are_read_as_alpha2(self, client: TestClient) -> None:
        response = client.post("/v1/suppliers", json={"reference": "V-1", "name": "Example Knitwear Co Ltd",
                                                      "country": "China", "hs_code": "6109.10"})
        assert response.status_code == 201, response.text
        assert response.json()["last_verdict"] == "elevated"
        assert refused(client, "/v1/suppliers", {"reference": "V-2", "name": "A", "country": "Narnia"}) == [
            ("/country", unknown("Narnia"))]

    def test_stored_request_with_an_unknown_country_is_rescreened_without_it(self, client: TestClient) -> None:
        response = client.post("/v1/suppliers", json={"reference": "V-1", "name": "Example Knitwear Co Ltd",
                                                      "country": "CN", "hs_code": "6109.10"})
        supplier_id = response.json()["id"]
        app = client.app
        ctx = screening_context(app.state.registry.current(), default_thresholds(app.state.settings), {})
        with Session(app.state.engine, expire_on_commit=False) as session:
            row = monitor_repo.supplier(session, "default", supplier_id)
            assert row is not None
            # as stored before countries were checked
            row.request = {**row.request, "parties": [{**row.request["parties"][0], "country": "Narnia"}]}
            used = used_lists(app.state.registry.current(), app.state.settings)
            rescreen_supplier(session, row, ctx, {}, used, None)
            session.commit()
            screening_id = row.last_screening_id
        result = client.get(f"/v1/screenings/{screening_id}").json()
        assert own_warnings(result["warnings"]) == [
            "/parties/0/country: 'Narnia' is not a recognised country; screened without a country"]
