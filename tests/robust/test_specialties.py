"""Every specialty x applicant type through the real planner: a plan or a clear InputError.

Issue 9: Transitional Year (offered in the form) as the primary specialty failed every route
with a 500 and the CLI with a traceback (an empty categorical frame reached the model).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from smartpick import service
from smartpick.cli import main
from smartpick.errors import InputError
from smartpick.model.interview import interview_probabilities
from smartpick.model.params import load_params
from smartpick.pipeline import PRELIMINARY_CODES, parts_for
from smartpick.plan import PRELIMINARY_TRACKS
from smartpick.profile import APPLICANT_TYPES, parse_profile
from smartpick.specialties import SPECIALTIES

from ..model.frames import im_frame
from .conftest import page_token

TODAY = dt.date(2026, 9, 15)
FORM = {
    "exam_failures": "0",
    "usce_months": "2",
    "us_letters": "1",
    "specialty_letters": "0",
    "research_items": "0",
    "target_match_probability": "0.8",
    "step2_score": "228",
}


@pytest.mark.parametrize("applicant_type", APPLICANT_TYPES)
def test_every_specialty_plans_or_says_why(shipped_db: Path, applicant_type: str) -> None:
    planned = 0
    for spec in SPECIALTIES:
        profile = parse_profile(
            {
                "specialty": spec.code,
                "applicant_type": applicant_type,
                "step2_score": 228,
                "visa": "j1" if applicant_type == "non_us_img" else "none",
            },
            today=TODAY,
        )
        try:
            result = service.plan(profile, db=shipped_db, today=TODAY, advice=False)
        except InputError as exc:  # allowed, if it names the field
            assert exc.field, (spec.name, str(exc))
            continue
        assert 0.0 <= result.match_probability <= 1.0, spec.name
        planned += 1
    assert planned == len(SPECIALTIES)  # today every specialty of the catalog can be planned


def test_transitional_year_primary_with_backup_preliminary_and_advice(shipped_db: Path) -> None:
    profile = parse_profile(
        {
            "specialty": "Transitional Year",
            "backup_specialty": "Internal Medicine",
            "include_preliminary": True,
            "step2_score": 225,
        },
        today=TODAY,
    )
    result = service.plan(profile, db=shipped_db, today=TODAY, advice=True)
    assert result.programs and result.advice
    assert result.portfolio[0].specialty == "Transitional Year"


def test_transitional_year_parts_use_its_pgy1_track() -> None:
    profile = parse_profile({"specialty": "TY", "include_preliminary": True}, today=TODAY)
    primary, prelim = parts_for(profile)
    assert primary.tracks == PRELIMINARY_TRACKS and primary.codes == ("999",)
    assert prelim.codes == tuple(c for c in PRELIMINARY_CODES if c != "999")  # not twice
    im = parse_profile({"specialty": "IM", "include_preliminary": True}, today=TODAY)
    assert parts_for(im)[1].codes == PRELIMINARY_CODES


def test_a_specialty_without_programs_is_an_input_error() -> None:
    from smartpick.pipeline import PlanCore, evaluate_parts

    profile = parse_profile({"specialty": "IM"}, today=TODAY)
    part = parts_for(profile)[0]
    empty = im_frame().take(np.array([], dtype=np.intp))
    core = PlanCore(lambda code, tracks: empty, TODAY)
    with pytest.raises(InputError, match="no Internal Medicine program") as info:
        evaluate_parts(core, profile, [part])
    assert info.value.field == "specialty"


def test_model_estimates_an_empty_frame() -> None:
    """The model itself copes with no programs (callers also refuse empty frames)."""
    frame = im_frame().take(np.array([], dtype=np.intp))
    profile = parse_profile({"specialty": "IM"}, today=TODAY)
    est = interview_probabilities(profile, frame, load_params(), today=TODAY)
    assert est.p.shape == (0,) and est.p_draws.shape[1] == 0


@pytest.mark.parametrize(
    "path", ["/plan", "/export.csv", "/export.json", "/save", "/edit"], ids=str
)
def test_transitional_year_on_every_form_route(real_client: TestClient, path: str) -> None:
    data = {**FORM, "specialty": "Transitional Year", "csrf_token": page_token(real_client)}
    if path == "/edit":
        data["profile_json"] = '{"specialty": "Transitional Year"}'
    resp = real_client.post(path, data=data)
    assert resp.status_code in (200, 201), resp.text[:300]


def test_transitional_year_over_the_api(real_client: TestClient) -> None:
    for advice in ("true", "false"):
        resp = real_client.post(
            f"/api/plan?advice={advice}", json={"specialty": "TY", "step2_score": 230}
        )
        assert resp.status_code == 200, resp.text[:300]


def test_transitional_year_in_the_cli(
    real_app_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "ty.toml"
    profile.write_text('specialty = "Transitional Year"\nstep2_score = 230\n', encoding="utf-8")
    assert main(["--db", str(real_app_db), "plan", str(profile), "--json"]) == 0
    assert '"recommended_count"' in capsys.readouterr().out
