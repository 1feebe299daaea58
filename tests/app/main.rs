//! WebDriver tests of the real Veldwerk app binary under Xvfb. They need a
//! display, tauri-driver and WebKitWebDriver, so they are `#[ignore]`d in a
//! plain `cargo test` and run by `cargo xtask e2e` (part of `cargo xtask test`).

use anyhow::Result;
use veldwerk_e2e::webdriver::Driver;
use veldwerk_e2e::{artifacts_dir, env_path};

/// The PNG signature; a screenshot without it is not an image.
const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

#[test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run with `cargo xtask e2e`"]
fn first_start_shows_the_enrollment_screen_with_the_app_name() -> Result<()> {
    let app = env_path("VELDWERK_APP_BIN")?;
    let driver_bin = env_path("VELDWERK_TAURI_DRIVER")?;
    let data = tempfile::tempdir()?;
    let driver = Driver::start(&driver_bin, &[("VELDWERK_DATA_DIR", data.path())])?;
    let session = driver.session(&app)?;

    assert_eq!(session.text_of("h1")?, "Veldwerk");
    // A fresh data folder has no vault: the enrollment panel, not the unlock one.
    let panel = session.text_of("main h2")?;
    assert!(
        panel.contains("Aanmelden"),
        "expected the enrollment panel, got {panel:?}"
    );

    let shot = artifacts_dir()?.join("01-eerste-start.png");
    let size = session.screenshot(&shot)?;
    let bytes = std::fs::read(&shot)?;
    assert!(bytes.starts_with(PNG_MAGIC), "screenshot is not a PNG");
    // A rendered window compresses to far more than a blank one (a few hundred bytes).
    assert!(size > 5_000, "screenshot of {size} bytes looks blank");
    Ok(())
}
