//! The one error type of the vault boundary.
//!
//! Display messages never carry personal data: no field values, no SQL with
//! values (every value is bound as a parameter, so no SQL text holds one), no
//! full paths (they name the user's profile folder), only the name of the
//! vault file involved. Entity and column names are schema identifiers from
//! code; [`ident`] still refuses to print anything that does not look like one.

use std::io;
use std::time::Duration;

/// Everything that can go wrong in the vault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    #[error("there is no vault in this folder")]
    NotFound,
    #[error("this folder already holds a vault")]
    AlreadyExists,
    #[error("the passphrase is wrong")]
    WrongPassphrase,
    #[error(
        "too many wrong passphrases: try again in {} seconds",
        retry_after.as_secs().max(1)
    )]
    TooManyAttempts { retry_after: Duration },
    #[error("the passphrase is empty")]
    EmptyPassphrase,
    #[error("the recovery key is not an age X25519 public key (age1...)")]
    InvalidRecoveryRecipient,
    #[error("the recovery identity is not an age X25519 secret key (AGE-SECRET-KEY-1...)")]
    InvalidRecoveryIdentity,
    #[error("this recovery identity does not open this vault")]
    WrongRecoveryIdentity,
    #[error("the key file {file} is damaged or not made by Veldwerk")]
    KeyFile {
        file: &'static str,
        #[source]
        source: age::DecryptError,
    },
    #[error("could not wrap the database key")]
    Wrap(#[source] age::EncryptError),
    /// The unwrapped key does not open `vault.db`: the key files and the
    /// database belong to different vaults, or the database is damaged.
    #[error("the database key does not open the database")]
    KeyMismatch(#[source] rusqlite::Error),
    #[error("the vault format {found} is newer than this build of Veldwerk knows ({known})")]
    FormatTooNew { found: u32, known: u32 },
    #[error("the database has schema {found}, newer than this build of Veldwerk knows ({known})")]
    SchemaTooNew { found: u32, known: u32 },
    #[error("migration {version} changed after it was applied; add a new migration instead")]
    MigrationChanged { version: u32 },
    /// This build's SQLite has no SQLCipher: nothing is opened, so nothing
    /// can be written unencrypted.
    #[error("this build of Veldwerk has no database encryption")]
    EncryptionUnavailable,
    /// The page cryptography could not be registered with SQLCipher.
    #[error("the database encryption could not be set up: {0}")]
    CipherProvider(#[from] veldwerk_cipher::InstallError),
    #[error("the database could not switch to WAL journaling")]
    WalUnavailable,
    #[error("unknown entity {}", ident(entity))]
    UnknownEntity { entity: String },
    #[error("{} has no writable column {}", ident(entity), ident(column))]
    UnknownColumn { entity: String, column: String },
    #[error(
        "wrong value type for {}.{}: expected {expected}",
        ident(entity),
        ident(column)
    )]
    InvalidValue {
        entity: String,
        column: String,
        expected: &'static str,
    },
    #[error("{kind} is not allowed for {}", ident(entity))]
    KindNotAllowed { entity: String, kind: &'static str },
    #[error("invalid mutation of {}: {reason}", ident(entity))]
    InvalidMutation {
        entity: String,
        reason: &'static str,
    },
    #[error("the {} record does not exist", ident(entity))]
    RecordNotFound { entity: String },
    /// A local change names a record (in a link field such as `case_id`)
    /// that is not on the device.
    #[error(
        "{}.{} refers to a record that is not on this device",
        ident(entity),
        ident(column)
    )]
    MissingLink { entity: String, column: String },
    /// A record other records belong to or refer to cannot be deleted.
    #[error("the {} record is still in use by other records", ident(entity))]
    RecordInUse { entity: String },
    /// The domain's rules refuse to close the case (the outcome does not fit
    /// it, the user may not record it, it is closed already, ...).
    #[error("the case cannot be closed: {0}")]
    CannotClose(#[source] veldwerk_domain::CloseError),
    #[error("the conflict is not on this device")]
    ConflictNotFound,
    #[error("the {} record already exists", ident(entity))]
    RecordExists { entity: String },
    #[error(
        "the {} record changed since it was read (version {expected} expected, {found} found)",
        ident(entity)
    )]
    VersionConflict {
        entity: String,
        expected: u64,
        found: u64,
    },
    /// A constraint of the schema refused a change. SQLite's message names
    /// the constraint or the columns, never the values.
    #[error("the database refused the change")]
    Constraint(#[source] rusqlite::Error),
    #[error("database error")]
    Database(#[source] rusqlite::Error),
    #[error("stored data in the vault is damaged")]
    Corrupt,
    #[error("could not read or write {file}")]
    Io {
        file: &'static str,
        #[source]
        source: io::Error,
    },
    #[error("{file} is damaged")]
    Metadata {
        file: &'static str,
        #[source]
        source: serde_json::Error,
    },
    #[error("the operating system's random source failed")]
    Random(#[source] getrandom::Error),
}

impl From<rusqlite::Error> for VaultError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => VaultError::Constraint(e),
            _ => VaultError::Database(e),
        }
    }
}

/// An entity or column name fit for a message: printed only when it looks
/// like a schema identifier, so a caller's mistake cannot leak text into logs.
pub(crate) fn ident(name: &str) -> &str {
    let plausible = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if plausible { name } else { "<invalid name>" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_print_only_identifier_like_names() {
        let e = VaultError::UnknownColumn {
            entity: "task".into(),
            column: "Eva Doğan".into(),
        };
        assert_eq!(e.to_string(), "task has no writable column <invalid name>");
    }

    #[test]
    fn constraint_failures_are_told_apart_from_other_database_errors() {
        let conn = rusqlite::Connection::open_in_memory().expect("memory db");
        conn.execute_batch("CREATE TABLE t (x TEXT NOT NULL)")
            .expect("table");
        let err = conn
            .execute("INSERT INTO t (x) VALUES (NULL)", [])
            .map_err(VaultError::from);
        assert!(matches!(err, Err(VaultError::Constraint(_))));
    }
}
