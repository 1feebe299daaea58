//! Running commands: print what runs, fail with the command's name when it
//! fails, and time each step so the summary says where the time went.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The workspace root: the parent of this crate's manifest directory.
pub fn workspace_root() -> Result<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map(Path::to_path_buf)
        .context("xtask must live one folder below the workspace root")
}

/// Prints a step header, the way every task announces what it does.
pub fn step(what: &str) {
    println!("\n==> {what}");
}

/// Runs a command to completion, inheriting stdout and stderr.
pub fn run(command: &mut Command) -> Result<()> {
    println!("$ {}", display(command));
    let status = command
        .status()
        .with_context(|| format!("could not start `{}`", display(command)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", display(command));
    }
    Ok(())
}

/// Runs a command and returns its trimmed stdout; `None` when it cannot run or fails.
pub fn output(command: &mut Command) -> Option<String> {
    let out = command.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The `cargo` that runs this xtask, so nested builds use the same toolchain.
///
/// On CI (a clean clone built once) incremental compilation only costs: its
/// caches are about a fifth of `target/` (1.2 of 5.9 GB) and are never
/// reused, and CI machines can be short of disk. So it is off there, unless
/// `CARGO_INCREMENTAL` says otherwise.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    if on_ci() && std::env::var_os("CARGO_INCREMENTAL").is_none() {
        command.env("CARGO_INCREMENTAL", "0");
    }
    command
}

/// Whether this runs on CI (`CI` set to anything but `false` or empty).
fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !value.is_empty() && value != "false")
}

pub fn display(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Timings of the steps of one task, printed at the end.
#[derive(Default)]
pub struct Timings {
    steps: Vec<(String, Duration)>,
    start: Option<Instant>,
}

impl Timings {
    /// Runs `f` as a named step and records how long it took.
    pub fn time<T>(&mut self, name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        self.start.get_or_insert_with(Instant::now);
        step(name);
        let started = Instant::now();
        let result = f();
        self.steps.push((name.to_owned(), started.elapsed()));
        result
    }

    pub fn print(&self) {
        println!("\n==> where the time went");
        for (name, took) in &self.steps {
            println!("{:>8.1}s  {name}", took.as_secs_f64());
        }
        if let Some(start) = self.start {
            println!("{:>8.1}s  total", start.elapsed().as_secs_f64());
        }
    }
}
