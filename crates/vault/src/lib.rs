//! The encrypted local caseload: SQLCipher 4 on disk, its key wrapped with
//! `age` for the user's passphrase and the bureau's recovery key.
//!
//! This is the only place a device opens SQLite. Every change goes through one
//! write path ([`Vault::apply`]) that records the change, an outbox operation
//! and an audit entry in a single transaction.
//!
//! # A vault directory
//!
//! | file | what | secret? |
//! | --- | --- | --- |
//! | `vault.db` (+ `vault.db-wal`, `vault.db-shm` while open) | the database, SQLCipher 4, every page encrypted (WAL included) with a random 256-bit key | encrypted |
//! | `key.passphrase.age` | that key, wrapped with age for the user's passphrase (scrypt, [`DEFAULT_WORK_FACTOR`]) | encrypted |
//! | `key.recovery.age` | the same key, wrapped with age for the bureau's X25519 recovery key (`age1...`) | encrypted |
//! | `backoff.json` | failed unlocks in a row and the time before which no unlock is tried | no |
//! | `vault.json` | format version, creation time, recovery public key | no |
//!
//! The vault writes its own files atomically (temp file in the same
//! directory, fsync, rename). Nothing else is written: temporary storage is
//! in memory. Changing the passphrase rewrites only `key.passphrase.age`.
//!
//! # Modules
//! - [`vault`]: create, unlock, recover, lock, change passphrase; idle policy.
//! - [`write`](mod@write): the one write path ([`Mutation`]) and the audit log.
//! - `schema` (internal): the allow-list of entity tables and columns.
//! - [`search`]: full-text search (FTS5); new notes indexed in batches of
//!   [`search::FLUSH_AT`], found from the moment they are saved.
//! - `hlc` (internal): the device's hybrid logical clock, kept with the
//!   newest outbox operation (and in `meta` when operations leave).
//! - [`model`]: the typed records the caseload API takes and returns.
//! - `caseload` (internal): the typed API over the write path
//!   ([`Vault::youth`], [`Vault::cases`], [`Vault::record_home_visit`], ...).
//! - `query` (internal): the screens' queries ([`Vault::agenda`],
//!   [`Vault::caseload`], [`Vault::case_detail`]).
//! - [`printed`]: printed letters (letter and "brief verstuurd" contact
//!   moment, pushed so the server knows the token's case) and visit cards
//!   printed in advance.
//! - [`response`]: QR answers pulled from the server, and the outreach
//!   sequence a reaction ends.
//! - [`remote`]: what the sync engine needs (pulled records, purges, push
//!   acknowledgements, cursor, conflicts) and the retention purge.
//! - [`demo`]: a deterministic synthetic caseload.
//! - [`bench`](mod@bench): the `veldwerk-cli bench vault` workload.
//! - [`backoff`]: slowing down wrong passphrases.
//! - `migrations` (internal): `migrations/device/*.sql`, embedded.

pub mod backoff;
pub mod bench;
mod caseload;
mod db;
pub mod demo;
mod error;
pub mod files;
mod hlc;
mod keys;
mod meta;
mod migrations;
pub mod model;
pub mod printed;
mod query;
pub mod remote;
pub mod response;
mod schema;
pub mod search;
mod secret;
pub mod vault;
pub mod write;

use std::path::Path;

pub use caseload::{Cases, Schools, Youths};
pub use error::VaultError;
pub use files::DATABASE_FILE;
pub use keys::{DEFAULT_WORK_FACTOR, MIN_WORK_FACTOR};
pub use meta::MetaKey;
pub use printed::{
    LETTER_LINK_VALID_DAYS, LetterRecipient, LetterRecorded, MailingAddress, PrintedLetter,
    letter_link_expires_on,
};
pub use remote::{
    AckSummary, ConflictChoice, DEFAULT_CLOSED_CASE_RETENTION_DAYS, OutboxCounts, PullApplied,
    PurgeSummary, RejectedOp, RemoteApplied,
};
pub use response::{Outreach, OutreachStarted, OutreachStatus, ResponseRecord};
pub use search::SearchHit;
pub use secret::Passphrase;
pub use vault::{DEFAULT_IDLE_TIMEOUT, Vault, VaultOptions};
pub use write::{Applied, AuditAction, AuditEntry, Mutation, Record};

/// Whether `dir` holds a vault (the app shows unlock instead of enrollment).
pub fn exists(dir: &Path) -> bool {
    dir.join(DATABASE_FILE).is_file()
}

/// Destroy the vault in `dir` without unlocking it (a revoked device whose
/// vault is locked): its files are deleted, key files first. See
/// [`Vault::wipe`] for an unlocked one.
pub fn wipe(dir: &Path) -> Result<(), VaultError> {
    files::wipe(dir)
}
