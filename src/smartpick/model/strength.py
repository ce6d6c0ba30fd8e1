"""The applicant's unobserved strength: the shared term that makes interviews move together.

Programs see things the profile does not record (the personal statement, the letters' content,
how the applicant comes across), so one applicant's invitations are not independent: an
applicant one program invites is likelier to be invited by the next. The model writes this as a
common term ``u ~ N(0, tau^2)`` added to every program's log-odds::

    p_j(u) = expit(eta_j + u)

Given ``u`` the programs decide independently; integrated over ``u`` they are positively
correlated. The integral is taken on Gauss-Hermite nodes (probabilists' Hermite polynomials,
``NODES`` points, weights summing to 1): exact for polynomials of degree ``2 NODES - 1`` in
``u``, and for the smooth functions of ``u`` used here (a probability, a Poisson-binomial pmf)
accurate to well under 0.1 percentage point with 16 nodes (``tests/model/test_strength.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from smartpick.frame import FloatArray
from smartpick.memo import persisted

from .features import expit, expit_inplace

__all__ = ["NODES", "Strength", "anchor_logit", "log_odds"]

#: Gauss-Hermite nodes used to integrate over the applicant's strength.
NODES = 16


@cache
@persisted("strength_nodes", lambda count: (count,))  # spares importing numpy.polynomial
def _nodes(count: int) -> tuple[FloatArray, FloatArray]:
    z, w = np.polynomial.hermite_e.hermegauss(count)
    return np.asarray(z, dtype=np.float64), np.asarray(w / w.sum(), dtype=np.float64)


def log_odds(p: npt.ArrayLike) -> FloatArray:
    """log(p / (1 - p)), exact: -inf at 0 and +inf at 1 (the inverse of ``expit``)."""
    q = np.asarray(p, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.asarray(np.log(q) - np.log1p(-q))


@dataclass(frozen=True, eq=False)
class Strength:
    """Nodes ``u_q = tau z_q`` and weights ``w_q`` of the strength distribution."""

    tau: float
    u: FloatArray  # (q,)
    w: FloatArray  # (q,), sums to 1

    @classmethod
    def of(cls, tau: float, count: int = NODES) -> Strength:
        """The strength ``N(0, tau^2)`` on ``count`` nodes (one node at 0 when tau is 0)."""
        if not np.isfinite(tau) or tau < 0:
            raise ValueError(f"tau must be finite and >= 0, got {tau}")
        if tau == 0.0:
            return cls(0.0, np.zeros(1), np.ones(1))
        z, w = _nodes(count)
        return cls(float(tau), tau * z, w)

    @classmethod
    def none(cls) -> Strength:
        """No shared term: interviews independent (one node at 0)."""
        return cls.of(0.0)

    def __len__(self) -> int:
        return len(self.u)

    def probabilities(self, eta: npt.ArrayLike) -> FloatArray:
        """``p_j(u_q)`` for log-odds ``eta`` (..., n) → (..., q, n)."""
        e = np.asarray(eta, dtype=np.float64)
        return expit_inplace(e[..., None, :] + self.u[:, None])

    def marginal(self, eta: npt.ArrayLike) -> FloatArray:
        """``E_u[p_j(u)]`` for log-odds ``eta`` (..., n) → (..., n)."""
        return np.asarray(np.einsum("...qn,q->...n", self.probabilities(eta), self.w))


def anchor_logit(rate: npt.ArrayLike, sd: npt.ArrayLike, iterations: int = 40) -> FloatArray:
    """``a`` with ``E[expit(a + v)] = rate`` for ``v ~ N(0, sd^2)`` (vectorised Newton).

    The log-odds at ``v = 0`` of a population whose average probability is ``rate``: how a
    program's published interview rate for an applicant group becomes the log-odds of that
    group's average applicant. ``sd`` broadcasts against ``rate``. Rates of exactly 0 or 1 give
    -inf / +inf.
    """
    r = np.asarray(rate, dtype=np.float64)
    sds = np.broadcast_to(np.asarray(sd, dtype=np.float64), r.shape)
    if np.any(~np.isfinite(sds) | (sds < 0)):
        raise ValueError("sd must be finite and >= 0")
    z, w = _nodes(NODES)
    inner = (r > 0) & (r < 1)
    rc = np.clip(r, 1e-12, 1 - 1e-12)
    a = np.log(rc / (1 - rc)) * np.sqrt(1.0 + np.pi / 8.0 * sds**2)  # probit start
    spread = sds[..., None] * z
    for _ in range(iterations):
        p = expit(a[..., None] + spread)  # (..., q)
        f = p @ w - rc
        fp = (p * (1 - p)) @ w
        step = f / np.maximum(fp, 1e-300)
        a = a - np.clip(step, -5.0, 5.0)
        if not np.any(np.abs(step[inner]) >= 1e-10):
            break
    return np.where(r <= 0, -np.inf, np.where(r >= 1, np.inf, a))
