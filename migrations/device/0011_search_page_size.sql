-- The full-text indexes' leaf size to fit a vault page. FTS5 stores its
-- index in leaves of `pgsz` bytes, each a row of its `_data` table, and
-- defaults to 4,050 bytes: sized for a plain 4,096-byte SQLite page. A
-- vault page keeps 48 bytes for SQLCipher's IV and MAC, so a row holds at
-- most about 4,010 bytes there, and every full leaf spilled its last bytes
-- onto an overflow page of its own: two pages to read, check and decrypt
-- per leaf (and to encrypt when written) instead of one. 4,000 bytes fit.
-- The optimize rewrites the leaves there are now at the new size.
-- Never edit this file once applied: add a new migration.
INSERT INTO search (search, rank) VALUES ('pgsz', 4000);
INSERT INTO search (search) VALUES ('optimize');
INSERT INTO search_name (search_name, rank) VALUES ('pgsz', 4000);
INSERT INTO search_name (search_name) VALUES ('optimize');
