"""The compiled kernels (``_kernels.pyx``) give the numbers of their NumPy versions.

The NumPy versions are the fallback when the extension is not built and the oracle here:
random inputs from hypothesis, with exact 0s and 1s, one bin, fewer bins than programs and more,
ties and masked pairs in the size grid. The pmfs are the same to the last bit (the same
operations in the same order); the sums over rows or bins to 1e-12.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.plan import kernels
from smartpick.planner import Planner
from smartpick.profile import parse_profile
from smartpick.store import SQLiteStore

from .test_equivalence import _probabilities

TOL = 1e-12

compiled = pytest.mark.skipif(not kernels.COMPILED, reason="compiled kernels not built")


def test_the_extension_is_built_where_a_compiler_is() -> None:
    """``pip install`` (``make install``) builds it; the build is optional, so check it here."""
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.skip("no C compiler: the NumPy versions are used")
    assert kernels.COMPILED or kernels.os.environ.get("SMARTPICK_PURE_KERNELS") == "1"


def test_without_the_extension_it_says_so_once_and_uses_numpy() -> None:
    code = (
        "import sys; sys.modules['smartpick.plan._kernels'] = None\n"
        "from smartpick.plan import kernels\n"
        "from smartpick.plan.forecast import match_probability as mp\n"
        "print(kernels.COMPILED, mp([0.5, 0.5], [0, 1, 1]), mp([0.5], [0, 1]))\n"
    )
    env = {k: v for k, v in kernels.os.environ.items() if k != "SMARTPICK_PURE_KERNELS"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.split() == ["False", "0.75", "0.5"]
    assert out.stderr.count("compiled planner kernels are not built") == 1


@compiled
@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    rows=st.integers(1, 40),
    n=st.integers(0, 90),
    bins=st.integers(1, 70),
    mix=st.booleans(),
    node=st.booleans(),
)
def test_run_programmes_matches_numpy(
    seed: int, rows: int, n: int, bins: int, mix: bool, node: bool
) -> None:
    rng = np.random.default_rng(seed)
    cols = _probabilities(rng, (n, rows))
    w = rng.dirichlet(np.ones(rows)) if mix else None
    m = np.sort(rng.uniform(size=bins)) if node else None
    got = []
    for run in (kernels._compiled.run_programmes, kernels._numpy_run_programmes):
        pmf = np.zeros((bins, rows))
        pmf[0] = 1.0
        out_mix = np.empty((n + 1, bins)) if mix else None
        out_node = np.empty((n + 1, rows)) if node else None
        run(pmf, cols, w, out_mix, m, out_node)
        got.append((pmf, out_mix, out_node))
    (pmf_c, mix_c, node_c), (pmf_n, mix_n, node_n) = got
    assert np.array_equal(pmf_c, pmf_n)
    if mix:
        assert np.max(np.abs(mix_c - mix_n)) <= TOL
    if node:
        assert np.max(np.abs(node_c - node_n)) <= TOL


@compiled
@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    rows=st.integers(1, 30),
    n=st.integers(0, 40),
    bins=st.integers(1, 50),
)
def test_run_programmes_mixture_adds_the_rows_in_order(
    seed: int, rows: int, n: int, bins: int
) -> None:
    """The compiled mixture (four bins at a time) is, bit for bit, each bin's sum over the rows
    taken in order after every program (the oracle: NumPy, one row at a time)."""
    rng = np.random.default_rng(seed)
    cols = _probabilities(rng, (n, rows))
    w = rng.dirichlet(np.ones(rows))
    pmf = np.zeros((bins, rows))
    pmf[0] = 1.0
    mix = np.empty((n + 1, bins))
    kernels._compiled.run_programmes(pmf, cols, w, mix, None, None)
    for j in range(n + 1):
        ref = np.zeros((bins, rows))
        ref[0] = 1.0
        kernels._numpy_run_programmes(ref, cols[:j], None, None, None, None)
        s = np.zeros(bins)
        for r in range(rows):
            s = s + ref[:, r] * w[r]
        assert np.array_equal(mix[j], s), j


@compiled
@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    r=st.integers(1, 60),
    s=st.integers(1, 60),
    forced=st.tuples(st.integers(0, 5), st.integers(0, 5)),
    threshold=st.floats(-1.5, 1.2),
    coarse=st.booleans(),
    shuffled=st.booleans(),
)
def test_pair_scan_matches_numpy(
    seed: int,
    r: int,
    s: int,
    forced: tuple[int, int],
    threshold: float,
    coarse: bool,
    shuffled: bool,
) -> None:
    rng = np.random.default_rng(seed)
    both_fail = rng.uniform(-0.1, 1.1, (r, s))
    if coarse:  # many exact ties
        both_fail = np.round(both_fail, 1)
    cost1, cost2 = np.cumsum(rng.integers(0, 3, r) * 10.0), np.cumsum(rng.integers(0, 3, s) * 10.0)
    if shuffled:  # a decreasing cost: every reaching pair of a row is searched
        cost2 = rng.permutation(cost2)
    fc, fn = both_fail.copy(), both_fail.copy()
    got_c = kernels.pair_scan(fc, cost1, cost2, forced, threshold) if kernels.COMPILED else None
    got_n = kernels._numpy_pair_scan(fn, cost1, cost2, forced, threshold)
    assert got_c is not None
    assert np.array_equal(fc, fn)
    for a, b in zip(got_c[:3], got_n[:3], strict=True):
        assert np.array_equal(a, b)
    assert got_c[3] == got_n[3]


@compiled
@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    r=st.integers(1, 70),
    s=st.integers(1, 70),
    q=st.integers(1, 17),
    forced=st.tuples(st.integers(0, 9), st.integers(0, 9)),
    threshold=st.floats(-0.2, 1.2),
    coarse=st.booleans(),
)
def test_the_grid_from_its_factors_matches_numpy(
    seed: int,
    r: int,
    s: int,
    q: int,
    forced: tuple[int, int],
    threshold: float,
    coarse: bool,
) -> None:
    """The compiled scan computes the allowed pairs of ``a @ bt`` itself (four rows and eight
    columns at a time, the rest one by one): the same bits as :func:`kernels.grid_product`
    and the NumPy scan, at every size around the blocks' edges, with ties (``coarse``)."""
    rng = np.random.default_rng(seed)
    a, bt = rng.uniform(0.0, 0.2, (r, q)), rng.uniform(0.0, 1.0, (q, s))
    if coarse:  # equal products: exact ties between pairs
        a, bt = np.round(a, 1), np.round(bt, 1)
    cost1, cost2 = np.cumsum(rng.integers(0, 3, r) * 10.0), np.cumsum(rng.integers(0, 3, s) * 10.0)
    fc = np.full((r, s), np.nan)  # not read: every pair is computed or masked
    got_c = kernels.pair_scan(fc, cost1, cost2, forced, threshold, (a, bt))
    fn = kernels.grid_product(a, bt)
    got_n = kernels._numpy_pair_scan(fn, cost1, cost2, forced, threshold)
    assert np.array_equal(fc, fn)
    for x, y in zip(got_c[:3], got_n[:3], strict=True):
        assert np.array_equal(x, y)
    assert got_c[3] == got_n[3]
    # the one fixed order is BLAS's product to rounding
    assert np.allclose(kernels.grid_product(a, bt), a @ bt, rtol=0.0, atol=1e-15)


def test_the_numpy_scan_computes_the_grid_from_its_factors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the extension, ``pair_scan`` with factors scans their product: BLAS's grid to
    rounding, with the same frontier pairs and the same cheapest pair (no near-ties here)."""
    rng = np.random.default_rng(3)
    a, bt = rng.uniform(0.0, 0.2, (40, 6)), rng.uniform(0.0, 1.0, (6, 30))
    cost1, cost2 = np.arange(40) * 10.0, np.arange(30) * 10.0
    blas = a @ bt
    want = kernels._numpy_pair_scan(blas, cost1, cost2, (2, 1), 0.5)
    monkeypatch.setattr(kernels, "_compiled", None)
    f = np.full((40, 30), np.nan)  # not read
    got = kernels.pair_scan(f, cost1, cost2, (2, 1), 0.5, (a, bt))
    assert not np.isnan(f).any()
    assert np.allclose(f, blas, rtol=0.0, atol=1e-15)
    assert np.allclose(got[0], want[0], rtol=0.0, atol=1e-15)
    assert np.array_equal(got[2], want[2]) and np.array_equal(got[1], want[1])
    assert got[3] == want[3] and got[3] is not None


def _same(a: object, b: object, path: str = "") -> None:
    """Equal JSON values, floats to TOL."""
    if isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            _same(a[k], b[k], f"{path}/{k}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert isinstance(a, int | float) and isinstance(b, int | float), path
        assert abs(a - b) <= TOL, path
    else:
        assert a == b, path


@compiled
@pytest.mark.parametrize(
    "changes",
    [
        {"step2_score": 226},
        {"step2_score": 241, "budget_usd": 1500, "include_preliminary": True},
        {"step2_score": 218, "backup_specialty": None, "visa": "j1"},
    ],
)
def test_a_plan_is_the_same_with_either_kernels(
    shipped_db: Path, monkeypatch: pytest.MonkeyPatch, changes: dict[str, object]
) -> None:
    """The whole plan (portfolio sizing, signals, curve) with the NumPy fallback and compiled."""
    today = dt.date(2026, 6, 1)
    raw = {"specialty": "IM", "backup_specialty": "Family Medicine", **changes}
    profile = parse_profile({k: v for k, v in raw.items() if v is not None}, today=today)
    with Planner(shipped_db, SQLiteStore(":memory:")) as planner:
        fast = planner.plan(profile, today=today, advice=False).model_dump(mode="json")
    monkeypatch.setattr(kernels, "_compiled", None)
    with Planner(shipped_db, SQLiteStore(":memory:")) as planner:
        slow = planner.plan(profile, today=today, advice=False).model_dump(mode="json")
    _same(fast, slow)


@compiled
@settings(max_examples=300, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 150),
    forced=st.integers(0, 5),
    ties=st.booleans(),
    keep=st.sampled_from([1.0, 0.85, 0.5, 0.1]),
)
def test_mixed_order_matches_python(
    seed: int, n: int, forced: int, ties: bool, keep: float
) -> None:
    """The compiled greedy order is the Python one, ties included (bit for bit: an order)."""
    rng = np.random.default_rng(seed)
    value = rng.beta(0.8, 4.0, n)
    if ties:
        value = np.round(value, 1)
    codes = rng.integers(0, 3, n)
    perm = rng.permutation(n)
    k = min(forced, n)
    start, pool = perm[:k], np.sort(perm[k:])
    queues = tuple(pool[codes[pool] == t] for t in range(3))
    queues = tuple(q[np.lexsort((q, -value[q]))] for q in queues)
    counts = np.bincount(codes[start], minlength=3).astype(np.float64)
    aim = rng.dirichlet(np.ones(3))
    args = (value, queues, counts, aim, keep, start)
    fast = kernels.mixed_order(*args)  # type: ignore[arg-type]
    slow = kernels._python_mixed_order(*args)  # type: ignore[arg-type]
    assert np.array_equal(fast, slow)


@compiled
@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    rows=st.integers(1, 50),
    bins=st.integers(1, 70),
    coarse=st.booleans(),
    level=st.floats(-0.5, 1.5),
)
def test_pmf_quantiles_match_numpy(
    seed: int, rows: int, bins: int, coarse: bool, level: float
) -> None:
    """The compiled quantiles of every row are ``argmax(cumsum >= level)``, bit for bit."""
    rng = np.random.default_rng(seed)
    pmf = rng.dirichlet(np.ones(bins) * rng.uniform(0.1, 3.0), size=rows)
    if coarse:  # exact ties with the levels
        pmf = np.round(pmf, 1)
    levels = (0.1 - 1e-12, 0.9 - 1e-12, level)
    fast = kernels.pmf_quantiles(pmf, levels)
    cdf = np.cumsum(pmf, axis=-1)
    slow = np.array([np.argmax(cdf >= q, axis=-1) for q in levels], dtype=np.float64)
    assert np.array_equal(fast, slow)
