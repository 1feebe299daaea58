//! Installs what a fresh Debian/Ubuntu machine with Rust and Node lacks:
//! system packages (through apt-get, with sudo when not root), the UI's Node
//! packages (`npm ci`) and tauri-driver (through cargo, inside `target/`).
//! Every step first checks whether it is needed, so a warm run does nothing.

use crate::cmd::{self, output, run};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the packages are needed for; tests need more than running the app.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Run,
    Test,
}

/// Debian packages to build and run the app (Tauri 2 on WebKitGTK 4.1).
const BUILD_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libssl-dev",
    "libwebkit2gtk-4.1-dev",
    "libxdo-dev",
];

/// Extra Debian packages for the end-to-end tests: a virtual display and the
/// WebDriver server for WebKitGTK, poppler (pdftotext, pdftoppm) and zbar
/// (zbarimg) to read rendered letters back, and headless Chromium with its
/// WebDriver server to fill in the response form behind a letter's QR code
/// (Chromium also runs the browser tests of the built UI, `npm run
/// test:browser`, through playwright-core).
const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "poppler-utils",
    "zbar-tools",
    "chromium",
    "chromium-driver",
];

/// The tauri-driver version the end-to-end tests use (Tauri 2 line).
const TAURI_DRIVER_VERSION: &str = "2.1.0";

pub fn all(root: &Path, purpose: Purpose) -> Result<()> {
    system_packages(purpose)?;
    node()?;
    npm_ci(root)?;
    if purpose == Purpose::Test {
        tauri_driver(root)?;
    }
    Ok(())
}

fn system_packages(purpose: Purpose) -> Result<()> {
    if !cfg!(target_os = "linux") {
        println!(
            "Not Linux: install the Tauri 2 prerequisites for your OS yourself (see README); continuing."
        );
        return Ok(());
    }
    let mut wanted: Vec<&str> = BUILD_PACKAGES.to_vec();
    if purpose == Purpose::Test {
        wanted.extend_from_slice(TEST_PACKAGES);
    }
    if output(Command::new("dpkg-query").arg("--version")).is_none() {
        println!(
            "No dpkg here (not Debian/Ubuntu). Make sure these are installed, under your distribution's names: {}",
            wanted.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = wanted
        .into_iter()
        .filter(|package| !dpkg_installed(package))
        .collect();
    if missing.is_empty() {
        println!("System packages: all present.");
        return Ok(());
    }
    println!("Installing system packages: {}", missing.join(" "));
    apt(&["update", "-q"])?;
    let mut install = vec!["install", "-y", "-q", "--no-install-recommends"];
    install.extend(missing.iter().copied());
    apt(&install)
}

/// The Debian package with LibreOffice's `soffice` for headless conversion,
/// the print benchmark's baseline (not needed to build, run or test).
const LIBREOFFICE_PACKAGE: &str = "libreoffice-writer-nogui";

/// Installs LibreOffice for `cargo xtask bench` when `soffice` is missing.
/// Never fails: without it the print suite reports no LibreOffice baseline.
pub fn libreoffice() {
    if output(Command::new("soffice").arg("--version")).is_some() {
        println!("LibreOffice: present.");
        return;
    }
    let apt_present =
        cfg!(target_os = "linux") && output(Command::new("dpkg-query").arg("--version")).is_some();
    if !apt_present {
        println!("LibreOffice (soffice) is missing; install it to measure the print baseline.");
        return;
    }
    println!("Installing {LIBREOFFICE_PACKAGE} (the print benchmark's baseline)");
    let installed = apt(&["update", "-q"]).and_then(|()| {
        apt(&[
            "install",
            "-y",
            "-q",
            "--no-install-recommends",
            LIBREOFFICE_PACKAGE,
        ])
    });
    if let Err(error) = installed {
        println!("LibreOffice could not be installed ({error:#}); no print baseline.");
    }
}

fn dpkg_installed(package: &str) -> bool {
    output(Command::new("dpkg-query").args(["-W", "-f=${Status}", package]))
        .is_some_and(|status| status.ends_with("install ok installed"))
}

fn apt(args: &[&str]) -> Result<()> {
    let is_root = output(Command::new("id").arg("-u")).as_deref() == Some("0");
    let mut command = if is_root {
        Command::new("apt-get")
    } else {
        let mut sudo = Command::new("sudo");
        sudo.arg("apt-get");
        sudo
    };
    command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
    run(&mut command).context("installing system packages failed; install them by hand and retry")
}

fn node() -> Result<()> {
    let Some(version) = output(Command::new("node").arg("--version")) else {
        bail!("Node.js was not found; install Node 20 or newer and retry");
    };
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|major| major.parse().ok())
        .unwrap_or(0);
    if major < 20 {
        bail!("Node {version} is too old; Veldwerk's UI needs Node 20 or newer");
    }
    Ok(())
}

/// `npm ci` when `node_modules` is missing or older than the lock file.
fn npm_ci(root: &Path) -> Result<()> {
    let ui = root.join("ui");
    let lock = ui.join("package-lock.json");
    let installed = ui.join("node_modules/.package-lock.json");
    let fresh = match (modified(&installed), modified(&lock)) {
        (Some(installed), Some(lock)) => installed >= lock,
        _ => false,
    };
    if fresh {
        println!("Node packages: up to date.");
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&ui))
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).ok()?.modified().ok()
}

/// Where xtask keeps tools it installs: inside the clone, never globally.
pub fn tools_root(root: &Path) -> PathBuf {
    root.join("target/tools")
}

pub fn tauri_driver_path(root: &Path) -> PathBuf {
    tools_root(root)
        .join("bin")
        .join(format!("tauri-driver{}", std::env::consts::EXE_SUFFIX))
}

fn tauri_driver(root: &Path) -> Result<()> {
    let path = tauri_driver_path(root);
    // tauri-driver has no --version; cargo's install record says which one is there.
    let record = std::fs::read_to_string(tools_root(root).join(".crates.toml")).unwrap_or_default();
    if path.exists() && record.contains(&format!("tauri-driver {TAURI_DRIVER_VERSION} ")) {
        println!("tauri-driver {TAURI_DRIVER_VERSION}: present.");
        return Ok(());
    }
    run(cmd::cargo()
        .args([
            "install",
            "--locked",
            "--quiet",
            "tauri-driver",
            "--version",
        ])
        .arg(TAURI_DRIVER_VERSION)
        .arg("--root")
        .arg(tools_root(root)))
}
