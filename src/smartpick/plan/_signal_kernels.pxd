# The signal allocator's compiled state (_signal_kernels.pyx), shared with the one-call paths
# built on it (_signal_run.pyx).

from libc.stdint cimport int64_t


cdef extern from "_signal_slopes.h" nogil:
    void sp_slopes(const double *re, const double *im, const double *g, double *slopes,
                   Py_ssize_t q, Py_ssize_t big, Py_ssize_t n)
    void sp_slopes_batch(const double *re, const double *im, const double *g, double *slopes,
                         Py_ssize_t count, Py_ssize_t q, Py_ssize_t big, Py_ssize_t n)
    void sp_node(const double *p, const double *zr, const double *zi, Py_ssize_t n,
                 Py_ssize_t big, double *factor, double *re, double *im)
    void sp_node_inverses(const double *p, const double *zr, const double *zi, Py_ssize_t n,
                          Py_ssize_t big, double *re, double *im)
    void sp_chain(const double *p, const double *zr, const double *zi, Py_ssize_t n,
                  Py_ssize_t big, double *acc, double *total, int fused)
    void sp_reciprocals(const double *f, Py_ssize_t count, double *r, double *i)
    void sp_cmul(const double *a, const double *b, double *out, Py_ssize_t count, int fused)


cdef class Reciprocals:
    cdef double[:, :, ::1] re, im, p_of, rise
    cdef const double[::1] zr, zi
    cdef Py_ssize_t q, big, n, kinds
    cdef double *slopes  # (q, n)
    cdef double *gain  # (n, K)
    cdef double *tmp  # (2, q, M)
    cdef double *work  # (4, q, 2M): a new factor, an old reciprocal, their ratio / G h, another
    cdef unsigned char *held  # (n,)
    cdef int64_t *order  # (n,)
    cdef bint fresh  # each reciprocal its factor's with no signal (as after a start)

    cdef int _j(self, Py_ssize_t j) except -1
    cdef int _qm(self, const double[:, ::1] x) except -1
    cdef void _column(self, Py_ssize_t j, const double *p, Py_ssize_t step,
                      double[:, ::1] new, double[:, ::1] old) noexcept nogil
    cdef void _factor(self, Py_ssize_t j, Py_ssize_t k, double *out) noexcept nogil
    cdef bint _place(self, Py_ssize_t j, const double *new, double *total) noexcept nogil
    cdef void _write(self, Py_ssize_t j, const double *r, const double *i) noexcept nogil
    cdef bint _flush(self, double *total) noexcept nogil
    cdef void _combine(self, const double *slopes, Py_ssize_t kind,
                       const int64_t *left, const int64_t *grp) noexcept nogil
    cdef void _ratio(self, Py_ssize_t j, Py_ssize_t k, double *ratio, bint fused) noexcept nogil
    cdef bint _set(self, Py_ssize_t j, Py_ssize_t k, double *total, bint fused) noexcept nogil
    cdef void _scale(self, const double *total, const double *h, double *out,
                     bint fused) noexcept nogil
    cdef void _gains(self, const double *g, Py_ssize_t kind) noexcept nogil
    cdef int _held(self, const int64_t[::1] kind, const int64_t[::1] grp) except -1
    cdef void _hold(self, const int64_t *kind, const int64_t *grp) noexcept nogil
    cdef Py_ssize_t _pick(self, const int64_t *grp, const int64_t *left) noexcept nogil
    cdef Py_ssize_t _move(self, const int64_t *grp, Py_ssize_t k, Py_ssize_t j) noexcept nogil
