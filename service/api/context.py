"""The screening context dependency: active lists plus the reference data, built per request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from service.api.deps import ActiveListsDep, SettingsDep
from service.api.party_query import thresholds_for
from service.refdata.loaders import load_checklist, load_gazetteer, load_hs, load_sectors
from service.screening.verdict import ScreeningContext


def get_screening_context(lists: ActiveListsDep, settings: SettingsDep) -> ScreeningContext:
    return ScreeningContext(
        index=lists.index, gazetteer=load_gazetteer(), hs=load_hs(), sectors=load_sectors(),
        checklist=load_checklist(), thresholds=thresholds_for(settings, None),
        region_orders=lists.region_orders, xpcc_orders=lists.xpcc_orders,
    )


ScreeningContextDep = Annotated[ScreeningContext, Depends(get_screening_context)]
