"""A server worker's process settings: the garbage collector tuned for a long-lived planner.

A worker keeps its planner's caches (128 plans, their what-ifs and the program frames: about
330,000 Python objects that live as long as the cache holds them). Objects alive once the app
is built (modules, the app, the model's tables) are frozen out of the collector's walks, and
the thresholds are raised to :data:`smartpick.collector.GC_THRESHOLDS` (why and what it
measured: :mod:`smartpick.collector`).

Only a served process is tuned, when the server starts the app (``create_app(tune_gc=True)``, as
``smartpick serve`` makes it in each worker).
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from smartpick.collector import GC_THRESHOLDS, raise_thresholds

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["GC_THRESHOLDS", "tune_gc", "worker_app"]


def tune_gc() -> None:
    """Freeze what is alive now out of the collector's walks and raise its thresholds."""
    gc.collect()
    gc.freeze()
    raise_thresholds()


def worker_app() -> FastAPI:
    """The app of one ``smartpick serve --workers N`` worker (uvicorn's factory): the app over
    the environment's catalog and store, tuning the GC when it starts."""
    from .app import create_app

    return create_app(tune_gc=True)
