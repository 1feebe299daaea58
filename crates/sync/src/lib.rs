//! The app's sync engine: pushes the vault's outbox to the central server and
//! pulls the user's caseload back, in the background, surviving bad networks.
//!
//! The protocol is `veldwerk-protocol`'s (see `docs/sync-protocol.md`); the
//! vault's side of it is `veldwerk_vault::remote`. This crate puts the two
//! together and knows nothing of Tauri: the app holds a [`VaultHandle`] and
//! a [`SyncRunner`], the CLI calls [`enroll`](fn@enroll) and [`sync_once`].
//!
//! ```no_run
//! # async fn demo(dir: &std::path::Path) -> Result<(), veldwerk_sync::SyncError> {
//! use veldwerk_sync::{ClientOptions, VaultHandle, client_for, enroll, sync_once};
//! use veldwerk_vault::Passphrase;
//!
//! let pass = Passphrase::new("correct horse battery staple");
//! let enrolled = enroll(dir, "https://veldwerk.bureau.nl", "ABCD-EFGH-JKMN", "laptop", &pass).await?;
//! let client = client_for(&enrolled.vault, &ClientOptions::default())?;
//! let vault = VaultHandle::new(enrolled.vault);
//! let summary = sync_once(&vault, &client).await?;
//! println!("{} pushed, {} pulled", summary.pushed, summary.pulled);
//! # Ok(()) }
//! ```
//!
//! # Modules
//! - [`client`]: HTTP, gzip, credentials, error bodies.
//! - [`enroll`](mod@enroll): enrollment and the device state it stores.
//! - [`engine`]: one sync (push, pull, check, full re-sync, wipe).
//! - [`runner`]: the background runner and its triggers.
//! - [`status`]: what the UI shows.
//! - [`backoff`]: retry delays with jitter.
//! - [`handle`]: the shared vault slot.

pub mod backoff;
pub mod client;
pub mod engine;
pub mod enroll;
mod error;
pub mod handle;
mod local;
pub mod runner;
pub mod status;

pub use client::{Client, ClientOptions, DeviceCredentials, WireBytes, install_crypto_provider};
pub use engine::{SyncEngine, SyncOptions, SyncSummary, sync_once};
pub use enroll::{
    EnrollOptions, Enrolled, client_for, credentials, enroll, enroll_with, refresh_profile,
    stored_branding, stored_profile, stored_user,
};
pub use error::{SyncError, SyncErrorKind};
pub use handle::VaultHandle;
pub use runner::{RunnerOptions, SyncRunner};
pub use status::{StatusError, SyncPhase, SyncProgress, SyncState, SyncStatus};
