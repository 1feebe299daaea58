//! The tasks behind `cargo xtask run | test | e2e | bindings`.

use crate::cmd::{self, Timings};
use crate::dev;
use crate::e2e;
use crate::setup::{self, Purpose};
use anyhow::{Result, bail};
use std::path::Path;
use std::process::Command;

/// Builds the UI and the app, prepares the local demo environment
/// (`target/dev/`: a demo bureau on the central server and a device vault
/// enrolled against it), starts the server, then the app; the server stops
/// when the app does.
pub fn run(root: &Path) -> Result<()> {
    setup::all(root, Purpose::Run)?;
    cmd::step("Building the UI");
    build_ui(root)?;
    cmd::step("Building the app, the server and the device tool");
    cmd::run(cmd::cargo().args([
        "build",
        "--package",
        "veldwerk-app",
        "--package",
        "veldwerk-server",
        "--package",
        "veldwerk-cli",
    ]))?;
    cmd::step("Preparing the demo environment and starting the central server");
    let env = dev::prepare(root)?;
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        bail!(
            "there is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset).\n\
             Run this from a desktop session, or give it a virtual display:\n    \
             xvfb-run -s '-screen 0 1280x800x24' cargo xtask run"
        );
    }
    cmd::step("Starting Veldwerk (close the window to stop, the server stops with it)");
    let app = root
        .join("target/debug")
        .join(format!("veldwerk{}", std::env::consts::EXE_SUFFIX));
    let result = cmd::run(Command::new(app).env("VELDWERK_DATA_DIR", &env.data_dir));
    drop(env.server);
    result
}

/// Every check CI runs, in an order that fails fast on cheap checks.
pub fn test(root: &Path) -> Result<()> {
    let mut timings = Timings::default();
    let result = test_steps(root, &mut timings);
    timings.print();
    result
}

fn test_steps(root: &Path, timings: &mut Timings) -> Result<()> {
    timings.time("Set-up (system packages, npm ci, tauri-driver)", || {
        setup::all(root, Purpose::Test)
    })?;
    timings.time("Formatting (rustfmt)", || {
        cmd::run(cmd::cargo().args(["fmt", "--all", "--check"]))
    })?;
    timings.time("UI: type check, unit tests, build", || {
        let ui = root.join("ui");
        cmd::run(npm(&ui).args(["run", "check"]))?;
        cmd::run(npm(&ui).args(["test"]))?;
        build_ui(root)
    })?;
    timings.time("UI in Chromium: screens, axe-core, keyboard", || {
        cmd::run(npm(&root.join("ui")).args(["run", "test:browser"]))
    })?;
    timings.time("Lints (clippy, warnings denied)", || {
        cmd::run(cmd::cargo().args([
            "clippy",
            "--locked",
            "--workspace",
            "--all-targets",
            "--",
            "--deny",
            "warnings",
        ]))
    })?;
    timings.time(
        "Documentation (rustdoc, warnings denied: no broken links)",
        || {
            cmd::run(
                cmd::cargo()
                    .args([
                        "doc",
                        "--locked",
                        "--workspace",
                        "--no-deps",
                        "--exclude",
                        "xtask",
                    ])
                    .env("RUSTDOCFLAGS", "--deny warnings"),
            )
        },
    )?;
    timings.time("Rust tests", || {
        cmd::run(cmd::cargo().args(["test", "--locked", "--workspace"]))
    })?;
    timings.time("End-to-end tests of the real app", || e2e::run_tests(root))?;
    Ok(())
}

/// Only the end-to-end tests, building what they need first.
pub fn e2e(root: &Path) -> Result<()> {
    setup::all(root, Purpose::Test)?;
    build_ui(root)?;
    e2e::run_tests(root)
}

/// Rewrites `ui/src/lib/bindings/` from the Rust types.
pub fn bindings(root: &Path) -> Result<()> {
    build_ui_if_missing(root)?;
    cmd::run(
        cmd::cargo()
            .args(["test", "--package", "veldwerk-app", "--lib", "bindings"])
            .env("VELDWERK_UPDATE_BINDINGS", "1"),
    )
}

fn npm(dir: &Path) -> Command {
    let mut command = Command::new("npm");
    command.current_dir(dir);
    command
}

pub fn build_ui(root: &Path) -> Result<()> {
    cmd::run(npm(&root.join("ui")).args(["run", "build"]))
}

/// The app embeds `ui/dist` at compile time, so it must exist before any
/// build of `src-tauri`.
fn build_ui_if_missing(root: &Path) -> Result<()> {
    if root.join("ui/dist/index.html").exists() {
        return Ok(());
    }
    setup::all(root, Purpose::Run)?;
    build_ui(root)
}
