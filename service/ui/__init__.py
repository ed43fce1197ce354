"""The web console for procurement and compliance analysts, served under /ui by the API's own app.

Server-rendered Jinja pages with a little plain JavaScript (no build step). Pages call the same services as
the API (uploads, findings, decisions, lists, reports) and authenticate with the same API keys, held in a
signed HttpOnly session cookie. No console route is part of the OpenAPI schema.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from service.ui import batches, decide, lists, login, review, screen, upload
from service.ui.render import HERE, page
from service.ui.session import PREFIX, ConsoleForbiddenError, LoginRequiredError, clear_cookie

UPLOAD_PATHS = (f"{PREFIX}/upload", f"{PREFIX}/upload/preview")  # bodies as large as API uploads


def install(app: FastAPI) -> None:
    """Add the console's routes, static files and error pages to `app`."""
    for module in (login, upload, screen, batches, review, decide, lists):
        app.include_router(module.router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="ui-static")

    @app.exception_handler(LoginRequiredError)
    async def _login(request: Request, exc: LoginRequiredError) -> Response:
        query = {"next": exc.next_path, **({"reason": exc.reason} if exc.reason else {})}
        response = RedirectResponse(f"{PREFIX}/login?{urlencode(query)}", status_code=303)
        if exc.reason:
            clear_cookie(response, request)
        return response

    @app.exception_handler(ConsoleForbiddenError)
    async def _forbidden(request: Request, exc: ConsoleForbiddenError) -> Response:
        return page(request, "error.html", {"title": "Not allowed", "message": exc.message}, status=403)
