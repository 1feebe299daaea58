//! Starting a session: what the first screen shows, enrolling this device,
//! unlocking and locking the vault, and noting activity for auto-lock.

use tauri::{AppHandle, State};
use veldwerk_vault::{Passphrase, Vault};

use super::current_user;
use crate::error::CommandError;
use crate::state::{AppState, LockReason};
use crate::views::{AppInfo, EnrollRequest, Session, coded};

/// The passphrase rule: at least this many characters. Long beats complex:
/// four ordinary words pass, and are easy to type on a doorstep.
pub const MIN_PASSPHRASE_LENGTH: usize = 12;

/// Checks a new passphrase against the rule.
pub fn check_new_passphrase(passphrase: &str) -> Result<(), CommandError> {
    if passphrase.chars().count() < MIN_PASSPHRASE_LENGTH {
        return Err(CommandError::invalid(format!(
            "Kies een wachtwoordzin van minstens {MIN_PASSPHRASE_LENGTH} tekens, bijvoorbeeld vier woorden met spaties ertussen."
        )));
    }
    Ok(())
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, CommandError> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        vault_exists: veldwerk_vault::exists(&state.vault_dir()),
        unlocked: state.vault.is_unlocked(),
        min_passphrase_length: MIN_PASSPHRASE_LENGTH as u32,
    })
}

/// Who is working, for the header.
pub fn session_of(vault: &Vault, state: &AppState) -> Result<Session, CommandError> {
    let user = current_user(vault)?;
    Ok(Session {
        user_name: user.as_ref().map(|u| u.name.clone()).unwrap_or_default(),
        role: user.as_ref().map(|u| coded!(u.role)),
        boa: user.as_ref().is_some_and(|u| u.is_enforcing_boa()),
        enrolled: user.is_some(),
        lock_timeout_minutes: state.settings().lock_timeout_minutes,
    })
}

#[tauri::command]
pub async fn session(state: State<'_, AppState>) -> Result<Session, CommandError> {
    state.with_vault(|v| session_of(v, &state))
}

#[tauri::command]
pub async fn enroll(
    app: AppHandle,
    state: State<'_, AppState>,
    request: EnrollRequest,
) -> Result<Session, CommandError> {
    let url = request.server_url.trim();
    if url.is_empty() {
        return Err(CommandError::invalid(
            "Vul het adres van de server in. U krijgt het van uw bureau.",
        ));
    }
    let code = request.code.trim();
    if code.is_empty() {
        return Err(CommandError::invalid(
            "Vul de eenmalige code in die u van uw bureau kreeg.",
        ));
    }
    let device_name = match request.device_name.trim() {
        "" => "Laptop",
        name => name,
    };
    check_new_passphrase(&request.passphrase.0)?;
    let passphrase = Passphrase::new(request.passphrase.0);
    let enrolled =
        veldwerk_sync::enroll(&state.vault_dir(), url, code, device_name, &passphrase).await?;
    state.opened(&app, enrolled.vault);
    state.with_vault(|v| session_of(v, &state))
}

#[tauri::command]
pub async fn unlock(
    app: AppHandle,
    state: State<'_, AppState>,
    passphrase: String,
) -> Result<Session, CommandError> {
    if passphrase.is_empty() {
        return Err(CommandError::invalid("Vul uw wachtwoordzin in."));
    }
    let dir = state.vault_dir();
    let passphrase = Passphrase::new(passphrase);
    // Unwrapping the key takes about a second (scrypt): off the async threads.
    let vault = tauri::async_runtime::spawn_blocking(move || Vault::unlock(&dir, &passphrase))
        .await
        .map_err(|_| CommandError::internal())??;
    state.opened(&app, vault);
    state.with_vault(|v| session_of(v, &state))
}

#[tauri::command]
pub async fn lock(app: AppHandle, state: State<'_, AppState>) -> Result<(), CommandError> {
    state.lock(&app, LockReason::User).await
}

/// The user typed or clicked: the lock timeout starts again.
#[tauri::command]
pub async fn touch(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.touch();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passphrase_of_eleven_characters_is_refused_and_twelve_accepted() {
        assert!(check_new_passphrase("kort wachtw").is_err());
        assert!(check_new_passphrase("paard nietje").is_ok());
    }

    #[test]
    fn the_rule_counts_characters_not_bytes() {
        // 11 characters, 13 bytes.
        assert!(check_new_passphrase("ëëëëëëëëëëë").is_err());
    }
}
