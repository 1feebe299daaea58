//! `print`: letters, batches and sheets of visit cards from the vault to a
//! PDF, for the office.
//!
//! Every letter gets a new response token; after the PDF is written the
//! vault records, per letter, the `letter` (token, case, letter type,
//! expiry) and a "brief verstuurd" contact moment, both pushed at the next
//! sync so the server knows which case the QR code belongs to. A card sheet
//! keeps its tokens in the vault, so a card left at a home can be linked to
//! the case by its short code. When recording fails the PDF is removed: a
//! letter that is printed must be answerable.
//!
//! The house style is what enrollment stored from the server (or the
//! built-in one), the author the enrolled user (or, before enrollment, the
//! bureau signs). The QR codes point at `--public-url`, or else at the
//! server the vault enrolled with.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use chrono::{NaiveDate, NaiveTime};
use clap::{Args, Subcommand};
use serde_json::json;
use uuid::Uuid;
use veldwerk_domain::LetterKind as DomainLetterKind;
use veldwerk_print::{
    Addressee, Appointment, Branding, Consultant, HomeVisit, Letter, LetterKind, LetterType,
    PostalAddress, PrintError, Printer, Rendered, ResponseBase, ResponseLink, SignedBy,
    TemplateSet, Warning, YoungPerson,
};
use veldwerk_protocol::{Role, UserProfile};
use veldwerk_vault::{
    LetterRecipient, MailingAddress, MetaKey, PrintedLetter, Vault, letter_link_expires_on,
};

use crate::input;

#[derive(Subcommand)]
pub enum PrintCommand {
    /// One letter for a case, with its own QR code.
    Letter {
        /// The case id.
        #[arg(long)]
        case: String,
        /// uitnodiging-gesprek, aankondiging-huisbezoek,
        /// kennismaking-doorstroompunt, absoluut-verzuim, afspraakbevestiging
        /// or officiele-waarschuwing.
        #[arg(long)]
        template: String,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        #[command(flatten)]
        details: LetterDetails,
    },
    /// A sheet of business cards (ten on an A4 page), each with its own QR code.
    Cards {
        #[arg(long, default_value_t = 10)]
        count: usize,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// The same letter for several cases in one PDF (an outreach run);
    /// records "brief verstuurd" on every case.
    Batch {
        #[arg(long)]
        template: String,
        /// Case ids, separated by commas.
        #[arg(long, value_delimiter = ',', required = true)]
        cases: Vec<String>,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        #[command(flatten)]
        details: LetterDetails,
    },
}

/// What a letter type needs besides the case: the appointment, the home
/// visit, a reply date, the facts of a warning.
#[derive(Args)]
pub struct LetterDetails {
    /// The letter's date (JJJJ-MM-DD); default today.
    #[arg(long)]
    date: Option<String>,
    /// The day of the appointment or home visit (JJJJ-MM-DD).
    #[arg(long)]
    on: Option<String>,
    /// Start time (UU:MM).
    #[arg(long)]
    from: Option<String>,
    /// End time (UU:MM).
    #[arg(long)]
    until: Option<String>,
    /// Where the appointment is.
    #[arg(long)]
    place: Option<String>,
    /// An address line of the place (repeat for more lines).
    #[arg(long)]
    place_address: Vec<String>,
    /// Absoluut verzuim: answer before (JJJJ-MM-DD); default two weeks after the letter.
    #[arg(long)]
    reply_before: Option<String>,
    /// Officiële waarschuwing: the school that reported the absence.
    #[arg(long)]
    school: Option<String>,
    #[arg(long)]
    period_from: Option<String>,
    #[arg(long)]
    period_until: Option<String>,
    /// Hours of unauthorised absence in that period.
    #[arg(long)]
    hours: Option<u32>,
}

/// Letter types by the print template's name and the domain's code.
const LETTER_TYPES: [(LetterType, DomainLetterKind); 6] = [
    (LetterType::Invitation, DomainLetterKind::InvitationToTalk),
    (
        LetterType::HomeVisitAnnouncement,
        DomainLetterKind::HomeVisitAnnouncement,
    ),
    (
        LetterType::DoorstroompuntIntroduction,
        DomainLetterKind::DoorstroompuntIntroduction,
    ),
    (
        LetterType::AbsoluteAbsence,
        DomainLetterKind::AbsoluutVerzuimToParents,
    ),
    (
        LetterType::AppointmentConfirmation,
        DomainLetterKind::AppointmentConfirmation,
    ),
    (
        LetterType::OfficialWarning,
        DomainLetterKind::OfficialWarning,
    ),
];

fn letter_type(name: &str) -> Result<(LetterType, DomainLetterKind)> {
    let name = name.trim().to_lowercase();
    LETTER_TYPES
        .into_iter()
        .find(|(t, k)| t.as_str() == name || k.code() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = LETTER_TYPES.iter().map(|(t, _)| t.as_str()).collect();
            anyhow!("Sjabloon bestaat niet: kies uit {}", names.join(", "))
        })
}

fn time(text: Option<&str>, field: &str) -> Result<Option<NaiveTime>> {
    text.map(|t| {
        NaiveTime::parse_from_str(t.trim(), "%H:%M")
            .map_err(|_| anyhow!("{field} klopt niet: gebruik UU:MM, zoals 14:30"))
    })
    .transpose()
}

fn date(text: Option<&str>, field: &str) -> Result<Option<NaiveDate>> {
    text.map(|t| input::date(t, field)).transpose()
}

/// The letter type's facts, checked before the vault is opened.
fn letter_kind(t: LetterType, d: &LetterDetails, letter_date: NaiveDate) -> Result<LetterKind> {
    let on = date(d.on.as_deref(), "Dag (--on)")?;
    let from = time(d.from.as_deref(), "Begintijd (--from)")?;
    let until = time(d.until.as_deref(), "Eindtijd (--until)")?;
    let appointment = || -> Result<Appointment> {
        let (Some(date), Some(start), Some(place)) = (on, from, d.place.clone()) else {
            bail!("Afspraak: geef --on, --from en --place (en eventueel --until)");
        };
        Ok(Appointment {
            date,
            start,
            end: until,
            place,
            place_address: d.place_address.clone(),
            with_whom: None,
        })
    };
    Ok(match t {
        LetterType::Invitation => LetterKind::Invitation(appointment()?),
        LetterType::AppointmentConfirmation => LetterKind::AppointmentConfirmation(appointment()?),
        LetterType::HomeVisitAnnouncement => {
            let (Some(date), Some(from), Some(until)) = (on, from, until) else {
                bail!("Huisbezoek: geef --on, --from en --until");
            };
            if until <= from {
                bail!("Huisbezoek: de eindtijd (--until) moet na de begintijd (--from) liggen");
            }
            LetterKind::HomeVisitAnnouncement(HomeVisit { date, from, until })
        }
        LetterType::DoorstroompuntIntroduction => LetterKind::DoorstroompuntIntroduction,
        LetterType::AbsoluteAbsence => LetterKind::AbsoluteAbsence {
            reply_before: match date(d.reply_before.as_deref(), "Antwoord voor (--reply-before)")? {
                Some(day) => day,
                None => letter_date
                    .checked_add_days(chrono::Days::new(14))
                    .unwrap_or(letter_date),
            },
        },
        LetterType::OfficialWarning => {
            let from = date(d.period_from.as_deref(), "Periode vanaf (--period-from)")?;
            let until = date(d.period_until.as_deref(), "Periode tot (--period-until)")?;
            let (Some(school), Some(period_from), Some(period_until), Some(hours)) =
                (d.school.clone(), from, until, d.hours)
            else {
                bail!(
                    "Officiële waarschuwing: geef --school, --period-from, --period-until en --hours"
                );
            };
            LetterKind::OfficialWarning(Warning {
                school,
                period_from,
                period_until,
                hours,
            })
        }
    })
}

/// A print error in plain Dutch; it never carries personal data.
fn print_error(e: PrintError) -> anyhow::Error {
    match e {
        PrintError::NotBoa => {
            anyhow!("Officiële waarschuwing: alleen een BOA mag deze brief maken")
        }
        PrintError::AddresseeNotAllowed { .. } => {
            anyhow!(
                "Geadresseerde: deze brief gaat alleen naar de ouders van een jongere onder de 18"
            )
        }
        other => anyhow!("Afdrukken mislukt ({})", other.code()),
    }
}

/// The enrolled user, when the vault is enrolled.
fn profile(vault: &Vault) -> Result<Option<UserProfile>> {
    vault
        .meta(MetaKey::UserProfile)?
        .map(|text| serde_json::from_str(&text).context("Kluis: gebruikersprofiel onleesbaar"))
        .transpose()
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::Leerplichtambtenaar => "Leerplichtambtenaar",
        Role::Doorstroomcoach => "Doorstroomcoach",
        Role::AdministratiefMedewerker => "Administratief medewerker",
        Role::Beheerder => "Beheerder",
    }
}

/// The printer for this vault: its branding and its server's public address.
fn printer(vault: &Vault, public_url: Option<&str>) -> Result<Printer> {
    let branding = match vault.meta(MetaKey::Branding)? {
        Some(text) => {
            let server: veldwerk_protocol::Branding =
                serde_json::from_str(&text).context("Kluis: huisstijl onleesbaar")?;
            Branding::from_server(&server)
                .map_err(|_| anyhow!("Huisstijl van de server is onvolledig of onjuist"))?
        }
        None => Branding::builtin().map_err(print_error)?,
    };
    let url = match public_url {
        Some(url) => url.to_owned(),
        None => vault.meta(MetaKey::ServerUrl)?.context(
            "Serveradres: geef --public-url, of meld deze kluis eerst aan (veldwerk-cli enroll)",
        )?,
    };
    let base = ResponseBase::parse(&url).map_err(|_| {
        anyhow!("Serveradres klopt niet: gebruik https://naam (http alleen voor localhost)")
    })?;
    Printer::new(branding, &TemplateSet::builtin(), base).map_err(print_error)
}

/// Who signs: the enrolled user, or the bureau before enrollment.
fn author(vault: &Vault, branding: &Branding) -> Result<(Consultant, SignedBy)> {
    Ok(match profile(vault)? {
        Some(p) => (
            Consultant {
                name: p.name,
                role: role_label(p.role).to_owned(),
                phone: None,
                whatsapp: None,
                email: None,
                boa: p.boa,
            },
            SignedBy::Author,
        ),
        None => (
            Consultant {
                name: branding.signature.name.clone(),
                role: String::new(),
                phone: None,
                whatsapp: None,
                email: None,
                boa: false,
            },
            SignedBy::Bureau,
        ),
    })
}

/// The address a letter goes to (the youth's, else a parent's), or why a
/// letter cannot be sent.
pub(crate) fn postal_address(
    case_id: Uuid,
    address: Option<MailingAddress>,
) -> Result<PostalAddress> {
    let Some(a) = address else {
        bail!("Zaak {case_id}: er is geen volledig adres van de jongere of een ouder");
    };
    PostalAddress::parse(&a.street, &a.house_number, &a.postcode, &a.town)
        .map_err(|_| anyhow!("Zaak {case_id}: de postcode van het adres klopt niet"))
}

/// One case's letter from the vault (see [`Vault::letter_recipient`]),
/// addressed as [`Addressee::for_letter`] says on `letter_date`; the same
/// mapping as the app's. Used by `print` and by `bench print`.
pub(crate) fn letter_for(
    vault: &mut Vault,
    case_id: Uuid,
    kind: &LetterKind,
    letter_date: NaiveDate,
    author: &(Consultant, SignedBy),
) -> Result<Letter> {
    let LetterRecipient {
        case,
        youth,
        address,
        ..
    } = vault
        .letter_recipient(case_id)?
        .with_context(|| format!("Zaak {case_id} staat niet in de kluis"))?;
    Ok(Letter {
        kind: kind.clone(),
        reference: case.reference(),
        date: letter_date,
        young_person: YoungPerson {
            given_name: youth.name.first_name().to_owned(),
            full_name: youth.display_name(),
        },
        addressee: Addressee::for_letter(kind, youth.birth_date, letter_date),
        address: postal_address(case_id, address)?,
        author: author.0.clone(),
        signed_by: author.1,
        token: None,
    })
}

/// Write the PDF where the office asked for it.
fn write_pdf(out: &Path, rendered: &Rendered) -> Result<()> {
    std::fs::write(out, &rendered.pdf)
        .with_context(|| format!("PDF niet geschreven naar {}", out.display()))
}

fn link_json(link: &ResponseLink) -> serde_json::Value {
    json!({
        "url": link.url,
        "token": link.token.as_str(),
        "short_code": link.short_code.grouped(),
        "entry_url": link.entry_url,
    })
}

pub fn run(
    command: PrintCommand,
    dir: &Path,
    public_url: Option<&str>,
    json_out: bool,
) -> Result<()> {
    match command {
        PrintCommand::Letter {
            case,
            template,
            out,
            details,
        } => {
            let case_id = input::id(&case, "Zaak")?;
            letters(
                dir,
                public_url,
                &[case_id],
                &template,
                &details,
                &out,
                json_out,
            )
        }
        PrintCommand::Batch {
            template,
            cases,
            out,
            details,
        } => {
            let ids = cases
                .iter()
                .filter(|c| !c.trim().is_empty())
                .map(|c| input::id(c, "Zaak"))
                .collect::<Result<Vec<_>>>()?;
            if ids.is_empty() {
                bail!("Zaken: geef minstens één zaak met --cases ID,ID");
            }
            letters(dir, public_url, &ids, &template, &details, &out, json_out)
        }
        PrintCommand::Cards { count, out } => cards(dir, public_url, count, &out, json_out),
    }
}

fn letters(
    dir: &Path,
    public_url: Option<&str>,
    case_ids: &[Uuid],
    template: &str,
    details: &LetterDetails,
    out: &Path,
    json_out: bool,
) -> Result<()> {
    let (letter_type, domain_kind) = letter_type(template)?;
    let letter_date = crate::day(details.date.as_deref(), "Datum van de brief")?;
    let kind = letter_kind(letter_type, details, letter_date)?;
    let mut vault = crate::unlock(dir)?;
    let printer = printer(&vault, public_url)?;
    let author = author(&vault, printer.branding())?;
    let letters = case_ids
        .iter()
        .map(|id| letter_for(&mut vault, *id, &kind, letter_date, &author))
        .collect::<Result<Vec<_>>>()?;
    let rendered = printer.render_letters(&letters).map_err(print_error)?;
    write_pdf(out, &rendered)?;
    let now = veldwerk_domain::time::dutch_local(chrono::Utc::now()).time();
    let expires_on = letter_link_expires_on(letter_date);
    let printed: Vec<PrintedLetter> = case_ids
        .iter()
        .zip(&rendered.links)
        .map(|(case_id, link)| PrintedLetter {
            case_id: *case_id,
            template: domain_kind,
            at: letter_date.and_time(now),
            token: link.token.clone(),
            url: link.url.clone(),
            expires_on,
        })
        .collect();
    let recorded = match vault.record_printed_letters(&printed) {
        Ok(recorded) => recorded,
        Err(e) => {
            // Not recorded means not answerable: the PDF must not be used.
            let _ = std::fs::remove_file(out);
            return Err(
                anyhow::Error::new(e).context("Brieven niet vastgelegd; de PDF is verwijderd")
            );
        }
    };
    vault.lock()?;
    if json_out {
        let letters: Vec<_> = recorded
            .iter()
            .zip(&rendered.links)
            .map(|(r, link)| {
                let mut v = link_json(link);
                v["case_id"] = json!(r.case_id);
                v["letter_id"] = json!(r.letter_id);
                v["contact_moment_id"] = json!(r.contact_moment_id);
                v["expires_on"] = json!(expires_on);
                v
            })
            .collect();
        crate::print_json(&json!({
            "pdf": out,
            "template": letter_type.as_str(),
            "pages": rendered.pages,
            "letters": letters,
        }))?;
    } else {
        println!(
            "{} brief/brieven ({}) in {}; vastgelegd als 'brief verstuurd'",
            recorded.len(),
            letter_type.as_str(),
            out.display()
        );
    }
    Ok(())
}

/// Cards on one sheet; more than a few hundred is a mistake, not a job.
const MAX_CARDS: usize = 500;

fn cards(
    dir: &Path,
    public_url: Option<&str>,
    count: usize,
    out: &Path,
    json_out: bool,
) -> Result<()> {
    if !(1..=MAX_CARDS).contains(&count) {
        bail!("Aantal kaartjes: kies 1 tot en met {MAX_CARDS}");
    }
    let today = crate::today();
    let mut vault = crate::unlock(dir)?;
    let printer = printer(&vault, public_url)?;
    let (consultant, _) = author(&vault, printer.branding())?;
    let rendered = printer
        .render_business_cards(&consultant, count, today)
        .map_err(print_error)?;
    write_pdf(out, &rendered)?;
    let tokens: Vec<_> = rendered.links.iter().map(|l| l.token.clone()).collect();
    if let Err(e) = vault.record_printed_cards(&tokens, today) {
        let _ = std::fs::remove_file(out);
        return Err(anyhow::Error::new(e).context("Kaartjes niet vastgelegd; de PDF is verwijderd"));
    }
    vault.lock()?;
    if json_out {
        let cards: Vec<_> = rendered.links.iter().map(link_json).collect();
        crate::print_json(&json!({"pdf": out, "pages": rendered.pages, "cards": cards}))?;
    } else {
        println!("{count} kaartjes in {}", out.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_found_by_print_name_and_by_domain_code() -> Result<()> {
        assert_eq!(
            letter_type("aankondiging-huisbezoek")?.1,
            DomainLetterKind::HomeVisitAnnouncement
        );
        assert_eq!(
            letter_type("absoluut_verzuim_ouders")?.0,
            LetterType::AbsoluteAbsence
        );
        assert!(letter_type("brief").is_err());
        Ok(())
    }
}
