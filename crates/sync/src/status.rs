//! What the UI shows about sync: [`SyncStatus`], serialized in camelCase
//! for the front end. Field names are part of the app's interface.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{SyncError, SyncErrorKind};

/// The sync state the UI shows. One value, replaced as things happen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncStatus {
    pub state: SyncState,
    /// Whether the last contact with the server succeeded.
    pub online: bool,
    /// Local changes not yet accepted by the server.
    pub pending_operations: u64,
    /// Local changes the server refused; they stay visible on the device.
    pub rejected_operations: u64,
    /// Conflicts nobody has resolved yet.
    pub open_conflicts: u64,
    /// When the last sync succeeded. Kept in the vault by the engine
    /// (`Vault::last_sync_at`), so it shows again after a restart.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub last_success_at: Option<DateTime<Utc>>,
    /// While syncing: how far it got.
    pub progress: Option<SyncProgress>,
    /// The last failure, until the next success.
    pub last_error: Option<StatusError>,
    /// When the runner tries again by itself, if it will.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub next_attempt_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SyncState {
    /// Nothing happening; the last sync (if any) succeeded.
    #[default]
    Idle,
    Syncing,
    /// The server is unreachable; retrying with backoff.
    Offline,
    /// The last sync failed in a way that needs a person (update the app,
    /// a new enrollment code).
    Error,
    /// The vault is locked; sync waits for unlock.
    Locked,
    /// The bureau revoked the device and its vault was wiped.
    Wiped,
}

/// Progress of the running sync.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncProgress {
    pub phase: SyncPhase,
    /// Operations the server has answered so far.
    pub pushed: u64,
    /// Pull pages applied so far.
    pub pages: u32,
    /// Records received so far.
    pub records: u64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SyncPhase {
    #[default]
    Push,
    Pull,
    Check,
    /// Pulling everything again after the server found the device out of step.
    FullResync,
}

/// An error as the UI receives it: a stable kind and a plain Dutch message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusError {
    pub kind: SyncErrorKind,
    pub message: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub at: DateTime<Utc>,
}

impl StatusError {
    pub fn of(error: &SyncError, at: DateTime<Utc>) -> StatusError {
        StatusError {
            kind: error.kind(),
            message: error.message_nl().to_owned(),
            at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_serializes_in_camel_case_with_a_dutch_error() {
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let status = SyncStatus {
            state: SyncState::Offline,
            pending_operations: 3,
            last_error: Some(StatusError::of(&SyncError::Locked, at)),
            progress: Some(SyncProgress {
                phase: SyncPhase::FullResync,
                pages: 2,
                ..SyncProgress::default()
            }),
            ..SyncStatus::default()
        };
        let json = serde_json::to_value(&status).unwrap_or_default();
        assert_eq!(json["state"], "offline");
        assert_eq!(json["pendingOperations"], 3);
        assert_eq!(json["progress"]["phase"], "fullResync");
        assert_eq!(json["lastError"]["kind"], "locked");
        assert!(
            json["lastError"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("vergrendeld"))
        );
        assert!(json["lastSuccessAt"].is_null());
    }
}
