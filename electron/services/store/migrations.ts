/**
 * Numbered schema migrations: migration N brings the schema from version N-1 to N and is
 * recorded in SQLite's `user_version`. Append only; never edit a migration that has shipped.
 */
export const migrations: readonly string[] = [
  /* 1: trust, recent bundles, settings, hash cache */ `
  CREATE TABLE pinned_keys (
    key_id     TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    public_key TEXT NOT NULL,
    pinned_at  TEXT NOT NULL
  ) STRICT;
  CREATE TABLE board_policy (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    content     BLOB NOT NULL,
    digest      TEXT NOT NULL,
    imported_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE recent_bundles (
    path      TEXT PRIMARY KEY,
    opened_at TEXT NOT NULL,
    verdict   TEXT,
    release   TEXT
  ) STRICT;
  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
  CREATE TABLE hash_cache (
    path      TEXT PRIMARY KEY,
    size      INTEGER NOT NULL,
    mtime_ns  TEXT NOT NULL,
    ino       TEXT NOT NULL,
    dev       TEXT NOT NULL,
    sha256    TEXT NOT NULL
  ) STRICT;
  `,
];
