//! Sync: push of outbox operations, pull by cursor, purges, conflicts and the
//! state check. Shapes here are the wire format of protocol version 1: do not
//! change them without bumping [`PROTOCOL_VERSION`](crate::PROTOCOL_VERSION).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::OpDigest;

/// One change made on a device, as its vault outbox records it.
///
/// The device makes `op_id` (UUIDv7) and `hlc` when the change is made, in
/// the same transaction as the change itself, and never changes them: they
/// are what makes a retried push harmless.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    pub op_id: Uuid,
    /// Hybrid logical clock stamp, compared as text (see [`Hlc`](crate::Hlc)).
    /// At most 64 printable ASCII characters.
    pub hlc: String,
    /// An entity name from [`entities::ENTITIES`](crate::entities::ENTITIES),
    /// or [`entities::CONFLICT`](crate::entities::CONFLICT) for a resolution.
    pub entity: String,
    /// A UUID made by the device (or by the server for imported records).
    pub entity_id: String,
    pub kind: OpKind,
    /// Field name to new value. Names are `[a-z0-9_]`, 1 to 64 characters.
    /// Empty for `delete`.
    #[serde(default)]
    pub changes: BTreeMap<String, FieldChange>,
}

/// What an operation does to its record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpKind {
    /// Create a record (base versions 0).
    Insert,
    /// Change fields of an existing record.
    Update,
    /// Mark a record deleted (only entities whose spec says `deletable`).
    Delete,
    /// Create a record of an append-only entity; it never changes afterwards.
    Append,
}

/// A new value for one field, and the field version the device based it on
/// (the version it last pulled, 0 for a field it has never seen).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub value: serde_json::Value,
    pub base_version: u64,
}

impl Operation {
    /// The operation that marks conflict `conflict_id` resolved for everyone
    /// who sees it.
    ///
    /// Resolving is two operations, pushed in this order: a normal `update`
    /// of the record's field with the value the user chose (skip it when the
    /// user keeps the value the server kept), then this one. Its entity is
    /// [`entities::CONFLICT`](crate::entities::CONFLICT), its id the
    /// conflict's id, and its single change `resolved: true`.
    pub fn resolve_conflict(op_id: Uuid, hlc: String, conflict_id: Uuid) -> Operation {
        let mut changes = BTreeMap::new();
        changes.insert(
            RESOLVED_FIELD.to_owned(),
            FieldChange {
                value: serde_json::Value::Bool(true),
                base_version: 0,
            },
        );
        Operation {
            op_id,
            hlc,
            entity: crate::entities::CONFLICT.to_owned(),
            entity_id: conflict_id.to_string(),
            kind: OpKind::Update,
            changes,
        }
    }
}

/// The field of a resolve-conflict operation.
pub const RESOLVED_FIELD: &str = "resolved";

/// `POST /v1/sync/push`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub protocol_version: u32,
    /// Oldest first, as in the outbox. The server applies them in this order.
    pub operations: Vec<Operation>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    /// One per operation of the request, in the same order.
    pub results: Vec<OpResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpResult {
    pub op_id: Uuid,
    #[serde(flatten)]
    pub status: OpStatus,
    /// The server's sequence number of the change; absent when rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_seq: Option<u64>,
}

/// What the server did with an operation. Every status is final.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum OpStatus {
    /// Applied now.
    Applied,
    /// Applied earlier (a retry); `server_seq` is the original one.
    Duplicate,
    /// Applied, but at least one field was changed concurrently by another
    /// device from the same base version; each such field is a [`Conflict`]
    /// that both users will pull.
    Conflict { conflict_ids: Vec<Uuid> },
    /// Not applied, and never will be.
    Rejected { reason: RejectReason },
}

/// Why an operation was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// The entity name is not in the entity table.
    UnknownEntity,
    /// The operation is malformed: bad id, clock stamp or field name, a kind
    /// the entity does not allow (update of an append-only record, delete of
    /// a non-deletable one), or a missing link field.
    InvalidOperation,
    /// The record, or the case or youth it links to, does not exist or is
    /// outside the user's scope. The two are indistinguishable on purpose.
    NotFound,
    /// An insert or append for an id that is already taken in the user's scope.
    AlreadyExists,
    /// A field only the bureau's admin may change (`assigned_user_id`,
    /// `shared_with`).
    ForbiddenField,
    /// The record was deleted.
    Deleted,
}

impl RejectReason {
    pub fn as_str(self) -> &'static str {
        match self {
            RejectReason::UnknownEntity => "unknown_entity",
            RejectReason::InvalidOperation => "invalid_operation",
            RejectReason::NotFound => "not_found",
            RejectReason::AlreadyExists => "already_exists",
            RejectReason::ForbiddenField => "forbidden_field",
            RejectReason::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> Option<RejectReason> {
        [
            RejectReason::UnknownEntity,
            RejectReason::InvalidOperation,
            RejectReason::NotFound,
            RejectReason::AlreadyExists,
            RejectReason::ForbiddenField,
            RejectReason::Deleted,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// `POST /v1/sync/pull`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PullRequest {
    pub protocol_version: u32,
    /// The `next_cursor` of the last page the device applied; 0 at first.
    pub cursor: u64,
    /// Records per page; the server caps it (1000 by default).
    pub limit: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    /// Current state of every changed record in scope, in server order.
    pub changes: Vec<RecordChange>,
    /// Records to remove from the device: cases that left the user's scope and
    /// everything that hangs off them (their youth, contacts and consents
    /// unless another visible case still refers to that youth). The server
    /// keeps them.
    pub purge: Vec<EntityRef>,
    /// Conflicts recorded or resolved in this page's range, in scope.
    pub conflicts: Vec<Conflict>,
    pub next_cursor: u64,
    /// Pull again with `next_cursor` right away.
    pub more: bool,
    /// The device was revoked: wipe the vault. Everything else is empty.
    pub wipe: bool,
}

/// One record as the server has it now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordChange {
    pub server_seq: u64,
    pub entity: String,
    pub entity_id: String,
    /// Every field of the record (empty when deleted).
    pub fields: BTreeMap<String, FieldState>,
    pub deleted: bool,
}

/// A field's current value and version; the version is the `base_version`
/// of the device's next change to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldState {
    pub value: serde_json::Value,
    pub version: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EntityRef {
    pub entity: String,
    pub entity_id: String,
}

/// Two devices changed the same field from the same base version.
///
/// The server keeps the change with the higher HLC (ties: the higher op id);
/// the other value is kept here, nothing is lost. Both users pull the
/// conflict; either may resolve it (see [`Operation::resolve_conflict`]), and
/// the resolution reaches both like any change (the same conflict comes again
/// with `resolved` set).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub id: Uuid,
    pub entity: String,
    pub entity_id: String,
    pub field: String,
    pub kept_value: serde_json::Value,
    pub other_value: serde_json::Value,
    pub kept_by: ChangeAuthor,
    pub other_by: ChangeAuthor,
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<ConflictResolution>,
}

/// Who made one side of a conflict. Staff names only, never a youth's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeAuthor {
    pub user_id: Option<Uuid>,
    pub user_name: Option<String>,
    /// `None` for a change made by the bureau's admin on the server.
    pub device_id: Option<Uuid>,
    pub op_id: Option<Uuid>,
    pub hlc: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictResolution {
    pub by_user_id: Uuid,
    pub at: DateTime<Utc>,
}

/// `POST /v1/sync/check`: does the server agree with the device about what
/// it has pushed and pulled?
///
/// The device sends its cursor and the [`OpDigest`] of every operation it has
/// received a push result for. The server compares with its own record of
/// that device. On [`StateCheckStatus::FullResync`] the device (1) keeps its
/// outbox untouched, (2) pulls everything from cursor 0, (3) drops every
/// synced record it did not receive in that pull, re-applying its outbox
/// operations locally on top, (4) adopts `server_digest` as its own, and
/// (5) pushes its outbox as usual (operations the server already has answer
/// `duplicate`). A device restored from an old backup is caught this way, as
/// is a device whose server was restored from an older backup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StateCheckRequest {
    pub protocol_version: u32,
    pub cursor: u64,
    pub digest: OpDigest,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StateCheckResponse {
    pub status: StateCheckStatus,
    /// The server's digest for this device; adopt it after a full re-sync.
    pub server_digest: OpDigest,
    /// The server's newest sequence number.
    pub server_seq: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateCheckStatus {
    /// Carry on with incremental syncs.
    Ok,
    /// Re-pull everything from cursor 0, keeping the outbox.
    FullResync,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_results_serialize_with_a_flat_status() {
        let id = Uuid::nil();
        let applied = OpResult {
            op_id: id,
            status: OpStatus::Applied,
            server_seq: Some(7),
        };
        assert_eq!(
            serde_json::to_value(&applied).unwrap_or_default(),
            serde_json::json!({"op_id": id, "status": "applied", "server_seq": 7})
        );
        let rejected = OpResult {
            op_id: id,
            status: OpStatus::Rejected {
                reason: RejectReason::NotFound,
            },
            server_seq: None,
        };
        let json = serde_json::to_value(&rejected).unwrap_or_default();
        assert_eq!(
            json,
            serde_json::json!({"op_id": id, "status": "rejected", "reason": "not_found"})
        );
        let back: OpResult = serde_json::from_value(json).unwrap_or(applied);
        assert_eq!(back, rejected);
    }

    #[test]
    fn reject_reasons_round_trip_through_their_codes() {
        for r in [
            RejectReason::UnknownEntity,
            RejectReason::Deleted,
            RejectReason::NotFound,
        ] {
            assert_eq!(RejectReason::parse(r.as_str()), Some(r));
            assert_eq!(
                serde_json::to_value(r).unwrap_or_default(),
                serde_json::Value::String(r.as_str().to_owned())
            );
        }
    }

    #[test]
    fn a_delete_may_omit_its_changes() {
        let json = serde_json::json!({
            "op_id": Uuid::nil(), "hlc": "x", "entity": "task", "entity_id": "t", "kind": "delete"
        });
        let op: Result<Operation, _> = serde_json::from_value(json);
        assert!(op.is_ok_and(|op| op.changes.is_empty() && op.kind == OpKind::Delete));
    }
}
