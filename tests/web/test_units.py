"""Unit tests of the web helpers: chart, store, exports, form mapping, security, serve."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from smartpick.contract import CurvePoint
from smartpick.errors import ProfileError
from smartpick.profile import Profile, parse_profile
from smartpick.render.export import CSV_COLUMNS, plan_csv
from smartpick.web.chart import curve_svg
from smartpick.web.forms import FIELDS, form_to_profile_data, profile_to_values

from . import fakes

WEB = Path(__file__).resolve().parents[2] / "src" / "smartpick" / "web"


def _curve(n: int) -> list[CurvePoint]:
    return [
        CurvePoint(applications=i, match_probability=1 - 0.9**i, cost_usd=11.0 * i)
        for i in range(1, n + 1)
    ]


def test_chart_marks_the_recommended_point() -> None:
    svg = str(curve_svg(_curve(40), 20, target=0.8, budget=300))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "recommended: 20 · 88% · $220" in svg
    assert svg.count("<polyline") == 2
    assert "target 80%" in svg and "budget $300" in svg
    assert "http" not in svg
    assert str(curve_svg([], 0)) == ""


@given(st.lists(st.floats(0, 1), min_size=1, max_size=60), st.integers(0, 80))
def test_chart_points_stay_inside_the_plot(probs: list[float], rec: int) -> None:
    curve = [
        CurvePoint(applications=i + 1, match_probability=p, cost_usd=11.0 * (i + 1))
        for i, p in enumerate(probs)
    ]
    svg = str(curve_svg(curve, rec))
    for pts in re.findall(r'points="([^"]*)"', svg):
        for pair in pts.split():
            x, y = map(float, pair.split(","))
            assert 0 <= x <= 640 and 0 <= y <= 330


def test_csv_one_row_per_program_and_no_formulas() -> None:
    result = fakes.plan(parse_profile({"specialty": "IM"}))
    evil = result.programs[0].model_copy(update={"name": "=HYPERLINK(1)", "reasons": ["-x"]})
    result = result.model_copy(update={"programs": [evil, *result.programs[1:]]})
    rows = list(csv.DictReader(io.StringIO(plan_csv(result).removeprefix("\ufeff"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(result.programs) + len(result.screened_out)
    assert rows[0]["name"] == "'=HYPERLINK(1)" and rows[0]["reasons"].startswith("'-x")
    assert all(r["sources"] for r in rows if r["status"] == "listed")
    assert rows[-1]["list"] == "screened out" and rows[-1]["strictness"] == "strict"


def test_form_widgets_match_profile_constraints() -> None:
    assert [w.name for w in FIELDS] == list(Profile.model_fields)
    widgets = {w.name: w for w in FIELDS}
    assert widgets["exam_failures"].attrs["max"] == "20"
    assert widgets["usce_months"].attrs["max"] == "120"
    assert widgets["research_items"].attrs["max"] == "500"


def test_form_mapping_roundtrip() -> None:
    values = profile_to_values(None)
    multi = {k: v for k, v in values.items() if isinstance(v, list)}
    single = {k: v for k, v in values.items() if not isinstance(v, list)}
    single = {k: ("on" if v is True else v) for k, v in single.items() if v is not False}
    assert parse_profile(form_to_profile_data(single, multi)).specialty == "Internal Medicine"
    data = form_to_profile_data(
        {"specialty": "IM", "step1": "232", "exclude_states": "ca, ny", "us_letters": "3"},
        {"regions": ["Midwest", " "]},
    )
    assert data["step1"] == 232 and data["exclude_states"] == ["ca", "ny"]
    assert data["regions"] == ["Midwest"] and data["us_letters"] == 3
    with pytest.raises(ProfileError) as err:
        form_to_profile_data({"us_letters": "2.5"}, {})
    assert err.value.field == "us_letters"


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/", "/api/specialties", "/static/app.css", "/nope"):
        h = client.get(path).headers
        assert "script-src 'self'" in h["content-security-policy"]
        assert "unsafe-inline" not in h["content-security-policy"]
        assert "frame-ancestors 'none'" in h["content-security-policy"]
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "no-referrer"


def test_no_external_links_in_templates_or_static_files() -> None:
    files = [p for p in (WEB / "templates").rglob("*") if p.is_file()]
    files += [p for p in (WEB / "static").rglob("*") if p.is_file()]
    assert len(files) >= 10
    for path in files:
        assert "http" not in path.read_text(encoding="utf-8").lower(), path.name


def test_no_inline_scripts_or_styles_in_templates() -> None:
    for path in (WEB / "templates").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path.name
        assert "<style" not in text and " style=" not in text and " on" + "click=" not in text


def test_serve_command_prints_address_and_runs_uvicorn(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import uvicorn

    from smartpick.cli import main

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    assert main(["--db", str(tmp_path / "c.sqlite"), "serve", "--port", "8123"]) == 0
    assert "127.0.0.1:8123" in capsys.readouterr().out
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8123
    planner = calls[0]["app"].state.planner  # type: ignore[attr-defined]
    assert planner.db == str(tmp_path / "c.sqlite")
    assert calls[0]["app"].state.store.location == str(tmp_path / "user.sqlite")  # type: ignore[attr-defined]
    assert main(["serve", "--help"]) == 0
    assert "Example" in capsys.readouterr().out
