"""Each defect fix, on the shipped catalog and on small rows built in code."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from smartpick.catalog.fixes import (
    CITY_TYPOS,
    fix_program_names,
    listed_states,
    sponsor_name,
)
from smartpick.catalog.load import NrmpRow
from smartpick.catalog.store import Catalog
from smartpick.query import ProgramQuery


def _row(code: str, state: str, label: str, name: str) -> NrmpRow:
    return NrmpRow(
        program_code=code,
        state=state,
        institution_as_listed=label,
        program_name=name,
        track=code[7],
        quota_2026=4,
        filled_2026=4,
    )


def _fixes(cat: Catalog, key: str) -> list[dict[str, Any]]:
    return [f for f in cat.fixes() if f["key"] == key]


# ---------------------------------------------------------------- institutions
def test_uab_1007_is_not_thomas_hospital(catalog: Catalog) -> None:
    records = catalog.search(ProgramQuery(text="", limit=None))
    uab = [r for r in records if r["inst_code"] == "1007"]
    assert len(uab) == 28
    assert all(r["institution_as_listed"] == "Thomas Hospital" for r in uab)
    assert {r["institution"] for r in uab} == {"University of Alabama Medical Center"}
    assert all(r["institution_verified"] for r in uab)
    assert all(r["city"] == "Birmingham" for r in uab)  # propagated from the linked IM program
    (fix,) = _fixes(catalog, "1007")
    assert fix["old"] == "Thomas Hospital"
    assert fix["rule"] == "institution_freida"


def test_label_is_kept_for_the_prefix_right_under_its_heading(catalog: Catalog) -> None:
    rec = catalog.program("2271140C0")  # first prefix listed under "Thomas Hospital"
    assert rec is not None
    assert rec["institution"] == "Thomas Hospital"
    assert rec["institution_name_source"] == "institution_heading"


def test_single_prefix_labels_are_reliable(catalog: Catalog) -> None:
    rec = catalog.program("2154140C0")
    assert rec is not None
    assert rec["institution"] == "Creighton University SOM Phoenix"
    assert rec["institution_verified"]
    assert rec["institution_name_source"] == "institution_label"


def test_unverifiable_names_are_marked(catalog: Catalog) -> None:
    rows = (
        catalog.connection()
        .execute(
            "SELECT inst_code, name, label_as_listed FROM institutions WHERE name_verified = 0"
        )
        .fetchall()
    )
    assert rows, "some lost headings cannot be verified"
    for inst, name, _label in rows:
        (fix,) = _fixes(catalog, inst)  # best guess kept and recorded ...
        assert (fix["rule"], fix["new"]) == ("institution_unverified", name)
    inst = rows[0][0]
    rec = catalog.search(ProgramQuery(text=None, limit=None))
    mine = [r for r in rec if r["inst_code"] == inst]
    assert mine and not any(r["institution_verified"] for r in mine)  # ... and flagged


def test_sponsor_name_strips_program_and_keeps_shared_parts() -> None:
    assert (
        sponsor_name(["University of Alabama Medical Center Program"])
        == "University of Alabama Medical Center"
    )
    assert (
        sponsor_name(["HCA Florida/Ocala Program", "HCA Florida/Gainesville Program"])
        == "HCA Florida"
    )
    assert sponsor_name(["A Program", "B Program"]) == "A"
    assert sponsor_name(["Programmatic Health Program"]) == "Programmatic Health"


@given(st.lists(st.text(min_size=1, max_size=20).filter(str.strip), min_size=1, max_size=4))
def test_sponsor_name_never_ends_with_program(names: list[str]) -> None:
    out = sponsor_name([n + " Program" for n in names])
    assert not out.endswith(" Program")


# ---------------------------------------------------------------- states
def test_nymc_sites_listed_in_the_ny_section(catalog: Catalog) -> None:
    for code in ("2476140C0", "2476120C0", "2477140C0"):
        rec = catalog.program(code)
        assert rec is not None
        assert rec["listed_state"] == "NY"  # the NRMP section it is listed under
        assert any(f["rule"] == "state_block_conflict" for f in rec["fixes"])
    lower_bucks = catalog.program("2476140C0")
    assert lower_bucks is not None
    # FREIDA knows this site: Bristol, PA -> the row's own state is the location
    if lower_bucks["acgme_id"] == "1404100909":
        assert (lower_bucks["city"], lower_bucks["state"]) == ("Bristol", "PA")
    assert lower_bucks["region"] == "Northeast"


def test_kaiser_mid_atlantic_listed_under_dc(catalog: Catalog) -> None:
    rec = catalog.program("2219140C0")
    assert rec is not None
    assert rec["listed_state"] == "DC"
    assert rec["state"] == "MD"


def test_listed_states_detects_a_short_run_inside_another_section() -> None:
    rows = [
        _row("1000140C0", "NY", "A", "Internal Medicine"),
        _row("1000120C0", "NY", "A", "Family Medicine"),
        _row("2000140C0", "PA", "NYMC-B", "Internal Medicine"),
        _row("3000140C0", "NY", "C", "Internal Medicine"),
        _row("3000120C0", "NY", "C", "Family Medicine"),
        _row("3000400C0", "NY", "C", "Psychiatry"),
        _row("4000140C0", "PA", "D", "Internal Medicine"),
        _row("4000120C0", "PA", "D", "Family Medicine"),
    ]
    listed = listed_states(rows)
    assert listed["2000140C0"] == "NY"
    assert listed["4000140C0"] == "PA"  # its own section, not sandwiched
    assert listed["1000140C0"] == "NY"
    assert listed["3000140C0"] == "NY"  # longer than the PA runs around it: its own section


def test_multi_site_sponsor_takes_freida_site_state(catalog: Catalog) -> None:
    rec = catalog.program("2335140C2")  # Health Education Services, Internal Medicine/Tucson
    assert rec is not None
    if rec["acgme_id"] == "1400300004":
        assert rec["state"] == "AZ"
        assert rec["listed_state"] == "TN"
        assert any(f["rule"] == "state_from_freida" for f in rec["fixes"])


# ---------------------------------------------------------------- names
def test_program_name_typos_fixed_and_original_kept(catalog: Catalog) -> None:
    cases = {
        "1844420A1": ("Radiology-Diagnostic", "Radiology-Diagostic"),
        "1587999P2": ("Transitional/Gainesville", "TransitionalGainesville"),
        "1189220C1": ("Obstetrics-Gynecology/Milwaukee", "Obstetrics-GynecologyMilwaukee"),
        "1048999P3": ("Transitional/Ophthalmology", "Transitional/Opthalmology"),
    }
    for code, (name, listed) in cases.items():
        rec = catalog.program(code)
        assert rec is not None
        assert (rec["name"], rec["name_as_listed"]) == (name, listed)
        assert any(f["field"] == "name" for f in rec["fixes"])


def test_name_rules_on_rows_built_in_code() -> None:
    rows = [
        _row("1000999P0", "FL", "A", "Transitional/Ocala"),
        _row("1000999P1", "FL", "A", "TransitionalGainesville"),
        _row("1000420A0", "FL", "A", "Radiology-Diagostic"),
        _row("1000140C0", "FL", "A", "Internal Medicine/NorthShore"),
    ]
    names, fixes = fix_program_names(rows)
    assert names["1000999P1"] == "Transitional/Gainesville"
    assert names["1000420A0"] == "Radiology-Diagnostic"
    assert names["1000140C0"] == "Internal Medicine/NorthShore"  # already separated
    assert names["1000999P0"] == "Transitional/Ocala"
    assert {f.rule for f in fixes} == {"name_glued", "name_typo"}


# ---------------------------------------------------------------- FREIDA
def test_freida_city_typos_fixed_for_display(catalog: Catalog) -> None:
    rows = catalog.connection().execute("SELECT city, city_as_listed FROM freida").fetchall()
    fixed = {listed: city for city, listed in rows if listed in CITY_TYPOS}
    assert fixed == CITY_TYPOS
    assert not {city for city, _ in rows} & set(CITY_TYPOS)


def test_freida_wrong_locations(catalog: Catalog) -> None:
    rows = {
        r[0]: r[1:]
        for r in catalog.connection().execute(
            "SELECT acgme_id, city, state, city_as_listed, state_as_listed FROM freida"
        )
    }
    assert rows["1403300539"] == (None, "NJ", "Andover", "KS")
    assert rows["1400500014"] == (None, "CA", "Saint Louis", "MO")
    # a multi-site sponsor's real out-of-state site is left alone
    assert rows["1404700004"][:2] == ("Valparaiso", "IN")
    assert rows["1402800917"][:2] == ("Overland Park", "KS")
