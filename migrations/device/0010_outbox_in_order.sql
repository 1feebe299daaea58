-- The outbox without a unique index on the clock stamp. Operations are
-- pushed oldest first; every operation gets a stamp later than all before
-- it in the transaction that appends it, so the order rows were appended
-- in (rowid) is the order of their stamps, and the index on `hlc` only
-- cost every change a page or two more to encrypt and write (more when it
-- split: an index leaf appended at the right is split in the middle).
-- The rows are copied in stamp order, so rowid order is stamp order from
-- the start. The newest row's stamp is also the device clock's latest
-- (see crates/vault/src/hlc.rs).
-- Never edit this file once applied: add a new migration.
CREATE TABLE outbox_in_order (
    op_id           TEXT PRIMARY KEY,            -- UUIDv7, made here, never changed
    hlc             TEXT NOT NULL,               -- hybrid logical clock stamp, sorts as text
    entity          TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    op              TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'append')),
    changes         TEXT NOT NULL CHECK (json_valid(changes)),
    created_at      TEXT NOT NULL,
    rejected_reason TEXT,                        -- RejectReason code; NULL: not (yet) answered
    rejected_at     TEXT
);
INSERT INTO outbox_in_order
        (op_id, hlc, entity, entity_id, op, changes, created_at, rejected_reason, rejected_at)
    SELECT op_id, hlc, entity, entity_id, op, changes, created_at, rejected_reason, rejected_at
    FROM outbox ORDER BY hlc;
DROP TABLE outbox;
ALTER TABLE outbox_in_order RENAME TO outbox;
CREATE INDEX outbox_entity_id ON outbox(entity_id);
