"""Logging in with an API key, logging out, and the console's home page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from service.api.auth import UnauthorizedError
from service.api.deps import EngineDep
from service.observability.ratelimit import RateLimitedError
from service.ui.render import page
from service.ui.session import (
    COOKIE,
    PREFIX,
    ConsoleUserDep,
    check_csrf,
    check_key,
    check_origin,
    clear_cookie,
    end_session,
    read,
    set_cookie,
    start_session,
)

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only a console path of this site: never an open redirect to another host."""
    if target and target.startswith(f"{PREFIX}/") and not target.startswith("//") and "\\" not in target:
        return target
    return f"{PREFIX}/"


@router.get("/login")
def login_form(request: Request, next: str | None = None, reason: str | None = None, bye: bool = False) -> Response:
    if read(request.app.state.secret, request.cookies.get(COOKIE)) and not reason:
        return RedirectResponse(safe_next(next), status_code=303)
    message = "You are logged out." if bye else None
    return page(request, "login.html", {"next": safe_next(next), "error": reason, "message": message})


@router.post("/login")
def login(request: Request, engine: EngineDep, api_key: Annotated[str, Form(max_length=500)] = "",
          next: Annotated[str, Form(max_length=2000)] = "") -> Response:
    check_origin(request)
    if not api_key.strip():
        return page(request, "login.html", {"next": safe_next(next), "error": "Enter your API key."}, status=400)
    try:
        principal = check_key(request, engine, api_key)
    except UnauthorizedError as exc:
        return page(request, "login.html", {"next": safe_next(next), "error": f"That key was refused: {exc.detail}."},
                    status=401)
    except RateLimitedError as exc:
        return page(request, "login.html", {"next": safe_next(next), "error": f"Too many attempts: {exc.detail}."},
                    status=429)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_cookie(response, request, start_session(engine, request.app.state.secret, principal.key_id))
    return response


@router.post("/logout")
def logout(request: Request, engine: EngineDep, user: ConsoleUserDep,
           csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Ends the session on the server too: the cookie, and any copy of it, no longer logs in."""
    check_csrf(request, user, csrf)
    end_session(engine, user.nonce)
    response = RedirectResponse(f"{PREFIX}/login?bye=1", status_code=303)
    clear_cookie(response, request)
    return response


@router.get("")
@router.get("/")
def home(user: ConsoleUserDep) -> Response:
    """Screeners start at the upload page; readers at their batches."""
    return RedirectResponse(f"{PREFIX}/upload" if user.can("screen") else f"{PREFIX}/batches", status_code=303)
