//! `cargo xtask`: the one front door for every task. The README and CI use
//! exactly these names.
//!
//! - `run`: set up what is missing, build the UI and the app, and start it.
//! - `test`: every check CI runs: formatting, lints, Rust tests, UI tests, and
//!   the end-to-end tests of the real app under Xvfb.
//! - `bench`: the speed figures of the issues, with ratios against baselines
//!   measured in the same run (`target/bench/report.json`); `bench WORD`
//!   runs only the suites whose command line contains WORD.
//! - `e2e`: only the end-to-end tests (after building what they need).
//! - `bindings`: regenerate the TypeScript bindings from the Rust types.
//! - `setup`: only install what is missing (system packages, Node packages, tools).

mod bench;
mod cmd;
mod dev;
mod e2e;
mod setup;
mod tasks;

use anyhow::{Result, bail};

const USAGE: &str = "usage: cargo xtask <run | test | bench [SUITE] | e2e | bindings | setup>";

fn main() -> std::process::ExitCode {
    match dispatch() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn dispatch() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(task) = args.first() else {
        bail!("{USAGE}");
    };
    let root = cmd::workspace_root()?;
    std::env::set_current_dir(&root)?;
    match task.as_str() {
        "run" => tasks::run(&root),
        "test" => tasks::test(&root),
        "bench" => bench::run(&root, args.get(1).map(String::as_str)),
        "e2e" => tasks::e2e(&root),
        "bindings" => tasks::bindings(&root),
        "setup" => setup::all(&root, setup::Purpose::Test),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown task `{other}`; {USAGE}"),
    }
}
