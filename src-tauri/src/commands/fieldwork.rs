//! Work on a case: recording a home visit with its follow-up tasks, and
//! closing a case with an outcome code.

use chrono::NaiveDate;
use tauri::State;
use veldwerk_domain::rules::halt::check_halt;
use veldwerk_domain::{
    ContactKind, ContactOutcome, LetterKind, Outcome, ProposedTask, TaskKind, User,
    allowed_outcomes,
};
use veldwerk_vault::model::{CardLeft, CaseRecord, HomeVisit, YouthRecord};

use super::caseload::case_view;
use super::{enrolled_user, parse_date, parse_datetime, parse_id, today};
use crate::error::CommandError;
use crate::state::AppState;
use crate::views::{
    CaseView, CloseOptions, FollowupTask, HomeVisitForm, HomeVisitInput, HomeVisitSaved,
    OutcomeOption, coded, street_line, ymd,
};

/// The longest note the form accepts: a home visit's note is a few lines.
const MAX_NOTE_CHARS: usize = 4000;

fn home_visit_outcome(code: &str) -> Result<ContactOutcome, CommandError> {
    code.parse::<ContactOutcome>()
        .ok()
        .filter(|o| ContactKind::HomeVisit.outcomes().contains(o))
        .ok_or_else(|| CommandError::invalid("Kies wat er gebeurde bij het huisbezoek."))
}

#[tauri::command]
pub async fn home_visit_form(
    state: State<'_, AppState>,
    case_id: String,
) -> Result<HomeVisitForm, CommandError> {
    let id = parse_id(&case_id)?;
    state.with_vault(|v| {
        let case = v.cases().get(id)?.ok_or_else(CommandError::not_found)?;
        let youth = v.youth().get(case.youth_id)?;
        Ok(HomeVisitForm {
            youth_name: youth.as_ref().map(|y| y.display_name()).unwrap_or_default(),
            address: youth
                .as_ref()
                .and_then(|y| street_line(y.street.as_deref(), y.house_number.as_deref())),
            outcomes: ContactKind::HomeVisit
                .outcomes()
                .iter()
                .map(|o| coded!(*o))
                .collect(),
            card_outcome: ContactOutcome::NotHome.code().to_owned(),
            task_kinds: TaskKind::all().iter().map(|k| coded!(*k)).collect(),
        })
    })
}

/// The follow-up tasks the rules propose for this outcome, before saving.
#[tauri::command]
pub async fn home_visit_preview(
    state: State<'_, AppState>,
    case_id: String,
    date: String,
    outcome: String,
) -> Result<Vec<FollowupTask>, CommandError> {
    let id = parse_id(&case_id)?;
    let day = parse_date(&date, "De datum van het huisbezoek")?;
    let outcome = home_visit_outcome(&outcome)?;
    state.with_vault(|v| {
        Ok(v.home_visit_followup(id, day, outcome)?
            .into_iter()
            .map(|p| FollowupTask {
                kind: p.kind.code().to_owned(),
                title: p.title,
                explanation: p.explanation,
                due_on: ymd(p.due_on),
                letter: p.letter.map(|l| l.code().to_owned()),
            })
            .collect())
    })
}

fn proposed(task: &FollowupTask) -> Result<ProposedTask, CommandError> {
    let title = task.title.trim();
    if title.is_empty() {
        return Err(CommandError::invalid(
            "Een vervolgtaak heeft geen omschrijving. Vul die in of haal de taak weg.",
        ));
    }
    Ok(ProposedTask {
        kind: task
            .kind
            .parse()
            .map_err(|_| CommandError::invalid("Kies voor elke vervolgtaak een soort."))?,
        title: title.to_owned(),
        explanation: task.explanation.clone(),
        due_on: parse_date(&task.due_on, "De datum van een vervolgtaak")?,
        letter: match task.letter.as_deref() {
            Some(code) => Some(code.parse::<LetterKind>().map_err(|_| {
                CommandError::invalid("Onbekende soort brief bij een vervolgtaak.")
            })?),
            None => None,
        },
    })
}

#[tauri::command]
pub async fn record_home_visit(
    state: State<'_, AppState>,
    visit: HomeVisitInput,
) -> Result<HomeVisitSaved, CommandError> {
    let id = parse_id(&visit.case_id)?;
    let at = parse_datetime(&visit.at, "Het tijdstip van het huisbezoek")?;
    let outcome = home_visit_outcome(&visit.outcome)?;
    let card_code = match visit
        .card_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(code) => Some(veldwerk_print::ShortCode::parse(code).map_err(|_| {
            CommandError::invalid(
                "De code van het kaartje klopt niet. Hij heeft 10 tekens, bijvoorbeeld 7K3QD-M9XAB.",
            )
        })?),
        None => None,
    };
    let note = visit
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    if note
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS)
    {
        return Err(CommandError::invalid(format!(
            "De notitie is te lang (meer dan {MAX_NOTE_CHARS} tekens). Maak hem korter."
        )));
    }
    let followup = visit
        .followup
        .iter()
        .map(proposed)
        .collect::<Result<Vec<_>, _>>()?;
    let saved = state.change_vault(|v| {
        // A card printed on this device links its QR code to this case; a
        // card from elsewhere is kept by its printed code only.
        let card = match &card_code {
            Some(code) => Some(v.printed_card(code)?.unwrap_or_else(|| CardLeft {
                token: String::new(),
                short_code: code.as_str().to_owned(),
            })),
            None => None,
        };
        Ok(v.record_home_visit(
            id,
            HomeVisit {
                at,
                outcome,
                note,
                card,
                followup: Some(followup),
            },
        )?)
    })?;
    Ok(HomeVisitSaved {
        contact_moment_id: saved.contact_moment_id.to_string(),
        tasks_created: u32::try_from(saved.task_ids.len()).unwrap_or(u32::MAX),
    })
}

/// The outcome codes this user can close this case with. Halt and every PV
/// are offered only to a BOA; Halt only when the youth is eligible, and
/// otherwise shown with the reasons.
#[tauri::command]
pub async fn close_options(
    state: State<'_, AppState>,
    case_id: String,
) -> Result<CloseOptions, CommandError> {
    let id = parse_id(&case_id)?;
    state.with_vault(|v| {
        let user = enrolled_user(v)?;
        let case = v.cases().get(id)?.ok_or_else(CommandError::not_found)?;
        let youth = v.youth().get(case.youth_id)?;
        Ok(outcome_options(&case, youth.as_ref(), &user, today()))
    })
}

/// The choice of outcomes for `case`, as `user` sees it on `day`.
fn outcome_options(
    case: &CaseRecord,
    youth: Option<&YouthRecord>,
    user: &User,
    day: NaiveDate,
) -> CloseOptions {
    if !case.is_open() {
        return CloseOptions {
            outcomes: Vec::new(),
            note: Some("Deze zaak is al afgesloten.".to_owned()),
        };
    }
    let mut outcomes = Vec::new();
    for outcome in allowed_outcomes(case.kind, case.verzuim_kind, case.vsv_kind) {
        // Not offered at all: what never closes a case, and what this user
        // may never record (Halt and PV without BOA, enforcement by the
        // administration).
        if !outcome.closes_case() || user.may_record(outcome).is_err() {
            continue;
        }
        let blocked = if outcome == Outcome::HaltReferral {
            match youth {
                Some(y) => check_halt(y.birth_date, day, case.hours_absent.unwrap_or(0), user)
                    .err()
                    .map(|e| e.to_string()),
                None => Some("De gegevens van de jongere staan niet op dit apparaat".to_owned()),
            }
        } else {
            None
        };
        outcomes.push(OutcomeOption {
            code: outcome.code().to_owned(),
            label: outcome.label().to_owned(),
            allowed: blocked.is_none(),
            reason: blocked.map(|r| format!("{r}.")),
        });
    }
    let note = outcomes.is_empty().then(|| {
        "Voor deze zaak is nog geen uitkomstenlijst: kies eerst de soort zaak (bijvoorbeeld op het kantoor).".to_owned()
    });
    CloseOptions { outcomes, note }
}

#[tauri::command]
pub async fn close_case(
    state: State<'_, AppState>,
    case_id: String,
    outcome: String,
) -> Result<CaseView, CommandError> {
    let id = parse_id(&case_id)?;
    let outcome: Outcome = outcome
        .parse()
        .map_err(|_| CommandError::invalid("Kies een uitkomst uit de lijst."))?;
    let day = today();
    state.change_vault(|v| {
        let user = enrolled_user(v)?;
        if outcome == Outcome::HaltReferral {
            let case = v.cases().get(id)?.ok_or_else(CommandError::not_found)?;
            let youth = v
                .youth()
                .get(case.youth_id)?
                .ok_or_else(CommandError::not_found)?;
            check_halt(youth.birth_date, day, case.hours_absent.unwrap_or(0), &user)
                .map_err(|e| CommandError::not_allowed(format!("Halt kan hier niet: {e}.")))?;
        }
        v.cases().close(id, day, outcome, &user)?;
        case_view(v, id, day)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;
    use veldwerk_domain::{
        CaseKind, CaseStatus, PersonName, Role, SchoolHistory, UserId, VerzuimKind,
    };

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn case(hours: Option<u32>) -> CaseRecord {
        CaseRecord {
            id: Uuid::nil(),
            version: 1,
            youth_id: Uuid::nil(),
            kind: CaseKind::Verzuim,
            soort: Some("wettelijk".into()),
            verzuim_kind: Some(VerzuimKind::Wettelijk),
            vsv_kind: None,
            vrijstelling_article: None,
            vrijstelling_status: None,
            status: CaseStatus::Open,
            assigned_user_id: None,
            shared_with: Vec::new(),
            opened_on: d(2026, 9, 1),
            closed_on: None,
            outcome: None,
            gemeente: None,
            school_id: None,
            hours_absent: hours,
            care_concern: false,
        }
    }

    fn youth(birth: NaiveDate) -> YouthRecord {
        YouthRecord {
            id: Uuid::nil(),
            version: 1,
            name: PersonName {
                given_names: "Sam".into(),
                call_name: None,
                prefix: None,
                family_name: "Test".into(),
            },
            birth_date: birth,
            bsn: None,
            onderwijsnummer: None,
            street: None,
            house_number: None,
            postcode: None,
            town: None,
            gemeente: None,
            phone: None,
            email: None,
            school_id: None,
            history: SchoolHistory::default(),
        }
    }

    fn user(role: Role, boa: bool) -> User {
        User {
            id: UserId::parse("u1").unwrap_or_else(|_| unreachable!()),
            name: "Medewerker".into(),
            role,
            boa,
        }
    }

    fn option<'a>(options: &'a CloseOptions, code: &str) -> Option<&'a OutcomeOption> {
        options.outcomes.iter().find(|o| o.code == code)
    }

    #[test]
    fn halt_and_pv_are_not_offered_to_someone_without_boa() {
        let options = outcome_options(
            &case(Some(20)),
            Some(&youth(d(2012, 5, 4))),
            &user(Role::Leerplichtambtenaar, false),
            d(2026, 11, 23),
        );
        assert!(option(&options, "halt_verwijzing").is_none());
        assert!(option(&options, "pv_relatief_verzuim").is_none());
        assert!(option(&options, "waarschuwing").is_some_and(|o| o.allowed));
    }

    #[test]
    fn a_boa_gets_halt_when_the_youth_is_eligible() {
        let options = outcome_options(
            &case(Some(20)),
            Some(&youth(d(2012, 5, 4))),
            &user(Role::Leerplichtambtenaar, true),
            d(2026, 11, 23),
        );
        assert!(option(&options, "halt_verwijzing").is_some_and(|o| o.allowed));
        assert!(option(&options, "pv_relatief_verzuim").is_some_and(|o| o.allowed));
    }

    #[test]
    fn a_boa_sees_halt_disabled_with_every_reason_when_the_youth_is_not_eligible() {
        let options = outcome_options(
            &case(Some(70)),
            Some(&youth(d(2016, 5, 4))),
            &user(Role::Leerplichtambtenaar, true),
            d(2026, 11, 23),
        );
        let halt = option(&options, "halt_verwijzing");
        assert!(halt.is_some_and(|o| !o.allowed));
        let reason = halt.and_then(|o| o.reason.clone()).unwrap_or_default();
        assert!(reason.contains("12 tot 18 jaar"), "{reason}");
        assert!(reason.contains("Boven 60 uur"), "{reason}");
    }

    #[test]
    fn a_case_without_its_soort_says_so_instead_of_offering_nothing() {
        let mut unknown = case(None);
        unknown.verzuim_kind = None;
        let options = outcome_options(
            &unknown,
            None,
            &user(Role::Leerplichtambtenaar, true),
            d(2026, 11, 23),
        );
        assert!(options.outcomes.is_empty());
        assert!(
            options
                .note
                .is_some_and(|n| n.contains("kies eerst de soort"))
        );
    }
}
