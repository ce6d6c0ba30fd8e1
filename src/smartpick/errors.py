"""SmartPick's one error hierarchy.

```
SmartPickError                 base: every error SmartPick raises on purpose
├── InputError                 bad user input: names the field and what is allowed
│   ├── ProfileError           a profile field (TOML, web form or API); ``problems`` lists all
│   ├── DataFileError          a user's CSV: names the file, line (header = 1) and column
│   ├── RequestError           a web request over a limit (body size, nesting, string length)
│   └── CsrfError              a web form post without a valid, server-signed CSRF token
├── CatalogError               the catalog cannot be built, opened or queried
│   └── CatalogBusyError       the catalog is locked by another process (after waiting)
├── StoreError                 the user store (saved plans, your facts) cannot be used
│   └── StoreCorruptError      the user store failed its integrity check (never replaced)
└── ModelError                 model parameters missing or inconsistent
```

The CLI maps these to a one-line message and a non-zero exit code; the web app maps
`InputError` to a 4xx answer that names the field (`RequestError` to its own status, 413 or
422; `CsrfError` to 403).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CatalogBusyError",
    "CatalogError",
    "CsrfError",
    "DataFileError",
    "InputError",
    "ModelError",
    "ProfileError",
    "ProfileProblem",
    "RequestError",
    "SmartPickError",
    "StoreCorruptError",
    "StoreError",
]


class SmartPickError(Exception):
    """Base class of every error SmartPick raises on purpose."""


class InputError(SmartPickError):
    """Bad user input. ``field`` names what was wrong, ``allowed`` what would be accepted."""

    def __init__(self, message: str, *, field: str | None = None, allowed: str | None = None):
        self.field = field
        self.allowed = allowed
        text = message
        named = field and (f"{field}:" in message or f"'{field}'" in message)
        if field and not message.startswith(field) and not named:
            text = f"{field}: {message}"
        if allowed:
            text = f"{text} (allowed: {allowed})"
        super().__init__(text)


@dataclass(frozen=True)
class ProfileProblem:
    """One problem of a profile: the field, the message, and the file and line if known."""

    field: str
    message: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.path or ""
        if self.path and self.line is not None:
            where += f", line {self.line}"
        text = (
            self.message
            if self.message.startswith(f"{self.field}:")
            else (f"{self.field}: {self.message}")
        )
        return f"{where}: {text}" if where else text


class ProfileError(InputError):
    """A profile field is missing or invalid.

    The message names the first problem (and which other fields to check); ``problems`` holds
    every problem found in one pass, each with its field (and file and line, from a file), so
    the CLI can report them all at once.
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        allowed: str | None = None,
        problems: tuple[ProfileProblem, ...] = (),
    ):
        super().__init__(message, field=field, allowed=allowed)
        self.problems = problems or (ProfileProblem(field or "profile", str(self)),)


class DataFileError(InputError):
    """A user's data file is invalid: names the file, the line (header = line 1) and column."""

    def __init__(
        self,
        message: str,
        *,
        path: str,
        line: int | None = None,
        column: str | None = None,
        allowed: str | None = None,
    ):
        self.path = path
        self.line = line
        self.column = column
        where = path
        if line is not None:
            where += f", line {line}"
        if column:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}", field=column, allowed=allowed)


class RequestError(InputError):
    """A web request over one of the server's limits; ``status`` is 413 or 422."""

    def __init__(self, message: str, *, status: int = 422, field: str | None = None):
        self.status = status
        super().__init__(message, field=field)


class CsrfError(InputError):
    """A form post whose CSRF token is missing, not signed by this server, or another
    visitor's."""


class CatalogError(SmartPickError):
    """The catalog cannot be built, opened or queried."""


class CatalogBusyError(CatalogError):
    """The catalog stayed locked by another process (a build, a writer) past the wait."""


class StoreError(SmartPickError):
    """The user store (saved plans, your own facts) cannot be opened, migrated or written."""


class StoreCorruptError(StoreError):
    """The user store failed its integrity check; it is left in place, and ``copy`` names the
    copy that was kept of it (None when no copy could be made)."""

    def __init__(self, message: str, *, copy: str | None = None) -> None:
        self.copy = copy
        super().__init__(message)


class ModelError(SmartPickError):
    """Model parameters are missing or inconsistent."""
