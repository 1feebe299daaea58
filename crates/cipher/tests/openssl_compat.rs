//! The provider against SQLCipher's own OpenSSL provider, in one process:
//! databases written by either open with the other, in both page formats
//! the vault uses, WAL included; a wrong key and a changed byte are caught.
//!
//! One test function on purpose: which provider is the default is
//! process-wide state, switched back and forth here.
#![allow(unsafe_code)]

use std::ffi::{c_int, c_void};
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

unsafe extern "C" {
    fn sqlcipher_get_provider() -> *mut c_void;
    fn sqlcipher_register_provider(p: *mut c_void) -> c_int;
}

/// Make `provider` the default for connections keyed from now on.
fn use_provider(provider: *mut c_void) {
    // SAFETY: `provider` came from `sqlcipher_get_provider`, so it is a
    // registered provider that lives until the process exits.
    assert_eq!(unsafe { sqlcipher_register_provider(provider) }, 0);
}

/// The vault's page formats (crates/vault/src/db.rs): today's, and the
/// one of vaults made before HMAC-SHA256.
const FORMATS: [&str; 2] = [
    "PRAGMA cipher_compatibility = 4; PRAGMA cipher_hmac_algorithm = HMAC_SHA256;",
    "PRAGMA cipher_compatibility = 4;",
];

const KEY: &str =
    "PRAGMA key = \"x'4f0c3a9e1b7d2c6a8e5f9b0d3c7a1e4f6b2d8c0a9e3f5b7d1c4a6e8f0b2d9c3a'\";";
const OTHER_KEY: &str =
    "PRAGMA key = \"x'0000000000000000000000000000000000000000000000000000000000000001'\";";

fn open(path: &Path, key: &str, format: &str) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
    )?;
    conn.execute_batch(key)?;
    conn.execute_batch(format)?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })?;
    conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
    Ok(conn)
}

fn provider_name(conn: &Connection) -> String {
    conn.query_row("PRAGMA cipher_provider", [], |r| r.get(0))
        .expect("cipher_provider")
}

/// Rows `from..to` of a table spread over many pages (about 1,200 bytes a
/// row, so a few per 4 KiB page).
fn write_rows(conn: &Connection, from: i64, to: i64) {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT)")
        .expect("table");
    let tx = conn.unchecked_transaction().expect("tx");
    for i in from..to {
        tx.execute(
            "INSERT INTO t (id, body) VALUES (?1, ?2)",
            (i, format!("rij {i} ").repeat(150)),
        )
        .expect("insert");
    }
    tx.commit().expect("commit");
}

/// Every row reads back as written, and the file is sound.
fn check_rows(conn: &Connection, to: i64) {
    let mut stmt = conn
        .prepare("SELECT id, body FROM t ORDER BY id")
        .expect("select");
    let rows: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(rows.len() as i64, to);
    for (i, (id, body)) in rows.into_iter().enumerate() {
        assert_eq!(id, i as i64);
        assert_eq!(body, format!("rij {i} ").repeat(150));
    }
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(check, "ok");
}

#[test]
fn pages_written_by_either_provider_read_back_with_the_other() {
    // SAFETY: plain library initialisation before asking for the provider.
    assert_eq!(unsafe { rusqlite::ffi::sqlite3_initialize() }, 0);
    // SAFETY: reads SQLCipher's default provider pointer (set at init).
    let openssl = unsafe { sqlcipher_get_provider() };
    assert!(!openssl.is_null());
    veldwerk_cipher::install().expect("install");
    // SAFETY: as above.
    let ours = unsafe { sqlcipher_get_provider() };
    assert_ne!(ours, openssl);

    for format in FORMATS {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("db");

        // OpenSSL writes; ours reads, writes more and leaves part in the WAL.
        use_provider(openssl);
        let a = open(&path, KEY, format).expect("openssl opens");
        assert_eq!(provider_name(&a), "openssl");
        write_rows(&a, 0, 300);
        a.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .expect("checkpoint");
        write_rows(&a, 300, 400);

        use_provider(ours);
        let b = open(&path, KEY, format).expect("ours opens OpenSSL's pages");
        assert_eq!(provider_name(&b), veldwerk_cipher::PROVIDER_NAME);
        check_rows(&b, 400);
        write_rows(&b, 400, 700);
        b.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .expect("checkpoint");
        write_rows(&b, 700, 800);
        b.execute("UPDATE t SET body = body WHERE id % 7 = 0", [])
            .expect("rewrite pages");
        drop(a);
        drop(b);

        // A wrong key is refused by ours as by OpenSSL.
        let wrong = open(&path, OTHER_KEY, format).expect_err("wrong key");
        assert_eq!(
            wrong.sqlite_error_code(),
            Some(rusqlite::ErrorCode::NotADatabase)
        );

        // OpenSSL reads everything ours wrote, from the file and the WAL.
        use_provider(openssl);
        let c = open(&path, KEY, format).expect("openssl opens our pages");
        assert_eq!(provider_name(&c), "openssl");
        check_rows(&c, 800);
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .expect("checkpoint");
        drop(c);

        // One changed byte in a data page: ours refuses the page.
        let mut bytes = std::fs::read(&path).expect("read file");
        assert!(bytes.len() > 40 * 4096, "the table spans many pages");
        bytes[20 * 4096 + 100] ^= 0x01;
        std::fs::write(&path, &bytes).expect("write file");
        use_provider(ours);
        let d = open(&path, KEY, format).expect("page 1 is intact");
        let mut stmt = d
            .prepare("SELECT sum(length(body)) FROM t")
            .expect("select");
        let tampered = stmt.query_row([], |r| r.get::<_, i64>(0));
        assert!(tampered.is_err(), "a changed page must not read back");
    }
    use_provider(ours);
}
