"""Tracker events in the user store, on SQLite and PostgreSQL: token, order, delete with plan."""

from __future__ import annotations

from smartpick.store import UserStore
from smartpick.track.records import NewEvent

from .conftest import StoreFactory

A = NewEvent("1234140C0", "applied", "2026-09-10")
B = NewEvent("1234140C0", "invited", "2026-10-12", "phone call")


def test_events_append_in_order_and_need_the_token(store: UserStore) -> None:
    pid, tok = store.save_plan({"plan": 1})
    assert store.add_events(pid, "wrong", [A]) == "forbidden"
    assert store.add_events("x" * 22, tok, [A]) == "missing"
    assert store.plan_events(pid) == []
    first = store.add_events(pid, tok, [A])
    second = store.add_events(pid, tok, [B])
    assert isinstance(first, list) and isinstance(second, list)
    got = store.plan_events(pid)
    assert [(e.position, e.status, e.note) for e in got] == [
        (1, "applied", None),
        (2, "invited", "phone call"),
    ]
    assert store.check_token(pid, tok) == "ok" and store.check_token(pid, "no") == "forbidden"
    assert store.delete_event(pid, "no", got[0].id) == "forbidden"
    assert store.delete_event(pid, tok, got[0].id) == "deleted"
    assert store.delete_event(pid, tok, got[0].id) == "missing"
    assert [e.status for e in store.plan_events(pid)] == ["invited"]


def test_events_are_deleted_with_their_plan(make_store: StoreFactory) -> None:
    store = make_store()
    pid, tok = store.save_plan({"plan": 1})
    other, tok2 = store.save_plan({"plan": 2})
    store.add_events(pid, tok, [A, B])
    store.add_events(other, tok2, [A])
    assert store.delete_plan(pid, tok) == "deleted"
    again = make_store()  # another connection sees the same
    assert again.plan_events(pid) == [] and len(again.plan_events(other)) == 1
    again.check()
