//! Settings: the lock timeout, the server's address, the passphrase, and
//! what runs (versions).

use tauri::{AppHandle, State};
use veldwerk_vault::{MetaKey, Passphrase, Vault};

use super::current_user;
use super::session::check_new_passphrase;
use crate::error::CommandError;
use crate::state::{AppState, LOCK_TIMEOUT_CHOICES};
use crate::views::{PassphraseChange, Settings, coded};

fn settings_of(v: &Vault, state: &AppState) -> Result<Settings, CommandError> {
    let user = current_user(v)?;
    Ok(Settings {
        lock_timeout_minutes: state.settings().lock_timeout_minutes,
        lock_timeout_choices: LOCK_TIMEOUT_CHOICES.to_vec(),
        server_url: v.meta(MetaKey::ServerUrl)?,
        user_name: user.as_ref().map(|u| u.name.clone()).unwrap_or_default(),
        role: user.as_ref().map(|u| coded!(u.role)),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        protocol_version: veldwerk_protocol::PROTOCOL_VERSION,
        vault_schema: v.schema_version()?,
    })
}

#[tauri::command]
pub async fn settings(state: State<'_, AppState>) -> Result<Settings, CommandError> {
    state.with_vault(|v| settings_of(v, &state))
}

#[tauri::command]
pub async fn set_lock_timeout(
    state: State<'_, AppState>,
    minutes: u32,
) -> Result<Settings, CommandError> {
    state.set_lock_timeout(minutes)?;
    state.with_vault(|v| settings_of(v, &state))
}

/// A new address for the same server (the bureau moved it). The device's
/// credentials stay; the background sync restarts on the new address.
#[tauri::command]
pub async fn set_server_url(
    app: AppHandle,
    state: State<'_, AppState>,
    url: String,
) -> Result<Settings, CommandError> {
    let url = veldwerk_sync::client::parse_server_url(&url)?;
    state.with_vault(|v| {
        if v.meta(MetaKey::ServerUrl)?.is_none() {
            return Err(CommandError::not_allowed(
                "Dit apparaat is niet aangemeld. Meld het aan met een code van uw bureau.",
            ));
        }
        Ok(v.set_meta(MetaKey::ServerUrl, url.as_str().trim_end_matches('/'))?)
    })?;
    // Restart the runner with a client for the new address.
    if let Some(vault) = state.vault.take() {
        if let Some(runner) = state.runner() {
            runner.stop().await;
        }
        state.opened(&app, vault);
    }
    state.with_vault(|v| settings_of(v, &state))
}

#[tauri::command]
pub async fn change_passphrase(
    state: State<'_, AppState>,
    change: PassphraseChange,
) -> Result<(), CommandError> {
    check_new_passphrase(&change.new.0)?;
    let old = Passphrase::new(change.old.0);
    let new = Passphrase::new(change.new.0);
    state.with_vault(|v| Ok(v.change_passphrase(&old, &new)?))
}
