"""``serve --workers N``: uvicorn worker processes, each on a listening socket of its own.

uvicorn's own supervisor hands every worker one shared listening socket. A worker that wakes
first accepts every connection waiting (asyncio and libuv drain the queue in one go), so a burst
of keep-alive connections (a load test's clients, a proxy's pool) can all land on one worker and
leave the other cores idle: measured with 20 clients and 2 workers, 19, 20 and 18 of the 20
connections on one worker in three runs. Here each worker listens on a socket of its own, all
bound to the same address with ``SO_REUSEPORT``, and the kernel spreads new connections over
them by a hash of the client's address and port (8-12 of the 20 in the same runs). The sockets
listen from the start; a worker that stops answering is replaced on the same socket
(connections that arrive meanwhile wait in its queue).

Where ``SO_REUSEPORT`` does not spread connections (not Linux), uvicorn's supervisor runs as is.
"""

from __future__ import annotations

import importlib.util
import logging
import signal
import socket
import sys
import threading
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Process

from .malloc import limit_worker_arenas

__all__ = [
    "WORKER_APP",
    "Supervisor",
    "event_loop",
    "http_parser",
    "listeners",
    "run_workers",
    "spreads_connections",
]

log = logging.getLogger("uvicorn.error")
#: The app each worker builds (its own planner over the environment's catalog and store).
WORKER_APP = "smartpick.web.runtime:worker_app"


def event_loop() -> str:
    """uvicorn's ``loop``: uvloop (less CPU a request than asyncio's loop) where installed."""
    return "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"


def http_parser() -> str:
    """uvicorn's ``http``: httptools (a C parser; less CPU than h11) where installed."""
    return "httptools" if importlib.util.find_spec("httptools") else "h11"


def spreads_connections() -> bool:
    """Whether the kernel balances connections over ``SO_REUSEPORT`` listeners (Linux)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _bound(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        log.error(exc)
        sys.exit(STARTUP_FAILURE)
    return sock


def listeners(host: str, port: int, count: int, backlog: int) -> list[socket.socket]:
    """``count`` sockets listening on ``host:port`` with ``SO_REUSEPORT``, inheritable.

    The port must be free: another server on it, even one sharing with ``SO_REUSEPORT``, is an
    error (as with uvicorn's own socket), not a silent share. The sockets listen from the start,
    so the kernel counts each in from the first connection: one that comes before its worker has
    started (or while it is replaced) waits in its queue."""
    _bound(host, port, reuse_port=False).close()  # "address already in use" if it is taken
    out: list[socket.socket] = []
    for _ in range(count):
        sock = _bound(host, port, reuse_port=True)
        port = sock.getsockname()[1]  # port 0: the others join the first one's
        sock.listen(backlog)
        sock.set_inheritable(True)
        out.append(sock)
    return out


class Supervisor:
    """Worker processes, one per socket: started, replaced when one stops answering, stopped."""

    def __init__(self, config: uvicorn.Config, sockets: list[socket.socket]) -> None:
        self.config, self.sockets = config, sockets
        self.stop = threading.Event()
        self.processes = [Process(config, [sock]) for sock in sockets]

    def start(self) -> None:
        """Start every worker."""
        for process in self.processes:
            process.start()

    def check(self) -> None:
        """Replace a worker that is gone or hung by one on its socket; stop all if one could
        not start (the app is broken: another would fail the same way)."""
        for i, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                log.error("worker [%s] failed to start; stopping", process.pid)
                self.stop.set()
                return
            log.info("worker [%s] died; starting another", process.pid)
            self.processes[i] = Process(self.config, [self.sockets[i]])
            self.processes[i].start()

    def terminate(self) -> None:
        """Ask every worker to finish (SIGTERM: uvicorn's graceful shutdown) and wait for it."""
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.join()


def run_workers(workers: int, host: str, port: int, **options: Any) -> None:
    """Serve :data:`WORKER_APP` in ``workers`` processes on ``host:port`` until SIGINT/SIGTERM.

    ``options`` are uvicorn's (log level, keep-alive, ...). Each worker gets a socket of its own
    (see the module's docstring); without :func:`spreads_connections`, uvicorn's supervisor.
    Workers keep one malloc arena (:func:`smartpick.web.malloc.limit_worker_arenas`).
    """
    limit_worker_arenas()
    if not spreads_connections():
        uvicorn.run(WORKER_APP, factory=True, workers=workers, host=host, port=port, **options)
        return
    config = uvicorn.Config(
        WORKER_APP, factory=True, workers=workers, host=host, port=port, **options
    )
    sockets = listeners(host, port, workers, config.backlog)
    supervisor = Supervisor(config, sockets)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: supervisor.stop.set())
    supervisor.start()
    while not supervisor.stop.wait(0.5):
        supervisor.check()
    supervisor.terminate()
    for sock in sockets:
        sock.close()
