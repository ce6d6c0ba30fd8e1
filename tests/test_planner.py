"""The planner object: it owns its caches (bounded, keyed by what they depend on) and its store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartpick.planner import LRU, Planner
from smartpick.profile import parse_profile
from smartpick.query import ProgramQuery
from smartpick.store import SQLiteStore, UserFact
from smartpick.thin import thin_result

TODAY = dt.date(2026, 11, 25)
PROFILE = {"specialty": "Internal Medicine", "step2_score": 225, "us_letters": 2}


def test_lru_is_bounded_and_keeps_the_recent() -> None:
    lru: LRU[int] = LRU(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # a is now the most recent
    lru.put("c", 3)
    assert lru.get("b") is None and lru.get("a") == 1 and len(lru) == 2


def test_caches_follow_the_users_facts(shipped_db: Path) -> None:
    store = SQLiteStore(":memory:")
    with Planner(shipped_db, store) as planner:
        profile = parse_profile(PROFILE, today=TODAY)
        first = planner.plan(profile, today=TODAY, advice=False)
        assert planner.plan(profile, today=TODAY, advice=False) is first  # cached
        code = first.programs[0].program_code
        store.put_user_facts([UserFact(code, "visa_j1", "0", "mine.csv (your data)")])
        after = planner.plan(profile, today=TODAY, advice=False)
        assert after is not first  # the facts changed: a new plan over the new facts
        rec = planner.search_programs(ProgramQuery(text=None, limit=None, specialty="140"))
        mine = next(r for r in rec if r["program_code"] == code)
        assert mine["visa_j1"] is False and "mine.csv (your data)" in mine["sources"]
        assert len(planner.frames) <= planner.frames.size
        planner.clear_cache()
        assert len(planner.results) == len(planner.frames) == 0
    store.close()


def test_a_planner_closes_only_the_store_it_opened(tmp_path: Path, shipped_db: Path) -> None:
    given = SQLiteStore(tmp_path / "mine.sqlite")
    with Planner(shipped_db, given):
        pass
    assert given.plan_count() == 0  # still open
    given.close()
    own = Planner(tmp_path / "c.sqlite")
    assert own.store.location == str(tmp_path / "user.sqlite")
    own.close()


def test_make_plan_still_works(shipped_db: Path) -> None:
    import smartpick

    result = smartpick.make_plan(PROFILE, db=shipped_db, today=TODAY, advice=False)
    assert 0 < result.match_probability < 1


def test_a_plan_reads_the_catalog_version_once_and_its_frames_use_it(shipped_db: Path) -> None:
    store = SQLiteStore(":memory:")
    reads: list[int] = []
    facts_version = store.facts_version

    def counted() -> int:
        reads.append(1)
        return facts_version()

    store.facts_version = counted  # type: ignore[method-assign]
    with Planner(shipped_db, store) as planner:
        profile = parse_profile(PROFILE, today=TODAY)
        planner.plan(profile, today=TODAY, advice=False)  # loads the frame and the derived cache
        planner.results.clear()
        reads.clear()
        planner.plan(profile, today=TODAY, advice=False)  # planned again, frames cached
        assert len(reads) == 1
        version = planner.catalog_version()
        assert all(key[0] == version for key in planner.frames._items)
    store.close()


def test_a_thin_plan_is_the_full_plan_with_its_curve_thinned(shipped_db: Path) -> None:
    """``curve="thin"`` builds only the kept points: the same result as thinning the full one,
    for a single list, a backup and a preliminary year, and a long curve and a short one."""
    cases = [
        {**PROFILE, "step2_score": 221, "usce_months": 2},
        {**PROFILE, "backup_specialty": "Family Medicine", "step2_score": 247},
        {
            "specialty": "Anesthesiology",
            "applicant_type": "us_img",
            "step2_score": 238,
            "include_preliminary": True,
        },
        {"specialty": "Dermatology", "applicant_type": "us_md", "step2_score": 255},
    ]
    sizes = []
    with Planner(shipped_db, SQLiteStore(":memory:")) as planner:
        for data in cases:
            profile = parse_profile(data, today=TODAY)
            full = planner.plan(profile, today=TODAY, advice=False)
            thin = planner.plan(profile, today=TODAY, advice=False, curve="thin")
            assert thin == thin_result(full)
            assert planner.plan(profile, today=TODAY, advice=False) is full  # cached apart
            sizes.append((len(thin.curve), len(full.curve)))
    assert any(t < f for t, f in sizes) and any(t == f for t, f in sizes), sizes
