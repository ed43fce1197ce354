"""Interpreter settings for a serving process, applied while the app runs and undone at shutdown.

Garbage collection. A serving process holds a large, long-lived heap (the list index, reference data,
compiled models) that never becomes garbage, yet every full (generation 2) collection walks all of it:
tens of milliseconds each (measured: 70-120 ms here), landing on whatever request happens to allocate
at that moment. Once startup is done, `gc.freeze()` moves everything alive into the permanent
generation, which collections skip; objects made later (requests, a newly loaded list version) are
collected as usual. Reference counting still frees frozen objects that lose their last reference (an old
list version); cyclic garbage among them waits for shutdown, when `gc.unfreeze()` hands it back.

GIL switch interval. A request's screening runs in a worker thread and talks to the database several
times; after each round trip the thread must take the GIL back from whichever thread is computing, and
CPython makes it wait up to the switch interval (5 ms by default) before asking for it. Under load that
wait repeats per round trip and per request and dominates the tail. 1 ms gives the GIL back sooner
for a few percent more switching: in A/B runs on 2 cores, 2 workers, 300 screenings/s, p99 was 20-100 ms
with 1 ms against 58-180 ms with 5 ms.
"""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI

log = logging.getLogger(__name__)
SWITCH_INTERVAL_SECONDS = 0.001


def install_runtime_tuning(app: FastAPI) -> None:
    """When the app's own lifespan has started up: freeze the heap and shorten the GIL switch interval."""
    startup: Callable[[Any], AbstractAsyncContextManager[Any]] = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        async with startup(application) as state:
            gc.freeze()  # no collection first: startup garbage is small and is collected after `unfreeze`
            previous = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
            log.debug("froze %d startup objects out of garbage collection", gc.get_freeze_count())
            try:
                yield state
            finally:
                # Everything frozen becomes collectable again, so a process that starts many apps (the tests)
                # keeps nothing alive beyond its app.
                sys.setswitchinterval(previous)
                gc.unfreeze()

    app.router.lifespan_context = lifespan
