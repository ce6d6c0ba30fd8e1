"""Issue 11, item 7: `smartpick plan` reports every error of a profile in one run, each with
the file, the line, the field, the message and a did-you-mean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartpick.cli import main
from smartpick.profile import load_profile

#: Seven mistakes, one per line (line numbers are checked below).
BAD = """\
specialty = "Internl Medicine"
stepp2 = 230
applicant_type = "non-us img"
visa = "H1-C"
usce_kind = "observrship"
usce_months = 2
target_match_probability = 150
settings = ["University", "comunity"]
exam_failures = -1
regions = ["Midwst"]
"""


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    path = tmp_path / "me.toml"
    path.write_text(BAD, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_every_error_in_one_run(bad: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", str(bad))
    assert code == 2 and not out
    lines = err.splitlines()
    expected = [
        (1, "specialty", "did you mean 'Internal Medicine'"),
        (2, "stepp2", "unknown field; did you mean 'step2_score'?"),
        (4, "visa", "did you mean 'h1b'?"),
        (5, "usce_kind", "did you mean 'observership'?"),
        (7, "target_match_probability", "100% or more"),
        (8, "settings", "item 2: unknown setting 'comunity'; did you mean 'community'?"),
        (9, "exam_failures", "must be at least 0"),
        (10, "regions", "did you mean 'Midwest'?"),
    ]
    assert len(lines) == len(expected) + 1, err
    for line, (number, field, fragment) in zip(lines, expected, strict=False):
        assert line.startswith(f"error: {bad}, line {number}: {field}: "), line
        assert fragment in line, line
    assert lines[-1] == f"{len(expected)} problems in {bad}: fix them all, then run again."
    assert "step1" not in err  # the old did-you-mean for stepp2


def test_programs_with_a_bad_profile_lists_them_all_too(
    bad: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "none.sqlite")  # the profile is read before the catalog is opened
    code, _, err = run(capsys, "--db", db, "programs", "-s", "IM", "--profile", str(bad))
    assert code == 2 and err.count("error: ") == 8


def test_one_error_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "me.toml"
    path.write_text('specialty = "IM"\nstepp2 = 230\n', encoding="utf-8")
    code, _, err = run(capsys, "plan", str(path))
    assert code == 2
    assert err == f"error: {path}, line 2: stepp2: unknown field; did you mean 'step2_score'?\n"


def test_forgiving_spellings_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shipped_db: Path
) -> None:
    path = tmp_path / "me.toml"
    path.write_text(
        'specialty = "IM"\napplicant_type = "Non US IMG"\nvisa = "J-1"\nstep2_score = 235\n'
        'step1 = "Pass"\ntarget_match_probability = "80%"\nsettings = ["Community"]\n',
        encoding="utf-8",
    )
    profile = load_profile(path)
    assert profile.applicant_type == "non_us_img" and profile.visa == "j1"
    assert profile.target_match_probability == pytest.approx(0.8)
    assert profile.settings == ("community",) and profile.step1 == "pass"
    db = tmp_path / "catalog.sqlite"
    db.write_bytes(shipped_db.read_bytes())
    code, out, err = run(capsys, "--db", str(db), "plan", str(path), "--json")
    assert code == 0, err
    assert json.loads(out)["programs"]
