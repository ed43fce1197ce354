"""Evidence reports as self-contained HTML: a stored result (a plain dict) in, an HTML string out. No I/O.

Everything that comes from a user or a list (names, addresses, remarks) is escaped by Jinja's autoescape;
the only markup built here is the `<mark>` of a name diff (escaped piecewise) and the SVG bar geometry."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from service.reports.diff import highlight_diff
from service.screening.reasons import SOURCES
from service.screening.vocabulary import EFFECTS, VERDICTS

NOT_STATED = "not stated by the source"
COLOURS = {"presumption": "#b91c1c", "review": "#c2410c", "elevated": "#a16207", "clear": "#15803d",
           "informational": "#475569"}
MEANING = {
    "presumption": "UFLPA section 3 rebuttable presumption is triggered: goods are presumed made with forced labour "
                   "and barred under 19 U.S.C. 1307 unless rebutted with clear and convincing evidence.",
    "review": "A possible UFLPA match, or a CBP WRO / OFAC SDN / BIS Entity List match: a person must confirm it.",
    "elevated": "No entity or place hit, but a high-priority sector or documented inputs from China.",
    "clear": "Nothing found in the list versions checked (listed below, with how complete and current they were).",
}
_EFFECT_ORDER = {effect: i for i, effect in enumerate(EFFECTS)}  # most severe first


@cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("service.reports", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["stated"] = stated
    env.filters["when"] = when
    env.globals.update(highlight_diff=highlight_diff, colours=COLOURS, meaning=MEANING, NOT_STATED=NOT_STATED,
                       list_label=lambda source: SOURCES.get(source, source))
    return env


def stated(value: Any) -> Markup:
    """A source field, or a visible "not stated by the source" when the source left it out."""
    if value is None or value == "" or value == NOT_STATED or value == []:
        return Markup('<span class="not-stated">{}</span>').format(NOT_STATED)
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    return Markup("{}").format(value)


def when(value: Any, fmt: str = "%Y-%m-%d %H:%M:%S UTC") -> str:
    """A stored timestamp (datetime or ISO text) as UTC text; '—' when there is none."""
    if not value:  # None, "" or a missing key
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)  # stored timestamps are UTC
        return str(value.astimezone(UTC).strftime(fmt))
    return str(value)


def _now(generated_at: datetime | None) -> str:
    return when(generated_at or datetime.now(UTC))


def _evidence_view(item: Mapping[str, Any]) -> dict[str, Any]:
    view = dict(item)
    concerns, match, entry = item.get("concerns") or {}, item.get("match"), item.get("list_entry")
    view["names"] = None
    if match and concerns.get("name") and (match.get("matched_alias") or (entry or {}).get("name")):
        listed = match.get("matched_alias") or entry["name"]  # type: ignore[index]
        query_marked, listed_marked = highlight_diff(str(concerns["name"]), str(listed))
        view["names"] = {"query": query_marked, "listed": listed_marked,
                         "entry_name": (entry or {}).get("name"), "via_alias": listed != (entry or {}).get("name")}
    return view


def render_screening(result: Mapping[str, Any], *, generated_at: datetime | None = None) -> str:
    """One screening result (the stored `ScreeningResult` as a dict) as a printable evidence report."""
    evidence = sorted(result.get("evidence") or [], key=lambda e: _EFFECT_ORDER.get(e.get("effect", ""), 9))
    return _env().get_template("screening.html").render(
        r=result, evidence=[_evidence_view(e) for e in evidence], generated=_now(generated_at),
        checklist=result.get("rebuttal_checklist") or [], title=f"Screening {result.get('reference', '')}")


def bar_chart(items: Iterable[tuple[str, int, str]], *, width: int = 640, bar: int = 22, label: int = 230
              ) -> dict[str, Any]:
    """Geometry of a horizontal bar chart (label, value, colour) for the inline-SVG macro."""
    rows = [(str(name), int(value), colour) for name, value, colour in items]
    top = max((v for _, v, _ in rows), default=0) or 1
    span = width - label - 60
    bars = [{"label": name, "value": value, "colour": colour, "y": i * (bar + 8),
             "w": max(2, round(span * value / top)) if value else 0}
            for i, (name, value, colour) in enumerate(rows)]
    return {"bars": bars, "width": width, "height": max(1, len(rows)) * (bar + 8), "bar": bar, "label": label}


def _top_match(result: Mapping[str, Any]) -> str | None:
    matches = [e for e in result.get("evidence") or [] if e.get("match") and e.get("list_entry")]
    if not matches:
        return None
    best = max(matches, key=lambda e: e["match"].get("score") or 0)
    entry = best["list_entry"]
    return f"{entry.get('name')} ({entry.get('source')}, {best['match'].get('score', 0):.2f})"


def _place(result: Mapping[str, Any]) -> str | None:
    for e in result.get("evidence") or []:
        place = e.get("place")
        if place:
            return f"{place.get('name')} ({place.get('chinese_name') or '—'}, {place.get('level') or '—'})"
    return None


def _sectors(result: Mapping[str, Any]) -> set[str]:
    return {s.get("family") or s.get("sector_id") or "?" for e in result.get("evidence") or []
            for s in e.get("sectors") or []}


def render_batch(batch: Mapping[str, Any], findings: Sequence[Mapping[str, Any]], *,
                 generated_at: datetime | None = None, findings_total: int | None = None) -> str:
    """A batch summary: counts by verdict, charts, and the rows that were not clear as screened (dicts with the
    spreadsheet `row`, `name`, `verdict` and `risk_score` after decisions, `original_verdict`, `changed_by`,
    `screening_id` and `result` with the evidence)."""
    counts = {v: int((batch.get("counts") or {}).get(v, 0)) for v in VERDICTS}
    sector_rows: Counter[str] = Counter()
    rows = []
    for f in findings:
        result = f.get("result") or {}
        sector_rows.update(_sectors(result))
        rows.append({"row": f.get("row"), "name": f.get("name"), "verdict": f.get("verdict"),
                     "risk_score": f.get("risk_score"), "top_match": _top_match(result), "place": _place(result),
                     "original_verdict": f.get("original_verdict") or f.get("verdict"),
                     "changed_by": f.get("changed_by") or [], "screening_id": f.get("screening_id")})
    sectors = sector_rows.most_common(8)
    return _env().get_template("batch.html").render(
        b=batch, counts=counts, rows=rows, generated=_now(generated_at),
        findings_total=findings_total if findings_total is not None else len(rows),
        verdict_chart=bar_chart((v, counts[v], COLOURS[v]) for v in VERDICTS),
        sector_chart=bar_chart((name, n, "#334155") for name, n in sectors) if sectors else None,
        title=f"Batch {batch.get('filename') or batch.get('id', '')}")


class PdfUnavailable(RuntimeError):
    """WeasyPrint (or the pango library it needs) is not installed here."""


def html_to_pdf(html: str) -> bytes:
    """The report as PDF via WeasyPrint, imported lazily: it is an optional dependency needing pango."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped, unused-ignore]
    except (ImportError, OSError) as exc:  # OSError: the package is there but libpango is not
        raise PdfUnavailable(f"PDF output needs WeasyPrint and pango: {exc}") from exc
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
