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

use crate::cmd;
use crate::setup;
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
}

/// Packages the suites need built beside them: the sync benchmark starts the
/// release `veldwerk-server` found next to itself.
const ALSO_BUILD: &[&str] = &["veldwerk-server"];

/// The benchmark suites, in order.
const SUITES: &[Suite] = &[
    Suite {
        package: "veldwerk-cli",
        binary: "veldwerk-cli",
        args: &["bench", "vault"],
    },
    Suite {
        package: "veldwerk-e2e",
        binary: "veldwerk-bench-sync",
        args: &[],
    },
    Suite {
        package: "veldwerk-cli",
        binary: "veldwerk-cli",
        // 400 youth make about 600 cases, 500 letters with an address and more.
        args: &["bench", "print", "--youth", "400", "--letters", "500"],
    },
];

pub fn run(root: &Path) -> Result<()> {
    cmd::step("Set-up: LibreOffice, the print suite's baseline");
    setup::libreoffice();
    cmd::step("Building the benchmark programs (release)");
    let mut build = cmd::cargo();
    build.args(["build", "--locked", "--release"]);
    for package in SUITES
        .iter()
        .map(|suite| suite.package)
        .chain(ALSO_BUILD.iter().copied())
    {
        build.args(["--package", package]);
    }
    cmd::run(&mut build)?;
    let mut entries = Vec::new();
    for suite in SUITES {
        let binary = root.join("target/release").join(format!(
            "{}{}",
            suite.binary,
            std::env::consts::EXE_SUFFIX
        ));
        cmd::step(&format!(
            "Benchmark suite `{} {}`",
            suite.binary,
            suite.args.join(" ")
        ));
        entries.extend(run_suite(Command::new(binary).args(suite.args))?);
    }
    print_table(&entries);
    let dir = root.join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("report.json");
    std::fs::write(&path, serde_json::to_string_pretty(&entries)?)?;
    println!("\nReport written to {}", path.display());
    Ok(())
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
