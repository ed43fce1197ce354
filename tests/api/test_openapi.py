import json
from pathlib import Path

from service.openapi_dump import openapi_document

COMMITTED = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"


def test_committed_schema_matches_app() -> None:
    """Regenerate with `make openapi` after changing routes or models."""
    assert json.loads(COMMITTED.read_text("utf-8")) == json.loads(json.dumps(openapi_document()))


def test_errors_are_documented_as_problem_json() -> None:
    doc = openapi_document()
    response = doc["paths"]["/v1/lists/{source}/entries/{entry_id}"]["get"]["responses"]["404"]
    assert "application/problem+json" in response["content"]
