//! The [`Vault`]: creating, unlocking, recovering and locking a vault
//! directory, the idle policy, and the entry points of the write path and
//! the queries.
//!
//! A `Vault` value is an unlocked vault: it holds the open connection and the
//! database key (kept to re-wrap it for a new recovery key without asking for
//! the passphrase; SQLCipher holds it in memory anyway while the database is
//! open). Dropping or [`Vault::lock`]ing it closes the connection and wipes
//! the key.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior};
use uuid::Uuid;
use veldwerk_protocol::{Hlc, Operation};

use crate::backoff::Backoff;
use crate::files::{
    self, BACKOFF_FILE, DATABASE_FILE, DATABASE_SIDE_FILES, FORMAT_VERSION, Metadata,
    PASSPHRASE_KEY_FILE, RECOVERY_KEY_FILE,
};
use crate::keys::{self, DEFAULT_WORK_FACTOR, MIN_WORK_FACTOR, Unwrap};
use crate::meta::{self, MetaKey};
use crate::remote::{self, OutboxCounts};
use crate::search::SearchHit;
use crate::secret::{DatabaseKey, Passphrase};
use crate::write::{self, Applied, AuditEntry, CountedTable, Mutation, Record};
use crate::{VaultError, db, exists, hlc, migrations, search};

/// How long a vault may sit unused before the app locks it.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// Settings of a vault session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VaultOptions {
    /// The scrypt work factor (log2 N) of passphrase wraps this session makes
    /// (create, change of passphrase, recovery). Unlocking reads the factor
    /// from the key file. [`DEFAULT_WORK_FACTOR`] in the app; tests may go
    /// down to [`MIN_WORK_FACTOR`] (lower values are raised to it) to run in
    /// milliseconds.
    pub work_factor: u8,
    /// See [`Vault::is_idle`].
    pub idle_timeout: Duration,
}

impl Default for VaultOptions {
    fn default() -> Self {
        VaultOptions {
            work_factor: DEFAULT_WORK_FACTOR,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
        }
    }
}

/// An unlocked vault.
pub struct Vault {
    dir: PathBuf,
    pub(crate) conn: Connection,
    key: DatabaseKey,
    /// The enrolled user (`MetaKey::UserId`), nil before enrollment.
    user_id: Uuid,
    options: VaultOptions,
    last_activity: DateTime<Utc>,
    last_activity_mono: Instant,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("options", &self.options)
            .field("last_activity", &self.last_activity)
            .finish_non_exhaustive()
    }
}

fn io(file: &'static str) -> impl FnOnce(std::io::Error) -> VaultError {
    move |source| VaultError::Io { file, source }
}

/// What every connection to a vault needs before use: the schema brought
/// up to date, the connection's in-memory index of notes waiting for their
/// search batch, and the device's id (made once, on the first open).
fn prepare(conn: &mut Connection) -> Result<(), VaultError> {
    migrations::apply(conn)?;
    search::open_fresh(conn)?;
    if meta::get(conn, MetaKey::DeviceId)?.is_none() {
        meta::set(
            conn,
            MetaKey::DeviceId,
            &Uuid::now_v7().hyphenated().to_string(),
        )?;
    }
    Ok(())
}

impl Vault {
    /// Create a new vault in `dir` (made if missing), its key wrapped for
    /// `passphrase` and for the bureau's `recovery_recipient` (`age1...`).
    /// Fails with [`VaultError::AlreadyExists`] when `dir` holds a vault.
    pub fn create(
        dir: &Path,
        passphrase: &Passphrase,
        recovery_recipient: &str,
    ) -> Result<Vault, VaultError> {
        Vault::create_with(dir, passphrase, recovery_recipient, VaultOptions::default())
    }

    pub fn create_with(
        dir: &Path,
        passphrase: &Passphrase,
        recovery_recipient: &str,
        options: VaultOptions,
    ) -> Result<Vault, VaultError> {
        if passphrase.is_empty() {
            return Err(VaultError::EmptyPassphrase);
        }
        let recipient = keys::parse_recipient(recovery_recipient)?;
        if exists(dir) {
            return Err(VaultError::AlreadyExists);
        }
        fs::create_dir_all(dir).map_err(io("vault folder"))?;
        // Left by an earlier vault whose database is gone: SQLite would try
        // to replay them into the new one.
        for side in DATABASE_SIDE_FILES {
            files::remove_if_present(dir, side)?;
        }
        let key = DatabaseKey::random()?;
        // Key files first: a crash before the database exists leaves no
        // vault (`exists` is false) and the next create overwrites them; a
        // crash after leaves a vault that unlocks and finishes migrating.
        let by_passphrase = keys::wrap_for_passphrase(&key, passphrase, options.work_factor)?;
        let by_recovery = keys::wrap_for_recipient(&key, &recipient)?;
        files::write_atomic(dir, PASSPHRASE_KEY_FILE, &by_passphrase)?;
        files::write_atomic(dir, RECOVERY_KEY_FILE, &by_recovery)?;
        Metadata {
            format: FORMAT_VERSION,
            created_at: Utc::now(),
            recovery_recipient: recipient.to_string(),
        }
        .write(dir)?;
        files::remove_if_present(dir, BACKOFF_FILE)?;
        Vault::open(dir, key, options, true, Utc::now())
    }

    /// Unlock the vault in `dir` with the user's passphrase.
    ///
    /// A wrong passphrase is [`VaultError::WrongPassphrase`] and changes
    /// nothing but `backoff.json`; after repeated failures the next attempt
    /// must wait ([`VaultError::TooManyAttempts`], see [`crate::backoff`]).
    pub fn unlock(dir: &Path, passphrase: &Passphrase) -> Result<Vault, VaultError> {
        Vault::unlock_with(dir, passphrase, VaultOptions::default(), Utc::now())
    }

    /// [`Vault::unlock`] with options and the current time given.
    pub fn unlock_with(
        dir: &Path,
        passphrase: &Passphrase,
        options: VaultOptions,
        now: DateTime<Utc>,
    ) -> Result<Vault, VaultError> {
        if !exists(dir) {
            return Err(VaultError::NotFound);
        }
        Metadata::read(dir)?;
        let mut backoff = Backoff::load(dir)?;
        if let Some(retry_after) = backoff.wait(now) {
            return Err(VaultError::TooManyAttempts { retry_after });
        }
        if passphrase.is_empty() {
            return Err(VaultError::EmptyPassphrase);
        }
        let wrapped = files::read(dir, PASSPHRASE_KEY_FILE)?;
        let key = match keys::unwrap_with_passphrase(&wrapped, passphrase) {
            Ok(key) => key,
            Err(Unwrap::WrongSecret) => {
                backoff.record_failure(now);
                backoff.save(dir)?;
                return Err(VaultError::WrongPassphrase);
            }
            Err(Unwrap::Damaged(source)) => {
                return Err(VaultError::KeyFile {
                    file: PASSPHRASE_KEY_FILE,
                    source,
                });
            }
        };
        let vault = Vault::open(dir, key, options, false, now)?;
        Backoff::reset(dir)?;
        Ok(vault)
    }

    /// How long the unlock screen must wait before the next attempt, if at
    /// all (after repeated wrong passphrases).
    pub fn unlock_wait(dir: &Path, now: DateTime<Utc>) -> Result<Option<Duration>, VaultError> {
        Ok(Backoff::load(dir)?.wait(now))
    }

    /// Open the vault with the bureau's recovery identity
    /// (`AGE-SECRET-KEY-1...`, or the text of an age identity file) and give
    /// it `new_passphrase`. The database is untouched; the old passphrase no
    /// longer works.
    pub fn recover(
        dir: &Path,
        identity: &str,
        new_passphrase: &Passphrase,
    ) -> Result<Vault, VaultError> {
        Vault::recover_with(dir, identity, new_passphrase, VaultOptions::default())
    }

    pub fn recover_with(
        dir: &Path,
        identity: &str,
        new_passphrase: &Passphrase,
        options: VaultOptions,
    ) -> Result<Vault, VaultError> {
        if new_passphrase.is_empty() {
            return Err(VaultError::EmptyPassphrase);
        }
        let identity = keys::parse_identity(identity)?;
        if !exists(dir) {
            return Err(VaultError::NotFound);
        }
        Metadata::read(dir)?;
        let wrapped = files::read(dir, RECOVERY_KEY_FILE)?;
        let key = match keys::unwrap_with_identity(&wrapped, &identity) {
            Ok(key) => key,
            Err(Unwrap::WrongSecret) => return Err(VaultError::WrongRecoveryIdentity),
            Err(Unwrap::Damaged(source)) => {
                return Err(VaultError::KeyFile {
                    file: RECOVERY_KEY_FILE,
                    source,
                });
            }
        };
        // Open first: the passphrase wrap is replaced only once the key has
        // proven it opens this database.
        let vault = Vault::open(dir, key, options, false, Utc::now())?;
        let wrapped =
            keys::wrap_for_passphrase(&vault.key, new_passphrase, vault.options.work_factor)?;
        files::write_atomic(dir, PASSPHRASE_KEY_FILE, &wrapped)?;
        Backoff::reset(dir)?;
        Ok(vault)
    }

    fn open(
        dir: &Path,
        key: DatabaseKey,
        options: VaultOptions,
        create: bool,
        now: DateTime<Utc>,
    ) -> Result<Vault, VaultError> {
        let mut conn = db::open(&dir.join(DATABASE_FILE), &key, create)?;
        prepare(&mut conn)?;
        let user_id = meta::get(&conn, MetaKey::UserId)?
            .and_then(|u| Uuid::parse_str(&u).ok())
            .unwrap_or_else(Uuid::nil);
        Ok(Vault {
            dir: dir.to_owned(),
            conn,
            key,
            user_id,
            options: VaultOptions {
                work_factor: options.work_factor.max(MIN_WORK_FACTOR),
                ..options
            },
            last_activity: now,
            last_activity_mono: Instant::now(),
        })
    }

    /// Open with a key already unwrapped (the benchmark measures key
    /// derivation apart from opening).
    pub(crate) fn open_with_key(
        dir: &Path,
        key: DatabaseKey,
        options: VaultOptions,
    ) -> Result<Vault, VaultError> {
        Vault::open(dir, key, options, false, Utc::now())
    }

    /// The benchmark's baseline: the same schema and code on a database
    /// without a key (plain SQLite). Never holds anything but demo data;
    /// see [`crate::bench`].
    pub(crate) fn open_plain_for_bench(dir: &Path, create: bool) -> Result<Vault, VaultError> {
        fs::create_dir_all(dir).map_err(io("vault folder"))?;
        let mut conn = db::open_plain_for_bench(&dir.join(DATABASE_FILE), create)?;
        prepare(&mut conn)?;
        Ok(Vault {
            dir: dir.to_owned(),
            conn,
            key: DatabaseKey::random()?,
            user_id: Uuid::nil(),
            options: VaultOptions::default(),
            last_activity: Utc::now(),
            last_activity_mono: Instant::now(),
        })
    }

    /// Index the notes waiting for their batch, close the database and
    /// wipe the key. The key is wiped and the database closed whatever
    /// happens. Indexing that fails (another process holding the write
    /// lock, a full disk) loses nothing and is not an error of locking: the
    /// notes stay waiting on disk, the next connection finds them there and
    /// a later batch indexes them.
    pub fn lock(self) -> Result<(), VaultError> {
        let Vault { mut conn, key, .. } = self;
        let _indexed = search::waiting(&conn).and_then(|waiting| {
            if waiting == 0 {
                return Ok(());
            }
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            search::flush(&tx)?;
            Ok(tx.commit()?)
        });
        drop(key);
        conn.close().map_err(|(_, e)| VaultError::from(e))
    }

    /// Destroy this vault: close the database, wipe the key from memory and
    /// delete every file of the vault (key files first). Used when the
    /// server says the device is revoked. The data cannot be recovered
    /// afterwards, not even with the bureau's recovery key.
    pub fn wipe(self) -> Result<(), VaultError> {
        let dir = self.dir.clone();
        // Closing may fail; the files go anyway.
        let closed = self.lock();
        files::wipe(&dir)?;
        closed
    }

    /// Wrap the key for `new` instead of `old`. Only `key.passphrase.age`
    /// changes; the database is untouched. A wrong `old` is
    /// [`VaultError::WrongPassphrase`] (not counted by the unlock backoff:
    /// whoever calls this has the vault open already).
    pub fn change_passphrase(
        &mut self,
        old: &Passphrase,
        new: &Passphrase,
    ) -> Result<(), VaultError> {
        if new.is_empty() {
            return Err(VaultError::EmptyPassphrase);
        }
        let wrapped = files::read(&self.dir, PASSPHRASE_KEY_FILE)?;
        match keys::unwrap_with_passphrase(&wrapped, old) {
            Ok(key) if key == self.key => {}
            Ok(_) => return Err(VaultError::Corrupt),
            Err(Unwrap::WrongSecret) => return Err(VaultError::WrongPassphrase),
            Err(Unwrap::Damaged(source)) => {
                return Err(VaultError::KeyFile {
                    file: PASSPHRASE_KEY_FILE,
                    source,
                });
            }
        }
        let wrapped = keys::wrap_for_passphrase(&self.key, new, self.options.work_factor)?;
        files::write_atomic(&self.dir, PASSPHRASE_KEY_FILE, &wrapped)
    }

    /// Wrap the key for a new recovery public key of the bureau (`age1...`),
    /// replacing the old recovery wrap.
    pub fn set_recovery_recipient(&mut self, recovery_recipient: &str) -> Result<(), VaultError> {
        let recipient = keys::parse_recipient(recovery_recipient)?;
        let wrapped = keys::wrap_for_recipient(&self.key, &recipient)?;
        files::write_atomic(&self.dir, RECOVERY_KEY_FILE, &wrapped)?;
        let mut metadata = Metadata::read(&self.dir)?.unwrap_or(Metadata {
            format: FORMAT_VERSION,
            created_at: Utc::now(),
            recovery_recipient: String::new(),
        });
        metadata.recovery_recipient = recipient.to_string();
        metadata.write(&self.dir)
    }

    /// The folder of this vault.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    // ---- idle lock ----------------------------------------------------

    /// Note user activity now. The app calls it on every user command.
    pub fn touch(&mut self) {
        self.touch_at(Utc::now());
    }

    pub fn touch_at(&mut self, now: DateTime<Utc>) {
        self.last_activity = now;
        self.last_activity_mono = Instant::now();
    }

    /// Whether the vault has been unused for the idle timeout at `now`.
    ///
    /// Measured on the wall clock, because the monotonic clock stops while a
    /// laptop sleeps (on Linux) and a vault left open overnight must lock on
    /// wake; and on the monotonic clock too, so setting the wall clock back
    /// does not keep a vault open.
    pub fn is_idle(&self, now: DateTime<Utc>) -> bool {
        let timeout = self.options.idle_timeout;
        let wall = (now - self.last_activity)
            .to_std()
            .is_ok_and(|idle| idle >= timeout);
        wall || self.last_activity_mono.elapsed() >= timeout
    }

    /// When the vault locks if nothing touches it before.
    pub fn locks_at(&self) -> DateTime<Utc> {
        let timeout =
            chrono::Duration::from_std(self.options.idle_timeout).unwrap_or(chrono::Duration::MAX);
        self.last_activity
            .checked_add_signed(timeout)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// For the app's timer: lock and take the vault out of `slot` when it is
    /// idle at `now`. Returns whether it did.
    pub fn lock_if_idle(slot: &mut Option<Vault>, now: DateTime<Utc>) -> Result<bool, VaultError> {
        if !slot.as_ref().is_some_and(|v| v.is_idle(now)) {
            return Ok(false);
        }
        match slot.take() {
            Some(vault) => vault.lock().map(|()| true),
            None => Ok(false),
        }
    }

    // ---- the write path -----------------------------------------------

    /// Apply one change for `user_id`: the record, one outbox operation, one
    /// audit entry and the search index, in one transaction. On any error
    /// nothing is written. See [`crate::write`].
    pub fn apply(&mut self, user_id: Uuid, mutation: Mutation) -> Result<Applied, VaultError> {
        write::apply(&mut self.conn, user_id, mutation, Utc::now())
    }

    /// Apply several changes for `user_id` in one transaction (records that
    /// belong together, or a bulk load): each gets its own outbox operation
    /// and audit entry, and on any error nothing is written. Results are in
    /// the order of `batch`.
    pub fn apply_batch(
        &mut self,
        user_id: Uuid,
        batch: Vec<Mutation>,
    ) -> Result<Vec<Applied>, VaultError> {
        write::apply_batch(&mut self.conn, user_id, batch, Utc::now())
    }

    /// The user this device is enrolled for (`MetaKey::UserId`): the typed
    /// API writes as this user. The nil UUID before enrollment (a vault
    /// made by `veldwerk-cli init`, demo data); cases opened then are left
    /// for the server to assign.
    pub fn user_id(&self) -> Uuid {
        self.user_id
    }

    /// Audit that `user_id` looked at a record (a case detail opened). One
    /// audit entry, no outbox operation. `entity` is a protocol entity name.
    ///
    /// Committed with `synchronous = NORMAL`: it survives the app being
    /// killed (the WAL is in the OS's cache) but not a power loss before the
    /// next change, whose FULL commit makes it durable too. A view changes
    /// nothing, and an fsync per opened case would make browsing slow.
    pub fn record_view(
        &mut self,
        user_id: Uuid,
        entity: &str,
        entity_id: Uuid,
    ) -> Result<(), VaultError> {
        // Cached: `execute_batch` would parse both pragmas on every view.
        self.conn
            .prepare_cached("PRAGMA synchronous = NORMAL")?
            .execute([])?;
        let result = write::record_view(&self.conn, user_id, entity, entity_id, Utc::now());
        let restored = self
            .conn
            .prepare_cached("PRAGMA synchronous = FULL")
            .and_then(|mut s| s.execute([]));
        result?;
        restored?;
        Ok(())
    }

    // ---- queries ------------------------------------------------------

    /// A record by entity and id, as JSON fields; `None` when absent. Not
    /// audited: the screen that shows a record calls [`Vault::record_view`].
    pub fn record(&self, entity: &str, id: Uuid) -> Result<Option<Record>, VaultError> {
        write::record(&self.conn, entity, id)
    }

    /// Search as the user types: every word is a prefix, diacritics do not
    /// matter, best matches first, at most `limit` (capped at
    /// [`search::MAX_RESULTS`]).
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, VaultError> {
        search::search(&self.conn, query, limit)
    }

    /// Every record of `entity` on the device, by id (exports, tests).
    pub fn records(&self, entity: &str) -> Result<Vec<Record>, VaultError> {
        write::records(&self.conn, entity)
    }

    /// The oldest `limit` operations to push, in push order. Operations the
    /// server rejected ([`Vault::rejected_ops`]) and operations of entities
    /// the sync protocol does not know yet (group sessions) are not in it.
    pub fn outbox(&self, limit: usize) -> Result<Vec<Operation>, VaultError> {
        write::outbox(&self.conn, limit)
    }

    /// How many operations the outbox holds, whatever their state (the
    /// "not yet synced" count of the status bar; see
    /// [`Vault::outbox_counts`] for the parts).
    pub fn outbox_len(&self) -> Result<u64, VaultError> {
        write::count(&self.conn, CountedTable::Outbox)
    }

    /// The outbox by state: waiting to be pushed, held, rejected.
    pub fn outbox_counts(&self) -> Result<OutboxCounts, VaultError> {
        remote::outbox_counts(&self.conn)
    }

    /// The oldest `limit` audit entries, in the order they were written.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>, VaultError> {
        write::audit_log(&self.conn, limit)
    }

    pub fn audit_len(&self) -> Result<u64, VaultError> {
        write::count(&self.conn, CountedTable::AuditLog)
    }

    // ---- device state -------------------------------------------------

    pub fn meta(&self, key: MetaKey) -> Result<Option<String>, VaultError> {
        meta::get(&self.conn, key)
    }

    /// Set device state (device and user id after enrollment, sync cursor).
    pub fn set_meta(&mut self, key: MetaKey, value: &str) -> Result<(), VaultError> {
        meta::set(&self.conn, key, value)?;
        if key == MetaKey::UserId {
            self.user_id = Uuid::parse_str(value).unwrap_or_else(|_| Uuid::nil());
        }
        Ok(())
    }

    /// When the last sync succeeded, as recorded by
    /// [`Vault::set_last_sync_at`]; `None` before the first one.
    pub fn last_sync_at(&self) -> Result<Option<DateTime<Utc>>, VaultError> {
        meta::get(&self.conn, MetaKey::LastSyncAt)?
            .map(|text| {
                DateTime::parse_from_rfc3339(&text)
                    .map(|at| at.with_timezone(&Utc))
                    .map_err(|_| VaultError::Corrupt)
            })
            .transpose()
    }

    /// Record that a sync succeeded at `at` (the sync engine calls it).
    pub fn set_last_sync_at(&mut self, at: DateTime<Utc>) -> Result<(), VaultError> {
        let text = at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        meta::set(&self.conn, MetaKey::LastSyncAt, &text)
    }

    /// Move the clock past a stamp pulled from the server, so local changes
    /// made afterwards are stamped later.
    pub fn observe_clock(&mut self, stamp: &Hlc) -> Result<(), VaultError> {
        hlc::observe(&self.conn, stamp, hlc::millis(Utc::now()))
    }

    // ---- maintenance --------------------------------------------------

    /// The schema version (number of the last applied migration).
    pub fn schema_version(&self) -> Result<u32, VaultError> {
        Ok(self.conn.query_row(
            "SELECT coalesce(max(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )?)
    }

    /// The schema version this build brings every vault to.
    pub fn latest_schema_version() -> u32 {
        migrations::latest()
    }

    /// `PRAGMA integrity_check` says `ok`.
    pub fn integrity_check(&self) -> Result<bool, VaultError> {
        let first: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        Ok(first == "ok")
    }

    /// Copy the WAL into the database file and truncate it.
    pub fn checkpoint(&self) -> Result<(), VaultError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}
