-- What sync needs besides the outbox: push results and conflicts.
-- Never edit this file once applied: add a new migration.

-- An operation the server rejected stays in the outbox, marked, so the user
-- sees it; it is no longer pushed. NULL: not (yet) answered.
ALTER TABLE outbox ADD COLUMN rejected_reason TEXT;  -- RejectReason code
ALTER TABLE outbox ADD COLUMN rejected_at TEXT;

-- Conflicts pulled from the server (protocol Conflict): the value the server
-- kept and the other one, both kept until a person resolves it. Values are
-- JSON text; who made each side is the protocol's ChangeAuthor as JSON.
CREATE TABLE conflict (
    id          TEXT PRIMARY KEY,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    field       TEXT NOT NULL,
    kept_value  TEXT NOT NULL CHECK (json_valid(kept_value)),
    other_value TEXT NOT NULL CHECK (json_valid(other_value)),
    kept_by     TEXT NOT NULL CHECK (json_valid(kept_by)),
    other_by    TEXT NOT NULL CHECK (json_valid(other_by)),
    at          TEXT NOT NULL,
    resolved    TEXT CHECK (resolved IS NULL OR json_valid(resolved))
);
CREATE INDEX conflict_open ON conflict(entity, entity_id) WHERE resolved IS NULL;

-- Finding a record's operations: a pull keeps fields with unpushed changes,
-- a purge keeps records with unpushed changes.
CREATE INDEX outbox_entity_id ON outbox(entity_id);
