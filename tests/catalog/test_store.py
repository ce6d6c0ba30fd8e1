"""Catalog.search / count / frame / program / specialties on the shipped catalog."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartpick import geo
from smartpick.catalog.store import Catalog
from smartpick.errors import InputError
from smartpick.frame import ProgramFrame
from smartpick.query import SORT_KEYS, ProgramQuery

KEYS = {
    "program_code", "acgme_id", "name", "institution", "institution_verified", "city", "state",
    "region", "division", "specialty", "specialty_code", "track", "positions", "filled_2026",
    "fill_rate", "setting", "img_share", "img_share_source", "visa_j1", "visa_h1b", "accepting",
    "step2_min", "yog_limit_years", "notes", "sources",
}  # fmt: skip


def _all(cat: Catalog, **kw: object) -> list[dict[str, object]]:
    return cat.search(ProgramQuery(limit=None, **kw))  # type: ignore[arg-type]


def test_record_shape(catalog: Catalog) -> None:
    recs = catalog.search(ProgramQuery(specialty="Internal Medicine", limit=None))
    assert len(recs) == 1169
    for r in recs:
        assert set(r) >= KEYS
        assert r["track"] in {"categorical", "preliminary", "advanced", "physician", "primary"}
        assert r["img_share"] is None or 0 <= r["img_share"] <= 1
        assert (r["img_share"] is None) == (r["img_share_source"] is None)
        assert r["visa_j1"] in (True, False, None)
        assert r["sources"][0].startswith("nrmp_programs_2026.csv (")
        assert ("freida_im_programs_2025.csv" in " ".join(r["sources"])) == bool(r["acgme_id"])
    published = [r for r in recs if r["img_share_source"] == "published"]
    assert len(published) > 400


def test_specialty_by_name_alias_or_code(catalog: Catalog) -> None:
    by_name = catalog.count(ProgramQuery(specialty="Family Medicine"))
    assert by_name == catalog.count(ProgramQuery(specialty="fm"))
    assert by_name == catalog.count(ProgramQuery(specialty="120"))
    assert by_name > 700


def test_unknown_specialty_suggests(catalog: Catalog) -> None:
    with pytest.raises(InputError, match="did you mean 'Internal Medicine'") as err:
        catalog.search(ProgramQuery(specialty="Internl Medicin"))
    assert err.value.field == "specialty"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"tracks": ("X",)}, "track"),
        ({"states": ("ZZ",)}, "state"),
        ({"regions": ("Atlantis",)}, "region"),
        ({"settings": ("castle",)}, "setting"),
        ({"min_img_share": 1.5}, "min_img_share"),
        ({"sort": "bogus"}, "sort"),
    ],
)
def test_bad_filters_name_the_field(catalog: Catalog, kw: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as err:
        catalog.search(ProgramQuery(**kw))  # type: ignore[arg-type]
    assert err.value.field == field
    assert err.value.allowed


def test_track_letters_and_names(catalog: Catalog) -> None:
    recs = _all(catalog, specialty="140", tracks=("preliminary", "M"))
    assert {r["track"] for r in recs} == {"preliminary", "primary"}


def test_states_and_regions(catalog: Catalog) -> None:
    ohmi = _all(catalog, states=("oh", "MI"))
    assert {r["state"] for r in ohmi} == {"OH", "MI"}
    midwest = _all(catalog, regions=("Midwest",))
    assert {r["region"] for r in midwest} == {"Midwest"}
    pacific = _all(catalog, regions=("pacific",))
    assert {r["state"] for r in pacific} <= set(geo.states_in("Pacific"))
    both = _all(catalog, states=("OH", "CA"), regions=("Midwest",))
    assert {r["state"] for r in both} == {"OH"}


def test_setting_visa_accepting_and_share(catalog: Catalog) -> None:
    recs = _all(
        catalog,
        specialty="im",
        settings=("community",),
        min_img_share=0.5,
        visa_j1=True,
        visa_h1b=True,
        accepting=True,
    )
    assert recs
    for r in recs:
        assert r["setting"] == "community"
        assert r["img_share"] is not None and r["img_share"] >= 0.5
        assert r["visa_j1"] is True and r["visa_h1b"] is True and r["accepting"] is True
    no_j1 = _all(catalog, specialty="im", visa_j1=False)
    assert no_j1 and all(r["visa_j1"] is False for r in no_j1)


def test_text_search_in_names_institution_and_city(catalog: Catalog) -> None:
    recs = _all(catalog, text="birmingham")
    assert recs and all(
        "birmingham" in f"{r['name']} {r['institution']} {r['city']}".lower() for r in recs
    )
    assert _all(catalog, text="100%_") == []  # wildcards are literal


@pytest.mark.parametrize("key", SORT_KEYS)
def test_sorting(catalog: Catalog, key: str) -> None:
    for desc in (False, True):
        recs = _all(catalog, specialty="im", tracks=("C",), sort=key, descending=desc)
        field = {"positions": "positions"}.get(key, key)
        values = [r[field] for r in recs if r[field] is not None]
        if key == "name":
            values = [str(v).lower() for v in values]
        assert values == sorted(values, reverse=desc)  # type: ignore[type-var]
        nones = [i for i, r in enumerate(recs) if r[field] is None]
        assert nones == list(range(len(recs) - len(nones), len(recs)))  # unknown last


def test_limit_offset_and_count(catalog: Catalog) -> None:
    q = ProgramQuery(specialty="im", tracks=("C",), sort="program_code", limit=10, offset=5)
    page = catalog.search(q)
    every = _all(catalog, specialty="im", tracks=("C",), sort="program_code")
    assert [r["program_code"] for r in page] == [r["program_code"] for r in every[5:15]]
    assert catalog.count(q) == 764


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(share=st.floats(0, 1), j1=st.sampled_from([None, True, False]))
def test_filters_never_admit_a_breaking_program(
    catalog: Catalog, share: float, j1: bool | None
) -> None:
    recs = _all(catalog, specialty="140", min_img_share=share, visa_j1=j1)
    assert all(r["img_share"] is not None and r["img_share"] >= share - 1e-4 for r in recs)
    if j1 is not None:
        assert all(r["visa_j1"] is j1 for r in recs)


def test_frame_for_the_model(catalog: Catalog) -> None:
    fr = catalog.frame("140")
    assert isinstance(fr, ProgramFrame)
    assert len(fr) == 764
    assert set(fr.track) == {"C"}
    assert int(fr.positions.sum()) == 11189
    assert np.nanmax(fr.img_share) <= 1
    assert set(np.unique(fr.visa_j1)) <= {-1, 0, 1}
    both = catalog.frame("Internal Medicine", tracks=("C", "P"))
    assert set(both.track) == {"C", "P"}
    neuro = catalog.frame("180")
    i = list(neuro.program_code).index("1007180C0")
    assert math.isclose(neuro.inst_im_img_share[i], 0.052)  # UAB's IM program, FREIDA
    assert neuro.inst_setting[i] == "university"
    assert math.isnan(neuro.img_share[i])  # no published share outside IM
    assert all(isinstance(s, tuple) and s for s in neuro.sources)


def test_program_record_has_everything(catalog: Catalog) -> None:
    rec = catalog.program("1007140C0")
    assert rec is not None
    assert rec["acgme_id"] == "1400121022"
    assert rec["links"] and rec["links"][0]["acgme_id"] == "1400121022"
    assert catalog.program("0000000C0") is None


def test_user_overlay_overrides_shipped_values(catalog_path: Path) -> None:
    src = "my.csv (your data, imported 2026-11-25)"
    facts = [
        ("1007140C0", "pct_img", "0.5", src),
        ("1007140C0", "visa_h1b", "1", src),
        ("1007140C0", "step2_min", "230", src),
    ]
    with Catalog.open(catalog_path, build_if_missing=False, user_facts=facts) as cat:
        rec = cat.program("1007140C0")
        assert rec is not None
        assert (rec["img_share"], rec["img_share_source"]) == (0.5, "user")
        assert rec["visa_h1b"] is True and rec["step2_min"] == 230
        assert src in rec["sources"]
        assert rec["user_facts"][0] == {"field": "pct_img", "value": "0.5", "source": src}
        assert cat.count(ProgramQuery(specialty="im", min_img_share=0.5, text="Alabama Medical"))
        fr = cat.frame("140")
        i = list(fr.program_code).index("1007140C0")
        assert fr.img_share_source[i] == "user" and fr.step2_min[i] == 230
        cat.set_user_facts([])
        again = cat.program("1007140C0")
        assert again is not None and again["img_share_source"] != "user"
        assert src not in again["sources"]
    with Catalog.open(catalog_path, build_if_missing=False) as plain:
        rec = plain.program("1007140C0")
        assert rec is not None and rec["step2_min"] is None and rec["user_facts"] == []


def test_catalog_file_holds_no_user_tables(catalog_path: Path) -> None:
    with sqlite3.connect(f"{catalog_path.as_uri()}?mode=ro", uri=True) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert not names & {"user_facts", "saved_plans", "program_view"}
