"""ERAS fees: the AAMC examples, the schedule's shape, shared counters."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartpick.errors import InputError
from smartpick.plan.fees import (
    eras_cost,
    eras_cost_curve,
    eras_cost_sequence,
    fee_sources,
    one_time_fees,
    portfolio_cost,
)


@pytest.mark.parametrize(
    ("counts", "usd"),
    [
        ({"EM": 30}, 330.0),  # AAMC: 30 Emergency Medicine programs
        ({"IM": 43, "DR": 7}, 797.0),  # AAMC: 43 IM + 7 Diagnostic Radiology
        ({"IM": 32, "EM": 32}, 780.0),  # AAMC: 32 IM + 32 EM
    ],
)
def test_aamc_examples(counts: dict[str, int], usd: float) -> None:
    assert portfolio_cost(counts) == usd


@given(st.integers(0, 2000))
def test_cost_formula_is_exact(n: int) -> None:
    assert eras_cost(n) == 11 * min(n, 30) + 30 * max(n - 30, 0)


def test_curve_matches_cost_and_offset() -> None:
    curve = eras_cost_curve(100)
    assert curve.shape == (101,)
    assert [curve[n] for n in (0, 1, 30, 31, 100)] == [0, 11, 330, 360, 2430]
    assert np.array_equal(curve, [eras_cost(n) for n in range(101)])
    shifted = eras_cost_curve(10, offset=25)
    assert np.array_equal(shifted, [eras_cost(25 + n) - eras_cost(25) for n in range(11)])


@given(
    st.lists(st.sampled_from(["140", "120", "999"]), max_size=120),
    st.dictionaries(st.sampled_from(["140", "120"]), st.integers(0, 60)),
)
def test_sequence_resets_per_specialty(codes: list[str], offsets: dict[str, int]) -> None:
    seq = eras_cost_sequence(np.array(codes, dtype=object), offsets)
    expected = sum(
        eras_cost(offsets.get(c, 0) + codes.count(c)) - eras_cost(offsets.get(c, 0))
        for c in set(codes)
    )
    assert seq[0] == 0.0
    assert seq[-1] == pytest.approx(expected)
    assert np.all(np.diff(seq) > 0)


def test_one_time_fees_with_sources() -> None:
    img = {f.key: f for f in one_time_fees("us_img")}
    assert img["ecfmg_token"].usd == 165.0
    assert img["usmle_transcript"].usd == 80.0
    assert "ECFMG" in img["ecfmg_token"].source
    assert [f.key for f in one_time_fees("us_md")] == ["usmle_transcript"]
    assert one_time_fees("us_md", usmle_transcript=False) == ()
    assert any("AAMC" in s for s in fee_sources())


@pytest.mark.parametrize("bad", [-1, 2.5, True])
def test_bad_count_names_the_field(bad: object) -> None:
    with pytest.raises(InputError, match="programs"):
        eras_cost(bad)  # type: ignore[arg-type]
