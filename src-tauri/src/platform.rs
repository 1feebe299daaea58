//! Platform specifics, kept in one place. Veldwerk's users mostly run Windows:
//! every path goes through the OS's own data directory (resolved by Tauri),
//! never a hard-coded Unix path.

use crate::error::CommandError;
use std::path::PathBuf;
use tauri::Manager;

/// Overrides the data directory; tests and `cargo xtask run` use it to keep a
/// vault in a folder of their own.
pub const DATA_DIR_ENV: &str = "VELDWERK_DATA_DIR";

/// The folder that holds this device's vault.
pub fn vault_dir(app: &tauri::AppHandle) -> Result<PathBuf, CommandError> {
    let base = match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => app
            .path()
            .app_data_dir()
            .map_err(|_| CommandError::internal())?,
    };
    Ok(base.join("vault"))
}
