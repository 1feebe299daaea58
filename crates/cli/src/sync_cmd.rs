//! `enroll` and `sync`: drive a device headlessly against the central server,
//! for the office and for tests. Errors are the sync engine's plain Dutch
//! messages; they carry no personal data.

use std::path::Path;

use anyhow::{Context, Result, anyhow};
use serde_json::json;
use veldwerk_sync::{SyncError, VaultHandle, client_for, enroll, sync_once};
use veldwerk_vault::Vault;

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("Synchronisatie: kon niet starten")
}

/// A sync error as one line: the Dutch message the app would show.
fn sync_error(error: SyncError) -> anyhow::Error {
    anyhow!("{}", error.message_nl())
}

/// Enrolls the device in `dir` (creating the vault when there is none).
pub fn run_enroll(
    dir: &Path,
    server: &str,
    code: &str,
    device_name: &str,
    passphrase: &veldwerk_vault::Passphrase,
    json: bool,
) -> Result<()> {
    let enrolled = runtime()?
        .block_on(enroll(dir, server, code, device_name, passphrase))
        .map_err(sync_error)?;
    let device_id = enrolled.device_id;
    let created = enrolled.created_vault;
    enrolled.vault.lock()?;
    if json {
        crate::print_json(&json!({"device_id": device_id, "created_vault": created}))?;
    } else {
        println!("Aangemeld als apparaat {device_id}");
    }
    Ok(())
}

/// One sync: push the outbox, pull what changed, apply purges and conflicts.
pub fn run_sync(vault: Vault, json: bool) -> Result<()> {
    let client = client_for(&vault, &Default::default()).map_err(sync_error)?;
    let handle = VaultHandle::new(vault);
    let result = runtime()?.block_on(sync_once(&handle, &client));
    // A revoked device's vault is already wiped; otherwise lock it again.
    if let Some(vault) = handle.take() {
        vault.lock()?;
    }
    let summary = result.map_err(sync_error)?;
    if json {
        crate::print_json(&json!({
            "pushed": summary.pushed,
            "rejected": summary.rejected,
            "pulled": summary.pulled,
            "purged": summary.purged,
            "conflicts": summary.conflicts,
            "full_resync": summary.full_resync,
        }))?;
    } else {
        println!(
            "Verstuurd: {}, ontvangen: {}, verwijderd: {}, conflicten: {}",
            summary.pushed, summary.pulled, summary.purged, summary.conflicts
        );
    }
    Ok(())
}
