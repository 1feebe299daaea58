//! The Veldwerk desktop app: a thin Tauri adapter over the crates.
//!
//! Commands take state, call a crate and convert the error into a
//! [`error::CommandError`]; no SQL, cryptography or rules live here. The
//! TypeScript types the UI uses are generated from this crate's types (see
//! [`bindings`]) and checked to be up to date by a test.

pub mod bindings;
mod commands;
pub mod error;
pub mod platform;

use std::process::ExitCode;

/// Starts the app and blocks until its last window closes.
pub fn run() -> ExitCode {
    let result = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![commands::app_info])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Only the error kind: the message carries no personal data at start-up.
            eprintln!("Veldwerk kon niet starten: {error}");
            ExitCode::FAILURE
        }
    }
}
