"""The screening context dependency: active lists plus the reference data."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlmodel import Session

from service.api.auth import ScreenKey
from service.api.deps import ActiveListsDep, EngineDep, SettingsDep
from service.screening.verdict import ScreeningContext
from service.services.context import default_thresholds, screening_context
from service.store import decisions_repo


def get_screening_context(lists: ActiveListsDep, settings: SettingsDep, principal: ScreenKey,
                          engine: EngineDep) -> ScreeningContext:
    with Session(engine) as session:
        decisions = decisions_repo.active_map(session, principal.org_id)
    return screening_context(lists, default_thresholds(settings), decisions)


ScreeningContextDep = Annotated[ScreeningContext, Depends(get_screening_context)]
