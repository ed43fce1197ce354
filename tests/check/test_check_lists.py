"""`flrisk check` says which lists it screened against, in every format, and `--fail-on-stale` (issue 14).

The shipped snapshot is never checked against the official sources, so its lists age from their snapshot dates
(the newest, UFLPA, is of 2026-06-26): stale with the default maximum age of 7 days, current with
FLRISK_STALE_AFTER_DAYS set beyond it. The UFLPA version is partial either way (149 of 187 entities)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from tests.check.test_check_cli import REL, check, json_lines, server  # noqa: F401 - `server` is a fixture

CLEAN = f"{REL}/clean_suppliers.csv"
PARTIAL = "UFLPA Entity List: 149 entities loaded; the official list had 187 after 2026-08-03."
BIS_PARTIAL = "BIS Entity List: known to be partial, 5 entries loaded: only the five XUAR forced-labour listings"
CURRENT = {"FLRISK_STALE_AFTER_DAYS": "100000"}
SOURCES = ["bis_entity_list", "cbp_wro", "ofac_sdn", "uflpa_entity_list"]


class TestFormats:
    def test_json_lines_carry_lists_and_warnings(self) -> None:
        result = check(CLEAN, "--format", "json", env=CURRENT)
        assert result.returncode == 0, result.stderr
        rows = json_lines(result.stdout)
        assert len(rows) == 3
        for row in rows:
            lists = {u["source"]: u for u in row["lists"]}  # type: ignore[attr-defined]
            assert sorted(lists) == SOURCES
            assert (lists["uflpa_entity_list"]["entry_count"], lists["uflpa_entity_list"]["stale"]) == (149, False)
            assert row["warnings"][1:] == [PARTIAL]
            assert row["warnings"][0].startswith(BIS_PARTIAL)
            assert "Clear only as far as the lists go: some are known to be partial (BIS Entity List, UFLPA Entity "\
                   "List)" in \
                str(row["summary"])
        assert "2 warning(s) about the lists" in result.stderr

    def test_the_table_prints_the_list_warnings_once(self) -> None:
        result = check(CLEAN)
        assert result.returncode == 0, result.stderr
        assert result.stdout.count(f"warning: {PARTIAL}") == 1
        assert result.stdout.count("warning: UFLPA Entity List: last checked against the official source on "
                                   "2026-06-26, more than 7 days ago") == 1
        assert result.stdout.count(f"warning: {BIS_PARTIAL}") == 1
        assert "6 warning(s) about the lists" in result.stdout

    def test_junit_has_them_as_suite_properties_and_system_err(self) -> None:
        result = check(CLEAN, "--format", "junit")
        suite = ET.fromstring(result.stdout).find("testsuite")
        assert suite is not None
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert props["list.uflpa_entity_list"] == ("v1, 149 entries, snapshot 2026-06-26, last checked 2026-06-26, "
                                                   "stale")
        assert PARTIAL in props.values()
        err = suite.find("system-err")
        assert err is not None
        assert f"warning: {PARTIAL}" in (err.text or "")

    def test_sarif_has_them_as_run_properties_and_notifications(self) -> None:
        result = check(CLEAN, "--format", "sarif")
        run = json.loads(result.stdout)["runs"][0]
        assert [u["source"] for u in run["properties"]["lists"]] == SOURCES
        notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
        assert PARTIAL in notes
        assert len(notes) == 6


class TestFailOnStale:
    def test_a_stale_list_exits_1_and_is_named(self) -> None:
        result = check(CLEAN, "--fail-on-stale")
        assert result.returncode == 1, result.stderr
        assert "3 clear" in result.stdout  # no hit: the exit code is the stale lists'
        assert ("flrisk check: --fail-on-stale: stale lists: bis_entity_list v4 (last checked 2021-06-24); cbp_wro "
                "v2 (last checked 2025-05-28); ofac_sdn v3 (last checked 2025-02-01); uflpa_entity_list v1 (last "
                "checked 2026-06-26)") in result.stderr

    def test_current_lists_exit_0(self) -> None:
        result = check(CLEAN, "--fail-on-stale", env=CURRENT)
        assert result.returncode == 0, result.stderr
        assert "--fail-on-stale" not in result.stderr

    def test_without_the_flag_stale_lists_only_warn(self) -> None:
        assert check(CLEAN).returncode == 0

    def test_on_a_server_the_servers_lists_count(self, server: tuple[str, str]) -> None:  # noqa: F811
        url, key = server
        result = check(CLEAN, "--server", url, "--format", "json", "--fail-on-stale", env={"FLRISK_API_KEY": key})
        assert result.returncode == 1, result.stderr
        assert "stale lists: bis_entity_list v4" in result.stderr
        rows = json_lines(result.stdout)
        assert [u["source"] for u in rows[0]["lists"]] == SOURCES  # type: ignore[union-attr]
        assert rows[0]["warnings"].count(PARTIAL) == 1  # type: ignore[union-attr]
