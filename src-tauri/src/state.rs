//! The app's shared state: the one vault slot (shared with the sync engine),
//! the background sync runner while unlocked, the private print folder, the
//! idle clock for auto-lock, and the device settings file.
//!
//! Locking ends everything that holds personal data in memory or in temp
//! files: the runner stops, the vault closes and its key is wiped, printed
//! PDFs are deleted. The UI learns of it through the [`LOCKED_EVENT`].

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter};
use ts_rs::TS;
use veldwerk_print::{Printer, PrivateTempDir};
use veldwerk_sync::{
    ClientOptions, RunnerOptions, SyncEngine, SyncRunner, SyncState, SyncStatus, VaultHandle,
    client_for,
};
use veldwerk_vault::Vault;

use crate::error::CommandError;

/// Emitted when the vault locks (by the user, after the idle timeout, or
/// because the bureau revoked the device); payload [`LockedEvent`].
pub const LOCKED_EVENT: &str = "vault-locked";
/// Emitted on every change of the sync status; payload [`SyncOverview`].
pub const SYNC_EVENT: &str = "sync-status";

/// Why the vault locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum LockReason {
    /// The user chose "Vergrendel nu".
    User,
    /// Nobody used the app for the lock timeout.
    Idle,
    /// The bureau revoked this device; its vault was wiped.
    Wiped,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LockedEvent {
    pub reason: LockReason,
}

/// The sync state for the status corner: whether this device is enrolled
/// (an unenrolled vault never syncs) and the runner's status.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncOverview {
    pub enrolled: bool,
    pub status: SyncStatus,
}

/// Device settings that are not personal data, kept next to the vault in
/// `settings.json`. The field names are the file format: add, do not rename.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeviceSettings {
    pub lock_timeout_minutes: u32,
}

impl Default for DeviceSettings {
    fn default() -> Self {
        Self {
            lock_timeout_minutes: 10,
        }
    }
}

/// The lock timeouts a user may choose, in minutes.
pub const LOCK_TIMEOUT_CHOICES: [u32; 5] = [2, 5, 10, 15, 30];

const SETTINGS_FILE: &str = "settings.json";

impl DeviceSettings {
    fn load(data_dir: &Path) -> Self {
        std::fs::read(data_dir.join(SETTINGS_FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    fn save(&self, data_dir: &Path) -> Result<(), CommandError> {
        std::fs::create_dir_all(data_dir).map_err(|_| CommandError::internal())?;
        let bytes = serde_json::to_vec_pretty(self).map_err(|_| CommandError::internal())?;
        let tmp = data_dir.join(format!("{SETTINGS_FILE}.tmp"));
        std::fs::write(&tmp, bytes).map_err(|_| CommandError::internal())?;
        std::fs::rename(&tmp, data_dir.join(SETTINGS_FILE)).map_err(|_| CommandError::internal())
    }
}

struct Activity {
    /// Wall clock: a laptop that slept past the timeout locks on wake.
    wall: DateTime<Utc>,
    /// Monotonic clock: setting the wall clock back keeps nothing open.
    mono: Instant,
}

pub struct AppState {
    pub vault: VaultHandle,
    data_dir: PathBuf,
    runner: Mutex<Option<SyncRunner>>,
    print_dir: Mutex<Option<PrivateTempDir>>,
    /// Built at the first print (fonts, templates), for one server address.
    printer: Mutex<Option<(String, Arc<Printer>)>>,
    activity: Mutex<Activity>,
    settings: Mutex<DeviceSettings>,
}

fn guard<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AppState {
    pub fn new(data_dir: PathBuf) -> Self {
        let settings = DeviceSettings::load(&data_dir);
        Self {
            vault: VaultHandle::empty(),
            data_dir,
            runner: Mutex::new(None),
            print_dir: Mutex::new(None),
            printer: Mutex::new(None),
            activity: Mutex::new(Activity {
                wall: Utc::now(),
                mono: Instant::now(),
            }),
            settings: Mutex::new(settings),
        }
    }

    /// The folder that holds the vault.
    pub fn vault_dir(&self) -> PathBuf {
        self.data_dir.join("vault")
    }

    /// Runs `f` on the unlocked vault and notes the user's activity;
    /// [`CommandError::locked`] when it is locked.
    pub fn with_vault<R>(
        &self,
        f: impl FnOnce(&mut Vault) -> Result<R, CommandError>,
    ) -> Result<R, CommandError> {
        self.touch();
        self.peek_vault(f)
    }

    /// Like [`AppState::with_vault`] for what the app reads on its own (a
    /// timer's refresh), which is not the user's activity: it must not keep
    /// the vault from locking when the user is away.
    pub fn peek_vault<R>(
        &self,
        f: impl FnOnce(&mut Vault) -> Result<R, CommandError>,
    ) -> Result<R, CommandError> {
        self.vault.with(f).map_err(|_| CommandError::locked())?
    }

    /// Like [`AppState::with_vault`] for a change: the runner syncs it soon.
    pub fn change_vault<R>(
        &self,
        f: impl FnOnce(&mut Vault) -> Result<R, CommandError>,
    ) -> Result<R, CommandError> {
        let result = self.with_vault(f)?;
        if let Some(runner) = guard(&self.runner).as_ref() {
            runner.local_change();
        }
        Ok(result)
    }

    /// The user did something: the idle clock starts again.
    pub fn touch(&self) {
        *guard(&self.activity) = Activity {
            wall: Utc::now(),
            mono: Instant::now(),
        };
    }

    pub fn settings(&self) -> DeviceSettings {
        guard(&self.settings).clone()
    }

    pub fn set_lock_timeout(&self, minutes: u32) -> Result<(), CommandError> {
        if !LOCK_TIMEOUT_CHOICES.contains(&minutes) {
            return Err(CommandError::invalid("Kies een van de tijden in de lijst."));
        }
        let mut settings = guard(&self.settings);
        let new = DeviceSettings {
            lock_timeout_minutes: minutes,
        };
        new.save(&self.data_dir)?;
        *settings = new;
        Ok(())
    }

    fn idle(&self) -> bool {
        let timeout = Duration::from_secs(u64::from(self.settings().lock_timeout_minutes) * 60);
        let activity = guard(&self.activity);
        let wall = (Utc::now() - activity.wall)
            .to_std()
            .is_ok_and(|idle| idle >= timeout);
        wall || activity.mono.elapsed() >= timeout
    }

    /// After unlock or enrollment: put the vault in the slot and start the
    /// background sync when the vault is enrolled (no network wait here).
    pub fn opened(&self, app: &AppHandle, vault: Vault) {
        let client = client_for(&vault, &ClientOptions::default()).ok();
        self.vault.put(vault);
        self.touch();
        if let Some(client) = client {
            let engine = SyncEngine::new(self.vault.clone(), client);
            let runtime = tauri::async_runtime::handle();
            let runner = SyncRunner::start(runtime.inner(), engine, RunnerOptions::default());
            let mut updates = runner.subscribe();
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                while updates.changed().await.is_ok() {
                    let status = updates.borrow_and_update().clone();
                    let wiped = status.state == SyncState::Wiped;
                    let _ = app.emit(
                        SYNC_EVENT,
                        SyncOverview {
                            enrolled: true,
                            status,
                        },
                    );
                    if wiped {
                        let _ = app.emit(
                            LOCKED_EVENT,
                            LockedEvent {
                                reason: LockReason::Wiped,
                            },
                        );
                    }
                }
            });
            if let Some(old) = guard(&self.runner).replace(runner) {
                tauri::async_runtime::spawn(async move { old.stop().await });
            }
        }
    }

    pub fn runner(&self) -> Option<SyncRunner> {
        guard(&self.runner).clone()
    }

    /// Stops the runner, closes the vault, wipes printed PDFs, and tells the UI.
    pub async fn lock(&self, app: &AppHandle, reason: LockReason) -> Result<(), CommandError> {
        let runner = guard(&self.runner).take();
        if let Some(runner) = runner {
            runner.stop().await;
        }
        self.wipe_prints();
        let closed = match self.vault.take() {
            Some(vault) => vault.lock().map_err(CommandError::from),
            None => Ok(()),
        };
        let _ = app.emit(LOCKED_EVENT, LockedEvent { reason });
        closed
    }

    /// Locks when the vault is open and the user has been idle too long.
    pub async fn lock_if_idle(&self, app: &AppHandle) {
        if self.vault.is_unlocked() && self.idle() {
            let _ = self.lock(app, LockReason::Idle).await;
        }
    }

    /// The private folder for printed PDFs, made when first needed.
    pub fn print_dir<R>(
        &self,
        f: impl FnOnce(&PrivateTempDir) -> Result<R, CommandError>,
    ) -> Result<R, CommandError> {
        let mut slot = guard(&self.print_dir);
        if slot.is_none() {
            *slot = Some(PrivateTempDir::new()?);
        }
        match slot.as_ref() {
            Some(dir) => f(dir),
            None => Err(CommandError::internal()),
        }
    }

    /// Whether `path` is a PDF this session printed (only those may be opened).
    pub fn is_printed(&self, path: &Path) -> bool {
        guard(&self.print_dir).as_ref().is_some_and(|dir| {
            path.parent() == Some(dir.path()) && path.extension().is_some_and(|e| e == "pdf")
        })
    }

    fn wipe_prints(&self) {
        if let Some(dir) = guard(&self.print_dir).take() {
            let _ = dir.wipe();
        }
    }

    /// The cached printer for `key` (what it was built from: server
    /// address and branding), built anew when the key changed.
    pub fn printer(
        &self,
        key: &str,
        build: impl FnOnce() -> Result<Printer, CommandError>,
    ) -> Result<Arc<Printer>, CommandError> {
        let mut slot = guard(&self.printer);
        if let Some((url, printer)) = slot.as_ref()
            && url == key
        {
            return Ok(printer.clone());
        }
        let printer = Arc::new(build()?);
        *slot = Some((key.to_owned(), printer.clone()));
        Ok(printer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_app_untouched_for_the_lock_timeout_is_idle_and_a_touch_starts_the_clock_again()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let state = AppState::new(dir.path().to_owned());
        assert!(!state.idle());
        // A laptop that slept for eleven minutes: the wall clock moved on.
        guard(&state.activity).wall = Utc::now() - chrono::Duration::minutes(11);
        assert!(state.idle());
        state.touch();
        assert!(!state.idle());
        Ok(())
    }

    #[test]
    fn the_lock_timeout_is_kept_next_to_the_vault_and_only_listed_choices_are_accepted()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let state = AppState::new(dir.path().to_owned());
        assert_eq!(state.settings().lock_timeout_minutes, 10);
        state.set_lock_timeout(5)?;
        assert!(state.set_lock_timeout(7).is_err());
        let again = AppState::new(dir.path().to_owned());
        assert_eq!(again.settings().lock_timeout_minutes, 5);
        Ok(())
    }
}
