"""The import graph of `service/` and the rules it must keep, for `tests/test_architecture.py`.

Every module is parsed with `ast`; imports at module level and inside functions (lazy imports) count alike.
`import a.b` and `from a import b` name the module `a.b` when it exists, else the package or module `a`;
relative imports are resolved. Each rule returns the offending imports or calls, worded for the failure
message. `python -m tests.architecture [ROOT]` prints the graph's figures for any checkout.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Entry points: processes and commands. With the HTTP layer they are the only modules that may import
# `service.api`, and with it and the workers the only ones that open a transaction.
ENTRY_POINTS = frozenset({"service.app", "service.cli", "service.batch_cli", "service.relations_cli",
                          "service.lists_cli",
                          "service.openapi_dump", "service.check.command", "service.check.__main__",
                          "service.prefork"})
HTTP = ("service.api", "service.ui")
# Layers, top down: a module may import its own layer and those below, never one above. A new package
# needs its line here (the test says so): decide where it sits before it imports anything.
LAYERS: tuple[tuple[str, ...], ...] = (
    tuple(sorted(ENTRY_POINTS)),
    HTTP,
    ("service.jobs", "service.bootstrap"),  # worker tasks and loops, process start-up
    ("service.services", "service.monitoring", "service.check"),  # use cases
    ("service.store", "service.lists", "service.relations", "service.batches", "service.reports",
     "service.observability", "service.auth", "service.refdata", "service.contracts", "service.errors"),
    ("service.screening",),  # the pure domain
    ("service", "service.settings", "service.paths", "service.countries", "service.timestamps", "service.native"),
)
# What the pure domain may import besides itself and the standard library: libraries that do no I/O.
PURE_LIBRARIES = frozenset({"rapidfuzz", "opencc", "pypinyin"})
IO_STDLIB = frozenset({"os", "io", "pathlib", "shutil", "glob", "tempfile", "fileinput", "socket", "ssl", "select",
                       "selectors", "subprocess", "signal", "asyncio", "sqlite3", "dbm", "shelve", "pickle", "urllib",
                       "http", "ftplib", "smtplib", "email", "mailbox", "webbrowser", "logging", "zipfile", "tarfile",
                       "gzip", "bz2", "lzma", "csv", "mmap", "multiprocessing", "concurrent"})
IO_BUILTINS = frozenset({"open", "print", "input"})
# The only module that commits and makes sessions; the modules that may open a transaction.
SESSION_MODULE = "service.store.db"
TRANSACTION_OWNERS = (*HTTP, "service.jobs", "service.bootstrap", *ENTRY_POINTS)


@dataclass(frozen=True)
class Import:
    importer: str
    target: str  # a module of `service`, or the top-level name of anything else
    location: str  # file:line
    statement: str

    def __str__(self) -> str:
        return f"{self.location}: {self.statement}"


@cache
def modules(root: Path = REPO) -> dict[str, Path]:
    found = {}
    for path in sorted((root / "service").rglob("*.py")):
        name = ".".join(path.relative_to(root).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def where(module: str, line: int, root: Path = REPO) -> str:
    return f"{modules(root)[module].relative_to(root)}:{line}"


@cache
def tree(module: str, root: Path = REPO) -> ast.Module:
    return ast.parse(modules(root)[module].read_text("utf-8"))


def _resolve(name: str, known: dict[str, Path]) -> str:
    while name not in known and "." in name:
        name = name.rpartition(".")[0]
    return name


def _native_module(name: str, root: Path) -> bool:
    """A C extension module built from a `.c` source beside the Python ones (the shortlist's `_postings`)."""
    return (root / (name.replace(".", "/") + ".c")).is_file()


def _base(node: ast.ImportFrom, module: str, root: Path) -> str:
    if not node.level:
        return node.module or ""
    package = module if modules(root)[module].name == "__init__.py" else module.rpartition(".")[0]
    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join([*parts, *([node.module] if node.module else [])])


def _targets(node: ast.stmt, module: str, root: Path) -> Iterator[str]:
    known = modules(root)
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield _resolve(alias.name, known) if alias.name.split(".")[0] == "service" else alias.name.split(".")[0]
    elif isinstance(node, ast.ImportFrom):
        base = _base(node, module, root)
        if base.split(".")[0] != "service":
            yield base.split(".")[0]
            return
        for alias in node.names:
            full = f"{base}.{alias.name}"
            yield full if full in known or _native_module(full, root) else _resolve(base, known)


@cache
def imports(root: Path = REPO) -> tuple[Import, ...]:
    found = []
    for module in modules(root):
        for node in ast.walk(tree(module, root)):
            if isinstance(node, ast.Import | ast.ImportFrom):
                targets = dict.fromkeys(_targets(node, module, root))
                found.extend(Import(module, t, where(module, node.lineno, root), ast.unparse(node)) for t in targets)
    return tuple(found)


def graph(root: Path = REPO) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in modules(root)}
    for imp in imports(root):
        if imp.target in edges and imp.target != imp.importer:
            edges[imp.importer].add(imp.target)
    return edges


def inside(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def layer(module: str) -> int | None:
    """The layer's number, 0 the top; the most specific prefix wins (`service.check.command` is an entry point).
    `service` itself names the package's `__init__` only."""
    best: tuple[int, int] | None = None
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            matches = module == prefix if prefix == "service" else inside(module, prefix)
            if matches and (best is None or len(prefix) > best[1]):
                best = (number, len(prefix))
    return None if best is None else best[0]


# --- the rules ---------------------------------------------------------------------------------------------

def api_imports_from_below(root: Path = REPO) -> list[Import]:
    return [i for i in imports(root) if inside(i.target, "service.api")
            and not inside(i.importer, *HTTP) and i.importer not in ENTRY_POINTS]


def impure_domain_imports(root: Path = REPO) -> list[Import]:
    def impure(imp: Import) -> bool:
        if imp.target.split(".")[0] == "service":
            return not inside(imp.target, "service.screening")
        if imp.target in sys.stdlib_module_names:
            return imp.target in IO_STDLIB
        return imp.target not in PURE_LIBRARIES and imp.target != "__future__"

    return [i for i in imports(root) if inside(i.importer, "service.screening") and impure(i)]


def io_calls_in_domain(root: Path = REPO) -> list[str]:
    return [f"{where(m, node.lineno, root)}: {node.func.id}(...)" for m in modules(root)
            if inside(m, "service.screening") for node in ast.walk(tree(m, root))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in IO_BUILTINS]


def mutual_imports(root: Path = REPO) -> list[str]:
    edges = graph(root)
    pairs = sorted({tuple(sorted((a, b))) for a, targets in edges.items() for b in targets if a in edges[b]})
    return [f"{a} <-> {b}: " + "; ".join(str(i) for i in imports(root) if {i.importer, i.target} == {a, b})
            for a, b in pairs]


def cycles(root: Path = REPO) -> list[list[str]]:
    """Every group of modules that import one another in a circle (strongly connected components)."""
    edges = graph(root)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def unplaced_modules(root: Path = REPO) -> list[str]:
    return [m for m in modules(root) if layer(m) is None]


def upward_imports(root: Path = REPO) -> list[Import]:
    def up(imp: Import) -> bool:
        low, high = layer(imp.importer), layer(imp.target)
        return low is not None and high is not None and high < low

    return [i for i in imports(root) if i.target in modules(root) and up(i)]


def _calls(root: Path, name: str) -> Iterator[tuple[str, int]]:
    """(module, line) of every call of `name(...)` or `<anything>.name(...)`."""
    for module in modules(root):
        for node in ast.walk(tree(module, root)):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) \
                    else None
                if called == name:
                    yield module, node.lineno


def commits_and_sessions_elsewhere(root: Path = REPO) -> list[str]:
    return [f"{where(m, line, root)}: {name}(...)" for name in ("commit", "Session")
            for m, line in _calls(root, name) if m != SESSION_MODULE]


def transactions_outside_entry_points(root: Path = REPO) -> list[str]:
    return [f"{where(m, line, root)}: transaction(...)" for m, line in _calls(root, "transaction")
            if m != SESSION_MODULE and not inside(m, *TRANSACTION_OWNERS)]


def route_modules(root: Path = REPO) -> set[str]:
    """Modules that define a module-level `router`."""
    return {m for m in modules(root) for node in tree(m, root).body if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "router" for t in node.targets)}


def cross_http_imports(root: Path = REPO) -> list[Import]:
    """The console importing an API route module, or the API importing the console."""
    routes = route_modules(root)
    return [i for i in imports(root) if (inside(i.importer, "service.ui") and inside(i.target, "service.api")
                                         and i.target in routes)
            or (inside(i.importer, "service.api") and inside(i.target, "service.ui"))]


def tenancy_checks_by_hand(root: Path = REPO) -> list[str]:
    """`x.org_id == ...` / `!= ...` outside a SQL `.where(...)`: a row fetched, then its organisation compared."""
    found = []
    for module in modules(root):
        in_where: set[int] = set()
        for node in ast.walk(tree(module, root)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "where":
                in_where.update(id(sub) for sub in ast.walk(node))
        for node in ast.walk(tree(module, root)):
            if isinstance(node, ast.Compare) and id(node) not in in_where and _compares_org(node):
                found.append(f"{where(module, node.lineno, root)}: {ast.unparse(node)}")
    return found


def _compares_org(node: ast.Compare) -> bool:
    sides: Iterable[ast.expr] = (node.left, *node.comparators)
    return any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops) and any(
        isinstance(side, ast.Attribute) and side.attr == "org_id" for side in sides)


def main(argv: list[str]) -> None:
    root = Path(argv[0]).resolve() if argv else REPO
    up = upward_imports(root)
    internal = sum(1 for i in imports(root) if i.target in modules(root))
    print(f"modules: {len(modules(root))}, imports of service modules: {internal}")
    print(f"upward imports: {len(up)}")
    for imp in up:
        print(f"  {imp} ({imp.importer} -> {imp.target})")
    print(f"imports of service.api from below: {len(api_imports_from_below(root))}")
    print(f"modules importing each other: {len(mutual_imports(root))}")
    for line in mutual_imports(root):
        print(f"  {line}")
    print(f"import cycles: {len(cycles(root))}", *cycles(root))
    print(f"commit()/Session() outside {SESSION_MODULE}: {len(commits_and_sessions_elsewhere(root))}")
    print(f"hand-written tenancy checks: {len(tenancy_checks_by_hand(root))}")
    print(f"modules without a layer: {unplaced_modules(root)}")


if __name__ == "__main__":
    main(sys.argv[1:])
