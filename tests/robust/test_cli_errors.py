"""Issue 9: every CLI error is one message naming the file, line and field; never a traceback.

Each case below crashed (MarkupError, RecursionError, IsADirectoryError, csv.Error) or was
accepted silently (inf budget, NUL byte, unterminated quote) before.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartpick.cli import main

CODE = "1903140C0"  # an Internal Medicine program of the shipped catalog


@pytest.fixture
def db(shipped_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "catalog.sqlite"
    path.write_bytes(shipped_db.read_bytes())
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ('specialty = "[/x]"\n', ["line 1", "specialty", "[/x]"]),
        ('specialty = "IM"\nregions = ["[bold]Mid[/]"]\n', ["line 2", "regions", "[bold]Mid[/]"]),
        ('specialty = "IM"\nbudget_usd = inf\n', ["line 2", "budget_usd", "finite"]),
        ('specialty = "IM"\nbudget_usd = nan\n', ["line 2", "budget_usd", "finite"]),
        ('specialty = "IM"\nbudget_usd = -inf\n', ["line 2", "budget_usd"]),
        ('specialty = "IM"\nusce_months = inf\n', ["line 2", "usce_months"]),
        (
            'specialty = "IM"\nx = ' + "[" * 3000 + "]" * 3000 + "\n",
            ["line 2", "nested too deeply"],
        ),
        ('specialty = "IM"\nx = ' + "{a=" * 3000 + "1" + "}" * 3000 + "\n", ["line 2", "nested"]),
        ('\ufeffspecialty = "IM"\n', ["line 1", "byte-order mark"]),
        ('specialty = "IM"\nstep2_score = "2' + "0" * 100_000 + '"\n', ["line 2", "step2_score"]),
        ('specialty = "IM\n', ["line 1", "not valid TOML"]),
    ],
    ids=[
        "markup",
        "markup-list",
        "inf",
        "nan",
        "-inf",
        "usce-inf",
        "deep-array",
        "deep-table",
        "bom",
        "huge",
        "bad-toml",
    ],
)
def test_bad_profile_files(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expect: list[str]
) -> None:
    path = tmp_path / "me.toml"
    path.write_text(text, encoding="utf-8")
    for command in (["plan", str(path)], ["programs", "-s", "IM", "--profile", str(path)]):
        code, _, err = run(capsys, "--db", str(db), *command)
        assert code == 2, err
        assert err.startswith("error: ") and str(path) in err, err
        for part in expect:
            assert part in err, (part, err)


def test_a_folder_as_the_profile(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = tmp_path / "me.toml"
    folder.mkdir()
    code, _, err = run(capsys, "--db", str(db), "plan", str(folder))
    assert code == 2 and "is a folder" in err and str(folder) in err


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        (f"program_code,notes\n{CODE},a\x00b\n", ["line 2", "NUL"]),
        (f'program_code,notes\n{CODE},"never closed\n{CODE},x\n', ["line 2", "never closed"]),
        (f"program_code,notes\n{CODE}," + "n" * 140_000 + "\n", ["line 2", "131,072"]),
        (f"program_code,notes\n{CODE},{'n' * 3000}\n", ["line 2", "notes", "2000"]),
        ("program_code,city\n[/x],Boston\n", ["line 2", "program_code", "[/X]"]),
        (f"program_code,setting\n{CODE},[bold]x[/bold]\n", ["line 2", "setting", "[bold]x"]),
        ("[/x],city\n", ["line 1", "[/x]"]),
        (f'program_code,notes\n{CODE},"a"b\n', ["line 2", "not valid CSV"]),
    ],
    ids=["nul", "quote", "huge-cell", "long-notes", "markup-key", "markup-cell", "header", "junk"],
)
def test_bad_csv_files(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expect: list[str]
) -> None:
    path = tmp_path / "facts.csv"
    path.write_text(text, encoding="utf-8")
    for command in ("check", "import"):
        code, _, err = run(capsys, "--db", str(db), "data", command, str(path))
        assert code == 2, err
        assert str(path) in err, err
        for part in expect:
            assert part in err, (part, err)


def test_stored_city_with_markup_prints(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "me.toml"
    profile.write_text('specialty = "IM"\nstep2_score = 240\n', encoding="utf-8")
    code, out, _ = run(capsys, "--db", str(db), "plan", str(profile), "--json")
    first = json.loads(out)["programs"][0]["program_code"]
    facts = tmp_path / "facts.csv"
    facts.write_text(f"program_code,city,notes\n{first},[/x] [bold]Town,[/]\n", encoding="utf-8")
    assert run(capsys, "--db", str(db), "data", "import", str(facts))[0] == 0
    code, out, _ = run(capsys, "--db", str(db), "programs", "--search", "[/x]")
    assert code == 0 and "[/x] [bold]Town" in out
    code, out, _ = run(capsys, "--db", str(db), "plan", str(profile), "--top", "3")
    assert code == 0 and "[/x] [bold]Town" in out
    code, out, _ = run(capsys, "--db", str(db), "programs", "-s", "IM", "--profile", str(profile))
    assert code == 0


def test_unexpected_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from smartpick.planner import Planner

    def boom(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("[/x] boom")

    monkeypatch.setattr(Planner, "plan", boom)
    profile = tmp_path / "me.toml"
    profile.write_text('specialty = "IM"\n', encoding="utf-8")
    code, _, err = run(capsys, "plan", str(profile))
    assert code == 70 and "internal error: ZeroDivisionError: [/x] boom" in err
