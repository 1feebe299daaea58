//! Schema migrations from `migrations/device/`, embedded at compile time.
//!
//! All pending migrations are applied in one transaction, so a vault is
//! always at one known schema version. Each is recorded in
//! `schema_migrations` with a SHA-256 of its text: a vault whose applied
//! migration no longer matches the embedded text refuses to open, because an
//! applied migration must never change; and a vault from a newer build (an
//! applied version this build does not know) refuses to open too.

use rusqlite::{Connection, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use crate::VaultError;

/// (version, name, SQL). Add new ones at the end; never edit an applied one.
const MIGRATIONS: &[(u32, &str, &str)] = &[
    (
        1,
        "engine",
        include_str!("../../../migrations/device/0001_engine.sql"),
    ),
    (
        2,
        "tasks",
        include_str!("../../../migrations/device/0002_tasks.sql"),
    ),
    (
        3,
        "caseload",
        include_str!("../../../migrations/device/0003_caseload.sql"),
    ),
    (
        4,
        "sync_state",
        include_str!("../../../migrations/device/0004_sync_state.sql"),
    ),
    (
        5,
        "responses",
        include_str!("../../../migrations/device/0005_responses.sql"),
    ),
    (
        6,
        "response_received",
        include_str!("../../../migrations/device/0006_response_received.sql"),
    ),
    (
        7,
        "audit_one_tree",
        include_str!("../../../migrations/device/0007_audit_one_tree.sql"),
    ),
    (
        8,
        "fewer_trees",
        include_str!("../../../migrations/device/0008_fewer_trees.sql"),
    ),
    (
        9,
        "search_doc_by_id",
        include_str!("../../../migrations/device/0009_search_doc_by_id.sql"),
    ),
    (
        10,
        "outbox_in_order",
        include_str!("../../../migrations/device/0010_outbox_in_order.sql"),
    ),
    (
        11,
        "search_page_size",
        include_str!("../../../migrations/device/0011_search_page_size.sql"),
    ),
    (
        12,
        "search_pending",
        include_str!("../../../migrations/device/0012_search_pending.sql"),
    ),
];

/// The schema version this build brings a vault to.
pub(crate) fn latest() -> u32 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}

/// Apply every pending migration in one transaction.
pub(crate) fn apply(conn: &mut Connection) -> Result<(), VaultError> {
    apply_list(conn, MIGRATIONS)
}

fn apply_list(conn: &mut Connection, migrations: &[(u32, &str, &str)]) -> Result<(), VaultError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             name       TEXT NOT NULL,
             checksum   TEXT NOT NULL,
             applied_at TEXT NOT NULL
         )",
    )?;
    let applied: Vec<(u32, String)> = {
        let mut stmt =
            tx.prepare("SELECT version, checksum FROM schema_migrations ORDER BY version")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    let known = migrations.last().map_or(0, |m| m.0);
    for (version, checksum) in &applied {
        match migrations.iter().find(|m| m.0 == *version) {
            None => {
                return Err(VaultError::SchemaTooNew {
                    found: *version,
                    known,
                });
            }
            Some(&(_, _, sql)) if checksum_of(sql) != *checksum => {
                return Err(VaultError::MigrationChanged { version: *version });
            }
            Some(_) => {}
        }
    }
    let now = chrono::Utc::now().to_rfc3339();
    let mut changed = false;
    for &(version, name, sql) in migrations {
        if applied.iter().any(|(v, _)| *v == version) {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![version, name, checksum_of(sql), now],
        )?;
        changed = true;
    }
    if changed {
        tx.commit()?;
    }
    Ok(())
}

/// SHA-256 of the text with line endings normalised, so a checkout that
/// turned LF into CRLF does not look like an edited migration.
fn checksum_of(sql: &str) -> String {
    let digest = Sha256::digest(sql.replace("\r\n", "\n").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory() -> Connection {
        // A plain (unkeyed) connection: the schema is the same with or without encryption.
        Connection::open_in_memory().expect("memory db")
    }

    fn applied(conn: &Connection) -> Vec<(u32, String, String)> {
        let mut stmt = conn
            .prepare("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
            .expect("schema_migrations");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(|rows| rows.collect())
            .expect("rows")
    }

    #[test]
    fn migrations_are_numbered_in_order_like_their_files() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.0 as usize, i + 1);
        }
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations/device");
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
    fn migrations_are_applied_once() -> Result<(), VaultError> {
        let mut conn = memory();
        apply(&mut conn)?;
        let first = applied(&conn);
        assert_eq!(first.len(), MIGRATIONS.len());
        apply(&mut conn)?;
        assert_eq!(applied(&conn), first, "nothing applied twice");
        Ok(())
    }

    #[test]
    fn a_new_migration_is_applied_on_top_of_the_old_ones() -> Result<(), VaultError> {
        let mut conn = memory();
        apply_list(&mut conn, &MIGRATIONS[..1])?;
        assert_eq!(applied(&conn).len(), 1);
        apply(&mut conn)?;
        assert_eq!(applied(&conn).len(), MIGRATIONS.len());
        Ok(())
    }

    #[test]
    fn an_edited_migration_is_refused() -> Result<(), VaultError> {
        let mut conn = memory();
        apply(&mut conn)?;
        let edited: Vec<(u32, &str, &str)> = MIGRATIONS
            .iter()
            .map(|&(v, n, sql)| (v, n, if v == 1 { "SELECT 1;" } else { sql }))
            .collect();
        assert!(matches!(
            apply_list(&mut conn, &edited),
            Err(VaultError::MigrationChanged { version: 1 })
        ));
        Ok(())
    }

    #[test]
    fn a_vault_from_a_newer_build_is_refused() -> Result<(), VaultError> {
        let mut conn = memory();
        apply(&mut conn)?;
        conn.execute(
            "INSERT INTO schema_migrations VALUES (999, 'future', 'x', 'now')",
            [],
        )?;
        assert!(matches!(
            apply(&mut conn),
            Err(VaultError::SchemaTooNew { found: 999, .. })
        ));
        Ok(())
    }

    #[test]
    fn a_failing_migration_leaves_the_schema_as_it_was() -> Result<(), VaultError> {
        let mut conn = memory();
        let broken: Vec<(u32, &str, &str)> = vec![
            MIGRATIONS[0],
            (2, "broken", "CREATE TABLE x (a); THIS IS NOT SQL;"),
        ];
        assert!(apply_list(&mut conn, &broken).is_err());
        let tables: u32 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('meta', 'x', 'schema_migrations')",
            [],
            |r| r.get(0),
        )?;
        assert_eq!(tables, 0, "all pending migrations share one transaction");
        Ok(())
    }

    #[test]
    fn checksums_ignore_line_endings() {
        assert_eq!(checksum_of("a;\r\nb;\r\n"), checksum_of("a;\nb;\n"));
        assert_ne!(checksum_of("a;"), checksum_of("b;"));
    }
}
