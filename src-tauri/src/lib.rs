//! The Veldwerk desktop app: a thin Tauri adapter over the crates.
//!
//! Commands take state, call a crate and convert the error into a
//! [`error::CommandError`]; no SQL, cryptography or rules live here. The
//! TypeScript types the UI uses are generated from this crate's types (see
//! [`bindings`]) and checked to be up to date by a test.
//!
//! - [`commands`]: everything the UI can call.
//! - [`state`]: the vault slot, the sync runner, auto-lock, the print folder.
//! - [`views`]: the types the screens receive and send.
//! - [`error`]: `{ code, message }` in Dutch.
//! - [`platform`]: data folder, opening a PDF.

pub mod bindings;
pub mod commands;
pub mod error;
pub mod platform;
pub mod state;
pub mod views;

use std::process::ExitCode;
use std::time::Duration;

use tauri::Manager;

/// How often the idle clock is checked; the lock comes at most this late.
const IDLE_CHECK: Duration = Duration::from_secs(5);

/// Starts the app and blocks until its last window closes.
pub fn run() -> ExitCode {
    veldwerk_sync::install_crypto_provider();
    let result = tauri::Builder::default()
        .setup(|app| {
            let handle = app.handle().clone();
            let data_dir = platform::data_dir(&handle)?;
            app.manage(state::AppState::new(data_dir));
            tauri::async_runtime::spawn(async move {
                loop {
                    tokio::time::sleep(IDLE_CHECK).await;
                    let state = handle.state::<state::AppState>();
                    state.lock_if_idle(&handle).await;
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::session::app_info,
            commands::session::session,
            commands::session::enroll,
            commands::session::unlock,
            commands::session::lock,
            commands::session::touch,
            commands::caseload::today,
            commands::caseload::caseload_options,
            commands::caseload::caseload,
            commands::caseload::case_detail,
            commands::fieldwork::home_visit_form,
            commands::fieldwork::home_visit_preview,
            commands::fieldwork::record_home_visit,
            commands::fieldwork::close_options,
            commands::fieldwork::close_case,
            commands::letters::letter_templates,
            commands::letters::print_letter,
            commands::letters::print_letters,
            commands::letters::print_cards,
            commands::letters::open_document,
            commands::spreekuur::spreekuur_day,
            commands::spreekuur::find_youth,
            commands::spreekuur::record_conversation,
            commands::spreekuur::add_walk_in,
            commands::spreekuur::record_group_session,
            commands::outreach::outreach,
            commands::outreach::start_outreach,
            commands::outreach::stop_outreach,
            commands::sync::sync_status,
            commands::sync::sync_now,
            commands::sync::conflicts,
            commands::sync::resolve_conflict,
            commands::settings::settings,
            commands::settings::set_lock_timeout,
            commands::settings::set_server_url,
            commands::settings::change_passphrase,
        ])
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
