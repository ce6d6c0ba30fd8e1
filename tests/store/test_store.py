"""The user store's contract, on both backends: plans, facts, secret, migrations, concurrency."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from smartpick.errors import StoreCorruptError, StoreError
from smartpick.store import SQLiteStore, UserFact, UserStore, open_store, resolve_store
from smartpick.store.base import hash_token
from smartpick.store.schema import LATEST

from .conftest import StoreFactory


def test_save_get_delete(store: UserStore) -> None:
    plan_id, token = store.save_plan({"profile": {"specialty": "IM"}, "n": 1, "é": "ü"})
    assert len(plan_id) >= 22 and len(token) >= 32
    saved = store.get_plan(plan_id)
    assert saved is not None and saved.payload == {"profile": {"specialty": "IM"}, "n": 1, "é": "ü"}
    assert saved.created.endswith("+00:00")
    assert store.get_plan("nope") is None and store.get_plan("x" * 22) is None
    assert store.delete_plan(plan_id, "wrong-token") == "forbidden"
    assert store.delete_plan("x" * 22, token) == "missing"
    assert store.delete_plan("../../etc", token) == "missing"
    assert store.plan_count() == 1
    assert store.delete_plan(plan_id, token) == "deleted"
    assert store.get_plan(plan_id) is None
    assert store.delete_plan(plan_id, token) == "missing"


def test_only_a_hash_of_the_token_is_kept(sqlite_store: SQLiteStore) -> None:
    _, token = sqlite_store.save_plan({"a": 1})
    conn = sqlite3.connect(str(sqlite_store.path))
    cols = [r[1] for r in conn.execute("PRAGMA table_info(saved_plans)")]
    (stored,) = conn.execute("SELECT delete_token_hash FROM saved_plans").fetchone()
    conn.close()
    assert cols == ["id", "created", "payload", "delete_token_hash"]
    assert token not in stored and stored == hash_token(token)


def test_facts_replace_reset_and_version(store: UserStore) -> None:
    v0 = store.facts_version()
    assert store.user_facts() == []
    store.put_user_facts([UserFact("1903140C0", "pct_img", "0.1", "a.csv")])
    store.put_user_facts(
        [
            UserFact("1903140C0", "pct_img", "0.2", "b.csv"),
            UserFact("2405140C0", "notes", None, "b"),
        ]
    )
    assert store.user_facts() == [
        ("1903140C0", "pct_img", "0.2", "b.csv"),
        ("2405140C0", "notes", None, "b"),
    ]
    v1 = store.facts_version()
    assert v1 > v0
    assert store.reset_user_facts() == 2
    assert store.user_facts() == [] and store.facts_version() > v1
    assert store.reset_user_facts() == 0


def test_secret_is_created_once_and_persists(make_store: StoreFactory) -> None:
    first = make_store()
    secret = first.secret()
    assert len(secret) == 64 and int(secret, 16) >= 0
    assert first.secret() == secret
    assert make_store().secret() == secret


def test_data_survives_reopening(make_store: StoreFactory) -> None:
    one = make_store()
    plan_id, _ = one.save_plan({"kept": True})
    one.put_user_facts([UserFact("1903140C0", "city", "Montgomery", "mine.csv")])
    one.close()
    two = make_store()
    saved = two.get_plan(plan_id)
    assert saved is not None and saved.payload == {"kept": True}
    assert two.user_facts()[0].value == "Montgomery"
    two.check()


def test_schema_is_versioned(store: UserStore) -> None:
    assert store.schema_version() == LATEST  # type: ignore[attr-defined]


def test_a_store_from_a_newer_smartpick_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "user.sqlite"
    SQLiteStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations VALUES (?, 'later')", (LATEST + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer than this SmartPick"):
        SQLiteStore(path)


def test_concurrent_saves_from_threads_all_land(make_store: StoreFactory) -> None:
    stores = [make_store(), make_store()]  # two connections, like two workers
    ids: list[str] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        for j in range(10):
            plan_id, _ = stores[i % 2].save_plan({"worker": i, "n": j})
            with lock:
                ids.append(plan_id)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ids) == len(set(ids)) == 60
    assert all(stores[0].get_plan(i) is not None for i in ids)
    assert stores[1].plan_count() == 60


def test_sqlite_is_wal_with_synchronous_full(sqlite_store: SQLiteStore) -> None:
    conn = sqlite_store.connection()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_sqlite_takes_memory_or_a_connection(tmp_path: Path) -> None:
    memory = SQLiteStore(":memory:")
    plan_id, _ = memory.save_plan({"x": 1})
    assert memory.get_plan(plan_id) is not None
    conn = sqlite3.connect(tmp_path / "mine.sqlite", check_same_thread=False)
    given = SQLiteStore(conn)
    given.put_user_facts([UserFact("1903140C0", "notes", "n", "s")])
    assert conn.execute("SELECT count(*) FROM user_facts").fetchone()[0] == 1


def test_a_corrupt_store_is_kept_and_named_never_replaced(tmp_path: Path) -> None:
    path = tmp_path / "user.sqlite"
    store = SQLiteStore(path)
    for i in range(200):
        store.save_plan({"i": i, "pad": "x" * 500})
    store.close()
    raw = bytearray(path.read_bytes())
    raw[4096 * 2 : 4096 * 2 + 200] = b"\xff" * 200  # damage a b-tree page
    path.write_bytes(bytes(raw))
    with pytest.raises(StoreCorruptError) as info:
        SQLiteStore(path)
    err = info.value
    assert "integrity check" in str(err) and "not replaced" in str(err)
    assert err.copy is not None and err.copy in str(err)
    assert Path(err.copy).read_bytes() == bytes(raw)
    assert path.read_bytes() == bytes(raw)  # left exactly as it was
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not SQLite" * 300)
    with pytest.raises(StoreCorruptError, match="a copy was kept"):
        SQLiteStore(garbage)
    assert garbage.read_bytes() == b"this is not SQLite" * 300


def test_resolve_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMARTPICK_DATABASE_URL", raising=False)
    assert resolve_store(db=tmp_path / "c.sqlite") == str(tmp_path / "user.sqlite")
    assert resolve_store("x.sqlite", db=tmp_path / "c.sqlite") == "x.sqlite"
    monkeypatch.setenv("SMARTPICK_DATABASE_URL", "postgresql://u:pw@h/db")
    assert resolve_store(db=tmp_path / "c.sqlite") == "postgresql://u:pw@h/db"
    assert resolve_store(db=":memory:") == "postgresql://u:pw@h/db"
    monkeypatch.delenv("SMARTPICK_DATABASE_URL")
    assert resolve_store(db=":memory:") == ":memory:"
    store = open_store(f"sqlite:///{tmp_path / 'url.sqlite'}", adopt=False)
    assert store.location == str(tmp_path / "url.sqlite")
    store.close()


def test_postgres_location_hides_the_password() -> None:
    from smartpick.store.postgres import redact

    assert redact("postgresql://me:s3cret@db:5432/x") == "postgresql://me:***@db:5432/x"
    assert redact("postgresql://me@db/x") == "postgresql://me@db/x"


def test_postgres_unreachable_is_a_store_error() -> None:
    from smartpick.store.postgres import PostgresStore

    with pytest.raises(StoreError, match="cannot connect") as info:
        PostgresStore("postgresql://nobody:pw@127.0.0.1:1/none", connect_timeout=2)
    assert "pw" not in str(info.value)


def test_plan_ids_never_start_with_a_dash() -> None:
    # a CLI reads `smartpick track status -abc...` as an option: about 1 id in 64 did
    from smartpick.store.base import new_plan_id

    ids = [new_plan_id() for _ in range(2000)]
    assert not any(i.startswith("-") for i in ids) and len(set(ids)) == len(ids)
    assert all(len(i) >= 16 for i in ids)
