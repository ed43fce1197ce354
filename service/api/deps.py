"""FastAPI dependency aliases, declared once and used in every route signature.

Dependencies that only read app state are `async def`: FastAPI runs a plain `def` dependency in the
thread pool, a hop per dependency per request that costs more than the attribute lookup itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.lists.active import ActiveLists, ListRegistry
from service.relations.active import RelationsRegistry
from service.settings import Settings
from service.store.db import session_scope


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    """One transaction per request: commit on success, roll back on error. Repositories never commit."""
    with session_scope(engine) as session:
        yield session


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_registry(request: Request) -> ListRegistry:
    registry: ListRegistry = request.app.state.registry
    return registry


async def get_active_lists(registry: Annotated[ListRegistry, Depends(get_registry)]) -> ActiveLists:
    return registry.current()


async def get_relations(request: Request) -> RelationsRegistry:
    relations: RelationsRegistry = request.app.state.relations
    return relations


EngineDep = Annotated[Engine, Depends(get_engine)]
SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
RegistryDep = Annotated[ListRegistry, Depends(get_registry)]
ActiveListsDep = Annotated[ActiveLists, Depends(get_active_lists)]
RelationsDep = Annotated[RelationsRegistry, Depends(get_relations)]

# Beyond any real page; bounded so a huge offset is a 422, not an integer overflow in the database driver.
MAX_OFFSET = 1_000_000_000
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")]
