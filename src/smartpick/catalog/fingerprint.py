"""What a catalog is built from: the builder's code and the source files (their fingerprints).

A catalog records both at build time (``meta``); one whose fingerprints differ is stale and
rebuilt (:func:`smartpick.catalog.store.is_stale`). Light on purpose: opening a catalog reads
these without importing the builder.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from .load import source_hashes
from .schema import SCHEMA_VERSION

__all__ = ["BUILDER_MODULES", "ROW_MODULES", "builder_fingerprint", "sources_fingerprint"]

#: Modules whose code shapes the catalog's contents (a change triggers a rebuild).
BUILDER_MODULES: tuple[str, ...] = (
    "schema.py",
    "load.py",
    "fixes.py",
    "build.py",
    "crosswalk.py",
    "crosswalk_units.py",
    "crosswalk_curated.py",
    "crosswalk_manual.csv",
    "names.py",
    "explorer.py",
    "explorer_score.py",
    "explorer_text.py",
    "explorer_units.py",
    "explorer_db.py",
    "explorer_inst.py",
    "rows.py",
)
#: Modules of :mod:`smartpick.datafiles` that validate the rows going into the catalog.
ROW_MODULES: tuple[str, ...] = ("rows.py", "parse.py")


def builder_fingerprint() -> str:
    """sha256 over the schema version and the catalog builder's code."""
    h = hashlib.sha256(f"schema {SCHEMA_VERSION}".encode())
    pkg = resources.files("smartpick.catalog")
    rows = resources.files("smartpick.datafiles")
    entries = [(n, pkg.joinpath(n)) for n in BUILDER_MODULES]
    entries += [(f"datafiles/{n}", rows.joinpath(n)) for n in ROW_MODULES]
    for name, entry in entries:
        if entry.is_file():
            h.update(name.encode())
            h.update(entry.read_bytes())
    return h.hexdigest()


def sources_fingerprint(data_dir: Path | None = None) -> str:
    """sha256 over the source files' hashes."""
    hashes = source_hashes(data_dir)
    return hashlib.sha256(repr(sorted(hashes.items())).encode()).hexdigest()
