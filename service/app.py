"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline

from service import __version__, native
from service.api import (
    admin,
    alerts,
    batches,
    decisions,
    health,
    lists,
    match,
    metrics,
    relations,
    reports,
    screenings,
    suppliers,
    webhooks,
)
from service.api.handlers import install_error_handlers
from service.auth.encryption import SecretBox, old_secrets
from service.auth.keys import resolve_secret
from service.bootstrap import admin_key_path, first_admin_key, prepare_database
from service.errors import Problem
from service.jobs.deliveries import DeliveryLoop
from service.jobs.rescreen import on_lists_changed
from service.jobs.runner import make_queue
from service.lists.active import ListRegistry
from service.monitoring.egress import EgressPolicy
from service.monitoring.webhook_secrets import encrypt_plaintext
from service.native import build_mode
from service.observability import RateLimitConfig, install_observability
from service.observability.logging import configure_logging
from service.relations.active import RelationsRegistry
from service.reports.fonts import warn_if_missing
from service.settings import Settings, get_settings
from service.store.db import make_engine, transaction
from service.ui.console import UPLOAD_PATHS
from service.ui.console import install as install_console

DESCRIPTION = """Forced-labour (UFLPA) risk screening: fuzzy-matches parties against Xinjiang-linked
lists (UFLPA Entity List, CBP withhold release orders, OFAC SDN and BIS Entity List entries), detects
Xinjiang locations, scores HS-code exposure and returns a rebuttable-presumption verdict with evidence.
Errors are RFC 9457 `application/problem+json`."""

TAGS = [
    {"name": "lists", "description": "Source lists, their versions and entries."},
    {"name": "match", "description": "Name matching against the lists, with explanations."},
    {"name": "screenings", "description": "Verdicts with evidence for shipment and supplier records."},
    {"name": "batches", "description": "Supplier-list uploads screened as jobs; results as CSV, XLSX, JSON."},
    {"name": "decisions", "description": "Analyst decisions on matches: false positives and confirmations."},
    {"name": "monitoring", "description": "Monitored suppliers, alerts on list changes, signed webhooks."},
    {"name": "reports", "description": "Printable evidence reports (HTML, PDF) for screenings and batches."},
    {"name": "admin", "description": "API keys and the audit trail (admin scope)."},
    {"name": "health", "description": "Liveness and readiness probes."},
    {"name": "relations", "description": "Ownership, branches and links around listed entities (GLEIF, "
                                         "OpenSanctions, the lists' own group wording)."},
]


def _operation_id(route: APIRoute) -> str:
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        prepare_database(engine, settings)
        app.state.secret = resolve_secret(settings.secret_key, settings.database_url)
        app.state.secret_box = SecretBox(app.state.secret, old_secrets(settings.old_secret_keys))
        with transaction(engine) as session:
            encrypt_plaintext(session, app.state.secret_box)
        app.state.egress = EgressPolicy.from_setting(settings.webhook_allowed_networks)
        if first_admin_key(engine, settings):  # the key goes to its 0600 file only, never to the log
            logging.getLogger("flrisk").warning("first admin API key created and saved to %s",
                                                admin_key_path(settings))
        log_matcher_mode()
        registry = ListRegistry(engine, poll_seconds=settings.list_poll_seconds)
        registry.refresh()
        registry.start_polling()
        app.state.engine, app.state.registry, app.state.settings = engine, registry, settings
        app.state.relations = RelationsRegistry(engine, max_hops=settings.relations_max_hops,
                                                poll_seconds=settings.list_poll_seconds)
        app.state.relations.start_polling()
        app.state.jobs = make_queue(engine, registry, settings, app.state.relations)
        registry.on_change = partial(on_lists_changed, engine, queue=app.state.jobs)
        on_lists_changed(engine, registry.current().pointers, app.state.jobs)  # a list changed while down
        app.state.deliveries = DeliveryLoop(engine, box=app.state.secret_box, egress=app.state.egress)
        app.state.deliveries.start()
        warn_if_missing()  # PDF reports need a CJK font for Chinese names
        try:
            yield
        finally:
            registry.on_change = None
            app.state.deliveries.stop()
            app.state.jobs.shutdown()
            app.state.relations.stop()
            registry.stop()
            engine.dispose()

    configure_logging(settings.log_level, json=settings.log_json)
    # /docs and /redoc load Swagger UI and ReDoc from the installed fastapi-offline package, not from a CDN:
    # the pages work on an air-gapped install.
    app: FastAPI = FastAPIOffline(title="flrisk", version=__version__, description=DESCRIPTION, openapi_tags=TAGS,
                         lifespan=lifespan, generate_unique_id_function=_operation_id)
    install_error_handlers(app)
    for module in (health, lists, match, screenings, batches, decisions, suppliers, alerts, webhooks, reports, admin,
                   relations):
        app.include_router(module.router)
    install_console(app)  # the web console under /ui (not in the OpenAPI schema)
    install_observability(app, body_limit=settings.max_body_bytes, upload_limit=settings.max_upload_bytes,
                          upload_paths=("/v1/batches", *UPLOAD_PATHS),
                          rate_limit=RateLimitConfig(settings.rate_limit_enabled, settings.rate_limit_per_second,
                                                     settings.rate_limit_burst,
                                                     settings.rate_limit_failed_auth_per_second,
                                                     settings.rate_limit_failed_auth_burst))
    app.include_router(metrics.router)  # for the operator's scraper: not in the OpenAPI schema
    _register_problem_schema(app)
    _keep_published_names(app)
    return app


def log_matcher_mode() -> None:
    """One start-up line saying whether the screening core runs compiled (mypyc) or interpreted, and why."""
    mode = build_mode()
    why = "" if mode == "compiled" else f" ({native.REASON})"
    logging.getLogger("flrisk").info("screening core: %s%s", mode, why)


def _register_problem_schema(app: FastAPI) -> None:
    """Expose `Problem` under components/schemas so every error response can reference it."""
    original = app.openapi

    def openapi() -> dict[str, object]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in problem.pop("$defs", {}).items():
            components.setdefault(name, sub)
        components.setdefault("Problem", problem)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


# Component names are part of the published contract. Pydantic names a model after its class, and after its
# module path where two models share a class name (the match and the screening `PartyIn`): these are the
# names published before the models moved to `service.contracts`, kept so the document does not change.
PUBLISHED_NAMES = {"service__contracts__match__PartyIn": "service__api__schemas_match__PartyIn",
                   "service__contracts__screening__PartyIn": "service__api__schemas_screening__PartyIn"}


def _keep_published_names(app: FastAPI) -> None:
    original = app.openapi

    def openapi() -> dict[str, object]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        components = schema.get("components", {}).get("schemas", {})
        renamed = {PUBLISHED_NAMES.get(name, name): body for name, body in components.items()}
        components.clear()
        components.update(renamed)
        _rename_refs(schema, {f"#/components/schemas/{a}": f"#/components/schemas/{b}"
                              for a, b in PUBLISHED_NAMES.items()})
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _rename_refs(node: object, refs: dict[str, str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref in refs:
            node["$ref"] = refs[ref]
        for value in node.values():
            _rename_refs(value, refs)
    elif isinstance(node, list):
        for value in node:
            _rename_refs(value, refs)
