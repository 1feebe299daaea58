//! The commands the UI calls. Each is a few lines: take state, call a crate,
//! convert the error.

use crate::error::CommandError;
use crate::platform;
use serde::Serialize;
use ts_rs::TS;

/// What the first screen needs to know: which version runs and whether this
/// device already has a vault (unlock) or not yet (enroll).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub vault_exists: bool,
}

#[tauri::command]
pub fn app_info(app: tauri::AppHandle) -> Result<AppInfo, CommandError> {
    let dir = platform::vault_dir(&app)?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        vault_exists: veldwerk_vault::exists(&dir),
    })
}
