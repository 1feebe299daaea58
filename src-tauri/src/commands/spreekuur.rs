//! Spreekuur mode: a school's office hours on a day. The planned
//! conversations, walk-ins (find the young person, or add them with a new
//! case), a quick record of each conversation, and an anonymous group
//! session with a headcount only.

use std::num::NonZeroU32;

use tauri::State;
use veldwerk_domain::{
    AppointmentKind, AppointmentStatus, CaseKind, ContactKind, ContactOutcome, PersonName,
    split_tussenvoegsel,
};
use veldwerk_protocol::entities;
use veldwerk_vault::model::{NewCase, NewContactMoment, NewGroupSession, NewYouth};

use super::{parse_date, parse_datetime, parse_id};
use crate::error::CommandError;
use crate::state::AppState;
use crate::views::{
    AgendaItem, CaseRef, ConversationInput, GroupSessionInput, SchoolOption, SpreekuurDay,
    WalkInInput, YouthMatch, coded, ymd, ymd_hm,
};

/// The most young people a walk-in search shows.
const MAX_MATCHES: usize = 20;

#[tauri::command]
pub async fn spreekuur_day(
    state: State<'_, AppState>,
    date: String,
) -> Result<SpreekuurDay, CommandError> {
    let day = parse_date(&date, "De datum van het spreekuur")?;
    state.with_vault(|v| {
        let agenda = v.agenda(day)?;
        let appointments = agenda
            .appointments
            .iter()
            .filter(|a| a.appointment.kind == Some(AppointmentKind::OfficeHours))
            .map(|item| {
                let a = &item.appointment;
                AgendaItem {
                    id: a.id.to_string(),
                    case_id: a.case_id.to_string(),
                    youth_name: item.youth_name.clone(),
                    kind: a.kind.map(|k| coded!(k)),
                    status: a.status.map(|s| coded!(s)),
                    starts_at: ymd_hm(a.starts_at),
                    ends_at: ymd_hm(a.ends_at),
                    location: a.location.clone(),
                    address: None,
                    postcode: None,
                }
            })
            .collect();
        Ok(SpreekuurDay {
            day: ymd(day),
            schools: v
                .schools()
                .list()?
                .into_iter()
                .map(|s| SchoolOption {
                    id: s.id.to_string(),
                    name: s.name,
                })
                .collect(),
            appointments,
            outcomes: ContactKind::OfficeHours
                .outcomes()
                .iter()
                .map(|o| coded!(*o))
                .collect(),
            no_show_outcome: ContactOutcome::NoShow.code().to_owned(),
            case_kinds: CaseKind::all().iter().map(|k| coded!(*k)).collect(),
        })
    })
}

/// Young people whose name matches `text` (as in the caseload search), with their cases.
#[tauri::command]
pub async fn find_youth(
    state: State<'_, AppState>,
    text: String,
) -> Result<Vec<YouthMatch>, CommandError> {
    let text = text.trim().to_owned();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    state.with_vault(|v| {
        let hits = v.search(&text, veldwerk_vault::search::MAX_RESULTS)?;
        let mut out = Vec::new();
        for hit in hits.into_iter().filter(|h| h.entity == entities::YOUTH) {
            let Some(youth) = v.youth().get(hit.entity_id)? else {
                continue;
            };
            let cases = v
                .cases()
                .of_youth(youth.id)?
                .into_iter()
                .map(|c| CaseRef {
                    case_id: c.id.to_string(),
                    kind: coded!(c.kind),
                    open: c.is_open(),
                })
                .collect();
            out.push(YouthMatch {
                youth_id: youth.id.to_string(),
                name: youth.display_name(),
                birth_date: ymd(youth.birth_date),
                cases,
            });
            if out.len() == MAX_MATCHES {
                break;
            }
        }
        Ok(out)
    })
}

/// Records one spreekuur conversation (or that the youth did not come); a
/// planned appointment gets its status.
#[tauri::command]
pub async fn record_conversation(
    state: State<'_, AppState>,
    conversation: ConversationInput,
) -> Result<(), CommandError> {
    let case_id = parse_id(&conversation.case_id)?;
    let at = parse_datetime(&conversation.at, "Het tijdstip van het gesprek")?;
    let outcome = conversation
        .outcome
        .parse::<ContactOutcome>()
        .ok()
        .filter(|o| ContactKind::OfficeHours.outcomes().contains(o))
        .ok_or_else(|| CommandError::invalid("Kies hoe het gesprek ging."))?;
    let appointment = match conversation.appointment_id.as_deref() {
        Some(id) => Some(parse_id(id)?),
        None => None,
    };
    let note = conversation
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    state.change_vault(|v| {
        v.record_contact(
            case_id,
            &NewContactMoment {
                kind: ContactKind::OfficeHours,
                at,
                outcome,
                note,
                letter_kind: None,
                letter_id: None,
                card: None,
            },
        )?;
        if let Some(id) = appointment {
            let status = if outcome == ContactOutcome::NoShow {
                AppointmentStatus::NoShow
            } else {
                AppointmentStatus::Held
            };
            v.set_appointment_status(id, status)?;
        }
        Ok(())
    })
}

/// A walk-in who is not on the device: a new youth and a new case, in the
/// enrolled user's caseload. Returns the case id.
#[tauri::command]
pub async fn add_walk_in(
    state: State<'_, AppState>,
    walk_in: WalkInInput,
) -> Result<String, CommandError> {
    let (prefix, family) = split_tussenvoegsel(walk_in.surname.trim());
    let name = PersonName::parse(&walk_in.given_names, None, prefix.as_deref(), &family)
        .map_err(|e| CommandError::invalid(e.to_string()))?;
    let birth = parse_date(&walk_in.birth_date, "De geboortedatum")?;
    let day = parse_date(&walk_in.date, "De datum van het spreekuur")?;
    if birth >= day {
        return Err(CommandError::invalid(
            "De geboortedatum moet voor vandaag liggen.",
        ));
    }
    let kind: CaseKind = walk_in
        .kind
        .parse()
        .map_err(|_| CommandError::invalid("Kies een werkproces."))?;
    let school = match walk_in.school_id.as_deref().filter(|s| !s.is_empty()) {
        Some(id) => Some(parse_id(id)?),
        None => None,
    };
    state.change_vault(|v| {
        let mut youth = NewYouth::new(name, birth);
        youth.school_id = school;
        let youth_id = v.youth().add(&youth)?;
        let mut case = NewCase::new(youth_id, kind, day);
        case.school_id = school;
        Ok(v.cases().open(&case)?.to_string())
    })
}

/// An anonymous group session: only how many took part.
#[tauri::command]
pub async fn record_group_session(
    state: State<'_, AppState>,
    session: GroupSessionInput,
) -> Result<(), CommandError> {
    let held_on = parse_date(&session.date, "De datum")?;
    let headcount = NonZeroU32::new(session.headcount)
        .ok_or_else(|| CommandError::invalid("Vul in hoeveel jongeren er waren (1 of meer)."))?;
    let school_id = match session.school_id.as_deref().filter(|s| !s.is_empty()) {
        Some(id) => Some(parse_id(id)?),
        None => None,
    };
    let topic = session
        .topic
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    state.change_vault(|v| {
        v.record_group_session(&NewGroupSession {
            held_on,
            headcount,
            topic,
            school_id,
            gemeente: None,
        })?;
        Ok(())
    })
}
