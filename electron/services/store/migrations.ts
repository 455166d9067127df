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
  /* 2: private keys sealed under their passphrase (services/keys), the hash-chained audit log (services/audit) */ `
  CREATE TABLE keys (
    key_id     TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    public_key TEXT NOT NULL,
    origin     TEXT NOT NULL CHECK (origin IN ('generated', 'imported')),
    created_at TEXT NOT NULL,
    kdf        TEXT NOT NULL,
    salt       BLOB NOT NULL,
    nonce      BLOB NOT NULL,
    ciphertext BLOB NOT NULL
  ) STRICT;
  CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    actor           TEXT,
    action          TEXT NOT NULL,
    manifest_digest TEXT,
    detail          TEXT NOT NULL,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
  ) STRICT;
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TABLE audit_head (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    entries INTEGER NOT NULL,
    hash    TEXT
  ) STRICT;
  INSERT INTO audit_head (id, entries, hash) VALUES (1, 0, NULL);
  `,
  /* 3: approval envelopes kept in the profile, by the manifest digest they approve (services/approvals) */ `
  CREATE TABLE profile_approvals (
    id              INTEGER PRIMARY KEY,
    manifest_digest TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    envelope        BLOB NOT NULL,
    envelope_sha256 TEXT NOT NULL,
    reviewer        TEXT NOT NULL,
    origin          TEXT NOT NULL CHECK (origin IN ('imported', 'made')),
    stored_at       TEXT NOT NULL,
    UNIQUE (manifest_digest, envelope_sha256),
    UNIQUE (manifest_digest, file_name)
  ) STRICT;
  `,
  /* 4: key seals bound to their metadata, with a passphrase check (services/keys/seed-encryption.ts); rows written before stay version 1 until their next unlock */ `
  ALTER TABLE keys ADD COLUMN seal_version INTEGER NOT NULL DEFAULT 1 CHECK (seal_version IN (1, 2));
  ALTER TABLE keys ADD COLUMN passphrase_check BLOB;
  `,
  /* 5: files being written under an audited action, recorded before the file is written (services/audit/audited-file-writes) */ `
  CREATE TABLE pending_file_actions (
    id              INTEGER PRIMARY KEY,
    begun_at        TEXT NOT NULL,
    actor           TEXT,
    action          TEXT NOT NULL,
    manifest_digest TEXT,
    detail          TEXT NOT NULL,
    directory       TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    file_sha256     TEXT NOT NULL,
    profile_copy    TEXT
  ) STRICT;
  `,
];
