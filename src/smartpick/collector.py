"""The cyclic garbage collector's thresholds for SmartPick's own processes.

A plan allocates many short-lived objects (NumPy arrays, dicts, the output models); reference
counting frees them, and the cyclic collector only finds cycles. With CPython's default
thresholds (700, 10, 10) it ran every 700 net allocations, each time walking the young objects
(a plan's among them) and often the older generations: in a server worker holding 128 cached
plans, 6.5 to 9 ms of a 37-44 ms plan (``gc.callbacks``, 1,500 distinct plans); in
``smartpick plan FILE --json``, about 0.1 s of its CPU while the modules load and the plan runs
(``benchmarks/bench_cli.py``, interleaved runs). At :data:`GC_THRESHOLDS` it took about 0.4 ms
a plan in the worker, with the same resident memory.

Only SmartPick's own processes change them: a served worker
(:func:`smartpick.web.runtime.tune_gc`, which also freezes what lives once the app is built)
and a CLI process (:func:`raise_thresholds`, from ``smartpick.cli.main`` when it runs the
process's own command line). The library (``import smartpick``, ``main(argv)``) and the tests
keep the interpreter's defaults.
"""

from __future__ import annotations

import gc

__all__ = ["GC_THRESHOLDS", "raise_thresholds"]

#: ``gc.set_threshold`` of SmartPick's processes: a young collection every 10,000 net allocations.
GC_THRESHOLDS = (10_000, 20, 20)


def raise_thresholds() -> None:
    """Set :data:`GC_THRESHOLDS` for this process."""
    gc.set_threshold(*GC_THRESHOLDS)
