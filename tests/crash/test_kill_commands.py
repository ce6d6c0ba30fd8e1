"""kill -9 during ``data build`` and ``data import``; a rebuild during saves; a hot journal.

Each test leaves the previous state intact and no temp file behind, and never rebuilds a
catalog that only could not be read at that moment.
"""

from __future__ import annotations

import contextlib
import csv
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from smartpick.catalog.store import Catalog, is_stale
from smartpick.errors import CatalogBusyError
from smartpick.store import SQLiteStore, UserFact, open_store

from .rig import Savers, Server, kill9, logs, missing, run, spawn, temps

FACT = UserFact("1903140C0", "pct_img", "0.4", "mine.csv (your data)")


def built_at(catalog: Path) -> str:
    with contextlib.closing(sqlite3.connect(f"{catalog.as_uri()}?mode=ro", uri=True)) as conn:
        return str(conn.execute("SELECT value FROM meta WHERE key = 'built_at'").fetchone()[0])


def catalog_ok(catalog: Path) -> None:
    """The catalog is whole, fresh and complete."""
    assert not is_stale(catalog)
    with contextlib.closing(sqlite3.connect(f"{catalog.as_uri()}?mode=ro", uri=True)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM programs").fetchone()[0] == 6687


@pytest.mark.slow
def test_kill_9_during_data_build_keeps_the_previous_catalog(catalog: Path) -> None:
    store_path = catalog.with_name("user.sqlite")
    with SQLiteStore(store_path) as store:
        store.put_user_facts([FACT])
        plan_id, _ = store.save_plan({"kept": 1})
    before = built_at(catalog)
    # a temp file as a build killed while writing would leave it
    (catalog.parent / f".{catalog.name}.killed.tmp").write_bytes(b"half a catalog")
    delays = [0.6, 0.9, 1.2, 1.5, 1.8, 2.6]
    rebuilt = 0
    for delay in delays:
        proc = spawn(catalog, str(store_path), "data", "build")
        time.sleep(delay)
        kill9(proc)
        catalog_ok(catalog)  # the old one or a complete new one, never a mix
        rebuilt += built_at(catalog) != before
        with SQLiteStore(store_path) as store:
            store.check()
            assert store.user_facts() == [FACT] and store.get_plan(plan_id) is not None
    # any next command cleans what a killed build left
    done = run(catalog, str(store_path), "programs", "--specialty", "140", "--limit", "1")
    assert done.returncode == 0, done.stderr
    logs(catalog.parent)
    assert temps(catalog.parent) == []
    print(f"\n[crash] data build: {len(delays)} kill -9, {rebuilt} finished first, 0 damaged")


@pytest.mark.slow
def test_kill_9_during_data_import_is_all_or_nothing(catalog: Path, tmp_path: Path) -> None:
    store_path = tmp_path / "user.sqlite"
    with Catalog.open(catalog, build_if_missing=False) as cat:
        codes = [r[0] for r in cat.connection().execute("SELECT program_code FROM programs")]
    big = tmp_path / "mine.csv"
    with big.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["program_code", "pct_img", "visa_j1", "notes"])
        for code in codes:
            out.writerow([code, "50", "yes", "imported in bulk " * 8])
    with SQLiteStore(store_path) as store:
        store.put_user_facts([FACT])
    old = [FACT]
    outcomes: dict[str, int] = {"old": 0, "new": 0}
    for delay in (0.15, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.2):
        with SQLiteStore(store_path) as store:
            store.reset_user_facts()
            store.put_user_facts(old)
        proc = spawn(catalog, str(store_path), "data", "import", str(big))
        time.sleep(delay)
        kill9(proc)
        with SQLiteStore(store_path) as store:
            store.check()
            facts = store.user_facts()
        if facts == old:
            outcomes["old"] += 1
        else:
            assert len(facts) == 3 * len(codes), "a partial import is visible"
            assert {f.field for f in facts} == {"pct_img", "visa_j1", "notes"}
            outcomes["new"] += 1
    logs(catalog.parent)
    assert temps(tmp_path) == [] and temps(catalog.parent) == []
    assert built_at(catalog) and not is_stale(catalog)
    print(f"\n[crash] data import: 8 kill -9, outcomes {outcomes}, 0 partial")


@pytest.mark.slow
def test_a_rebuild_during_saves_loses_nothing(catalog: Path) -> None:
    """SQLite only: a build never opens the store, whichever backend it is."""
    store_url = str(catalog.with_name("user.sqlite"))
    server = Server.start(catalog, store_url)
    try:
        savers = Savers(server.base, threads=4).start()
        savers.wait_for(3)
        for _ in range(2):
            built = run(catalog, store_url, "data", "build")
            assert built.returncode == 0, built.stderr
        savers.wait_for(len(savers.acked) + 3)
        savers.stop()
        assert savers.errors == []
        assert missing(server.base, savers.acked) == []
    finally:
        server.stop()
    with open_store(store_url, adopt=False) as store:  # type: ignore[attr-defined]
        store.check()
        assert set(savers.acked) <= set(store.plan_ids())
    logs(catalog.parent)
    assert temps(catalog.parent) == []
    print(f"\n[crash] rebuild during saves: 2 builds, {len(savers.acked)} acknowledged, 0 lost")


WRITER = textwrap.dedent(
    """
    import os, sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA cache_size = 1")  # spill changed pages into the file mid-transaction
    conn.execute("BEGIN")
    conn.execute("UPDATE programs SET name = 'HALF-WRITTEN'")
    print("mid-transaction", flush=True)
    os.kill(os.getpid(), 9)
    """
)


@pytest.mark.slow
def test_a_hot_journal_from_a_killed_writer_is_rolled_back_not_rebuilt(catalog: Path) -> None:
    store_path = catalog.with_name("user.sqlite")
    with SQLiteStore(store_path) as store:
        store.put_user_facts([FACT])
        plan_id, _ = store.save_plan({"kept": 1})
    before = built_at(catalog)
    killed = subprocess.run(
        [sys.executable, "-c", WRITER, str(catalog)], capture_output=True, text=True, timeout=60
    )
    assert killed.returncode == -9 and "mid-transaction" in killed.stdout
    journal = catalog.with_name(catalog.name + "-journal")
    assert journal.exists() and journal.stat().st_size > 0  # a hot journal
    done = run(catalog, str(store_path), "programs", "--specialty", "140", "--json", "--limit", "0")
    assert done.returncode == 0, done.stderr
    assert "HALF-WRITTEN" not in done.stdout
    assert '"img_share_source": "user"' in done.stdout  # the user's fact still applies
    assert built_at(catalog) == before  # rolled back, not rebuilt
    assert not journal.exists()
    catalog_ok(catalog)
    with SQLiteStore(store_path) as store:
        assert store.user_facts() == [FACT] and store.get_plan(plan_id) is not None


def test_a_locked_catalog_is_waited_for_or_reported_never_rebuilt(catalog: Path) -> None:
    before = built_at(catalog)
    holder = sqlite3.connect(catalog, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(CatalogBusyError, match="locked by another process"):
            Catalog.open(catalog, wait=0.3)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Catalog.open(catalog, wait=5) as cat:
        assert cat.program("1903140C0") is not None
    assert built_at(catalog) == before
