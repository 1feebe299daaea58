//! Reading the caseload: today's agenda, the list with its filters, and a case.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use tauri::State;
use uuid::Uuid;
use veldwerk_domain::time::dutch_local;
use veldwerk_domain::{AppointmentKind, CaseKind, CaseStatus};
use veldwerk_protocol::entities;
use veldwerk_vault::Vault;
use veldwerk_vault::model::{CaseloadQuery, CaseloadSort};

use super::{parse_id, today as today_date};
use crate::error::CommandError;
use crate::state::AppState;
use crate::views::{
    AgendaItem, CaseRow, CaseView, Caseload, CaseloadFilter, CaseloadOptions, Coded, ReactionItem,
    SchoolOption, Today, coded, legal_status_text, soort_label, street_line, task_item, ymd,
    ymd_hm,
};

/// The most rows the list shows; narrowing the filters finds the rest.
pub const MAX_ROWS: usize = 300;

/// The most tasks the Vandaag screen lists; the rest is one click away
/// (the caseload filtered on due tasks).
pub const TODAY_TASKS: usize = 25;

/// How far back the reactions on the Vandaag screen go.
const REACTION_DAYS: u64 = 14;

#[tauri::command]
pub async fn today(state: State<'_, AppState>) -> Result<Today, CommandError> {
    state.with_vault(|v| today_of(v, today_date()))
}

fn today_of(v: &mut Vault, day: chrono::NaiveDate) -> Result<Today, CommandError> {
    let agenda = v.agenda(day)?;
    let mut appointments = Vec::with_capacity(agenda.appointments.len());
    for item in &agenda.appointments {
        let a = &item.appointment;
        // Home visits show the address, so the day's visits can be grouped
        // into a route by postcode area.
        let youth = if a.kind == Some(AppointmentKind::HomeVisit) {
            match v.cases().get(a.case_id)? {
                Some(case) => v.youth().get(case.youth_id)?,
                None => None,
            }
        } else {
            None
        };
        appointments.push(AgendaItem {
            id: a.id.to_string(),
            case_id: a.case_id.to_string(),
            youth_name: item.youth_name.clone(),
            kind: a.kind.map(|k| coded!(k)),
            status: a.status.map(|s| coded!(s)),
            starts_at: ymd_hm(a.starts_at),
            ends_at: ymd_hm(a.ends_at),
            location: a.location.clone(),
            address: youth.as_ref().and_then(|y| {
                let street = street_line(y.street.as_deref(), y.house_number.as_deref())?;
                Some(match &y.town {
                    Some(town) => format!("{street}, {town}"),
                    None => street,
                })
            }),
            postcode: youth.and_then(|y| y.postcode),
        });
    }
    let tasks = agenda
        .tasks
        .iter()
        .take(TODAY_TASKS)
        .map(|t| task_item(&t.task, &t.youth_name, day))
        .collect();
    Ok(Today {
        day: ymd(day),
        appointments,
        tasks,
        tasks_total: u32::try_from(agenda.tasks.len()).unwrap_or(u32::MAX),
        reactions: reactions(v, day)?,
    })
}

/// The answers through the QR response form of the last days, newest first,
/// from the vault's index on the time the server received them. The time
/// shown is Dutch local time, whatever the machine's time zone.
fn reactions(v: &mut Vault, day: chrono::NaiveDate) -> Result<Vec<ReactionItem>, CommandError> {
    let since = day
        .checked_sub_days(Days::new(REACTION_DAYS))
        .unwrap_or(day);
    // The Dutch day starts an hour or two before midnight UTC: start the
    // window two hours early, then keep what falls on or after `since` there.
    let window = since.and_time(chrono::NaiveTime::MIN).and_utc() - chrono::Duration::hours(2);
    let mut out = Vec::new();
    for response in v.responses_since(window)? {
        let Some(received) = response.received_at else {
            continue;
        };
        let local = dutch_local(received);
        if local.date() < since {
            continue;
        }
        let youth_name = match v.cases().get(response.case_id)? {
            Some(case) => v
                .youth()
                .get(case.youth_id)?
                .map(|y| y.display_name())
                .unwrap_or_default(),
            None => String::new(),
        };
        out.push(ReactionItem {
            id: response.id.to_string(),
            case_id: response.case_id.to_string(),
            youth_name,
            at: ymd_hm(local),
            note: response.message,
        });
    }
    Ok(out)
}

fn sorts() -> Vec<Coded> {
    [
        ("name", "Naam"),
        ("opened", "Nieuwste eerst"),
        ("due", "Meeste taken open"),
        ("kind", "Werkproces"),
    ]
    .into_iter()
    .map(|(code, label)| Coded {
        code: code.to_owned(),
        label: label.to_owned(),
    })
    .collect()
}

#[tauri::command]
pub async fn caseload_options(state: State<'_, AppState>) -> Result<CaseloadOptions, CommandError> {
    state.with_vault(|v| {
        // Not from the caseload list: computing every case's legal status
        // only for the gemeenten doubled the work of opening the screen.
        let gemeenten = v.case_gemeenten()?;
        let schools = v
            .schools()
            .list()?
            .into_iter()
            .map(|s| SchoolOption {
                id: s.id.to_string(),
                name: s.name,
            })
            .collect();
        Ok(CaseloadOptions {
            kinds: CaseKind::all().iter().map(|k| coded!(*k)).collect(),
            statuses: CaseStatus::all().iter().map(|s| coded!(*s)).collect(),
            gemeenten,
            schools,
            sorts: sorts(),
        })
    })
}

fn parse_code<T: std::str::FromStr>(text: Option<&str>) -> Result<Option<T>, CommandError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => t.parse().map(Some).map_err(|_| {
            CommandError::invalid("Dit filter bestaat niet. Kies een waarde uit de lijst.")
        }),
    }
}

#[tauri::command]
pub async fn caseload(
    state: State<'_, AppState>,
    filter: CaseloadFilter,
) -> Result<Caseload, CommandError> {
    let sort = match filter.sort.as_deref().unwrap_or("name") {
        "opened" => CaseloadSort::OpenedOn,
        "due" => CaseloadSort::DueTasks,
        "kind" => CaseloadSort::Kind,
        _ => CaseloadSort::YouthName,
    };
    let query = CaseloadQuery {
        kind: parse_code(filter.kind.as_deref())?,
        status: parse_code(filter.status.as_deref())?,
        due_only: filter.due_only,
        gemeente: filter.gemeente.clone().filter(|g| !g.is_empty()),
        school_id: match filter.school_id.as_deref().filter(|s| !s.is_empty()) {
            Some(id) => Some(parse_id(id)?),
            None => None,
        },
        sort,
    };
    state.with_vault(|v| {
        let mut rows = v.caseload(&query, today_date())?;
        if let Some(text) = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let youth: HashSet<Uuid> = v
                .search(text, veldwerk_vault::search::MAX_RESULTS)?
                .into_iter()
                .filter(|hit| hit.entity == entities::YOUTH)
                .map(|hit| hit.entity_id)
                .collect();
            rows.retain(|r| youth.contains(&r.youth_id));
        }
        let schools: HashMap<Uuid, String> = v
            .schools()
            .list()?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        let total = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        let rows = rows
            .iter()
            .take(MAX_ROWS)
            .map(|c| CaseRow {
                id: c.id.to_string(),
                youth_name: c.youth_name.clone(),
                kind: coded!(c.kind),
                soort: soort_label(c.soort.as_deref()),
                status: coded!(c.status),
                due_tasks: c.due_tasks,
                opened_on: ymd(c.opened_on),
                gemeente: c.gemeente.clone(),
                school_name: c.school_id.and_then(|id| schools.get(&id).cloned()),
                legal_status: c.legal_status.as_ref().map(legal_status_text),
            })
            .collect();
        Ok(Caseload { rows, total })
    })
}

#[tauri::command]
pub async fn case_detail(
    state: State<'_, AppState>,
    case_id: String,
) -> Result<CaseView, CommandError> {
    let id = parse_id(&case_id)?;
    state.with_vault(|v| case_view(v, id, today_date()))
}

/// The case as the detail screen shows it on `day` (audited as a view);
/// also the answer of the commands that change a case.
pub fn case_view(v: &mut Vault, id: Uuid, day: NaiveDate) -> Result<CaseView, CommandError> {
    let detail = v
        .case_detail(id, day)?
        .ok_or_else(CommandError::not_found)?;
    Ok(CaseView::of(&detail, day))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::commands::test_support::vault;
    use chrono::NaiveDate;
    use serde_json::json;
    use veldwerk_protocol::{FieldState, PullResponse, RecordChange};

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    /// A QR answer as the server stamps it (`received_at` in UTC) and the
    /// pull brings it.
    fn answer(id: Uuid, received_at: &str, message: &str) -> RecordChange {
        let fields: BTreeMap<String, FieldState> = [
            ("case_id", json!(Uuid::now_v7().to_string())),
            ("received_at", json!(received_at)),
            ("channel", json!("telefoon")),
            ("contact_value", json!("+31612345678")),
            ("preferred_time", json!("middag")),
            ("message", json!(message)),
        ]
        .into_iter()
        .map(|(k, value)| (k.to_owned(), FieldState { value, version: 1 }))
        .collect();
        RecordChange {
            server_seq: 1,
            entity: entities::RESPONSE.to_owned(),
            entity_id: id.to_string(),
            fields,
            deleted: false,
        }
    }

    #[test]
    fn reactions_come_from_the_vaults_answers_newest_first_in_dutch_local_time() -> TestResult {
        let dir = tempfile::tempdir()?;
        let mut v = vault(dir.path())?;
        let ids: Vec<Uuid> = (0..4).map(|_| Uuid::now_v7()).collect();
        v.apply_pull(&PullResponse {
            changes: vec![
                // 23:30 UTC is already Tuesday 24 November in the Netherlands.
                answer(ids[0], "2026-11-23T23:30:00.000000Z", "laat"),
                // Winter time: one hour ahead.
                answer(ids[1], "2026-11-10T09:15:00.000000Z", "winter"),
                // 22:30 UTC on the 9th is 23:30 Dutch time: the first day of
                // the fourteen.
                answer(ids[2], "2026-11-09T22:30:00.000000Z", "eerste dag"),
                // 23:59 Dutch time the day before: too old.
                answer(ids[3], "2026-11-08T22:59:00.000000Z", "te oud"),
            ],
            purge: vec![],
            conflicts: vec![],
            next_cursor: 1,
            more: false,
            wipe: false,
        })?;
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).ok_or("day")?;
        let found = reactions(&mut v, day)?;
        let seen: Vec<(&str, &str)> = found
            .iter()
            .map(|r| (r.at.as_str(), r.note.as_deref().unwrap_or_default()))
            .collect();
        assert_eq!(
            seen,
            [
                ("2026-11-24T00:30", "laat"),
                ("2026-11-10T10:15", "winter"),
                ("2026-11-09T23:30", "eerste dag"),
            ]
        );
        assert_eq!(found[0].id, ids[0].to_string());
        Ok(())
    }

    #[test]
    fn vandaag_sends_the_first_tasks_and_counts_them_all() -> TestResult {
        let dir = tempfile::tempdir()?;
        let mut v = vault(dir.path())?;
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).ok_or("day")?;
        veldwerk_vault::demo::generate(
            &mut v,
            &veldwerk_vault::demo::DemoOptions {
                youth: 100,
                seed: 1,
                today: day,
            },
        )?;
        let all = v.agenda(day)?.tasks;
        assert!(all.len() > TODAY_TASKS, "only {} tasks due", all.len());
        let today = today_of(&mut v, day)?;
        assert_eq!(today.tasks_total as usize, all.len());
        let sent: Vec<&str> = today.tasks.iter().map(|t| t.id.as_str()).collect();
        let first: Vec<String> = all[..TODAY_TASKS]
            .iter()
            .map(|t| t.task.id.to_string())
            .collect();
        assert_eq!(sent, first, "the most urgent tasks, in the agenda's order");
        Ok(())
    }

    #[test]
    fn a_reaction_in_summer_shows_two_hours_ahead_of_utc() -> TestResult {
        let dir = tempfile::tempdir()?;
        let mut v = vault(dir.path())?;
        v.apply_pull(&PullResponse {
            changes: vec![answer(
                Uuid::now_v7(),
                "2026-07-01T09:15:00.000000Z",
                "zomer",
            )],
            purge: vec![],
            conflicts: vec![],
            next_cursor: 1,
            more: false,
            wipe: false,
        })?;
        let day = NaiveDate::from_ymd_opt(2026, 7, 2).ok_or("day")?;
        let found = reactions(&mut v, day)?;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].at, "2026-07-01T11:15");
        Ok(())
    }
}
