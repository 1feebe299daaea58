//! Schema migrations from `migrations/server/`, embedded at compile time.
//!
//! Each is applied once, in order, in its own transaction, and recorded with
//! a SHA-256 of its text: a store whose applied migration no longer matches
//! the file refuses to open, because an applied migration must never change.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{Result, StoreError};

/// (version, name, SQL). Add new ones at the end; never edit an applied one.
const MIGRATIONS: &[(u32, &str, &str)] = &[
    (
        1,
        "initial",
        include_str!("../../../../migrations/server/0001_initial.sql"),
    ),
    (
        2,
        "response_links",
        include_str!("../../../../migrations/server/0002_response_links.sql"),
    ),
];

pub(super) fn apply(conn: &mut Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             name       TEXT NOT NULL,
             sha256     TEXT NOT NULL,
             applied_at TEXT NOT NULL
         )",
    )?;
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    let newest: Option<u32> =
        conn.query_row("SELECT max(version) FROM schema_migrations", [], |r| {
            r.get(0)
        })?;
    if let Some(found) = newest
        && found > known
    {
        return Err(StoreError::SchemaTooNew { found, known });
    }
    for &(version, name, sql) in MIGRATIONS {
        let hash = hex(&Sha256::digest(sql.as_bytes()));
        let applied: Option<String> = conn
            .query_row(
                "SELECT sha256 FROM schema_migrations WHERE version = ?1",
                [version],
                |r| r.get(0),
            )
            .optional()?;
        match applied {
            Some(h) if h == hash => continue,
            Some(_) => return Err(StoreError::MigrationChanged { version }),
            None => {}
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, sha256, applied_at)
             VALUES (?1, ?2, ?3, datetime('now'))",
            params![version, name, hash],
        )?;
        tx.commit()?;
        tracing::info!(version, "applied server migration");
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order_like_their_files() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.0 as usize, i + 1);
        }
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations/server");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("migrations folder")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let embedded: Vec<String> = MIGRATIONS
            .iter()
            .map(|(v, n, _)| format!("{v:04}_{n}.sql"))
            .collect();
        assert_eq!(
            files, embedded,
            "every migration file is embedded, in order"
        );
    }

    #[test]
    fn applying_twice_is_harmless_and_a_changed_migration_is_refused() {
        let mut conn = Connection::open_in_memory().expect("memory db");
        apply(&mut conn).expect("first");
        apply(&mut conn).expect("second");
        conn.execute(
            "UPDATE schema_migrations SET sha256 = 'x' WHERE version = 1",
            [],
        )
        .expect("tamper");
        assert!(matches!(
            apply(&mut conn),
            Err(StoreError::MigrationChanged { version: 1 })
        ));
    }
}
