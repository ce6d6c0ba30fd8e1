"""Write the Residency Explorer file and its links into a catalog being built; read coverage.

:func:`write_explorer` is the build step: it reads what the catalog already holds (programs,
institutions, FREIDA and its crosswalk), links the rows (:mod:`.explorer`) and inserts the
``explorer``, ``explorer_link`` and ``explorer_unlinked`` tables by column name.
:func:`coverage` measures the result per specialty (for ``docs/explorer.md`` and its test).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from smartpick.errors import CatalogError

from .crosswalk_units import _label_owners
from .explorer import ExplorerInput, Linkage, link_explorer
from .explorer_units import SPECIALTY_CODES, Candidate, FreidaName, normal
from .load import ExplorerRow
from .records import EXPLORER_FILE
from .rows import insert_rows

__all__ = ["EXPLORER_FILE", "Coverage", "coverage", "insert_rows", "link_rows", "write_explorer"]


def _candidates(conn: sqlite3.Connection) -> list[Candidate]:
    sql = """
      SELECT p.program_code, p.state, p.name_as_listed, i.name, i.name_verified,
             p.institution_as_listed, COALESCE(i.city, f.city), p.acgme_id, p.positions
      FROM programs p JOIN institutions i ON i.inst_code = p.inst_code
      LEFT JOIN freida f ON f.acgme_id = p.acgme_id
      ORDER BY p.row_order"""
    return [
        Candidate(code, st, name, inst, bool(ok), label, city, acgme, int(pos))
        for code, st, name, inst, ok, label, city, acgme, pos in conn.execute(sql)
    ]


def _inst_names(conn: sqlite3.Connection) -> dict[str, tuple[tuple[str, str | None], ...]]:
    """Normalised FREIDA names (and cities) of the IM programs linked to each prefix."""
    out: dict[str, list[tuple[str, str | None]]] = {}
    sql = """SELECT DISTINCT substr(l.program_code, 1, 4), f.program_name, f.city
             FROM freida_link l JOIN freida f ON f.acgme_id = l.acgme_id
             WHERE l.confidence >= 0.8 ORDER BY 1, 2, 3"""
    for inst, name, city in conn.execute(sql):
        out.setdefault(inst, []).append((normal(name), city))
    return {k: tuple(v) for k, v in out.items()}


def _orders(conn: sqlite3.Connection) -> dict[str, tuple[str, str | None]]:
    """Alphabetical interval of each lost heading's true name (NRMP file order)."""
    rows = [
        {"program_code": code, "institution_as_listed": label, "state": st}
        for code, label, st in conn.execute(
            "SELECT program_code, institution_as_listed, listed_state FROM programs "
            "ORDER BY row_order"
        )
    ]
    _, interval = _label_owners(rows)
    return interval


def _freida(
    conn: sqlite3.Connection,
) -> tuple[list[FreidaName], dict[str, list[tuple[str, float]]]]:
    names = [
        FreidaName(a, n, c, s)
        for a, n, c, s in conn.execute(
            "SELECT acgme_id, program_name, city, state FROM freida ORDER BY acgme_id"
        )
    ]
    links: dict[str, list[tuple[str, float]]] = {}
    for a, code, conf in conn.execute(
        "SELECT acgme_id, program_code, confidence FROM freida_link ORDER BY 1, 2"
    ):
        links.setdefault(a, []).append((code, float(conf)))
    return names, links


def link_rows(conn: sqlite3.Connection, rows: Sequence[ExplorerRow]) -> Linkage:
    """Link validated Explorer rows to the programs of a (partly built) catalog."""
    inputs = [
        ExplorerInput(i, r.specialty, r.program_name, r.city, r.state) for i, r in enumerate(rows)
    ]
    freida, freida_links = _freida(conn)
    return link_explorer(
        inputs, _candidates(conn), freida, freida_links, _inst_names(conn), _orders(conn)
    )


def write_explorer(conn: sqlite3.Connection, rows: Sequence[ExplorerRow]) -> Linkage:
    """Insert the rows and their links (the catalog's programs must be written already)."""
    linkage = link_rows(conn, rows)
    insert_rows(
        conn,
        "explorer",
        (
            {"row_id": i, "specialty_code": SPECIALTY_CODES.get(r.specialty), **r.model_dump()}
            for i, r in enumerate(rows)
        ),
    )
    insert_rows(conn, "explorer_link", (lk.__dict__ for lk in linkage.links))
    insert_rows(conn, "explorer_unlinked", (u.__dict__ for u in linkage.unlinked))
    got = conn.execute("SELECT count(*) FROM explorer").fetchone()[0]
    if got != len(rows):
        raise CatalogError(f"catalog validation failed: explorer is {got}, expected {len(rows)}")
    return linkage


@dataclass(frozen=True)
class Coverage:
    """Linked rows of one Explorer specialty (all rows, and rows with a US-IMG rate)."""

    specialty: str
    rows: int
    linked: int
    img_rows: int
    img_linked: int
    codes: int  # NRMP codes the linked rows own

    @property
    def share(self) -> float:
        return self.linked / self.rows if self.rows else 0.0

    @property
    def img_share(self) -> float:
        return self.img_linked / self.img_rows if self.img_rows else 0.0


def coverage(conn: sqlite3.Connection) -> list[Coverage]:
    """Coverage per Explorer specialty, most rows first, then an "All specialties" line."""
    sql = """
      SELECT e.specialty, count(*),
             sum(EXISTS (SELECT 1 FROM explorer_link l WHERE l.row_id = e.row_id)),
             sum(e.ir_us_img IS NOT NULL),
             sum(e.ir_us_img IS NOT NULL
                 AND EXISTS (SELECT 1 FROM explorer_link l WHERE l.row_id = e.row_id)),
             (SELECT count(*) FROM explorer_link l JOIN explorer x ON x.row_id = l.row_id
              WHERE x.specialty = e.specialty)
      FROM explorer e GROUP BY e.specialty ORDER BY count(*) DESC, e.specialty"""
    out = [Coverage(*row) for row in conn.execute(sql)]
    total = Coverage(
        "All specialties",
        *(
            sum(getattr(c, f) for c in out)
            for f in ("rows", "linked", "img_rows", "img_linked", "codes")
        ),
    )
    return [*out, total]
