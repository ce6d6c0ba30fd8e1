"""First start after the upgrade: plans and facts in an old-format catalog move to the store."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from smartpick.catalog.build import build_catalog
from smartpick.catalog.store import Catalog
from smartpick.cli import main
from smartpick.planner import Planner
from smartpick.store import STORE_ENV, open_store
from smartpick.store.base import hash_token

OLD_PLAN = ("oldplanid1234567890AB", "2026-11-20T10:00:00+00:00", '{"profile":{"a":1}}')
OLD_TOKEN = "old-delete-token-000000000000000"
OLD_FACTS = [
    ("1903140C0", "pct_img", "0.4", "mine.csv (your data, imported 2026-11-20)"),
    ("1903140C0", "notes", "J-1 only", "mine.csv (your data, imported 2026-11-20)"),
]


def old_format_catalog(folder: Path, shipped: Path) -> Path:
    """A catalog as SmartPick wrote it before the user store: user tables inside, version 1."""
    path = folder / "catalog.sqlite"
    shutil.copy(shipped, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.execute(
        "CREATE TABLE saved_plans (id TEXT PRIMARY KEY, created TEXT NOT NULL, "
        "payload TEXT NOT NULL, delete_token_hash TEXT NOT NULL)"
    )
    conn.execute("INSERT INTO saved_plans VALUES (?, ?, ?, ?)", (*OLD_PLAN, hash_token(OLD_TOKEN)))
    conn.execute(
        "CREATE TABLE user_facts (program_code TEXT NOT NULL, field TEXT NOT NULL, value TEXT, "
        "source TEXT NOT NULL, PRIMARY KEY (program_code, field))"
    )
    conn.executemany("INSERT INTO user_facts VALUES (?, ?, ?, ?)", OLD_FACTS)
    conn.commit()
    conn.close()
    return path


@pytest.fixture
def old(tmp_path: Path, shipped_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(STORE_ENV, raising=False)
    return old_format_catalog(tmp_path, shipped_db)


def test_first_start_moves_plans_and_facts_then_rebuilds(old: Path) -> None:
    with Planner(old) as planner:
        rec = planner.program("1903140C0")  # opens the store (adopts), then rebuilds
        store = planner.store
        assert rec is not None
        assert (rec["img_share"], rec["img_share_source"]) == (0.4, "user")
        assert rec["notes"] == "J-1 only" and OLD_FACTS[0][3] in rec["sources"]
        saved = store.get_plan(OLD_PLAN[0])
        assert saved is not None and saved.payload == {"profile": {"a": 1}}
        assert saved.created == OLD_PLAN[1]
        # the new catalog holds no user tables; the old file was kept as a backup
        conn = sqlite3.connect(f"{old.as_uri()}?mode=ro", uri=True)
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        conn.close()
        assert not names & {"saved_plans", "user_facts"}
        assert old.with_name("catalog.sqlite.user-data-backup").exists()
        # the old delete token still works
        assert store.delete_plan(OLD_PLAN[0], OLD_TOKEN) == "deleted"
        assert store.reset_user_facts() == 2
    with open_store(db=old) as again:  # type: ignore[attr-defined]
        assert again.user_facts() == []  # adopted once: a reset stays reset
        assert again.get_plan(OLD_PLAN[0]) is None


def test_a_build_before_the_first_start_keeps_a_backup_that_is_adopted(old: Path) -> None:
    report = build_catalog(old)
    assert report is not None and report.user_data_backup.endswith("user-data-backup")
    with Catalog.open(old, build_if_missing=False) as cat:
        assert cat.program("1903140C0")["img_share_source"] != "user"  # type: ignore[index]
    store = open_store(db=old)
    assert [f.field for f in store.user_facts()] == ["notes", "pct_img"]
    assert store.get_plan(OLD_PLAN[0]) is not None
    store.close()


def test_cli_data_build_moves_the_data_first(old: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(old), "data", "build", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["store"] == str(old.with_name("user.sqlite"))
    assert main(["--db", str(old), "programs", "--specialty", "140", "--json", "--limit", "0"]) == 0
    records = json.loads(capsys.readouterr().out)
    mine = next(r for r in records if r["program_code"] == "1903140C0")
    assert mine["img_share_source"] == "user" and mine["notes"] == "J-1 only"
