"""The catalog's tables as rows by column name: the "write" stage of a build.

Each function turns what the read, fix and link stages produced into dictionaries keyed by the
table's column names (``schema.py``); :func:`insert_rows` inserts them by name, so a column
added to a table cannot silently shift the others.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from smartpick import geo
from smartpick.specialties import SPECIALTIES

from .load import FreidaRow, NrmpRow, OutcomeRow, Step2Row, SummaryRow, TrackRow

__all__ = [
    "freida_rows",
    "insert_rows",
    "institution_rows",
    "outcome_rows",
    "program_rows",
    "specialty_rows",
    "track_rows",
]


def insert_rows(conn: sqlite3.Connection, table: str, rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert dictionaries by column name (all rows share the first row's keys)."""
    items = list(rows)
    if not items:
        return 0
    cols = list(items[0])
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    conn.executemany(sql, [tuple(r[c] for c in cols) for r in items])
    return len(items)


def institution_rows(institutions: Sequence[Any]) -> Iterator[dict[str, Any]]:
    """``institutions``: one row per 4-digit NRMP institution code."""
    for i in institutions:
        yield {
            "inst_code": i.inst_code,
            "name": i.name,
            "name_verified": int(i.name_verified),
            "name_source": i.name_source,
            "label_as_listed": i.label_as_listed,
            "city": i.city,
            "state": i.state,
            "im_img_share": i.im_img_share,
            "im_setting": i.im_setting,
        }


def freida_rows(fixed: Sequence[FreidaRow], raw: Sequence[FreidaRow]) -> Iterator[dict[str, Any]]:
    """``freida``: the fixed FREIDA rows, with the city and state as the source listed them."""
    for f, r in zip(fixed, raw, strict=True):
        yield {
            "acgme_id": f.acgme_id,
            "program_name": f.program_name,
            "city": f.city,
            "city_as_listed": r.city,
            "state": f.state,
            "state_as_listed": r.state,
            "first_year_positions": f.first_year_positions,
            "interviews_last_year": f.interviews_last_year,
            "pct_do": f.pct_do,
            "pct_img": f.pct_img,
            "pct_usmd": f.pct_usmd,
            "setting": f.setting,
            "visa_j1": f.visa_j1,
            "visa_h1b": f.visa_h1b,
            "visa_f1": f.visa_f1,
            "us_gov": f.us_gov,
            "accepting_2026_27": f.accepting_2026_27,
            "eras": f.eras,
            "yog_limit_years": f.yog_limit_years,
            "data_as_of": f.data_as_of,
        }


def program_rows(
    nrmp: Sequence[NrmpRow],
    states: Mapping[str, str],
    listed: Mapping[str, str],
    names: Mapping[str, str],
    links: Sequence[Any],
) -> Iterator[dict[str, Any]]:
    """``programs``: every NRMP code with its fixed state and name and its best FREIDA link."""
    best: dict[str, Any] = {}
    for link in sorted(links, key=lambda lk: (-lk.confidence, lk.acgme_id)):
        best.setdefault(link.program_code, link)
    for order, r in enumerate(nrmp):
        code = r.program_code
        link = best.get(code)
        yield {
            "program_code": code,
            "inst_code": code[:4],
            "specialty_code": code[4:7],
            "track": r.track,
            "state": states[code],
            "listed_state": listed[code],
            "region": geo.region_of(states[code]),
            "division": geo.division_of(states[code]),
            "institution_as_listed": r.institution_as_listed,
            "name": names[code],
            "name_as_listed": r.program_name,
            "positions": r.quota_2026,
            "filled": r.filled_2026,
            "fill_rate": r.filled_2026 / r.quota_2026 if r.quota_2026 else None,
            "acgme_id": link.acgme_id if link else None,
            "link_confidence": link.confidence if link else None,
            "row_order": order,
        }


def specialty_rows(
    nrmp: Sequence[NrmpRow], summary: Sequence[SummaryRow], step2: Sequence[Step2Row]
) -> Iterator[dict[str, Any]]:
    """``specialties``: every specialty with its 2026 totals, Charting Outcomes and Step 2."""
    co = {r.specialty: r for r in summary}
    s2 = {r.specialty: r for r in step2}
    for s in SPECIALTIES:
        mine = [r for r in nrmp if r.program_code[4:7] == s.code]
        c = co.get(s.charting_outcomes or "")
        m = s2.get(s.charting_outcomes or "")
        yield {
            "code": s.code,
            "name": s.name,
            "combined": int(s.combined),
            "programs": len(mine),
            "positions_2026": sum(r.quota_2026 for r in mine),
            "filled_2026": sum(r.filled_2026 for r in mine),
            "co_name": s.charting_outcomes if c else None,
            "co_positions": c.positions if c else None,
            "co_applicants_preferring": c.applicants_preferring_specialty if c else None,
            "co_non_us_img_matched": c.non_us_img_matched if c else None,
            "co_non_us_img_not_matched": c.non_us_img_not_matched if c else None,
            "us_md_step2_matched_n": m.matched_n if m else None,
            "us_md_step2_matched_q1": m.matched_q1 if m else None,
            "us_md_step2_matched_median": m.matched_median if m else None,
            "us_md_step2_matched_q3": m.matched_q3 if m else None,
            "us_md_step2_unmatched_n": m.unmatched_n if m else None,
            "us_md_step2_unmatched_median": m.unmatched_median if m else None,
        }


_TRACK_COUNTS = (
    "usmd_senior_ranked",
    "usmd_senior_matched",
    "usdo_senior_ranked",
    "usdo_senior_matched",
    "us_img_ranked",
    "us_img_matched",
    "non_us_img_ranked",
    "non_us_img_matched",
)


def track_rows(tracks: Sequence[TrackRow]) -> Iterator[dict[str, Any]]:
    """``specialty_tracks_2025``: the 2025 per-track table, tied to its specialty."""
    track_of = {
        name: (s.code, letter) for s in SPECIALTIES for letter, name in s.tracks_2025.items()
    }
    for t in tracks:
        code, letter = track_of.get(t.track, (None, None))
        yield {
            "specialty_code": code,
            "track": letter,
            "row_name": t.track,
            "positions_offered": t.positions_offered,
            "positions_unfilled": t.positions_unfilled,
            **{k: getattr(t, k) for k in _TRACK_COUNTS},
        }


_MEASURES = ("n", "min", "q1", "median", "q3", "max", "mean", "sd")


def outcome_rows(outcomes: Sequence[OutcomeRow]) -> Iterator[dict[str, Any]]:
    """``specialty_outcomes_2026``: the Charting Outcomes distributions."""
    code_of = {s.charting_outcomes: s.code for s in SPECIALTIES if s.charting_outcomes}
    for o in outcomes:
        yield {
            "specialty_code": code_of.get(o.specialty),
            "co_name": o.specialty,
            "measure": o.measure,
            "cohort": o.cohort,
            **{k: getattr(o, k) for k in _MEASURES},
        }
