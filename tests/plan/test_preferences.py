"""Soft preferences as weights."""

from __future__ import annotations

import datetime as dt

import numpy as np

from smartpick.plan.preferences import preference_weights, unmet_preferences
from smartpick.profile import parse_profile
from tests.plan.factory import make_frame

TODAY = dt.date(2025, 9, 1)


def test_regions_and_settings() -> None:
    frame = make_frame(
        4,
        state=["OH", "TX", "NY", "PR"],
        setting=["community", None, "university", None],
        inst_setting=[None, "community", None, None],
    )
    prof = parse_profile(
        {
            "specialty": "IM",
            "regions": ["Midwest", "West South Central"],
            "settings": ["community"],
        },
        today=TODAY,
    )
    assert list(unmet_preferences(prof, frame)) == [0.0, 0.0, 2.0, 1.5]
    w = preference_weights(prof, frame, margin=2.0)
    assert np.allclose(w, [1.0, 1.0, 0.25, 2**-1.5])
    none = parse_profile({"specialty": "IM"}, today=TODAY)
    assert np.array_equal(preference_weights(none, frame), np.ones(4))
