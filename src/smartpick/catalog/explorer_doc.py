"""``docs/explorer.md``: how Residency Explorer rows are linked, coverage, every unlinked row.

The document is generated from a built catalog (no wall-clock times), so a test can check that
the committed file matches the build. Regenerate it with::

    python -m smartpick.catalog.explorer_doc docs/explorer.md
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

from .explorer import MIN_MARGIN
from .explorer_db import coverage

__all__ = ["explorer_markdown", "main"]

_METHOD = f"""\
# AAMC Residency Explorer interview rates: linking rows to NRMP programs

`residency_explorer_interview_rates_2024.csv` (AAMC Residency Explorer, 2024 Match, via
datadoc1/signal-analysis; provenance in `src/smartpick/data/SOURCES.md`) gives, per program of
22 specialties, the share of US MD, US DO, US IMG and non-US IMG applicants offered an
interview, and in-state / out-of-state and signal / no-signal rates. It carries no NRMP code
and no ACGME id, so the catalog build links each row to its NRMP program code(s)
(`src/smartpick/catalog/explorer.py`, `explorer_units.py`, `explorer_db.py`):

1. **Specialty.** The Explorer specialty name maps to one NRMP specialty code
   (`explorer_units.SPECIALTY_CODES`: Internal Medicine 140, Family Medicine 120, Pediatrics
   320, Psychiatry 400, Neurology 180, Anatomic and Clinical Pathology 300, IM Peds 700, Child
   Neurology 185, PM&R 340, ...). Candidates are the NRMP programs of that code in the row's
   state.
2. **Internal Medicine through FREIDA.** Explorer IM names are in FREIDA's (ACGME) style, so an
   IM row is first matched, one to one per state, to the FREIDA program whose name (fuzzy
   token ratio ≥ 0.9, or ≥ 0.7 with the same city) agrees best; the row then owns the NRMP codes
   the FREIDA crosswalk (`freida_link`, see `docs/crosswalk.md`) gives that ACGME id.
   Confidence = min(crosswalk confidence, 0.5 + 0.5 × name similarity).
3. **Units.** The other rows are matched to *units*: the codes of one NRMP institution prefix
   and specialty that form one program (categorical codes; a categorical code whose name names
   another site, "Family Medicine/Sterling RTT", is its own unit unless the suffix names a track
   such as "/Research"; preliminary, advanced, physician and primary-care codes join the unit
   whose site they name, else the main one). A row owns every code of its unit.
4. **Score** (each term monotone in its evidence): IDF-weighted name similarity of the row's
   name and city to the institution's verified name, its NRMP label and the FREIDA names of the
   institution's IM programs; the same city; the unit's site named in the row's name or city
   (or as its initials: "ACMC" = Advocate Christ Medical Center); for an NRMP heading that was
   lost in the source (an unverified institution name), whether the row's name sorts where the
   true name must; and the sponsor's other specialties: a confident link of the same sponsor
   name in another specialty points at its institution prefix, and the city its confident
   links agree on becomes the city of its main unit. Against a link: another city; a site unit
   whose site the row does not name; a hospital the row names after its last "/" that the unit
   does not ("Icahn .../Beth Israel" is not Mount Sinai Hospital; when the unit names another
   site as well, the pair is ruled out); "X State University" against "University of X". A
   few renames and NRMP labels the Explorer spells differently are applied
   (`explorer_units.ALIASES`, e.g. Ascension Michigan → Henry Ford, Centura Health →
   CommonSpirit Mountain Region, Mayo Clinic College of Medicine and Science → Mayo Clinic
   School of Graduate Medical Education). A multi-state sponsor's site listed under its own
   state (Health Education Services, TN: Family Medicine/Gadsden, AL) is a candidate when the
   row names both the sponsor and the site.
5. **Assignment.** One to one per (specialty, state) block with
   `scipy.optimize.linear_sum_assignment`, every row free to stay unlinked. Confidence =
   logistic(Δ), Δ = how much the block's best total score drops when the row may not take its
   unit; a row with Δ < {MIN_MARGIN} is left unlinked as ambiguous. The sponsor and city terms
   are computed from a first pass and the assignment re-run with them.

`program_view` carries the rates of each program's best link (`explorer_row`, `ir_*`,
`explorer_confidence`); program records carry them as `interview_rate_*` with
`interview_rates_source` "AAMC Residency Explorer, 2024 Match" and `interview_rates_year` 2024.
A hand-checked sample of links and known-wrong pairs is in `tests/catalog/explorer_sample.csv`.

**Limits.** A row is left unlinked rather than guessed when the two files cannot tell programs
apart. Family Medicine stays below the 95% reached elsewhere, for three reasons the table of
unlinked rows shows: sponsors with several sites in one state whose Explorer rows do not name
the NRMP site (two rows, two units, equal evidence: "ambiguous"); programs that have no code in
the NRMP 2026 table (Maine and Wyoming have none at all; new, closed and renamed programs); and
sponsors whose NRMP label shares no word with the Explorer name. Links below 0.7 confidence are
best guesses (often "elimination": the only candidate left in the block) and are flagged by
`explorer_link_confidence` in every program record.

"""


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "-"


def explorer_markdown(conn: sqlite3.Connection) -> str:
    """The whole document for a built catalog."""
    lines = [_METHOD, "## Coverage\n"]
    lines.append(
        "Rows linked to at least one NRMP code, of all rows and of the rows that carry a US-IMG "
        "rate; codes = NRMP codes the linked rows own.\n"
    )
    lines.append(
        "| specialty | rows | linked | share | rows with US-IMG rate | linked | share | codes |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for c in coverage(conn):
        lines.append(
            f"| {c.specialty} | {c.rows} | {c.linked} | {_pct(c.linked, c.rows)} | {c.img_rows} "
            f"| {c.img_linked} | {_pct(c.img_linked, c.img_rows)} | {c.codes} |"
        )
    hist = conn.execute(
        """SELECT sum(c < 0.7), sum(c >= 0.7 AND c < 0.9), sum(c >= 0.9 AND c < 0.99),
                  sum(c >= 0.99), count(*)
           FROM (SELECT row_id, max(confidence) AS c FROM explorer_link GROUP BY row_id)"""
    ).fetchone()
    lines.append(
        f"\nConfidence of the linked rows: {hist[0]} below 0.7, {hist[1]} 0.7-0.9, "
        f"{hist[2]} 0.9-0.99, {hist[3]} at 0.99 or above (of {hist[4]}).\n"
    )
    lines.append("## Unlinked rows\n")
    lines.append(
        "Every row left without an NRMP code, with the reason (the Explorer's name, city and "
        "state; `ir_us_img` = its US-IMG rate, empty when not reported).\n"
    )
    rows = conn.execute(
        """SELECT e.specialty, e.row_id, e.program_name, e.city, e.state, e.ir_us_img, u.reason
           FROM explorer e JOIN explorer_unlinked u ON u.row_id = e.row_id
           ORDER BY e.specialty, e.state, e.program_name, e.row_id"""
    ).fetchall()
    current = None
    for spec, row_id, name, city, state, img, reason in rows:
        if spec != current:
            lines.append(f"\n### {spec}\n")
            lines.append("| row | program | city | state | ir_us_img | reason |")
            lines.append("|---:|---|---|---|---:|---|")
            current = spec
        cell = "" if img is None else f"{img:g}"
        text = reason.replace("|", "/")
        lines.append(f"| {row_id} | {name} | {city or ''} | {state} | {cell} | {text} |")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Build the shipped catalog in a temporary folder and write the document."""
    from .build import build_catalog

    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0] if args else "docs/explorer.md")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalog.sqlite"
        build_catalog(path)
        conn = sqlite3.connect(path)
        try:
            text = explorer_markdown(conn)
        finally:
            conn.close()
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
