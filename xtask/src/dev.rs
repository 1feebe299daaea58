//! The local environment `cargo xtask run` starts the app in, kept under
//! `target/dev/` so it survives between runs and never touches a user's real
//! data folder:
//!
//! - a demo bureau: the central server's configuration (`server.toml`,
//!   plain HTTP on a loopback port chosen once), its embedded store, the
//!   bureau's recovery key, the house style, and two demo users: a
//!   leerplichtambtenaar with the BOA flag (the demo user) and a
//!   doorstroomcoach;
//! - the server itself, started in the background for as long as the app
//!   runs ([`DemoServer`] stops it when dropped), logging to `server.log`;
//! - a device vault (`data/vault`) enrolled against that server for the
//!   demo user with a one-time code from the admin CLI, and the synthetic
//!   demo caseload on the server, assigned to the demo user.
//!
//! There is one source of demo data, `veldwerk-cli demo`
//! (`veldwerk_vault::demo`): the enrolled device generates the caseload
//! through its normal write path and pushes it with `veldwerk-cli sync`, so
//! the server assigns every case to the demo user, exactly as for cases a
//! consultant opens in the field.
//!
//! Every step is recorded when it is done (markers in `target/dev/state/`),
//! so a second run only starts the server. A vault from before enrollment
//! (an older `cargo xtask run`) is moved aside, never deleted.
//!
//! Everything here is synthetic; the demo passphrase is printed on purpose.

use crate::cmd;
use anyhow::{Context, Result, bail, ensure};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The passphrase of the demo vault (synthetic data only).
pub const DEMO_PASSPHRASE: &str = "demo-veldwerk-2026";

/// How many young people the demo caseload has: a busy consultant's caseload.
const DEMO_YOUTH: &str = "300";

/// The demo user the device is enrolled for: owns the demo caseload.
const DEMO_USER: DemoUser = DemoUser {
    name: "Sanne de Vries",
    role: "leerplichtambtenaar",
    role_nl: "leerplichtambtenaar, BOA",
    boa: true,
};

/// A second user, so assigning and sharing cases can be tried with the
/// admin CLI (`veldwerk-server case assign --case ID --user ID`).
const COACH: DemoUser = DemoUser {
    name: "Youssef el Amrani",
    role: "doorstroomcoach",
    role_nl: "doorstroomcoach",
    boa: false,
};

/// The demo region's gemeenten (the first ones `veldwerk_vault::demo` uses).
const DEMO_GEMEENTEN: &[&str] = &["Brakelveen", "Oosterwaarde", "Heuvelrode"];

/// How long the server may take to say where it listens, and to stop.
const SERVER_DEADLINE: Duration = Duration::from_secs(30);

struct DemoUser {
    name: &'static str,
    role: &'static str,
    role_nl: &'static str,
    boa: bool,
}

/// What `cargo xtask run` starts the app with.
pub struct DevEnv {
    /// What the app gets as `VELDWERK_DATA_DIR`.
    pub data_dir: PathBuf,
    /// The running central server; dropping it stops the server.
    pub server: DemoServer,
}

fn binary(root: &Path, name: &str) -> PathBuf {
    root.join("target/debug")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// The files of the dev environment.
struct Paths {
    dev: PathBuf,
    server: PathBuf,
    cli: PathBuf,
    config: PathBuf,
    store: PathBuf,
    state: PathBuf,
    data_dir: PathBuf,
    vault: PathBuf,
}

impl Paths {
    fn new(root: &Path) -> Paths {
        let dev = root.join("target/dev");
        let data_dir = dev.join("data");
        Paths {
            server: binary(root, "veldwerk-server"),
            cli: binary(root, "veldwerk-cli"),
            config: dev.join("server.toml"),
            // `store = "veldwerk-server.db"` in the file `init` writes.
            store: dev.join("veldwerk-server.db"),
            state: dev.join("state"),
            vault: data_dir.join("vault"),
            data_dir,
            dev,
        }
    }

    /// An admin command of the server on the dev configuration.
    fn admin(&self) -> Command {
        let mut command = Command::new(&self.server);
        command.arg("--config").arg(&self.config);
        // The file decides, not a developer's shell.
        for setting in ["LISTEN", "PUBLIC_URL", "STORE", "TLS_CERT", "TLS_KEY"] {
            command.env_remove(format!("VELDWERK_SERVER_{setting}"));
        }
        command
    }

    /// A `veldwerk-cli` command on the demo vault.
    fn device(&self) -> Command {
        let mut command = Command::new(&self.cli);
        command
            .arg("--vault")
            .arg(&self.vault)
            .env("VELDWERK_PASSPHRASE", DEMO_PASSPHRASE);
        command
    }

    fn marker(&self, name: &str) -> PathBuf {
        self.state.join(name)
    }
}

/// Runs a command and returns its trimmed stdout; an error with its stderr
/// when it fails.
fn capture(command: &mut Command) -> Result<String> {
    println!("$ {}", cmd::display(command));
    let out = command
        .output()
        .with_context(|| format!("could not start `{}`", cmd::display(command)))?;
    if !out.status.success() {
        bail!(
            "`{}` failed ({}): {}",
            cmd::display(command),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Creates what is missing of the dev environment, reusing what exists, and
/// starts the central server.
pub fn prepare(root: &Path) -> Result<DevEnv> {
    let paths = Paths::new(root);
    std::fs::create_dir_all(&paths.state)?;
    std::fs::create_dir_all(&paths.data_dir)?;
    let new_bureau = !paths.store.exists();
    if !paths.config.exists() {
        cmd::run(paths.admin().arg("init"))?;
    }
    let url = loopback_config(&paths.config)?;
    if new_bureau {
        let branding = paths.marker("branding");
        if branding.exists() {
            std::fs::remove_file(branding)?;
        }
    }
    if new_bureau || !paths.vault.join("vault.db").exists() {
        // A vault enrolled with a bureau that is gone cannot sync any more;
        // a vault that is gone must be enrolled again.
        forget_device(&paths)?;
    }
    let public_key = recovery_key(&paths, new_bureau)?;
    let users = demo_users(&paths)?;
    let server = DemoServer::start(&paths, &url)?;
    if !paths.marker("seeded").exists() {
        if !paths.marker("enrolled").exists() {
            enroll(&paths, &url, &users.demo)?;
        }
        seed(&paths)?;
    }
    let key_file = paths.dev.join("herstelsleutel.txt");
    println!(
        "\nCentrale server / central server: {url}  (store {}, log {})",
        paths.store.display(),
        server.log.display()
    );
    println!(
        "Gebruikers / users: {} ({}, id {}), {} ({}, id {})",
        DEMO_USER.name, DEMO_USER.role_nl, users.demo, COACH.name, COACH.role_nl, users.coach
    );
    println!(
        "Kluis / vault: {}  aangemeld als / enrolled as {}",
        paths.vault.display(),
        DEMO_USER.name
    );
    println!("Wachtwoord / passphrase: {DEMO_PASSPHRASE}");
    println!(
        "Herstelsleutel / recovery key: {} (public {public_key})",
        key_file.display()
    );
    println!(
        "Beheer / admin: target/debug/veldwerk-server --config {} <user|device|case|branding> ...",
        paths.config.display()
    );
    Ok(DevEnv {
        data_dir: paths.data_dir,
        server,
    })
}

/// Points the configuration at a free loopback port with plain HTTP, once:
/// the enrolled vault keeps the server's address, so the port stays the
/// same between runs. Returns the server's address.
fn loopback_config(config: &Path) -> Result<String> {
    let text = std::fs::read_to_string(config)?;
    let current = setting(&text, "public_url")?;
    if current.starts_with("http://127.0.0.1:") {
        return Ok(current);
    }
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0")
            .context("no free loopback port for the demo server")?;
        probe.local_addr()?.port()
    };
    let url = format!("http://127.0.0.1:{port}");
    let mut changed = 0;
    let rewritten: Vec<String> = text
        .lines()
        .map(|line| {
            if line.starts_with("listen =") {
                changed += 1;
                format!("listen = \"127.0.0.1:{port}\"")
            } else if line.starts_with("public_url =") {
                changed += 1;
                format!("public_url = \"{url}\"")
            } else {
                line.to_owned()
            }
        })
        .collect();
    ensure!(
        changed == 2,
        "{} has no `listen` or `public_url` line; delete target/dev to start over",
        config.display()
    );
    std::fs::write(config, rewritten.join("\n") + "\n")?;
    println!(
        "Demo server address: {url} (written to {})",
        config.display()
    );
    Ok(url)
}

/// The quoted value of a top-level `name = "..."` line.
fn setting(text: &str, name: &str) -> Result<String> {
    text.lines()
        .find_map(|line| {
            let value = line.strip_prefix(name)?.trim_start().strip_prefix('=')?;
            Some(value.trim().trim_matches('"').to_owned())
        })
        .with_context(|| format!("no `{name}` in the server configuration"))
}

/// The bureau's recovery key: generated once; the private half goes to a
/// file the office would keep offline, the server keeps the public half.
fn recovery_key(paths: &Paths, new_bureau: bool) -> Result<String> {
    let public_key_file = paths.dev.join("herstelsleutel.pub");
    // A new store has no key yet, whatever files an earlier bureau left.
    if new_bureau || !public_key_file.exists() {
        let private = paths.dev.join("herstelsleutel.txt");
        if private.exists() {
            set_aside(&private)?;
        }
        let public = capture(
            paths
                .admin()
                .args(["recovery-key", "generate", "--out"])
                .arg(&private),
        )?;
        ensure!(
            public.starts_with("age1"),
            "recovery-key generate printed no age public key"
        );
        std::fs::write(&public_key_file, &public)?;
    }
    Ok(std::fs::read_to_string(&public_key_file)?.trim().to_owned())
}

/// Moves `path` aside to `<name>.oud-<n>`: demo data, but never deleted.
fn set_aside(path: &Path) -> Result<()> {
    let name = path
        .file_name()
        .context("a path without a name")?
        .to_string_lossy()
        .into_owned();
    let aside = (1..)
        .map(|n| path.with_file_name(format!("{name}.oud-{n}")))
        .find(|p| !p.exists())
        .context("no free name to move an old file to")?;
    std::fs::rename(path, &aside)?;
    println!("Moved {} aside to {}", path.display(), aside.display());
    Ok(())
}

/// Moves a vault that is not enrolled with the current bureau aside and
/// forgets its enrollment.
fn forget_device(paths: &Paths) -> Result<()> {
    for marker in ["enrolled", "seeded"] {
        let file = paths.marker(marker);
        if file.exists() {
            std::fs::remove_file(file)?;
        }
    }
    if paths.vault.exists() {
        set_aside(&paths.vault)?;
    }
    Ok(())
}

struct Users {
    demo: String,
    coach: String,
}

/// The demo users, added once (found again by name in `user list`); the
/// house style is set together with them.
fn demo_users(paths: &Paths) -> Result<Users> {
    let listed = capture(paths.admin().args(["user", "list"]))?;
    let find = |name: &str| {
        listed.lines().find_map(|line| {
            let mut parts = line.split("  ");
            let id = parts.next()?;
            (parts.next()? == name).then(|| id.to_owned())
        })
    };
    let mut ids = Vec::new();
    for user in [&DEMO_USER, &COACH] {
        let id = match find(user.name) {
            Some(id) => id,
            None => {
                let mut add = paths.admin();
                add.args(["user", "add", "--name", user.name, "--role", user.role]);
                if user.boa {
                    add.arg("--boa");
                }
                for gemeente in DEMO_GEMEENTEN {
                    add.args(["--gemeente", gemeente]);
                }
                capture(&mut add)?
            }
        };
        ids.push(id);
    }
    if !paths.marker("branding").exists() {
        cmd::run(paths.admin().args([
            "branding",
            "set",
            "--organisation-name",
            "Leerplicht en Doorstroompunt Regio Brakelveen (demo)",
            "--address",
            "Postbus 1234, 9999 ZZ  Brakelveen",
            "--phone",
            "0800 123 45 67",
            "--whatsapp",
            "06 12 34 56 78",
            "--website",
            "https://www.example.nl",
            "--signature-text",
            "Team Leerplicht en Doorstroompunt",
        ]))?;
        std::fs::write(paths.marker("branding"), "")?;
    }
    let coach = ids.pop().context("no coach id")?;
    let demo = ids.pop().context("no demo user id")?;
    Ok(Users { demo, coach })
}

/// Enrolls the demo vault for the demo user with a fresh one-time code.
fn enroll(paths: &Paths, url: &str, user: &str) -> Result<()> {
    if paths.vault.exists() {
        // A vault from before enrollment (or from an interrupted run): its
        // records were made for no user, so the server would refuse them.
        println!("The demo vault is not enrolled with the demo server; making a new one.");
        set_aside(&paths.vault)?;
        let seeded = paths.marker("seeded");
        if seeded.exists() {
            std::fs::remove_file(seeded)?;
        }
    }
    let code = capture(paths.admin().args(["device", "code", "--user", user]))?;
    cmd::run(paths.device().args([
        "enroll",
        "--server",
        url,
        "--code",
        &code,
        "--device-name",
        "Demo-laptop (cargo xtask run)",
    ]))?;
    std::fs::write(paths.marker("enrolled"), "")?;
    Ok(())
}

/// Brings the demo caseload to the server: the first sync pulls what the
/// server already has for the demo user (a re-enrolled device); only when
/// that is nothing does the device generate the caseload and push it.
///
/// The demo history has cases closed longer ago than the bureau's retention
/// (28 days). The server stores them whole (it is the archive) and the same
/// sync takes them off the device again, as in the field.
fn seed(paths: &Paths) -> Result<()> {
    cmd::run(paths.device().arg("sync"))?;
    let cases: serde_json::Value =
        serde_json::from_str(&capture(paths.device().args(["--json", "case", "list"]))?)
            .context("`veldwerk-cli case list --json` printed no JSON")?;
    let count = cases.as_array().map_or(0, Vec::len);
    if count == 0 {
        println!("Creating the demo caseload with {DEMO_YOUTH} synthetic young people.");
        cmd::run(
            paths
                .device()
                .args(["demo", "--youth", DEMO_YOUTH, "--seed", "1"]),
        )?;
        cmd::run(paths.device().arg("sync"))?;
    } else {
        println!("The server already has {count} cases for the demo user; pulled them.");
    }
    std::fs::write(paths.marker("seeded"), "")?;
    Ok(())
}

/// The central server running in the background; stopped when dropped.
pub struct DemoServer {
    /// `None` once stopped.
    child: Option<Child>,
    log: PathBuf,
}

impl DemoServer {
    /// Starts `veldwerk-server serve` and waits until it listens.
    fn start(paths: &Paths, url: &str) -> Result<DemoServer> {
        let log = paths.dev.join("server.log");
        let log_file = std::fs::File::options()
            .create(true)
            .append(true)
            .open(&log)?;
        let mut command = paths.admin();
        command
            .arg("serve")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file);
        println!("$ {} &", cmd::display(&command));
        let mut child = command
            .spawn()
            .with_context(|| format!("could not start `{}`", cmd::display(&command)))?;
        let stdout = child.stdout.take().context("no stdout of the server")?;
        let (tx, rx) = mpsc::channel();
        // Reads the "luistert op" line, then keeps draining stdout.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let server = DemoServer {
            child: Some(child),
            log,
        };
        let listening = rx
            .recv_timeout(SERVER_DEADLINE)
            .is_ok_and(|line| line.contains("luistert op"));
        if !listening {
            let log = std::fs::read_to_string(&server.log).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(5).collect();
            bail!(
                "the demo server did not start on {url}. Is a server of an earlier run still \
                 running on that port? Its log ({}) ends with:\n{}",
                server.log.display(),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        println!("Demo server listens on {url}");
        Ok(server)
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        // SIGTERM lets the server finish its requests and close its store;
        // kill is the fallback (SQLite in WAL mode survives that too).
        let pid = child.id();
        if !signal(pid, "-TERM") {
            let _ = child.kill();
            let _ = child.wait();
            return;
        }
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait());
        });
        if rx.recv_timeout(SERVER_DEADLINE).is_err() {
            signal(pid, "-KILL");
            let _ = rx.recv_timeout(SERVER_DEADLINE);
        }
        println!("Demo server stopped.");
    }
}

/// Sends a signal with `kill` (Unix only); whether it was delivered.
fn signal(pid: u32, which: &str) -> bool {
    cfg!(unix)
        && Command::new("kill")
            .args([which, &pid.to_string()])
            .status()
            .is_ok_and(|s| s.success())
}
