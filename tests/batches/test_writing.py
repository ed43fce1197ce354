"""Result writers: CSV with BOM, streamed JSON, and an XLSX read back with openpyxl."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl

from service.batches.reading import read_table
from service.batches.writing import RESULT_COLUMNS, ListsNote, ResultRow, csv_stream, json_stream, xlsx_bytes_stream

HEADERS = ["Vendor ID", "供应商名称", "Vendor Name"]


def _result(values: list[str], verdict: str, score: int, **match: object) -> ResultRow:
    fields: dict[str, object] = {"top_match_source": None, "top_match_entry": None, "top_match_name": None,
                                 "top_match_score": None, "xinjiang_place": None, "sector": None,
                                 "screening_id": None}
    fields.update(match)
    return ResultRow(values=values, verdict=verdict, risk_score=score, **fields)  # type: ignore[arg-type]


ROWS = [
    _result(["V1", "合盛硅业（鄯善）有限公司", "Hoshine Silicon"], "presumption", 97, top_match_source="uflpa",
            top_match_entry="uflpa-hoshine", top_match_name="Hoshine Silicon Industry Co., Ltd.", top_match_score=0.97,
            xinjiang_place="Shanshan", sector="polysilicon", screening_id="b-r2", row=2,
            reason="UFLPA Entity List: Hoshine Silicon Industry Co., Ltd., score 0.97"),
    _result(["V2", "", "=HYPERLINK(\"x\")"], "review", 70, top_match_name="-Dash Corp", top_match_score=0.81),
    _result(["V3", "宁波杉杉股份有限公司", "Ningbo Shanshan, Co."], "elevated", 40,
            warnings=("country: 'Narnia' is not a recognised country; screened without a country", "second")),
    _result(["V4", "", "Vina Solar"], "clear", 5, row=6, original_verdict="review", original_risk_score=72,
            decision_ids=("d-1",), reason="UFLPA Entity List: Vina, score 0.75 (cleared as a false positive by jo)"),
]
AT = {name: len(HEADERS) + i for i, name in enumerate(RESULT_COLUMNS)}


def _joined(stream: object) -> bytes:
    return b"".join(stream)  # type: ignore[arg-type]


class TestCsvStream:
    def test_bom_first_and_round_trip(self) -> None:
        data = _joined(csv_stream(HEADERS, iter(ROWS)))
        assert data.startswith(b"\xef\xbb\xbfVendor ID,")
        records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert records[0] == [*HEADERS, *RESULT_COLUMNS]
        assert records[1] == ["V1", "合盛硅业（鄯善）有限公司", "Hoshine Silicon", "2", "presumption", "97",
                              "UFLPA Entity List: Hoshine Silicon Industry Co., Ltd., score 0.97", "uflpa",
                              "uflpa-hoshine", "Hoshine Silicon Industry Co., Ltd.", "0.97", "Shanshan", "polysilicon",
                              "b-r2", "/v1/screenings/b-r2", "/v1/screenings/b-r2/report", "presumption", "97", "",
                              "", ""]
        assert records[3][AT["flrisk_warnings"]] == \
            "country: 'Narnia' is not a recognised country; screened without a country | second"
        decided = records[4]
        assert [decided[AT[c]] for c in ("flrisk_row", "flrisk_verdict", "flrisk_risk_score", "flrisk_original_verdict",
                                         "flrisk_original_risk_score", "flrisk_decisions")] == \
            ["6", "clear", "5", "review", "72", "d-1"]
        assert len(records) == 5

    def test_no_cell_starts_a_formula_ours_or_the_users(self) -> None:
        records = list(csv.reader(io.StringIO(_joined(csv_stream(HEADERS, ROWS)).decode("utf-8-sig"), newline="")))
        assert records[2][2] == '\'=HYPERLINK("x")'
        assert records[2][AT["flrisk_top_match_name"]] == "'-Dash Corp"

    def test_reads_back_with_read_table(self) -> None:
        table = read_table(_joined(csv_stream(HEADERS, ROWS)))
        assert table.headers == [*HEADERS, *RESULT_COLUMNS]
        assert table.rows[2][:3] == ["V3", "宁波杉杉股份有限公司", "Ningbo Shanshan, Co."]

    def test_streams_in_pieces(self) -> None:
        many = [ROWS[3]] * 2500
        assert len(list(csv_stream(HEADERS, many))) == 4  # header + 3 batches of at most 1000


class TestJsonStream:
    def test_array_of_objects(self) -> None:
        document = json.loads(_joined(json_stream(HEADERS, iter(ROWS))))
        assert (document["lists"], document["warnings"]) == ([], [])
        parsed = document["rows"]
        assert len(parsed) == 4
        assert parsed[0] == {"row": 2, "cells": {"Vendor ID": "V1", "供应商名称": "合盛硅业（鄯善）有限公司",
                                                 "Vendor Name": "Hoshine Silicon"},
                             "verdict": "presumption", "risk_score": 97,
                             "reason": "UFLPA Entity List: Hoshine Silicon Industry Co., Ltd., score 0.97",
                             "top_match_source": "uflpa",
                             "top_match_entry": "uflpa-hoshine", "top_match_name": "Hoshine Silicon Industry Co., Ltd.",
                             "top_match_score": 0.97, "xinjiang_place": "Shanshan", "sector": "polysilicon",
                             "screening_id": "b-r2", "evidence_url": "/v1/screenings/b-r2",
                             "report_url": "/v1/screenings/b-r2/report", "original_verdict": "presumption",
                             "original_risk_score": 97, "decision_ids": [], "warnings": []}
        assert (parsed[3]["verdict"], parsed[3]["original_verdict"], parsed[3]["decision_ids"]) == \
            ("clear", "review", ["d-1"])
        assert parsed[2]["warnings"] == ["country: 'Narnia' is not a recognised country; screened without a country",
                                         "second"]

    def test_empty(self) -> None:
        assert json.loads(_joined(json_stream(HEADERS, []))) == {"lists": [], "warnings": [], "rows": []}


class TestXlsxStream:
    def test_round_trip(self, tmp_path: Path) -> None:
        data = _joined(xlsx_bytes_stream(HEADERS, iter(ROWS), tmp_dir=tmp_path))
        assert list(tmp_path.iterdir()) == []  # temp file deleted
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == [*HEADERS, *RESULT_COLUMNS]
        assert rows[1][:6] == ("V1", "合盛硅业（鄯善）有限公司", "Hoshine Silicon", 2, "presumption", 97)
        assert rows[1][AT["flrisk_top_match_score"]] == 0.97
        assert rows[1][AT["flrisk_evidence"]] == "/v1/screenings/b-r2"
        assert rows[2][2] == '=HYPERLINK("x")'  # user text stays text, never a formula
        assert sheet["C3"].data_type == "s"
        assert sheet.freeze_panes == "A2"
        assert rows[3][AT["flrisk_warnings"]] == \
            "country: 'Narnia' is not a recognised country; screened without a country | second"
        assert sheet.auto_filter.ref == "A1:U5"
        rules = [(str(cf.sqref), rule.formula) for cf in sheet.conditional_formatting for rule in cf.rules]
        assert sorted(rules) == sorted([("A2:U5", ['$E2="presumption"']), ("A2:U5", ['$E2="review"']),
                                        ("A2:U5", ['$E2="elevated"'])])

    def test_reads_back_with_read_table(self, tmp_path: Path) -> None:
        table = read_table(_joined(xlsx_bytes_stream(HEADERS, ROWS, tmp_dir=tmp_path)))
        assert table.rows[0][3:6] == ["2", "presumption", "97"]
        assert table.rows[0][AT["flrisk_top_match_score"]] == "0.97"

    def test_control_characters_in_user_cells(self, tmp_path: Path) -> None:
        rows = [_result(["V9", "", "Bell\x07 Corp"], "clear", 0)]
        sheet = openpyxl.load_workbook(io.BytesIO(_joined(xlsx_bytes_stream(HEADERS, rows, tmp_dir=tmp_path)))).active
        assert sheet["C2"].value == "Bell_x0007_ Corp"  # escaped by xlsxwriter so the XML stays valid

    def test_temp_file_deleted_when_the_consumer_stops(self, tmp_path: Path) -> None:
        stream = xlsx_bytes_stream(HEADERS, ROWS, tmp_dir=tmp_path)
        next(stream)
        stream.close()
        assert list(tmp_path.iterdir()) == []


UFLPA_USED = {"source": "uflpa_entity_list", "version": 1, "entry_count": 149, "snapshot_date": "2026-06-26",
              "last_checked_at": "2026-06-26T00:00:00+00:00", "stale": True, "official_count": 187,
              "coverage_note": "=PARTIAL: 149 of the 187 entities"}  # "=": must stay text in every file
WRO_USED = {"source": "cbp_wro", "version": 2, "entry_count": 41, "snapshot_date": "2025-05-28",
            "last_checked_at": "2026-12-01T00:00:00+00:00", "stale": False, "official_count": None,
            "coverage_note": None}
PARTIAL = "UFLPA Entity List: 149 entities loaded; the official list had 187 after 2026-08-03."
NOTE = ListsNote((UFLPA_USED, WRO_USED), (PARTIAL,))


class TestListsScreenedAgainst:
    def test_csv_names_each_list_with_its_flags_on_every_row(self) -> None:
        records = list(csv.reader(io.StringIO(_joined(csv_stream(HEADERS, ROWS, NOTE)).decode("utf-8-sig"),
                                              newline="")))
        assert records[0][-1] == "flrisk_lists"
        assert {r[-1] for r in records[1:]} == {
            "uflpa_entity_list v1 (149 of 187 entities, stale); cbp_wro v2"}

    def test_json_has_lists_and_warnings_at_the_top(self) -> None:
        document = json.loads(_joined(json_stream(HEADERS, ROWS, NOTE)))
        assert document["lists"] == [{k: v for k, v in u.items() if k != "official_count"}
                                     for u in (UFLPA_USED, WRO_USED)]
        assert document["warnings"] == [PARTIAL]
        assert len(document["rows"]) == 4

    def test_xlsx_has_a_lists_sheet_with_the_warnings(self, tmp_path: Path) -> None:
        workbook = openpyxl.load_workbook(io.BytesIO(_joined(xlsx_bytes_stream(HEADERS, ROWS, NOTE,
                                                                                tmp_dir=tmp_path))))
        assert workbook.sheetnames == ["flrisk results", "lists screened against"]
        results = list(workbook["flrisk results"].iter_rows(values_only=True))
        assert results[1][AT["flrisk_lists"]] == "uflpa_entity_list v1 (149 of 187 entities, stale); cbp_wro v2"
        sheet = workbook["lists screened against"]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == ("source", "version", "entry_count", "snapshot_date", "last_checked_at", "stale",
                           "coverage_note")
        assert rows[1] == ("uflpa_entity_list", 1, 149, "2026-06-26", "2026-06-26T00:00:00+00:00", True,
                           "'=PARTIAL: 149 of the 187 entities")
        assert rows[2][:6] == ("cbp_wro", 2, 41, "2025-05-28", "2026-12-01T00:00:00+00:00", False)
        assert [r[0] for r in rows[4:]] == ["warnings", PARTIAL]
        assert sheet["G2"].data_type == "s"  # text, never a formula
