"""Hypothesis strategies of hostile input: surrogates, deep nesting, NaN/inf, huge values,
wrong types, markup and near-valid profiles (so the real planner runs, not only validation)."""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import strategies as st

from smartpick.profile import Profile
from smartpick.specialties import SPECIALTIES

FIELDS = list(Profile.model_fields)


def examples(default: int) -> int:
    """Examples per fuzz test: ``default`` (bounded for `make test`), or
    ``$SMARTPICK_FUZZ_EXAMPLES`` for a longer run."""
    return int(os.environ.get("SMARTPICK_FUZZ_EXAMPLES") or default)


CODES = ["1903140C0", "2265140C0", "XXXX", "1903140C", "[/x]", ""]

surrogates = st.text(st.characters(categories=["Cs"]), min_size=1, max_size=3)
#: Hostile text a URL can carry (no lone surrogates).
url_text = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["[/x]", "[bold]", "<script>", "\x00", "\ufeff", "%s", "'; DROP TABLE x"]),
    st.integers(2001, 5000).map(lambda n: "x" * n),  # over the string limit
    st.sampled_from([s.name for s in SPECIALTIES] + [s.code for s in SPECIALTIES]),
)
hostile_text = st.one_of(url_text, surrogates)
numbers = st.one_of(
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 1e308, -1e308, 5e-324, 2**63, 0.999999, 1.0, 300, 301, 1949]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, hostile_text)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=2),
    max_leaves=6,
)


def deep(n: int) -> Any:
    out: Any = 1
    for _ in range(n):
        out = [out]
    return out


deep_values = st.integers(10, 1500).map(deep)

#: A valid profile: every field drawn from its allowed values (the planner runs on these).
valid_profiles = st.fixed_dictionaries(
    {"specialty": st.sampled_from([s.name for s in SPECIALTIES])},
    optional={
        "backup_specialty": st.sampled_from([s.code for s in SPECIALTIES]),
        "include_preliminary": st.booleans(),
        "applicant_type": st.sampled_from(["us_md", "us_do", "us_img", "non_us_img"]),
        "step2_score": st.integers(1, 300),
        "step1": st.one_of(st.sampled_from(["pass", "fail"]), st.integers(1, 300)),
        "exam_failures": st.integers(0, 20),
        "graduation_year": st.integers(1950, 2027),
        "visa": st.sampled_from(["none", "j1", "h1b"]),
        "usce_months": st.floats(0, 120),
        "us_letters": st.integers(0, 20),
        "specialty_letters": st.integers(0, 20),
        "research_items": st.integers(0, 500),
        "regions": st.lists(st.sampled_from(["Midwest", "South", "Pacific", "Northeast"])),
        "exclude_states": st.lists(st.sampled_from(["NY", "CA", "OH", "TX", "PR"])),
        "settings": st.lists(st.sampled_from(["university", "affiliated", "community"])),
        "budget_usd": st.one_of(st.floats(0, 1e308), st.sampled_from([0, 1, 99, 1e6])),
        "target_match_probability": st.floats(0.01, 0.99),
    },
).map(
    # a non-US IMG must state the visa (issue 11)
    lambda d: {"visa": "none", **d} if d.get("applicant_type") == "non_us_img" else d
)


@st.composite
def near_valid_profiles(draw: st.DrawFn) -> Any:
    """A valid profile with at most two fields replaced by hostile values."""
    data = dict(draw(valid_profiles))
    for _ in range(draw(st.integers(0, 2))):
        key = draw(st.one_of(st.sampled_from(FIELDS), hostile_text))
        data[key] = draw(st.one_of(values, deep_values))
    return data


bodies = st.one_of(near_valid_profiles(), values, deep_values)


def to_json(value: Any) -> str:
    """JSON text as a client could send it (NaN/Infinity literals, escaped surrogates)."""
    return json.dumps(value, ensure_ascii=True, allow_nan=True)


raw_json = st.one_of(
    bodies.map(to_json),
    st.integers(10, 3000).map(lambda n: '{"specialty": ' + "[" * n + "]" * n + "}"),
    st.integers(10, 3000).map(lambda n: "{" * n),
    st.text(max_size=40),
)
