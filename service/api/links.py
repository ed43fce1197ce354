"""`Location` headers on create responses: where the created resource can be read."""

from __future__ import annotations

from typing import Any

from fastapi import Response

LOCATION: dict[str, Any] = {"Location": {"description": "Path of the created resource.",
                                         "schema": {"type": "string", "examples": ["/v1/screenings/<id>"]}}}


def location_doc(status: int) -> dict[int | str, dict[str, Any]]:
    """For a route's `responses=`: the success response carries `Location`."""
    return {status: {"headers": LOCATION}}


def set_location(response: Response, path: str) -> None:
    response.headers["Location"] = path
