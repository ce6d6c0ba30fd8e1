"""The column-wise reasons (``reasons_for``) give what the per-program ``reasons`` gives."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartpick.frame import SETTINGS, ProgramFrame
from smartpick.model.interview import InterviewEstimate, interview_probabilities
from smartpick.model.params import ModelParams
from smartpick.model.reasons import reasons, reasons_for

from .conftest import TODAY, make_profile

#: Few distinct contributions, so that weights tie (the order among equals must match too).
_VALUES = st.sampled_from(
    [-2.0, -1.0, -0.5, -0.05, -0.0, 0.0, 0.0005, 0.001, 0.0015, 0.002, 0.04, 0.05, 0.06, 0.5, 1.0]
)


@pytest.fixture(scope="module")
def base(im: ProgramFrame, params: ModelParams) -> tuple[ProgramFrame, InterviewEstimate]:
    prof = make_profile(visa="j1")
    return im, interview_probabilities(prof, im, params, today=TODAY)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_reasons_for_is_reasons_of_each_program(
    base: tuple[ProgramFrame, InterviewEstimate], data: st.DataObject
) -> None:
    frame, est = base
    n = int(data.draw(st.integers(1, 12), label="n"))
    rows = np.array(
        data.draw(st.lists(st.integers(0, len(frame) - 1), min_size=n, max_size=n), label="rows")
    )
    m = len(est.feature_names)
    contributions = est.contributions.copy()
    contributions[rows] = np.array(
        data.draw(st.lists(st.lists(_VALUES, min_size=m, max_size=m), min_size=n, max_size=n))
    )
    pick = st.lists(st.booleans(), min_size=n, max_size=n)
    blocked = est.blocked.copy()
    blocked[rows] = data.draw(pick, label="blocked")
    setting = frame.setting.copy()
    setting[rows] = data.draw(
        st.lists(st.sampled_from([None, "", *SETTINGS]), min_size=n, max_size=n)
    )
    region = frame.region.copy()
    region[rows] = data.draw(st.lists(st.sampled_from([None, "South"]), min_size=n, max_size=n))
    filled = frame.filled.copy()
    filled[rows] = np.where(
        data.draw(pick, label="unfilled"), frame.positions[rows] - 1, filled[rows]
    )
    visa = data.draw(st.sampled_from(["none", "j1", "h1b"]), label="visa")
    est = dataclasses.replace(
        est,
        contributions=contributions,
        blocked=blocked & (visa != "none"),
        visa=visa,
        score_assumed=data.draw(st.booleans(), label="assumed"),
    )
    frame = dataclasses.replace(frame, setting=setting, region=region, filled=filled)
    prof = make_profile(step2_score=data.draw(st.sampled_from([None, 217, 240])), visa=visa)
    k = data.draw(st.integers(0, 10), label="k")
    median = data.draw(st.sampled_from([None, 3.0]), label="median")
    want = [reasons(est, frame, int(i), prof, k, median_positions=median) for i in rows]
    assert reasons_for(est, frame, rows, prof, k, median_positions=median) == want


def test_reasons_for_no_rows(base: tuple[ProgramFrame, InterviewEstimate]) -> None:
    frame, est = base
    assert reasons_for(est, frame, np.zeros(0, dtype=np.intp), make_profile()) == []


def test_reasons_for_a_real_list(base: tuple[ProgramFrame, InterviewEstimate]) -> None:
    frame, est = base
    prof = make_profile(visa="j1")
    rows = np.arange(len(frame))
    assert reasons_for(est, frame, rows, prof) == [
        reasons(est, frame, i, prof) for i in range(len(frame))
    ]
