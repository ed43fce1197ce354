"""The screening context (active lists + reference data), shared by the API and the batch workers."""

from __future__ import annotations

from collections.abc import Callable

from service.lists.active import ActiveLists
from service.lists.usage import ListsUsed, lists_used
from service.refdata.loaders import load_checklist, load_gazetteer, load_hs, load_sectors
from service.screening.decisions import Decisions
from service.screening.matcher import Thresholds
from service.screening.relations import RelationsView
from service.screening.verdict import ScreeningContext
from service.settings import Settings

# What a worker needs per chunk, for the batch's organisation: the screening context (with that
# organisation's decisions), the list-version labels it stands for and the lists' status (`lists`, `warnings`).
ContextProvider = Callable[[str], tuple[ScreeningContext, dict[str, str], ListsUsed]]


def used_lists(lists: ActiveLists, settings: Settings) -> ListsUsed:
    """What a result screened against `lists` says about them now (cached by the view, no database)."""
    return lists_used(lists, default_max_age_days=settings.stale_after_days)


def default_thresholds(settings: Settings) -> Thresholds:
    default = Thresholds()
    return Thresholds(strong=settings.match_strong if settings.match_strong is not None else default.strong,
                      review=settings.match_review if settings.match_review is not None else default.review)


def screening_context(lists: ActiveLists, thresholds: Thresholds, decisions: Decisions | None = None,
                      relations: RelationsView | None = None) -> ScreeningContext:
    return ScreeningContext(decisions=decisions or {}, relations=relations,
        index=lists.index, gazetteer=load_gazetteer(), hs=load_hs(), sectors=load_sectors(),
        checklist=load_checklist(), thresholds=thresholds, region_orders=lists.region_orders,
        xpcc_orders=lists.xpcc_orders,
    )
