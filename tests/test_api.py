"""The Python entry point `smartpick.make_plan` accepts a Profile, a mapping or a TOML path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import smartpick
from smartpick.errors import ProfileError
from smartpick.profile import parse_profile

TODAY = dt.date(2026, 11, 25)
EXAMPLE = Path(__file__).parents[1] / "examples" / "us_img_im_217.toml"


def test_make_plan_accepts_profile_mapping_and_path(shipped_db: Path) -> None:
    data = {"specialty": "Family Medicine", "step2_score": 225}
    a = smartpick.make_plan(data, db=shipped_db, today=TODAY, advice=False)
    b = smartpick.make_plan(parse_profile(data), db=shipped_db, today=TODAY, advice=False)
    assert a.model_dump() == b.model_dump()
    c = smartpick.make_plan(str(EXAMPLE), db=shipped_db, today=TODAY, advice=False)
    assert c.portfolio[0].specialty == "Internal Medicine"


def test_make_plan_names_bad_fields(shipped_db: Path) -> None:
    with pytest.raises(ProfileError, match="step2_score"):
        smartpick.make_plan({"specialty": "FM", "step2_score": 999}, db=shipped_db)
