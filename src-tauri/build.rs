//! Runs tauri-build with an app manifest that lists every command, so each needs
//! an explicit permission in `capabilities/` (nothing is allowed by default).

fn main() {
    // Keep in step with `generate_handler!` in lib.rs and `capabilities/default.json`.
    let manifest = tauri_build::AppManifest::new().commands(&[
        "app_info",
        "session",
        "enroll",
        "unlock",
        "lock",
        "touch",
        "today",
        "caseload_options",
        "caseload",
        "case_detail",
        "home_visit_form",
        "home_visit_preview",
        "record_home_visit",
        "close_options",
        "close_case",
        "letter_templates",
        "print_letter",
        "print_letters",
        "print_cards",
        "open_document",
        "spreekuur_day",
        "find_youth",
        "record_conversation",
        "add_walk_in",
        "record_group_session",
        "outreach",
        "start_outreach",
        "stop_outreach",
        "sync_status",
        "sync_now",
        "conflicts",
        "resolve_conflict",
        "settings",
        "set_lock_timeout",
        "set_server_url",
        "change_passphrase",
    ]);
    // The app embeds the built UI (`frontendDist`) at compile time, but
    // nothing tells cargo so: without this, a rebuilt `ui/dist` (`npm run
    // build`) left an older UI inside the next app build.
    println!("cargo:rerun-if-changed=../ui/dist");
    if let Err(error) =
        tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
    {
        // A build script reports failure by panicking; there is no other channel.
        panic!("tauri-build failed: {error:#}");
    }
}
