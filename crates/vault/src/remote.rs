//! What the sync engine (`veldwerk-sync`) needs from the vault: applying
//! pulled records and purges, acknowledging pushed operations, the cursor
//! and the operation digest, conflicts, and the local retention purge.
//!
//! None of this is a user's change, so none of it writes an outbox
//! operation or an audit entry as a user. Pulled values are written
//! straight to the entity tables (and the search index), and their
//! per-field versions to `field_versions`, where the next local change of
//! the field finds its base version.
//!
//! # The contract for the sync engine
//! - Push: send [`Vault::outbox`](crate::Vault::outbox) (oldest first; operations the server
//!   rejected and operations of entities the protocol does not know yet are
//!   not in it); hand every push result to [`Vault::ack_pushed`](crate::Vault::ack_pushed) (applied,
//!   duplicate and conflict remove the operation; rejected marks it, for the
//!   user to see in [`Vault::rejected_ops`](crate::Vault::rejected_ops)). The acknowledgement also keeps
//!   the state check's [`OpDigest`] ([`Vault::op_digest`](crate::Vault::op_digest)).
//! - Pull: hand each page to [`Vault::apply_pull`](crate::Vault::apply_pull), which applies records,
//!   purges and conflicts and stores the page's cursor in one transaction;
//!   when it reports `wipe`, call [`Vault::wipe`](crate::Vault::wipe). [`Vault::apply_remote`](crate::Vault::apply_remote)
//!   and [`Vault::purge`](crate::Vault::purge) do one record each.
//! - A field with a local change not yet pushed keeps the local value and
//!   its old base version when a pull brings the server's value: the push
//!   then tells the server which version the change was based on, and the
//!   server decides (a conflict when both changed it).
//! - Pulled records may arrive before the records they link to (the server
//!   orders by last change); they are stored as they come.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde_json::Value;
use uuid::Uuid;
use veldwerk_protocol::entities;
use veldwerk_protocol::{
    Conflict, ConflictResolution, EntityRef, FieldChange, OpDigest, OpResult, OpStatus, Operation,
    PullResponse, RecordChange, RejectReason, sync::RESOLVED_FIELD,
};

use crate::schema::{self, Table};
use crate::write::{self, AuditAction, Mutation};
use crate::{VaultError, hlc, meta, search};

/// Days a closed case stays on the device after its `closed_on`, as the
/// server's default (`closed_case_retention_days`).
pub const DEFAULT_CLOSED_CASE_RETENTION_DAYS: u32 = 28;

/// The meta key of the operation digest (see [`OpDigest`]).
const DIGEST_KEY: &str = "op_digest";

/// What [`crate::Vault::apply_remote`] did with a pulled record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemoteApplied {
    /// Stored (inserted or updated).
    Written {
        /// Fields with a local change not yet pushed: the local value stays.
        kept_local: Vec<String>,
        /// Fields this build has no column for, or whose value does not fit
        /// the column: not stored.
        skipped: Vec<String>,
    },
    /// The server deleted it: removed here.
    Removed,
    /// Not stored: an entity this build has no table for, an id that is not
    /// a UUID, or a record deleted here by a change not yet pushed.
    Ignored,
}

/// What [`crate::Vault::apply_pull`] did with a page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PullApplied {
    pub written: usize,
    pub removed: usize,
    pub ignored: usize,
    /// Records removed by the page's purges, dependants included.
    pub purged: usize,
    pub conflicts: usize,
    /// The server revoked this device: nothing was applied; call
    /// [`crate::Vault::wipe`].
    pub wipe: bool,
}

/// What [`crate::Vault::ack_pushed`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AckSummary {
    /// Applied, duplicate or conflict: removed from the outbox.
    pub removed: usize,
    /// Rejected: kept, marked, no longer pushed.
    pub rejected: usize,
    /// Results for operations no longer in the outbox (an earlier answer).
    pub unknown: usize,
}

/// An operation the server rejected, kept for the user to see.
#[derive(Clone, Debug, PartialEq)]
pub struct RejectedOp {
    pub operation: Operation,
    pub reason: Option<RejectReason>,
    pub rejected_at: String,
}

/// How many operations the outbox holds, by state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    /// Waiting to be pushed.
    pub pending: u64,
    /// Of entities the sync protocol does not know yet (group sessions):
    /// kept, not pushed.
    pub held: u64,
    /// Rejected by the server, kept for the user to see.
    pub rejected: u64,
}

/// What a local purge removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PurgeSummary {
    pub cases: usize,
    pub youth: usize,
    /// Every record removed, cases and youth included.
    pub records: usize,
    /// Closed cases past retention kept because changes to them (or to
    /// their records) are not pushed yet.
    pub kept_unpushed: usize,
}

/// What the user chose for a conflict.
#[derive(Clone, Debug, PartialEq)]
pub enum ConflictChoice {
    /// The value the server kept (what the device has after the pull).
    Kept,
    /// The other value, which the server set aside.
    Other,
    /// A value of the user's own.
    Value(Value),
}

/// Entities whose operations wait in the outbox instead of being pushed.
fn held_entities() -> Vec<&'static str> {
    schema::TABLES
        .iter()
        .filter(|t| !t.synced())
        .map(|t| t.entity)
        .collect()
}

/// `entity NOT IN ('a', 'b')` for the held entities; names come from the
/// allow-list, never from input.
pub(crate) fn pushable_filter() -> String {
    let held: Vec<String> = held_entities().iter().map(|e| format!("'{e}'")).collect();
    if held.is_empty() {
        "rejected_reason IS NULL".to_owned()
    } else {
        format!(
            "rejected_reason IS NULL AND entity NOT IN ({})",
            held.join(", ")
        )
    }
}

fn canonical_id(text: &str) -> Option<String> {
    Uuid::parse_str(text)
        .ok()
        .map(|u| u.hyphenated().to_string())
}

/// Fields changed by operations of this record still in the outbox, and
/// whether one of them deletes it.
fn pending_fields(
    conn: &Connection,
    entity: &str,
    id: &str,
) -> Result<(BTreeSet<String>, bool), VaultError> {
    let mut stmt = conn.prepare_cached(
        "SELECT op, changes FROM outbox
         WHERE entity = ?1 AND entity_id = ?2 AND rejected_reason IS NULL",
    )?;
    let rows = stmt.query_map([entity, id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut fields = BTreeSet::new();
    let mut deleted = false;
    for row in rows {
        let (op, changes) = row?;
        deleted |= op == "delete";
        let changes: BTreeMap<String, FieldChange> =
            serde_json::from_str(&changes).map_err(|_| VaultError::Corrupt)?;
        fields.extend(changes.into_keys());
    }
    Ok((fields, deleted))
}

/// Remove one record, its search entry and its field versions. No cascade.
fn remove_record(conn: &Connection, table: &Table, id: &str) -> Result<bool, VaultError> {
    let removed = conn
        .prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", table.sql()))?
        .execute([id])?;
    if table.searchable() {
        search::unindex(conn, table.entity, id)?;
    }
    conn.prepare_cached("DELETE FROM field_versions WHERE entity = ?1 AND entity_id = ?2")?
        .execute([table.entity, id])?;
    Ok(removed > 0)
}

/// Remove a record and everything that belongs to it (owner links, followed
/// recursively). Returns how many records were removed.
fn remove_tree(conn: &Connection, table: &Table, id: &str) -> Result<usize, VaultError> {
    let mut removed = 0;
    for (child, link) in schema::links_to(table.entity) {
        if !link.owner {
            continue;
        }
        let ids: Vec<String> = conn
            .prepare_cached(&format!(
                "SELECT id FROM {} WHERE {} = ?1",
                child.sql(),
                link.column
            ))?
            .query_map([id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for child_id in ids {
            removed += remove_tree(conn, child, &child_id)?;
        }
    }
    if remove_record(conn, table, id)? {
        removed += 1;
    }
    Ok(removed)
}

/// Every id in the tree of a record (itself and what it owns).
fn tree_ids(
    conn: &Connection,
    table: &Table,
    id: &str,
    out: &mut Vec<String>,
) -> Result<(), VaultError> {
    for (child, link) in schema::links_to(table.entity) {
        if !link.owner {
            continue;
        }
        let ids: Vec<String> = conn
            .prepare_cached(&format!(
                "SELECT id FROM {} WHERE {} = ?1",
                child.sql(),
                link.column
            ))?
            .query_map([id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for child_id in ids {
            tree_ids(conn, child, &child_id, out)?;
        }
    }
    out.push(id.to_owned());
    Ok(())
}

/// Whether the outbox holds an operation still to push (any entity). When
/// it does not, no pulled record can have a local change to keep, and the
/// per-record outbox lookup is skipped.
fn outbox_pending(conn: &Connection) -> Result<bool, VaultError> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM outbox WHERE rejected_reason IS NULL)")?
        .query_row([], |r| r.get(0))?)
}

pub(crate) fn apply_remote_in(
    conn: &Connection,
    change: &RecordChange,
    now: DateTime<Utc>,
) -> Result<RemoteApplied, VaultError> {
    let pending = outbox_pending(conn)?;
    apply_remote_with(conn, change, now, pending)
}

/// [`apply_remote_in`], told whether the outbox holds anything to push
/// (one look per pull page instead of one per record).
fn apply_remote_with(
    conn: &Connection,
    change: &RecordChange,
    now: DateTime<Utc>,
    outbox_pending: bool,
) -> Result<RemoteApplied, VaultError> {
    let Some(table) = schema::table(&change.entity) else {
        return Ok(RemoteApplied::Ignored);
    };
    let Some(id) = canonical_id(&change.entity_id) else {
        return Ok(RemoteApplied::Ignored);
    };
    if change.deleted {
        remove_record(conn, table, &id)?;
        return Ok(RemoteApplied::Removed);
    }
    let (pending, deleted_here) = if outbox_pending {
        pending_fields(conn, table.entity, &id)?
    } else {
        (BTreeSet::new(), false)
    };
    if deleted_here {
        return Ok(RemoteApplied::Ignored);
    }
    let mut names = Vec::new();
    let mut values = Vec::new();
    let mut versions = Vec::new();
    let mut kept_local = Vec::new();
    let mut skipped = Vec::new();
    for (field, state) in &change.fields {
        let Some(column) = table.column(field) else {
            skipped.push(field.clone());
            continue;
        };
        if pending.contains(field) {
            kept_local.push(field.clone());
            continue;
        }
        let converted = if state.value.is_null() && column.nullable {
            Some(rusqlite::types::Value::Null)
        } else {
            column.ty.convert(&state.value).map(|(sql, _)| sql)
        };
        match converted {
            Some(sql) => {
                names.push(column.name);
                values.push(sql);
                versions.push((column.name, state.version));
            }
            None => skipped.push(field.clone()),
        }
    }
    let at = write::timestamp(now);
    let existed = write::exists(conn, table, &id)?;
    if existed {
        if !names.is_empty() {
            write::update_row(conn, table, &id, &at, &names, values)?;
        }
    } else {
        write::insert_row(conn, table, &id, &at, &names, values)?;
    }
    // Base versions matter only to a later local update; records of an
    // append-only entity are never updated (the write path refuses it), so
    // theirs are not kept. Most pulled records are contact moments: this
    // saves a handful of index inserts each.
    let updatable = table.spec().is_some_and(|spec| !spec.append_only);
    if updatable {
        // No upsert (see `search::index` on statement savepoints and FTS5).
        // A record new here may still have versions left from a local
        // delete: those go first, then every version is a plain insert.
        if !existed {
            conn.prepare_cached("DELETE FROM field_versions WHERE entity = ?1 AND entity_id = ?2")?
                .execute([table.entity, id.as_str()])?;
        }
        let mut update = conn.prepare_cached(
            "UPDATE field_versions SET version = ?4
             WHERE entity = ?1 AND entity_id = ?2 AND field = ?3",
        )?;
        let mut insert = conn.prepare_cached(
            "INSERT INTO field_versions (entity, entity_id, field, version)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (field, version) in versions {
            let values = params![
                table.entity,
                id,
                field,
                i64::try_from(version).unwrap_or(i64::MAX)
            ];
            if !existed || update.execute(values)? == 0 {
                insert.execute(values)?;
            }
        }
    }
    if table.searchable() {
        if existed {
            search::reindex(conn, table, &id)?;
        } else {
            // Pulled pages are bulk writes: indexed directly, one segment.
            search::index_new(conn, table, &id, write::Indexing::Now)?;
        }
    }
    crate::response::after_remote_write(conn, change, &id, now)?;
    Ok(RemoteApplied::Written {
        kept_local,
        skipped,
    })
}

pub(crate) fn purge_in(conn: &Connection, what: &EntityRef) -> Result<usize, VaultError> {
    let (Some(table), Some(id)) = (schema::table(&what.entity), canonical_id(&what.entity_id))
    else {
        return Ok(0);
    };
    remove_tree(conn, table, &id)
}

pub(crate) fn store_conflicts_in(
    conn: &Connection,
    conflicts: &[Conflict],
) -> Result<(), VaultError> {
    for c in conflicts {
        conn.prepare_cached(
            "INSERT INTO conflict (id, entity, entity_id, field, kept_value, other_value, kept_by,
                                   other_by, at, resolved)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (id) DO UPDATE SET kept_value = excluded.kept_value,
                 other_value = excluded.other_value, kept_by = excluded.kept_by,
                 other_by = excluded.other_by, at = excluded.at, resolved = excluded.resolved",
        )?
        .execute(params![
            c.id.hyphenated().to_string(),
            c.entity,
            c.entity_id,
            c.field,
            json_text(&c.kept_value)?,
            json_text(&c.other_value)?,
            json_text(&c.kept_by)?,
            json_text(&c.other_by)?,
            c.at.to_rfc3339(),
            c.resolved.as_ref().map(json_text).transpose()?,
        ])?;
    }
    Ok(())
}

/// Protocol values and types as JSON text for storage.
fn json_text<T: serde::Serialize>(value: &T) -> Result<String, VaultError> {
    serde_json::to_string(value).map_err(|_| VaultError::Corrupt)
}

pub(crate) fn apply_pull(
    conn: &mut Connection,
    page: &PullResponse,
    now: DateTime<Utc>,
) -> Result<PullApplied, VaultError> {
    if page.wipe {
        return Ok(PullApplied {
            wipe: true,
            ..PullApplied::default()
        });
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut summary = PullApplied::default();
    // Applying a record never adds to the outbox, so one look holds for
    // the whole page.
    let pending = outbox_pending(&tx)?;
    for change in &page.changes {
        match apply_remote_with(&tx, change, now, pending)? {
            RemoteApplied::Written { .. } => summary.written += 1,
            RemoteApplied::Removed => summary.removed += 1,
            RemoteApplied::Ignored => summary.ignored += 1,
        }
    }
    for what in &page.purge {
        summary.purged += purge_in(&tx, what)?;
    }
    store_conflicts_in(&tx, &page.conflicts)?;
    summary.conflicts = page.conflicts.len();
    meta::set(
        &tx,
        meta::MetaKey::SyncCursor,
        &page.next_cursor.to_string(),
    )?;
    tx.commit()?;
    Ok(summary)
}

pub(crate) fn op_digest(conn: &Connection) -> Result<OpDigest, VaultError> {
    match meta::get_raw(conn, DIGEST_KEY)? {
        Some(text) => serde_json::from_str(&text).map_err(|_| VaultError::Corrupt),
        None => Ok(OpDigest::empty()),
    }
}

pub(crate) fn set_op_digest(conn: &Connection, digest: &OpDigest) -> Result<(), VaultError> {
    let text = serde_json::to_string(digest).map_err(|_| VaultError::Corrupt)?;
    meta::set_raw(conn, DIGEST_KEY, &text)
}

pub(crate) fn ack_pushed(
    conn: &mut Connection,
    results: &[OpResult],
    now: DateTime<Utc>,
) -> Result<AckSummary, VaultError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Operations leave the outbox below; the clock's latest stamp may be
    // among them.
    hlc::persist(&tx)?;
    let mut digest = op_digest(&tx)?;
    let mut summary = AckSummary::default();
    for result in results {
        let op_id = result.op_id.hyphenated().to_string();
        let waiting: Option<bool> = tx
            .prepare_cached("SELECT rejected_reason IS NULL FROM outbox WHERE op_id = ?1")?
            .query_row([&op_id], |r| r.get(0))
            .optional()?;
        match waiting {
            None => summary.unknown += 1,
            Some(false) => summary.rejected += 1,
            Some(true) => {
                digest = digest.with(&result.op_id);
                match &result.status {
                    OpStatus::Rejected { reason } => {
                        tx.prepare_cached(
                            "UPDATE outbox SET rejected_reason = ?2, rejected_at = ?3 WHERE op_id = ?1",
                        )?
                        .execute(params![op_id, reason.as_str(), write::timestamp(now)])?;
                        summary.rejected += 1;
                    }
                    OpStatus::Applied | OpStatus::Duplicate | OpStatus::Conflict { .. } => {
                        tx.prepare_cached("DELETE FROM outbox WHERE op_id = ?1")?
                            .execute([&op_id])?;
                        summary.removed += 1;
                    }
                }
            }
        }
    }
    set_op_digest(&tx, &digest)?;
    tx.commit()?;
    Ok(summary)
}

pub(crate) fn outbox_counts(conn: &Connection) -> Result<OutboxCounts, VaultError> {
    let held = held_entities();
    let held_list: Vec<String> = held.iter().map(|e| format!("'{e}'")).collect();
    let held_sql = if held_list.is_empty() {
        "0".to_owned()
    } else {
        format!("entity IN ({})", held_list.join(", "))
    };
    let sql = format!(
        "SELECT coalesce(sum(rejected_reason IS NULL AND NOT ({held_sql})), 0),
                coalesce(sum(rejected_reason IS NULL AND ({held_sql})), 0),
                coalesce(sum(rejected_reason IS NOT NULL), 0)
         FROM outbox"
    );
    let (pending, held, rejected): (i64, i64, i64) = conn
        .prepare_cached(&sql)?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(OutboxCounts {
        pending: write::to_u64(pending)?,
        held: write::to_u64(held)?,
        rejected: write::to_u64(rejected)?,
    })
}

pub(crate) fn rejected_ops(conn: &Connection) -> Result<Vec<RejectedOp>, VaultError> {
    let mut stmt = conn.prepare_cached(
        "SELECT op_id, rejected_reason, rejected_at FROM outbox
         WHERE rejected_reason IS NOT NULL ORDER BY rowid",
    )?;
    let rows: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (op_id, reason, at) in rows {
        let operation = write::outbox_op(conn, &op_id)?.ok_or(VaultError::Corrupt)?;
        out.push(RejectedOp {
            operation,
            reason: RejectReason::parse(&reason),
            rejected_at: at,
        });
    }
    Ok(out)
}

pub(crate) fn dismiss_rejected(conn: &Connection, op_id: Uuid) -> Result<bool, VaultError> {
    // Before the operation leaves the outbox (its stamp may be the latest).
    hlc::persist(conn)?;
    Ok(conn
        .prepare_cached("DELETE FROM outbox WHERE op_id = ?1 AND rejected_reason IS NOT NULL")?
        .execute([op_id.hyphenated().to_string()])?
        > 0)
}

fn conflict_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<[Option<String>; 10]> {
    let mut out: [Option<String>; 10] = Default::default();
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = r.get(i)?;
    }
    Ok(out)
}

fn typed<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, VaultError> {
    serde_json::from_value(value).map_err(|_| VaultError::Corrupt)
}

fn parse_conflict(raw: [Option<String>; 10]) -> Result<Conflict, VaultError> {
    let [
        id,
        entity,
        entity_id,
        field,
        kept,
        other,
        kept_by,
        other_by,
        at,
        resolved,
    ] = raw;
    let text = |v: Option<String>| v.ok_or(VaultError::Corrupt);
    let json = |v: Option<String>| -> Result<Value, VaultError> {
        serde_json::from_str(&text(v)?).map_err(|_| VaultError::Corrupt)
    };
    Ok(Conflict {
        id: crate::query::id(&text(id)?)?,
        entity: text(entity)?,
        entity_id: text(entity_id)?,
        field: text(field)?,
        kept_value: json(kept)?,
        other_value: json(other)?,
        kept_by: typed(json(kept_by)?)?,
        other_by: typed(json(other_by)?)?,
        at: DateTime::parse_from_rfc3339(&text(at)?)
            .map_err(|_| VaultError::Corrupt)?
            .with_timezone(&Utc),
        resolved: match resolved {
            Some(r) => Some(typed(json(Some(r))?)?),
            None => None,
        },
    })
}

const CONFLICT_COLUMNS: &str =
    "id, entity, entity_id, field, kept_value, other_value, kept_by, other_by, at, resolved";

pub(crate) fn open_conflicts(conn: &Connection) -> Result<Vec<Conflict>, VaultError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONFLICT_COLUMNS} FROM conflict WHERE resolved IS NULL ORDER BY at, id"
    ))?;
    let rows = stmt.query_map([], conflict_row)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(parse_conflict(row?)?);
    }
    Ok(out)
}

pub(crate) fn resolve_conflict(
    conn: &mut Connection,
    user_id: Uuid,
    conflict_id: Uuid,
    choice: ConflictChoice,
    now: DateTime<Utc>,
) -> Result<(), VaultError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let raw = tx
        .prepare_cached(&format!(
            "SELECT {CONFLICT_COLUMNS} FROM conflict WHERE id = ?1"
        ))?
        .query_row([conflict_id.hyphenated().to_string()], conflict_row)
        .optional()?
        .ok_or(VaultError::ConflictNotFound)?;
    let conflict = parse_conflict(raw)?;
    let chosen = match choice {
        ConflictChoice::Kept => None,
        ConflictChoice::Other => Some(conflict.other_value.clone()),
        ConflictChoice::Value(v) => Some(v),
    };
    if let Some(value) = chosen.filter(|v| *v != conflict.kept_value) {
        let table = schema::table(&conflict.entity).ok_or_else(|| VaultError::UnknownEntity {
            entity: conflict.entity.clone(),
        })?;
        let entity_id = crate::query::id(&conflict.entity_id)?;
        write::apply_in(
            &tx,
            user_id,
            Mutation::update(table.entity, entity_id).set(conflict.field.clone(), value),
            now,
        )?;
    }
    let stamp = hlc::tick(&tx, hlc::millis(now))?.to_string();
    let op = Operation::resolve_conflict(Uuid::now_v7(), stamp, conflict.id);
    write::insert_outbox(&tx, &op, now)?;
    write::audit(
        &tx,
        user_id,
        AuditAction::Update,
        entities::CONFLICT,
        &conflict.id.hyphenated().to_string(),
        now,
    )?;
    let resolution = ConflictResolution {
        by_user_id: user_id,
        at: now,
    };
    let resolution = serde_json::to_string(&resolution).map_err(|_| VaultError::Corrupt)?;
    tx.prepare_cached("UPDATE conflict SET resolved = ?2 WHERE id = ?1")?
        .execute([conflict.id.hyphenated().to_string(), resolution])?;
    tx.commit()?;
    debug_assert!(op.changes.contains_key(RESOLVED_FIELD));
    Ok(())
}

/// Remove closed cases whose retention has passed on `today` (closed on or
/// before `today - retention_days`, as the server counts), with everything
/// that belongs to them, and then every youth left without a case. No
/// outbox operation (the server keeps the archive); one audit entry
/// (`purge`, nil user) per case and youth removed.
pub(crate) fn purge_closed(
    conn: &mut Connection,
    today: NaiveDate,
    retention_days: u32,
    now: DateTime<Utc>,
) -> Result<PurgeSummary, VaultError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut summary = PurgeSummary::default();
    let cutoff = today
        .checked_sub_days(chrono::Days::new(retention_days.into()))
        .unwrap_or(NaiveDate::MIN);
    let cases: Vec<(String, String)> = tx
        .prepare_cached(
            "SELECT id, youth_id FROM \"case\" WHERE closed_on IS NOT NULL AND closed_on <= ?1",
        )?
        .query_map([crate::query::ymd(cutoff)], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut youth: BTreeSet<String> = BTreeSet::new();
    for (case_id, youth_id) in cases {
        let mut ids = Vec::new();
        tree_ids(&tx, &schema::CASE, &case_id, &mut ids)?;
        if unpushed(&tx, &ids)? {
            summary.kept_unpushed += 1;
            continue;
        }
        summary.records += remove_tree(&tx, &schema::CASE, &case_id)?;
        write::audit(
            &tx,
            Uuid::nil(),
            AuditAction::Purge,
            entities::CASE,
            &case_id,
            now,
        )?;
        summary.cases += 1;
        youth.insert(youth_id);
    }
    for youth_id in youth {
        let has_case: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM \"case\" WHERE youth_id = ?1)")?
            .query_row([&youth_id], |r| r.get(0))?;
        if has_case {
            continue;
        }
        let mut ids = Vec::new();
        tree_ids(&tx, &schema::YOUTH, &youth_id, &mut ids)?;
        if unpushed(&tx, &ids)? {
            continue;
        }
        let removed = remove_tree(&tx, &schema::YOUTH, &youth_id)?;
        if removed > 0 {
            write::audit(
                &tx,
                Uuid::nil(),
                AuditAction::Purge,
                entities::YOUTH,
                &youth_id,
                now,
            )?;
            summary.youth += 1;
            summary.records += removed;
        }
    }
    tx.commit()?;
    Ok(summary)
}

/// Whether the outbox still holds an operation (not rejected) on any of `ids`.
fn unpushed(conn: &Connection, ids: &[String]) -> Result<bool, VaultError> {
    let mut stmt = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM outbox WHERE entity_id = ?1 AND rejected_reason IS NULL)",
    )?;
    for id in ids {
        if stmt.query_row([id], |r| r.get::<_, bool>(0))? {
            return Ok(true);
        }
    }
    Ok(false)
}

// ---- the sync engine's entry points -------------------------------------------------

impl crate::Vault {
    /// Store a record pulled from the server, without an outbox operation or
    /// an audit entry; its field versions are kept for the next local
    /// change. See the module documentation for fields with unpushed local
    /// changes.
    pub fn apply_remote(&mut self, change: &RecordChange) -> Result<RemoteApplied, VaultError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let applied = apply_remote_in(&tx, change, Utc::now())?;
        tx.commit()?;
        Ok(applied)
    }

    /// Remove a record the server took out of scope, and everything that
    /// belongs to it, with their search entries; no outbox operation.
    /// Returns how many records were removed (0 when it was not here).
    pub fn purge(&mut self, what: &EntityRef) -> Result<usize, VaultError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let removed = purge_in(&tx, what)?;
        tx.commit()?;
        Ok(removed)
    }

    /// Apply one pull page in one transaction: its records, its purges, its
    /// conflicts, and its `next_cursor` as the new cursor. With
    /// `wipe` set nothing is applied and the summary says so.
    pub fn apply_pull(&mut self, page: &PullResponse) -> Result<PullApplied, VaultError> {
        apply_pull(&mut self.conn, page, Utc::now())
    }

    /// The cursor of the last pull page applied (0 before the first pull).
    pub fn sync_cursor(&self) -> Result<u64, VaultError> {
        match meta::get(&self.conn, meta::MetaKey::SyncCursor)? {
            Some(text) => text.parse().map_err(|_| VaultError::Corrupt),
            None => Ok(0),
        }
    }

    /// Set the cursor (0 to pull everything again after a state check).
    pub fn set_sync_cursor(&mut self, cursor: u64) -> Result<(), VaultError> {
        meta::set(&self.conn, meta::MetaKey::SyncCursor, &cursor.to_string())
    }

    /// Hand the server's push results to the vault: applied, duplicate and
    /// conflict remove the operation from the outbox; rejected keeps it,
    /// marked and no longer pushed. Each operation is added to the
    /// [`OpDigest`] the first time a result for it arrives.
    pub fn ack_pushed(&mut self, results: &[OpResult]) -> Result<AckSummary, VaultError> {
        ack_pushed(&mut self.conn, results, Utc::now())
    }

    /// Operations the server rejected, oldest first, for the user to see.
    pub fn rejected_ops(&self) -> Result<Vec<RejectedOp>, VaultError> {
        rejected_ops(&self.conn)
    }

    /// Drop a rejected operation once the user has seen it. Returns whether
    /// there was one (an operation still to push is never dropped).
    pub fn dismiss_rejected(&mut self, op_id: Uuid) -> Result<bool, VaultError> {
        dismiss_rejected(&self.conn, op_id)
    }

    /// The digest of every operation a push result arrived for (the state
    /// check's `digest`).
    pub fn op_digest(&self) -> Result<OpDigest, VaultError> {
        op_digest(&self.conn)
    }

    /// Adopt the server's digest after a full re-sync.
    pub fn set_op_digest(&mut self, digest: &OpDigest) -> Result<(), VaultError> {
        set_op_digest(&self.conn, digest)
    }

    /// Store conflicts pulled from the server (a conflict that comes again,
    /// resolved, is updated).
    pub fn store_conflicts(&mut self, conflicts: &[Conflict]) -> Result<(), VaultError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        store_conflicts_in(&tx, conflicts)?;
        tx.commit()?;
        Ok(())
    }

    /// Conflicts no one has resolved yet, oldest first.
    pub fn open_conflicts(&self) -> Result<Vec<Conflict>, VaultError> {
        open_conflicts(&self.conn)
    }

    /// Resolve a conflict as the enrolled user, in one transaction: when the
    /// chosen value is not the one the server kept, an update of the field
    /// (outbox and audit as any change); then the protocol's
    /// resolve-conflict operation and its audit entry; and the conflict is
    /// marked resolved here.
    pub fn resolve_conflict(
        &mut self,
        conflict_id: Uuid,
        choice: ConflictChoice,
    ) -> Result<(), VaultError> {
        let user = self.user_id();
        resolve_conflict(&mut self.conn, user, conflict_id, choice, Utc::now())
    }

    /// Remove closed cases whose retention has passed on `today` (closed
    /// `retention_days` or more days before), everything that belongs to
    /// them, and youth left without a case: the server keeps the archive,
    /// so no outbox operation is made. A case with changes not yet pushed
    /// stays until they are. Each removed case and youth gets a `purge`
    /// audit entry (nil user).
    pub fn purge_closed(
        &mut self,
        today: NaiveDate,
        retention_days: u32,
    ) -> Result<PurgeSummary, VaultError> {
        purge_closed(&mut self.conn, today, retention_days, Utc::now())
    }
}
