//! The encrypted local caseload: SQLCipher 4 on disk, its key wrapped with
//! `age` for the user's passphrase and the bureau's recovery key.
//!
//! This is the only place a device opens SQLite. Every change goes through one
//! write path that records the change, an outbox operation and an audit entry
//! in a single transaction.
