//! Opening the SQLCipher database with the raw key and the settings every
//! connection needs.
//!
//! - `PRAGMA key = "x'..'"`: the 256-bit key as is (no SQLCipher KDF), then
//!   the page format pinned, whatever a later SQLCipher defaults to:
//!   SQLCipher 4's (`cipher_compatibility = 4`: 4 KiB pages, AES-256-CBC
//!   with a random IV per page, WAL pages included) with HMAC-SHA256 as the
//!   per-page MAC instead of 4's HMAC-SHA512. Every page read from disk is
//!   checked and decrypted, and that is most of what encryption costs the
//!   screens; SHA-256 runs on the CPU's SHA instructions where SHA-512 has
//!   none, which made a first read of a page about a third cheaper in the
//!   vault benchmark. HMAC-SHA256 with a 256-bit key is as strong a MAC as
//!   a page needs.
//! - Vaults made before that change keep SQLCipher 4's HMAC-SHA512: when the
//!   key does not open a vault in the current format, the older one is
//!   tried before the key counts as wrong.
//! - The page cryptography (AES, HMAC, PBKDF2) is `veldwerk-cipher`'s,
//!   registered with SQLCipher before the first connection: same format,
//!   without the OpenSSL reference provider's per-page set-up, which cost
//!   more than the cryptography itself.
//! - The key is checked by reading `sqlite_master`: a wrong key fails there.
//! - `journal_mode = WAL`; `synchronous = FULL`: every commit is fsynced
//!   before it returns. NORMAL would survive a killed process too (the WAL
//!   is in the OS's cache) but can lose the last commits on power loss, and
//!   a field laptop whose battery dies is a power loss: a home visit that was
//!   saved must stay saved.
//! - `temp_store = MEMORY`: sorts and temporary tables never reach the disk
//!   (SQLCipher does not encrypt temporary files the way it does the
//!   database and its WAL).
//! - `foreign_keys = ON`, and a busy timeout for a second process (the CLI).
//! - `cache_size = -16000` (16 MB): SQLCipher decrypts a page each time it
//!   is read into the page cache, so a cache that holds the hot pages of a
//!   caseload (lists, indexes, search) saves that work on every screen. The
//!   pages are decrypted in this process's memory either way.
//! - A statement cache large enough for every statement the vault uses.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::VaultError;
use crate::secret::DatabaseKey;

/// Open (or with `create`, create) the database at `path` with `key`.
pub(crate) fn open(path: &Path, key: &DatabaseKey, create: bool) -> Result<Connection, VaultError> {
    match open_as(path, key, create, CIPHER_FORMAT) {
        Err(VaultError::KeyMismatch(e)) if !create => {
            open_as(path, key, false, LEGACY_CIPHER_FORMAT).map_err(|legacy| match legacy {
                VaultError::KeyMismatch(_) => VaultError::KeyMismatch(e),
                other => other,
            })
        }
        result => result,
    }
}

/// The page format of every vault made now (see the module documentation).
const CIPHER_FORMAT: &str = "PRAGMA cipher_compatibility = 4;
     PRAGMA cipher_hmac_algorithm = HMAC_SHA256;";

/// The page format of vaults made before HMAC-SHA256: SQLCipher 4's own.
const LEGACY_CIPHER_FORMAT: &str = "PRAGMA cipher_compatibility = 4;";

fn open_as(
    path: &Path,
    key: &DatabaseKey,
    create: bool,
    format: &str,
) -> Result<Connection, VaultError> {
    veldwerk_cipher::install()?;
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)?;
    // Refuse to run on a SQLite without encryption: there `PRAGMA key` is a
    // silent no-op and everything would be written in plain text.
    let cipher: Option<String> = conn
        .query_row("PRAGMA cipher_version", [], |r| r.get(0))
        .ok();
    if cipher.is_none_or(|v| v.is_empty()) {
        return Err(VaultError::EncryptionUnavailable);
    }
    conn.execute_batch(&key.pragma())?;
    conn.execute_batch(format)?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => VaultError::KeyMismatch(e),
        _ => VaultError::from(e),
    })?;
    settings(&conn)?;
    Ok(conn)
}

/// Open a database **without a key**, for the benchmark's baseline only
/// (see [`crate::bench`]): SQLCipher without `PRAGMA key` is plain SQLite,
/// the same library with the same settings, so the difference measured is
/// the encryption. Nothing else in the crate calls it.
pub(crate) fn open_plain_for_bench(path: &Path, create: bool) -> Result<Connection, VaultError> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)?;
    settings(&conn)?;
    Ok(conn)
}

/// The settings every connection gets (see the module documentation).
fn settings(conn: &Connection) -> Result<(), VaultError> {
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(VaultError::WalUnavailable);
    }
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -16000;
         PRAGMA foreign_keys = ON;",
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(())
}

/// Prepared statements kept per connection. The vault runs a few dozen
/// distinct statements (the write path builds one per table and column set,
/// the screens have their own, the pull path its own); rusqlite's default of
/// 16 made them evict each other, so a case detail after a search, or a
/// pull page mixing entities, parsed its SQL again each time.
const STATEMENT_CACHE: usize = 256;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_opens_only_with_its_own_key() -> Result<(), VaultError> {
        let dir = tempfile::tempdir().map_err(|source| VaultError::Io {
            file: "test dir",
            source,
        })?;
        let path = dir.path().join("t.db");
        let key = DatabaseKey::random()?;
        {
            let conn = open(&path, &key, true)?;
            conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")?;
            let settings: (String, i64, i64, i64) = conn.query_row(
                "SELECT (SELECT journal_mode FROM pragma_journal_mode),
                        (SELECT synchronous FROM pragma_synchronous),
                        (SELECT temp_store FROM pragma_temp_store),
                        (SELECT foreign_keys FROM pragma_foreign_keys)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?;
            assert_eq!(settings, ("wal".to_owned(), 2, 2, 1));
            let provider: String = conn.query_row("PRAGMA cipher_provider", [], |r| r.get(0))?;
            assert_eq!(provider, veldwerk_cipher::PROVIDER_NAME);
        }
        assert!(matches!(
            open(&path, &DatabaseKey::random()?, false),
            Err(VaultError::KeyMismatch(_))
        ));
        let conn = open(&path, &key, false)?;
        let x: i64 = conn.query_row("SELECT x FROM t", [], |r| r.get(0))?;
        assert_eq!(x, 1);
        Ok(())
    }

    #[test]
    fn new_databases_use_hmac_sha256_and_older_ones_still_open() -> Result<(), VaultError> {
        let dir = tempfile::tempdir().map_err(|source| VaultError::Io {
            file: "test dir",
            source,
        })?;
        let hmac = |conn: &Connection| -> Result<String, VaultError> {
            Ok(conn.query_row("PRAGMA cipher_hmac_algorithm", [], |r| r.get(0))?)
        };
        let key = DatabaseKey::random()?;
        let new = dir.path().join("new.db");
        assert_eq!(hmac(&open(&new, &key, true)?)?, "HMAC_SHA256");
        assert_eq!(hmac(&open(&new, &key, false)?)?, "HMAC_SHA256");

        // A vault in SQLCipher 4's own format, as this crate made them before.
        let legacy = dir.path().join("legacy.db");
        {
            let conn = open_as(&legacy, &key, true, LEGACY_CIPHER_FORMAT)?;
            conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (7);")?;
        }
        assert!(matches!(
            open_as(&legacy, &key, false, CIPHER_FORMAT),
            Err(VaultError::KeyMismatch(_))
        ));
        let conn = open(&legacy, &key, false)?;
        assert_eq!(hmac(&conn)?, "HMAC_SHA512");
        let x: i64 = conn.query_row("SELECT x FROM t", [], |r| r.get(0))?;
        assert_eq!(x, 7);
        drop(conn);
        // A wrong key is still a wrong key for either format.
        assert!(matches!(
            open(&legacy, &DatabaseKey::random()?, false),
            Err(VaultError::KeyMismatch(_))
        ));
        Ok(())
    }
}
