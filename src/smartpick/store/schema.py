"""The user store's schema as numbered migrations, shared by both backends (portable SQL).

``schema_migrations`` records each applied version; a store opened by an older SmartPick than
the one that last migrated it is refused (never downgraded). Add a migration by appending to
:data:`MIGRATIONS`; never edit one that has shipped.
"""

from __future__ import annotations

__all__ = ["LATEST", "MIGRATIONS", "VERSION_TABLE"]

VERSION_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  applied_at TEXT NOT NULL
)"""

#: version → statements. TEXT columns (and one INTEGER order), so both backends read alike.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE meta (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        )""",
        """CREATE TABLE saved_plans (
          id TEXT PRIMARY KEY,
          created TEXT NOT NULL,
          payload TEXT NOT NULL,
          delete_token_hash TEXT NOT NULL
        )""",
        """CREATE TABLE user_facts (
          program_code TEXT NOT NULL,
          field TEXT NOT NULL,
          value TEXT,
          source TEXT NOT NULL,
          PRIMARY KEY (program_code, field)
        )""",
        "INSERT INTO meta (key, value) VALUES ('facts_version', '0')",
    ),
    # the application tracker: what happened at each program of a saved plan, appended (a
    # status change is a new row; the latest per program counts), deleted with its plan
    2: (
        """CREATE TABLE plan_events (
          id TEXT PRIMARY KEY,
          plan_id TEXT NOT NULL REFERENCES saved_plans (id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          program_code TEXT NOT NULL,
          status TEXT NOT NULL,
          event_date TEXT NOT NULL,
          note TEXT,
          recorded_at TEXT NOT NULL,
          UNIQUE (plan_id, position)
        )""",
        "CREATE INDEX plan_events_plan ON plan_events (plan_id, position)",
    ),
}

LATEST = max(MIGRATIONS)
