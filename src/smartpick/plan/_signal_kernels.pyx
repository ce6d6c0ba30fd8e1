# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Compiled loops of the signal allocator (issue 10): see :mod:`.signal_gains`.

Each method does what the NumPy reference (:class:`.signal_gains.Gains`) does, element by
element in the same order of operations, so the numbers are the same to the last bit: the
factor ``1 - p + p z`` as ``(p zr + (1 - p), p zi + 0)``, its reciprocal by NumPy's complex
division (Smith's method, ``1 + 0i`` over the factor), the gains' sums over the roots and the
strength nodes one term after another from 0 (what ``np.einsum`` does there). The complex
products stay with NumPy (whether they use fused multiply-adds depends on its build); this
module is built without contraction to fused multiply-adds (``-ffp-contract=off``). Complex
arrays are passed as float64 views (re, im interleaved). The two heaviest loops are C
(``_signal_slopes.h``). ``tests/plan/test_signal_gains.py`` compares both on random inputs.
"""

from libc.math cimport INFINITY, fabs, hypot, isfinite, isnan
from libc.stdint cimport int64_t
from libc.stdlib cimport free, malloc

#: |G| below this is set to 0 (the reference's ``_flush``)
cdef double TINY = 1e-200


cdef extern from "_signal_slopes.h" nogil:
    void sp_slopes(const double *re, const double *im, const double *g, double *slopes,
                   Py_ssize_t q, Py_ssize_t big, Py_ssize_t n)
    void sp_node(const double *p, const double *zr, const double *zi, Py_ssize_t n,
                 Py_ssize_t big, double *factor, double *re, double *im)
    void sp_reciprocals(const double *f, Py_ssize_t count, double *r, double *i)


cdef inline bint _after(double v, double best) noexcept nogil:
    """NumPy's argmax rule: a value replaces the best unless it is <= it (NaN always wins)."""
    return not (v <= best)


cdef class Reciprocals:
    """The reciprocal of every program's factor at every strength node and root, kept as real
    and imaginary parts (q, M, n), roots-major, with what the gains need besides: each
    program's chances ``p_of`` (n, 1 + K, q) with no signal and with each kind, the roots
    ``zr`` / ``zi`` (M,) and the weighted rises ``rise`` (n, K, q). ``parts`` (2, q, M, n) is
    the memory for the reciprocals (filled by :meth:`node`)."""

    cdef double[:, :, ::1] re, im, p_of, rise
    cdef double[::1] zr, zi
    cdef Py_ssize_t q, big, n, kinds
    cdef double *slopes  # (q, n)
    cdef double *gain  # (n, K)
    cdef double *tmp  # (2, q, M)
    cdef unsigned char *held  # (n,)

    def __cinit__(
        self,
        double[:, :, :, ::1] parts,
        double[:, :, ::1] p_of,
        double[::1] zr,
        double[::1] zi,
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
        self.held = <unsigned char *> malloc(self.n + 1)
        if not (self.slopes and self.gain and self.tmp and self.held):
            raise MemoryError()

    def __dealloc__(self):
        free(self.slopes)
        free(self.gain)
        free(self.tmp)
        free(self.held)

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
        cdef Py_ssize_t a, k, count = self.q * self.big
        cdef double re, im, r
        cdef bint clear = True
        self._j(j)
        self._qm(new)
        self._qm(total)
        if count == 0:
            return True
        with nogil:
            sp_reciprocals(&new[0, 0], count, self.tmp, self.tmp + count)
            for a in range(self.q):
                for k in range(self.big):
                    self.re[a, k, j] = self.tmp[a * self.big + k]
                    self.im[a, k, j] = self.tmp[count + a * self.big + k]
            # a modulus is at least the larger part: only values with both parts tiny can go
            for a in range(self.q):
                for k in range(self.big):
                    re = total[a, 2 * k]
                    im = total[a, 2 * k + 1]
                    if fabs(re) < 2.0 * TINY and fabs(im) < 2.0 * TINY:
                        r = hypot(re, im)
                        if fabs(r - TINY) <= 1e-12 * TINY:
                            clear = False
            if clear:
                for a in range(self.q):
                    for k in range(self.big):
                        re = total[a, 2 * k]
                        im = total[a, 2 * k + 1]
                        if fabs(re) < 2.0 * TINY and fabs(im) < 2.0 * TINY and hypot(re, im) < TINY:
                            total[a, 2 * k] = 0.0
                            total[a, 2 * k + 1] = 0.0
        return clear

    def gather(self, const int64_t[::1] js, double[:, :, ::1] out):
        """The reciprocals of programs ``js`` (r,) into ``out`` (q, r, 2M)."""
        cdef Py_ssize_t r = js.shape[0], a, i, k, j
        if out.shape[0] != self.q or out.shape[1] != r or out.shape[2] != 2 * self.big:
            raise ValueError("out: expected (q, r, 2M)")
        for i in range(r):
            self._j(js[i])
        with nogil:
            for a in range(self.q):
                for i in range(r):
                    j = js[i]
                    for k in range(self.big):
                        out[a, i, 2 * k] = self.re[a, k, j]
                        out[a, i, 2 * k + 1] = self.im[a, k, j]

    def pairs(
        self,
        const int64_t[::1] js,
        const int64_t[::1] ks,
        double[:, :, ::1] new,
        double[:, :, ::1] old,
    ):
        """For each t: program ``js[t]``'s factor with a kind-``ks[t]`` signal into ``new[t]``
        and its current reciprocal into ``old[t]`` (r, q, 2M each)."""
        cdef Py_ssize_t r = js.shape[0], t
        if ks.shape[0] != r or new.shape[0] != r or old.shape[0] != r:
            raise ValueError("js / ks / new / old: one per pair expected")
        for t in range(r):
            self._j(js[t])
            if not -1 <= ks[t] < self.kinds:
                raise ValueError("ks: not kinds")
            self._qm(new[t])
            self._qm(old[t])
        with nogil:
            for t in range(r):
                self._column(js[t], &self.p_of[js[t], ks[t] + 1, 0], 1, new[t], old[t])

    cdef void _gains(self, const double[:, ::1] g, Py_ssize_t kind) noexcept nogil:
        """The gains into ``self.gain`` (n, K), only column ``kind`` if >= 0:
        ``Σ_a rise[j, k, a] slopes[a, j]`` in node order."""
        cdef Py_ssize_t j, k, a
        cdef double acc
        if self.q * self.n == 0:
            return
        sp_slopes(&self.re[0, 0, 0], &self.im[0, 0, 0], &g[0, 0], self.slopes,
                  self.q, self.big, self.n)
        for j in range(self.n):
            for k in range(self.kinds):
                if kind >= 0 and k != kind:
                    continue
                acc = 0.0
                for a in range(self.q):
                    acc = acc + self.rise[j, k, a] * self.slopes[a * self.n + j]
                self.gain[j * self.kinds + k] = acc

    cdef int _held(self, const int64_t[::1] kind, const int64_t[::1] grp) except -1:
        """``held[j]``: program j's group holds a signal (group labels 0..n-1)."""
        cdef Py_ssize_t j
        if kind.shape[0] != self.n or grp.shape[0] != self.n:
            raise ValueError("kind / grp: expected (n,)")
        for j in range(self.n):
            if not 0 <= grp[j] < self.n:
                raise ValueError("grp: labels 0..n-1 expected")
        for j in range(self.n):
            self.held[j] = 0
        for j in range(self.n):
            if kind[j] >= 0:
                self.held[grp[j]] = 1
        return 0

    def gains(self, const double[:, ::1] g, double[:, ::1] out):
        """The gains (n, K) into ``out``; ``g`` (q, 2M) is ``G h`` (complex (q, M))."""
        cdef Py_ssize_t j, k
        self._qm(g)
        if out.shape[0] != self.n or out.shape[1] != self.kinds:
            raise ValueError("out: expected (n, K)")
        with nogil:
            self._gains(g, -1)
            for j in range(self.n):
                for k in range(self.kinds):
                    out[j, k] = self.gain[j * self.kinds + k]

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
        cdef Py_ssize_t j, k, at = 0, i = 0
        cdef double v, best = 0.0
        cdef bint finite = False, stop = False
        self._qm(g)
        self._held(kind, grp)
        if left.shape[0] != self.kinds:
            raise ValueError("left: expected (K,)")
        with nogil:
            self._gains(g, -1)
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
        cdef Py_ssize_t i, at = 0
        cdef double v, vj = 0.0, best = 0.0
        cdef bint stop = False
        self._qm(g)
        self._held(kind, grp)
        self._j(j)
        if not 0 <= k < self.kinds:
            raise ValueError("k: not a kind")
        with nogil:
            self._gains(g, k)
            for i in range(self.n):
                v = -INFINITY if self.held[grp[i]] else self.gain[i * self.kinds + k]
                if i == j:
                    vj = v
                if not stop and (i == 0 or _after(v, best)):
                    best, at = v, i
                    stop = isnan(v)
        if best <= vj + 1e-13:
            return j
        return at
