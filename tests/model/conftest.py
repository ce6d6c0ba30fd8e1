"""Fixtures of the model tests: frames built from the bundled CSVs, packaged parameters."""

from __future__ import annotations

import datetime as dt

import pytest

from smartpick.frame import ProgramFrame
from smartpick.model.params import ModelParams, load_params
from smartpick.profile import Profile, parse_profile

from .frames import im_frame, nrmp_frame

TODAY = dt.date(2026, 3, 1)


@pytest.fixture(scope="session")
def params() -> ModelParams:
    return load_params()


@pytest.fixture(scope="session")
def im() -> ProgramFrame:
    return im_frame()


@pytest.fixture(scope="session")
def fm() -> ProgramFrame:
    return nrmp_frame("120", ("C",))


def make_profile(**fields: object) -> Profile:
    base: dict[str, object] = {
        "specialty": "Internal Medicine",
        "applicant_type": "us_img",
        "step2_score": 217,
        "graduation_year": 2025,
        "usce_months": 3,
        "usce_kind": "clerkship",
        "us_letters": 3,
        "specialty_letters": 2,
    }
    base.update(fields)
    return parse_profile(base, today=TODAY)
