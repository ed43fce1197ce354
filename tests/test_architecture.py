"""The architecture, as a test (issue 16): every import arrow points down, the domain is pure, no module
imports another that imports it, one transaction owner per entry point, tenancy in the SQL `WHERE`.

`TestService` holds the rules over `service/`; a failure names each offending import or call with its file
and line. `TestRules` runs the same rules over a small made-up tree with one violation each, so each rule is
shown to catch what it is for (lazy imports included). The graph and the rules: `tests/architecture.py`.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests import architecture as arch


def _listed(found: list[object]) -> str:
    return "\n  " + "\n  ".join(str(f) for f in found)


class TestService:
    def test_only_the_http_layer_and_the_entry_points_import_the_api(self) -> None:
        found = arch.api_imports_from_below()
        assert not found, ("below the HTTP layer, import from service.errors, service.contracts or service.services "
                           "instead:" + _listed(found))

    def test_every_module_has_a_layer(self) -> None:
        assert not arch.unplaced_modules(), "add the package to LAYERS in tests/architecture.py: " + _listed(
            arch.unplaced_modules())

    def test_every_import_points_down(self) -> None:
        found = arch.upward_imports()
        assert not found, "imports of a higher layer (LAYERS in tests/architecture.py):" + _listed(found)

    def test_the_domain_imports_nothing_with_io_nor_a_framework(self) -> None:
        found = arch.impure_domain_imports()
        assert not found, ("service/screening/ imports only itself, the standard library without I/O and "
                           f"{sorted(arch.PURE_LIBRARIES)}:" + _listed(found))

    def test_the_domain_reads_and_writes_nothing(self) -> None:
        found = arch.io_calls_in_domain()
        assert not found, "I/O in service/screening/:" + _listed(found)

    def test_no_two_modules_import_each_other(self) -> None:
        found = arch.mutual_imports()
        assert not found, "modules importing each other (lazy imports included):" + _listed(found)

    def test_no_import_cycles(self) -> None:
        found = arch.cycles()
        assert not found, "modules importing one another in a circle:" + _listed(found)

    def test_only_the_session_module_commits_and_makes_sessions(self) -> None:
        found = arch.commits_and_sessions_elsewhere()
        assert not found, ("use service.store.db (transaction, read_session, on_commit); services and "
                           "repositories take the caller's session:" + _listed(found))

    def test_only_entry_points_open_a_transaction(self) -> None:
        found = arch.transactions_outside_entry_points()
        assert not found, ("the HTTP request, the CLI command, the worker task or start-up owns the transaction; "
                           "pass its session down:" + _listed(found))

    def test_the_console_and_the_api_share_services_not_routes(self) -> None:
        found = arch.cross_http_imports()
        assert not found, "call the service both use (service/services/) instead:" + _listed(found)

    def test_tenancy_is_in_the_where_clause(self) -> None:
        found = arch.tenancy_checks_by_hand()
        assert not found, ("read by (org_id, id) in the repository's WHERE (and the Own* dependencies of "
                           "service/api/owned.py):" + _listed(found))


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, source in {"service/__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), "utf-8")
    return root


class TestRules:
    """Each rule over a made-up `service/` tree that breaks it once."""

    @pytest.fixture
    def root(self, tmp_path: Path) -> Path:
        return _tree(tmp_path, {
            "service/api/__init__.py": "",
            "service/api/errors.py": "class ApiError(Exception): ...\n",
            "service/api/routes.py": "router = object()\n",
            "service/ui/__init__.py": "",
            "service/ui/page.py": "from service.api import routes\n",
            "service/services/__init__.py": "",
            "service/services/batches.py": """
                def create():
                    from service.api.errors import ApiError  # lazy, still an arrow
                    from . import keys
                    return ApiError, keys
                """,
            "service/services/keys.py": "from service.services.batches import create\n",
            "service/store/__init__.py": "",
            "service/store/db.py": "def transaction(engine): ...\n",
            "service/store/repo.py": """
                from service.store.db import transaction
                def get(session, org_id, row_id):
                    row = session.get(Row, row_id)
                    if row.org_id != org_id:
                        return None
                    with transaction(engine) as other:
                        other.commit()
                    return session.exec(select(Row).where(Row.org_id == org_id)).first()
                """,
            "service/screening/__init__.py": "",
            "service/screening/rules.py": """
                import pathlib
                import rapidfuzz
                from sqlmodel import Session
                from service.store import repo
                def load():
                    return open("rules.csv").read()
                """,
            "service/newthing.py": "",
        })

    def test_imports_of_the_api_from_below_lazy_ones_included(self, root: Path) -> None:
        assert [str(i) for i in arch.api_imports_from_below(root)] == [
            "service/services/batches.py:3: from service.api.errors import ApiError"]

    def test_upward_imports_and_unplaced_modules(self, root: Path) -> None:
        assert {(i.importer, i.target) for i in arch.upward_imports(root)} == {
            ("service.services.batches", "service.api.errors"), ("service.screening.rules", "service.store.repo")}
        assert arch.unplaced_modules(root) == ["service.newthing"]

    def test_impure_domain(self, root: Path) -> None:
        assert sorted(i.target for i in arch.impure_domain_imports(root)) == ["pathlib", "service.store.repo",
                                                                             "sqlmodel"]
        assert arch.io_calls_in_domain(root) == ["service/screening/rules.py:7: open(...)"]

    def test_modules_importing_each_other_relative_import_included(self, root: Path) -> None:
        [found] = arch.mutual_imports(root)
        assert found.startswith("service.services.batches <-> service.services.keys: ")
        assert arch.cycles(root) == [["service.services.batches", "service.services.keys"]]

    def test_commits_and_transactions_outside_their_owners(self, root: Path) -> None:
        assert arch.commits_and_sessions_elsewhere(root) == ["service/store/repo.py:8: commit(...)"]
        assert arch.transactions_outside_entry_points(root) == ["service/store/repo.py:7: transaction(...)"]

    def test_console_importing_an_api_route_module(self, root: Path) -> None:
        assert [str(i) for i in arch.cross_http_imports(root)] == [
            "service/ui/page.py:1: from service.api import routes"]

    def test_tenancy_compared_after_the_fetch_not_in_the_where(self, root: Path) -> None:
        assert arch.tenancy_checks_by_hand(root) == ["service/store/repo.py:5: row.org_id != org_id"]
