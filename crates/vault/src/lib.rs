//! The encrypted local caseload: SQLCipher 4 on disk, its key wrapped with
//! `age` for the user's passphrase and the bureau's recovery key.
//!
//! This is the only place a device opens SQLite. Every change goes through one
//! write path that records the change, an outbox operation and an audit entry
//! in a single transaction.

use std::path::Path;

/// The file that holds the encrypted database inside a vault directory.
pub const DATABASE_FILE: &str = "vault.db";

/// Whether `dir` holds a vault (the app shows unlock instead of enrollment).
pub fn exists(dir: &Path) -> bool {
    dir.join(DATABASE_FILE).is_file()
}
