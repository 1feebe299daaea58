//! `cargo xtask bench`: builds the benchmark programs in release mode, runs
//! them, prints one table and writes `target/bench/report.json`.
//!
//! Contract with the benchmark programs (for now `veldwerk-cli bench`): each
//! figure is one stdout line `BENCH {"name", "value", "unit", "baseline"?,
//! "target"?}` where `baseline` is the same measurement of a reference (plain
//! SQLite, LibreOffice, a naive approach) taken in the same run. Everything
//! else a program prints passes through. xtask adds `ratio` = value / baseline.
//!
//! The print suite measures LibreOffice headless as its baseline: the set-up
//! step installs it when missing (only here; `cargo xtask test` never does),
//! and the suite skips that baseline when it cannot be installed.
//!
//! The app suite (`veldwerk-bench-app`) drives the release app binary like
//! the end-to-end tests do: xtask builds the UI first (the app embeds
//! `ui/dist`), starts an Xvfb of its own for the suite and passes `DISPLAY`,
//! `VELDWERK_APP_BIN` and `VELDWERK_TAURI_DRIVER`.

use crate::cmd;
use crate::e2e::VirtualDisplay;
use crate::setup::{self, Purpose};
use crate::tasks;
use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// One benchmark program run: which package builds it, its binary, its arguments.
struct Suite {
    package: &'static str,
    binary: &'static str,
    args: &'static [&'static str],
    /// Runs the real app: needs a display, the app binary and tauri-driver.
    app: bool,
}

/// Packages the suites need built beside them: the sync and app benchmarks
/// start the release `veldwerk-server` found next to themselves, the app
/// benchmark the release app (`veldwerk`).
const ALSO_BUILD: &[&str] = &["veldwerk-server", "veldwerk-app"];

/// The benchmark suites, in order.
const SUITES: &[Suite] = &[
    Suite {
        package: "veldwerk-cli",
        binary: "veldwerk-cli",
        args: &["bench", "vault"],
        app: false,
    },
    Suite {
        package: "veldwerk-e2e",
        binary: "veldwerk-bench-sync",
        args: &[],
        app: false,
    },
    Suite {
        package: "veldwerk-cli",
        binary: "veldwerk-cli",
        // 400 youth make about 600 cases, 500 letters with an address and more.
        args: &["bench", "print", "--youth", "400", "--letters", "500"],
        app: false,
    },
    Suite {
        package: "veldwerk-e2e",
        binary: "veldwerk-bench-app",
        // Every screen on the 2,000-youth caseload, 20 rounds after a warm-up.
        args: &["--youth", "2000", "--rounds", "20"],
        app: true,
    },
];

/// Runs every suite, or with `only`, the suites whose command line (binary
/// and arguments) contains it: `cargo xtask bench bench-app`.
pub fn run(root: &Path, only: Option<&str>) -> Result<()> {
    let suites: Vec<&Suite> = SUITES
        .iter()
        .filter(|suite| only.is_none_or(|only| command_line(suite).contains(only)))
        .collect();
    if suites.is_empty() {
        bail!(
            "no benchmark suite matches {only:?}; the suites are: {}",
            SUITES
                .iter()
                .map(command_line)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if suites.iter().any(|suite| suite.app) {
        cmd::step("Set-up: Xvfb, WebKitWebDriver and tauri-driver for the app suite");
        setup::all(root, Purpose::Test)?;
    }
    if suites.iter().any(|suite| suite.args.contains(&"print")) {
        cmd::step("Set-up: LibreOffice, the print suite's baseline");
        setup::libreoffice();
    }
    cmd::step("Building the UI (the app embeds it)");
    tasks::build_ui(root)?;
    cmd::step("Building the benchmark programs (release)");
    let mut build = cmd::cargo();
    build.args(["build", "--locked", "--release"]);
    // Every suite's package, even when only some run: the same package set
    // unifies features the same way, so the release artifacts are reused.
    for package in SUITES
        .iter()
        .map(|suite| suite.package)
        .chain(ALSO_BUILD.iter().copied())
    {
        build.args(["--package", package]);
    }
    cmd::run(&mut build)?;
    let mut entries = Vec::new();
    for suite in suites {
        let binary = root.join("target/release").join(format!(
            "{}{}",
            suite.binary,
            std::env::consts::EXE_SUFFIX
        ));
        cmd::step(&format!("Benchmark suite `{}`", command_line(suite)));
        let mut command = Command::new(binary);
        command.args(suite.args);
        // Stopped when this suite is done.
        let display = if suite.app {
            let display = VirtualDisplay::start()?;
            command
                .env("DISPLAY", display.name())
                .env(
                    "VELDWERK_APP_BIN",
                    root.join("target/release")
                        .join(format!("veldwerk{}", std::env::consts::EXE_SUFFIX)),
                )
                .env("VELDWERK_TAURI_DRIVER", setup::tauri_driver_path(root));
            Some(display)
        } else {
            None
        };
        entries.extend(run_suite(&mut command)?);
        drop(display);
    }
    print_table(&entries);
    let dir = root.join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("report.json");
    std::fs::write(&path, serde_json::to_string_pretty(&entries)?)?;
    println!("\nReport written to {}", path.display());
    Ok(())
}

fn command_line(suite: &Suite) -> String {
    let mut line = suite.binary.to_owned();
    for arg in suite.args {
        line.push(' ');
        line.push_str(arg);
    }
    line
}

fn run_suite(command: &mut Command) -> Result<Vec<Value>> {
    println!("$ {}", cmd::display(command));
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start `{}`", cmd::display(command)))?;
    let stdout = child.stdout.take().context("no stdout")?;
    let mut entries = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        match line.strip_prefix("BENCH ") {
            Some(json) => entries.push(with_ratio(serde_json::from_str(json)?)),
            None => println!("{line}"),
        }
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("`{}` failed ({status})", cmd::display(command));
    }
    Ok(entries)
}

fn with_ratio(mut entry: Map<String, Value>) -> Value {
    let value = entry.get("value").and_then(Value::as_f64);
    let baseline = entry.get("baseline").and_then(Value::as_f64);
    if let (Some(value), Some(baseline)) = (value, baseline)
        && baseline > 0.0
    {
        entry.insert("ratio".into(), Value::from(value / baseline));
    }
    Value::Object(entry)
}

fn print_table(entries: &[Value]) {
    cmd::step("Results");
    println!(
        "{:<58} {:>12} {:<6} {:>12} {:>8} {:>10}",
        "name", "value", "unit", "baseline", "ratio", "target"
    );
    for entry in entries {
        let number = |key: &str| {
            entry[key]
                .as_f64()
                .map(|n| format!("{n:.3}"))
                .unwrap_or_else(|| "-".into())
        };
        println!(
            "{:<58} {:>12} {:<6} {:>12} {:>8} {:>10}",
            entry["name"].as_str().unwrap_or("?"),
            number("value"),
            entry["unit"].as_str().unwrap_or(""),
            number("baseline"),
            entry["ratio"]
                .as_f64()
                .map(|r| format!("{r:.2}x"))
                .unwrap_or_else(|| "-".into()),
            entry["target"].as_str().unwrap_or("")
        );
    }
}
