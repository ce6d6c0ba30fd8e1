"""The curated crosswalk table: well-formed, refers to real rows, wins over the automatic pass."""

from __future__ import annotations

import pytest

from smartpick.catalog import build
from smartpick.catalog.crosswalk import link_freida
from smartpick.catalog.crosswalk_curated import (
    CURATED_CONFIDENCE,
    CURATED_FILE,
    Curated,
    load_curated,
    parse_curated,
    without_codes,
)
from smartpick.catalog.crosswalk_units import build_units
from smartpick.errors import DataFileError
from smartpick.resources import read_csv

from .test_crosswalk import shipped_links


def test_every_row_names_a_real_program_and_code() -> None:
    rows = load_curated()
    freida = {r["acgme_id"] for r in read_csv("freida_im_programs_2025.csv")}
    nrmp = {r["program_code"] for r in read_csv("nrmp_programs_2026.csv")}
    assert len(rows) >= 60
    missing = [(c.acgme_id, c.program_code) for c in rows if c.acgme_id not in freida]
    missing += [(c.acgme_id, c.program_code) for c in rows if c.program_code not in nrmp]
    assert missing == []
    assert all(c.program_code[4:7] == "140" and len(c.evidence) > 25 for c in rows)
    codes = [c.program_code for c in rows]
    assert len(codes) == len(set(codes))  # no code has two owners in the table


def test_curated_pairs_are_linked_and_win() -> None:
    links = shipped_links()
    curated = load_curated()
    by_code = {k.program_code: k for k in links}
    for c in curated:
        link = by_code[c.program_code]
        assert link.acgme_id == c.acgme_id
        assert link.confidence == CURATED_CONFIDENCE
        assert link.method == f"curated: {c.evidence}"
    # a curated program gets no automatic link besides its curated codes
    pinned = {c.acgme_id for c in curated}
    assert all(k.method.startswith("curated: ") for k in links if k.acgme_id in pinned)
    assert not any(k.method.startswith("curated") for k in links if k.acgme_id not in pinned)


def test_curated_codes_are_not_reused_by_the_automatic_pass() -> None:
    freida = read_csv("freida_im_programs_2025.csv")
    nrmp = read_csv("nrmp_programs_2026.csv")
    automatic = link_freida(freida, nrmp, curated=[])
    # without the table the Jackson program takes Oxford's code (the wrong link it fixes)
    assert any(k.acgme_id == "1402700002" and k.program_code == "2288140C0" for k in automatic)
    owners = {k.program_code: k.acgme_id for k in shipped_links()}
    assert owners["2288140C0"] == "1404200003"
    assert "1402700002" not in {k.acgme_id for k in shipped_links()}


def test_pairs_outside_the_inputs_are_ignored() -> None:
    freida = [r for r in read_csv("freida_im_programs_2025.csv") if r["acgme_id"] != "1402821215"]
    nrmp = read_csv("nrmp_programs_2026.csv")
    links = link_freida(freida, nrmp, curated=[Curated("1402821215", "1353140C0", "WashU")])
    assert not any(k.method.startswith("curated") for k in links)
    assert link_freida([], nrmp, curated=load_curated()) == []


def test_without_codes_shrinks_units() -> None:
    nrmp = read_csv("nrmp_programs_2026.csv")
    quota = {str(r["program_code"]): int(r["quota_2026"] or 0) for r in nrmp}
    units = {u.main_code: u for u in build_units(nrmp)}
    yale = units["1089140C0"]
    kept = without_codes([yale], ["1089140M0", "1089140M1"], quota)
    assert len(kept) == 1 and "1089140M0" not in kept[0].codes
    assert kept[0].size == yale.size - 18 and kept[0].main_code == "1089140C0"
    assert without_codes([yale], yale.codes, quota) == []


HEADER = "acgme_id,program_code,evidence\n"


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("acgme_id,program_code\n1402821215,1353140C0\n", 1, None),
        (HEADER + "140282121,1353140C0,Barnes-Jewish is WashU\n", 2, "acgme_id"),
        (HEADER + "1202821215,1353140C0,Barnes-Jewish is WashU\n", 2, "acgme_id"),
        (HEADER + "1402821215,1353120C0,a Family Medicine code\n", 2, "program_code"),
        (HEADER + "1402821215,1353140C0,  \n", 2, "evidence"),
        (HEADER + "1402821215,1353140C0,WashU\n1402821218,1353140C0,SLU\n", 3, "program_code"),
    ],
)
def test_bad_table_names_line_and_column(text: str, line: int, column: str | None) -> None:
    with pytest.raises(DataFileError) as err:
        parse_curated(text, path="manual.csv")
    assert err.value.line == line and err.value.column == column
    assert f"manual.csv, line {line}" in str(err.value)


def test_table_is_package_data_and_part_of_the_build_fingerprint() -> None:
    assert CURATED_FILE in build.BUILDER_MODULES
    assert "crosswalk_curated.py" in build.BUILDER_MODULES
    assert parse_curated(HEADER) == []
