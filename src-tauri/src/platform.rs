//! Platform specifics, kept in one place. Veldwerk's users mostly run Windows:
//! every path goes through the OS's own data directory (resolved by Tauri),
//! never a hard-coded Unix path.

use crate::error::CommandError;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use tauri::Manager;

/// Overrides the data directory; tests and `cargo xtask run` use it to keep a
/// vault in a folder of their own.
pub const DATA_DIR_ENV: &str = "VELDWERK_DATA_DIR";

/// Overrides the program that opens a printed PDF (tests set a program that
/// does nothing; a kiosk could set its own viewer).
pub const PDF_VIEWER_ENV: &str = "VELDWERK_PDF_VIEWER";

/// The folder of this device's data: the vault in `vault/`, and
/// `settings.json`.
pub fn data_dir(app: &tauri::AppHandle) -> Result<PathBuf, CommandError> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => app
            .path()
            .app_data_dir()
            .map_err(|_| CommandError::internal()),
    }
}

/// Opens `path` with the system's PDF viewer, without waiting for it.
pub fn open_document(path: &Path) -> Result<(), CommandError> {
    let mut command = match std::env::var_os(PDF_VIEWER_ENV) {
        Some(viewer) if !viewer.is_empty() => {
            let mut c = Command::new(viewer);
            c.arg(path);
            c
        }
        _ if cfg!(target_os = "windows") => {
            let mut c = Command::new("explorer");
            c.arg(path);
            c
        }
        _ if cfg!(target_os = "macos") => {
            let mut c = Command::new("open");
            c.arg(path);
            c
        }
        _ => {
            let mut c = Command::new("xdg-open");
            c.arg(path);
            c
        }
    };
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(drop)
        .map_err(|_| {
            CommandError::new(
                crate::error::ErrorCode::Internal,
                "De PDF is gemaakt, maar kon niet worden geopend. Is er een PDF-lezer geïnstalleerd?",
            )
        })
}
