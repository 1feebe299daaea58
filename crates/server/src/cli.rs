//! The `veldwerk-server` command line: `serve`, `init`, and the admin
//! commands, which work directly on the store named in the configuration
//! file. Admin changes to the caseload (assign, share, import) go through the
//! store's sequence and audit machinery, so devices pull them.
//!
//! Output for the bureau's admin is Dutch; ids are printed on their own so
//! scripts can capture them.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use chrono::{Duration, Utc};
use clap::{Args, Parser, Subcommand};
use uuid::Uuid;
use veldwerk_protocol::{Branding, Logo, Role};

use crate::config::{Config, ConfigError};
use crate::store::{NewUser, Store, StoreError};

/// How long a device enrollment code stays valid.
pub const ENROLLMENT_CODE_VALID_MINUTES: i64 = 15;

const MAX_LOGO_BYTES: u64 = 512 * 1024;

#[derive(Debug, Parser)]
#[command(
    name = "veldwerk-server",
    version,
    about = "De centrale Veldwerk-server en zijn beheeropdrachten"
)]
pub struct Cli {
    /// Het configuratiebestand (TOML).
    #[arg(
        long,
        global = true,
        env = "VELDWERK_SERVER_CONFIG",
        default_value = "veldwerk-server.toml"
    )]
    pub config: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Schrijf een standaardconfiguratie met uitleg naar --config.
    Init,
    /// Start de server.
    Serve,
    /// Gebruikers.
    #[command(subcommand)]
    User(UserCommand),
    /// Apparaten: aanmeldcodes, overzicht, intrekken.
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Zaken toewijzen en delen.
    #[command(subcommand)]
    Case(CaseCommand),
    /// Gegevens inlezen.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Huisstijl voor brieven, kaartjes en de app.
    #[command(subcommand)]
    Branding(BrandingCommand),
    /// Het herstelsleutelpaar van het bureau.
    #[command(subcommand, name = "recovery-key")]
    RecoveryKey(RecoveryKeyCommand),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Voeg een gebruiker toe; drukt het id af.
    Add {
        #[arg(long)]
        name: String,
        /// leerplichtambtenaar, doorstroomcoach, administratief_medewerker of beheerder.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// De gebruiker is BOA.
        #[arg(long)]
        boa: bool,
        /// Een gemeente waarvoor de gebruiker werkt (mag vaker).
        #[arg(long = "gemeente")]
        gemeenten: Vec<String>,
    },
    /// Alle gebruikers.
    List,
}

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Maak een eenmalige aanmeldcode (15 minuten geldig).
    Code {
        #[arg(long)]
        user: Uuid,
    },
    /// Alle apparaten.
    List,
    /// Trek een apparaat in: bij het volgende contact wist het zijn kluis.
    Revoke { id: Uuid },
}

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Wijs een zaak toe aan een gebruiker.
    Assign {
        #[arg(long = "case")]
        case_id: String,
        #[arg(long)]
        user: Uuid,
    },
    /// Deel een zaak met een gebruiker.
    Share {
        #[arg(long = "case")]
        case_id: String,
        #[arg(long)]
        user: Uuid,
    },
    /// Alle zaken met hun toegewezen gebruiker.
    List,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Lees meldingen in uit CSV (kolommen: docs/import-meldingen.md); alles of niets.
    Meldingen {
        #[arg(long)]
        file: PathBuf,
    },
}

// Parsed once per run; boxing the big variant buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum BrandingCommand {
    /// Wijzig de huisstijl; niet genoemde onderdelen blijven zoals ze zijn.
    Set(BrandingArgs),
    /// Toon de huisstijl.
    Show,
}

#[derive(Debug, Args)]
pub struct BrandingArgs {
    #[arg(long)]
    pub organisation_name: Option<String>,
    #[arg(long)]
    pub address: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub whatsapp: Option<String>,
    #[arg(long)]
    pub website: Option<String>,
    /// Logo als SVG- of PNG-bestand.
    #[arg(long)]
    pub logo: Option<PathBuf>,
    #[arg(long)]
    pub signature_text: Option<String>,
    /// Hoofdkleur als #rrggbb.
    #[arg(long)]
    pub primary_colour: Option<String>,
    /// Accentkleur als #rrggbb.
    #[arg(long)]
    pub accent_colour: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum RecoveryKeyCommand {
    /// Maak het sleutelpaar: het geheime deel gaat eenmalig naar --out, de
    /// server bewaart alleen het publieke deel.
    Generate {
        #[arg(long)]
        out: PathBuf,
        /// Vervang een bestaande herstelsleutel (oude kluizen blijven alleen
        /// met de oude geheime sleutel te herstellen).
        #[arg(long)]
        replace: bool,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        let all: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("onbekende rol; kies uit {}", all.join(", "))
    })
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Server(#[from] crate::ServerError),
    #[error("kan {path} niet lezen")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} bestaat al; ik overschrijf het niet")]
    Exists { path: PathBuf },
    #[error("kan {path} niet schrijven")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("kan niet luisteren op {addr}")]
    Bind {
        addr: std::net::SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

/// Runs a parsed command, writing its output to `out`.
pub fn run(cli: Cli, out: &mut dyn std::io::Write) -> Result<(), CliError> {
    let w = |out: &mut dyn std::io::Write, line: String| {
        let _ = writeln!(out, "{line}");
    };
    if let Command::Init = cli.command {
        Config::write_default(&cli.config)?;
        w(
            out,
            format!("configuratie geschreven naar {}", cli.config.display()),
        );
        return Ok(());
    }
    let config = Config::load(&cli.config)?;
    if let Command::Serve = cli.command {
        return serve(config, out);
    }
    let store = Store::open(&config.store, config.store_options())?;
    let now = Utc::now();
    match cli.command {
        Command::Init | Command::Serve => {}
        Command::User(UserCommand::Add {
            name,
            role,
            boa,
            gemeenten,
        }) => {
            let user = store.add_user(
                &NewUser {
                    name,
                    role,
                    boa,
                    gemeenten,
                },
                now,
            )?;
            w(out, user.id.to_string());
        }
        Command::User(UserCommand::List) => {
            for u in store.users()? {
                let boa = if u.boa { " BOA" } else { "" };
                w(
                    out,
                    format!(
                        "{}  {}  {}{}  {}",
                        u.id,
                        u.name,
                        u.role.as_str(),
                        boa,
                        u.gemeenten.join(",")
                    ),
                );
            }
        }
        Command::Device(DeviceCommand::Code { user }) => {
            let code = store.create_enrollment_code(
                user,
                now,
                Duration::minutes(ENROLLMENT_CODE_VALID_MINUTES),
            )?;
            w(out, code);
        }
        Command::Device(DeviceCommand::List) => {
            for d in store.devices()? {
                let state = match d.revoked_at {
                    Some(t) => format!("ingetrokken {}", t.format("%Y-%m-%d %H:%M")),
                    None => "actief".into(),
                };
                let seen = d
                    .last_seen_at
                    .map_or("nooit".into(), |t| t.format("%Y-%m-%d %H:%M").to_string());
                w(
                    out,
                    format!(
                        "{}  {}  {}  laatst gezien {}  {}",
                        d.id, d.name, d.user_name, seen, state
                    ),
                );
            }
        }
        Command::Device(DeviceCommand::Revoke { id }) => {
            store.revoke_device(id, now)?;
            w(out, format!("apparaat {id} ingetrokken"));
        }
        Command::Case(CaseCommand::Assign { case_id, user }) => {
            store.assign_case(&case_id, user, now)?;
            w(out, format!("zaak {case_id} toegewezen aan {user}"));
        }
        Command::Case(CaseCommand::Share { case_id, user }) => {
            store.share_case(&case_id, user, now)?;
            w(out, format!("zaak {case_id} gedeeld met {user}"));
        }
        Command::Case(CaseCommand::List) => {
            for (id, assigned) in store.cases()? {
                w(
                    out,
                    format!(
                        "{id}  {}",
                        assigned.unwrap_or_else(|| "niet toegewezen".into())
                    ),
                );
            }
        }
        Command::Import(ImportCommand::Meldingen { file }) => {
            let text = std::fs::read_to_string(&file).map_err(|source| CliError::Read {
                path: file.clone(),
                source,
            })?;
            let s = store.import_meldingen(&text, now)?;
            w(
                out,
                format!(
                    "{} meldingen ingelezen: {} nieuwe jongeren, {} nieuwe zaken, {} gekoppeld aan een open zaak",
                    s.meldingen, s.youth_created, s.cases_created, s.cases_linked
                ),
            );
        }
        Command::Branding(BrandingCommand::Set(args)) => {
            let mut b = store.branding()?;
            apply_branding(&mut b, args)?;
            store.set_branding(&b, now)?;
            w(out, "huisstijl opgeslagen".into());
        }
        Command::Branding(BrandingCommand::Show) => {
            let b = store.branding()?;
            let mut shown = b.clone();
            if let Some(logo) = &mut shown.logo {
                logo.data_base64 = format!("<{} tekens>", logo.data_base64.len());
            }
            w(
                out,
                serde_json::to_string_pretty(&shown).unwrap_or_default(),
            );
        }
        Command::RecoveryKey(RecoveryKeyCommand::Generate { out: file, replace }) => {
            let public = generate_recovery_key(&store, &file, replace, now)?;
            w(out, public);
        }
    }
    Ok(())
}

fn apply_branding(b: &mut Branding, args: BrandingArgs) -> Result<(), CliError> {
    let set = |field: &mut String, v: Option<String>| {
        if let Some(v) = v {
            *field = v;
        }
    };
    set(&mut b.organisation_name, args.organisation_name);
    set(&mut b.address, args.address);
    set(&mut b.phone, args.phone);
    set(&mut b.whatsapp, args.whatsapp);
    set(&mut b.website, args.website);
    set(&mut b.signature_text, args.signature_text);
    for (field, v) in [
        (&mut b.colours.primary, args.primary_colour),
        (&mut b.colours.accent, args.accent_colour),
    ] {
        if let Some(v) = v {
            let ok =
                v.len() == 7 && v.starts_with('#') && v[1..].bytes().all(|c| c.is_ascii_hexdigit());
            if !ok {
                return Err(CliError::Invalid(format!(
                    "kleur {v:?} moet de vorm #rrggbb hebben"
                )));
            }
            *field = v;
        }
    }
    if let Some(path) = args.logo {
        b.logo = Some(read_logo(&path)?);
    }
    Ok(())
}

fn read_logo(path: &Path) -> Result<Logo, CliError> {
    let media_type = match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => {
            return Err(CliError::Invalid(
                "het logo moet een .svg- of .png-bestand zijn".into(),
            ));
        }
    };
    let read_err = |source| CliError::Read {
        path: path.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_err)?.len();
    if size > MAX_LOGO_BYTES {
        return Err(CliError::Invalid(format!(
            "het logo is groter dan {} kB",
            MAX_LOGO_BYTES / 1024
        )));
    }
    let bytes = std::fs::read(path).map_err(|source| CliError::Read {
        path: path.to_owned(),
        source,
    })?;
    Ok(Logo {
        media_type: media_type.into(),
        data_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
    })
}

/// Generates the bureau's age X25519 recovery identity, writes its private
/// part once to `file` (never over an existing file; owner-only on Unix) and
/// keeps only the public key in the store. Returns the public key.
fn generate_recovery_key(
    store: &Store,
    file: &Path,
    replace: bool,
    now: chrono::DateTime<Utc>,
) -> Result<String, CliError> {
    use age::secrecy::ExposeSecret as _;
    if store.recovery_public_key()?.is_some() && !replace {
        return Err(StoreError::RecoveryKeyExists.into());
    }
    let identity = age::x25519::Identity::generate();
    let public = identity.to_public().to_string();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(file).map_err(|source| {
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            CliError::Exists {
                path: file.to_owned(),
            }
        } else {
            CliError::Write {
                path: file.to_owned(),
                source,
            }
        }
    })?;
    let text = format!(
        "# Herstelsleutel van het bureau, gemaakt {}.\n# Bewaar dit bestand offline en veilig: wie het heeft, kan elke kluis openen.\n# public key: {public}\n{}\n",
        now.format("%Y-%m-%d"),
        identity.to_string().expose_secret()
    );
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|source| CliError::Write {
            path: file.to_owned(),
            source,
        })?;
    store.set_recovery_public_key(&public, replace, now)?;
    Ok(public)
}

fn serve(config: Config, out: &mut dyn std::io::Write) -> Result<(), CliError> {
    let level = config
        .log
        .parse::<tracing::Level>()
        .unwrap_or(tracing::Level::INFO);
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .try_init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| CliError::Bind {
            addr: config.listen,
            source,
        })?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|source| CliError::Bind {
                addr: config.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| CliError::Bind {
            addr: config.listen,
            source,
        })?;
        let scheme = if config.tls.is_some() {
            "https"
        } else {
            "http"
        };
        let _ = writeln!(out, "veldwerk-server luistert op {scheme}://{addr}");
        let _ = out.flush();
        crate::launch_with_listener(config, listener, shutdown_signal()).await?;
        Ok(())
    })
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("shutting down");
}
