"""The signal allocator's compiled kernels (:mod:`.signal_gains`): loaded when built, and how
they round complex products as NumPy does here.

``_signal_kernels`` is the state and its step-wise methods, ``_signal_run`` its one-call paths
(its ``Greedy`` is the state with them), ``_signal_pairs`` the quantities of several programs
at once (and ``products``, the kernels' complex products). ``SMARTPICK_PURE_KERNELS=1`` leaves
them unloaded (the NumPy gains).
"""

from __future__ import annotations

import functools
import os
import threading
from typing import Any

import numpy as np
import numpy.typing as npt

from smartpick.frame import FloatArray

__all__ = ["COMPILED", "PAIRS", "RUN", "Complex", "fused_products", "scratch"]

Complex = npt.NDArray[np.complex128]


def _load() -> tuple[Any, Any]:
    """The one-call paths' module (its ``Greedy`` is the state) and the pairs' module, or
    None twice (the NumPy gains)."""
    if os.environ.get("SMARTPICK_PURE_KERNELS") == "1":
        return None, None
    try:  # the state's steps, the one-call paths (a subclass of the state), the pairs
        from smartpick.plan import (  # type: ignore[attr-defined]
            _signal_kernels,
            _signal_pairs,
            _signal_run,
        )
    except ImportError:  # built (or not) with .kernels, which says so once
        return None, None
    del _signal_kernels
    return _signal_run, _signal_pairs


RUN, PAIRS = _load()
#: True when the compiled loops are in use.
COMPILED: bool = RUN is not None


def _product_mode(k: Any) -> bool | None:
    """How NumPy rounds a complex product here, as the kernel's ``products`` can: fused (True)
    or not (False); None when neither matches (the kernel then leaves the products to NumPy).
    Checked on random values of wide range, in the layouts the allocator multiplies in:
    contiguous, each row times one vector, and the product of rows (``np.multiply.reduce``)."""
    rng = np.random.default_rng(0)

    def cplx(*shape: int) -> Complex:
        scale = 10.0 ** rng.integers(-150, 150, shape)
        return np.asarray((rng.normal(size=shape) + 1j * rng.normal(size=shape)) * scale)

    cases = [(cplx(n), cplx(n)) for n in (1, 2, 3, 4, 5, 7, 8, 9, 16, 31, 61, 64, 123)]
    rows, vec = cplx(8, 61), cplx(61)
    chain = 1.0 + 0.5 * (rng.normal(size=(12, 61)) + 1j * rng.normal(size=(12, 61)))
    for fused in (True, False):

        def mul(a: Complex, b: Complex, fused: bool = fused) -> Complex:
            out = np.empty_like(a)
            k.products(a.view(np.float64), b.view(np.float64), out.view(np.float64), fused)
            return out

        with np.errstate(all="ignore"):
            same = all(_bits(a * b, mul(a, b)) for a, b in cases)
            same &= _bits(rows * vec, np.array([mul(r, vec) for r in rows]))
            acc = chain[0].copy()
            for row in chain[1:]:
                acc = mul(acc, row)
            same &= _bits(np.multiply.reduce(chain, axis=0), acc)
        if same:
            return fused
    return None


def _bits(a: Complex, b: Complex) -> bool:
    return a.shape == b.shape and a.tobytes() == b.tobytes()


@functools.cache  # one value per process: NumPy's build and the CPU
def fused_products() -> bool | None:
    """How the kernel rounds complex products as NumPy does here (None: it cannot, or it is
    not built; the products then stay NumPy's), found on first use (:func:`_product_mode`)."""
    return None if PAIRS is None else _product_mode(PAIRS)


_local = threading.local()


def scratch(size: int) -> FloatArray:
    """(size,) float64 memory reused by one thread's allocations (:func:`.signal_gains.gains_of`
    with ``reuse``): the reciprocals, about 1 MB for 120 programs, would be fresh pages on every
    allocation, which cost more to fault in than to compute. One buffer per thread, the
    largest asked for; a state using it must not outlive the next ``gains_of(reuse=True)``."""
    buf: FloatArray | None = getattr(_local, "buf", None)
    if buf is None or len(buf) < size:
        buf = np.empty(size)
        _local.buf = buf
    return buf[:size]
