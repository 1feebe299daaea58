//! Server configuration: a TOML file, with `VELDWERK_SERVER_*` environment
//! variables overriding single settings. Relative paths in the file are
//! relative to the file's folder.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::store::StoreOptions;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address and port to listen on.
    pub listen: SocketAddr,
    /// The address devices and QR links use, e.g. `https://veldwerk.bureau.nl`.
    pub public_url: String,
    /// The SQLite store file.
    pub store: PathBuf,
    /// TLS certificate and key; without them the server only listens on loopback.
    #[serde(default)]
    pub tls: Option<TlsConfig>,
    #[serde(default)]
    pub limits: Limits,
    #[serde(default)]
    pub retention: Retention,
    /// Log level: error, warn, info, debug or trace.
    #[serde(default = "default_log")]
    pub log: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    pub cert: PathBuf,
    pub key: PathBuf,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest request body, before and after decompression.
    pub max_body_bytes: usize,
    /// Most operations in one push.
    pub max_operations_per_push: usize,
    /// Most records in one pull page.
    pub max_pull_limit: u32,
    /// Most store calls running at once (the rest wait their turn).
    pub max_concurrent_store_calls: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body_bytes: 8 * 1024 * 1024,
            max_operations_per_push: 5_000,
            max_pull_limit: 1_000,
            max_concurrent_store_calls: 32,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Retention {
    /// Days after its `closed_on` date that a closed case leaves the devices.
    /// The server keeps it.
    pub closed_case_days: u32,
}

impl Default for Retention {
    fn default() -> Retention {
        Retention {
            closed_case_days: StoreOptions::default().closed_case_retention_days,
        }
    }
}

fn default_log() -> String {
    "info".into()
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the configuration file {path} is not valid")]
    Parse {
        path: PathBuf,
        #[source]
        source: Box<toml::de::Error>,
    },
    #[error("environment variable {name} has an invalid value")]
    Env { name: String },
    #[error("{0} already exists; not overwriting it")]
    Exists(PathBuf),
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The file `veldwerk-server init` writes: every setting, with comments.
pub const DEFAULT_TOML: &str = r#"# Veldwerk server configuration.
# Every setting can be overridden by an environment variable, named in the
# comment above it. Relative paths are relative to this file's folder.

# Address and port to listen on. (VELDWERK_SERVER_LISTEN)
# Without [tls] below the server only starts on a loopback address
# (127.0.0.1 or ::1), e.g. behind a reverse proxy on the same machine.
listen = "127.0.0.1:8443"

# The address devices use and QR codes on letters point to. (VELDWERK_SERVER_PUBLIC_URL)
public_url = "https://veldwerk.example.nl"

# The store: one SQLite file. Back it up. (VELDWERK_SERVER_STORE)
store = "veldwerk-server.db"

# Log level: error, warn, info, debug or trace. Logs carry ids and counts,
# never names or case content. (VELDWERK_SERVER_LOG)
log = "info"

# TLS certificate chain and private key, PEM files.
# (VELDWERK_SERVER_TLS_CERT, VELDWERK_SERVER_TLS_KEY)
#[tls]
#cert = "cert.pem"
#key = "key.pem"

[limits]
# Largest request body in bytes, before and after decompression.
# (VELDWERK_SERVER_MAX_BODY_BYTES)
max_body_bytes = 8388608
# Most operations in one push. (VELDWERK_SERVER_MAX_OPERATIONS_PER_PUSH)
max_operations_per_push = 5000
# Most records in one pull page. (VELDWERK_SERVER_MAX_PULL_LIMIT)
max_pull_limit = 1000
# Most store calls at once. (VELDWERK_SERVER_MAX_CONCURRENT_STORE_CALLS)
max_concurrent_store_calls = 32

[retention]
# Days after a case is closed (its closed_on date) that it leaves the
# devices. The server keeps it in its archive.
# (VELDWERK_SERVER_CLOSED_CASE_DAYS)
closed_case_days = 28
"#;

impl Config {
    /// Reads the file and applies environment overrides from the process.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut config = Config::parse(&text, path)?;
        config.apply_env(std::env::vars())?;
        Ok(config)
    }

    /// Parses TOML text; relative paths are resolved against `path`'s folder.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|source| ConfigError::Parse {
            path: path.to_owned(),
            source: Box::new(source),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        config.store = base.join(&config.store);
        if let Some(tls) = &mut config.tls {
            tls.cert = base.join(&tls.cert);
            tls.key = base.join(&tls.key);
        }
        Ok(config)
    }

    /// Applies `VELDWERK_SERVER_*` overrides from `vars`.
    pub fn apply_env(
        &mut self,
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<(), ConfigError> {
        fn parsed<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, ConfigError> {
            value.parse().map_err(|_| ConfigError::Env {
                name: name.to_owned(),
            })
        }
        let (mut cert, mut key) = (None, None);
        for (name, value) in vars {
            let Some(setting) = name.strip_prefix("VELDWERK_SERVER_") else {
                continue;
            };
            match setting {
                "LISTEN" => self.listen = parsed(&name, &value)?,
                "PUBLIC_URL" => self.public_url = value,
                "STORE" => self.store = PathBuf::from(value),
                "LOG" => self.log = value,
                "TLS_CERT" => cert = Some(PathBuf::from(value)),
                "TLS_KEY" => key = Some(PathBuf::from(value)),
                "MAX_BODY_BYTES" => self.limits.max_body_bytes = parsed(&name, &value)?,
                "MAX_OPERATIONS_PER_PUSH" => {
                    self.limits.max_operations_per_push = parsed(&name, &value)?
                }
                "MAX_PULL_LIMIT" => self.limits.max_pull_limit = parsed(&name, &value)?,
                "MAX_CONCURRENT_STORE_CALLS" => {
                    self.limits.max_concurrent_store_calls = parsed(&name, &value)?
                }
                "CLOSED_CASE_DAYS" => self.retention.closed_case_days = parsed(&name, &value)?,
                _ => {}
            }
        }
        match (cert, key, &mut self.tls) {
            (None, None, _) => {}
            (Some(c), Some(k), tls) => *tls = Some(TlsConfig { cert: c, key: k }),
            (c, k, Some(tls)) => {
                if let Some(c) = c {
                    tls.cert = c;
                }
                if let Some(k) = k {
                    tls.key = k;
                }
            }
            (Some(_), None, None) => {
                return Err(ConfigError::Env {
                    name: "VELDWERK_SERVER_TLS_KEY".into(),
                });
            }
            (None, Some(_), None) => {
                return Err(ConfigError::Env {
                    name: "VELDWERK_SERVER_TLS_CERT".into(),
                });
            }
        }
        Ok(())
    }

    pub fn store_options(&self) -> StoreOptions {
        StoreOptions {
            closed_case_retention_days: self.retention.closed_case_days,
        }
    }

    /// Writes the commented default configuration to `path`, never over an
    /// existing file.
    pub fn write_default(path: &Path) -> Result<(), ConfigError> {
        use std::io::Write as _;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|source| {
                if source.kind() == std::io::ErrorKind::AlreadyExists {
                    ConfigError::Exists(path.to_owned())
                } else {
                    ConfigError::Write {
                        path: path.to_owned(),
                        source,
                    }
                }
            })?;
        file.write_all(DEFAULT_TOML.as_bytes())
            .map_err(|source| ConfigError::Write {
                path: path.to_owned(),
                source,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_file_parses_to_the_defaults() {
        let c =
            Config::parse(DEFAULT_TOML, Path::new("/etc/veldwerk/server.toml")).expect("parses");
        assert_eq!(c.store, PathBuf::from("/etc/veldwerk/veldwerk-server.db"));
        assert_eq!(c.limits, Limits::default());
        assert_eq!(c.retention, Retention::default());
        assert_eq!(c.tls, None);
        assert!(c.listen.ip().is_loopback());
    }

    #[test]
    fn environment_variables_override_the_file() {
        let mut c = Config::parse(DEFAULT_TOML, Path::new("server.toml")).expect("parses");
        c.apply_env([
            (
                "VELDWERK_SERVER_LISTEN".to_owned(),
                "0.0.0.0:443".to_owned(),
            ),
            ("VELDWERK_SERVER_MAX_PULL_LIMIT".to_owned(), "50".to_owned()),
            ("VELDWERK_SERVER_TLS_CERT".to_owned(), "/c.pem".to_owned()),
            ("VELDWERK_SERVER_TLS_KEY".to_owned(), "/k.pem".to_owned()),
            ("UNRELATED".to_owned(), "x".to_owned()),
        ])
        .expect("valid");
        assert_eq!(c.listen.port(), 443);
        assert_eq!(c.limits.max_pull_limit, 50);
        assert_eq!(
            c.tls,
            Some(TlsConfig {
                cert: "/c.pem".into(),
                key: "/k.pem".into()
            })
        );
        let bad = c.apply_env([(
            "VELDWERK_SERVER_MAX_BODY_BYTES".to_owned(),
            "veel".to_owned(),
        )]);
        assert!(matches!(bad, Err(ConfigError::Env { .. })));
    }

    #[test]
    fn unknown_settings_are_refused() {
        let text = format!("{DEFAULT_TOML}\nlisten_port = 1\n");
        assert!(Config::parse(&text, Path::new("s.toml")).is_err());
    }
}
