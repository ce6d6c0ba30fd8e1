"""The plan's listed programs and curve, built column by column and without validation, are
what the per-program fields and pydantic's validation give (JSON included)."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from smartpick.assemble import _curve, _listed
from smartpick.assemble_programs import (
    chance_bands,
    column_percentiles,
    part_programs,
    program_fields,
)
from smartpick.assemble_signals import program_signals
from smartpick.contract import CurvePoint, ProgramOut, built
from smartpick.pipeline import PlanCore, Run, run
from smartpick.planner import Planner
from smartpick.profile import parse_profile

from .test_pipeline import BASE, TODAY  # the same IM + FM backup profile

PROFILES: list[dict[str, Any]] = [
    BASE,
    {**BASE, "applicant_type": "non_us_img", "visa": "j1", "step2_score": 245},
    {**BASE, "visa": "h1b", "signals": False, "include_preliminary": True},
    {**BASE, "applicant_type": "us_md", "step2_score": None, "step1": "pass"},
]


@pytest.fixture(scope="module")
def runs(shipped_db: Path) -> list[tuple[Run, bool]]:
    """Runs with and without the parameter draws (no ranges), for several profiles."""
    core = PlanCore(Planner(shipped_db), TODAY)
    out = []
    for raw in PROFILES:
        prof = parse_profile(raw, today=TODAY)
        out += [(run(core, prof), True), (run(core, prof, draws=False), False)]
    return out


def test_part_programs_are_program_fields_of_each(runs: list[tuple[Run, bool]]) -> None:
    for r, with_draws in runs:
        for res in r.results:
            plan = r.plans[res.part.role]
            rows = res.candidates[plan.chosen]
            bands = chance_bands(res, rows)
            assert (bands is not None) == with_draws
            signals = program_signals(r, res.part.role, len(rows))
            median = float(np.median(res.frame.positions))
            want = [
                program_fields(
                    res,
                    int(fi),
                    str(plan.tiers[k]),
                    r.profile,
                    None if bands is None else (float(bands[0][k]), float(bands[1][k])),
                    median,
                    signals[k],
                )
                for k, fi in enumerate(rows)
            ]
            got = part_programs(res, rows, plan.tiers, r.profile, bands, signals)
            assert got == want
            assert [list(g) for g in got] == [list(w) for w in want]  # same key order
            assert all(type(g[f]) is type(w[f]) for g, w in zip(got, want, strict=True) for f in g)


def _same_as_validated(models: list[Any], adapter: TypeAdapter[Any]) -> None:
    rows = [dict(m.__dict__) for m in models]
    valid = adapter.validate_python(rows)
    assert models == valid
    assert adapter.dump_json(models) == adapter.dump_json(valid)
    assert [m.model_fields_set for m in models] == [v.model_fields_set for v in valid]
    assert [type(v) for m in models for v in m.__dict__.values()] == [
        type(v) for m in valid for v in m.__dict__.values()
    ]


def test_built_models_are_the_validated_ones(runs: list[tuple[Run, bool]]) -> None:
    for r, _ in runs:
        _same_as_validated(_listed(r), TypeAdapter(list[ProgramOut]))
        for plan in r.plans.values():
            _same_as_validated(_curve(plan), TypeAdapter(list[CurvePoint]))


def test_built_models_copy_without_touching_the_others() -> None:
    a, b = built(
        CurvePoint,
        [
            CurvePoint(applications=n, match_probability=0.5, cost_usd=1.0).__dict__.copy()
            for n in (1, 2)
        ],
    )
    c = a.model_copy(update={"cost_usd": 2.0})
    assert (c.cost_usd, a.cost_usd, b.cost_usd) == (2.0, 1.0, 1.0)
    assert a.model_fields_set == b.model_fields_set == set(CurvePoint.model_fields)
    with pytest.raises(ValidationError):  # still frozen
        a.cost_usd = 3.0  # type: ignore[misc]


def test_built_models_set_every_slot_of_the_state() -> None:
    from smartpick.contract import _SLOTS

    valid = CurvePoint(
        applications=1,
        match_probability=0.5,
        cost_usd=1.0,
        expected_interviews=2.0,
        interviews_low=1.0,
        interviews_high=3.0,
    )
    assert set(_SLOTS) == set(valid.__getstate__())
    (m,) = built(CurvePoint, [dict(valid.__dict__)])
    assert m.__getstate__() == valid.__getstate__()
    assert pickle.loads(pickle.dumps(m)) == valid


@pytest.mark.parametrize("seed", range(4))
def test_column_percentiles_are_numpys(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for trial in range(500):
        a = rng.random((int(rng.integers(1, 60)), int(rng.integers(1, 6))))
        if trial % 3 == 1:
            a = np.round(a, 1)  # ties
        if trial % 3 == 2:
            a[rng.random(a.shape) < 0.1] = np.nan
        qs = [(10.0, 90.0), (0.0, 100.0), (float(rng.integers(0, 101)), 100 * rng.random())][
            trial % 3
        ]
        want = np.percentile(a, qs, axis=0)
        got = column_percentiles(a, qs)
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            assert g.dtype == w.dtype and g.shape == w.shape
            assert np.array_equal(g, w, equal_nan=True)
            assert np.array_equal(np.signbit(g), np.signbit(w))
