//! End-to-end tests of the real app: a virtual display (Xvfb) of our own, the
//! app binary, and the WebDriver tests in `tests/` driving it through
//! tauri-driver and WebKitWebDriver.

use crate::cmd;
use crate::setup;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn run_tests(root: &Path) -> Result<()> {
    // Build the app binary with the same feature set as `cargo test
    // --workspace` (dev-dependencies unify features across the workspace), so
    // after the Rust tests this reuses their artifacts instead of rebuilding
    // Tauri with a different feature set.
    cmd::run(cmd::cargo().args(["build", "--locked", "--workspace", "--all-targets"]))?;
    let display = VirtualDisplay::start()?;
    let app = root
        .join("target/debug")
        .join(format!("veldwerk{}", std::env::consts::EXE_SUFFIX));
    let artifacts = root.join("target/e2e");
    std::fs::create_dir_all(&artifacts)?;
    let result = cmd::run(
        cmd::cargo()
            .args([
                "test",
                "--locked",
                "--package",
                "veldwerk-e2e",
                "--test",
                "app",
                "--",
                "--ignored",
                "--test-threads=1",
            ])
            .env("DISPLAY", display.name())
            .env("VELDWERK_APP_BIN", &app)
            .env("VELDWERK_TAURI_DRIVER", setup::tauri_driver_path(root))
            .env("VELDWERK_E2E_ARTIFACTS", &artifacts),
    );
    drop(display);
    result?;
    println!("Screenshots: {}", artifacts.display());
    Ok(())
}

/// An Xvfb server on a free display number, stopped on drop.
pub struct VirtualDisplay {
    number: u32,
    child: Child,
}

impl VirtualDisplay {
    pub fn start() -> Result<Self> {
        let number = (90..400)
            .find(|n| !lock_file(*n).exists() && !socket(*n).exists())
            .context("no free X display number between :90 and :399")?;
        let child = Command::new("Xvfb")
            .arg(format!(":{number}"))
            .args(["-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("could not start Xvfb (is the xvfb package installed?)")?;
        let mut display = Self { number, child };
        // Xvfb is ready once its socket exists; poll for it rather than guessing a delay.
        let deadline = Instant::now() + Duration::from_secs(20);
        while !socket(number).exists() {
            if let Some(status) = display.child.try_wait()? {
                bail!("Xvfb exited before it was ready ({status})");
            }
            if Instant::now() > deadline {
                bail!("Xvfb did not become ready within 20 s");
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        println!("Virtual display {} is up.", display.name());
        Ok(display)
    }

    pub fn name(&self) -> String {
        format!(":{}", self.number)
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn lock_file(number: u32) -> PathBuf {
    PathBuf::from(format!("/tmp/.X{number}-lock"))
}

fn socket(number: u32) -> PathBuf {
    PathBuf::from(format!("/tmp/.X11-unix/X{number}"))
}
