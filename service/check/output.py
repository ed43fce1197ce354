"""The report of `flrisk check`, in four formats: a rich table, JSON lines, JUnit XML and SARIF 2.1.0.

A "hit" is a record whose verdict is at or above `--fail-on`. The table lists every record that is not
clear and ends with a summary line; JSON lines has one object per record; JUnit has one testcase per
record, failed for hits; SARIF has one result per hit, pointing at the record's line in the file.

Every format says which lists the records were screened against and warns when one was stale or is known
to be partial: the table prints the warnings once, each JSON line carries `lists` and `warnings` (as an API
result does), JUnit has them as suite properties and `system-err`, SARIF as run properties and tool
notifications.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from service.check.engines import CheckResult, Screened
from service.screening.ownership import chain_text
from service.screening.vocabulary import FINDING_VERDICTS, VERDICT_RANK

FORMATS = ("table", "json", "junit", "sarif")
LEVELS = FINDING_VERDICTS
RANK = VERDICT_RANK
COLOURS = {"presumption": "bold red", "review": "dark_orange", "elevated": "yellow", "clear": "green"}
SARIF_LEVEL = {"presumption": "error", "review": "warning", "elevated": "warning"}
RULES = {
    "presumption": "UFLPA rebuttable presumption applies: a strong UFLPA Entity List match, or Xinjiang in a "
                   "party's location or the goods' or inputs' origin. Goods are presumed made with forced labour.",
    "review": "Needs review: a possible UFLPA Entity List match, a CBP withhold release order, a Xinjiang-tied "
              "BIS or OFAC listing, a region-wide order covering the goods, or a Xinjiang name or origin claim.",
    "elevated": "Elevated exposure: a FLETF high-priority sector from China, or priority-sector inputs from China.",
}
INPUT_RULE = {"id": "flrisk/input", "name": "input",
              "shortDescription": {"text": "A value the screening could not use"},
              "fullDescription": {"text": "The record was screened without a value it could not read (such as a "
                                          "country that names no country); correct it in the file."},
              "defaultConfiguration": {"level": "warning"}}
HELP_URI = "https://www.cbp.gov/trade/forced-labor/UFLPA"


@dataclass(frozen=True)
class Report:
    screened: Screened
    path: str  # the checked file, as given
    fail_on: str

    @property
    def results(self) -> list[CheckResult]:
        return self.screened.results

    def is_hit(self, result: CheckResult) -> bool:
        return RANK[result.verdict] >= RANK[self.fail_on]

    @property
    def hits(self) -> list[CheckResult]:
        return [r for r in self.results if self.is_hit(r)]

    def summary(self) -> str:
        counts = Counter(r.verdict for r in self.results)
        verdicts = ", ".join(f"{counts[v]} {v}" for v in (*LEVELS, "clear"))
        where = "shipped lists" if self.screened.engine == "local" else self.screened.engine
        warned = sum(len(r.warnings) for r in self.results)
        listed = len(self.screened.list_warnings)
        return (f"{len(self.results)} records screened ({where}): {verdicts}; "
                f"{len(self.hits)} at or above {self.fail_on}" + (f"; {warned} warning(s)" if warned else "")
                + (f"; {listed} warning(s) about the lists" if listed else ""))

    def stale_lists(self) -> str | None:
        """`--fail-on-stale`: which lists used were stale, in one line; None when none was."""
        stale = self.screened.stale
        if not stale:
            return None
        return "stale lists: " + "; ".join(f"{u['source']} v{u['version']} (last checked "
                                            f"{str(u.get('last_checked_at') or '')[:10]})" for u in stale)


def top_match(result: CheckResult) -> dict[str, Any] | None:
    """The strongest list match, or ownership path (then `via` holds the chain from the party to the entry)."""
    matches = [e for e in result.evidence if e.get("type") in ("list_match", "ownership") and e.get("list_entry")]
    if not matches:
        return None
    best = max(matches, key=lambda e: (RANK.get(e.get("effect", ""), 0), (e.get("match") or {}).get("score") or 0))
    entry = best["list_entry"]
    found = {"source": entry.get("source"), "entry_id": entry.get("entry_id"), "name": entry.get("name"),
             "score": (best.get("match") or {}).get("score")}
    if best.get("path"):
        found["via"] = chain_text(best["path"])
    return found


def place(result: CheckResult) -> str | None:
    for e in result.evidence:
        found = e.get("place")
        if e.get("type") in ("xinjiang_location", "xinjiang_name") and found:
            chinese = found.get("chinese_name")
            return f"{found.get('name')} ({chinese})" if chinese else str(found.get("name"))
    return None


def sectors(result: CheckResult) -> list[str]:
    found = [s.get("sector_id") for e in result.evidence for s in (e.get("sectors") or [])]
    return list(dict.fromkeys(str(s) for s in found if s))


def evidence_summaries(result: CheckResult) -> list[dict[str, Any]]:
    return [{"type": e["type"], "effect": e["effect"], "summary": e["summary"], "concerns": concerns(e)}
            for e in result.evidence]


def concerns(item: dict[str, Any]) -> dict[str, Any]:
    """What an evidence item is about: the party (pointer, role, name), or the goods line or input (and the
    input's supplier, when the record names one)."""
    found = item.get("concerns") or {}
    keep = ("pointer", "role", "name", "tier", "hs_code", "material", "party")
    return {k: found[k] for k in keep if k in found}


def cause_label(found: dict[str, Any]) -> str:
    if "role" in found:
        return f"{found['role']} {found.get('name')!r}"
    what = f"input {found['material']!r}" if "material" in found else f"goods (HS {found.get('hs_code')})"
    party = found.get("party")
    return f"{what} at {found.get('pointer')}" + (f", from {party['role']} {party['name']!r}" if party else "")


def causes(result: CheckResult) -> list[dict[str, Any]]:
    """The parties, goods lines or inputs whose evidence decides the verdict (none for a clear record)."""
    if result.verdict == "clear":
        return []
    found = [c for e in result.evidence if e.get("effect") == result.verdict and (c := concerns(e))]
    return list({str(c.get("pointer")): c for c in found}.values())


def caused_by(result: CheckResult) -> str:
    """`manufacturer 'X'; input 'polysilicon' at /goods/0/inputs/0`: who or what the verdict is about."""
    return "; ".join(cause_label(c) for c in causes(result))


def subject_name(result: CheckResult) -> str | None:
    """The name a report shows for the record: the party that caused its verdict, never another one (an
    importer is not named for its manufacturer's listing); for a clear supplier row, the supplier."""
    named = [c["name"] for c in causes(result) if "role" in c]
    if named:
        return str(named[0])
    return result.item.name if result.item.request.kind == "supplier" else None  # a supplier row has one party


def render(report: Report, fmt: str, out: TextIO) -> None:
    {"table": write_table, "json": write_json, "junit": write_junit, "sarif": write_sarif}[fmt](report, out)


def write_table(report: Report, out: TextIO) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    interactive = out.isatty()
    width = None if interactive or os.environ.get("COLUMNS") else 200  # CI logs: don't squeeze to 80
    console = Console(file=out, highlight=False, width=width)
    shown = [r for r in report.results if r.verdict != "clear"]
    if shown:
        table = Table(shown[0].item.unit, "reference", "caused by", "verdict", "score", "top match", "Xinjiang place")
        for r in shown:
            match = top_match(r)
            label = f"{match['source']} {match['entry_id']}: {match['name']} ({match['score']:.2f})" if match else ""
            label += f"\nvia {escape(match['via'])}" if match and match.get("via") else ""  # "[gleif]" is not markup
            table.add_row(str(r.item.line), r.item.reference, caused_by(r) or subject_name(r) or "",
                          f"[{COLOURS[r.verdict]}]{r.verdict}[/]", str(r.risk_score), label, place(r) or "")
        console.print(table)
    for warning in report.screened.list_warnings:
        console.print(f"warning: {warning}", style="yellow", markup=False)
    for r in report.results:
        for warning in r.warnings:
            console.print(f"warning: {warning}", style="yellow", markup=False)
    console.print(report.summary(), style="bold red" if report.hits else "green")


def record_json(report: Report, result: CheckResult) -> dict[str, Any]:
    return {"reference": result.item.reference, result.item.unit: result.item.line, "index": result.item.index,
            "name": subject_name(result), "caused_by": causes(result),
            "parties": [{"role": p.role, "name": p.name} for p in result.item.request.parties],
            "verdict": result.verdict, "risk_score": result.risk_score,
            "hit": report.is_hit(result), "summary": result.summary, "top_match": top_match(result),
            "place": place(result), "sectors": sectors(result), "evidence": evidence_summaries(result),
            "lists": report.screened.lists, "warnings": [*report.screened.list_warnings, *result.warnings]}


def write_json(report: Report, out: TextIO) -> None:
    for result in report.results:
        out.write(json.dumps(record_json(report, result), ensure_ascii=False) + "\n")


def write_junit(report: Report, out: TextIO) -> None:
    name = Path(report.path).name
    counts = {"tests": str(len(report.results)), "failures": str(len(report.hits)), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": "flrisk check", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": f"flrisk check {name}", **counts, "time": "0"})
    properties = ET.SubElement(suite, "properties")
    for key, value in {"file": report.path, "fail_on": report.fail_on, "engine": report.screened.engine,
                       **{f"list_version.{s}": v for s, v in report.screened.list_versions.items()},
                       **{f"list.{u['source']}": _list_text(u) for u in report.screened.lists},
                       **{f"list_warning.{i}": w for i, w in enumerate(report.screened.list_warnings, 1)}}.items():
        ET.SubElement(properties, "property", {"name": key, "value": value})
    for result in report.results:
        item = result.item
        case = ET.SubElement(suite, "testcase", {
            "classname": f"flrisk.{name}", "name": f"{item.where}: {item.label}",
            "file": report.path, "line": str(item.line), "time": "0"})
        if report.is_hit(result):
            failure = ET.SubElement(case, "failure", {"type": result.verdict,
                                                      "message": f"{caused_by(result)}: {result.summary}"})
            failure.text = "\n".join(f"[{e['effect']}] {e['summary']}" for e in evidence_summaries(result))
        elif result.verdict != "clear":
            ET.SubElement(case, "system-out").text = result.summary
        if result.warnings:
            ET.SubElement(case, "system-err").text = "\n".join(f"warning: {w}" for w in result.warnings)
    if report.screened.list_warnings:
        ET.SubElement(suite, "system-err").text = "\n".join(f"warning: {w}" for w in report.screened.list_warnings)
    ET.indent(root)
    out.write(ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n")


def _list_text(usage: dict[str, Any]) -> str:
    """`v1, 149 entries, snapshot 2026-06-26, last checked 2026-06-26, stale`."""
    return (f"v{usage['version']}, {usage['entry_count']} entries, snapshot {usage.get('snapshot_date')}, last checked "
            f"{str(usage.get('last_checked_at') or '')[:10]}" + (", stale" if usage.get("stale") else ""))


def artifact_uri(path: str) -> str:
    p = Path(path)
    return p.resolve().as_uri() if p.is_absolute() else quote(p.as_posix())


def write_sarif(report: Report, out: TextIO) -> None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        tool_version = version("flrisk")
    except PackageNotFoundError:
        tool_version = "0"
    rules = [{"id": f"flrisk/{level}", "name": level, "shortDescription": {"text": f"UFLPA risk: {level}"},
              "fullDescription": {"text": RULES[level]}, "helpUri": HELP_URI,
              "defaultConfiguration": {"level": SARIF_LEVEL[level]}} for level in LEVELS]
    rules.append({**INPUT_RULE, "helpUri": HELP_URI})
    uri = artifact_uri(report.path)
    results = [_sarif_result(r, uri) for r in report.hits]
    results += [_sarif_warning(r, w, uri) for r in report.results for w in r.warnings]
    run = {"tool": {"driver": {"name": "flrisk", "version": tool_version, "informationUri": HELP_URI,
                               "rules": rules}},
           "artifacts": [{"location": {"uri": uri}}], "results": results,
           "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": [
               {"level": "warning", "descriptor": {"id": "flrisk/lists"}, "message": {"text": w}}
               for w in report.screened.list_warnings]}],
           "properties": {"failOn": report.fail_on, "engine": report.screened.engine,
                          "listVersions": report.screened.list_versions, "lists": report.screened.lists,
                          "listWarnings": report.screened.list_warnings}}
    document = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def _sarif_result(result: CheckResult, uri: str) -> dict[str, Any]:
    deciding = [e["summary"] for e in evidence_summaries(result) if e["effect"] == result.verdict]
    text = f"{result.item.where} ({result.item.label}), {caused_by(result)}: {result.summary}"
    if len(deciding) > 1:
        text += "\n" + "\n".join(f"- {s}" for s in deciding)
    return {
        "ruleId": f"flrisk/{result.verdict}", "ruleIndex": LEVELS.index(result.verdict),
        "level": SARIF_LEVEL[result.verdict], "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri, "index": 0},
                                            "region": {"startLine": result.item.line}}}],
        "partialFingerprints": {"flrisk/reference": f"{result.item.reference}:{caused_by(result)}"},
        "properties": {"reference": result.item.reference, "riskScore": result.risk_score,
                       "causedBy": causes(result), "topMatch": top_match(result), "place": place(result)},
    }


def _sarif_warning(result: CheckResult, warning: str, uri: str) -> dict[str, Any]:
    return {
        "ruleId": INPUT_RULE["id"], "ruleIndex": len(LEVELS), "level": "warning",
        "message": {"text": f"{result.item.label}: {warning}"},  # the warning says its row or line
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri, "index": 0},
                                            "region": {"startLine": result.item.line}}}],
        "partialFingerprints": {"flrisk/reference": f"{result.item.reference}:{result.item.name}:{warning}"},
    }
