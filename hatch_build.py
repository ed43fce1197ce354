"""Build hook: compile the pure screening domain (`service/screening/`) with mypyc into the wheel.

A normal `pip install .` builds a platform wheel with the compiled modules next to their sources. Where that
is not possible (no C compiler, `FLRISK_COMPILE=0`, mypyc missing or failing) the wheel is pure Python and
the same code runs interpreted; `service.native.build_mode()` tells which one is active at run time.
Editable installs stay interpreted so an edited source is what runs; `make compile` builds the modules in
place (`python hatch_build.py --inplace`) and `make uncompile` removes them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
PACKAGE = Path("service") / "screening"
MANIFEST = "_compiled.txt"  # source digest the compiled modules were built from (checked at import)
MYPY_CONFIG = "[mypy]\npython_version = 3.11\nignore_missing_imports = True\n"


def sources(root: Path = ROOT) -> list[Path]:
    """The modules compiled: every module of the screening package but its `__init__` (which picks the mode)."""
    return sorted(p.relative_to(root) for p in (root / PACKAGE).glob("*.py") if p.name != "__init__.py")


def digest(root: Path = ROOT) -> str:
    """One hash over the compiled modules' sources (and the C module's), so stale ones are never used."""
    h = hashlib.sha256()
    for path in sorted([*sources(root), *(p.relative_to(root) for p in (root / PACKAGE).glob("*.c"))]):
        h.update(path.name.encode() + b"\0" + (root / path).read_bytes())
    return h.hexdigest()


def compile_modules(build_lib: Path, *, inplace: bool) -> list[Path]:
    """Run mypyc and the C compiler; returns the built files relative to `build_lib` (or to ROOT in place)."""
    from mypyc.build import mypycify
    from setuptools import Distribution, Extension

    work = Path(tempfile.mkdtemp(prefix="flrisk-mypyc-"))
    cwd = Path.cwd()
    os.chdir(ROOT)  # mypyc names modules by their paths relative to the working directory
    try:
        config = work / "mypy.ini"
        config.write_text(MYPY_CONFIG)
        files = [str(p) for p in sources()]
        extensions = mypycify(["--config-file", str(config), *files], opt_level="3",
                              target_dir=str(work / "c"), group_name="flrisk_screening")
        # The shortlist's inner loop, hand-written C (service/screening/_postings.c).
        extensions.append(Extension("service.screening._postings", [str(PACKAGE / "_postings.c")],
                                    extra_compile_args=["-O2"]))
        dist = Distribution({"name": "flrisk-screening", "ext_modules": extensions})
        cmd: Any = dist.get_command_obj("build_ext")
        cmd.inplace = inplace
        cmd.build_lib = str(build_lib)
        cmd.build_temp = str(work / "tmp")
        dist.run_command("build_ext")
        outputs = [Path(o) for o in cmd.get_outputs()]
    finally:
        os.chdir(cwd)
        shutil.rmtree(work, ignore_errors=True)
    base = ROOT if inplace else build_lib
    manifest = base / PACKAGE / MANIFEST
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(digest() + "\n")
    return [o.resolve().relative_to(base.resolve()) for o in outputs] + [manifest.relative_to(base)]


def remove_inplace() -> None:
    for path in [*(ROOT / PACKAGE).glob("*.so"), *(ROOT / PACKAGE).glob("*.pyd"), ROOT / PACKAGE / MANIFEST,
                 *ROOT.glob("flrisk_screening__mypyc*")]:
        path.unlink(missing_ok=True)


try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # run as a script (`make compile`): hatchling is only in the build environment
    BuildHookInterface = object  # type: ignore[assignment,misc]


class CustomBuildHook(BuildHookInterface):  # type: ignore[misc,valid-type]
    """Adds the compiled modules to a regular wheel; falls back to a pure-Python wheel."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        if os.environ.get("FLRISK_COMPILE", "1") == "0":
            print("flrisk: FLRISK_COMPILE=0, building a pure-Python wheel", file=sys.stderr)
            return
        out = Path(tempfile.mkdtemp(prefix="flrisk-wheel-"))
        try:
            built = compile_modules(out, inplace=False)
        except Exception as exc:  # no compiler, no mypyc, a mypyc error: the same code runs interpreted
            print(f"flrisk: compiling service/screening failed ({exc!r}); building a pure-Python wheel",
                  file=sys.stderr)
            return
        for rel in built:
            build_data["force_include"][str(out / rel)] = str(rel)
        build_data["pure_python"] = False
        build_data["infer_tag"] = True


if __name__ == "__main__":
    if "--clean" in sys.argv:
        remove_inplace()
    else:
        remove_inplace()
        for built in compile_modules(ROOT, inplace=True):
            print(built)
