# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The signal allocator's one-call paths (issue 10) on its compiled state
(``_signal_kernels.pyx``, see :mod:`.signal_gains`): G at the start, and the whole greedy and
the single moves in one call, with the complex products rounded as NumPy rounds them here,
fused multiply-adds or not (``sp_cmul``, the mode found at first use by
``signal_kernels.fused_products``). Built as the state is (``-ffp-contract=off``).

Both are evaluated speculatively. The greedy's picks after one almost always follow the order
of its gains, and a pass of single moves almost always puts each signal back where it was. So
G is first computed after each guessed step (the same operations, in the same order, as one by
one), then the slopes of all of them in one sweep over the reciprocals (``sp_slopes_batch``:
the same sums, each reciprocal read once for all), then the steps are checked in order; from
the first guess that is wrong on, the evaluation starts again. The results are those of the
steps one by one, bit for bit (``tests/plan/test_signals.py``).
"""

from libc.stdint cimport int64_t
from libc.stdlib cimport free, malloc
from libc.string cimport memcpy

from smartpick.plan._signal_kernels cimport (
    Reciprocals,
    sp_chain,
    sp_cmul,
    sp_node_inverses,
    sp_reciprocals,
    sp_slopes,
    sp_slopes_batch,
)


cdef inline Py_ssize_t _place_pick(Py_ssize_t at, Py_ssize_t kinds, int64_t *kind,
                                   int64_t *left) noexcept nogil:
    """Pick ``at`` (program ``at // kinds``, kind ``at % kinds``) recorded in ``kind`` and
    ``left``; its program."""
    cdef Py_ssize_t j = at // kinds, k = at % kinds
    kind[j] = k
    left[k] -= 1
    return j


cdef class Greedy(Reciprocals):
    """:class:`._signal_kernels.Reciprocals` with the one-call paths."""

    def start(self, double[:, ::1] total, bint fused):
        """Every program's reciprocal at every node (chances ``p_of[:, 0]``) and G into
        ``total`` (q, 2M): at each node the product of the factors in program order, as
        ``np.multiply.reduce`` over them (``fused``: NumPy's fused products), flushed. False
        where the flush is NumPy's to decide (``total`` then unflushed)."""
        cdef Py_ssize_t a, i
        cdef double *acc
        cdef double *p
        cdef bint clear
        self._qm(total)
        self.fresh = True
        if self.n == 0:
            for a in range(self.q):
                for i in range(self.big):
                    total[a, 2 * i], total[a, 2 * i + 1] = 1.0, 0.0  # the empty product
            return True
        acc = <double *> malloc((2 * self.big + self.n) * sizeof(double))
        if not acc:
            raise MemoryError()
        p = acc + 2 * self.big  # one node's chances
        with nogil:
            for a in range(self.q):
                for i in range(self.n):
                    p[i] = self.p_of[i, 0, a]
                sp_node_inverses(p, &self.zr[0], &self.zi[0], self.n, self.big,
                                 &self.re[a, 0, 0], &self.im[a, 0, 0])
                sp_chain(p, &self.zr[0], &self.zi[0], self.n, self.big, acc, &total[a, 0], fused)
            clear = self._flush(&total[0, 0])
        free(acc)
        return clear

    def run(
        self,
        double[:, ::1] total,
        const double[::1] h,
        int64_t[::1] kind,
        const int64_t[::1] grp,
        int64_t[::1] left,
        Py_ssize_t passes,
        bint fused,
    ):
        """The greedy (:meth:`pick` and the placing, while signals are left) and then up to
        ``passes`` passes of single moves (each signal in program order lifted and put back
        where :meth:`move` says), as :mod:`.signals` does them step by step: ``kind``, ``left``
        and G (``total`` (q, 2M), ``h`` (2M,)) updated in place. False when a flush was NumPy's
        to decide: the state is then spoilt and the caller starts again step by step."""
        cdef Py_ssize_t k, steps = 0, signals = 0, size = 2 * self.q * self.big
        cdef double *spare = NULL
        cdef bint ok, ahead
        self._qm(total)
        self._held(kind, grp)
        if left.shape[0] != self.kinds or h.shape[0] != 2 * self.big:
            raise ValueError("left / h: expected (K,) / (2M,)")
        for k in range(self.kinds):
            steps += left[k]  # as range(left.sum()): none when negative
        for k in range(self.n):
            if not -1 <= kind[k] < self.kinds:
                raise ValueError("kind: not kinds")
            signals += kind[k] >= 0
        # the speculative passes need every reciprocal to be its factor's with its signal
        ahead = self.fresh and signals == 0
        signals = min(self.n, max(steps, 0))  # signals placed at most, if none was
        if signals > 1 or (ahead and passes > 0 and signals):
            spare = <double *> malloc((size * (1 + 3 * signals) + signals * self.q * self.n)
                                      * sizeof(double) + 1)
            if not spare:
                raise MemoryError()
        with nogil:
            ok = self._run(&total[0, 0], &h[0], &kind[0], &grp[0], &left[0], steps, passes,
                           fused, spare, ahead)
        free(spare)
        return ok

    cdef bint _run(self, double *total, const double *h, int64_t *kind, const int64_t *grp,
                   int64_t *left, Py_ssize_t steps, Py_ssize_t passes, bint fused,
                   double *spare, bint ahead) noexcept nogil:
        cdef Py_ssize_t r
        cdef int moved
        if self._greedy(total, h, kind, grp, left, steps, fused, spare) < 0:
            return False
        for r in range(passes):
            if ahead and spare != NULL:
                moved = self._ahead(total, h, kind, grp, fused, spare)
            else:
                moved = self._steps(total, h, kind, grp, fused)
            if moved < 0:
                return False
            if not moved:
                break
        return True

    cdef int _greedy(self, double *total, const double *h, int64_t *kind, const int64_t *grp,
                     int64_t *left, Py_ssize_t steps, bint fused, double *spare) noexcept nogil:
        """The greedy: while signals are left, the :meth:`pick` placed; 0, or -1 where a
        flush is NumPy's to decide. Speculative (the module's docstring): the picks after one
        are guessed in the order of its gains (:meth:`_guess`), G after each guessed pick
        computed, all of them evaluated in one sweep, and the guesses checked in order; from
        the first one that is wrong on, it starts again. The state's reciprocals of programs
        whose group holds a signal are never read by a pick, so all are evaluated as they are."""
        cdef Py_ssize_t size = self.q * self.big, two = 2 * size, done = 0, count, i, j, k, at
        cdef Py_ssize_t most = min(self.n, steps)  # the signals ``spare`` is for (:meth:`run`)
        cdef double *scaled = self.work + 4 * size
        cdef double *states = NULL  # (P, q, 2M): G before each guessed pick
        cdef double *gh = NULL  # (P, q, 2M): their G h
        cdef double *slopes = NULL  # (P, q, n)
        cdef int64_t *guess = self.order
        if spare != NULL:
            states, gh, slopes = spare + two, spare + two * (1 + most), spare + two * (1 + 3 * most)
        while done < steps:
            self._scale(total, h, scaled, fused)
            self._hold(kind, grp)
            sp_slopes(&self.re[0, 0, 0], &self.im[0, 0, 0], scaled, self.slopes,
                      self.q, self.big, self.n)
            self._combine(self.slopes, -1, left, grp)
            at = self._pick(grp, left)
            if at < 0:
                return 0
            count = self._guess(at, grp, left, steps - done, guess) if spare != NULL else 1
            j, k = _place_pick(at, self.kinds, kind, left), at % self.kinds
            done += 1
            if not self._set(j, k, total, fused):
                return -1
            if count < 2:
                continue
            count -= 1  # evaluations guessed: of G now and after each guessed pick but the last
            memcpy(states, total, two * sizeof(double))
            for i in range(1, count):
                self._ratio(guess[i] // self.kinds, guess[i] % self.kinds, scaled, fused)
                sp_cmul(states + (i - 1) * two, scaled, states + i * two, size, fused)
                if not self._flush(states + i * two):
                    return -1
            for i in range(count):
                self._scale(states + i * two, h, gh + i * two, fused)
            sp_slopes_batch(&self.re[0, 0, 0], &self.im[0, 0, 0], gh, slopes, count,
                            self.q, self.big, self.n)
            for i in range(count):
                self._hold(kind, grp)
                self._combine(slopes + i * self.q * self.n, -1, left, grp)
                at = self._pick(grp, left)
                if at < 0 or at != guess[i + 1] or i == count - 1:
                    memcpy(total, states + i * two, two * sizeof(double))
                    if at < 0:
                        return 0
                    j, k = _place_pick(at, self.kinds, kind, left), at % self.kinds
                    done += 1
                    if not self._set(j, k, total, fused):
                        return -1
                    break
                # as guessed: G after it is the next state; its reciprocal as _set writes it
                j, k = _place_pick(at, self.kinds, kind, left), at % self.kinds
                done += 1
                self._factor(j, k, self.work)
                sp_reciprocals(self.work, size, self.tmp, self.tmp + size)
                self._write(j, self.tmp, self.tmp + size)
        return 0

    cdef Py_ssize_t _guess(self, Py_ssize_t at, const int64_t *grp, const int64_t *left,
                           Py_ssize_t count, int64_t *out) noexcept nogil:
        """Up to ``count`` picks into ``out``, ``at`` first, each the next :meth:`_pick` of the
        gains computed as if they did not change (``held`` overwritten); how many."""
        cdef Py_ssize_t r, k
        cdef int64_t rest[8]
        if self.kinds > 8:
            out[0] = at
            return 1
        for k in range(self.kinds):
            rest[k] = left[k]
        for r in range(count):
            if r:
                at = self._pick(grp, rest)
                if at < 0:
                    return r
            out[r] = at
            self.held[grp[at // self.kinds]] = 1
            rest[at % self.kinds] -= 1
        return count

    cdef int _steps(self, double *total, const double *h, int64_t *kind, const int64_t *grp,
                    bint fused) noexcept nogil:
        """One pass of single moves, step by step: 1 if a signal moved, 0 if none, -1 where
        a flush is NumPy's to decide."""
        cdef Py_ssize_t i, j, k, best, count = 0
        cdef int moved = 0
        cdef double *scaled = self.work + 4 * self.q * self.big
        for i in range(self.n):
            if kind[i] >= 0:
                self.order[count] = i
                count += 1
        for i in range(count):
            j = self.order[i]
            k = kind[j]
            if not self._set(j, -1, total, fused):
                return -1
            kind[j] = -1
            self._scale(total, h, scaled, fused)
            self._hold(kind, grp)
            self._gains(scaled, k)
            best = self._move(grp, k, j)
            moved = moved or best != j
            kind[best] = k
            if not self._set(best, k, total, fused):
                return -1
        return moved

    cdef int _ahead(self, double *total, const double *h, int64_t *kind, const int64_t *grp,
                    bint fused, double *spare) noexcept nogil:
        """:meth:`_steps` evaluated speculatively (the module's docstring); ``spare`` holds
        (1 + 3 P) (q, 2M) and P (q, n) values for P signals."""
        cdef Py_ssize_t size = self.q * self.big, two = 2 * size, count = 0, first = 0
        cdef Py_ssize_t i, t, a, m, j, k, best, row = 2 * self.big
        cdef int moved = 0
        cdef bint again
        cdef double acc
        cdef double *new = self.work
        cdef double *old = self.work + two
        cdef double *ratio = self.work + 2 * two
        cdef double *state  # (q, 2M): G after the lifts so far, each put back
        cdef double *lifted  # (P, q, 2M): G with signal t lifted
        cdef double *scaled  # (P, q, 2M): that times h
        cdef double *none  # (P, 2, q, M): the lifted program's reciprocal (re, im)
        cdef double *slopes  # (P, q, n)
        cdef double *lr
        cdef double *li
        cdef double *gh
        for i in range(self.n):
            if kind[i] >= 0:
                self.order[count] = i
                count += 1
        state = spare
        lifted = state + two
        scaled = lifted + count * two
        none = scaled + count * two
        slopes = none + count * two
        while first < count:
            memcpy(state, total, two * sizeof(double))
            for t in range(first, count):
                j, k = self.order[t], kind[self.order[t]]
                # the lift, as _set(j, -1): G times the factor without over the one with
                self._ratio(j, -1, ratio, fused)
                sp_cmul(state, ratio, lifted + t * two, size, fused)
                sp_reciprocals(new, size, none + t * two, none + t * two + size)
                if not self._flush(lifted + t * two):
                    return -1
                self._scale(lifted + t * two, h, scaled + t * two, fused)
                # put back, as _set(j, k): the reciprocal written is the one there before
                self._factor(j, k, new)
                for a in range(size):
                    old[2 * a] = none[t * two + a]
                    old[2 * a + 1] = none[t * two + size + a]
                sp_cmul(new, old, ratio, size, fused)
                sp_cmul(lifted + t * two, ratio, state, size, fused)
                if not self._flush(state):
                    return -1
            sp_slopes_batch(&self.re[0, 0, 0], &self.im[0, 0, 0], scaled + first * two, slopes,
                            count - first, self.q, self.big, self.n)
            for t in range(first, count):
                j = self.order[t]
                lr, li, gh = none + t * two, none + t * two + size, scaled + t * two
                for a in range(self.q):  # the lifted program's own slope: its reciprocal lifted
                    acc = 0.0
                    for m in range(self.big):
                        acc = acc + (lr[a * self.big + m] * gh[a * row + 2 * m]
                                     - li[a * self.big + m] * gh[a * row + 2 * m + 1])
                    slopes[((t - first) * self.q + a) * self.n + j] = acc
            again = False
            for t in range(first, count):
                j, k = self.order[t], kind[self.order[t]]
                kind[j] = -1
                self._hold(kind, grp)
                self._combine(slopes + (t - first) * self.q * self.n, k, NULL, grp)
                best = self._move(grp, k, j)
                if best == j:
                    kind[j] = k
                    continue
                # it moves: the state after its lift, then the signal where it gains most
                memcpy(total, lifted + t * two, two * sizeof(double))
                self._write(j, none + t * two, none + t * two + size)
                kind[best] = k
                if not self._set(best, k, total, fused):
                    return -1
                moved, first, again = 1, t + 1, True
                break
            if not again:
                memcpy(total, state, two * sizeof(double))
                first = count
        return moved
