"""Benchmark of the planner core: screen, weights, curve, recommendation, forecast, portfolio.

Run: ``.venv/bin/python benchmarks/bench_plan.py``. Inputs are synthetic (built here, no data
files): interview probabilities on a low-score IMG's scale (Beta(1.2, 8)), d = 40 parameter
draws, a saturating M(k) with kmax = 44. The model's own time is measured by its benchmark.
Prints p50 / p90 wall time and peak traced memory for n = 760 (Internal Medicine), n = 1,600,
and a portfolio of 760 IM + 840 FM backup + 313 preliminary IM programs.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from smartpick.frame import ProgramFrame
from smartpick.geo import division_of, region_of
from smartpick.plan import PartInput, optimise, plan_portfolio, preference_weights, screen
from smartpick.profile import parse_profile

TODAY = dt.date(2025, 9, 1)
D = 40
STATES = ("OH", "TX", "NY", "CA", "MI", "FL", "IL", "PA", "GA", "MO")


def obj(values: Any) -> npt.NDArray[np.object_]:
    """An object array (strings / None)."""
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def frame(n: int, code: str, rng: np.random.Generator) -> ProgramFrame:
    """A synthetic frame with a realistic mix of known and unknown facts."""
    states = rng.choice(STATES, n)
    codes = obj([f"{i:04d}{code}C0" for i in range(n)])
    return ProgramFrame(
        program_code=codes,
        inst_code=obj([c[:4] for c in codes]),
        acgme_id=obj([None] * n),
        name=obj([f"P{i}" for i in range(n)]),
        institution=obj([f"H{i}" for i in range(n)]),
        institution_verified=np.ones(n, dtype=bool),
        city=obj([None] * n),
        state=obj(states.tolist()),
        region=obj([region_of(s) for s in states]),
        division=obj([division_of(s) for s in states]),
        specialty_code=obj([code] * n),
        specialty=obj(["X"] * n),
        track=obj(rng.choice(["C", "C", "C", "M", "P"], n).tolist()),
        positions=np.full(n, 10),
        filled=np.full(n, 10),
        setting=obj(
            [("community", "university", "affiliated", None)[i] for i in rng.integers(0, 4, n)]
        ),
        img_share=rng.uniform(0, 1, n),
        img_share_source=obj(["published"] * n),
        pct_do=np.full(n, np.nan),
        interviews_last_year=np.full(n, np.nan),
        visa_j1=rng.choice([-1, 0, 1], n).astype(np.int8),
        visa_h1b=rng.choice([-1, 0, 1], n).astype(np.int8),
        accepting=rng.choice([-1, 0, 1, 1, 1], n).astype(np.int8),
        step2_min=np.where(rng.uniform(size=n) < 0.05, 220.0, np.nan),
        yog_limit_years=np.where(rng.uniform(size=n) < 0.05, 3.0, np.nan),
        inst_im_img_share=np.full(n, np.nan),
        inst_setting=obj([None] * n),
        explorer_row=np.full(n, -1, dtype=np.int64),
        ir_us_md=np.full(n, np.nan),
        ir_us_do=np.full(n, np.nan),
        ir_us_img=np.full(n, np.nan),
        ir_non_us_img=np.full(n, np.nan),
        ir_signal=np.full(n, np.nan),
        ir_gold_signal=np.full(n, np.nan),
        ir_silver_signal=np.full(n, np.nan),
        ir_no_signal=np.full(n, np.nan),
        inst_ir_us_md=np.full(n, np.nan),
        inst_ir_us_do=np.full(n, np.nan),
        inst_ir_us_img=np.full(n, np.nan),
        inst_ir_non_us_img=np.full(n, np.nan),
        sources=obj([()] * n),
    )


def inputs(n: int, code: str, seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    p = rng.beta(1.2, 8.0, n)
    k = np.arange(45, dtype=np.float64)
    m = 1.0 - np.exp(-0.25 * k)
    return {
        "frame": frame(n, code, rng),
        "p": p,
        "p_draws": np.clip(p * rng.lognormal(0.0, 0.3, (D, n)), 0.0, 1.0),
        "m": m,
        "m_draws": np.clip(m * rng.uniform(0.85, 1.0, (D, 1)), 0.0, 1.0),
    }


PROFILE = parse_profile(
    {
        "specialty": "Internal Medicine",
        "backup_specialty": "Family Medicine",
        "step2_score": 217,
        "graduation_year": 2022,
        "visa": "none",
        "regions": ["Midwest", "South"],
        "settings": ["community"],
        "exclude_states": ["CA"],
        "budget_usd": 6000,
    },
    today=TODAY,
)


def one_part(x: dict[str, Any]) -> int:
    res = screen(PROFILE, x["frame"], today=TODAY)
    keep = np.flatnonzero(res.keep)
    w = preference_weights(PROFILE, x["frame"])[keep]
    plan = optimise(
        x["p"][keep],
        x["m"],
        target=0.8,
        budget=PROFILE.budget_usd,
        weights=w,
        p_draws=x["p_draws"][:, keep],
        m_draws=x["m_draws"],
    )
    return plan.recommended_count


def part_input(role: str, x: dict[str, Any], code: str, tracks: tuple[str, ...]) -> PartInput:
    res = screen(PROFILE, x["frame"], today=TODAY, tracks=tracks)
    keep = np.flatnonzero(res.keep)
    return PartInput(
        role=role,  # type: ignore[arg-type]
        specialty=code,
        track=tracks[0],
        p=x["p"][keep],
        m=x["m"],
        fee_codes=np.full(len(keep), code, dtype=object),
        weights=preference_weights(PROFILE, x["frame"])[keep],
        p_draws=x["p_draws"][:, keep],
        m_draws=x["m_draws"],
    )


def portfolio(im: dict[str, Any], fm: dict[str, Any], pre: dict[str, Any]) -> int:
    parts = [
        part_input("primary", im, "140", ("C", "M")),
        part_input("backup", fm, "120", ("C", "M")),
        part_input("preliminary", pre, "140", ("P",)),
    ]
    port, _ = plan_portfolio(parts, target=0.8, budget=PROFILE.budget_usd)
    return sum(q.count for q in port.parts)


def measure(label: str, fn: Callable[[], int], repeat: int = 30) -> None:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(1000 * (time.perf_counter() - t0))
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    q = statistics.quantiles(times, n=10)
    print(
        f"{label:<44} p50 {statistics.median(times):6.1f} ms  p90 {q[8]:6.1f} ms  "
        f"peak {peak / 2**20:5.1f} MiB  (listed {result})"
    )


def main() -> None:
    im, big = inputs(760, "140", 1), inputs(1600, "140", 2)
    fm, pre = inputs(840, "120", 3), inputs(313, "140", 4)
    measure("one part, n = 760, d = 40", lambda: one_part(im))
    measure("one part, n = 1,600, d = 40", lambda: one_part(big))
    measure("portfolio 760 IM + 840 FM + 313 prelim, d = 40", lambda: portfolio(im, fm, pre))


if __name__ == "__main__":
    main()
