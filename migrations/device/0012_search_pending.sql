-- New records of the notes index (`search`) wait here for their batch:
-- indexing them one commit at a time wrote a new FTS5 segment with its
-- bookkeeping every time, about ten pages for SQLCipher to encrypt and
-- write per home visit. A batch goes into `search` at once when it is
-- full or when the vault locks (crates/vault/src/search.rs). Only which
-- record: no text.
-- Never edit this file once applied: add a new migration.
CREATE TABLE search_pending (
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL
);
