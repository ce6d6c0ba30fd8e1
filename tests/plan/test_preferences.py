"""Soft preferences as weights."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.plan.preferences import preference_weights, unmet_preferences
from smartpick.profile import parse_profile
from tests.plan.factory import make_frame
from tests.plan.reference_screen import reference_unmet

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


places = st.sampled_from(["OH", "TX", "NY", "PR", "CA", "IL"])
settings_ = st.sampled_from([None, "community", "university", "affiliated", "military"])


@settings(max_examples=60)
@given(
    st.data(),
    st.integers(0, 10),
    st.sampled_from([(), ("Midwest",), ("West South Central", "Northeast"), ("Pacific",)]),
    st.sampled_from([(), ("community",), ("university", "affiliated")]),
)
def test_unmet_matches_the_reference(
    data: st.DataObject, n: int, regions: tuple[str, ...], settings_wanted: tuple[str, ...]
) -> None:
    draw = data.draw
    frame = make_frame(
        n,
        state=draw(st.lists(places, min_size=n, max_size=n)),
        setting=draw(st.lists(settings_, min_size=n, max_size=n)),
        inst_setting=draw(st.lists(settings_, min_size=n, max_size=n)),
    )
    prof = parse_profile(
        {"specialty": "IM", "regions": list(regions), "settings": list(settings_wanted)},
        today=TODAY,
    )
    for _ in range(2):  # the second call reads the cached per-frame columns
        assert np.array_equal(unmet_preferences(prof, frame), reference_unmet(prof, frame))
