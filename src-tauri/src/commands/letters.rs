//! Letters for a case: which templates fit, rendering one to a PDF in the
//! private print folder (recorded on the case with its response link), and
//! opening it with the system's viewer.
//!
//! The letter's words are the templates'; this module only gathers the facts
//! (the youth's name and address, the enrolled user as author) from the vault.

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveTime};
use tauri::State;
use uuid::Uuid;
use veldwerk_domain::{LetterKind, User};
use veldwerk_print as print;
use veldwerk_vault::{LetterRecipient, MailingAddress, MetaKey, Vault};

use super::{enrolled_user, parse_date, parse_id, today};
use crate::error::{CommandError, ErrorCode};
use crate::platform;
use crate::state::AppState;
use crate::views::{
    LetterNeeds, LetterRequest, LetterTemplate, PrintedBatch, PrintedCards, PrintedLetter,
    SkippedLetter,
};

fn needs(kind: LetterKind) -> LetterNeeds {
    match kind {
        LetterKind::InvitationToTalk | LetterKind::AppointmentConfirmation => {
            LetterNeeds::Appointment
        }
        LetterKind::HomeVisitAnnouncement => LetterNeeds::Visit,
        LetterKind::DoorstroompuntIntroduction => LetterNeeds::Nothing,
        LetterKind::AbsoluutVerzuimToParents => LetterNeeds::ReplyBefore,
        LetterKind::OfficialWarning => LetterNeeds::Warning,
    }
}

#[tauri::command]
pub async fn letter_templates(
    state: State<'_, AppState>,
    case_id: String,
) -> Result<Vec<LetterTemplate>, CommandError> {
    parse_id(&case_id)?;
    state.with_vault(|v| {
        let boa = enrolled_user(v)?.is_enforcing_boa();
        Ok(LetterKind::all()
            .iter()
            .map(|kind| {
                let blocked = (*kind == LetterKind::OfficialWarning && !boa).then(|| {
                    "Alleen een leerplichtambtenaar met BOA-bevoegdheid kan een officiële waarschuwing maken.".to_owned()
                });
                LetterTemplate {
                    code: kind.code().to_owned(),
                    label: kind.label().to_owned(),
                    needs: needs(*kind),
                    allowed: blocked.is_none(),
                    reason: blocked,
                }
            })
            .collect())
    })
}

fn time(text: Option<&str>, what: &str) -> Result<NaiveTime, CommandError> {
    text.and_then(|t| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok())
        .ok_or_else(|| {
            CommandError::invalid(format!("Vul {what} in als een tijd, bijvoorbeeld 14:30."))
        })
}

fn date(text: Option<&str>, what: &str) -> Result<NaiveDate, CommandError> {
    parse_date(text.unwrap_or_default(), what)
}

fn letter_kind(
    kind: LetterKind,
    r: &LetterRequest,
    school: Option<String>,
) -> Result<print::LetterKind, CommandError> {
    let appointment = || -> Result<print::Appointment, CommandError> {
        let place = r.place.as_deref().map(str::trim).unwrap_or_default();
        if place.is_empty() {
            return Err(CommandError::invalid("Vul in waar het gesprek is."));
        }
        Ok(print::Appointment {
            date: date(r.date.as_deref(), "De datum van het gesprek")?,
            start: time(r.from.as_deref(), "de begintijd")?,
            end: None,
            place: place.to_owned(),
            place_address: Vec::new(),
            with_whom: None,
        })
    };
    Ok(match kind {
        LetterKind::InvitationToTalk => print::LetterKind::Invitation(appointment()?),
        LetterKind::AppointmentConfirmation => {
            print::LetterKind::AppointmentConfirmation(appointment()?)
        }
        LetterKind::HomeVisitAnnouncement => {
            let from = time(r.from.as_deref(), "de tijd vanaf")?;
            let until = time(r.until.as_deref(), "de tijd tot")?;
            if until <= from {
                return Err(CommandError::invalid(
                    "De eindtijd van het bezoek moet na de begintijd liggen.",
                ));
            }
            print::LetterKind::HomeVisitAnnouncement(print::HomeVisit {
                date: date(r.date.as_deref(), "De datum van het huisbezoek")?,
                from,
                until,
            })
        }
        LetterKind::DoorstroompuntIntroduction => print::LetterKind::DoorstroompuntIntroduction,
        LetterKind::AbsoluutVerzuimToParents => print::LetterKind::AbsoluteAbsence {
            reply_before: date(
                r.reply_before.as_deref(),
                "De datum waarvoor de ouders antwoorden",
            )?,
        },
        LetterKind::OfficialWarning => print::LetterKind::OfficialWarning(print::Warning {
            school: school.ok_or_else(|| {
                CommandError::invalid(
                    "Er is geen school bij deze zaak. De waarschuwing noemt de school.",
                )
            })?,
            period_from: date(r.period_from.as_deref(), "Het begin van de periode")?,
            period_until: date(r.period_until.as_deref(), "Het einde van de periode")?,
            hours: r
                .hours
                .ok_or_else(|| CommandError::invalid("Vul het aantal uren verzuim in."))?,
        }),
    })
}

/// The address a letter goes to, with the postcode checked.
fn postal_address(a: &MailingAddress) -> Result<print::PostalAddress, CommandError> {
    print::PostalAddress::parse(&a.street, &a.house_number, &a.postcode, &a.town).map_err(|_| {
        CommandError::invalid(
            "De postcode van het adres klopt niet. Pas het adres aan en probeer het opnieuw.",
        )
    })
}

/// The enrolled user as author of letters and cards. The server's profile
/// carries no personal phone number or e-mail address: the letter gives the
/// bureau's (from the branding) instead.
fn consultant(user: &User) -> print::Consultant {
    print::Consultant {
        name: user.name.clone(),
        role: user.role.label().to_owned(),
        phone: None,
        whatsapp: None,
        email: None,
        boa: user.is_enforcing_boa(),
    }
}

/// The letter for one case: the youth's name and address, the enrolled
/// user as author. Returns it with the youth's name (for the skipped list).
fn letter_for(
    v: &mut Vault,
    user: &User,
    kind: LetterKind,
    case_id: Uuid,
    request: &LetterRequest,
    day: NaiveDate,
) -> Result<(print::Letter, String), CommandError> {
    let LetterRecipient {
        case,
        youth,
        address,
        school_name,
    } = v
        .letter_recipient(case_id)?
        .ok_or_else(CommandError::not_found)?;
    let letter_kind = letter_kind(kind, request, school_name)?;
    let address = address.ok_or_else(|| {
        CommandError::invalid(
            "Er is geen volledig adres bekend (straat, huisnummer, postcode en plaats). Vul eerst het adres aan.",
        )
    })?;
    let letter = print::Letter {
        addressee: print::Addressee::for_letter(&letter_kind, youth.birth_date, day),
        kind: letter_kind,
        reference: case.reference(),
        date: day,
        young_person: print::YoungPerson {
            given_name: youth.name.first_name().to_owned(),
            full_name: youth.display_name(),
        },
        address: postal_address(&address)?,
        author: consultant(user),
        signed_by: print::SignedBy::Author,
        token: None,
    };
    Ok((letter, youth.display_name()))
}

/// The bureau's house style as the server sent it at enrollment (or the
/// last profile refresh), stored in the vault; the built-in house style only
/// when the vault holds none. A stored branding that does not read is an
/// error, not a silent fallback: letters must not go out in the wrong style.
fn branding_of(v: &Vault) -> Result<print::Branding, CommandError> {
    match v.meta(MetaKey::Branding)? {
        Some(text) => {
            let server: veldwerk_protocol::Branding =
                serde_json::from_str(&text).map_err(|_| CommandError::internal())?;
            print::Branding::from_server(&server).map_err(|_| {
                CommandError::invalid(
                    "De huisstijl van uw bureau is onvolledig of onjuist. Vraag de beheerder om de huisstijl op de server na te kijken.",
                )
            })
        }
        None => Ok(print::Branding::builtin()?),
    }
}

/// The printer for this vault: the stored branding and the server's public
/// address (for the QR codes). Kept while both stay the same.
fn printer(v: &Vault, state: &AppState) -> Result<std::sync::Arc<print::Printer>, CommandError> {
    let server_url = v.meta(MetaKey::ServerUrl)?.ok_or_else(|| {
        CommandError::not_allowed(
            "Dit apparaat is niet aangemeld; de QR-code heeft het adres van de server nodig.",
        )
    })?;
    let branding = v.meta(MetaKey::Branding)?.unwrap_or_default();
    let key = format!("{server_url}\n{branding}");
    state.printer(&key, || {
        Ok(print::Printer::new(
            branding_of(v)?,
            &print::TemplateSet::builtin(),
            print::ResponseBase::parse(&server_url)?,
        )?)
    })
}

/// Renders `letters` into one PDF in the private print folder and records
/// each on its case with its response link.
fn render_and_record(
    v: &mut Vault,
    state: &AppState,
    kind: LetterKind,
    letters: &[(Uuid, print::Letter)],
    day: NaiveDate,
) -> Result<(std::path::PathBuf, print::Rendered), CommandError> {
    let printer = printer(v, state)?;
    let only: Vec<print::Letter> = letters.iter().map(|(_, l)| l.clone()).collect();
    let rendered = printer.render_letters(&only)?;
    if rendered.links.len() != letters.len() {
        return Err(CommandError::internal());
    }
    // File names show up in print queues: a kind and a number, no names.
    let file = format!(
        "brief-{}-{}.pdf",
        kind.code().replace('_', "-"),
        Uuid::now_v7().simple()
    );
    let path = state.print_dir(|dir| Ok(rendered.save(dir, &file)?))?;
    // Each letter with its link and a "brief verstuurd" contact moment, in
    // one transaction.
    let at = super::now_local();
    let printed: Vec<veldwerk_vault::PrintedLetter> = letters
        .iter()
        .zip(&rendered.links)
        .map(|((case_id, _), link)| veldwerk_vault::PrintedLetter {
            case_id: *case_id,
            template: kind,
            at,
            token: link.token.clone(),
            url: link.url.clone(),
            expires_on: veldwerk_vault::letter_link_expires_on(day),
        })
        .collect();
    v.record_printed_letters(&printed)?;
    Ok((path, rendered))
}

fn template(code: &str) -> Result<LetterKind, CommandError> {
    code.parse()
        .map_err(|_| CommandError::invalid("Kies een brief uit de lijst."))
}

/// Gathers the letter from the vault, renders it and records it on the case.
fn print_in(
    v: &mut Vault,
    state: &AppState,
    request: &LetterRequest,
) -> Result<PrintedLetter, CommandError> {
    let case_id = parse_id(&request.case_id)?;
    let kind = template(&request.template)?;
    let user = enrolled_user(v)?;
    let day = today();
    let (letter, _) = letter_for(v, &user, kind, case_id, request, day)?;
    let (path, rendered) = render_and_record(v, state, kind, &[(case_id, letter)], day)?;
    let link = rendered.links.first().ok_or_else(CommandError::internal)?;
    Ok(PrintedLetter {
        path: path.to_string_lossy().into_owned(),
        pages: u32::try_from(rendered.pages).unwrap_or(u32::MAX),
        short_code: link.short_code.grouped(),
    })
}

/// One template for several cases, in one PDF. Cases whose letter cannot be
/// made (no address, ...) are listed with the reason; the rest is printed.
#[tauri::command]
pub async fn print_letters(
    state: State<'_, AppState>,
    request: LetterRequest,
    case_ids: Vec<String>,
) -> Result<PrintedBatch, CommandError> {
    let kind = template(&request.template)?;
    if case_ids.is_empty() {
        return Err(CommandError::invalid("Kies eerst een of meer zaken."));
    }
    state.change_vault(|v| {
        let user = enrolled_user(v)?;
        let day = today();
        let mut letters = Vec::new();
        let mut skipped = Vec::new();
        for raw in &case_ids {
            let case_id = parse_id(raw)?;
            match letter_for(v, &user, kind, case_id, &request, day) {
                Ok((letter, _)) => letters.push((case_id, letter)),
                Err(e) if e.code == ErrorCode::InvalidInput || e.code == ErrorCode::NotFound => {
                    let name = v
                        .cases()
                        .get(case_id)?
                        .map(|c| c.youth_id)
                        .map(|y| v.youth().get(y))
                        .transpose()?
                        .flatten()
                        .map(|y| y.display_name())
                        .unwrap_or_default();
                    skipped.push(SkippedLetter {
                        case_id: raw.clone(),
                        youth_name: name,
                        reason: e.message,
                    });
                }
                Err(e) => return Err(e),
            }
        }
        if letters.is_empty() {
            return Err(CommandError::invalid(
                "Voor geen van de gekozen zaken kon een brief worden gemaakt. Zie de redenen hieronder.",
            ));
        }
        let (path, rendered) = render_and_record(v, &state, kind, &letters, day)?;
        Ok(PrintedBatch {
            path: path.to_string_lossy().into_owned(),
            pages: u32::try_from(rendered.pages).unwrap_or(u32::MAX),
            letters: u32::try_from(letters.len()).unwrap_or(u32::MAX),
            skipped,
        })
    })
}

/// Renders the letter to a PDF in the private print folder (wiped on lock)
/// and records it on the case. Returns the PDF's path; opening it is
/// [`open_document`].
#[tauri::command]
pub async fn print_letter(
    state: State<'_, AppState>,
    request: LetterRequest,
) -> Result<PrintedLetter, CommandError> {
    state.change_vault(|v| print_in(v, &state, &request))
}

/// How many visit cards one sheet holds (the print crate's card sheet).
pub const CARDS_PER_SHEET: usize = 10;

/// Renders a sheet of visit cards, each with its own QR code and short code,
/// and records their tokens in the vault (`record_printed_cards`), so a card
/// left at a home is linked to the case by its short code. When recording
/// fails the PDF is removed: a card whose token the vault does not know
/// could never reach its case.
fn print_cards_in(
    v: &mut Vault,
    state: &AppState,
) -> Result<(PrintedCards, print::Rendered), CommandError> {
    let user = enrolled_user(v)?;
    let printer = printer(v, state)?;
    let day = today();
    let rendered = printer.render_business_cards(&consultant(&user), CARDS_PER_SHEET, day)?;
    // File names show up in print queues: a kind and a number, no names.
    let file = format!("kaartjes-{}.pdf", Uuid::now_v7().simple());
    let path = state.print_dir(|dir| Ok(rendered.save(dir, &file)?))?;
    let tokens: Vec<_> = rendered.links.iter().map(|l| l.token.clone()).collect();
    if let Err(e) = v.record_printed_cards(&tokens, day) {
        let _ = std::fs::remove_file(&path);
        return Err(e.into());
    }
    let printed = PrintedCards {
        path: path.to_string_lossy().into_owned(),
        pages: u32::try_from(rendered.pages).unwrap_or(u32::MAX),
        cards: u32::try_from(tokens.len()).unwrap_or(u32::MAX),
    };
    Ok((printed, rendered))
}

/// A sheet of visit cards to take along, printed in advance. Returns the
/// PDF's path; opening it is [`open_document`].
#[tauri::command]
pub async fn print_cards(state: State<'_, AppState>) -> Result<PrintedCards, CommandError> {
    state.change_vault(|v| print_cards_in(v, &state).map(|(printed, _)| printed))
}

/// Opens a PDF this session printed with the system's viewer. Any other path
/// is refused.
#[tauri::command]
pub async fn open_document(state: State<'_, AppState>, path: String) -> Result<(), CommandError> {
    state.touch();
    let path = PathBuf::from(path);
    if !state.is_printed(&path) || !path.is_file() {
        return Err(CommandError::not_found());
    }
    platform::open_document(&path)
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use uuid::Uuid;

    use super::*;
    use crate::commands::test_support::vault;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    /// The bureau's branding as the server sends it at enrollment.
    fn server_branding(organisation: &str) -> serde_json::Value {
        json!({
            "organisation_name": organisation,
            "address": "Postbus 1\n1234 AB Testdorp",
            "phone": "010 123 45 67",
            "whatsapp": "06 12345678",
            "website": "https://testdorp.example",
            "signature_text": "Team Leerplicht Testdorp",
            "colours": {"primary": "#123456", "accent": "#abcdef"}
        })
    }

    /// A vault as enrollment leaves it: server address, user profile and
    /// the bureau's branding.
    fn enrolled(dir: &std::path::Path) -> Result<Vault, Box<dyn std::error::Error>> {
        let mut v = vault(dir)?;
        let user = Uuid::now_v7();
        v.set_meta(MetaKey::UserId, &user.to_string())?;
        v.set_meta(MetaKey::ServerUrl, "http://127.0.0.1:9")?;
        v.set_meta(
            MetaKey::UserProfile,
            &json!({"id": user, "name": "Sanne de Vries", "role": "leerplichtambtenaar",
                    "boa": true, "gemeenten": ["Testdorp"]})
            .to_string(),
        )?;
        v.set_meta(
            MetaKey::Branding,
            &server_branding("Gemeente Testdorp").to_string(),
        )?;
        Ok(v)
    }

    #[test]
    fn letters_use_the_branding_the_server_sent_and_a_new_branding_replaces_the_cached_one()
    -> TestResult {
        let dir = tempfile::tempdir()?;
        let mut v = enrolled(dir.path())?;
        let state = AppState::new(dir.path().join("app"));
        let first = printer(&v, &state)?;
        assert_eq!(first.branding().organisation, "Gemeente Testdorp");
        assert_eq!(first.branding().phone, "010 123 45 67");
        assert_ne!(
            first.branding().organisation,
            print::Branding::builtin()?.organisation
        );

        // A profile refresh brings a renamed organisation.
        v.set_meta(
            MetaKey::Branding,
            &server_branding("Regio Testland").to_string(),
        )?;
        assert_eq!(
            printer(&v, &state)?.branding().organisation,
            "Regio Testland"
        );

        // A stored branding that does not read is refused, not replaced by
        // the built-in style.
        v.set_meta(MetaKey::Branding, "{}")?;
        assert!(branding_of(&v).is_err());
        Ok(())
    }

    #[test]
    fn cases_opened_in_the_same_minute_get_their_own_kenmerk_the_same_as_from_the_cli() -> TestResult
    {
        use veldwerk_domain::{Address, CaseKind, PersonName};
        use veldwerk_vault::model::{NewCase, NewYouth, case_reference};

        let dir = tempfile::tempdir()?;
        let mut v = enrolled(dir.path())?;
        let user = enrolled_user(&v)?;
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).ok_or("date")?;
        let mut cases = Vec::new();
        for family in ["Testpersoon", "Proefmens"] {
            let mut youth = NewYouth::new(
                PersonName::parse("Noor", None, None, family)?,
                NaiveDate::from_ymd_opt(2005, 3, 14).ok_or("date")?,
            );
            youth.address = Some(Address::parse(
                "Kerkstraat",
                "12a",
                "7412 AB",
                "Brakelveen",
                None,
            )?);
            let youth_id = v.youth().add(&youth)?;
            cases.push(
                v.cases()
                    .open(&NewCase::new(youth_id, CaseKind::Vsv, day))?,
            );
        }
        let request = LetterRequest {
            case_id: String::new(),
            template: "kennismaking_doorstroompunt".into(),
            date: None,
            from: None,
            until: None,
            place: None,
            reply_before: None,
            period_from: None,
            period_until: None,
            hours: None,
        };
        let references: Vec<String> = cases
            .iter()
            .map(|&case_id| {
                letter_for(
                    &mut v,
                    &user,
                    LetterKind::DoorstroompuntIntroduction,
                    case_id,
                    &request,
                    day,
                )
                .map(|(letter, _)| letter.reference)
            })
            .collect::<Result<_, _>>()?;
        assert_eq!(
            references,
            cases
                .iter()
                .map(|&id| case_reference(id))
                .collect::<Vec<_>>()
        );
        assert_ne!(references[0], references[1]);
        Ok(())
    }

    #[test]
    fn a_sheet_of_ten_cards_is_rendered_and_every_card_is_known_by_its_short_code() -> TestResult {
        let dir = tempfile::tempdir()?;
        let mut v = enrolled(dir.path())?;
        let state = AppState::new(dir.path().join("app"));
        let (printed, rendered) = print_cards_in(&mut v, &state)?;
        assert_eq!(printed.cards, 10);
        assert!(printed.pages >= 1);
        let path = std::path::Path::new(&printed.path);
        assert!(state.is_printed(path), "opened like a letter");
        assert!(std::fs::read(path)?.starts_with(b"%PDF"));
        assert!(!printed.path.contains("Sanne"), "no names in file names");
        assert_eq!(rendered.links.len(), 10);
        for link in &rendered.links {
            assert!(
                v.printed_card(&link.short_code)?.is_some(),
                "every card's token is recorded"
            );
        }
        // The next sheet has codes of its own.
        let (_, again) = print_cards_in(&mut v, &state)?;
        assert!(
            again
                .links
                .iter()
                .all(|l| rendered.links.iter().all(|r| r.short_code != l.short_code))
        );
        Ok(())
    }
}
