//! Reading the caseload: today's agenda, the list with its filters, and a case.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::Days;
use tauri::State;
use uuid::Uuid;
use veldwerk_domain::{AppointmentKind, CaseKind, CaseStatus, ContactKind};
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
        .map(|t| task_item(&t.task, &t.youth_name, day))
        .collect();
    Ok(Today {
        day: ymd(day),
        appointments,
        tasks,
        reactions: reactions(v, day)?,
    })
}

/// Contact moments of kind "reactie via QR-code" of the last days, newest first.
///
/// This reads every contact moment on the device (about 0.3 s in a debug
/// build on the 2,000-youth benchmark caseload): it should become a vault
/// query once the vault keeps QR responses itself.
fn reactions(v: &mut Vault, day: chrono::NaiveDate) -> Result<Vec<ReactionItem>, CommandError> {
    let since = day
        .checked_sub_days(Days::new(REACTION_DAYS))
        .unwrap_or(day);
    let since = ymd(since);
    let mut found = Vec::new();
    for record in v.records(entities::CONTACT_MOMENT)? {
        let field = |name: &str| record.fields.get(name).and_then(|x| x.as_str());
        if field("kind") != Some(ContactKind::QrResponse.code()) {
            continue;
        }
        // A device writes `at`; the server's QR form wrote `occurred_at`.
        let at = field("at")
            .or_else(|| field("occurred_at"))
            .unwrap_or_default()
            .to_owned();
        if at.get(..10).is_none_or(|d| d < since.as_str()) {
            continue;
        }
        let Some(case_id) = field("case_id").and_then(|c| Uuid::parse_str(c).ok()) else {
            continue;
        };
        let note = field("note").map(str::to_owned);
        found.push((at, record.id, case_id, note));
    }
    found.sort_by(|a, b| b.0.cmp(&a.0));
    let mut out = Vec::with_capacity(found.len());
    for (at, id, case_id, note) in found {
        let youth_name = match v.cases().get(case_id)? {
            Some(case) => v
                .youth()
                .get(case.youth_id)?
                .map(|y| y.display_name())
                .unwrap_or_default(),
            None => String::new(),
        };
        out.push(ReactionItem {
            id: id.to_string(),
            case_id: case_id.to_string(),
            youth_name,
            at: at.replace(' ', "T").chars().take(16).collect(),
            note,
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
        let all = v.caseload(&CaseloadQuery::default(), today_date())?;
        let gemeenten: BTreeSet<String> = all.iter().filter_map(|c| c.gemeente.clone()).collect();
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
            gemeenten: gemeenten.into_iter().collect(),
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
    state.with_vault(|v| {
        let day = today_date();
        let detail = v
            .case_detail(id, day)?
            .ok_or_else(CommandError::not_found)?;
        Ok(CaseView::of(&detail, day))
    })
}
