"""`smartpick programs`: every filter, did-you-mean, table / JSON / CSV output."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from smartpick.catalog.build import build_catalog
from smartpick.cli import main


@pytest.fixture(scope="session")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.getbasetemp() / "shipped" / "catalog.sqlite"
    if not path.exists():
        build_catalog(path)
    return str(path)


def run(db: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", db, "programs", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def records(db: str, capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    code, out, err = run(db, capsys, *args, "--json", "--limit", "0")
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, list)
    return data


def test_json_shape(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    recs = records(db, capsys, "--specialty", "Internal Medicine", "--track", "C")
    assert len(recs) == 764
    keys = {
        "program_code", "acgme_id", "name", "institution", "city", "state", "region",
        "division", "specialty", "specialty_code", "track", "positions", "filled_2026",
        "setting", "img_share", "img_share_source", "visa_j1", "visa_h1b", "sources",
    }  # fmt: skip
    assert all(keys <= set(r) for r in recs)
    assert {r["track"] for r in recs} == {"categorical"}


def test_csv_one_row_per_record_all_keys(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(db, capsys, "-s", "em", "--state", "NY", "--limit", "5", "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 5
    assert {"program_code", "sources", "img_share"} <= set(rows[0])
    assert rows[0]["sources"].startswith("nrmp_programs_2026.csv (")
    code, out, _ = run(db, capsys, "-s", "im", "--state", "AL", "--limit", "3", "--csv")
    linked = next(r for r in csv.DictReader(io.StringIO(out)) if r["acgme_id"])
    assert "; freida_im_programs_2025.csv (" in linked["sources"]


def test_table_is_readable(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(db, capsys, "-s", "im", "--search", "Alabama Medical", "--limit", "3")
    assert code == 0
    assert "University of Alabama Medical Center" in out
    assert "(published)" in out
    total = len(records(db, capsys, "-s", "im", "--search", "Alabama Medical"))
    assert total > 3
    assert f"3 of {total} programs" in out


def test_did_you_mean(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(db, capsys, "--specialty", "Internl Medicin")
    assert code == 2
    err = " ".join(err.split())
    assert "did you mean 'Internal Medicine'" in err


@pytest.mark.parametrize(
    ("args", "check"),
    [
        (("--state", "OH,MI"), lambda r: r["state"] in {"OH", "MI"}),
        (("--state", "OH", "--state", "PA"), lambda r: r["state"] in {"OH", "PA"}),
        (("--region", "Midwest"), lambda r: r["region"] == "Midwest"),
        (("--region", "New England"), lambda r: r["division"] == "New England"),
        (("--setting", "community"), lambda r: r["setting"] == "community"),
        (("--min-img-share", "0.6"), lambda r: r["img_share"] >= 0.6),
        (("--j1",), lambda r: r["visa_j1"] is True),
        (("--h1b",), lambda r: r["visa_h1b"] is True),
        (("--accepting",), lambda r: r["accepting"] is True),
        (("--track", "preliminary"), lambda r: r["track"] == "preliminary"),
        (("--search", "Cleveland"), lambda r: "cleveland" in str(r).lower()),
    ],
)
def test_each_filter(
    db: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], check: Any
) -> None:
    recs = records(db, capsys, "--specialty", "140", *args)
    assert recs
    assert all(check(r) for r in recs)
    every = records(db, capsys, "--specialty", "140")
    assert len(recs) < len(every)


def test_sort_desc_and_limit(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        db, capsys, "-s", "im", "--sort", "positions", "--desc", "--limit", "4", "--json"
    )
    assert code == 0
    sizes = [r["positions"] for r in json.loads(out)]
    assert len(sizes) == 4 and sizes == sorted(sizes, reverse=True)


@pytest.mark.parametrize(
    "args",
    [("--state", "XX"), ("--region", "Narnia"), ("--track", "Z"), ("--sort", "size")],
)
def test_bad_values_exit_2_with_field(
    db: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code, _, err = run(db, capsys, *args)
    assert code == 2
    assert "allowed" in err


def test_help_has_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["programs", "--help"]) == 0
    out = capsys.readouterr().out
    assert "Examples:" in out
    assert "  smartpick programs -s IM --state OH --profile me.toml" in out


def test_builds_catalog_on_first_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "fresh.sqlite"
    code, out, _ = run(str(db), capsys, "-s", "derm", "--json", "--limit", "2")
    assert code == 0 and db.exists()
    assert len(json.loads(out)) == 2


def test_profile_adds_probability_tier_and_screen(
    db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    prof = tmp_path / "me.toml"
    prof.write_text(
        'specialty = "Internal Medicine"\napplicant_type = "non_us_img"\nstep2_score = 240\n'
        'visa = "h1b"\n',
        encoding="utf-8",
    )
    recs = records(db, capsys, "-s", "IM", "--track", "C", "--profile", str(prof))
    assert recs and all(0 <= r["interview_probability"] <= 1 for r in recs)
    assert {r["tier"] for r in recs} <= {"reach", "target", "safety"}
    visa = [r for r in recs if "does not sponsor the H-1B" in (r["screen_reason"] or "")]
    assert visa and all(r["visa_h1b"] is False for r in visa)
    assert all(r["screen_reason"] for r in recs if r["visa_h1b"] is False)  # never let through
    assert all(r["screen_strictness"] == "strict" for r in visa)
    code, out, _ = run(db, capsys, "-s", "IM", "--state", "OH", "--profile", str(prof))
    assert code == 0 and "P(interview)" in out and "screened out" in out


def test_profile_errors_name_the_field(
    db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    prof = tmp_path / "bad.toml"
    prof.write_text('specialty = "Internl Medicine"\n', encoding="utf-8")
    code, _, err = run(db, capsys, "-s", "IM", "--profile", str(prof))
    assert code == 2
    assert "specialty" in err and "did you mean 'Internal Medicine'" in err


def test_json_and_csv_say_how_many_of_how_many(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 11, item 7: "50 of 1,169" with --json and --csv too, on stderr (stdout stays a
    pure list / CSV)."""
    total = len(records(db, capsys, "-s", "im"))
    assert total > 1000
    code, out, err = run(db, capsys, "-s", "im", "--json")
    assert code == 0 and len(json.loads(out)) == 50
    assert err == f"50 of {total:,} programs (--limit 0 shows all)\n"
    code, out, err = run(db, capsys, "-s", "im", "--csv", "-n", "7")
    assert code == 0 and len(list(csv.DictReader(io.StringIO(out)))) == 7
    assert err.startswith(f"7 of {total:,} programs")
    code, out, err = run(db, capsys, "-s", "im", "--json", "--limit", "0")
    assert len(json.loads(out)) == total and err == f"{total:,} of {total:,} programs\n"
    code, out, _ = run(db, capsys, "-s", "im", "-n", "2")
    assert f"2 of {total:,} programs (--limit 0 shows all)" in out


def test_limit_zero_is_documented(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["programs", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "--limit 0 shows all" in out and "0 shows all" in out.split("--limit")[-1]


def test_sort_by_interview_probability(
    db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    prof = tmp_path / "me.toml"
    prof.write_text(
        'specialty = "IM"\napplicant_type = "non_us_img"\nstep2_score = 240\nvisa = "H-1B"\n',
        encoding="utf-8",
    )
    args = ("-s", "IM", "--state", "NY", "--profile", str(prof), "--sort", "interview_probability")
    every = records(db, capsys, *args, "--desc")
    kept = [r for r in every if not r["screen_reason"]]
    ruled_out = [r for r in every if r["screen_reason"]]
    assert kept and ruled_out and every == kept + ruled_out  # ruled-out programs last
    chances = [r["interview_probability"] for r in kept]
    assert chances == sorted(chances, reverse=True)
    code, out, err = run(db, capsys, *args, "--desc", "--json", "-n", "5")
    assert code == 0 and json.loads(out) == every[:5]  # the best 5 of all, not of the first 50
    assert err.startswith(f"5 of {len(every):,} programs")
    up = records(db, capsys, *args)
    ups = [r["interview_probability"] for r in up if not r["screen_reason"]]
    assert ups == sorted(ups)


def test_sort_by_interview_probability_needs_a_profile(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(db, capsys, "-s", "IM", "--sort", "interview_probability")
    assert code == 2 and not out
    assert "--sort" in err and "needs your profile" in err and "--profile" in err
