//! Headless Debian Chromium under chromedriver: the browser of a family that
//! scans a letter's QR code. The Debian packages `chromium` and
//! `chromium-driver` provide `/usr/bin/chromium` and `/usr/bin/chromedriver`
//! (`cargo xtask setup` installs them); `VELDWERK_CHROMIUM` and
//! `VELDWERK_CHROMEDRIVER` point elsewhere.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::json;

use crate::webdriver::{Session, UI_TIMEOUT};

fn program(env: &str, default: &str) -> Result<PathBuf> {
    let path = std::env::var_os(env).map_or_else(|| PathBuf::from(default), PathBuf::from);
    if !path.is_file() {
        bail!(
            "{} is missing: apt-get install -y chromium chromium-driver (or set {env})",
            path.display()
        );
    }
    Ok(path)
}

/// A running chromedriver with its own browser profile, stopped on drop.
pub struct ChromeDriver {
    child: Child,
    base: String,
    chromium: PathBuf,
    profile: tempfile::TempDir,
}

impl ChromeDriver {
    /// Starts chromedriver on a free loopback port and waits until it listens.
    pub fn start() -> Result<Self> {
        let chromium = program("VELDWERK_CHROMIUM", "/usr/bin/chromium")?;
        let driver = program("VELDWERK_CHROMEDRIVER", "/usr/bin/chromedriver")?;
        let port = crate::free_port()?;
        let child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", driver.display()))?;
        let mut this = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            chromium,
            profile: tempfile::tempdir()?,
        };
        let deadline = Instant::now() + UI_TIMEOUT;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = this.child.try_wait()? {
                bail!("chromedriver exited early ({status})");
            }
            if Instant::now() > deadline {
                bail!("chromedriver did not listen on port {port} in time");
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        Ok(this)
    }

    /// A new headless browser window. JavaScript stays on (the form must
    /// not need it, and the test does not use it).
    pub fn session(&self) -> Result<Session> {
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": self.chromium,
                        "args": [
                            "--headless=new",
                            // Test containers run as root, where Chromium's sandbox cannot start.
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-dev-shm-usage",
                            "--no-first-run",
                            "--window-size=412,915",
                            format!("--user-data-dir={}", self.profile.path().display()),
                        ]
                    }
                }
            }
        });
        Session::open(&self.base, &caps)
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
