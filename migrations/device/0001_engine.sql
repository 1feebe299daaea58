-- The vault engine: device state, the outbox of sync operations, the audit
-- log, the server's field versions and the search index. Entity tables come
-- in later migrations. Never edit this file once applied: add a new migration.

-- Device state: device_id, user_id, hlc (the last clock stamp handed out),
-- sync_cursor. Keys are the ones in the vault's MetaKey.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per local change not yet pushed, written in the same transaction
-- as the change (ARCHITECTURE invariant 2). Pushed oldest first, by hlc.
-- changes: JSON object field -> {"value": ..., "base_version": n}; empty for a delete.
CREATE TABLE outbox (
    op_id      TEXT PRIMARY KEY,                 -- UUIDv7, made here, never changed
    hlc        TEXT NOT NULL UNIQUE,             -- hybrid logical clock stamp, sorts as text
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    op         TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'append')),
    changes    TEXT NOT NULL CHECK (json_valid(changes)),
    created_at TEXT NOT NULL
);

-- Who did what to which record, and when. Never field values: there is no
-- column to put one in. action: create, update, delete, view (more may come).
CREATE TABLE audit_log (
    id        TEXT PRIMARY KEY,                  -- UUIDv7
    at        TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);

-- The server's version of each field as last pulled: the base_version of the
-- next local change to it. Absent means never pulled (base version 0).
CREATE TABLE field_versions (
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    version   INTEGER NOT NULL,
    PRIMARY KEY (entity, entity_id, field)
) WITHOUT ROWID;

-- Search. `search` is a contentless FTS5 index (the text lives only in the
-- entity tables); `search_doc` maps its rowid to the record and keeps the
-- title shown in results. Diacritics are folded (Doğan = dogan, Zoë = zoe);
-- the 2- and 3-character prefix indexes make typing-as-you-search fast.
-- name: a person's full name or a record's title; address: street, number,
-- postcode, town; school: a school's name; notes: free text.
CREATE TABLE search_doc (
    rowid     INTEGER PRIMARY KEY,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    title     TEXT NOT NULL,
    UNIQUE (entity, entity_id)
);
CREATE VIRTUAL TABLE search USING fts5(
    name, address, school, notes,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
