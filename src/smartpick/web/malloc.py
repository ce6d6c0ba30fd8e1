"""A server worker's C allocator: freed memory kept for the next plan instead of returned.

A plan allocates and frees a few large NumPy buffers (the size grid, the per-draw programmes:
up to several MiB each). With glibc's defaults, a buffer over the mmap threshold is mapped and
unmapped on every use, and the top of the heap is given back to the kernel once over the trim
threshold; the next plan then faults the same pages in again, each zeroed by the kernel: about
270 page faults a plan, in the kernel's time (``/usr/bin/time`` over 300 distinct plans in one
process: 122,000 minor faults with the defaults, 37,000 with the thresholds below, most of those
at start-up). A worker's resident memory is its high-water mark either way (it plans one plan
at a time): these thresholds keep it there instead of paying to lower and raise it.

A worker also keeps one malloc arena for all its threads (``M_ARENA_MAX``): its plans run in
whichever of the event loop's worker threads is free, and with an arena per thread each arena
kept its own high-water mark, so the worker's memory rose as plans landed on new threads (2
workers, 300 warm-up plans then 3,000 at 100/s: +40 to +52 MiB after the warm-up with glibc's
default, +2.5 to +3.7 MiB with one arena, the same CPU a plan). The threads take turns under the
GIL anyway, so they rarely wait on the arena's lock. glibc fixes the arena limit when a
process's second thread first allocates, which in a uvicorn worker is before the app starts,
so the supervisor passes it to the workers it starts in ``MALLOC_ARENA_MAX``
(:func:`limit_worker_arenas`); ``mallopt`` sets it for a single-process server.

Only a served worker is tuned (``create_app(tune_gc=True)``, as ``smartpick serve`` makes it),
and only under glibc (``mallopt``); elsewhere nothing changes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform

__all__ = [
    "ARENA_ENV",
    "ARENA_MAX",
    "MMAP_THRESHOLD",
    "TRIM_THRESHOLD",
    "limit_worker_arenas",
    "tune_malloc",
]

#: Allocations at least this large are mapped on their own (glibc's largest allowed value).
MMAP_THRESHOLD = 32 * 1024 * 1024
#: Free memory at the top of the heap is returned to the kernel beyond this.
TRIM_THRESHOLD = 128 * 1024 * 1024
#: Malloc arenas at most (one, shared by every thread).
ARENA_MAX = 1
#: The environment variable glibc reads the arena limit from when a process starts.
ARENA_ENV = "MALLOC_ARENA_MAX"
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -3, -8  # glibc's malloc.h


def tune_malloc() -> bool:
    """Set glibc's trim and mmap thresholds and its arena limit for this process; False where
    it is not glibc or glibc refused a setting."""
    if platform.libc_ver()[0] != "glibc":
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name)
    return bool(
        libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
        and libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        and libc.mallopt(_M_ARENA_MAX, ARENA_MAX)
    )


def limit_worker_arenas() -> None:
    """Worker processes started from now on keep :data:`ARENA_MAX` arenas (``$MALLOC_ARENA_MAX``,
    unless the environment already sets it: the operator's value wins)."""
    os.environ.setdefault(ARENA_ENV, str(ARENA_MAX))
