# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The signal allocator's quantities of several programs at once (issue 10), on its compiled
state (``_signal_kernels.pyx``, see :mod:`.signal_gains`): reciprocals and factors gathered
for the step-wise NumPy products, and the swap pass's node values
with the complex products rounded as NumPy rounds them here (``sp_cmul``, fused or not, the
mode found at first use by ``signal_gains.fused_products``). Built as the state is
(``-ffp-contract=off``).
"""

from libc.stdint cimport int64_t
from libc.stdlib cimport free, malloc

from smartpick.plan._signal_kernels cimport Reciprocals, sp_cmul


def gather(Reciprocals s, const int64_t[::1] js, double[:, :, ::1] out):
    """The reciprocals of programs ``js`` (r,) of state ``s`` into ``out`` (q, r, 2M)."""
    cdef Py_ssize_t r = js.shape[0], a, i, k, j
    if out.shape[0] != s.q or out.shape[1] != r or out.shape[2] != 2 * s.big:
        raise ValueError("out: expected (q, r, 2M)")
    for i in range(r):
        s._j(js[i])
    with nogil:
        for a in range(s.q):
            for i in range(r):
                j = js[i]
                for k in range(s.big):
                    out[a, i, 2 * k] = s.re[a, k, j]
                    out[a, i, 2 * k + 1] = s.im[a, k, j]


def pairs(
    Reciprocals s,
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
        s._j(js[t])
        if not -1 <= ks[t] < s.kinds:
            raise ValueError("ks: not kinds")
        s._qm(new[t])
        s._qm(old[t])
    with nogil:
        for t in range(r):
            s._column(js[t], &s.p_of[js[t], ks[t] + 1, 0], 1, new[t], old[t])


def swap_nodes(
    Reciprocals s,
    const int64_t[::1] a,
    const int64_t[::1] b,
    const int64_t[::1] kind,
    const double[:, ::1] total,
    const double[::1] v,
    double[:, ::1] out,
    bint fused,
):
    """For each pair t, ``Σ_m G[:, m] v[m]`` of ``Gains.swapped``'s G (the node values of
    ``Gains.values``, summed as ``np.einsum`` sums them: one term after another from 0) into
    ``out[t]`` (r, 2q: complex (r, q)); each program's ratio to a kind computed once."""
    cdef Py_ssize_t r = a.shape[0], t, i, c, m, row = 2 * s.big
    cdef Py_ssize_t count = s.q * s.big, two = 2 * count, used = 0, ja, jb
    cdef int64_t *slot
    cdef double *slab
    cdef double *g
    cdef double re, im, acc_re, acc_im
    if b.shape[0] != r or out.shape[0] != r or kind.shape[0] != s.n:
        raise ValueError("a / b / out / kind: one per pair, (n,) kinds expected")
    if out.shape[1] != 2 * s.q or v.shape[0] != 2 * s.big:
        raise ValueError("out / v: expected (r, 2q) / (2M,)")
    s._qm(total)
    for t in range(r):
        s._j(a[t])
        s._j(b[t])
        if not (-1 <= kind[a[t]] < s.kinds and -1 <= kind[b[t]] < s.kinds):
            raise ValueError("kind: not kinds")
    slot = <int64_t *> malloc((s.n * (s.kinds + 1) + 1) * sizeof(int64_t))
    slab = <double *> malloc((2 * r + 1) * (two + 1) * sizeof(double))
    if not (slot and slab):
        free(slot)
        free(slab)
        raise MemoryError()
    g = slab + 2 * r * two
    with nogil:
        for i in range(s.n * (s.kinds + 1)):
            slot[i] = -1
        for t in range(r):
            ja = _cached(s, a[t], kind[b[t]], slot, slab, &used, fused)
            jb = _cached(s, b[t], kind[a[t]], slot, slab, &used, fused)
            sp_cmul(slab + ja * two, slab + jb * two, g, count, fused)
            sp_cmul(&total[0, 0], g, g, count, fused)
            for c in range(s.q):
                acc_re = 0.0
                acc_im = 0.0
                for m in range(s.big):
                    re = g[c * row + 2 * m]
                    im = g[c * row + 2 * m + 1]
                    acc_re = acc_re + (re * v[2 * m] - im * v[2 * m + 1])
                    acc_im = acc_im + (re * v[2 * m + 1] + im * v[2 * m])
                out[t, 2 * c] = 0.0 + acc_re
                out[t, 2 * c + 1] = 0.0 + acc_im
    free(slot)
    free(slab)


cdef Py_ssize_t _cached(Reciprocals s, Py_ssize_t j, Py_ssize_t k, int64_t *slot,
                        double *slab, Py_ssize_t *used, bint fused) noexcept nogil:
    """Where in ``slab`` program j's ratio to a kind-``k`` signal is (computed once)."""
    cdef Py_ssize_t at = j * (s.kinds + 1) + k + 1
    if slot[at] < 0:
        s._ratio(j, k, slab + used[0] * 2 * s.q * s.big, fused)
        slot[at] = used[0]
        used[0] += 1
    return slot[at]


def products(const double[::1] a, const double[::1] b, double[::1] out, bint fused):
    """``a * b`` of complex values (interleaved) into ``out`` as ``_signal_run.Greedy.run`` rounds
    them (``fused`` or not): compared with NumPy's at import."""
    if b.shape[0] != a.shape[0] or out.shape[0] != a.shape[0] or a.shape[0] % 2:
        raise ValueError("a / b / out: one complex length expected")
    if a.shape[0]:
        sp_cmul(&a[0], &b[0], &out[0], a.shape[0] // 2, fused)
