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
    // Not enrolled (or locked): the counts straight from the vault.
    let (counts, conflicts) =
        state.with_vault(|v| Ok((v.outbox_counts()?, v.open_conflicts()?.len())))?;
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

/// A stored value as text for a person: strings as they are, nothing as "(leeg)".
fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "(leeg)".to_owned(),
        serde_json::Value::String(s) if s.is_empty() => "(leeg)".to_owned(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(true) => "ja".to_owned(),
        serde_json::Value::Bool(false) => "nee".to_owned(),
        other => other.to_string(),
    }
}

#[tauri::command]
pub async fn conflicts(state: State<'_, AppState>) -> Result<Vec<ConflictView>, CommandError> {
    state.with_vault(|v| {
        Ok(v.open_conflicts()?
            .into_iter()
            .map(|c| ConflictView {
                id: c.id.to_string(),
                record: record_label(&c.entity).to_owned(),
                field: c.field.replace('_', " "),
                kept_value: value_text(&c.kept_value),
                kept_by: c.kept_by.user_name.clone(),
                other_value: value_text(&c.other_value),
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
