"""The server secret that signs the web app's CSRF tokens.

:func:`server_secret` is the one place it is looked up: ``$SMARTPICK_SECRET`` when set (at
least 32 characters; give every web worker and machine the same value), else a random secret
generated on first use and kept in ``<per-user data folder>/smartpick/server-secret`` with
mode 0600 (the web app passes its user store, which keeps it in its ``meta`` table instead,
shared by every worker and machine on one PostgreSQL store). It is never written into the
repository, a log or a page.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Protocol

from platformdirs import user_data_dir

from smartpick.errors import InputError


class SecretKeeper(Protocol):
    """Anything that keeps a persistent secret (the user store)."""

    def secret(self) -> str: ...


__all__ = ["MIN_SECRET_LENGTH", "SECRET_ENV", "default_secret_path", "server_secret"]

#: Environment variable holding the secret (shared by every worker of a deployment).
SECRET_ENV = "SMARTPICK_SECRET"
MIN_SECRET_LENGTH = 32


def default_secret_path() -> Path:
    """``<user data dir>/smartpick/server-secret`` (next to the default catalog)."""
    return Path(user_data_dir("smartpick", appauthor=False)) / "server-secret"


def server_secret(path: Path | None = None, *, store: SecretKeeper | None = None) -> bytes:
    """The secret: ``$SMARTPICK_SECRET``, else the user store's (created once), else the kept
    file (created once, mode 0600)."""
    env = os.environ.get(SECRET_ENV)
    if env is not None:
        if len(env) < MIN_SECRET_LENGTH:
            raise InputError(
                f"is {len(env)} characters long",
                field=SECRET_ENV,
                allowed=f"at least {MIN_SECRET_LENGTH} random characters",
            )
        return env.encode("utf-8")
    if store is not None:
        return store.secret().encode("ascii")
    return _kept_secret(path or default_secret_path())


def _kept_secret(path: Path) -> bytes:
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_urlsafe(48) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileExistsError):  # a concurrent first start won: use its
            os.link(tmp, path)  # atomic, and never replaces an existing secret
    finally:
        tmp.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> bytes:
    text = path.read_text(encoding="ascii").strip()
    if len(text) < MIN_SECRET_LENGTH:
        raise InputError(
            f"{path} holds a secret of {len(text)} characters",
            field="server secret",
            allowed=f"at least {MIN_SECRET_LENGTH}: delete the file and a new one is made",
        )
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    return text.encode("ascii")
