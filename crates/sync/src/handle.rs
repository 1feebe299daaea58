//! [`VaultHandle`]: the app's one vault slot, shared by the UI's commands
//! and the sync engine.
//!
//! The slot is empty while the vault is locked. Whoever uses the vault holds
//! the mutex for one short piece of work (a user's change, one pull page,
//! one push batch's results) and never across network IO, so a sync in
//! progress and a user working on interleave.

use std::sync::{Arc, Mutex, MutexGuard};

use veldwerk_vault::Vault;

use crate::SyncError;

#[derive(Clone, Default)]
pub struct VaultHandle {
    slot: Arc<Mutex<Option<Vault>>>,
}

impl std::fmt::Debug for VaultHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VaultHandle")
            .field("unlocked", &self.is_unlocked())
            .finish()
    }
}

impl VaultHandle {
    /// A handle holding an unlocked vault.
    pub fn new(vault: Vault) -> VaultHandle {
        VaultHandle {
            slot: Arc::new(Mutex::new(Some(vault))),
        }
    }

    /// An empty handle (the vault is locked, or there is none yet).
    pub fn empty() -> VaultHandle {
        VaultHandle::default()
    }

    /// Put an unlocked vault in the slot, replacing (and dropping) any other.
    pub fn put(&self, vault: Vault) {
        *self.guard() = Some(vault);
    }

    /// Take the vault out (to lock it); the slot is empty afterwards.
    pub fn take(&self) -> Option<Vault> {
        self.guard().take()
    }

    pub fn is_unlocked(&self) -> bool {
        self.guard().is_some()
    }

    /// Run `f` on the vault, holding the lock for exactly that long.
    /// [`SyncError::Locked`] when the slot is empty.
    pub fn with<R>(&self, f: impl FnOnce(&mut Vault) -> R) -> Result<R, SyncError> {
        let mut guard = self.guard();
        let vault = guard.as_mut().ok_or(SyncError::Locked)?;
        Ok(f(vault))
    }

    /// Like [`VaultHandle::with`] on tokio's blocking pool, for work that
    /// takes more than a moment (applying a pull page).
    pub async fn run<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Vault) -> Result<R, SyncError> + Send + 'static,
    ) -> Result<R, SyncError> {
        let handle = self.clone();
        tokio::task::spawn_blocking(move || handle.with(f).and_then(|r| r))
            .await
            .map_err(SyncError::Task)?
    }

    fn guard(&self) -> MutexGuard<'_, Option<Vault>> {
        // A panic while holding the lock leaves the vault as its last
        // transaction left it (SQLite rolled back the rest): still usable.
        self.slot
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
