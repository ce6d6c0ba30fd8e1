"""The allocator's state: the exact gain of every signal given the signals placed (:mod:`.signals`).

With ``G(z | u) = Π_i (1 - p_i(u) + p_i(u) z)`` on the roots of unity ``z_m`` and ``h`` the
transform of ΔM (:mod:`.signals` derives it), signalling program j with kind k gains
``Σ_u w_u (p_jk(u) - p_j(u)) Re Σ_m G(z_m | u) h_m / (1 - p_j(u) + p_j(u) z_m)``.

Two implementations of one state, the same numbers to the last bit (so the greedy, which lets
the first program in list order win ties between identical programs, makes the same choices):
:class:`Gains` in NumPy, the reference (the fallback when the extension is not built and the
tests' oracle), and :class:`CompiledGains`, whose loops over programs and roots are compiled
(:mod:`.signal_kernels` loads them: ``_signal_kernels.pyx`` the state, ``_signal_run.pyx``
the one-call paths, ``_signal_pairs.pyx`` the pairs; built by ``pip install`` like
:mod:`.kernels`). Its step-wise methods leave the complex products to NumPy, whose rounding
depends on its build (fused multiply-adds or not); :meth:`CompiledGains.place_signals` (the
whole greedy and the single moves, one kernel call) and
:meth:`CompiledGains.swap_values` do them in the kernel, rounded as NumPy rounds them here
(:func:`fused_products`), else step by step as before. ``SMARTPICK_PURE_KERNELS=1`` forces
the NumPy one.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from smartpick.frame import FloatArray, IntArray
from smartpick.model.features import expit, expit_inplace
from smartpick.model.strength import Strength
from smartpick.plan.signal_kernels import COMPILED, Complex, fused_products, scratch
from smartpick.plan.signal_kernels import PAIRS as _pairs
from smartpick.plan.signal_kernels import RUN as _compiled

__all__ = ["COMPILED", "CompiledGains", "Gains", "fused_products", "gains_of"]


def _flush(g: Complex) -> Complex:
    """G with values below 1e-200 set to 0: they add nothing to a probability, and subnormal
    numbers would slow every later operation."""
    g[np.abs(g) < 1e-200] = 0.0
    return g


def _factor(p: FloatArray, z: Complex) -> Complex:
    """``1 - p + p z`` broadcast (bitwise): the real part added in place, which avoids NumPy's
    slow buffered cast of a broadcast real operand to complex (about 4x faster at (8, 120, 61))."""
    out = np.asarray(p * z)
    out += 1.0 - p
    return out


def _taken(grp: IntArray, kind: IntArray) -> npt.NDArray[np.bool_]:
    """Programs whose ERAS program (group) already holds a signal."""
    held = np.zeros(len(grp), dtype=np.bool_)  # group labels are 0..n-1 (:func:`.signals`)
    held[grp[kind >= 0]] = True
    return held[grp]


_CHUNK = 8192  # complex values (128 KiB) per temporary of the swap pass


@functools.lru_cache(maxsize=32)
def _roots(n: int) -> tuple[Complex, FloatArray, FloatArray]:
    """The roots ``z`` of a list of ``n`` programs (N odd and > n: no root is -1; the first
    (N + 1) / 2, the others are their conjugates) and their real and imaginary parts
    (contiguous), keyed by n; read-only."""
    big = n + 1 if n % 2 == 0 else n + 2
    z = np.exp(2j * np.pi * np.arange((big + 1) // 2) / big)
    out = z, np.ascontiguousarray(z.real), np.ascontiguousarray(z.imag)
    for x in out:
        x.flags.writeable = False
    return out


@functools.lru_cache(maxsize=32)
def _transforms(m: bytes, bins: int, n: int) -> tuple[Complex, Complex]:
    """``h`` and the transform of M (:class:`Gains`) for a list of ``n`` programs, keyed by
    M's bytes (``bins`` float64 values) and n; read-only."""
    mm = np.frombuffer(m, dtype=np.float64, count=bins)
    half = len(_roots(n)[0])
    big = 2 * half - 1
    ext = mm[np.minimum(np.arange(big + 1), bins - 1)]
    # h and, for E[M(K) | u] = Re Σ_m G(z_m | u) · FFT(M)_m / N, the transform of M: one
    # transform of the two rows (each row's the same bits as its own)
    both = np.fft.fft(np.stack([np.diff(ext), ext[:big]]))[:, :half] / big
    both[:, 1:] *= 2.0  # Re Σ over conjugate pairs = 2 Re Σ over one of each
    both.flags.writeable = False
    return both[0], both[1]


class Gains:
    """Exact gains of every (program, kind) given the current signals (NumPy reference).

    ``eta`` (n,) log-odds, ``d`` (n, K) each kind's shift, ``m`` M(k) of the part."""

    def __init__(
        self,
        eta: FloatArray,
        d: FloatArray,
        strength: Strength,
        m: FloatArray,
        *,
        reuse: bool = False,
    ):
        mm = np.ascontiguousarray(m, dtype=np.float64)
        self.z = _roots(len(eta))[0]
        self.h, v = _transforms(mm.tobytes(), len(mm), len(eta))
        self.u, self.w = strength.u, strength.w
        self.eta, self.d = eta, d
        self.value_weights = v
        self._start(reuse)

    def _start(self, reuse: bool) -> None:
        self.p = expit(self.u[:, None] + self.eta[None, :])  # (q, n)
        # (n, K, q) rise in p from each kind, weighted by the strength nodes
        up = expit((self.eta[:, None] + self.d)[:, :, None] + self.u)
        self.rise = (up - self.p.T[:, None, :]) * self.w
        factor = _factor(self.p[:, :, None], self.z)  # (q, n, M)
        self.inverse = 1.0 / factor
        self.total: Complex = _flush(np.prod(factor, axis=1))  # (q, M): G (|G| <= 1)

    def inverse_of(self, js: IntArray) -> Complex:
        """(q, len(js), M) the current reciprocals of programs ``js``."""
        return self.inverse[:, js]

    def factors(self, j: IntArray, shift: FloatArray) -> Complex:
        """(len(j), q, M) factor ``1 - p + p z`` of programs ``j`` with log-odds shifted."""
        p = expit((self.eta[j] + shift)[:, None] + self.u)[:, :, None]  # (r, q, 1)
        return _factor(p, self.z)

    def ratios(self, js: IntArray, ks: IntArray) -> Complex:
        """(len(js), q, M) how G changes when program ``js[t]``'s factor becomes that of a
        kind-``ks[t]`` signal (-1: none): the new factor over the current one."""
        shift = np.where(ks >= 0, self.d[js, np.maximum(ks, 0)], 0.0)
        return self.factors(js, shift) * self.inverse_of(js).transpose(1, 0, 2)

    def swapped(self, a: IntArray, b: IntArray, kind: IntArray) -> Complex:
        """(len(a), q, M) G with programs ``a[t]`` and ``b[t]`` given each other's kinds."""
        return self.total[None] * (self.ratios(a, kind[b]) * self.ratios(b, kind[a]))

    def swap_values(self, a: IntArray, b: IntArray, kind: IntArray) -> FloatArray:
        """P(match) with the kinds of ``a[t]`` and ``b[t]`` swapped, for every pair t: a few
        pairs at a time, so that no temporary exceeds :data:`_CHUNK` complex values (larger ones
        cost fresh memory pages on every call, more than the arithmetic)."""
        out = np.empty(len(a))
        for s in range(0, len(a), self._step()):
            part = slice(s, s + self._step())
            out[part] = self.values(self.swapped(a[part], b[part], kind))
        return out

    def _step(self) -> int:
        """Pairs per chunk of :meth:`swap_values`."""
        return max(1, _CHUNK // self.total.size)

    def values(self, g: Complex) -> FloatArray:
        """P(match) (clipped to [0, 1]) of each generating function ``g`` (..., q, M)."""
        per_node = np.einsum("...qm,m->...q", g, self.value_weights).real
        return np.asarray(np.clip(per_node @ self.w, 0.0, 1.0))

    def gains(self) -> FloatArray:
        """(n, K) exact P(match) gain of each signal given the current ones."""
        g = self.total * self.h  # (q, M)
        slopes = np.einsum("qjm,qm->qj", self.inverse, g).real  # B_j(u): (q, n)
        return np.asarray(np.einsum("jkq,qj->jk", self.rise, slopes))

    def set(self, j: int, shift: float) -> None:
        """Program j's log-odds become eta_j + shift (a signal placed or removed)."""
        p = expit(self.eta[j] + shift + self.u)[:, None]  # (q, 1)
        new = _factor(p, self.z)  # (q, M)
        self.total = _flush(self.total * (new * self.inverse[:, j]))
        self.inverse[:, j] = 1.0 / new

    def set_kind(self, j: int, k: int) -> None:
        """Program j gets a signal of kind ``k`` (-1: none)."""
        self.set(j, 0.0 if k < 0 else float(self.d[j, k]))

    def place_signals(self, kind: IntArray, grp: IntArray, left: IntArray, passes: int) -> None:
        """The greedy and the single moves (:mod:`.signals`), in place (``kind``, ``left``):
        while signals are left, the :meth:`pick` placed; then up to ``passes`` passes of
        :meth:`improve` while one moves a signal."""
        for _ in range(int(left.sum())):
            at = self.pick(kind, grp, left)
            if at < 0:
                break
            j, k = divmod(at, self.d.shape[1])
            kind[j] = k
            left[k] -= 1
            self.set_kind(j, k)
        for _ in range(passes):
            if not self.improve(kind, grp):
                break

    def improve(self, kind: IntArray, grp: IntArray) -> bool:
        """One pass of single moves: each signal in turn is lifted and put back where it gains
        most (its own program unless another free one gains more). True if any signal moved."""
        moved = False
        for j in np.flatnonzero(kind >= 0).tolist():
            k = int(kind[j])
            self.set_kind(j, -1)
            kind[j] = -1
            best = self.move(k, j, kind, grp)
            moved |= best != j
            kind[best] = k
            self.set_kind(best, k)
        return moved

    def pick(self, kind: IntArray, grp: IntArray, left: IntArray) -> int:
        """The greedy step: the flat index ``j K + k`` of the largest gain over the programs
        whose group holds no signal (``kind`` -1) and the kinds with signals ``left`` (ties:
        the first), -1 when none is finite."""
        gain = self.gains()
        gain[_taken(grp, kind), :] = -np.inf
        gain[:, left == 0] = -np.inf
        if not np.isfinite(gain).any():
            return -1
        return int(np.argmax(gain))

    def move(self, k: int, j: int, kind: IntArray, grp: IntArray) -> int:
        """Where a kind-``k`` signal lifted from ``j`` goes: the free program where it gains
        most (ties: the first), unless that gains no more than 1e-13 over ``j``."""
        gain = np.where(_taken(grp, kind), -np.inf, self.gains()[:, k])
        best = int(np.argmax(gain))
        return j if gain[best] <= gain[j] + 1e-13 else best


class CompiledGains(Gains):
    """:class:`Gains` with the loops over programs and roots compiled (the same numbers).

    The reciprocals are kept as real and imaginary parts (q, M, n), roots-major, for the gains'
    sums (``_signal_kernels.Reciprocals``, here as ``_signal_run.Greedy``, which adds the
    one-call paths); the complex ones NumPy multiplies are gathered from them
    (``_signal_pairs``)."""

    def _start(self, reuse: bool) -> None:
        q, n, big = len(self.u), len(self.eta), len(self.z)
        # p_of[j, 1 + k]: program j's chances with a kind-k signal, p_of[j, 0] with none (one
        # expit of what the reference adds: the same bits)
        shifted = np.empty((n, 1 + self.d.shape[1]))
        shifted[:, 0] = self.eta
        np.add(self.eta[:, None], self.d, out=shifted[:, 1:])
        p_of = expit_inplace(shifted[:, :, None] + self.u)
        self.rise = (p_of[:, 1:, :] - p_of[:, :1, :]) * self.w  # (n, K, q), as the reference's
        parts = scratch(2 * q * big * n) if reuse else np.empty(2 * q * big * n)
        self._k = _compiled.Greedy(parts.reshape(2, q, big, n), p_of, *_roots(n)[1:], self.rise)
        # G node by node: the product over programs runs as in the reference (one node's rows)
        total = np.empty((q, big), dtype=np.complex128)
        fused = fused_products()
        if fused is None:
            p = np.ascontiguousarray(p_of[:, 0, :].T)
            factor = np.empty((n, big), dtype=np.complex128)
            for a in range(q):
                self._k.node(a, p[a], factor.view(np.float64))
                np.multiply.reduce(factor, axis=0, out=total[a])
            _flush(total)
        elif not self._k.start(total.view(np.float64), fused):
            _flush(total)  # a modulus at the threshold: NumPy's rounding decides
        self.total = total
        self._reuse = reuse

    @functools.cached_property
    def _pair(self) -> tuple[Complex, Complex, FloatArray, FloatArray]:
        """One program's new factor and old reciprocal (q, M), rewritten by every update, with
        their float64 views."""
        new, old = np.empty_like(self.total), np.empty_like(self.total)
        return new, old, new.view(np.float64), old.view(np.float64)

    def inverse_of(self, js: IntArray) -> Complex:
        out = np.empty((len(self.u), len(js), len(self.z)), dtype=np.complex128)
        _pairs.gather(self._k, np.ascontiguousarray(js, dtype=np.int64), out.view(np.float64))
        return out

    def ratios(self, js: IntArray, ks: IntArray) -> Complex:
        new = np.empty((len(js), len(self.u), len(self.z)), dtype=np.complex128)
        old = np.empty_like(new)
        _pairs.pairs(
            self._k,
            np.ascontiguousarray(js, dtype=np.int64),
            np.ascontiguousarray(ks, dtype=np.int64),
            new.view(np.float64),
            old.view(np.float64),
        )
        return new * old

    def swap_values(self, a: IntArray, b: IntArray, kind: IntArray) -> FloatArray:
        """:meth:`Gains.swap_values` with every pair's node values from one kernel call (the
        einsum's sums; each program's ratio computed once), the rest as NumPy does it."""
        fused = fused_products()
        if fused is None:
            return super().swap_values(a, b, kind)
        i64 = np.int64
        nodes = np.empty((len(a), self.total.shape[0]), dtype=np.complex128)
        _pairs.swap_nodes(
            self._k,
            np.ascontiguousarray(a, dtype=i64),
            np.ascontiguousarray(b, dtype=i64),
            np.ascontiguousarray(kind, dtype=i64),
            self.total.view(np.float64),
            self.value_weights.view(np.float64),
            nodes.view(np.float64),
            fused,
        )
        # the node weights applied in the reference's chunks: a product's bits depend on its
        # rows (a chunk of one row is a dot product, summed otherwise than a matrix's rows)
        real, out, step = nodes.real, np.empty(len(a)), self._step()
        for s in range(0, len(a), step):
            out[s : s + step] = real[s : s + step] @ self.w
        return np.asarray(np.clip(out, 0.0, 1.0))

    def values(self, g: Complex) -> FloatArray:
        if g.shape != self.total.shape:
            return super().values(g)
        per_node = np.empty(len(self.u), dtype=np.complex128)  # the einsum's, from the kernel
        self._k.node_values(
            np.ascontiguousarray(g).view(np.float64),
            self.value_weights.view(np.float64),
            per_node.view(np.float64),
        )
        return np.asarray(np.clip(per_node.real @ self.w, 0.0, 1.0))

    def _scaled(self) -> FloatArray:
        return np.asarray((self.total * self.h).view(np.float64))

    def gains(self) -> FloatArray:
        out = np.empty((len(self.eta), self.rise.shape[1]))
        self._k.gains(self._scaled(), out)
        return out

    def _place(self, j: int) -> None:
        """G after program j's factor became the new one (its reciprocal was the old one)."""
        new, old, new_parts, _ = self._pair
        total = self.total * (new * old)
        if not self._k.place(j, new_parts, total.view(np.float64)):
            _flush(total)  # a modulus at the threshold: NumPy's rounding decides
        self.total = total

    def set(self, j: int, shift: float) -> None:
        p = expit(self.eta[j] + shift + self.u)
        self._k.column_at(j, p, self._pair[2], self._pair[3])
        self._place(j)

    def set_kind(self, j: int, k: int) -> None:
        self._k.column(j, k, self._pair[2], self._pair[3])
        self._place(j)

    def pick(self, kind: IntArray, grp: IntArray, left: IntArray) -> int:
        return int(self._k.pick(self._scaled(), kind, grp, left))

    def move(self, k: int, j: int, kind: IntArray, grp: IntArray) -> int:
        return int(self._k.move(self._scaled(), kind, grp, k, j))

    def place_signals(self, kind: IntArray, grp: IntArray, left: IntArray, passes: int) -> None:
        """In one kernel call where it rounds the complex products as NumPy does; where a flush
        there is NumPy's to decide, the state is built again and the steps run one by one."""
        fused = fused_products()
        if fused is None:
            super().place_signals(kind, grp, left, passes)
            return
        kind0, left0 = kind.copy(), left.copy()
        h = self.h.view(np.float64)  # contiguous (:func:`_transforms`)
        if self._k.run(self.total.view(np.float64), h, kind, grp, left, passes, fused):
            return
        kind[:], left[:] = kind0, left0
        self._start(self._reuse)
        super().place_signals(kind, grp, left, passes)


def gains_of(
    eta: FloatArray,
    d: FloatArray,
    strength: Strength,
    m: FloatArray,
    *,
    compiled: bool = COMPILED,
    reuse: bool = False,
) -> Gains:
    """The state for a list: compiled when built (and ``compiled``), else NumPy; ``reuse``:
    in this thread's scratch memory (:func:`.signal_kernels.scratch`)."""
    if compiled and _compiled is not None:
        return CompiledGains(eta, d, strength, m, reuse=reuse)
    return Gains(eta, d, strength, m)
