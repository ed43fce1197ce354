"""Every API route of an app, however the installed FastAPI nests included routers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from fastapi.routing import APIRoute


def api_routes(routes: Iterable[object], prefix: str = "") -> Iterator[tuple[APIRoute, str]]:
    """(route, full path) of each APIRoute. Recent FastAPI keeps included routers wrapped (with their
    prefix in `include_context`) instead of copying their routes into `app.routes`."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route, prefix + route.path
            continue
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from api_routes(inner.routes, prefix + (getattr(context, "prefix", "") or ""))
