"""The catalog's SQLite schema, in code.

``SCHEMA_VERSION`` changes whenever a table changes; :class:`~smartpick.catalog.store.Catalog`
rebuilds a catalog whose stored version, source hashes or builder fingerprint are stale.
The catalog file holds no user data. ``user_facts`` and ``program_view`` are TEMP objects that
each read-only connection creates: the user's facts (kept in the user store, written by
``smartpick data import``) are loaded into ``temp.user_facts`` and the view applies them (user
values override shipped ones), whichever backend the user store runs on.
"""

from __future__ import annotations

from .explorer_inst import INST_DDL

__all__ = ["DDL", "OVERLAY_FIELDS", "SCHEMA_VERSION", "USER_FACTS_DDL", "VIEW_DDL"]

SCHEMA_VERSION = 3

#: Fields a user may overlay (``user_facts.field``).
OVERLAY_FIELDS: tuple[str, ...] = (
    "pct_img",
    "visa_j1",
    "visa_h1b",
    "setting",
    "city",
    "step2_min",
    "yog_limit_years",
    "notes",
)

USER_FACTS_DDL = """
CREATE TEMP TABLE IF NOT EXISTS user_facts (
  program_code TEXT NOT NULL,   -- resolved NRMP code (acgme_id rows expand to linked codes)
  field TEXT NOT NULL,          -- pct_img|visa_j1|visa_h1b|setting|city|step2_min|yog_limit_years|notes
  value TEXT,                   -- normalised: pct_img as a 0-1 fraction; flags '1'/'0'; numbers as text
  source TEXT NOT NULL,         -- e.g. 'my_programs.csv (your data, imported 2026-11-25)'
  PRIMARY KEY (program_code, field)
);
"""  # noqa: E501

DDL: tuple[str, ...] = (
    """
    CREATE TABLE meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    )""",
    """
    CREATE TABLE sources (
      file TEXT PRIMARY KEY,
      publisher TEXT NOT NULL,
      year TEXT NOT NULL,
      rows INTEGER NOT NULL CHECK (rows >= 0),
      sha256 TEXT NOT NULL
    )""",
    """
    CREATE TABLE institutions (
      inst_code TEXT PRIMARY KEY CHECK (length(inst_code) = 4),
      name TEXT NOT NULL,
      name_verified INTEGER NOT NULL CHECK (name_verified IN (0, 1)),
      name_source TEXT NOT NULL,
      label_as_listed TEXT NOT NULL,
      city TEXT,
      state TEXT,
      im_img_share REAL CHECK (im_img_share BETWEEN 0 AND 1),
      im_setting TEXT
    )""",
    """
    CREATE TABLE specialties (
      code TEXT PRIMARY KEY CHECK (length(code) = 3),
      name TEXT NOT NULL,
      combined INTEGER NOT NULL CHECK (combined IN (0, 1)),
      programs INTEGER NOT NULL,
      positions_2026 INTEGER NOT NULL,
      filled_2026 INTEGER NOT NULL,
      co_name TEXT,
      co_positions INTEGER,
      co_applicants_preferring INTEGER,
      co_non_us_img_matched INTEGER,
      co_non_us_img_not_matched INTEGER,
      us_md_step2_matched_n INTEGER,
      us_md_step2_matched_q1 REAL,
      us_md_step2_matched_median REAL,
      us_md_step2_matched_q3 REAL,
      us_md_step2_unmatched_n INTEGER,
      us_md_step2_unmatched_median REAL
    )""",
    """
    CREATE TABLE specialty_tracks_2025 (
      specialty_code TEXT REFERENCES specialties(code),
      track TEXT,
      row_name TEXT PRIMARY KEY,
      positions_offered INTEGER NOT NULL,
      positions_unfilled INTEGER NOT NULL,
      usmd_senior_ranked INTEGER, usmd_senior_matched INTEGER,
      usdo_senior_ranked INTEGER, usdo_senior_matched INTEGER,
      us_img_ranked INTEGER, us_img_matched INTEGER,
      non_us_img_ranked INTEGER, non_us_img_matched INTEGER
    )""",
    """
    CREATE TABLE specialty_outcomes_2026 (
      specialty_code TEXT REFERENCES specialties(code),
      co_name TEXT NOT NULL,
      measure TEXT NOT NULL,
      cohort TEXT NOT NULL,
      n INTEGER, min REAL, q1 REAL, median REAL, q3 REAL, max REAL, mean REAL, sd REAL,
      PRIMARY KEY (co_name, measure, cohort)
    )""",
    """
    CREATE TABLE freida (
      acgme_id TEXT PRIMARY KEY CHECK (length(acgme_id) = 10),
      program_name TEXT NOT NULL,
      city TEXT,
      city_as_listed TEXT,
      state TEXT,
      state_as_listed TEXT,
      first_year_positions INTEGER,
      interviews_last_year INTEGER,
      pct_do REAL CHECK (pct_do BETWEEN 0 AND 100),
      pct_img REAL CHECK (pct_img BETWEEN 0 AND 100),
      pct_usmd REAL CHECK (pct_usmd BETWEEN 0 AND 100),
      setting TEXT,
      visa_j1 INTEGER, visa_h1b INTEGER, visa_f1 INTEGER,
      us_gov INTEGER, accepting_2026_27 INTEGER, eras INTEGER,
      yog_limit_years INTEGER,
      data_as_of TEXT NOT NULL
    )""",
    """
    CREATE TABLE programs (
      program_code TEXT PRIMARY KEY CHECK (length(program_code) = 9),
      inst_code TEXT NOT NULL REFERENCES institutions(inst_code),
      specialty_code TEXT NOT NULL REFERENCES specialties(code),
      track TEXT NOT NULL CHECK (track IN ('C', 'P', 'A', 'R', 'M')),
      state TEXT NOT NULL,
      listed_state TEXT NOT NULL,
      region TEXT,
      division TEXT,
      institution_as_listed TEXT NOT NULL,
      name TEXT NOT NULL,
      name_as_listed TEXT NOT NULL,
      positions INTEGER NOT NULL CHECK (positions >= 0),
      filled INTEGER NOT NULL CHECK (filled >= 0),
      fill_rate REAL,
      acgme_id TEXT REFERENCES freida(acgme_id),
      link_confidence REAL,
      row_order INTEGER NOT NULL
    )""",
    """
    CREATE TABLE freida_link (
      acgme_id TEXT NOT NULL REFERENCES freida(acgme_id),
      program_code TEXT NOT NULL REFERENCES programs(program_code),
      confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
      method TEXT NOT NULL,
      PRIMARY KEY (acgme_id, program_code)
    )""",
    """
    CREATE TABLE fixes (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('program', 'institution', 'freida')),
      key TEXT NOT NULL,          -- program_code, inst_code or acgme_id
      field TEXT NOT NULL,
      old TEXT,
      new TEXT,
      rule TEXT NOT NULL
    )""",
    """
    CREATE TABLE explorer (
      row_id INTEGER PRIMARY KEY,  -- 0-based order in residency_explorer_interview_rates_2024.csv
      specialty TEXT NOT NULL,     -- as the source names it
      specialty_code TEXT REFERENCES specialties(code),
      program_name TEXT NOT NULL,
      city TEXT,
      state TEXT NOT NULL,
      division TEXT,
      ir_signal REAL CHECK (ir_signal BETWEEN 0 AND 1),
      ir_gold_signal REAL CHECK (ir_gold_signal BETWEEN 0 AND 1),
      ir_silver_signal REAL CHECK (ir_silver_signal BETWEEN 0 AND 1),
      ir_no_signal REAL CHECK (ir_no_signal BETWEEN 0 AND 1),
      ir_in_state_school REAL CHECK (ir_in_state_school BETWEEN 0 AND 1),
      ir_out_of_state_school REAL CHECK (ir_out_of_state_school BETWEEN 0 AND 1),
      ir_us_md REAL CHECK (ir_us_md BETWEEN 0 AND 1),
      ir_us_do REAL CHECK (ir_us_do BETWEEN 0 AND 1),
      ir_us_img REAL CHECK (ir_us_img BETWEEN 0 AND 1),
      ir_non_us_img REAL CHECK (ir_non_us_img BETWEEN 0 AND 1)
    )""",
    """
    CREATE TABLE explorer_link (
      row_id INTEGER NOT NULL REFERENCES explorer(row_id),
      program_code TEXT NOT NULL REFERENCES programs(program_code),
      confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
      method TEXT NOT NULL,
      PRIMARY KEY (row_id, program_code)
    )""",
    """
    CREATE TABLE explorer_unlinked (
      row_id INTEGER PRIMARY KEY REFERENCES explorer(row_id),
      reason TEXT NOT NULL
    )""",
    INST_DDL,
    # one Explorer row per code: the program's link is its best (and only) link
    "CREATE UNIQUE INDEX explorer_link_program ON explorer_link (program_code)",
    "CREATE INDEX programs_specialty ON programs (specialty_code, track)",
    "CREATE INDEX programs_state ON programs (state)",
    "CREATE INDEX programs_inst ON programs (inst_code)",
    "CREATE INDEX freida_link_program ON freida_link (program_code)",
    "CREATE INDEX fixes_key ON fixes (key)",
)

#: One row per program with institution, FREIDA and user facts applied (user values win);
#: created per connection, after ``USER_FACTS_DDL``.
VIEW_DDL = """
CREATE TEMP VIEW IF NOT EXISTS program_view AS
SELECT
  p.program_code, p.inst_code, p.specialty_code, p.track, p.state, p.listed_state,
  p.region, p.division, p.name, p.name_as_listed, p.institution_as_listed,
  p.positions, p.filled, p.fill_rate, p.acgme_id, p.link_confidence, p.row_order,
  i.name AS institution, i.name_verified AS institution_verified,
  i.im_img_share AS inst_im_img_share, i.im_setting AS inst_setting,
  COALESCE(u_city.value, f.city, i.city) AS city,
  COALESCE(u_setting.value, f.setting) AS setting,
  COALESCE(CAST(u_pct.value AS REAL), f.pct_img / 100.0) AS img_share,
  CASE WHEN u_pct.value IS NOT NULL THEN 'user'
       WHEN f.pct_img IS NOT NULL THEN 'published' END AS img_share_source,
  f.pct_do / 100.0 AS pct_do,
  f.pct_usmd / 100.0 AS pct_usmd,
  f.first_year_positions, f.interviews_last_year,
  COALESCE(CAST(u_j1.value AS INTEGER), f.visa_j1) AS visa_j1,
  COALESCE(CAST(u_h1b.value AS INTEGER), f.visa_h1b) AS visa_h1b,
  f.visa_f1, f.us_gov, f.accepting_2026_27 AS accepting, f.eras, f.data_as_of,
  CAST(u_step2.value AS REAL) AS step2_min,
  COALESCE(CAST(u_yog.value AS REAL), f.yog_limit_years) AS yog_limit_years,
  u_notes.value AS notes,
  el.row_id AS explorer_row, el.confidence AS explorer_confidence,
  xi.inst_ir_us_md, xi.inst_ir_us_do, xi.inst_ir_us_img, xi.inst_ir_non_us_img,
  e.program_name AS explorer_program_name, e.city AS explorer_city, e.state AS explorer_state,
  e.ir_us_md, e.ir_us_do, e.ir_us_img, e.ir_non_us_img, e.ir_signal, e.ir_gold_signal,
  e.ir_silver_signal, e.ir_no_signal, e.ir_in_state_school, e.ir_out_of_state_school,
  (SELECT group_concat(d.source, char(31)) FROM
    (SELECT DISTINCT u.source FROM user_facts u WHERE u.program_code = p.program_code) d
  ) AS user_sources
FROM programs p
JOIN institutions i ON i.inst_code = p.inst_code
LEFT JOIN freida f ON f.acgme_id = p.acgme_id
LEFT JOIN user_facts u_pct ON u_pct.program_code = p.program_code AND u_pct.field = 'pct_img'
LEFT JOIN user_facts u_j1 ON u_j1.program_code = p.program_code AND u_j1.field = 'visa_j1'
LEFT JOIN user_facts u_h1b ON u_h1b.program_code = p.program_code AND u_h1b.field = 'visa_h1b'
LEFT JOIN user_facts u_setting
  ON u_setting.program_code = p.program_code AND u_setting.field = 'setting'
LEFT JOIN user_facts u_city ON u_city.program_code = p.program_code AND u_city.field = 'city'
LEFT JOIN user_facts u_step2
  ON u_step2.program_code = p.program_code AND u_step2.field = 'step2_min'
LEFT JOIN user_facts u_yog
  ON u_yog.program_code = p.program_code AND u_yog.field = 'yog_limit_years'
LEFT JOIN user_facts u_notes ON u_notes.program_code = p.program_code AND u_notes.field = 'notes'
LEFT JOIN explorer_link el ON el.program_code = p.program_code
LEFT JOIN explorer_inst xi ON xi.program_code = p.program_code
LEFT JOIN explorer e ON e.row_id = el.row_id
"""
