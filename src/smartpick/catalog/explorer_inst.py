"""Each program's institution-level interview rates: its institution's *other* programs.

A program with no published Residency Explorer rate often belongs to an institution whose other
programs published theirs, and institutions that invite IMGs in one specialty tend to invite them
in others. For every program and applicant group this build step stores the mean published rate
of the group over the Residency Explorer rows linked to the same NRMP institution (first four
characters of the program code), leaving out the program's own row, so a program's own rate
never feeds its own estimate (``explorer_inst`` table; null where there are none).
"""

from __future__ import annotations

import sqlite3

__all__ = ["GROUP_COLUMNS", "INST_DDL", "write_institution_rates"]

GROUP_COLUMNS: tuple[str, ...] = ("ir_us_md", "ir_us_do", "ir_us_img", "ir_non_us_img")

INST_DDL = """
    CREATE TABLE explorer_inst (
      program_code TEXT PRIMARY KEY REFERENCES programs(program_code),
      inst_ir_us_md REAL CHECK (inst_ir_us_md BETWEEN 0 AND 1),
      inst_ir_us_do REAL CHECK (inst_ir_us_do BETWEEN 0 AND 1),
      inst_ir_us_img REAL CHECK (inst_ir_us_img BETWEEN 0 AND 1),
      inst_ir_non_us_img REAL CHECK (inst_ir_non_us_img BETWEEN 0 AND 1)
    )"""


def write_institution_rates(conn: sqlite3.Connection) -> int:
    """Fill ``explorer_inst`` from ``explorer`` and ``explorer_link``; returns rows written."""
    cols = ", ".join(f"e.{c}" for c in GROUP_COLUMNS)
    by_inst: dict[str, dict[int, tuple[float | None, ...]]] = {}
    for inst, row_id, *rates in conn.execute(
        f"SELECT DISTINCT substr(l.program_code, 1, 4), e.row_id, {cols} "
        "FROM explorer_link l JOIN explorer e ON e.row_id = l.row_id ORDER BY 1, 2"
    ):
        by_inst.setdefault(str(inst), {})[int(row_id)] = tuple(rates)
    own: dict[str, set[int]] = {}
    for code, row_id in conn.execute("SELECT program_code, row_id FROM explorer_link"):
        own.setdefault(str(code), set()).add(int(row_id))
    out = []
    for code, inst in conn.execute("SELECT program_code, inst_code FROM programs ORDER BY 1"):
        mine = own.get(str(code), set())
        rows = [r for rid, r in by_inst.get(str(inst), {}).items() if rid not in mine]
        means: list[float | None] = []
        for k in range(len(GROUP_COLUMNS)):
            vals = [float(v) for r in rows if (v := r[k]) is not None]
            means.append(sum(vals) / len(vals) if vals else None)
        if any(v is not None for v in means):
            out.append((code, *means))
    conn.executemany("INSERT INTO explorer_inst VALUES (?, ?, ?, ?, ?)", out)
    return len(out)
