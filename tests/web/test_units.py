"""Unit tests of the web helpers: store, exports, form mapping, security, serve."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from smartpick.errors import ProfileError
from smartpick.profile import Profile, parse_profile
from smartpick.render.export import CSV_COLUMNS, plan_csv
from smartpick.web.forms import FIELDS, form_to_profile_data, profile_to_values

from . import fakes

WEB = Path(__file__).resolve().parents[2] / "src" / "smartpick" / "web"


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


_VENDOR_HEADER = re.compile(r"\A(?:\s*(?://[^\n]*|/\*.*?\*/))+", re.S)


def test_no_external_links_in_templates_or_static_files() -> None:
    files = [p for p in (WEB / "templates").rglob("*") if p.is_file()]
    files += [p for p in (WEB / "static").rglob("*") if p.is_file()]
    assert len(files) >= 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        if "vendor" in path.parts:  # a library's own header comment names its home page
            text = _VENDOR_HEADER.sub("", text)
        assert "http" not in text.lower(), path.name


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
