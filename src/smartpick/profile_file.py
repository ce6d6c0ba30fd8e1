"""Profile files: TOML in, a validated :class:`~smartpick.profile.Profile` out.

Every problem is one :class:`~smartpick.errors.ProfileError` naming the file, the line where it
can be found, and the field: a missing file or a folder, a byte-order mark, text that is not
UTF-8, invalid TOML, nesting too deep for the TOML reader, and the field errors: all of them
at once, in its ``problems`` (each with the file, the line of its key and the field).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import replace
from pathlib import Path

from smartpick.errors import ProfileError
from smartpick.profile import Profile, parse_profile

__all__ = ["read_profile"]


def _key_line(text: str, key: str) -> int | None:
    """The line (1-based) where a top-level key is set, if it can be found."""
    pattern = re.compile(rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=""")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def _deep_line(text: str, limit: int = 16) -> int:
    """The first line where brackets (outside simple quoted strings) nest over ``limit``."""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        quote = ""
        for ch in line:
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "\"'":
                quote = ch
            elif ch == "#":
                break
            elif ch in "[{":
                depth += 1
                if depth > limit:
                    return number
            elif ch in "]}":
                depth -= 1
    return 1


def read_profile(path: str | Path, *, today: dt.date | None = None) -> Profile:
    """Read and validate a TOML profile file; errors name the file, the line and the field."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ProfileError(f"file not found: {p}", field="profile") from None
    except IsADirectoryError:
        raise ProfileError(f"{p} is a folder, not a profile file", field="profile") from None
    except OSError as exc:
        raise ProfileError(f"cannot read {p} ({exc.strerror})", field="profile") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raise ProfileError(
            f"{p}, line 1: the file starts with a byte-order mark (BOM), which TOML does not "
            "allow; save it as UTF-8 without BOM",
            field="profile",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ProfileError(f"{p}, line {line}: not UTF-8 text", field="profile") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{p}: not valid TOML ({exc})", field="profile") from None
    except RecursionError:
        raise ProfileError(
            f"{p}, line {_deep_line(text)}: arrays or tables nested too deeply "
            "(a profile needs at most 2 levels)",
            field="profile",
        ) from None
    try:
        return parse_profile(data, today=today)
    except ProfileError as exc:
        problems = tuple(
            replace(q, path=str(p), line=_key_line(text, q.field.split(".")[0]))
            for q in exc.problems
        )
        problems = tuple(sorted(problems, key=lambda q: q.line or 1 << 30))  # in file order
        first = problems[0]
        field = exc.field or first.field
        where = f"{p}, line {first.line}" if first.line else str(p)
        raise ProfileError(f"{where}: {exc}", field=field, problems=problems) from None
