"""Lists: each source's active version, entry count, snapshot date and coverage; version history for admins."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from service.api.deps import SessionDep, SettingsDep
from service.errors import NotFoundError
from service.services import lists
from service.ui.render import not_found, page
from service.ui.session import PREFIX, AdminUser, ReadUser

router = APIRouter(prefix=PREFIX, include_in_schema=False)
LABELS = {
    "uflpa_entity_list": "UFLPA Entity List (DHS)",
    "cbp_wro": "Withhold release orders and findings (CBP)",
    "ofac_sdn": "OFAC SDN List, Xinjiang-related entries",
    "bis_entity_list": "BIS Entity List, Xinjiang-related entries",
}


@router.get("/lists")
def lists_page(request: Request, user: ReadUser, session: SessionDep, settings: SettingsDep) -> Response:
    sources = lists.sources(session, stale_after_days=settings.stale_after_days).data
    return page(request, "lists.html", {"sources": sources, "labels": LABELS,
                                        "stale_days": settings.stale_after_days}, user=user)


@router.get("/lists/{source}/versions")
def versions_page(request: Request, source: str, user: AdminUser, session: SessionDep) -> Response:
    try:
        versions = lists.versions(session, source).data
    except NotFoundError:
        return not_found(request, user, f"There is no list source {source!r}.")
    return page(request, "versions.html", {"source": source, "label": LABELS.get(source, source),
                                           "versions": versions}, user=user)
