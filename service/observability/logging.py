"""JSON log lines carrying the current request id.

`configure_logging` installs one stderr handler on the root logger. Each record becomes one JSON
object per line: ts, level, logger, message, request_id and any `extra=` fields. uvicorn's own
access log is silenced: `RequestContextMiddleware` writes one access line per request instead,
with the route template and the request id.
"""

from __future__ import annotations

import json as jsonlib
import logging
import re
import sys
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

request_id_var: ContextVar[str | None] = ContextVar("flrisk_request_id", default=None)

_STANDARD = frozenset(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {"message", "asctime",
                                                                                   "color_message"}  # uvicorn
PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"


class RequestIdFilter(logging.Filter):
    """Stamps `record.request_id` from the context of the request being served (None outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        return True


_URL = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<user>[^/?#@\s\"']*@)?(?P<rest>[^?#\s\"']*)"
                  r"(?P<query>\?[^#\s\"']*)?")


def redact(text: object) -> str:
    """`text` with the credentials of every URL in it masked: user and password, and the query string (where
    receivers often put tokens). Webhook URLs are the tenant's secrets as much as its signing secret is."""
    return _URL.sub(lambda m: f"{m['scheme']}{'***@' if m['user'] else ''}{m['rest']}{'?***' if m['query'] else ''}",
                    str(text))


class RedactUrlsFilter(logging.Filter):
    """On the HTTP client's loggers (httpx, httpcore): the message is rendered and its URLs redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), None
        return True


def redact_http_client_logs() -> None:
    """Idempotent; called by every process that sends webhooks and by `configure_logging`."""
    for name in ("httpx", "httpcore"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactUrlsFilter) for f in logger.filters):
            logger.addFilter(RedactUrlsFilter())


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD and k not in entry})
        if record.exc_info:
            entry["exc"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return jsonlib.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str, json: bool = True) -> logging.Handler:
    """Replace the root console handler with one JSON (or plain-text) handler; route uvicorn's loggers to it."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json else logging.Formatter(PLAIN_FORMAT))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    for old in list(root.handlers):  # plain console handlers (basicConfig, an earlier call); test capture stays
        if type(old) is logging.StreamHandler:
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    access.disabled = True  # replaced by our own access line (flrisk.access)
    redact_http_client_logs()
    return handler
