"""Which screening core runs: the mypyc-compiled modules of `service/screening/` (`hatch_build.py`) or their
Python sources. Installed by `service/__init__.py`, before any screening module is imported: compiled modules
are used only when they were built from the sources beside them (a digest), never with
`FLRISK_PURE_PYTHON=1`. It lives outside the domain because choosing a loader reads files; the domain stays
pure. `build_mode()` says which one is active."""


from __future__ import annotations

import hashlib
import importlib
import os
import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import EXTENSION_SUFFIXES, SOURCE_SUFFIXES, FileFinder, ModuleSpec, SourceFileLoader
from pathlib import Path
from types import ModuleType
from typing import Final, Literal

Mode = Literal["compiled", "interpreted"]
_HERE: Final = Path(__file__).resolve().parent / "screening"
_MANIFEST: Final = _HERE / "_compiled.txt"


def _digest() -> str:
    """The hash `hatch_build.digest` wrote when the compiled modules were built."""
    h = hashlib.sha256()
    found = [p for p in _HERE.glob("*.py") if p.name != "__init__.py"] + list(_HERE.glob("*.c"))
    for path in sorted(found, key=lambda p: p.name):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _compiled_usable() -> tuple[bool, str]:
    if os.environ.get("FLRISK_PURE_PYTHON") == "1":
        return False, "FLRISK_PURE_PYTHON=1"
    if not any(_HERE.glob(f"*{EXTENSION_SUFFIXES[0]}")):
        return False, "no compiled modules installed"
    try:
        built = _MANIFEST.read_text().strip()
    except OSError:
        return False, "compiled modules without their source digest"
    if built != _digest():
        return False, "compiled modules are older than their sources (run `make compile`)"
    return True, "mypyc"


class _SourcesOnly(MetaPathFinder):
    """Imports this package's modules from their `.py` sources even where compiled modules sit beside them."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
                  ) -> ModuleSpec | None:
        if not fullname.startswith(_PACKAGE + "."):
            return None
        spec = FileFinder(str(_HERE), (SourceFileLoader, SOURCE_SUFFIXES)).find_spec(fullname, target)
        if spec is None:  # a C-only module (`_postings`): its pure-Python fallback is used instead
            raise ModuleNotFoundError(f"{fullname} has no Python source", name=fullname)
        return spec


_PACKAGE: Final = "service.screening"
_USABLE, REASON = _compiled_usable()
if not _USABLE:
    sys.meta_path.insert(0, _SourcesOnly())


def build_mode() -> Mode:
    """'compiled' when the matcher's modules are mypyc extension modules in this process, else 'interpreted'."""
    # Looked up at run time, not imported here: this module sits below the domain it inspects.
    loaded = [importlib.import_module(f"{_PACKAGE}.{name}") for name in ("bound", "index", "matcher", "scoring")]
    compiled = all(str(m.__file__).endswith(tuple(EXTENSION_SUFFIXES)) for m in loaded)
    return "compiled" if compiled and getattr(loaded[1], "native_ranked", None) is not None else "interpreted"
