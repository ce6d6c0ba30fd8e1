"""Memos of profile-independent functions kept in a store the caller provides (pure).

Functions of the model and the advice that no profile changes (a frame's anchors, the pooled
signal effects, sums over the bundled CSVs) are decorated with :func:`persisted`. While a
:class:`MemoStore` is active (:func:`using`; the planner activates its derived cache, see
:mod:`smartpick.derived`), their results are looked up there by a key of exactly what they
depend on beyond the store's own header (code, data, model version): the key function's result,
e.g. a frame's content digest (:func:`frame_digest`) and the applicant group. Without an active
store, or when the key function says None, the function just runs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import pickle
import threading
import weakref
from collections.abc import Callable, Hashable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar

if TYPE_CHECKING:
    from smartpick.frame import ProgramFrame

__all__ = [
    "MemoStore",
    "active",
    "frame_digest",
    "frame_key",
    "frame_model_key",
    "params_key",
    "persisted",
    "using",
]

P = ParamSpec("P")
R = TypeVar("R")


class MemoStore(Protocol):
    """Where :func:`persisted` functions keep their results."""

    def get(self, key: tuple[Hashable, ...]) -> tuple[bool, Any]:
        """(True, value) when the entry exists, else (False, None)."""
        ...

    def put(self, key: tuple[Hashable, ...], value: Any) -> None:
        """Keep an entry."""
        ...


_ACTIVE: ContextVar[MemoStore | None] = ContextVar("smartpick_memo", default=None)


_DIGESTS: weakref.WeakKeyDictionary[ProgramFrame, str] = weakref.WeakKeyDictionary()
_DIGEST_LOCK = threading.Lock()


def frame_digest(frame: ProgramFrame) -> str:
    """sha256 of a frame's contents (every column's dtype, shape and values; memoised per frame).

    Object columns (strings, None, tuples of strings) are pickled without the memo, so equal
    contents give equal digests whichever objects hold them.
    """
    with _DIGEST_LOCK:
        found = _DIGESTS.get(frame)
    if found is not None:
        return found
    h = hashlib.sha256()
    for f in dataclasses.fields(frame):
        arr = getattr(frame, f.name)
        h.update(f"{f.name}:{arr.dtype.str}:{arr.shape}".encode())
        if arr.dtype == object:
            buf = io.BytesIO()
            pickler = pickle.Pickler(buf, protocol=5)
            pickler.fast = True  # no memo: the bytes depend on the values only
            pickler.dump(arr.tolist())
            h.update(buf.getvalue())
        else:
            h.update(arr.tobytes())  # C order whatever the layout
    digest = h.hexdigest()
    with _DIGEST_LOCK:
        _DIGESTS[frame] = digest
    return digest


def frame_key(frame: ProgramFrame) -> tuple[Hashable, ...]:
    """Key of a function of a frame alone (and of the packaged model and data)."""
    return (frame_digest(frame),)


def frame_model_key(
    frame: ProgramFrame, group: str, params: Any, model: Any
) -> tuple[Hashable, ...] | None:
    """Key of a function of (frame, group, parameters, rate model): persisted only for the
    packaged parameters and rate model (which the header's MODEL_VERSION and code cover)."""
    from smartpick.model.params import load_params
    from smartpick.model.rates import load_rate_model

    if params is not load_params() or model is not load_rate_model():
        return None
    return (frame_digest(frame), group)


def params_key(code: str, params: Any, kmax: int) -> tuple[Hashable, ...] | None:
    """Key of a function of (specialty or cohort code, parameters, k max): persisted only for
    the packaged parameters."""
    from smartpick.model.params import load_params

    return None if params is not load_params() else (code, kmax)


def active() -> MemoStore | None:
    """The store of the plan running in this context (None: compute everything)."""
    return _ACTIVE.get()


@contextlib.contextmanager
def using(store: MemoStore | None) -> Iterator[None]:
    """Make ``store`` the active one for the duration (None: none)."""
    token = _ACTIVE.set(store)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def persisted(
    kind: str, key: Callable[P, tuple[Hashable, ...] | None]
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Keep a profile-independent function's results in the active store.

    ``key`` maps the call's arguments to what the result depends on beyond the cache's header
    (None: do not persist this call). Without an active cache the function just runs.
    """

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            cache = _ACTIVE.get()
            if cache is None:
                return fn(*args, **kwargs)
            k = key(*args, **kwargs)
            if k is None:
                return fn(*args, **kwargs)
            entry = (kind, *k)
            found, value = cache.get(entry)
            if found:
                return value  # type: ignore[no-any-return]
            result = fn(*args, **kwargs)
            cache.put(entry, result)
            return result

        return wrapper

    return decorate
