"""The derived cache beside the catalog (smartpick.derived) and the memos it serves
(smartpick.memo): same plans cold, warm and without it; stale or damaged files recomputed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartpick import derived, memo
from smartpick.derived import DerivedCache, code_fingerprint
from smartpick.memo import frame_digest, persisted, using
from smartpick.planner import Planner
from smartpick.profile import parse_profile
from smartpick.store import SQLiteStore, UserFact

TODAY = dt.date(2025, 9, 15)
PROFILE = {
    "specialty": "Internal Medicine",
    "backup_specialty": "Family Medicine",
    "include_preliminary": True,
    "step2_score": 221,
    "us_letters": 2,
}


@pytest.fixture
def catalog(tmp_path: Path, shipped_db: Path) -> Path:
    """A private copy of the shipped catalog (its derived cache is written beside it)."""
    path = tmp_path / "catalog.sqlite"
    shutil.copy(shipped_db, path)
    return path


def _plan(path: Path, *, cache: bool = True) -> tuple[str, Planner]:
    planner = Planner(path, SQLiteStore(":memory:"), own_store=True)
    if not cache:
        planner.derived_cache = lambda version=None: None  # type: ignore[method-assign]
    profile = parse_profile(PROFILE, today=TODAY)
    text = planner.plan(profile, today=TODAY).model_dump_json()
    return text, planner


def _entries(path: Path) -> list[str]:
    with sqlite3.connect(path.with_name(path.name + derived.SUFFIX)) as conn:
        return [r[0] for r in conn.execute("SELECT key FROM entries ORDER BY key")]


def test_plans_are_the_same_cold_warm_and_without_the_cache(catalog: Path) -> None:
    plain, p0 = _plan(catalog, cache=False)
    p0.close()
    assert not catalog.with_name(catalog.name + derived.SUFFIX).exists()
    cold, p1 = _plan(catalog)
    p1.close()
    kinds = {k.split("'")[1] for k in _entries(catalog)}
    assert {"frame", "program_anchors", "program_rates", "signal_effects"} <= kinds
    warm, p2 = _plan(catalog)
    assert cold == plain and warm == plain
    assert p2._derived is not None and p2._derived._pending == {}  # all read, none recomputed
    p2.close()


def test_anchors_from_the_cache_stay_read_only(catalog: Path) -> None:
    from smartpick.model import anchors as anchor_module
    from smartpick.model.params import load_params
    from smartpick.model.rates import load_rate_model

    anchors = anchor_module._program_anchors.__wrapped__  # the persisted function, below the lru
    for _ in range(2):  # computed, then loaded from the file
        planner = Planner(catalog, SQLiteStore(":memory:"), own_store=True)
        cache = planner.derived_cache()
        assert cache is not None
        frame = planner.frame("140", ("C",))
        with using(cache):
            anchor, anchor_d = anchors(frame, "us_img", load_params(), load_rate_model())
        assert not anchor.flags.writeable and not anchor_d.flags.writeable
        cache.save()
        planner.close()
    assert any("program_anchors" in k for k in _entries(catalog))


def test_a_damaged_file_is_recreated_with_the_same_plan(catalog: Path) -> None:
    side = catalog.with_name(catalog.name + derived.SUFFIX)
    side.write_bytes(b"not a database" * 100)
    text, planner = _plan(catalog)
    planner.close()
    assert _entries(catalog)  # a new, valid file
    plain, p0 = _plan(catalog, cache=False)
    p0.close()
    assert text == plain


def test_a_damaged_entry_is_recomputed(catalog: Path) -> None:
    first, p1 = _plan(catalog)
    p1.close()
    side = catalog.with_name(catalog.name + derived.SUFFIX)
    with sqlite3.connect(side) as conn:
        conn.execute("UPDATE entries SET value = x'00ff'")
    again, p2 = _plan(catalog)
    p2.close()
    assert again == first


def test_another_catalog_file_empties_the_cache(tmp_path: Path) -> None:
    cat = tmp_path / "c.sqlite"
    cat.write_bytes(b"")
    cache = DerivedCache.load(cat, ("c", 1, 2, 3))
    cache.put(("k",), 1)
    cache.save()
    cache.close()
    same = DerivedCache.load(cat, ("c", 1, 2, 3))
    assert same.get(("k",)) == (True, 1)
    same.close()
    other = DerivedCache.load(cat, ("c", 1, 2, 4))  # the catalog was rebuilt
    assert other.get(("k",)) == (False, None)
    other.close()


def test_the_cache_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(derived, "MAX_BYTES", 3000)
    cat = tmp_path / "c.sqlite"
    cache = DerivedCache.load(cat, ("c",))
    for i in range(5):
        cache.put((i,), bytes(1000))
        cache.save()
    cache.close()
    with sqlite3.connect(cat.with_name(cat.name + derived.SUFFIX)) as conn:
        keys = [r[0] for r in conn.execute("SELECT key FROM entries ORDER BY rowid")]
    assert keys == ["(3,)", "(4,)"]  # the newest that fit


def test_an_unwritable_folder_only_costs_time(tmp_path: Path) -> None:
    cache = DerivedCache.load(tmp_path / "missing" / "c.sqlite", ("c",))
    cache.put(("k",), 1)
    assert cache.get(("k",)) == (True, 1)  # until saved
    cache.save()  # nothing to write to: ignored
    assert cache.get(("k",)) == (False, None)


def test_the_users_facts_turn_the_cache_off(catalog: Path) -> None:
    store = SQLiteStore(":memory:")
    with Planner(catalog, store) as planner:
        assert planner.derived_cache() is not None
        store.put_user_facts([UserFact("1234140C0", "visa_j1", "0", "mine.csv (your data)")])
        assert planner.derived_cache() is None
    store.close()


def test_the_code_fingerprint_reads_files_only_when_their_stats_change() -> None:
    signature, sha = code_fingerprint()
    assert code_fingerprint((signature, "trusted")) == (signature, "trusted")
    assert code_fingerprint(((("x", 1, 2),), "old")) == (signature, sha)


def test_persisted_runs_the_function_without_a_store_or_a_key() -> None:
    calls: list[int] = []

    @persisted("t", lambda x: None if x < 0 else (x,))
    def f(x: int) -> int:
        calls.append(x)
        return 2 * x

    class Store(dict[Any, Any]):
        def get(self, key: Any, default: Any = None) -> tuple[bool, Any]:
            return (True, self[key]) if key in self else (False, None)

        def put(self, key: Any, value: Any) -> None:
            self[key] = value

    assert f(1) == 2 and f(1) == 2 and calls == [1, 1]  # no store: runs every time
    store = Store()
    with using(store):
        assert f(3) == 6 and f(3) == 6 and f(-1) == -2 and f(-1) == -2
    assert calls == [1, 1, 3, -1, -1] and dict(store) == {("t", 3): 6}
    assert memo.active() is None


def _frame(shipped_db: Path) -> Any:
    with Planner(shipped_db, SQLiteStore(":memory:"), own_store=True) as planner:
        return planner.frame("140", ("C",))


def test_frame_digest_depends_on_the_values_only(shipped_db: Path) -> None:
    frame = _frame(shipped_db)
    copy = pickle.loads(pickle.dumps(frame))  # other objects, shared strings
    assert frame_digest(copy) == frame_digest(frame)
    positions = frame.positions.copy()
    positions[0] += 1
    assert frame_digest(dataclasses.replace(frame, positions=positions)) != frame_digest(frame)
    renamed = frame.name.copy()
    renamed[0] = renamed[0] + " "
    assert frame_digest(dataclasses.replace(frame, name=renamed)) != frame_digest(frame)


@given(st.lists(st.one_of(st.none(), st.text(max_size=3)), min_size=1, max_size=6), st.data())
def test_frame_digest_tells_object_columns_apart(values: list[str | None], data: Any) -> None:
    other = data.draw(st.lists(st.one_of(st.none(), st.text(max_size=3)), min_size=len(values)))
    other = other[: len(values)]

    def digest(vals: list[str | None]) -> str:
        arr = np.empty(len(vals), dtype=object)
        arr[:] = vals
        return frame_digest(_Tiny(arr))  # type: ignore[arg-type]

    assert (digest(values) == digest(other)) == (values == other)


@dataclasses.dataclass(frozen=True, eq=False)
class _Tiny:
    name: np.ndarray[Any, Any]


def test_a_busy_file_is_left_alone(tmp_path: Path) -> None:
    cat = tmp_path / "c.sqlite"
    cache = DerivedCache.load(cat, ("c",))
    cache.put(("k",), 1)
    cache.save()
    cache.close()
    writer = sqlite3.connect(cat.with_name(cat.name + derived.SUFFIX), isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")  # another process writing it
    busy = DerivedCache.load(cat, ("other catalog",))
    assert busy.get(("k",)) == (False, None)
    busy.put(("k",), 2)
    busy.save()  # no file this time: nothing written, nothing deleted
    writer.execute("COMMIT")
    writer.close()
    again = DerivedCache.load(cat, ("c",))
    assert again.get(("k",)) == (True, 1)
    again.close()
