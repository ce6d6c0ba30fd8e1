"""A server worker's process settings: the garbage collector tuned for a long-lived planner.

A worker keeps its planner's caches (128 plans, their what-ifs and the program frames: about
330,000 Python objects that live as long as the cache holds them), and a plan allocates many
objects that live for the plan. With CPython's default thresholds (700, 10, 10) the cyclic
collector ran every 700 net allocations and re-walked the plan's live objects each time: 6.5 to
9 ms of a 37-44 ms plan in a worker (``gc.callbacks``, 1,500 distinct plans through the app).
At :data:`GC_THRESHOLDS` it took about 0.4 ms a plan, with the same resident memory (reference
counting frees a plan's objects; the collector only finds cycles). Objects alive once the app
is built (modules, the app, the model's tables) are frozen out of the collector's walks.

Only a served process is tuned, when the server starts the app (``create_app(tune_gc=True)``, as
``smartpick serve`` makes it in each worker); the library, the CLI and the tests keep the
interpreter's defaults.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["GC_THRESHOLDS", "tune_gc", "worker_app"]

#: ``gc.set_threshold`` of a server worker: a young collection every 10,000 net allocations.
GC_THRESHOLDS = (10_000, 20, 20)


def tune_gc() -> None:
    """Freeze what is alive now out of the collector's walks and raise its thresholds."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def worker_app() -> FastAPI:
    """The app of one ``smartpick serve --workers N`` worker (uvicorn's factory): the app over
    the environment's catalog and store, tuning the GC when it starts."""
    from .app import create_app

    return create_app(tune_gc=True)
