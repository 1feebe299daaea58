-- The audit log as a single B-tree. Every audited action, and opening a case
-- detail is one, commits a new entry; with a TEXT primary key and an index on
-- `at` each entry touched three trees, so three pages to encrypt and write.
-- Entries are only ever appended and read back in the order they were
-- written (rowid), so the rowid table alone is enough. The id stays a
-- UUIDv7 made by the vault; nothing looks entries up by it.
-- Never edit this file once applied: add a new migration.
CREATE TABLE audit_log_single (
    id        TEXT NOT NULL,
    at        TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL
);
INSERT INTO audit_log_single (rowid, id, at, user_id, action, entity, entity_id)
    SELECT rowid, id, at, user_id, action, entity, entity_id FROM audit_log ORDER BY rowid;
DROP TABLE audit_log;
ALTER TABLE audit_log_single RENAME TO audit_log;
