"""Choosing and wiring the batch job backend for a process."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from service.jobs.inline import InlineRunner
from service.lists.active import ListRegistry
from service.lists.usage import ListsUsed
from service.relations.active import RelationsRegistry
from service.screening.verdict import ScreeningContext
from service.services.context import ContextProvider, default_thresholds, screening_context, used_lists
from service.settings import Settings
from service.store import decisions_repo
from service.store.db import read_session


def context_provider(registry: ListRegistry, settings: Settings, relations: RelationsRegistry | None = None
                     ) -> ContextProvider:
    thresholds = default_thresholds(settings)

    def provide(org_id: str) -> tuple[ScreeningContext, dict[str, str], ListsUsed]:
        lists = registry.current()  # one consistent view for the whole chunk
        with read_session(registry.engine) as session:
            decisions = decisions_repo.active_map(session, org_id)
        view = relations.view_for(lists) if relations is not None else None
        labels = {**lists.version_labels(), **(view.versions if view is not None else {})}
        return screening_context(lists, thresholds, decisions, view), labels, used_lists(lists, settings)

    return provide


def uses_procrastinate(engine: Engine, settings: Settings) -> bool:
    if settings.jobs_backend == "auto":
        return engine.dialect.name == "postgresql"
    return settings.jobs_backend == "procrastinate"


def make_queue(engine: Engine, registry: ListRegistry, settings: Settings,
               relations: RelationsRegistry | None = None) -> InlineRunner | object:
    if uses_procrastinate(engine, settings):
        from service.jobs.worker import ProcrastinateQueue, ensure_schema, make_app

        app = make_app(settings.database_url)
        ensure_schema(settings.database_url)
        return ProcrastinateQueue(app)
    runner = InlineRunner(engine, context_provider(registry, settings, relations))
    runner.resume()
    return runner
