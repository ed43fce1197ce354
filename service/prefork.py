"""`flrisk serve --workers N`: build the list index once, then fork the workers so they share it.

uvicorn's own multi-process mode spawns fresh interpreters: each imports everything and builds its own index
(a full SDN file: about 200 MB and several seconds per worker). Here the parent binds the socket, imports the
app and builds the active list view once, freezes the garbage collector (so collections in the workers never
write to the shared objects' headers), then forks the workers: they start with the parent's memory shared
copy-on-write, and each worker's `ListRegistry` adopts the prebuilt view while the database's active versions
are still the ones it was built from. A worker that dies is replaced; SIGTERM or SIGINT stop them all.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable
from types import FrameType

import uvicorn

log = logging.getLogger("flrisk")


def _worker(config: uvicorn.Config, sock: socket.socket) -> None:
    """Runs in the child: one uvicorn server on the inherited socket, then exit without the parent's atexit."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, signal.SIG_DFL)
    code = 0
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except BaseException:  # reported, then the process ends
        log.exception("worker %d failed", os.getpid())
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve_prefork(config: uvicorn.Config, workers: int, preload: Callable[[], None]) -> None:
    """Bind, `preload()` once, fork `workers` servers and supervise them until SIGTERM or SIGINT."""
    sock = config.bind_socket()
    preload()
    gc.freeze()  # everything so far is shared with the workers: keep collections off it
    children: set[int] = set()
    stopping = False

    def spawn() -> None:
        pid = os.fork()
        if pid == 0:
            _worker(config, sock)
        children.add(pid)

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                children.discard(pid)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(workers):
        spawn()
    log.info("serving with %d forked workers (pids %s)", workers, sorted(children))
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        children.discard(pid)
        if not stopping:
            log.warning("worker %d exited (status %d); starting another", pid, status)
            spawn()
    sock.close()
