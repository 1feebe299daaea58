//! Support for Veldwerk's end-to-end tests and the benchmarks in `bench/`
//! (`veldwerk-bench-sync`, `veldwerk-bench-app`): starting real binaries,
//! driving the real app through WebDriver, and collecting artifacts under
//! `target/`.
//!
//! - [`server`]: the real `veldwerk-server` binary, its admin CLI and `serve`.
//! - [`proxy`]: a TCP proxy that counts bytes and cuts, holds or refuses
//!   connections.
//! - [`webdriver`]: the WebDriver client for the real app (and for Chromium).
//! - [`chromium`]: headless Debian Chromium under chromedriver, a family's
//!   browser opening the link behind a letter's QR code.
//!
//! The WebDriver client is deliberately small: the W3C protocol is a handful
//! of JSON requests, and the tests need only sessions, elements, text,
//! screenshots and scripts run in the page (the app benchmark times screens
//! there).

pub mod chromium;
pub mod proxy;
pub mod server;
pub mod webdriver;

use anyhow::{Context, Result, ensure};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A free TCP port on loopback. The listener is closed before returning, so a
/// child process can bind it.
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("binding a loopback port")?;
    Ok(listener.local_addr()?.port())
}

/// A path from an environment variable that `cargo xtask e2e` sets.
pub fn env_path(name: &str) -> Result<PathBuf> {
    std::env::var_os(name)
        .map(PathBuf::from)
        .with_context(|| format!("{name} is not set; run these tests with `cargo xtask e2e`"))
}

/// Where screenshots and other artifacts of a run go.
pub fn artifacts_dir() -> Result<PathBuf> {
    let dir = env_path("VELDWERK_E2E_ARTIFACTS")?;
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// `veldwerk-cli --vault VAULT args...` run as the office would, with the
/// passphrase in its environment: its standard output, or an error that
/// carries its standard error.
pub fn run_cli(cli: &Path, vault: &Path, passphrase: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(cli)
        .arg("--vault")
        .arg(vault)
        .args(args)
        .env("VELDWERK_PASSPHRASE", passphrase)
        .env_remove("VELDWERK_VAULT")
        .output()
        .with_context(|| format!("could not start {}", cli.display()))?;
    ensure!(
        out.status.success(),
        "veldwerk-cli {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8(out.stdout)?)
}
