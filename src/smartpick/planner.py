"""The planner: the catalog loader, the user store and bounded caches, owned by whoever runs it.

The CLI creates one per command, the web app one per process (``create_app(planner, store)``),
tests one over a small catalog. Its caches are keyed by everything a cached value depends on:

- program frames: the catalog file (path, inode, size, modification time), the version of the
  user's facts, the specialty and the tracks;
- plans: a SHA-256 digest of the profile (never the profile itself), the list adjustments, the
  date, the frame key's catalog part and whether the strategy plan was asked for;
- strategy what-ifs: profile digest, date and catalog (they ignore list adjustments).

Each is an LRU with a fixed size. In memory only; nothing here logs or stores a profile.
Profile-independent results (frames, anchors, signal effects) also go to the derived cache
beside the catalog file (:mod:`smartpick.derived`), used while the user has no facts of their own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from smartpick.catalog.store import DEFAULT_WAIT, Catalog, ensure_catalog
from smartpick.config import plan_date, resolve_db_path
from smartpick.contract import Advice, PlanResult
from smartpick.derived import DerivedCache
from smartpick.frame import ProgramFrame
from smartpick.memo import active, using
from smartpick.profile import Profile
from smartpick.query import ProgramQuery
from smartpick.store import UserStore, open_store

if TYPE_CHECKING:
    from smartpick.thin import CurveDetail

__all__ = ["LRU", "PlanService", "Planner"]

V = TypeVar("V")


class LRU(Generic[V]):
    """A small thread-safe least-recently-used map with a fixed size."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        """The value, marked as recently used, or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        """Store a value, dropping the least recently used past the size."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


class PlanService(Protocol):
    """What the web app and the CLI call on a planner (tests pass a stand-in)."""

    def plan(
        self,
        profile: Profile,
        *,
        today: dt.date | None = None,
        exclude_codes: Sequence[str] = (),
        include_codes: Sequence[str] = (),
        advice: bool = True,
        curve: CurveDetail = "full",
    ) -> PlanResult:
        """The plan for a profile."""
        ...

    def search_programs(
        self,
        query: ProgramQuery,
        *,
        profile: Profile | None = None,
        today: dt.date | None = None,
    ) -> list[dict[str, Any]]:
        """Catalog records matching a query."""
        ...


class Planner:
    """Plans, catalog searches and specialties over one catalog and one user store.

    ``db``: the catalog (a path, ``":memory:"``, or None for ``$SMARTPICK_DB`` / per-user).
    ``store``: the user store whose facts apply to the catalog's programs; None opens the
    default one (beside the catalog, or ``$SMARTPICK_DATABASE_URL``) on first use, and
    :meth:`close` closes only a store the planner opened itself (or was told to own).
    """

    def __init__(
        self,
        db: str | os.PathLike[str] | None = None,
        store: UserStore | None = None,
        *,
        plans: int = 128,
        frames: int = 256,
        wait: float = DEFAULT_WAIT,
        own_store: bool = False,
    ) -> None:
        self.db = db
        self.wait = wait
        self._store = store
        self._owns_store = store is None or own_store
        self._store_lock = threading.Lock()
        self.frames: LRU[ProgramFrame] = LRU(frames)
        self.results: LRU[PlanResult] = LRU(plans)
        self.advice: LRU[list[Advice]] = LRU(plans)
        self._derived: DerivedCache | None = None
        self._facts_seen: tuple[int, bool] | None = None  # (facts version, has facts)
        self._derived_lock = threading.Lock()

    # ------------------------------------------------------------------ sources
    @property
    def store(self) -> UserStore:
        """The user store (opened on first use when none was given)."""
        with self._store_lock:
            if self._store is None:
                self._store = open_store(db=self.db)
            return self._store

    def _memory(self) -> bool:
        return self.db is not None and str(self.db) == ":memory:"

    def catalog_version(self) -> tuple[Any, ...]:
        """What the catalog's contents as this planner sees them depend on."""
        facts = self.store.facts_version()
        if self._memory():
            return ("memory", facts)
        path = resolve_db_path(self.db)
        try:
            st = path.stat()
        except FileNotFoundError:
            return (str(path), -1, facts)
        return (str(path), st.st_ino, st.st_size, st.st_mtime_ns, facts)

    def _has_user_facts(self, version: int | None = None) -> bool:
        """Whether the user has facts of their own (``version``: the facts version, when the
        caller has just read it)."""
        version = self.store.facts_version() if version is None else version
        seen = self._facts_seen
        if seen is None or seen[0] != version:
            seen = (version, bool(self.store.user_facts()))
            self._facts_seen = seen
        return seen[1]

    def derived_cache(self, version: tuple[Any, ...] | None = None) -> DerivedCache | None:
        """The derived cache of the catalog file, the catalog built first when missing or stale
        (checked once per catalog file, as the frames are); None for an in-memory catalog or
        while the user has facts of their own. ``version``: :meth:`catalog_version` when the
        caller has just read it (read here otherwise)."""
        if self._memory():
            return None
        version = version or self.catalog_version()
        if self._has_user_facts(version[-1]):
            return None
        with self._derived_lock:
            found = self._derived
            if found is not None and found.catalog == version[:-1]:
                return found
            path = ensure_catalog(self.db, wait=self.wait)
            found = DerivedCache.load(path, self.catalog_version()[:-1])
            self._derived = found
            return found

    def open_catalog(self) -> Catalog:
        """The catalog (built when missing or stale) with the user's facts applied."""
        return Catalog.open(self.db, wait=self.wait, user_facts=self.store.user_facts())

    def frame(
        self,
        specialty_code: str,
        tracks: tuple[str, ...],
        *,
        version: tuple[Any, ...] | None = None,
    ) -> ProgramFrame:
        """Every program of a specialty and tracks (cached per catalog and facts version).

        ``version``: the :meth:`catalog_version` a plan read when it began (its frames then
        come from that one snapshot); read here when None."""
        key = (version or self.catalog_version(), specialty_code, tracks)
        found = self.frames.get(key)
        if found is not None:
            return found
        derived = self._derived  # during this planner's plan: frames go to its derived cache
        if derived is not None and active() is derived and derived.catalog == key[0][:-1]:
            hit, frame = derived.get(("frame", specialty_code, tracks))
            if not hit:
                with self.open_catalog() as cat:
                    frame = cat.frame(specialty_code, tracks)
                derived.put(("frame", specialty_code, tracks), frame)
            self.frames.put(key, frame)
            return frame  # type: ignore[no-any-return]
        with self.open_catalog() as cat:
            frame = cat.frame(specialty_code, tracks)
        # the open may have built the catalog: key on the file as it is now
        self.frames.put((self.catalog_version(), specialty_code, tracks), frame)
        return frame

    __call__ = frame  # a FrameLoader for the pipeline

    # ------------------------------------------------------------------ services
    def plan(
        self,
        profile: Profile,
        *,
        today: dt.date | None = None,
        exclude_codes: Sequence[str] = (),
        include_codes: Sequence[str] = (),
        advice: bool = True,
        curve: CurveDetail = "full",
    ) -> PlanResult:
        """The full plan for a profile (deterministic: same profile and date, same plan).

        ``exclude_codes`` removes programs from the list; ``include_codes`` forces programs in
        (the web app's "adjust the list"). ``advice=False`` skips the strategy plan's what-ifs.
        ``curve="thin"``: the curve's points :func:`smartpick.thin.thin_result` keeps, the
        others never built (what ``POST /api/plan`` sends).
        """
        from smartpick.assemble import assemble
        from smartpick.pipeline import PlanCore

        today = today or plan_date()
        digest = hashlib.sha256(profile.model_dump_json().encode()).hexdigest()
        version = self.catalog_version()
        key = (
            digest,
            tuple(sorted(exclude_codes)),
            tuple(sorted(include_codes)),
            today.isoformat(),
            version,
            advice,
            curve,
        )
        cached = self.results.get(key)
        if cached is not None:
            return cached
        advice_key = (digest, today.isoformat(), version)
        known = self.advice.get(advice_key) if advice else None
        derived = self.derived_cache(version)
        with using(derived):
            result = assemble(
                PlanCore(partial(self.frame, version=version), today),
                profile,
                exclude_codes=tuple(exclude_codes),
                include_codes=tuple(include_codes),
                with_advice=advice and known is None,
                curve=curve,
            )
        if derived is not None:
            derived.save()
        if known is not None:  # the what-ifs depend on the profile, not on list adjustments
            result = result.model_copy(update={"advice": known})
        elif advice:
            self.advice.put(advice_key, result.advice)
        self.results.put(key, result)
        return result

    def search_programs(
        self,
        query: ProgramQuery,
        *,
        profile: Profile | None = None,
        today: dt.date | None = None,
    ) -> list[dict[str, Any]]:
        """Catalog search: one JSON-ready record per program (see ``smartpick programs``).

        With a profile, each record also gets ``interview_probability``, ``tier`` and, for
        programs a hard screen rules out, ``screen_reason`` and ``screen_strictness``.
        """
        from smartpick.service import with_profile

        with self.open_catalog() as cat:
            records = cat.search(query)
        if profile is None or not records:
            return records
        version = self.catalog_version()
        derived = self.derived_cache(version)
        with using(derived):
            found = with_profile(
                records, profile, partial(self.frame, version=version), today or plan_date()
            )
        if derived is not None:
            derived.save()
        return found

    def program(self, program_code: str) -> dict[str, Any] | None:
        """One program with all its facts (the user's too), links and fixes."""
        with self.open_catalog() as cat:
            return cat.program(program_code)

    def specialties(self) -> list[dict[str, Any]]:
        """Every specialty with its figures and sources."""
        with self.open_catalog() as cat:
            return cat.specialties()

    # ------------------------------------------------------------------ lifecycle
    def clear_cache(self, *, frames: bool = True) -> None:
        """Forget cached plans and what-ifs (and frames unless ``frames=False``)."""
        self.results.clear()
        self.advice.clear()
        if frames:
            self.frames.clear()

    def close(self) -> None:
        """Forget the caches; close the store if the planner opened it."""
        self.clear_cache()
        with self._derived_lock:
            if self._derived is not None:
                self._derived.close()
                self._derived = None
        with self._store_lock:
            if self._owns_store and self._store is not None:
                self._store.close()
                self._store = None

    def __enter__(self) -> Planner:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
