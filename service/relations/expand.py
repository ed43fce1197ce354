"""Keep the relations within a number of hops of the listed organisations, one streamed pass per hop.

The edges are read again for every hop instead of being held: a pass keeps the edges touching the current
frontier and makes their other ends the next frontier. Memory is what is kept, never the whole file.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

T = TypeVar("T")


def within_hops(seeds: Iterable[str], edges: Callable[[], Iterable[T]], ends: Callable[[T], tuple[str, str]],
                key: Callable[[T], Hashable], hops: int) -> list[T]:
    """Edges on paths of at most `hops` edges from any seed, each once (by `key`), in file order per pass."""
    reached = set(seeds)
    frontier = set(reached)
    kept: dict[Hashable, T] = {}
    for _ in range(hops):
        if not frontier:
            break
        found: set[str] = set()
        for edge in edges():
            a, b = ends(edge)
            if a in frontier or b in frontier:
                kept.setdefault(key(edge), edge)
                found.update(n for n in (a, b) if n not in reached)
        reached |= found
        frontier = found
    return list(kept.values())
