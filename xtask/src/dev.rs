//! The local environment `cargo xtask run` starts the app in, kept under
//! `target/dev/` so it survives between runs and never touches a user's real
//! data folder: a central server configuration with the bureau's recovery key,
//! and a device vault filled with the synthetic demo caseload.
//!
//! Everything here is synthetic; the demo passphrase is printed on purpose.

use crate::cmd;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The passphrase of the demo vault (synthetic data only).
pub const DEMO_PASSPHRASE: &str = "demo-veldwerk-2026";

/// How many young people the demo caseload has: a busy consultant's caseload.
const DEMO_YOUTH: &str = "300";

pub struct DevEnv {
    /// What the app gets as `VELDWERK_DATA_DIR`.
    pub data_dir: PathBuf,
}

fn binary(root: &Path, name: &str) -> PathBuf {
    root.join("target/debug")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// Creates what is missing of the dev environment, reusing what exists.
pub fn prepare(root: &Path) -> Result<DevEnv> {
    let dev = root.join("target/dev");
    std::fs::create_dir_all(&dev)?;
    let server = binary(root, "veldwerk-server");
    let cli = binary(root, "veldwerk-cli");
    let config = dev.join("server.toml");
    if !config.exists() {
        cmd::run(
            Command::new(&server)
                .arg("--config")
                .arg(&config)
                .arg("init"),
        )?;
    }
    let public_key_file = dev.join("herstelsleutel.pub");
    if !public_key_file.exists() {
        // The private half goes to a file the office would keep offline; the
        // server prints the public half, which every vault is wrapped for.
        let out = Command::new(&server)
            .arg("--config")
            .arg(&config)
            .args(["recovery-key", "generate", "--out"])
            .arg(dev.join("herstelsleutel.txt"))
            .output()
            .context("running veldwerk-server recovery-key generate")?;
        if !out.status.success() {
            bail!(
                "recovery-key generate failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let public = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if !public.starts_with("age1") {
            bail!("recovery-key generate printed no age public key");
        }
        std::fs::write(&public_key_file, &public)?;
    }
    let public = std::fs::read_to_string(&public_key_file)?.trim().to_owned();
    let data_dir = dev.join("data");
    let vault = data_dir.join("vault");
    if !vault.join("vault.db").exists() {
        println!("Creating the demo vault with {DEMO_YOUTH} synthetic young people.");
        let with_vault = |args: &[&str]| {
            let mut command = Command::new(&cli);
            command
                .arg("--vault")
                .arg(&vault)
                .args(args)
                .env("VELDWERK_PASSPHRASE", DEMO_PASSPHRASE);
            command
        };
        cmd::run(&mut with_vault(&["init", "--recovery-recipient", &public]))?;
        cmd::run(&mut with_vault(&[
            "demo", "--youth", DEMO_YOUTH, "--seed", "1",
        ]))?;
    }
    println!(
        "Demo vault: {} (wachtwoord: {DEMO_PASSPHRASE})",
        vault.display()
    );
    Ok(DevEnv { data_dir })
}
