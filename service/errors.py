"""Typed errors and their RFC 9457 problem+json form, for every layer.

Services, repositories' callers, middlewares and the console raise these; the HTTP layer's handlers
(`service.api.handlers`) render them. An error carries its HTTP status, a slug for the problem `type`, a
title, the detail and, for bad input, one `FieldProblem` per field (JSON pointer). Only pydantic and
starlette are needed here, so no module has to import the HTTP layer to report an error.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from starlette.responses import JSONResponse

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


class ServiceError(Exception):
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
        """For a route's `responses=`: this error, documented as problem+json."""
        return {cls.status: {"description": cls.title, "content": problem_content()}}


def problem_content() -> dict[str, Any]:
    """The `content` of every documented error response: problem+json only (no `application/json`)."""
    return {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


class BadRequestError(ServiceError):
    status, slug, title = 400, "bad-request", "Bad request"


class UnauthorizedError(ServiceError):
    status, slug, title = 401, "unauthorized", "Missing or invalid API key"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="flrisk"'})


class ForbiddenError(ServiceError):
    status, slug, title = 403, "forbidden", "API key lacks the scope"


class MetricsTokenError(ServiceError):
    status, slug, title = 403, "forbidden", "Metrics need the operator's token"


class NotFoundError(ServiceError):
    status, slug, title = 404, "not-found", "Not found"


class PdfUnavailableError(ServiceError):
    status, slug, title = 406, "pdf-unavailable", "PDF output unavailable"


class ConflictError(ServiceError):
    status, slug, title = 409, "conflict", "Conflict"


class PayloadTooLargeError(ServiceError):
    status, slug, title = 413, "payload-too-large", "Upload too large"


class UnprocessableError(ServiceError):
    status, slug, title = 422, "validation-error", "Request validation failed"


class RateLimitedError(ServiceError):
    status, slug, title = 429, "rate-limited", "Too many requests"


class ServiceUnavailableError(ServiceError):
    status, slug, title = 503, "unavailable", "Service unavailable"


def problem_response(status: int, slug: str, title: str, detail: str,
                     errors: list[FieldProblem] | None = None, headers: dict[str, str] | None = None
                     ) -> JSONResponse:
    body = Problem(type=TYPE_BASE + slug, title=title, status=status, detail=detail, errors=errors)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_JSON,
                        headers=headers)


def error_response(exc: ServiceError) -> JSONResponse:
    return problem_response(exc.status, exc.slug, exc.title, exc.detail, exc.errors, exc.headers)
