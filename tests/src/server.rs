//! The real `veldwerk-server` binary for stories and benchmarks: a bureau in
//! a temp dir set up through the admin CLI, and `serve` on a loopback port.
//!
//! The binary is looked up next to the running executable
//! (`target/<profile>/veldwerk-server`, which `cargo test --workspace` and
//! `cargo build -p veldwerk-server` produce), or at `VELDWERK_SERVER_BIN`.

use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use uuid::Uuid;

/// How long `serve` may take to say where it listens.
const START_DEADLINE: Duration = Duration::from_secs(30);

/// The path of the server binary, or an error that says how to build it.
pub fn server_binary() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("VELDWERK_SERVER_BIN") {
        return Ok(PathBuf::from(path));
    }
    let exe = std::env::current_exe().context("locating the running executable")?;
    let name = format!("veldwerk-server{}", std::env::consts::EXE_SUFFIX);
    // Test executables live in target/<profile>/deps, binaries in target/<profile>.
    let candidates: Vec<PathBuf> = exe
        .ancestors()
        .skip(1)
        .take(2)
        .map(|dir| dir.join(&name))
        .collect();
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .with_context(|| {
            format!(
                "the server binary is missing (looked at {}). Build it first: \
             `cargo build -p veldwerk-server` (with `--release` for benchmarks), \
             or run `cargo test --workspace`, which builds it",
                candidates
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
}

/// A bureau: a configuration and a store in a temp dir, a recovery key, and
/// the admin CLI of the real binary to manage users, codes and cases.
pub struct Bureau {
    dir: tempfile::TempDir,
    exe: PathBuf,
    config: PathBuf,
    env: Vec<(String, String)>,
    /// The bureau's recovery identity file (`AGE-SECRET-KEY-1...` inside).
    pub recovery_key_file: PathBuf,
}

impl Bureau {
    /// `init` and `recovery-key generate` in a fresh temp dir.
    pub fn new() -> Result<Bureau> {
        Bureau::with_env(&[])
    }

    /// Like [`Bureau::new`], with `VELDWERK_SERVER_*` overrides for every
    /// command (limits, retention).
    pub fn with_env(env: &[(&str, &str)]) -> Result<Bureau> {
        let dir = tempfile::tempdir().context("temp dir for the bureau")?;
        let config = dir.path().join("server.toml");
        let mut bureau = Bureau {
            exe: server_binary()?,
            recovery_key_file: dir.path().join("herstelsleutel.txt"),
            config,
            env: env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            dir,
        };
        bureau
            .env
            .push(("VELDWERK_SERVER_LOG".into(), "warn".into()));
        bureau.admin(&["init"])?;
        let key = bureau.recovery_key_file.to_string_lossy().into_owned();
        bureau.admin(&["recovery-key", "generate", "--out", &key])?;
        Ok(bureau)
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The store file (`veldwerk-server.db` next to the configuration).
    pub fn store_path(&self) -> PathBuf {
        self.dir.path().join("veldwerk-server.db")
    }

    fn command(&self) -> Command {
        let mut c = Command::new(&self.exe);
        c.arg("--config").arg(&self.config);
        c.env_remove("VELDWERK_SERVER_LISTEN");
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c
    }

    /// Runs an admin command; its trimmed output, or an error with its stderr.
    pub fn admin(&self, args: &[&str]) -> Result<String> {
        let output = self
            .command()
            .args(args)
            .output()
            .with_context(|| format!("running veldwerk-server {}", args.join(" ")))?;
        ensure!(
            output.status.success(),
            "veldwerk-server {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
        Ok(String::from_utf8(output.stdout)?.trim().to_owned())
    }

    /// Adds a user; returns their id.
    pub fn add_user(&self, name: &str, role: &str) -> Result<Uuid> {
        let out = self.admin(&[
            "user",
            "add",
            "--name",
            name,
            "--role",
            role,
            "--gemeente",
            "Utrecht",
        ])?;
        Uuid::parse_str(&out).with_context(|| format!("a user id, not {out:?}"))
    }

    /// A one-time enrollment code for `user`.
    pub fn enrollment_code(&self, user: Uuid) -> Result<String> {
        self.admin(&["device", "code", "--user", &user.to_string()])
    }

    pub fn assign(&self, case: &str, user: Uuid) -> Result<()> {
        self.admin(&[
            "case",
            "assign",
            "--case",
            case,
            "--user",
            &user.to_string(),
        ])
        .map(drop)
    }

    pub fn share(&self, case: &str, user: Uuid) -> Result<()> {
        self.admin(&["case", "share", "--case", case, "--user", &user.to_string()])
            .map(drop)
    }

    pub fn revoke(&self, device: Uuid) -> Result<()> {
        self.admin(&["device", "revoke", &device.to_string()])
            .map(drop)
    }

    /// Every case id with its assigned user id (if any).
    pub fn cases(&self) -> Result<Vec<(String, Option<Uuid>)>> {
        let out = self.admin(&["case", "list"])?;
        Ok(out
            .lines()
            .filter_map(|l| {
                let mut parts = l.split_whitespace();
                let id = parts.next()?.to_owned();
                let user = parts.next().and_then(|u| Uuid::parse_str(u).ok());
                Some((id, user))
            })
            .collect())
    }

    /// Imports meldingen from CSV text (columns of docs/import-meldingen.md);
    /// returns the ids of the cases that are new since before the import.
    pub fn import_meldingen(&self, csv: &str) -> Result<Vec<String>> {
        let before: std::collections::BTreeSet<String> =
            self.cases()?.into_iter().map(|(id, _)| id).collect();
        let file = self
            .dir
            .path()
            .join(format!("meldingen-{}.csv", Uuid::now_v7().simple()));
        std::fs::write(&file, csv)?;
        self.admin(&["import", "meldingen", "--file", &file.to_string_lossy()])?;
        Ok(self
            .cases()?
            .into_iter()
            .map(|(id, _)| id)
            .filter(|id| !before.contains(id))
            .collect())
    }

    /// One new case with a youth and a melding, assigned to `user`; its id.
    pub fn new_case(&self, user: Uuid, surname: &str) -> Result<String> {
        let csv = format!(
            "meldingnummer,datum_melding,werkproces,voornaam,achternaam,geboortedatum,gemeente,consulent_id\n\
             M-{},2026-02-02,verzuim,Sam,{surname},2012-05-04,Utrecht,{user}\n",
            Uuid::now_v7().simple()
        );
        let mut new = self.import_meldingen(&csv)?;
        match (new.pop(), new.is_empty()) {
            (Some(case), true) => Ok(case),
            _ => bail!("expected exactly one new case"),
        }
    }

    /// Starts `serve` on a free loopback port.
    pub fn serve(&self) -> Result<ServerProcess> {
        self.serve_on("127.0.0.1:0")
    }

    /// Starts `serve` on `listen` (a restart on the same address).
    pub fn serve_on(&self, listen: &str) -> Result<ServerProcess> {
        let mut child = self
            .command()
            .arg("serve")
            .env("VELDWERK_SERVER_LISTEN", listen)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting veldwerk-server serve")?;
        let stdout = child.stdout.take().context("the server's stdout")?;
        let mut process = ServerProcess {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = tx.send(line);
            // Keep draining so the server never blocks on a full pipe.
            let mut sink = String::new();
            while reader.read_line(&mut sink).is_ok_and(|n| n > 0) {
                sink.clear();
            }
        });
        let line = rx
            .recv_timeout(START_DEADLINE)
            .context("the server did not say where it listens within 30 s")?;
        let url = line.trim().rsplit(' ').next().unwrap_or_default();
        process.addr = url
            .strip_prefix("http://")
            .and_then(|a| a.parse().ok())
            .with_context(|| format!("an address in {line:?}"))?;
        Ok(process)
    }
}

/// A running `veldwerk-server serve`; killed when dropped.
pub struct ServerProcess {
    child: Child,
    pub addr: SocketAddr,
}

impl ServerProcess {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Kills the server at once (SIGKILL: no graceful shutdown, like a crash).
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
