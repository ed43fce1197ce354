"""Write the app's OpenAPI document: `python -m service.openapi_dump openapi/openapi.json`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from service.app import create_app
from service.settings import Settings


def openapi_document() -> dict[str, Any]:
    # The schema does not depend on the database; no lifespan runs here.
    return create_app(Settings(database_url="sqlite://")).openapi()


def render() -> str:
    return json.dumps(openapi_document(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


if __name__ == "__main__":
    Path(sys.argv[1] if len(sys.argv) > 1 else "openapi/openapi.json").write_text(render(), "utf-8")
