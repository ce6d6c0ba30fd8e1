"""The CLI fuzzed: generated profile TOML and overlay CSV files through the real commands.

Every run ends with exit code 0, or a one-line ``error:`` naming the file (and the line, or the
field) with a non-zero code; never a traceback, never an "internal error".
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartpick.catalog.overlay import FIELDS as CSV_FIELDS
from smartpick.catalog.overlay import KEY_COLUMNS
from smartpick.cli import main

from .strategies import FIELDS, examples, hostile_text, url_text, valid_profiles

CLI_FUZZ = settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LINE = re.compile(r"line \d+")


def toml_value(value: Any) -> str:
    """A TOML literal (NaN and infinities included; surrogates make invalid TOML on purpose)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    return '""'


toml_scalars = st.one_of(
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    url_text,
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(url_text, inner, max_size=2),
    max_leaves=5,
)
deep_toml = st.integers(50, 3000).map(lambda n: "[" * n + "]" * n)


@st.composite
def profile_files(draw: st.DrawFn) -> bytes:
    data = dict(draw(valid_profiles))
    lines = [f"{key} = {toml_value(value)}" for key, value in data.items()]
    for _ in range(draw(st.integers(0, 2))):  # hostile lines, anywhere
        key = draw(st.sampled_from(FIELDS) | st.from_regex(r"[a-z_]{1,8}", fullmatch=True))
        value = draw(st.one_of(toml_values.map(toml_value), deep_toml, hostile_text))
        lines.insert(draw(st.integers(0, len(lines))), f"{key} = {value}")
    text = "\n".join(lines) + "\n"
    raw = text.encode("utf-8", "surrogatepass")
    return (
        draw(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff"])) + raw
        if draw(st.integers(0, 9)) == 0
        else raw
    )


csv_cells = st.one_of(
    st.sampled_from(["1903140C0", "2265140C0", "62", "62%", "yes", "no", "community", ""]),
    st.sampled_from(['"', '""', '"a,b"', '"open', "a\x00b", "[/x]", "\r", "\n", "\ufeff"]),
    url_text,
    st.integers(2_000, 140_000).map(lambda n: "n" * n),
)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    columns = draw(
        st.lists(st.sampled_from([*KEY_COLUMNS, *CSV_FIELDS]) | url_text, min_size=1, max_size=4)
    )
    rows = [",".join(columns)]
    for _ in range(draw(st.integers(0, 3))):
        width = draw(st.sampled_from([len(columns), len(columns) + 1, 1]))
        rows.append(",".join(draw(csv_cells) for _ in range(width)))
    return "\n".join(rows).encode("utf-8", "surrogatepass") + b"\n"


def _check(code: int, err: str, path: Path) -> None:
    assert "Traceback" not in err and "internal error" not in err, err
    if code:
        assert code == 2 and err.startswith("error: "), err
        assert str(path) in err, err


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-fuzz")


@CLI_FUZZ
@given(content=profile_files())
def test_plan_with_generated_profiles(
    real_app_db: Path, work: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    path = work / "me.toml"
    path.write_bytes(content)
    code = main(["--db", str(real_app_db), "plan", str(path), "--top", "5"])
    out, err = capsys.readouterr()
    _check(code, out + err, path)
    if code:
        named = LINE.search(err) or any(f in err for f in (*FIELDS, "profile"))
        assert named, err


@CLI_FUZZ
@given(content=csv_files())
def test_data_check_with_generated_csv(
    real_app_db: Path, work: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    path = work / "facts.csv"
    path.write_bytes(content)
    code = main(["--db", str(real_app_db), "data", "check", str(path)])
    out, err = capsys.readouterr()
    _check(code, out + err, path)
    if code:
        assert LINE.search(err), err
