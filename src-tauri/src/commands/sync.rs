//! Sync from the UI's side: the status for the corner, a manual sync (which
//! only wakes the background runner; nothing here waits on the network),
//! and the conflicts a person must decide.

use tauri::State;
use veldwerk_sync::{SyncState, SyncStatus};
use veldwerk_vault::ConflictChoice;

use super::parse_id;
use crate::error::CommandError;
use crate::state::{AppState, SyncOverview};
use crate::views::{ConflictPick, ConflictView};

fn overview(state: &AppState) -> Result<SyncOverview, CommandError> {
    if let Some(runner) = state.runner() {
        return Ok(SyncOverview {
            enrolled: true,
            status: runner.status(),
        });
    }
    // Not enrolled (or locked): the counts straight from the vault. The
    // sync corner asks every 15 seconds by itself: not the user's activity.
    let (counts, conflicts) =
        state.peek_vault(|v| Ok((v.outbox_counts()?, v.open_conflicts()?.len())))?;
    Ok(SyncOverview {
        enrolled: false,
        status: SyncStatus {
            state: SyncState::Idle,
            pending_operations: counts.pending,
            rejected_operations: counts.rejected,
            open_conflicts: conflicts as u64,
            ..SyncStatus::default()
        },
    })
}

#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> Result<SyncOverview, CommandError> {
    overview(&state)
}

/// Asks the runner to sync now and returns at once; progress arrives as
/// `sync-status` events.
#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>) -> Result<SyncOverview, CommandError> {
    state.touch();
    match state.runner() {
        Some(runner) => runner.sync_now(),
        None => {
            return Err(CommandError::not_allowed(
                "Dit apparaat is niet aangemeld bij een server, dus er valt niets te synchroniseren.",
            ));
        }
    }
    overview(&state)
}

fn record_label(entity: &str) -> &'static str {
    use veldwerk_protocol::entities as e;
    match entity {
        e::CASE => "Zaak",
        e::YOUTH => "Jongere",
        e::CONTACT_PERSON => "Ouder of verzorger",
        e::TASK => "Taak",
        e::APPOINTMENT => "Afspraak",
        e::CONSENT => "Toestemming",
        e::SCHOOL => "School",
        _ => "Gegeven",
    }
}

/// A field's name for people: the stored names are partly English
/// (`outcome`, `due_date`), partly Dutch in snake_case (`uren_verzuim`).
fn field_label(field: &str) -> String {
    let known = match field {
        "outcome" => "uitkomst",
        "status" => "status",
        "opened_on" => "geopend op",
        "closed_on" => "afgesloten op",
        "hours_absent" => "uren verzuim",
        "care_concern" => "zorgen",
        "starts_at" => "begint om",
        "ends_at" => "eindigt om",
        "location" => "plaats van de afspraak",
        "title" => "omschrijving",
        "due_date" => "uiterlijk op",
        "done" => "gedaan",
        "done_on" => "gedaan op",
        "kind" => "soort",
        "assigned_user_id" => "toegewezen aan",
        "letter_kind" => "soort brief",
        _ => "",
    };
    let text = if known.is_empty() {
        field.replace('_', " ")
    } else {
        known.to_owned()
    };
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A stored value as text for a person: codes as their Dutch label, dates
/// as 23-11-2026, times as 23-11-2026 14:30, nothing as "(leeg)".
fn value_text(entity: &str, field: &str, value: &serde_json::Value) -> String {
    use veldwerk_domain as d;
    use veldwerk_protocol::entities as e;
    let text = match value {
        serde_json::Value::Null => return "(leeg)".to_owned(),
        serde_json::Value::String(s) if s.is_empty() => return "(leeg)".to_owned(),
        serde_json::Value::String(s) => s.as_str(),
        serde_json::Value::Bool(true) => return "ja".to_owned(),
        serde_json::Value::Bool(false) => return "nee".to_owned(),
        other => return other.to_string(),
    };
    let label = match (entity, field) {
        (_, "outcome") => d::Outcome::from_code(text).ok().map(d::Outcome::label),
        (e::CASE, "status") => d::CaseStatus::from_code(text)
            .ok()
            .map(d::CaseStatus::label),
        (_, "werkproces") => d::CaseKind::from_code(text).ok().map(d::CaseKind::label),
        (_, "soort") => d::VerzuimKind::from_code(text)
            .map(d::VerzuimKind::label)
            .or_else(|_| d::VsvKind::from_code(text).map(d::VsvKind::label))
            .ok(),
        (_, "vrijstelling_status") => d::VrijstellingStatus::from_code(text)
            .ok()
            .map(d::VrijstellingStatus::label),
        (_, "relatie") => d::Relation::from_code(text).ok().map(d::Relation::label),
        (e::TASK, "kind") => d::TaskKind::from_code(text).ok().map(d::TaskKind::label),
        (e::APPOINTMENT, "kind") => d::AppointmentKind::from_code(text)
            .ok()
            .map(d::AppointmentKind::label),
        (e::APPOINTMENT, "status") => d::AppointmentStatus::from_code(text)
            .ok()
            .map(d::AppointmentStatus::label),
        (_, "letter_kind") => d::LetterKind::from_code(text)
            .ok()
            .map(d::LetterKind::label),
        _ => None,
    };
    if let Some(label) = label {
        return label.to_owned();
    }
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return day.format("%d-%m-%Y").to_string();
    }
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(text) {
        return veldwerk_domain::time::dutch_local(at.to_utc())
            .format("%d-%m-%Y %H:%M")
            .to_string();
    }
    text.to_owned()
}

#[tauri::command]
pub async fn conflicts(state: State<'_, AppState>) -> Result<Vec<ConflictView>, CommandError> {
    state.with_vault(|v| {
        Ok(v.open_conflicts()?
            .into_iter()
            .map(|c| ConflictView {
                id: c.id.to_string(),
                record: record_label(&c.entity).to_owned(),
                field: field_label(&c.field),
                kept_value: value_text(&c.entity, &c.field, &c.kept_value),
                kept_by: c.kept_by.user_name.clone(),
                other_value: value_text(&c.entity, &c.field, &c.other_value),
                other_by: c.other_by.user_name.clone(),
                at: veldwerk_domain::time::dutch_local(c.at)
                    .format("%Y-%m-%dT%H:%M")
                    .to_string(),
            })
            .collect())
    })
}

#[tauri::command]
pub async fn resolve_conflict(
    state: State<'_, AppState>,
    conflict_id: String,
    pick: ConflictPick,
) -> Result<(), CommandError> {
    let id = parse_id(&conflict_id)?;
    let choice = match pick {
        ConflictPick::Kept => ConflictChoice::Kept,
        ConflictPick::Other => ConflictChoice::Other,
    };
    state.change_vault(|v| Ok(v.resolve_conflict(id, choice)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use veldwerk_protocol::entities as e;

    #[test]
    fn conflicting_values_read_as_dutch_labels_and_dates() {
        assert_eq!(
            value_text(e::CASE, "outcome", &json!("niet_verwijtbaar")),
            "Niet verwijtbaar"
        );
        assert_eq!(
            value_text(e::CASE, "status", &json!("afgesloten")),
            "Afgesloten"
        );
        assert_eq!(value_text(e::CASE, "soort", &json!("luxe")), "Luxe verzuim");
        assert_eq!(
            value_text(e::CASE, "soort", &json!("nieuwe_vsver")),
            "Nieuwe vsv'er"
        );
        assert_eq!(
            value_text(e::TASK, "due_date", &json!("2026-11-23")),
            "23-11-2026"
        );
        assert_eq!(
            value_text(e::APPOINTMENT, "starts_at", &json!("2026-11-23T13:30:00Z")),
            "23-11-2026 14:30"
        );
        assert_eq!(value_text(e::CASE, "hours_absent", &json!(16)), "16");
        assert_eq!(value_text(e::CASE, "outcome", &json!(null)), "(leeg)");
        // An unknown code is shown as it is rather than hidden.
        assert_eq!(
            value_text(e::CASE, "outcome", &json!("iets_nieuws")),
            "iets_nieuws"
        );
    }

    #[test]
    fn field_names_are_dutch() {
        assert_eq!(field_label("outcome"), "Uitkomst");
        assert_eq!(field_label("hours_absent"), "Uren verzuim");
        assert_eq!(
            field_label("startkwalificatie_datum"),
            "Startkwalificatie datum"
        );
    }
}
