"""The report renderers: pure functions from a stored result (a dict) to HTML."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from service.reports import render_batch, render_screening
from service.reports.diff import highlight_diff
from service.reports.render import NOT_STATED, bar_chart

HOSTILE = '<script>alert("x")</script> Hoshine & Co'


def make_result(*, name: str = "HOSHINE SILICON IND (SHANSHAN) CO LTD", verdict: str = "presumption",
                checklist: int = 2) -> dict[str, Any]:
    return {
        "id": "3f1c0a9e-0000-4000-8000-000000000001", "reference": "PO-42", "kind": "shipment",
        "verdict": verdict, "risk_score": 100, "summary": f"presumption: manufacturer {name!r} matches uflpa-003",
        "created_at": "2026-11-25T05:38:57.456969Z",
        "list_versions": {"uflpa_entity_list": "v1 sha256:8a49bc58d34b as of 2025-01-15"},
        "evidence": [
            {"type": "sector_exposure", "effect": "elevated",
             "concerns": {"pointer": "/goods/0", "hs_code": "28046100"},
             "summary": "HS 28046100 (silica_materials); exposure 75/100", "consequence": "High-priority sector.",
             "sectors": [{"sector_id": "silica_materials", "name": "Silica-based products", "year_added": 2022,
                          "citation": "FLETF UFLPA Strategy [S01]", "family": "Silica-based products"}],
             "shares": [{"commodity": "polysilicon", "metric": "Xinjiang share of China polysilicon capacity",
                         "value": 52.4, "unit": "percent", "year": "end-2020", "citation": "pv magazine [S37]"}],
             "exposure": {"score": 75, "terms": [{"name": "china_origin", "points": 40,
                                                  "explanation": "origin country is China (CN)",
                                                  "source": "UFLPA sec. 3 [S13]"}]}},
            {"type": "list_match", "effect": "presumption",
             "concerns": {"pointer": "/parties/0", "role": "manufacturer", "name": name},
             "summary": "matches uflpa-003", "consequence": "Rebuttable presumption under UFLPA section 3.",
             "list_entry": {"source": "uflpa_entity_list", "entry_id": "uflpa-003",
                            "name": "Hoshine Silicon Industry (Shanshan) Co., Ltd", "aliases": [],
                            "chinese_names": ["合盛硅业(鄯善)有限公司"], "legal_basis": NOT_STATED,
                            "date_listed": NOT_STATED, "citation": "DHS UFLPA Entity List page", "extra": {}},
             "match": {"score": 1.0, "band": "strong",
                       "matched_alias": "Hoshine Silicon Industry (Shanshan) Co., Ltd"}},
            {"type": "xinjiang_location", "effect": "presumption",
             "concerns": {"pointer": "/parties/1", "role": "upstream_supplier", "name": "Aksu Mill", "tier": 2},
             "summary": "located in Xinjiang", "consequence": "Rebuttable presumption under UFLPA section 3.",
             "place": {"code": "652901", "chinese_name": "阿克苏市", "name": "Aksu City", "level": "county",
                       "matched_text": "Aksu City", "via": "variant", "source": "quhua"}},
        ],
        "rebuttal_checklist": [{"id": f"tracing.{i}", "text": f"Document {i}", "category": "tracing",
                                "applies_to": ["all"], "sources": ["S14"], "done": i == 0} for i in range(checklist)],
    }


class TestHighlightDiff:
    def test_case_is_ignored_and_differences_are_marked(self) -> None:
        query, listed = highlight_diff("HOSHINE SILICON IND CO LTD", "Hoshine Silicon Industry Co., Ltd")
        assert str(query) == "HOSHINE SILICON IND CO LTD"
        assert str(listed) == "Hoshine Silicon Ind<mark>ustry</mark> Co<mark>.,</mark> Ltd"

    def test_hostile_text_is_escaped_inside_and_outside_marks(self) -> None:
        query, listed = highlight_diff("<b>Acme</b>", "Acme & Sons")
        assert "<b>" not in str(query)
        assert str(query) == "<mark>&lt;b&gt;</mark>Acme<mark>&lt;/b&gt;</mark>"
        assert str(listed) == "Acme<mark> &amp; Sons</mark>"

    def test_stray_one_letter_agreements_join_the_surrounding_mark(self) -> None:
        query, listed = highlight_diff("HOSHINE SILICON IND (SHANSHAN) CO LTD", "Hoshine Silicon Industry Co. Ltd.")
        assert str(query) == "HOSHINE SILICON IND<mark> (SHANSHAN)</mark> CO LTD"
        assert str(listed) == "Hoshine Silicon Ind<mark>ustry</mark> Co<mark>.</mark> Ltd<mark>.</mark>"

    def test_chinese_names_are_compared_per_character(self) -> None:
        query, listed = highlight_diff("合盛硅业股份有限公司", "合盛硅業股份有限公司")
        assert str(query) == "合盛硅<mark>业</mark>股份有限公司"
        assert str(listed) == "合盛硅<mark>業</mark>股份有限公司"


class TestRenderScreening:
    def test_verdict_score_and_ids_are_shown(self) -> None:
        html = render_screening(make_result(), generated_at=datetime(2026, 11, 25, 6, 0, tzinfo=UTC))
        assert '<div class="verdict" id="verdict">presumption</div>' in html
        assert "100<small> / 100 risk score" in html
        assert "3f1c0a9e-0000-4000-8000-000000000001" in html
        assert "v1 sha256:8a49bc58d34b as of 2025-01-15" in html
        assert "2026-11-25 05:38:57 UTC" in html
        assert "2026-11-25 06:00:00 UTC" in html

    def test_hostile_party_name_is_escaped(self) -> None:
        html = render_screening(make_result(name=HOSTILE))
        assert "<script>" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html

    def test_not_stated_fields_are_shown_as_such(self) -> None:
        html = render_screening(make_result())
        assert f'<td class="date-listed"><span class="not-stated">{NOT_STATED}</span></td>' in html
        assert html.count(NOT_STATED) >= 2  # legal basis and date listed

    def test_matched_names_sit_side_by_side_with_marks(self) -> None:
        html = render_screening(make_result())
        assert "HOSHINE SILICON IND (SHANSHAN) CO LTD</span>" in html
        assert "Hoshine Silicon Ind<mark>ustry</mark> (Shanshan) Co<mark>.,</mark> Ltd" in html

    def test_place_sector_terms_and_shares_are_listed(self) -> None:
        html = render_screening(make_result())
        assert "阿克苏市" in html
        assert "county" in html
        assert '<td class="mono term">china_origin</td><td class="num">40</td>' in html
        assert "52.4 percent" in html
        assert "pv magazine [S37]" in html

    def test_evidence_is_ordered_by_effect(self) -> None:
        html = render_screening(make_result())
        assert html.index('class="evidence presumption"') < html.index('class="evidence elevated"')

    def test_checklist_has_a_disabled_box_per_item(self) -> None:
        html = render_screening(make_result(checklist=3))
        assert html.count('<input type="checkbox" disabled') == 3
        assert html.count("disabled checked") == 1

    def test_clear_result_says_no_documents_needed(self) -> None:
        html = render_screening({**make_result(verdict="clear", checklist=0), "evidence": []})
        assert "No rebuttal documents are required" in html
        assert 'type="checkbox"' not in html

    def test_report_uses_a_cjk_font_stack_and_no_external_assets(self) -> None:
        html = render_screening(make_result())
        assert '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei"' in html
        assert "<script" not in html
        assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


class TestRenderBatch:
    BATCH = {"id": "b-1", "status": "done", "filename": "vendors.csv", "rows_total": 4, "rows_done": 4,
             "counts": {"presumption": 1, "review": 1, "clear": 2}, "list_versions": {"cbp_wro": "v2"},
             "created_at": datetime(2026, 11, 25, 5, 0), "started_at": None, "finished_at": None}

    def test_counts_charts_and_rows(self) -> None:
        finding = {"row_index": 0, "name": HOSTILE, "verdict": "presumption", "risk_score": 100,
                   "result": make_result()}
        html = render_batch(self.BATCH, [finding])
        assert '<td class="num" data-verdict="presumption">1</td>' in html
        assert '<td class="num" data-verdict="elevated">0</td>' in html
        assert html.count("<svg") == 2
        assert "Silica-based products" in html
        assert "Hoshine Silicon Industry (Shanshan) Co., Ltd (uflpa_entity_list, 1.00)" in html
        assert "Aksu City (阿克苏市, county)" in html
        assert "<script>" not in html
        assert "&lt;script&gt;" in html

    def test_no_findings_has_no_sector_chart(self) -> None:
        html = render_batch({**self.BATCH, "counts": {"clear": 4}}, [])
        assert html.count("<svg") == 1
        assert "No non-clear rows." in html

    def test_bar_widths_are_proportional(self) -> None:
        chart = bar_chart([("a", 4, "#000"), ("b", 2, "#000"), ("c", 0, "#000")], width=460, label=100)
        assert [b["w"] for b in chart["bars"]] == [300, 150, 0]


class TestListingScope:
    def test_group_wording_is_shown_with_the_listed_name(self) -> None:
        result = make_result()
        result["evidence"][1]["list_entry"]["listing_scope"] = "and subsidiaries"
        result["evidence"][1]["list_entry"]["extra"] = {"listing_scope": "and subsidiaries", "status": "Active"}
        page = render_screening(result)
        assert ('<tr><th>Listing scope</th><td class="listing-scope">Hoshine Silicon Industry (Shanshan) Co., Ltd '
                "<strong>and subsidiaries</strong></td></tr>") in page
        assert page.count("and subsidiaries") == 1  # not repeated among the extra fields
        assert "<tr><th>status</th><td>Active</td></tr>" in page

    def test_no_row_when_the_entity_alone_is_listed(self) -> None:
        assert "Listing scope" not in render_screening(make_result())
