//! The server's store: the only module that knows SQL. Everything the HTTP
//! handlers and the admin CLI need is a method on [`Store`], a concrete type,
//! so a PostgreSQL backend can be added later behind the same API.
//!
//! SQLite in WAL mode on disk. Concurrency: the API is blocking; the HTTP
//! layer calls it through `tokio::task::spawn_blocking`, bounded by a
//! semaphore (see `api`). Writes go through one writer connection behind a
//! mutex, because SQLite has one writer at a time anyway and a single
//! connection avoids `SQLITE_BUSY` retries; every write is one transaction
//! (a whole push batch is one). Reads (pull, auth, check) use a small pool of
//! reader connections and run in a read transaction, so a pull page is one
//! consistent snapshot while writes go on.
//!
//! Time is always a parameter (`now`), so tests control the clock.

mod admin;
mod import;
mod migrations;
pub mod response;
mod sync;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params};

pub use admin::{DeviceInfo, NewUser};
pub use import::{ImportError, ImportSummary};
pub use sync::AuthDevice;

/// How many idle reader connections to keep.
const READERS_IDLE: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored data is not valid JSON")]
    Json(#[from] serde_json::Error),
    #[error("cannot open the store at {path}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("migration {version} was changed after it was applied; add a new migration instead")]
    MigrationChanged { version: u32 },
    #[error("the store was written by a newer server (schema {found}, this server knows {known})")]
    SchemaTooNew { found: u32, known: u32 },
    #[error("the store is busy")]
    Poisoned,
    #[error("the enrollment code is unknown, used or expired")]
    InvalidEnrollmentCode,
    #[error("the device's cursor is ahead of the server")]
    FullResyncRequired,
    #[error("no recovery key has been generated yet (veldwerk-server recovery-key generate)")]
    NoRecoveryKey,
    #[error("a recovery key already exists; it can be set only once")]
    RecoveryKeyExists,
    #[error("no {0} with that id")]
    NotFound(&'static str),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Import(#[from] ImportError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Settings the store applies itself.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// Days after a case's `closed_on` date that it leaves every device.
    pub closed_case_retention_days: u32,
}

impl Default for StoreOptions {
    fn default() -> StoreOptions {
        StoreOptions {
            closed_case_retention_days: 28,
        }
    }
}

/// The server's store. Cheap to clone; all clones share the connections.
#[derive(Clone)]
pub struct Store {
    inner: std::sync::Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    options: StoreOptions,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if needed) the store at `path` and applies pending
    /// migrations, each once, in its own transaction.
    pub fn open(path: &Path, options: StoreOptions) -> Result<Store> {
        let mut writer = open_connection(path, false)?;
        migrations::apply(&mut writer)?;
        Ok(Store {
            inner: std::sync::Arc::new(Inner {
                path: path.to_owned(),
                options,
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    pub(crate) fn options(&self) -> &StoreOptions {
        &self.inner.options
    }

    /// Runs `f` in one write transaction; commits when it returns `Ok`.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&mut Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.writer()?;
        let mut tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let out = f(&mut tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` in one read transaction (a consistent snapshot).
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.take_reader()?;
        let out = (|| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)?;
            let out = f(&tx)?;
            tx.finish()?;
            Ok(out)
        })();
        self.return_reader(conn);
        out
    }

    fn writer(&self) -> Result<MutexGuard<'_, Connection>> {
        // A panic while holding the writer rolled its transaction back (the
        // Transaction's drop), so the connection is still sound.
        Ok(self.inner.writer.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn take_reader(&self) -> Result<Connection> {
        let idle = self
            .inner
            .readers
            .lock()
            .map_err(|_| StoreError::Poisoned)?
            .pop();
        match idle {
            Some(c) => Ok(c),
            None => open_connection(&self.inner.path, true),
        }
    }

    fn return_reader(&self, conn: Connection) {
        if let Ok(mut readers) = self.inner.readers.lock()
            && readers.len() < READERS_IDLE
        {
            readers.push(conn);
        }
    }
}

fn open_connection(path: &Path, read_only: bool) -> Result<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let open = || -> rusqlite::Result<Connection> {
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        if !read_only {
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(conn)
    };
    open().map_err(|source| StoreError::Open {
        path: path.to_owned(),
        source,
    })
}

/// Takes the next value of the server's sequence.
pub(crate) fn next_seq(tx: &Connection) -> Result<u64> {
    let v: i64 = tx.query_row(
        "UPDATE sequence SET value = value + 1 WHERE id = 1 RETURNING value",
        [],
        |r| r.get(0),
    )?;
    Ok(v as u64)
}

pub(crate) fn current_seq(tx: &Connection) -> Result<u64> {
    let v: i64 = tx.query_row("SELECT value FROM sequence WHERE id = 1", [], |r| r.get(0))?;
    Ok(v as u64)
}

/// One audit entry. Ids, codes and counts only: never field values.
pub(crate) struct Audit<'a> {
    pub actor: &'a str,
    pub device_id: Option<&'a str>,
    pub user_id: Option<&'a str>,
    pub action: &'a str,
    pub op_id: Option<&'a str>,
    pub entity: Option<&'a str>,
    pub entity_id: Option<&'a str>,
    pub detail: Option<&'a str>,
}

impl Audit<'_> {
    pub(crate) fn admin<'a>(action: &'a str) -> Audit<'a> {
        Audit {
            actor: "admin",
            device_id: None,
            user_id: None,
            action,
            op_id: None,
            entity: None,
            entity_id: None,
            detail: None,
        }
    }
}

pub(crate) fn audit(tx: &Connection, now: DateTime<Utc>, a: &Audit<'_>) -> Result<()> {
    tx.execute(
        "INSERT INTO audit (at, actor, device_id, user_id, action, op_id, entity, entity_id, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            ts(now),
            a.actor,
            a.device_id,
            a.user_id,
            a.action,
            a.op_id,
            a.entity,
            a.entity_id,
            a.detail
        ],
    )?;
    Ok(())
}

/// One entry of the audit trail, for the admin and for tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub actor: String,
    pub device_id: Option<String>,
    pub user_id: Option<String>,
    pub action: String,
    pub op_id: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub detail: Option<String>,
}

impl Store {
    /// The audit trail, oldest first.
    pub fn audit_trail(&self) -> Result<Vec<AuditEntry>> {
        self.read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT actor, device_id, user_id, action, op_id, entity, entity_id, detail
                 FROM audit ORDER BY id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(AuditEntry {
                    actor: r.get(0)?,
                    device_id: r.get(1)?,
                    user_id: r.get(2)?,
                    action: r.get(3)?,
                    op_id: r.get(4)?,
                    entity: r.get(5)?,
                    entity_id: r.get(6)?,
                    detail: r.get(7)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Counts of rows per table, for tests that check "nothing stored".
    pub fn row_counts(&self) -> Result<RowCounts> {
        self.read(|tx| {
            let count = |table: &str| -> Result<u64> {
                let n: i64 =
                    tx.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
                Ok(n as u64)
            };
            Ok(RowCounts {
                records: count("records")?,
                operations: count("operations")?,
                conflicts: count("conflicts")?,
                devices: count("devices")?,
                seq: current_seq(tx)?,
            })
        })
    }

    /// The current fields of a record (values only), whether deleted or not;
    /// `None` when it does not exist. For the admin and tests.
    pub fn record_values(
        &self,
        entity: &str,
        entity_id: &str,
    ) -> Result<Option<std::collections::BTreeMap<String, serde_json::Value>>> {
        self.read(|tx| {
            let fields: Option<String> = tx
                .query_row(
                    "SELECT fields FROM records WHERE entity = ?1 AND entity_id = ?2",
                    params![entity, entity_id],
                    |r| r.get(0),
                )
                .optional()?;
            match fields {
                None => Ok(None),
                Some(f) => {
                    let map: sync::Fields = serde_json::from_str(&f)?;
                    Ok(Some(map.into_iter().map(|(k, v)| (k, v.v)).collect()))
                }
            }
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowCounts {
    pub records: u64,
    pub operations: u64,
    pub conflicts: u64,
    pub devices: u64,
    pub seq: u64,
}

/// Timestamps are stored as RFC 3339 text in UTC with fixed width, so they
/// sort as text.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

pub(crate) fn parse_ts(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Invalid(format!("bad timestamp in store: {s:?}")))
}
