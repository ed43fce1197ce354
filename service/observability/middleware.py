"""ASGI middlewares: request id + access log, and the request-body size limit.

Pure ASGI (no BaseHTTPMiddleware) so streamed responses and uploads pass through untouched.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections import Counter
from typing import Any
from urllib.parse import parse_qsl
from weakref import WeakKeyDictionary

from fastapi import FastAPI
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import FieldProblem, problem_response
from service.observability.logging import request_id_var

access_log = logging.getLogger("flrisk.access")
HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
QUIET_PATHS = frozenset({"/health", "/ready", "/metrics"})  # probes and scrapes log at DEBUG
UNMATCHED = "<unmatched>"


def route_template(scope: Scope) -> str:
    """The route's path template (`/v1/lists/{source}/entries`), never the raw path (unbounded labels).

    After routing Starlette leaves the route in `scope["route"]`; requests refused before routing
    (413, 429) are matched against the documented paths of the app's OpenAPI schema, a public and
    version-stable view of the routes (FastAPI's own route tree is internal and has changed shape).
    """
    route = scope.get("route")
    if route is not None:
        return str(getattr(route, "path", UNMATCHED))
    for method_names, pattern, template in _documented_routes(scope.get("app")):
        if scope.get("method", "").lower() in method_names and pattern.fullmatch(scope["path"]):
            return template
    return UNMATCHED


_ROUTE_TABLES: WeakKeyDictionary[Any, list[tuple[frozenset[str], re.Pattern[str], str]]] = WeakKeyDictionary()


def _documented_routes(app: Any) -> list[tuple[frozenset[str], re.Pattern[str], str]]:
    if app is None or not hasattr(app, "openapi"):
        return []
    if app not in _ROUTE_TABLES:
        try:
            paths: dict[str, dict[str, Any]] = app.openapi().get("paths", {})
        except Exception:  # a label is not worth failing a request for
            logging.getLogger(__name__).warning("no route table for metrics labels", exc_info=True)
            paths = {}
        _ROUTE_TABLES[app] = [(frozenset(ops), _template_regex(path), path) for path, ops in paths.items()]
    return _ROUTE_TABLES[app]


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join((".+" if p.endswith(":path}") else "[^/]+") if p.startswith("{") else re.escape(p)
                              for p in parts))


def incoming_request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            candidate: str = value.decode("latin-1")
            if _VALID_ID.fullmatch(candidate):
                return candidate
            break
    return uuid.uuid4().hex


class RequestContextMiddleware:
    """Takes or makes the request id, echoes it in the response and writes one access line."""

    layer = 0  # outermost: sees every response, 413 and 429 included

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = incoming_request_id(scope)
        token = request_id_var.set(request_id)
        started, status = time.perf_counter(), 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status, response_started = message["status"], True
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Unhandled errors are rendered by Starlette's outermost layer, which this middleware
            # cannot reach: answer the same problem+json here so the id is on the 500 too, and keep
            # the id in context so the error handler's log line carries it.
            if not response_started:
                await problem_response(500, "internal-error", "Internal server error",
                                       "An unexpected error occurred; it has been logged.",
                                       headers={HEADER: request_id})(scope, receive, send)
                status = 500
            self._log(scope, status, started)
            raise
        self._log(scope, status, started)
        request_id_var.reset(token)

    @staticmethod
    def _log(scope: Scope, status: int, started: float) -> None:
        route = route_template(scope)
        client = scope.get("client")
        level = logging.DEBUG if route in QUIET_PATHS else logging.INFO
        access_log.log(level, "%s %s %d", scope["method"], route, status, extra={
            "method": scope["method"], "route": route, "path": scope["path"], "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            "client": f"{client[0]}:{client[1]}" if client else None})


class BodyTooLargeError(Exception):
    pass


class BodyLimitMiddleware:
    """Refuses request bodies over a byte limit with 413 problem+json.

    Content-Length is checked before the app runs; chunked uploads are counted as they stream and
    cut off at the limit. `overrides` maps exact paths to their own limit (uploads).
    """

    layer = 3  # innermost of ours: next to the app, after the cheaper rate-limit check

    def __init__(self, app: ASGIApp, default_bytes: int, overrides: dict[str, int] | None = None) -> None:
        self.app, self.default, self.overrides = app, default_bytes, dict(overrides or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.overrides.get(scope["path"].rstrip("/") or "/", self.default)
        declared = _content_length(scope)
        if declared is not None:
            if declared > limit:
                await _too_large(limit)(scope, receive, send)
            else:  # the server never delivers more than a declared Content-Length: nothing left to count
                await self.app(scope, receive, send)
            return
        received, exceeded, started = 0, False, False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:  # the app answered after its read failed: replace that answer
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except BodyTooLargeError:
            pass
        if exceeded and not started:
            await _too_large(limit)(scope, receive, send)


class RepeatedQueryMiddleware:
    """422 for a query parameter sent more than once where the operation documents a single value.

    Starlette keeps every value and FastAPI silently uses the last, so `?verdict=clear&verdict=review`
    would be answered as if only `review` had been asked for. Parameters documented as arrays
    (`?verdict=a&verdict=b` on batch results) and undocumented ones are left alone. Only requests whose
    query string repeats a name pay for the lookup, which uses the app's OpenAPI document.
    """

    layer = 4  # innermost: only requests that passed the limits

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("query_string"):
            counts = Counter(name for name, _ in parse_qsl(scope["query_string"].decode("latin-1"),
                                                           keep_blank_values=True))
            if counts and max(counts.values()) > 1:
                repeated = sorted({n for n, c in counts.items() if c > 1} & _single_valued(scope))
                if repeated:
                    problems = [FieldProblem(source="query", pointer=f"/{n}", detail="given more than once; this "
                                             "parameter takes one value") for n in repeated]
                    await problem_response(422, "validation-error", "Request validation failed",
                                           f"/{repeated[0]}: given more than once; this parameter takes one value",
                                           problems)(scope, receive, send)
                    return
        await self.app(scope, receive, send)


_SINGLE_VALUED: WeakKeyDictionary[Any, list[tuple[re.Pattern[str], dict[str, frozenset[str]]]]] = WeakKeyDictionary()


def _single_valued(scope: Scope) -> frozenset[str]:
    """Names of the query parameters the matched operation documents as one value (not an array)."""
    app = scope.get("app")
    if app is None or not hasattr(app, "openapi"):
        return frozenset()
    if app not in _SINGLE_VALUED:
        table = []
        for path, operations in app.openapi().get("paths", {}).items():
            by_method = {method.upper(): frozenset(p["name"] for p in op.get("parameters", [])
                                                   if p.get("in") == "query" and not _is_array(p.get("schema", {})))
                         for method, op in operations.items()}
            table.append((_template_regex(path), by_method))
        _SINGLE_VALUED[app] = table
    for pattern, by_method in _SINGLE_VALUED[app]:
        if pattern.fullmatch(scope["path"]):
            return by_method.get(scope["method"], frozenset())
    return frozenset()


def _is_array(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "array" or any(_is_array(s) for s in schema.get("anyOf", []))


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _too_large(limit: int) -> ASGIApp:
    return problem_response(413, "payload-too-large", "Request body too large",
                            f"the request body exceeds this endpoint's limit of {limit} bytes")


def install_request_context(app: FastAPI) -> None:
    set_middleware(app, RequestContextMiddleware)


def install_repeated_query_check(app: FastAPI) -> None:
    set_middleware(app, RepeatedQueryMiddleware)


def install_body_limit(app: FastAPI, *, default_bytes: int, overrides: dict[str, int] | None = None) -> None:
    set_middleware(app, BodyLimitMiddleware, default_bytes=default_bytes, overrides=overrides)


def set_middleware(app: FastAPI, cls: Any, **options: Any) -> None:
    """Add `cls` at its layer, or replace its options in place when already added.

    Our middlewares carry a `layer` (0 = outermost), so they nest the same whatever order they are
    installed in, and installing twice (create_app, then a test with a tiny limit) never stacks two.
    """
    if app.middleware_stack is not None:
        raise RuntimeError("cannot change middleware after the application has started")
    entry = Middleware(cls, **options)
    stack = app.user_middleware
    for i, existing in enumerate(stack):
        if existing.cls is cls:
            stack[i] = entry
            return
    layer = getattr(cls, "layer", 0)
    inner = [i for i, m in enumerate(stack) if getattr(m.cls, "layer", -1) > layer]
    stack.insert(inner[0] if inner else len(stack), entry)
