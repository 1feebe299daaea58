-- The central server's store: users, devices, the synced records with their
-- per-field versions, scope, the operation log (exactly-once), conflicts and
-- the audit trail. Never edit this file once applied: add a new migration.

CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    boa         INTEGER NOT NULL,
    gemeenten   TEXT NOT NULL,            -- JSON array of names
    created_at  TEXT NOT NULL
);

-- One-time enrollment codes, kept only as SHA-256 of the normalised code.
CREATE TABLE enrollment_codes (
    code_hash   BLOB PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    device_id   TEXT
);

CREATE TABLE devices (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    secret_hash  BLOB NOT NULL,           -- SHA-256 of the 256-bit secret
    enrolled_at  TEXT NOT NULL,
    last_seen_at TEXT,
    revoked_at   TEXT,
    op_count     INTEGER NOT NULL DEFAULT 0,  -- OpDigest of the ops this device pushed
    op_hash      BLOB NOT NULL
);
CREATE INDEX devices_user ON devices(user_id);

-- The server's own sequence: every change a device can pull gets the next
-- value, one per row, so paging by cursor never splits a value.
CREATE TABLE sequence (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO sequence (id, value) VALUES (1, 0);

-- Current state of every synced record. `fields` is a JSON object
-- name -> {"v": value, "ver": version, "hlc": ..., "dev": device id or null,
-- "op": op id or null, "user": user id or null}.
-- Scope: scope_kind is case | youth | shared | archive and scope_key the case
-- or youth id the record hangs off; case rows keep their youth in link_youth.
CREATE TABLE records (
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    fields       TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0,
    scope_kind   TEXT NOT NULL,
    scope_key    TEXT,
    link_youth   TEXT,
    created_by   TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    retired      INTEGER NOT NULL DEFAULT 0,  -- a closed case past retention
    PRIMARY KEY (entity, entity_id)
);
CREATE UNIQUE INDEX records_seq ON records(seq);
CREATE INDEX records_scope ON records(scope_kind, scope_key);
CREATE INDEX records_link_youth ON records(link_youth) WHERE link_youth IS NOT NULL;

-- Who sees which case now (assigned or shared, not retired).
CREATE TABLE case_access (
    case_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_access_user ON case_access(user_id, case_id);

-- A case left a user's scope at seq: devices of that user purge it.
CREATE TABLE scope_events (
    seq     INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL,
    case_id TEXT NOT NULL
);
CREATE INDEX scope_events_user ON scope_events(user_id, seq);

-- Every operation id the server has handled, once: the exactly-once log.
CREATE TABLE operations (
    op_id       TEXT PRIMARY KEY,
    device_id   TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    hlc         TEXT NOT NULL,
    status      TEXT NOT NULL,            -- applied | conflict | rejected
    reason      TEXT,
    seq         INTEGER,
    received_at TEXT NOT NULL
);

CREATE TABLE conflicts (
    id           TEXT PRIMARY KEY,
    seq          INTEGER NOT NULL,         -- recorded or last resolved
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    field        TEXT NOT NULL,
    kept_value   TEXT NOT NULL,
    other_value  TEXT NOT NULL,
    kept_by      TEXT NOT NULL,            -- JSON ChangeAuthor
    other_by     TEXT NOT NULL,
    at           TEXT NOT NULL,
    resolved_by  TEXT,
    resolved_at  TEXT
);
CREATE UNIQUE INDEX conflicts_seq ON conflicts(seq);
CREATE INDEX conflicts_record ON conflicts(entity, entity_id);

-- Who did what, with ids and counts only: never field values.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,               -- device | admin | system
    device_id TEXT,
    user_id   TEXT,
    action    TEXT NOT NULL,
    op_id     TEXT,
    entity    TEXT,
    entity_id TEXT,
    detail    TEXT
);

-- Branding (JSON) and the recovery public key.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
