"""A server worker's C allocator: freed memory kept for the next plan instead of returned.

A plan allocates and frees a few large NumPy buffers (the size grid, the per-draw programmes:
up to several MiB each). With glibc's defaults, a buffer over the mmap threshold is mapped and
unmapped on every use, and the top of the heap is given back to the kernel once over the trim
threshold; the next plan then faults the same pages in again, each zeroed by the kernel: about
270 page faults a plan, in the kernel's time (``/usr/bin/time`` over 300 distinct plans in one
process: 122,000 minor faults with the defaults, 37,000 with the thresholds below, most of those
at start-up). A worker's resident memory is its high-water mark either way (it plans one plan
at a time): these thresholds keep it there instead of paying to lower and raise it.

Only a served worker is tuned (``create_app(tune_gc=True)``, as ``smartpick serve`` makes it),
and only under glibc (``mallopt``); elsewhere nothing changes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import platform

__all__ = ["MMAP_THRESHOLD", "TRIM_THRESHOLD", "tune_malloc"]

#: Allocations at least this large are mapped on their own (glibc's largest allowed value).
MMAP_THRESHOLD = 32 * 1024 * 1024
#: Free memory at the top of the heap is returned to the kernel beyond this.
TRIM_THRESHOLD = 128 * 1024 * 1024
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's malloc.h


def tune_malloc() -> bool:
    """Set glibc's trim and mmap thresholds for this process; False where it is not glibc or
    glibc refused them (nothing changed then)."""
    if platform.libc_ver()[0] != "glibc":
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name)
    return bool(
        libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
        and libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    )
