-- search_doc's unique key by record id first: (entity_id, entity) instead
-- of (entity, entity_id). Ids are UUIDv7, so the records one change indexes
-- (a home visit's contact moment and its follow-up task) sit side by side
-- in one leaf of the key's index, where keyed by entity first they went to
-- one leaf per entity: a page fewer for SQLCipher to encrypt per such
-- commit. Lookups give both columns, so they use the key either way. Rowids
-- are kept: they are the full-text indexes' document ids.
-- Never edit this file once applied: add a new migration.
CREATE TABLE search_doc_by_id (
    rowid     INTEGER PRIMARY KEY,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    title     TEXT NOT NULL,
    UNIQUE (entity_id, entity)
);
INSERT INTO search_doc_by_id (rowid, entity, entity_id, title)
    SELECT rowid, entity, entity_id, title FROM search_doc ORDER BY rowid;
DROP TABLE search_doc;
ALTER TABLE search_doc_by_id RENAME TO search_doc;
