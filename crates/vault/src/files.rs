//! The files of a vault directory, and writing them atomically.
//!
//! Every file the vault writes itself (key files, `vault.json`,
//! `backoff.json`) is written to a temporary file in the same directory,
//! flushed to disk, then renamed over the old one: a crash leaves either the
//! old file or the new one, never half of either. The database files are
//! SQLite's business.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::VaultError;

/// The encrypted database (SQLCipher 4); SQLite keeps `-wal` and `-shm`
/// files beside it while it is open.
pub const DATABASE_FILE: &str = "vault.db";
/// The database key wrapped with age for the user's passphrase (scrypt).
pub const PASSPHRASE_KEY_FILE: &str = "key.passphrase.age";
/// The database key wrapped with age for the bureau's recovery key (X25519).
pub const RECOVERY_KEY_FILE: &str = "key.recovery.age";
/// Failed unlocks and the time before which no unlock is tried.
pub const BACKOFF_FILE: &str = "backoff.json";
/// Non-secret facts: format version, creation time, recovery recipient.
pub const METADATA_FILE: &str = "vault.json";

/// Files SQLite may leave beside the database.
pub(crate) const DATABASE_SIDE_FILES: [&str; 3] =
    ["vault.db-wal", "vault.db-shm", "vault.db-journal"];

/// The layout and key-wrapping scheme this build writes. Raise it when
/// either changes; an older build then refuses the vault instead of
/// misreading it.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// `vault.json`. Serialized to disk: change its shape only together with
/// [`FORMAT_VERSION`].
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Metadata {
    pub format: u32,
    pub created_at: DateTime<Utc>,
    /// The bureau's public recovery key the key is wrapped for (`age1...`).
    pub recovery_recipient: String,
}

impl Metadata {
    pub(crate) fn write(&self, dir: &Path) -> Result<(), VaultError> {
        let json = serde_json::to_vec_pretty(self).map_err(|source| VaultError::Metadata {
            file: METADATA_FILE,
            source,
        })?;
        write_atomic(dir, METADATA_FILE, &json)
    }

    /// The metadata, or `None` when the file is missing (it holds nothing
    /// needed to open the vault).
    pub(crate) fn read(dir: &Path) -> Result<Option<Metadata>, VaultError> {
        let Some(bytes) = read_optional(dir, METADATA_FILE)? else {
            return Ok(None);
        };
        let meta: Metadata =
            serde_json::from_slice(&bytes).map_err(|source| VaultError::Metadata {
                file: METADATA_FILE,
                source,
            })?;
        if meta.format > FORMAT_VERSION {
            return Err(VaultError::FormatTooNew {
                found: meta.format,
                known: FORMAT_VERSION,
            });
        }
        Ok(Some(meta))
    }
}

pub(crate) fn read(dir: &Path, name: &'static str) -> Result<Vec<u8>, VaultError> {
    fs::read(dir.join(name)).map_err(|source| VaultError::Io { file: name, source })
}

pub(crate) fn read_optional(dir: &Path, name: &'static str) -> Result<Option<Vec<u8>>, VaultError> {
    match fs::read(dir.join(name)) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(VaultError::Io { file: name, source }),
    }
}

pub(crate) fn remove_if_present(dir: &Path, name: &'static str) -> Result<(), VaultError> {
    match fs::remove_file(dir.join(name)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(VaultError::Io { file: name, source }),
    }
}

/// Delete every file of the vault in `dir`: the key files first (without
/// them the database is unreadable, even if deleting it fails half way),
/// then the database and its side files, then the rest. Files that are
/// already gone are fine; the folder itself stays.
pub(crate) fn wipe(dir: &Path) -> Result<(), VaultError> {
    for name in [PASSPHRASE_KEY_FILE, RECOVERY_KEY_FILE, DATABASE_FILE] {
        remove_if_present(dir, name)?;
    }
    for side in DATABASE_SIDE_FILES {
        remove_if_present(dir, side)?;
    }
    for name in [METADATA_FILE, BACKOFF_FILE] {
        remove_if_present(dir, name)?;
    }
    sync_dir(dir).map_err(|source| VaultError::Io {
        file: "vault folder",
        source,
    })
}

/// Replace `dir/name` with `bytes`: temp file in the same directory, fsync,
/// rename, fsync of the directory where the platform has one.
pub(crate) fn write_atomic(dir: &Path, name: &'static str, bytes: &[u8]) -> Result<(), VaultError> {
    let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::now_v7().simple()));
    let result = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, dir.join(name))?;
        sync_dir(dir)
    })();
    if result.is_err() {
        // Best effort: the temp file holds only what the target would have.
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(|source| VaultError::Io { file: name, source })
}

/// Make a rename durable. On Unix that takes an fsync of the directory.
/// Windows has no directory handle to flush: NTFS journals the rename
/// (`MoveFileExW` with `MOVEFILE_REPLACE_EXISTING`, what `fs::rename` uses).
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_atomic_write_replaces_the_file_and_leaves_no_temp_file() -> Result<(), VaultError> {
        let dir = tempfile::tempdir().map_err(|source| VaultError::Io {
            file: "test dir",
            source,
        })?;
        write_atomic(dir.path(), BACKOFF_FILE, b"one")?;
        write_atomic(dir.path(), BACKOFF_FILE, b"two")?;
        assert_eq!(read(dir.path(), BACKOFF_FILE)?, b"two");
        let names: Vec<_> = fs::read_dir(dir.path())
            .map_err(|source| VaultError::Io {
                file: "test dir",
                source,
            })?
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        assert_eq!(names, [BACKOFF_FILE]);
        Ok(())
    }

    #[test]
    fn metadata_of_a_newer_format_is_refused() -> Result<(), VaultError> {
        let dir = tempfile::tempdir().map_err(|source| VaultError::Io {
            file: "test dir",
            source,
        })?;
        assert!(Metadata::read(dir.path())?.is_none());
        Metadata {
            format: FORMAT_VERSION + 1,
            created_at: Utc::now(),
            recovery_recipient: "age1x".into(),
        }
        .write(dir.path())?;
        assert!(matches!(
            Metadata::read(dir.path()),
            Err(VaultError::FormatTooNew { .. })
        ));
        Ok(())
    }
}
