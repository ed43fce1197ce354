"""RFC 9457 problem+json errors: one base class, one handler, validation errors in the same shape."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://flrisk.dev/problems/"


class FieldProblem(BaseModel):
    source: str = Field(description="Where the bad value is: body, query, path, header, file.",
                        examples=["body"])
    pointer: str = Field(description="JSON pointer to the field (RFC 6901), e.g. /parties/3/name.",
                         examples=["/parties/3/name"])
    detail: str = Field(description="What is wrong with it.", examples=["Field required"])
    row: int | None = Field(default=None, description="For an uploaded file: the spreadsheet row (header = 1).",
                            examples=[7])
    column: str | None = Field(default=None, description="For an uploaded file: the column's header.",
                               examples=["Vendor Name"])
    value: str | None = Field(default=None, description="For an uploaded file: the cell (at most 200 characters).",
                              examples=[""])


class Problem(BaseModel):
    """An error response (RFC 9457)."""

    type: str = Field(examples=[TYPE_BASE + "validation-error"])
    title: str = Field(examples=["Request validation failed"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["/parties/3/name: Field required"])
    errors: list[FieldProblem] | None = Field(default=None, description="One item per invalid field.")


class ApiError(Exception):
    status: int = 500
    slug: str = "internal-error"
    title: str = "Internal server error"

    def __init__(self, detail: str, *, errors: list[FieldProblem] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers

    @classmethod
    def response_doc(cls) -> dict[int | str, dict[str, Any]]:
        return {cls.status: {"description": cls.title, "content": problem_content()}}


def problem_content() -> dict[str, Any]:
    """The `content` of every documented error response: problem+json only (no `application/json`)."""
    return {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


class NotFoundError(ApiError):
    status, slug, title = 404, "not-found", "Not found"


class BadRequestError(ApiError):
    status, slug, title = 400, "bad-request", "Bad request"


class UnprocessableError(ApiError):
    status, slug, title = 422, "validation-error", "Request validation failed"


class ConflictError(ApiError):
    status, slug, title = 409, "conflict", "Conflict"


class ServiceUnavailableError(ApiError):
    status, slug, title = 503, "unavailable", "Service unavailable"


def problem_response(status: int, slug: str, title: str, detail: str,
                     errors: list[FieldProblem] | None = None, headers: dict[str, str] | None = None
                     ) -> JSONResponse:
    body = Problem(type=TYPE_BASE + slug, title=title, status=status, detail=detail, errors=errors)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_JSON,
                        headers=headers)


def _pointer(loc: tuple[int | str, ...]) -> tuple[str, str]:
    source = str(loc[0]) if loc else "body"
    path = loc[1:] if loc and loc[0] in ("body", "query", "path", "header", "cookie") else loc
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
    return source, "/" + "/".join(parts)


def validation_problems(exc: RequestValidationError) -> list[FieldProblem]:
    problems = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":  # loc is (body, char offset): no field to point at
            reason = (err.get("ctx") or {}).get("error", "")
            at = err.get("loc", ("body", 0))[-1]
            problems.append(FieldProblem(source="body", pointer="", detail=f"body is not valid JSON at character {at}: "
                                         f"{reason}".rstrip(": ")))
            continue
        source, pointer = _pointer(tuple(err.get("loc", ())))
        problems.append(FieldProblem(source=source, pointer=pointer, detail=str(err.get("msg", "invalid"))))
    return problems


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return problem_response(exc.status, exc.slug, exc.title, exc.detail, exc.errors, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = validation_problems(exc)
        first = problems[0] if problems else None
        detail = (f"{first.pointer}: {first.detail}" if first and first.pointer else first.detail) if first \
            else "invalid request"
        if len(problems) > 1:
            detail += f" (and {len(problems) - 1} more)"
        return problem_response(422, UnprocessableError.slug, UnprocessableError.title, detail, problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:
            # Only the framework raises HTTPException(400) here (our own errors are ApiError): a body it cannot
            # decode, i.e. JSON that is not UTF-8 or broken multipart framing. Answer the same 422 as for any
            # other malformed body (FastAPI's own for bad JSON syntax), so clients handle one shape.
            detail = str(exc.detail)
            if detail == _FASTAPI_BODY_ERROR:
                kind = request.headers.get("content-type", "").split(";")[0].strip() or "the declared type"
                detail = f"body could not be decoded as {kind}"
            problem = FieldProblem(source="body", pointer="", detail=detail)
            return problem_response(422, UnprocessableError.slug, UnprocessableError.title, detail, [problem])
        slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        return problem_response(exc.status_code, slug, str(exc.detail), str(exc.detail),
                                headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unhandled(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return problem_response(500, "internal-error", "Internal server error",
                                "An unexpected error occurred; it has been logged.")

    _document_problems(app)


_FASTAPI_BODY_ERROR = "There was an error parsing the body"


def _document_problems(app: FastAPI) -> None:
    """Every 4xx/5xx response in the OpenAPI document as problem+json, FastAPI's default 422 included.

    FastAPI documents its request-validation 422 as `application/json` with its own
    `HTTPValidationError` body; the handler above answers `application/problem+json` with `Problem`.
    """
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    if str(status)[:1] in ("4", "5"):
                        response["content"] = problem_content()
                        if str(status) == "422" and response.get("description") == "Validation Error":
                            response["description"] = UnprocessableError.title
        components = schema.get("components", {}).get("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):  # FastAPI's own, unused once replaced
            others = {k: v for k, v in components.items() if k != name}
            if name in components and f'"#/components/schemas/{name}"' not in json.dumps([schema["paths"], others]):
                del components[name]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
