"""Rendering console pages: one Jinja environment, security headers, and small display filters."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import Response

from service import __version__
from service.reports.render import COLOURS, MEANING
from service.reports.render import when as utc_text
from service.screening.vocabulary import VERDICTS
from service.ui.session import ConsoleUser

HERE = Path(__file__).parent
# Pages are rendered per user: never cached, never framed; scripts and styles only from /ui/static.
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
}
DECISION_COLOURS = {"false_positive": "#0f766e", "confirmed": "#7f1d1d"}  # white text: contrast over 5:1
FIELD_LABELS = {
    "name": "Supplier name", "chinese_name": "Chinese name (汉字)", "country": "Country", "address": "Address",
    "city": "City", "hs_code": "HS code", "reference": "Your reference / vendor id", "type": "Party type",
}


def when(value: Any) -> str:
    """A stored timestamp as UTC text to the minute; '—' when there is none."""
    return utc_text(value, "%Y-%m-%d %H:%M UTC")


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def megabytes(size: int | None) -> str:
    if size is None:
        return "—"
    if size >= 2**20:
        return f"{size / 2**20:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1024))} KB"


@cache
def templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(when=when, duration=duration, megabytes=megabytes)
    env.globals.update(colours={**COLOURS, **DECISION_COLOURS}, meaning=MEANING, verdicts=VERDICTS,
                       field_labels=FIELD_LABELS, version=__version__)
    return Jinja2Templates(env=env)


def page(request: Request, name: str, context: dict[str, Any] | None = None, *, user: ConsoleUser | None = None,
         status: int = 200) -> Response:
    """A console page (or fragment) with the user, the CSRF token and the security headers."""
    ctx = {"user": user, "csrf": user.csrf if user else "", "path": request.url.path, **(context or {})}
    return templates().TemplateResponse(request, name, ctx, status_code=status, headers=HEADERS)


def not_found(request: Request, user: ConsoleUser, message: str) -> Response:
    return page(request, "error.html", {"title": "Not found", "message": message}, user=user, status=404)
