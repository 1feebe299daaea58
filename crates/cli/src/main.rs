//! `veldwerk-cli`: a headless device tool over the vault, sync and print, for
//! the office (batch work, scripting) and for tests and benchmarks.
//!
//! The passphrase comes from `VELDWERK_PASSPHRASE` or a prompt without echo
//! (or a line on standard input when it is not a terminal), never from an
//! argument: arguments show in process lists and shell history. `--json`
//! gives machine-readable output. A bad value (date, postcode, BSN, ...)
//! ends the command with a one-line Dutch message naming the field and exit
//! code 1, before the vault is opened, so nothing is written.

mod bench_print;
mod input;
mod print_cmd;
mod sync_cmd;

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::json;
use veldwerk_domain::rules::{LegalStatus, SchoolHistory};
use veldwerk_vault::bench::{self, BenchOptions};
use veldwerk_vault::demo::{self, DemoOptions};
use veldwerk_vault::model::{CaseloadQuery, NewCase, NewYouth};
use veldwerk_vault::{Passphrase, Vault};

/// The environment variable that holds the passphrase.
const PASSPHRASE_ENV: &str = "VELDWERK_PASSPHRASE";

#[derive(Parser)]
#[command(
    name = "veldwerk-cli",
    version,
    about = "Veldwerk zonder scherm: kluis, demo-gegevens, brieven, regels en metingen"
)]
struct Cli {
    /// The vault folder.
    #[arg(long, global = true, env = "VELDWERK_VAULT", value_name = "DIR")]
    vault: Option<PathBuf>,
    /// Machine-readable output (JSON).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new vault in --vault, its key wrapped for the passphrase and
    /// the bureau's recovery key.
    Init {
        /// The bureau's recovery public key (age1...).
        #[arg(long)]
        recovery_recipient: String,
    },
    /// Fill the vault with a synthetic caseload (deterministic per seed).
    Demo {
        #[arg(long, default_value_t = 2000)]
        youth: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The day the caseload is "now" (JJJJ-MM-DD); default today.
        #[arg(long)]
        today: Option<String>,
    },
    /// Youth (jongeren).
    Youth {
        #[command(subcommand)]
        command: YouthCommand,
    },
    /// Search names, addresses, schools and notes as you type.
    Search {
        text: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Cases (werkprocessen).
    Case {
        #[command(subcommand)]
        command: CaseCommand,
    },
    /// Today's agenda: appointments and due or overdue tasks.
    Agenda {
        /// JJJJ-MM-DD; default today.
        #[arg(long)]
        day: Option<String>,
    },
    /// Remove closed cases whose retention has passed (no sync operation).
    PurgeClosed {
        #[arg(long, default_value_t = veldwerk_vault::DEFAULT_CLOSED_CASE_RETENTION_DAYS)]
        retention_days: u32,
    },
    /// What the law says about a birth date on a day (no vault needed).
    Rules {
        #[arg(long)]
        birth_date: String,
        /// JJJJ-MM-DD; default today.
        #[arg(long)]
        on: Option<String>,
    },
    /// Open the vault with the bureau's recovery identity and set a new
    /// passphrase, read from the environment variable named here.
    Recover {
        /// The age identity file (AGE-SECRET-KEY-1...).
        #[arg(long)]
        identity: PathBuf,
        #[arg(long, value_name = "VAR")]
        new_passphrase_env: String,
    },
    /// Enroll this device with the bureau's server using a one-time code;
    /// creates the vault when there is none.
    Enroll {
        /// The server address, e.g. https://veldwerk.bureau.nl
        #[allow(rustdoc::bare_urls)] // clap shows this line as help text
        #[arg(long)]
        server: String,
        /// The one-time code from the office (XXXX-XXXX-XXXX).
        #[arg(long)]
        code: String,
        /// A name the office recognises this device by.
        #[arg(long, default_value = "veldwerk-cli")]
        device_name: String,
    },
    /// Sync once with the server: push local changes, pull the caseload.
    Sync,
    /// Letters, batches and sheets of visit cards to PDF, with QR codes.
    Print {
        /// The public address of the bureau's server in the QR codes
        /// (https://...); default the server this vault enrolled with.
        #[arg(long, global = true)]
        public_url: Option<String>,
        #[command(subcommand)]
        command: print_cmd::PrintCommand,
    },
    /// Benchmarks for `cargo xtask bench` (BENCH lines on stdout).
    Bench {
        suite: BenchSuite,
        #[arg(long, default_value_t = 2000)]
        youth: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print: letters in the batch.
        #[arg(long, default_value_t = 500)]
        letters: usize,
    },
}

#[derive(Subcommand)]
enum YouthCommand {
    /// Add a youth; prints the new id.
    Add {
        #[arg(long)]
        given_name: String,
        #[arg(long)]
        family_name: String,
        /// Tussenvoegsel ("van der").
        #[arg(long)]
        prefix: Option<String>,
        /// Roepnaam, when not the first given name.
        #[arg(long)]
        call_name: Option<String>,
        #[arg(long)]
        birth_date: String,
        #[arg(long)]
        bsn: Option<String>,
        #[arg(long)]
        onderwijsnummer: Option<String>,
        #[arg(long)]
        street: Option<String>,
        #[arg(long)]
        number: Option<String>,
        #[arg(long)]
        postcode: Option<String>,
        #[arg(long)]
        town: Option<String>,
        #[arg(long)]
        gemeente: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        email: Option<String>,
    },
}

#[derive(Subcommand)]
enum CaseCommand {
    /// The caseload list: id, kind, status, youth name, due tasks, legal status.
    List {
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        gemeente: Option<String>,
        /// A school id.
        #[arg(long)]
        school: Option<String>,
        /// Only cases with tasks due (or overdue).
        #[arg(long)]
        due: bool,
        /// naam, geopend, taken or werkproces.
        #[arg(long, default_value = "naam")]
        sort: String,
        /// The day for due tasks and legal status (JJJJ-MM-DD); default today.
        #[arg(long)]
        on: Option<String>,
    },
    /// Open a case for a youth; prints the new id.
    Add {
        #[arg(long)]
        youth: String,
        /// verzuim, vrijstelling, vsv or informatie_advies.
        #[arg(long)]
        kind: String,
        /// Verzuim or vsv soort, or a vrijstelling article (5a, 15, ...).
        #[arg(long)]
        soort: Option<String>,
        /// JJJJ-MM-DD; default today.
        #[arg(long)]
        opened_on: Option<String>,
    },
    /// "Niet thuis, kaartje achtergelaten": a home visit where nobody was
    /// home and a card printed in advance (`print cards`) went in the
    /// letterbox; its short code links the card to the case, so an answer
    /// through that card lands here. Saves the follow-up the rules propose.
    CardLeft {
        #[arg(long)]
        case: String,
        /// The code printed on the card (XXXXX-XXXXX).
        #[arg(long)]
        code: String,
        /// When (JJJJ-MM-DD UU:MM); default now.
        #[arg(long)]
        at: Option<String>,
    },
    /// Close a case with an outcome code from its list (`case show --json`
    /// gives the case's kind and soort; Halt and PV need a BOA). Needs an
    /// enrolled vault: the enrolled user's role decides what may be recorded.
    Close {
        #[arg(long)]
        case: String,
        /// The outcome code, e.g. niet_verwijtbaar, onterechte_melding.
        #[arg(long)]
        outcome: String,
        /// JJJJ-MM-DD; default today.
        #[arg(long)]
        on: Option<String>,
    },
    /// A case with its timeline (audited as a view).
    Show {
        id: String,
        #[arg(long)]
        on: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum BenchSuite {
    /// The vault's figures, on a generated demo vault.
    Vault,
    /// Letters to PDF, against LibreOffice when installed; on --vault when
    /// given, else on a generated demo vault.
    Print,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: the message and its causes, never a backtrace.
            let message = format!("{e:#}").replace('\n', " ");
            eprintln!("fout: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Today in the Netherlands, whatever the machine's time zone.
fn today() -> NaiveDate {
    veldwerk_domain::time::dutch_date(chrono::Utc::now())
}

fn day(text: Option<&str>, field: &str) -> Result<NaiveDate> {
    text.map_or_else(|| Ok(today()), |t| input::date(t, field))
}

fn vault_dir(cli_vault: Option<&Path>) -> Result<&Path> {
    cli_vault.context("Kluis: geef de map met --vault DIR")
}

/// The passphrase from the environment, a prompt, or standard input.
fn passphrase(prompt: &str) -> Result<Passphrase> {
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        return Ok(Passphrase::new(p));
    }
    if std::io::stdin().is_terminal() {
        let p = rpassword::prompt_password(prompt).context("Wachtwoord: niet te lezen")?;
        return Ok(Passphrase::new(p));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("Wachtwoord: niet te lezen van standaardinvoer")?;
    let trimmed = line.trim_end_matches(['\n', '\r']).to_owned();
    Ok(Passphrase::new(trimmed))
}

fn unlock(dir: &Path) -> Result<Vault> {
    let p = passphrase("Wachtwoord van de kluis: ")?;
    Vault::unlock(dir, &p).context("Kluis openen")
}

fn print_json(value: &impl serde::Serialize) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

fn run(cli: Cli) -> Result<()> {
    let json = cli.json;
    let dir = cli.vault.as_deref();
    match cli.command {
        Command::Init { recovery_recipient } => {
            let dir = vault_dir(dir)?;
            let p = passphrase("Nieuw wachtwoord voor de kluis: ")?;
            let vault = Vault::create(dir, &p, &recovery_recipient).context("Kluis maken")?;
            vault.lock()?;
            if json {
                print_json(&json!({"created": true}))?;
            } else {
                println!("Kluis gemaakt in {}", dir.display());
            }
        }
        Command::Demo { youth, seed, today } => {
            let today = day(today.as_deref(), "Datum")?;
            let dir = vault_dir(dir)?;
            let mut vault = unlock(dir)?;
            let summary = demo::generate(&mut vault, &DemoOptions { youth, seed, today })?;
            vault.lock()?;
            if json {
                print_json(&json!({
                    "gemeenten": summary.gemeenten, "schools": summary.schools,
                    "youth": summary.youth, "contact_persons": summary.contact_persons,
                    "cases": summary.cases, "meldingen": summary.meldingen,
                    "contact_moments": summary.contact_moments, "tasks": summary.tasks,
                    "appointments": summary.appointments, "consents": summary.consents,
                    "letters": summary.letters, "group_sessions": summary.group_sessions,
                }))?;
            } else {
                println!(
                    "Demo: {} gemeenten, {} scholen, {} jongeren, {} zaken, {} contactmomenten, {} taken",
                    summary.gemeenten,
                    summary.schools,
                    summary.youth,
                    summary.cases,
                    summary.contact_moments,
                    summary.tasks
                );
            }
        }
        Command::Youth {
            command:
                YouthCommand::Add {
                    given_name,
                    family_name,
                    prefix,
                    call_name,
                    birth_date,
                    bsn,
                    onderwijsnummer,
                    street,
                    number,
                    postcode,
                    town,
                    gemeente,
                    phone,
                    email,
                },
        } => {
            // Everything is checked before the vault is opened.
            let name = input::name(
                &given_name,
                call_name.as_deref(),
                prefix.as_deref(),
                &family_name,
            )?;
            let birth_date = input::date(&birth_date, "Geboortedatum")?;
            let mut youth = NewYouth::new(name, birth_date);
            youth.bsn = input::bsn(bsn.as_deref())?;
            youth.onderwijsnummer = input::onderwijsnummer(onderwijsnummer.as_deref())?;
            youth.address = input::address(
                street.as_deref(),
                number.as_deref(),
                postcode.as_deref(),
                town.as_deref(),
                gemeente.as_deref(),
            )?;
            youth.gemeente = gemeente;
            youth.phone = input::phone(phone.as_deref())?;
            youth.email = input::email(email.as_deref())?;
            let dir = vault_dir(dir)?;
            let mut vault = unlock(dir)?;
            let id = vault.youth().add(&youth)?;
            vault.lock()?;
            if json {
                print_json(&json!({ "id": id }))?;
            } else {
                println!("{id}");
            }
        }
        Command::Search { text, limit } => {
            let vault = unlock(vault_dir(dir)?)?;
            let hits = vault.search(&text, limit)?;
            if json {
                let hits: Vec<_> = hits
                    .iter()
                    .map(|h| json!({"entity": h.entity, "id": h.entity_id, "title": h.title}))
                    .collect();
                print_json(&hits)?;
            } else {
                for h in &hits {
                    println!("{}\t{}\t{}", h.entity, h.entity_id, h.title);
                }
            }
            vault.lock()?;
        }
        Command::Case { command } => case(command, dir, json)?,
        Command::Agenda { day: d } => {
            let d = day(d.as_deref(), "Dag")?;
            let vault = unlock(vault_dir(dir)?)?;
            let agenda = vault.agenda(d)?;
            vault.lock()?;
            if json {
                print_json(&agenda)?;
            } else {
                println!("Agenda {d}");
                for a in &agenda.appointments {
                    println!(
                        "{}  {}  {}",
                        a.appointment.starts_at.format("%H:%M"),
                        a.youth_name,
                        a.appointment.location.as_deref().unwrap_or("")
                    );
                }
                for t in &agenda.tasks {
                    let late = if t.overdue { " (te laat)" } else { "" };
                    println!("taak  {}  {}{late}", t.youth_name, t.task.title);
                }
            }
        }
        Command::PurgeClosed { retention_days } => {
            let mut vault = unlock(vault_dir(dir)?)?;
            let summary = vault.purge_closed(today(), retention_days)?;
            vault.lock()?;
            if json {
                print_json(&json!({"cases": summary.cases, "youth": summary.youth,
                    "records": summary.records, "kept_unpushed": summary.kept_unpushed}))?;
            } else {
                println!(
                    "{} zaken en {} jongeren van dit apparaat gehaald ({} records)",
                    summary.cases, summary.youth, summary.records
                );
            }
        }
        Command::Rules { birth_date, on } => {
            let birth = input::date(&birth_date, "Geboortedatum")?;
            let on = day(on.as_deref(), "Datum")?;
            let status = LegalStatus::compute(birth, on, &SchoolHistory::default());
            if json {
                print_json(&status)?;
            } else {
                println!("Leeftijd:                 {}", status.age);
                println!("Status:                   {}", status.phase.label());
                println!("Schooljaar:               {}", status.school_year);
                println!("Leerplichtig vanaf:       {}", status.leerplicht_start);
                println!("Leerplichtig tot en met:  {}", status.leerplicht_end);
                println!(
                    "Kwalificatieplicht tot:   {}",
                    status.kwalificatieplicht_end
                );
                println!(
                    "Doelgroep Doorstroompunt: {} tot en met {} (grens {} jaar)",
                    status.doorstroompunt_from,
                    status.doorstroompunt_until,
                    status.doorstroompunt_age_limit
                );
            }
        }
        Command::Recover {
            identity,
            new_passphrase_env,
        } => {
            let dir = vault_dir(dir)?;
            let identity = input::identity_file(&identity)?;
            let new = std::env::var(&new_passphrase_env)
                .ok()
                .filter(|p| !p.is_empty())
                .with_context(|| format!("Nieuw wachtwoord: zet het in {new_passphrase_env}"))?;
            let vault = Vault::recover(dir, &identity, &Passphrase::new(new))
                .context("Kluis herstellen")?;
            vault.lock()?;
            if json {
                print_json(&json!({"recovered": true}))?;
            } else {
                println!("Kluis hersteld; het nieuwe wachtwoord geldt nu");
            }
        }
        Command::Enroll {
            server,
            code,
            device_name,
        } => {
            let dir = vault_dir(dir)?;
            let p = passphrase("Wachtwoord van de kluis: ")?;
            sync_cmd::run_enroll(dir, &server, &code, &device_name, &p, json)?;
        }
        Command::Sync => {
            let dir = vault_dir(dir)?;
            sync_cmd::run_sync(unlock(dir)?, json)?;
        }
        Command::Print {
            public_url,
            command,
        } => {
            print_cmd::run(command, vault_dir(dir)?, public_url.as_deref(), json)?;
        }
        Command::Bench {
            suite: BenchSuite::Print,
            youth,
            seed,
            letters,
        } => {
            let options = bench_print::Options {
                youth,
                seed,
                today: today(),
                letters,
                singles: 30,
            };
            bench_print::run(dir, || passphrase("Wachtwoord van de kluis: "), &options)?;
        }
        Command::Bench {
            suite: BenchSuite::Vault,
            youth,
            seed,
            letters: _,
        } => {
            let work = tempfile::Builder::new()
                .prefix("veldwerk-bench-")
                .tempdir()
                .context("Meting: geen tijdelijke map")?;
            let options = BenchOptions {
                youth,
                seed,
                today: today(),
            };
            bench::run(
                work.path(),
                &options,
                |line| println!("{line}"),
                |figure| {
                    let line = serde_json::to_string(figure).unwrap_or_default();
                    println!("BENCH {line}");
                },
            )?;
            work.close()
                .context("Meting: tijdelijke map niet opgeruimd")?;
        }
    }
    Ok(())
}

fn case(command: CaseCommand, dir: Option<&Path>, json: bool) -> Result<()> {
    match command {
        CaseCommand::List {
            kind,
            status,
            gemeente,
            school,
            due,
            sort,
            on,
        } => {
            let query = CaseloadQuery {
                kind: kind.as_deref().map(input::case_kind).transpose()?,
                status: status.as_deref().map(input::case_status).transpose()?,
                due_only: due,
                gemeente,
                school_id: school
                    .as_deref()
                    .map(|s| input::id(s, "School"))
                    .transpose()?,
                sort: input::sort(&sort)?,
            };
            let on = day(on.as_deref(), "Datum")?;
            let vault = unlock(vault_dir(dir)?)?;
            let list = vault.caseload(&query, on)?;
            vault.lock()?;
            if json {
                let rows: Vec<_> = list
                    .iter()
                    .map(|c| {
                        json!({
                            "id": c.id, "kind": c.kind, "soort": c.soort, "status": c.status,
                            "youth_id": c.youth_id, "youth_name": c.youth_name,
                            "due_tasks": c.due_tasks, "opened_on": c.opened_on,
                            "closed_on": c.closed_on, "gemeente": c.gemeente,
                            "legal_status": c.legal_status,
                        })
                    })
                    .collect();
                print_json(&rows)?;
            } else {
                for c in &list {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        c.id,
                        c.kind.code(),
                        c.status.code(),
                        c.youth_name,
                        c.due_tasks
                    );
                }
            }
        }
        CaseCommand::Add {
            youth,
            kind,
            soort,
            opened_on,
        } => {
            let youth_id = input::id(&youth, "Jongere")?;
            let kind = input::case_kind(&kind)?;
            let sub_kind = soort
                .as_deref()
                .map(|s| input::sub_kind(kind, s))
                .transpose()?;
            let opened_on = day(opened_on.as_deref(), "Startdatum")?;
            let mut vault = unlock(vault_dir(dir)?)?;
            if vault.youth().get(youth_id)?.is_none() {
                bail!("Jongere: deze jongere staat niet in de kluis");
            }
            let mut new = NewCase::new(youth_id, kind, opened_on);
            new.sub_kind = sub_kind;
            let id = vault.cases().open(&new)?;
            vault.lock()?;
            if json {
                print_json(&json!({ "id": id }))?;
            } else {
                println!("{id}");
            }
        }
        CaseCommand::CardLeft { case, code, at } => {
            let case_id = input::id(&case, "Zaak")?;
            let code = veldwerk_protocol::ShortCode::parse(&code).map_err(|_| {
                anyhow::anyhow!("Code klopt niet: een code heeft 10 tekens, zoals 7K3QD-M9XAB")
            })?;
            let at = match at {
                Some(text) => chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M")
                    .map_err(|_| {
                        anyhow::anyhow!("Tijdstip klopt niet: gebruik JJJJ-MM-DD UU:MM")
                    })?,
                None => veldwerk_domain::time::dutch_local(chrono::Utc::now()),
            };
            let mut vault = unlock(vault_dir(dir)?)?;
            if vault.cases().get(case_id)?.is_none() {
                bail!("Zaak: deze zaak staat niet in de kluis");
            }
            let Some(card) = vault.printed_card(&code)? else {
                bail!("Code: geen kaartje met deze code gedrukt op dit apparaat");
            };
            let recorded = vault.record_home_visit(
                case_id,
                veldwerk_vault::model::HomeVisit {
                    at,
                    outcome: veldwerk_domain::ContactOutcome::NotHome,
                    note: None,
                    card: Some(card),
                    followup: None,
                },
            )?;
            vault.lock()?;
            if json {
                print_json(&recorded)?;
            } else {
                println!(
                    "Huisbezoek vastgelegd: niet thuis, kaartje {} achtergelaten",
                    code.grouped()
                );
            }
        }
        CaseCommand::Close { case, outcome, on } => {
            let case_id = input::id(&case, "Zaak")?;
            let outcome: veldwerk_domain::Outcome = outcome
                .parse()
                .map_err(|_| anyhow::anyhow!("Uitkomst: onbekende code {outcome:?}"))?;
            let on = day(on.as_deref(), "Datum")?;
            let mut vault = unlock(vault_dir(dir)?)?;
            let Some(user) = veldwerk_sync::stored_user(&vault)? else {
                vault.lock()?;
                bail!("Deze kluis is niet aangemeld bij een bureau: meld hem eerst aan (enroll)");
            };
            let closed = vault.cases().close(case_id, on, outcome, &user);
            vault.lock()?;
            closed?;
            if json {
                print_json(&json!({ "id": case_id, "outcome": outcome.code(), "closed_on": on }))?;
            } else {
                println!("Zaak afgesloten: {}", outcome.label());
            }
        }
        CaseCommand::Show { id, on } => {
            let case_id = input::id(&id, "Zaak")?;
            let on = day(on.as_deref(), "Datum")?;
            let mut vault = unlock(vault_dir(dir)?)?;
            let detail = vault.case_detail(case_id, on)?;
            vault.lock()?;
            let Some(detail) = detail else {
                bail!("Zaak: deze zaak staat niet in de kluis");
            };
            if json {
                print_json(&detail)?;
            } else {
                let name = detail
                    .youth
                    .as_ref()
                    .map(|y| y.display_name())
                    .unwrap_or_default();
                println!(
                    "{} {} ({}), {}",
                    detail.case.kind.label(),
                    name,
                    detail
                        .legal_status
                        .map(|s| s.phase.label())
                        .unwrap_or_default(),
                    detail.case.status.label()
                );
                for entry in &detail.timeline {
                    println!("{}  {}", entry.at().format("%Y-%m-%d %H:%M"), entry.id());
                }
            }
        }
    }
    Ok(())
}
