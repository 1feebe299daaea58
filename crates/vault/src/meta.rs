//! Device state in the `meta` table: a few named values that are not records
//! and do not sync (device id, user id, clock state, sync cursor, last sync).

use rusqlite::{Connection, OptionalExtension, params};

use crate::VaultError;

/// The keys of the `meta` table that callers may read and set. One place, so
/// no caller invents a key. The clock's own key (`hlc`) is not among
/// them: only the clock module may move it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MetaKey {
    /// This device's id: a random UUID made at creation, replaced by the id
    /// the server assigns at enrollment. The node of every clock stamp.
    DeviceId,
    /// The user this device is enrolled for.
    UserId,
    /// The `next_cursor` of the last pull page applied.
    SyncCursor,
    /// The central server's base URL, from enrollment.
    ServerUrl,
    /// The device's secret for `Authorization: Bearer <device_id>.<secret>`.
    /// A credential: it lives only in the encrypted database.
    DeviceSecret,
    /// The enrolled user's profile (protocol `UserProfile`) as JSON.
    UserProfile,
    /// The bureau's branding (protocol `Branding`) as JSON.
    Branding,
    /// When the last sync succeeded (RFC 3339, UTC), so the status shows it
    /// after a restart too.
    LastSyncAt,
}

impl MetaKey {
    pub fn as_str(self) -> &'static str {
        match self {
            MetaKey::DeviceId => "device_id",
            MetaKey::UserId => "user_id",
            MetaKey::SyncCursor => "sync_cursor",
            MetaKey::ServerUrl => "server_url",
            MetaKey::DeviceSecret => "device_secret",
            MetaKey::UserProfile => "user_profile",
            MetaKey::Branding => "branding",
            MetaKey::LastSyncAt => "last_sync_at",
        }
    }
}

/// The last hybrid logical clock stamp handed out.
pub(crate) const HLC_KEY: &str = "hlc";

pub(crate) fn get(conn: &Connection, key: MetaKey) -> Result<Option<String>, VaultError> {
    get_raw(conn, key.as_str())
}

pub(crate) fn set(conn: &Connection, key: MetaKey, value: &str) -> Result<(), VaultError> {
    set_raw(conn, key.as_str(), value)
}

pub(crate) fn get_raw(conn: &Connection, key: &str) -> Result<Option<String>, VaultError> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// UPDATE, then INSERT when the key is new, rather than an upsert: an
/// upsert runs in a statement savepoint, which makes FTS5 write its pending
/// index to disk when it comes after search updates in the same
/// transaction (the clock is set after every change of the write path).
pub(crate) fn set_raw(conn: &Connection, key: &str, value: &str) -> Result<(), VaultError> {
    let updated = conn
        .prepare_cached("UPDATE meta SET value = ?2 WHERE key = ?1")?
        .execute(params![key, value])?;
    if updated == 0 {
        conn.prepare_cached("INSERT INTO meta (key, value) VALUES (?1, ?2)")?
            .execute(params![key, value])?;
    }
    Ok(())
}
