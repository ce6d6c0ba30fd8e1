# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Compiled loops of the signal allocator (issue 10): the state and its steps; see
:mod:`.signal_gains`.

Each method does what the NumPy reference (:class:`.signal_gains.Gains`) does, element by
element in the same order of operations, so the numbers are the same to the last bit: the
factor ``1 - p + p z`` as ``(p zr + (1 - p), p zi + 0)``, its reciprocal by NumPy's complex
division (Smith's method, ``1 + 0i`` over the factor), the gains' sums over the roots and the
strength nodes one term after another from 0 (what ``np.einsum`` does there). These step-wise
methods leave the complex products to NumPy; the C-level ``_ratio``, ``_set`` and ``_scale``
do them as NumPy rounds them here (``sp_cmul``, fused or not), for ``_signal_run.pyx`` (the
whole greedy and the single moves in one call) and ``_signal_pairs.pyx`` (the swaps). The
module is built without contraction to fused multiply-adds (``-ffp-contract=off``). Complex
arrays are passed as float64 views (re, im interleaved). The heaviest loops are C (``_signal_slopes.h``);
the state's fields are declared in ``_signal_kernels.pxd``.
``tests/plan/test_signals.py`` compares the ways on random inputs.
"""

from libc.math cimport INFINITY, fabs, hypot, isfinite, isnan
from libc.stdint cimport int64_t
from libc.stdlib cimport free, malloc

#: |G| below this is set to 0 (the reference's ``_flush``)
cdef double TINY = 1e-200


cdef inline bint _after(double v, double best) noexcept nogil:
    """NumPy's argmax rule: a value replaces the best unless it is <= it (NaN always wins)."""
    return not (v <= best)


cdef class Reciprocals:
    """The reciprocal of every program's factor at every strength node and root, kept as real
    and imaginary parts (q, M, n), roots-major, with what the gains need besides: each
    program's chances ``p_of`` (n, 1 + K, q) with no signal and with each kind, the roots
    ``zr`` / ``zi`` (M,) and the weighted rises ``rise`` (n, K, q). ``parts`` (2, q, M, n) is
    the memory for the reciprocals (filled by :meth:`node`)."""

    def __cinit__(
        self,
        double[:, :, :, ::1] parts,
        double[:, :, ::1] p_of,
        const double[::1] zr,
        const double[::1] zi,
        double[:, :, ::1] rise,
    ):
        self.q, self.big, self.n = parts.shape[1], parts.shape[2], parts.shape[3]
        self.kinds = rise.shape[1]
        if parts.shape[0] != 2 or zr.shape[0] != self.big or zi.shape[0] != self.big:
            raise ValueError("parts / roots: expected (2, q, M, n) / (M,)")
        if p_of.shape[0] != self.n or p_of.shape[1] != 1 + self.kinds or p_of.shape[2] != self.q:
            raise ValueError("p_of: expected (n, 1 + K, q)")
        if rise.shape[0] != self.n or rise.shape[2] != self.q:
            raise ValueError("rise: expected (n, K, q)")
        self.re, self.im = parts[0], parts[1]
        self.p_of, self.zr, self.zi, self.rise = p_of, zr, zi, rise
        self.slopes = <double *> malloc((self.q * self.n + 1) * sizeof(double))
        self.gain = <double *> malloc((self.n * self.kinds + 1) * sizeof(double))
        self.tmp = <double *> malloc((2 * self.q * self.big + 1) * sizeof(double))
        self.work = <double *> malloc((8 * self.q * self.big + 1) * sizeof(double))
        self.held = <unsigned char *> malloc(self.n + 1)
        self.order = <int64_t *> malloc((self.n + 1) * sizeof(int64_t))
        if not (self.slopes and self.gain and self.tmp and self.work and self.held and self.order):
            raise MemoryError()

    def __dealloc__(self):
        free(self.slopes)
        free(self.gain)
        free(self.tmp)
        free(self.work)
        free(self.held)
        free(self.order)

    cdef int _j(self, Py_ssize_t j) except -1:
        if not 0 <= j < self.n:
            raise ValueError("j: not a program")
        return 0

    cdef int _qm(self, const double[:, ::1] x) except -1:
        if x.shape[0] != self.q or x.shape[1] != 2 * self.big:
            raise ValueError("expected (q, 2M): complex (q, M)")
        return 0

    def node(self, Py_ssize_t a, const double[::1] p, double[:, ::1] factor):
        """Every program's factor at node ``a`` (``p`` (n,) its chances there) into ``factor``
        (n, 2M: complex (n, M)); their reciprocals into the parts."""
        if not 0 <= a < self.q or p.shape[0] != self.n:
            raise ValueError("a / p: a node and (n,) chances expected")
        if factor.shape[0] != self.n or factor.shape[1] != 2 * self.big:
            raise ValueError("factor: expected (n, 2M)")
        self.fresh = False
        if self.n == 0 or self.big == 0:
            return
        with nogil:
            sp_node(&p[0], &self.zr[0], &self.zi[0], self.n, self.big, &factor[0, 0],
                    &self.re[a, 0, 0], &self.im[a, 0, 0])

    cdef void _column(self, Py_ssize_t j, const double *p, Py_ssize_t step,
                      double[:, ::1] new, double[:, ::1] old) noexcept nogil:
        cdef Py_ssize_t a, k
        cdef double pa, rest
        for a in range(self.q):
            pa = p[a * step]
            rest = 1.0 - pa
            for k in range(self.big):
                new[a, 2 * k] = pa * self.zr[k] + rest
                new[a, 2 * k + 1] = pa * self.zi[k] + 0.0
                old[a, 2 * k] = self.re[a, k, j]
                old[a, 2 * k + 1] = self.im[a, k, j]

    def column(self, Py_ssize_t j, Py_ssize_t k, double[:, ::1] new, double[:, ::1] old):
        """Program ``j``'s factor with a kind-``k`` signal (-1: none) into ``new`` and its
        current reciprocal into ``old`` (q, 2M each)."""
        self._j(j)
        self._qm(new)
        self._qm(old)
        if not -1 <= k < self.kinds:
            raise ValueError("k: not a kind")
        with nogil:
            self._column(j, &self.p_of[j, k + 1, 0], 1, new, old)

    def column_at(self, Py_ssize_t j, const double[::1] p, double[:, ::1] new, double[:, ::1] old):
        """:meth:`column` at chances ``p`` (q,)."""
        self._j(j)
        self._qm(new)
        self._qm(old)
        if p.shape[0] != self.q:
            raise ValueError("p: expected (q,)")
        with nogil:
            self._column(j, &p[0], 1, new, old)

    def place(self, Py_ssize_t j, const double[:, ::1] new, double[:, ::1] total):
        """Program ``j``'s factor becomes ``new`` (q, 2M): its reciprocal is written; ``total``
        (q, 2M), already multiplied by the ratio, has its values below 1e-200 in modulus set to
        0. Returns False, with ``total`` untouched, when a modulus is within 1e-12 (relative)
        of the threshold: there NumPy's modulus and the C library's may round to opposite
        sides, so the caller flushes with NumPy."""
        cdef bint clear
        self._j(j)
        self._qm(new)
        self._qm(total)
        self.fresh = False  # any reciprocal may be written
        with nogil:
            clear = self._place(j, &new[0, 0], &total[0, 0])
        return clear

    cdef bint _place(self, Py_ssize_t j, const double *new, double *total) noexcept nogil:
        cdef Py_ssize_t count = self.q * self.big
        if count == 0:
            return True
        sp_reciprocals(new, count, self.tmp, self.tmp + count)
        self._write(j, self.tmp, self.tmp + count)
        return self._flush(total)

    cdef void _write(self, Py_ssize_t j, const double *r, const double *i) noexcept nogil:
        """Program ``j``'s reciprocals become ``r + i i`` ((q, M) each)."""
        cdef Py_ssize_t a, k
        for a in range(self.q):
            for k in range(self.big):
                self.re[a, k, j] = r[a * self.big + k]
                self.im[a, k, j] = i[a * self.big + k]

    cdef bint _flush(self, double *total) noexcept nogil:
        """G (q, 2M) with its values below 1e-200 in modulus set to 0 (the reference's
        ``_flush``); False, G untouched, where NumPy's modulus is to decide (:meth:`place`)."""
        cdef Py_ssize_t a, count = self.q * self.big
        cdef double re, im, r
        cdef bint tiny = False
        # a modulus is at least the larger part: only values with both parts tiny can go (one
        # pass to find whether there are any, usually none)
        for a in range(count):
            tiny |= (fabs(total[2 * a]) < 2.0 * TINY) & (fabs(total[2 * a + 1]) < 2.0 * TINY)
        if not tiny:
            return True
        for a in range(count):
            re = total[2 * a]
            im = total[2 * a + 1]
            if fabs(re) < 2.0 * TINY and fabs(im) < 2.0 * TINY:
                r = hypot(re, im)
                if fabs(r - TINY) <= 1e-12 * TINY:
                    return False
        for a in range(count):
            re = total[2 * a]
            im = total[2 * a + 1]
            if fabs(re) < 2.0 * TINY and fabs(im) < 2.0 * TINY and hypot(re, im) < TINY:
                total[2 * a] = 0.0
                total[2 * a + 1] = 0.0
        return True

    cdef void _factor(self, Py_ssize_t j, Py_ssize_t k, double *out) noexcept nogil:
        """Program ``j``'s factor with a kind-``k`` signal (-1: none) into ``out`` (q, 2M)."""
        cdef Py_ssize_t a, m, row = 2 * self.big
        cdef double pa, rest
        for a in range(self.q):
            pa = self.p_of[j, k + 1, a]
            rest = 1.0 - pa
            for m in range(self.big):
                out[a * row + 2 * m] = pa * self.zr[m] + rest
                out[a * row + 2 * m + 1] = pa * self.zi[m] + 0.0

    cdef void _ratio(self, Py_ssize_t j, Py_ssize_t k, double *ratio, bint fused) noexcept nogil:
        """Program ``j``'s factor with a kind-``k`` signal (-1: none) into the first work
        buffer, its current reciprocal into the second, their product (NumPy's ``new * old``)
        into ``ratio``."""
        cdef Py_ssize_t a, m, count = self.q * self.big, row = 2 * self.big
        cdef double *new = self.work
        cdef double *old = self.work + 2 * count
        self._factor(j, k, new)
        for a in range(self.q):
            for m in range(self.big):
                old[a * row + 2 * m] = self.re[a, m, j]
                old[a * row + 2 * m + 1] = self.im[a, m, j]
        sp_cmul(new, old, ratio, count, fused)

    cdef bint _set(self, Py_ssize_t j, Py_ssize_t k, double *total, bint fused) noexcept nogil:
        """Program ``j`` gets a kind-``k`` signal (-1: none): G times its new factor over its
        old one (``total * (new * old)`` as NumPy rounds it), its reciprocal written, G
        flushed; False (G not flushed) where the flush is NumPy's to decide (:meth:`place`)."""
        cdef Py_ssize_t count = self.q * self.big
        cdef double *ratio = self.work + 4 * count
        self._ratio(j, k, ratio, fused)
        sp_cmul(total, ratio, total, count, fused)
        return self._place(j, self.work, total)

    cdef void _scale(self, const double *total, const double *h, double *out,
                     bint fused) noexcept nogil:
        """``G h`` (each node's row times h) into ``out`` (q, 2M)."""
        cdef Py_ssize_t a, row = 2 * self.big
        for a in range(self.q):
            sp_cmul(total + a * row, h, out + a * row, self.big, fused)

    cdef void _gains(self, const double *g, Py_ssize_t kind) noexcept nogil:
        """The gains into ``self.gain`` (n, K), only column ``kind`` if >= 0 (``g``: G h)."""
        if self.q * self.n == 0:
            return
        sp_slopes(&self.re[0, 0, 0], &self.im[0, 0, 0], g, self.slopes,
                  self.q, self.big, self.n)
        self._combine(self.slopes, kind, NULL, NULL)

    cdef void _combine(self, const double *slopes, Py_ssize_t kind,
                       const int64_t *left, const int64_t *grp) noexcept nogil:
        """The gains from the ``slopes`` (q, n) into ``self.gain`` (n, K):
        ``Σ_a rise[j, k, a] slopes[a, j]`` in node order; only column ``kind`` if >= 0, only
        the kinds with signals ``left`` and the programs whose group holds none (:meth:`_hold`)
        where given (the others are never read)."""
        cdef Py_ssize_t j, k, a
        cdef double acc
        for j in range(self.n):
            if grp != NULL and self.held[grp[j]]:
                continue
            for k in range(self.kinds):
                if (kind >= 0 and k != kind) or (left != NULL and left[k] == 0):
                    continue
                acc = 0.0
                for a in range(self.q):
                    acc = acc + self.rise[j, k, a] * slopes[a * self.n + j]
                self.gain[j * self.kinds + k] = acc

    cdef int _held(self, const int64_t[::1] kind, const int64_t[::1] grp) except -1:
        """:meth:`_hold` of checked labels (0..n-1)."""
        cdef Py_ssize_t j
        if kind.shape[0] != self.n or grp.shape[0] != self.n:
            raise ValueError("kind / grp: expected (n,)")
        for j in range(self.n):
            if not 0 <= grp[j] < self.n:
                raise ValueError("grp: labels 0..n-1 expected")
        if self.n:
            self._hold(&kind[0], &grp[0])
        return 0

    def gains(self, const double[:, ::1] g, double[:, ::1] out):
        """The gains (n, K) into ``out``; ``g`` (q, 2M) is ``G h`` (complex (q, M))."""
        cdef Py_ssize_t j, k
        self._qm(g)
        if out.shape[0] != self.n or out.shape[1] != self.kinds:
            raise ValueError("out: expected (n, K)")
        with nogil:
            self._gains(&g[0, 0], -1)
            for j in range(self.n):
                for k in range(self.kinds):
                    out[j, k] = self.gain[j * self.kinds + k]

    def node_values(self, const double[:, ::1] g, const double[::1] v, double[::1] out):
        """``Σ_m g[:, m] v[m]`` (``g`` (q, 2M), ``v`` (2M,): complex) into ``out`` (2q: complex
        (q,)), summed as ``np.einsum`` sums it: one term after another from 0."""
        cdef Py_ssize_t c, m, row = 2 * self.big
        cdef double re, im, acc_re, acc_im
        self._qm(g)
        if v.shape[0] != row or out.shape[0] != 2 * self.q:
            raise ValueError("v / out: expected (2M,) / (2q,)")
        for c in range(self.q):
            acc_re = 0.0
            acc_im = 0.0
            for m in range(self.big):
                re = g[c, 2 * m]
                im = g[c, 2 * m + 1]
                acc_re = acc_re + (re * v[2 * m] - im * v[2 * m + 1])
                acc_im = acc_im + (re * v[2 * m + 1] + im * v[2 * m])
            out[2 * c] = 0.0 + acc_re
            out[2 * c + 1] = 0.0 + acc_im

    def pick(
        self,
        const double[:, ::1] g,
        const int64_t[::1] kind,
        const int64_t[::1] grp,
        const int64_t[::1] left,
    ):
        """The greedy step: the flat index ``j K + k`` of the largest gain over the programs
        whose group holds no signal and the kinds with signals left (ties: the first; NaN:
        the first NaN, as ``np.argmax``), -1 when no such gain is finite."""
        cdef Py_ssize_t at
        self._qm(g)
        self._held(kind, grp)
        if left.shape[0] != self.kinds:
            raise ValueError("left: expected (K,)")
        with nogil:
            self._gains(&g[0, 0], -1)
            at = self._pick(&grp[0], &left[0])
        return at

    def move(
        self,
        const double[:, ::1] g,
        const int64_t[::1] kind,
        const int64_t[::1] grp,
        Py_ssize_t k,
        Py_ssize_t j,
    ):
        """A single move of a kind-``k`` signal lifted from ``j``: the free program where it
        gains most (argmax rule of :meth:`pick`), or ``j`` unless that gains more than 1e-13
        over ``j``."""
        cdef Py_ssize_t at
        self._qm(g)
        self._held(kind, grp)
        self._j(j)
        if not 0 <= k < self.kinds:
            raise ValueError("k: not a kind")
        with nogil:
            self._gains(&g[0, 0], k)
            at = self._move(&grp[0], k, j)
        return at

    cdef void _hold(self, const int64_t *kind, const int64_t *grp) noexcept nogil:
        """``held[j]``: program j's group holds a signal."""
        cdef Py_ssize_t j
        for j in range(self.n):
            self.held[j] = 0
        for j in range(self.n):
            if kind[j] >= 0:
                self.held[grp[j]] = 1

    cdef Py_ssize_t _pick(self, const int64_t *grp, const int64_t *left) noexcept nogil:
        """:meth:`pick` on the gains computed."""
        cdef Py_ssize_t j, k, at = 0, i = 0
        cdef double v, best = 0.0
        cdef bint finite = False, stop = False
        for j in range(self.n):
            for k in range(self.kinds):
                if self.held[grp[j]] or left[k] == 0:
                    v = -INFINITY
                else:
                    v = self.gain[j * self.kinds + k]
                    if isfinite(v):
                        finite = True
                if not stop and (i == 0 or _after(v, best)):
                    best, at = v, i
                    stop = isnan(v)
                i += 1
        return at if finite else -1

    cdef Py_ssize_t _move(self, const int64_t *grp, Py_ssize_t k, Py_ssize_t j) noexcept nogil:
        """:meth:`move` on the gains computed."""
        cdef Py_ssize_t i, at = 0
        cdef double v, vj = 0.0, best = 0.0
        cdef bint stop = False
        for i in range(self.n):
            v = -INFINITY if self.held[grp[i]] else self.gain[i * self.kinds + k]
            if i == j:
                vj = v
            if not stop and (i == 0 or _after(v, best)):
                best, at = v, i
                stop = isnan(v)
        return j if best <= vj + 1e-13 else at
