//! Runs tauri-build with an app manifest that lists every command, so each needs
//! an explicit permission in `capabilities/` (nothing is allowed by default).

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&["app_info"]);
    if let Err(error) =
        tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
    {
        // A build script reports failure by panicking; there is no other channel.
        panic!("tauri-build failed: {error:#}");
    }
}
