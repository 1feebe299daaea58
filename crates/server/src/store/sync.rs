//! Sync in the store: applying pushed operations exactly once with per-field
//! versions and conflict detection, scope (who sees which case), pull pages,
//! purges and the state check.
//!
//! Scope is materialised: `case_access` holds who sees each case now, and is
//! recomputed whenever a case's `assigned_user_id`, `shared_with` or
//! `closed_on` changes (or retention passes, see [`Store::sweep_retention`]).
//! A user who gains a case gets the whole case tree re-sequenced ("touched")
//! so that their next pull brings its full history; a user who loses it gets
//! a `scope_events` row, which their next pull turns into a purge.
//!
//! Writing follows scope, with one widening: a case past retention stays
//! writable for the users it was for (assigned or shared), and so does its
//! youth, so a device's offline work or pushed history on such a case is
//! stored (the server is the archive) instead of refused, and a new case
//! for that youth is accepted. Such a write moves the case's scope event
//! past it, so the device purges the case again.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;
use veldwerk_protocol::entities::{self, EntitySpec, Scope, case_fields};
use veldwerk_protocol::sync::RESOLVED_FIELD;
use veldwerk_protocol::{
    ChangeAuthor, Conflict, ConflictResolution, EntityRef, FieldState, OpDigest, OpKind, OpResult,
    OpStatus, Operation, PullResponse, RecordChange, RejectReason, StateCheckResponse,
    StateCheckStatus,
};

use super::{
    Audit, Result, Store, StoreError, StoreOptions, audit, current_seq, next_seq, parse_ts, ts,
};

/// A record's fields as stored: name to value plus the facts conflict
/// detection needs. Stored as JSON in `records.fields`; the short keys keep
/// the archive small. Do not rename them: existing stores hold them.
pub(crate) type Fields = BTreeMap<String, StoredField>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct StoredField {
    pub v: Value,
    pub ver: u64,
    pub hlc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dev: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// An authenticated device, as the HTTP layer hands it to the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthDevice {
    pub device_id: Uuid,
    pub user_id: Uuid,
    pub revoked: bool,
}

/// Who writes: a device (for its user) or the bureau's admin.
struct Writer {
    device_id: Option<String>,
    user_id: Option<String>,
}

struct RecordRow {
    seq: u64,
    fields: Fields,
    deleted: bool,
    scope_kind: String,
    scope_key: Option<String>,
    created_by: Option<String>,
}

enum OpError {
    Reject(RejectReason),
    Store(StoreError),
}

impl<E: Into<StoreError>> From<E> for OpError {
    fn from(e: E) -> OpError {
        OpError::Store(e.into())
    }
}

fn reject<T>(r: RejectReason) -> Result<T, OpError> {
    Err(OpError::Reject(r))
}

struct Applied {
    seq: u64,
    conflicts: Vec<Uuid>,
}

const MAX_HLC_LEN: usize = 64;
const MAX_FIELD_NAME_LEN: usize = 64;

impl Store {
    /// Applies a batch of operations in order, in one transaction, each
    /// operation id at most once. Returns one result per operation.
    pub fn push(
        &self,
        dev: &AuthDevice,
        ops: &[Operation],
        now: DateTime<Utc>,
    ) -> Result<Vec<OpResult>> {
        let options = self.options().clone();
        self.write(|tx| {
            let device_id = dev.device_id.to_string();
            let user_id = dev.user_id.to_string();
            let writer = Writer { device_id: Some(device_id.clone()), user_id: Some(user_id.clone()) };
            let (count, hash): (i64, Vec<u8>) = tx.query_row(
                "SELECT op_count, op_hash FROM devices WHERE id = ?1",
                [&device_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let mut digest = OpDigest::from_parts(count as u64, &to_hash(&hash));
            let mut results = Vec::with_capacity(ops.len());
            let (mut applied, mut dup, mut rejected, mut conflicted) = (0, 0, 0, 0);
            for op in ops {
                let op_id = op.op_id.to_string();
                let known: Option<(String, Option<String>, Option<i64>)> = tx
                    .query_row(
                        "SELECT status, reason, seq FROM operations WHERE op_id = ?1",
                        [&op_id],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .optional()?;
                if let Some((status, reason, seq)) = known {
                    dup += 1;
                    let status = if status == "rejected" {
                        OpStatus::Rejected {
                            reason: reason
                                .as_deref()
                                .and_then(RejectReason::parse)
                                .unwrap_or(RejectReason::InvalidOperation),
                        }
                    } else {
                        OpStatus::Duplicate
                    };
                    results.push(OpResult { op_id: op.op_id, status, server_seq: seq.map(|s| s as u64) });
                    continue;
                }
                let sp = tx.savepoint()?;
                let outcome = evaluate(&sp, &writer, op, now, &options);
                let (status, seq) = match outcome {
                    Ok(a) => {
                        sp.commit()?;
                        if a.conflicts.is_empty() {
                            applied += 1;
                            (OpStatus::Applied, Some(a.seq))
                        } else {
                            conflicted += 1;
                            (OpStatus::Conflict { conflict_ids: a.conflicts }, Some(a.seq))
                        }
                    }
                    Err(OpError::Reject(reason)) => {
                        drop(sp);
                        rejected += 1;
                        (OpStatus::Rejected { reason }, None)
                    }
                    Err(OpError::Store(e)) => return Err(e),
                };
                let (status_text, reason_text) = match &status {
                    OpStatus::Applied | OpStatus::Duplicate => ("applied", None),
                    OpStatus::Conflict { .. } => ("conflict", None),
                    OpStatus::Rejected { reason } => ("rejected", Some(reason.as_str())),
                };
                tx.execute(
                    "INSERT INTO operations
                       (op_id, device_id, user_id, entity, entity_id, kind, hlc, status, reason, seq, received_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                    params![
                        op_id,
                        device_id,
                        user_id,
                        truncate(&op.entity, 64),
                        truncate(&op.entity_id, 64),
                        kind_str(op.kind),
                        truncate(&op.hlc, MAX_HLC_LEN),
                        status_text,
                        reason_text,
                        seq.map(|s| s as i64),
                        ts(now)
                    ],
                )?;
                audit(
                    tx,
                    now,
                    &Audit {
                        actor: "device",
                        device_id: Some(&device_id),
                        user_id: Some(&user_id),
                        action: match status_text {
                            "applied" => "push_applied",
                            "conflict" => "push_conflict",
                            _ => "push_rejected",
                        },
                        op_id: Some(&op_id),
                        entity: Some(truncate(&op.entity, 64)),
                        entity_id: Some(truncate(&op.entity_id, 64)),
                        detail: reason_text,
                    },
                )?;
                digest = digest.with(&op.op_id);
                results.push(OpResult { op_id: op.op_id, status, server_seq: seq });
            }
            tx.execute(
                "UPDATE devices SET op_count = ?1, op_hash = ?2, last_seen_at = ?3 WHERE id = ?4",
                params![
                    digest.count as i64,
                    digest.hash_bytes().unwrap_or([0; 32]).to_vec(),
                    ts(now),
                    device_id
                ],
            )?;
            tracing::info!(
                device = %dev.device_id, ops = ops.len(), applied, duplicate = dup, conflict = conflicted, rejected,
                "push"
            );
            Ok(results)
        })
    }

    /// One page of changes in the device's scope after `cursor`.
    pub fn pull(
        &self,
        dev: &AuthDevice,
        cursor: u64,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<PullResponse> {
        let user = dev.user_id.to_string();
        let limit = limit.max(1) as usize;
        let page = self.read(|tx| {
            let max = current_seq(tx)?;
            if cursor > max {
                return Err(StoreError::FullResyncRequired);
            }
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT r.seq, r.entity, r.entity_id, r.fields, r.deleted FROM records r INDEXED BY records_seq
                 WHERE r.seq > ?2 AND r.seq <= ?3 AND {VISIBLE}
                 ORDER BY r.seq LIMIT ?4"
            ))?;
            let mut rows =
                stmt.query(params![user, cursor as i64, max as i64, (limit + 1) as i64])?;
            let mut changes = Vec::new();
            while let Some(r) = rows.next()? {
                let seq: i64 = r.get(0)?;
                let fields: String = r.get(3)?;
                let deleted: bool = r.get(4)?;
                let fields: Fields = serde_json::from_str(&fields)?;
                changes.push(RecordChange {
                    server_seq: seq as u64,
                    entity: r.get(1)?,
                    entity_id: r.get(2)?,
                    fields: if deleted {
                        BTreeMap::new()
                    } else {
                        fields
                            .into_iter()
                            .map(|(k, f)| {
                                (
                                    k,
                                    FieldState {
                                        value: f.v,
                                        version: f.ver,
                                    },
                                )
                            })
                            .collect()
                    },
                    deleted,
                });
            }
            let more = changes.len() > limit;
            changes.truncate(limit);
            let end = match (more, changes.last()) {
                (true, Some(last)) => last.server_seq,
                _ => max,
            };
            let purge = purges(tx, &user, cursor, end)?;
            let conflicts = conflicts_in_range(tx, &user, cursor, end)?;
            let last_seen: Option<String> = tx.query_row(
                "SELECT last_seen_at FROM devices WHERE id = ?1",
                [dev.device_id.to_string()],
                |r| r.get(0),
            )?;
            let page = PullResponse {
                changes,
                purge,
                conflicts,
                next_cursor: end,
                more,
                wipe: false,
            };
            Ok((page, last_seen))
        })?;
        let (page, last_seen) = page;
        // Pulls are the most frequent request: take the writer only when
        // `last_seen_at` is more than a minute old.
        let stale = match last_seen.as_deref().map(parse_ts).transpose()? {
            Some(t) => now - t > chrono::Duration::minutes(1),
            None => true,
        };
        if stale {
            self.write(|tx| {
                tx.execute(
                    "UPDATE devices SET last_seen_at = ?1 WHERE id = ?2",
                    params![ts(now), dev.device_id.to_string()],
                )?;
                Ok(())
            })?;
        }
        tracing::info!(
            device = %dev.device_id, cursor, next = page.next_cursor, records = page.changes.len(),
            purge = page.purge.len(), conflicts = page.conflicts.len(), more = page.more, "pull"
        );
        Ok(page)
    }

    /// Compares the device's view of what it pushed and pulled with the server's.
    pub fn check(
        &self,
        dev: &AuthDevice,
        cursor: u64,
        digest: &OpDigest,
    ) -> Result<StateCheckResponse> {
        self.read(|tx| {
            let (count, hash): (i64, Vec<u8>) = tx.query_row(
                "SELECT op_count, op_hash FROM devices WHERE id = ?1",
                [dev.device_id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let server_digest = OpDigest::from_parts(count as u64, &to_hash(&hash));
            let server_seq = current_seq(tx)?;
            let same = digest.count == server_digest.count
                && digest.hash.eq_ignore_ascii_case(&server_digest.hash);
            let status = if cursor > server_seq || !same {
                StateCheckStatus::FullResync
            } else {
                StateCheckStatus::Ok
            };
            tracing::info!(device = %dev.device_id, ?status, "state check");
            Ok(StateCheckResponse {
                status,
                server_digest,
                server_seq,
            })
        })
    }

    /// Takes closed cases past retention out of every user's scope. Run at
    /// start and periodically; returns how many cases left devices.
    pub fn sweep_retention(&self, now: DateTime<Utc>) -> Result<usize> {
        let options = self.options().clone();
        self.write(|tx| {
            let mut stmt = tx.prepare(
                "SELECT entity_id, fields FROM records
                 WHERE entity = 'case' AND retired = 0
                   AND json_extract(fields, '$.closed_on.v') IS NOT NULL",
            )?;
            let cases: Vec<(String, String)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            drop(stmt);
            let mut retired = 0;
            for (id, fields) in cases {
                let fields: Fields = serde_json::from_str(&fields)?;
                if is_retired(&fields, now, &options) {
                    refresh_case_access(tx, &id, &fields, now, &options)?;
                    audit(
                        tx,
                        now,
                        &Audit {
                            actor: "system",
                            action: "case_retired",
                            entity: Some(entities::CASE),
                            entity_id: Some(&id),
                            ..Audit::admin("")
                        },
                    )?;
                    retired += 1;
                }
            }
            if retired > 0 {
                tracing::info!(cases = retired, "closed cases left the devices");
            }
            Ok(retired)
        })
    }
}

/// SQL condition: record `r` is in the scope of user `?1`.
const VISIBLE: &str = "(r.scope_kind = 'shared'
    OR (r.scope_kind = 'case' AND r.scope_key IN (SELECT case_id FROM case_access WHERE user_id = ?1))
    OR (r.scope_kind = 'youth' AND r.scope_key IN (
        SELECT c.link_youth FROM case_access a JOIN records c ON c.entity = 'case' AND c.entity_id = a.case_id
        WHERE a.user_id = ?1 AND c.link_youth IS NOT NULL)))";

fn purges(conn: &Connection, user: &str, cursor: u64, end: u64) -> Result<Vec<EntityRef>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT case_id FROM scope_events
         WHERE user_id = ?1 AND seq > ?2 AND seq <= ?3
           AND case_id NOT IN (SELECT case_id FROM case_access WHERE user_id = ?1)",
    )?;
    let cases: Vec<String> = stmt
        .query_map(params![user, cursor as i64, end as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = BTreeSet::new();
    for case_id in cases {
        out.insert(EntityRef {
            entity: entities::CASE.into(),
            entity_id: case_id.clone(),
        });
        for r in refs_with_scope(conn, "case", &case_id)? {
            out.insert(r);
        }
        let youth: Option<String> = conn
            .query_row(
                "SELECT link_youth FROM records WHERE entity = 'case' AND entity_id = ?1",
                [&case_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        if let Some(y) = youth
            && !youth_visible(conn, user, &y)?
        {
            for r in refs_with_scope(conn, "youth", &y)? {
                out.insert(r);
            }
        }
    }
    Ok(out.into_iter().collect())
}

fn refs_with_scope(conn: &Connection, kind: &str, key: &str) -> Result<Vec<EntityRef>> {
    let mut stmt = conn.prepare_cached(
        "SELECT entity, entity_id FROM records WHERE scope_kind = ?1 AND scope_key = ?2 ORDER BY seq",
    )?;
    let rows = stmt
        .query_map(params![kind, key], |r| {
            Ok(EntityRef {
                entity: r.get(0)?,
                entity_id: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn conflicts_in_range(
    conn: &Connection,
    user: &str,
    cursor: u64,
    end: u64,
) -> Result<Vec<Conflict>> {
    // CROSS JOIN pins the join order: conflicts in the seq range first, then
    // their records. With a plain JOIN SQLite walked every visible record,
    // which made even an empty pull cost tens of milliseconds.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.entity, c.entity_id, c.field, c.kept_value, c.other_value, c.kept_by, c.other_by,
                c.at, c.resolved_by, c.resolved_at
         FROM conflicts c CROSS JOIN records r ON r.entity = c.entity AND r.entity_id = c.entity_id
         WHERE c.seq > ?2 AND c.seq <= ?3 AND {VISIBLE}
         ORDER BY c.seq"
    ))?;
    let mut rows = stmt.query(params![user, cursor as i64, end as i64])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(conflict_from_row(r)?);
    }
    Ok(out)
}

fn conflict_from_row(r: &rusqlite::Row<'_>) -> Result<Conflict> {
    let id: String = r.get(0)?;
    let kept_value: String = r.get(4)?;
    let other_value: String = r.get(5)?;
    let kept_by: String = r.get(6)?;
    let other_by: String = r.get(7)?;
    let at: String = r.get(8)?;
    let resolved_by: Option<String> = r.get(9)?;
    let resolved_at: Option<String> = r.get(10)?;
    let resolved = match (resolved_by, resolved_at) {
        (Some(by), Some(at)) => Some(ConflictResolution {
            by_user_id: Uuid::parse_str(&by)
                .map_err(|_| StoreError::Invalid("bad user id".into()))?,
            at: parse_ts(&at)?,
        }),
        _ => None,
    };
    Ok(Conflict {
        id: Uuid::parse_str(&id).map_err(|_| StoreError::Invalid("bad conflict id".into()))?,
        entity: r.get(1)?,
        entity_id: r.get(2)?,
        field: r.get(3)?,
        kept_value: serde_json::from_str(&kept_value)?,
        other_value: serde_json::from_str(&other_value)?,
        kept_by: serde_json::from_str(&kept_by)?,
        other_by: serde_json::from_str(&other_by)?,
        at: parse_ts(&at)?,
        resolved,
    })
}

fn to_hash(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    if bytes.len() == 32 {
        out.copy_from_slice(bytes);
    }
    out
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn kind_str(k: OpKind) -> &'static str {
    match k {
        OpKind::Insert => "insert",
        OpKind::Update => "update",
        OpKind::Delete => "delete",
        OpKind::Append => "append",
    }
}

fn valid_field_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_FIELD_NAME_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn validate_shape(op: &Operation) -> Result<(), OpError> {
    let hlc_ok = !op.hlc.is_empty()
        && op.hlc.len() <= MAX_HLC_LEN
        && op.hlc.bytes().all(|b| b.is_ascii_graphic());
    if !hlc_ok || Uuid::parse_str(&op.entity_id).is_err() {
        return reject(RejectReason::InvalidOperation);
    }
    if !op.changes.keys().all(|k| valid_field_name(k)) {
        return reject(RejectReason::InvalidOperation);
    }
    let needs_changes = !matches!(op.kind, OpKind::Delete);
    if needs_changes == op.changes.is_empty() {
        return reject(RejectReason::InvalidOperation);
    }
    Ok(())
}

/// Decides and applies one operation. Every check comes before any write,
/// and the caller runs it in a savepoint, so a rejection leaves nothing behind.
fn evaluate(
    conn: &Connection,
    writer: &Writer,
    op: &Operation,
    now: DateTime<Utc>,
    options: &StoreOptions,
) -> Result<Applied, OpError> {
    validate_shape(op)?;
    let user = writer.user_id.as_deref().unwrap_or_default();
    if op.entity == entities::CONFLICT {
        return resolve_conflict(conn, user, op, now);
    }
    let Some(spec) = entities::spec(&op.entity) else {
        return reject(RejectReason::UnknownEntity);
    };
    let kind_ok = match op.kind {
        OpKind::Insert => true,
        OpKind::Append => spec.append_only,
        OpKind::Update => !spec.append_only,
        OpKind::Delete => spec.deletable,
    };
    if !kind_ok {
        return reject(RejectReason::InvalidOperation);
    }
    let stamp = |v: &Value, ver: u64| StoredField {
        v: v.clone(),
        ver,
        hlc: op.hlc.clone(),
        dev: writer.device_id.clone(),
        op: Some(op.op_id.to_string()),
        user: writer.user_id.clone(),
    };
    let Some(row) = load_record(conn, &op.entity, &op.entity_id)? else {
        if matches!(op.kind, OpKind::Update | OpKind::Delete) {
            return reject(RejectReason::NotFound);
        }
        let mut fields: Fields = op
            .changes
            .iter()
            .map(|(k, c)| (k.clone(), stamp(&c.value, 1)))
            .collect();
        if spec.scope == Scope::Case {
            let shared = fields.get(case_fields::SHARED_WITH).map(|f| &f.v);
            if shared.is_some_and(|v| v.as_array().is_none_or(|a| !a.is_empty())) {
                return reject(RejectReason::ForbiddenField);
            }
            match fields.get(case_fields::ASSIGNED_USER_ID).map(|f| &f.v) {
                None => {
                    fields.insert(
                        case_fields::ASSIGNED_USER_ID.into(),
                        stamp(&Value::String(user.into()), 1),
                    );
                }
                Some(v) if v.as_str() == Some(user) => {}
                Some(_) => return reject(RejectReason::ForbiddenField),
            }
        }
        check_links(conn, user, spec, &fields)?;
        let seq = next_seq(conn)?;
        write_record(
            conn,
            spec,
            &op.entity_id,
            seq,
            &fields,
            false,
            writer.user_id.as_deref(),
            now,
            true,
        )?;
        if spec.scope == Scope::Case {
            refresh_case_access(conn, &op.entity_id, &fields, now, options)?;
        }
        let (kind, key, _) = scope_of(spec, &op.entity_id, &fields);
        purge_archived(conn, user, kind, key.as_deref())?;
        return Ok(Applied {
            seq,
            conflicts: Vec::new(),
        });
    };
    if !record_writable(conn, user, &row)? {
        return reject(RejectReason::NotFound);
    }
    if row.deleted {
        return reject(RejectReason::Deleted);
    }
    if spec.append_only {
        return reject(RejectReason::AlreadyExists);
    }
    if op.kind == OpKind::Delete {
        let seq = next_seq(conn)?;
        conn.execute(
            "UPDATE records SET deleted = 1, seq = ?1, updated_at = ?2 WHERE entity = ?3 AND entity_id = ?4",
            params![seq as i64, ts(now), op.entity, op.entity_id],
        )?;
        purge_archived(conn, user, &row.scope_kind, row.scope_key.as_deref())?;
        return Ok(Applied {
            seq,
            conflicts: Vec::new(),
        });
    }
    if spec.scope == Scope::Case {
        for f in [case_fields::ASSIGNED_USER_ID, case_fields::SHARED_WITH] {
            if let Some(c) = op.changes.get(f)
                && row.fields.get(f).map(|s| &s.v) != Some(&c.value)
            {
                return reject(RejectReason::ForbiddenField);
            }
        }
    }
    let mut fields = row.fields.clone();
    let mut pending = Vec::new();
    let mut changed = false;
    for (name, change) in &op.changes {
        match fields.get(name) {
            None => {
                fields.insert(name.clone(), stamp(&change.value, 1));
                changed = true;
            }
            Some(cur) if cur.v == change.value => {}
            Some(cur)
                if change.base_version >= cur.ver
                    || (cur.dev.is_some() && cur.dev == writer.device_id) =>
            {
                // Based on the current version, or a later edit by the device
                // that made the current one (its outbox is in order).
                let ver = cur.ver + 1;
                fields.insert(name.clone(), stamp(&change.value, ver));
                changed = true;
            }
            Some(cur) => {
                let op_id = op.op_id.to_string();
                let incoming_wins = (op.hlc.as_str(), op_id.as_str())
                    > (cur.hlc.as_str(), cur.op.as_deref().unwrap_or(""));
                let incoming = stamp(&change.value, cur.ver + 1);
                let (kept, other) = if incoming_wins {
                    (incoming.clone(), cur.clone())
                } else {
                    (cur.clone(), incoming.clone())
                };
                if incoming_wins {
                    fields.insert(name.clone(), incoming);
                }
                pending.push((name.clone(), kept, other));
                // Also when the stored value wins: the pushing device must
                // pull the record again to see the kept value.
                changed = true;
            }
        }
    }
    let link_changed = op
        .changes
        .keys()
        .any(|k| link_fields(spec).contains(&k.as_str()));
    if link_changed {
        check_links(conn, user, spec, &fields)?;
    }
    if !changed {
        return Ok(Applied {
            seq: row.seq,
            conflicts: Vec::new(),
        });
    }
    let seq = next_seq(conn)?;
    write_record(
        conn,
        spec,
        &op.entity_id,
        seq,
        &fields,
        false,
        None,
        now,
        false,
    )?;
    let mut conflict_ids = Vec::new();
    for (field, kept, other) in pending {
        let id = Uuid::now_v7();
        let cseq = next_seq(conn)?;
        conn.execute(
            "INSERT INTO conflicts (id, seq, entity, entity_id, field, kept_value, other_value, kept_by, other_by, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                id.to_string(),
                cseq as i64,
                op.entity,
                op.entity_id,
                field,
                serde_json::to_string(&kept.v).map_err(StoreError::from)?,
                serde_json::to_string(&other.v).map_err(StoreError::from)?,
                serde_json::to_string(&author(conn, &kept)?).map_err(StoreError::from)?,
                serde_json::to_string(&author(conn, &other)?).map_err(StoreError::from)?,
                ts(now)
            ],
        )?;
        conflict_ids.push(id);
    }
    if spec.scope == Scope::Case {
        refresh_case_access(conn, &op.entity_id, &fields, now, options)?;
    }
    let (kind, key, _) = scope_of(spec, &op.entity_id, &fields);
    purge_archived(conn, user, kind, key.as_deref())?;
    Ok(Applied {
        seq,
        conflicts: conflict_ids,
    })
}

fn link_fields(spec: &EntitySpec) -> &'static [&'static str] {
    match spec.scope {
        Scope::Case => &[case_fields::YOUTH_ID],
        Scope::ViaCase(_) => &[entities::CASE_ID],
        Scope::ViaYouth(_) => &[entities::YOUTH_ID],
        _ => &[],
    }
}

fn author(conn: &Connection, f: &StoredField) -> Result<ChangeAuthor> {
    let user_name: Option<String> = match &f.user {
        Some(u) => conn
            .query_row("SELECT name FROM users WHERE id = ?1", [u], |r| r.get(0))
            .optional()?,
        None => None,
    };
    Ok(ChangeAuthor {
        user_id: f.user.as_deref().and_then(|u| Uuid::parse_str(u).ok()),
        user_name,
        device_id: f.dev.as_deref().and_then(|d| Uuid::parse_str(d).ok()),
        op_id: f.op.as_deref().and_then(|o| Uuid::parse_str(o).ok()),
        hlc: f.hlc.clone(),
    })
}

fn resolve_conflict(
    conn: &Connection,
    user: &str,
    op: &Operation,
    now: DateTime<Utc>,
) -> Result<Applied, OpError> {
    let well_formed = op.kind == OpKind::Update
        && op.changes.len() == 1
        && op
            .changes
            .get(RESOLVED_FIELD)
            .is_some_and(|c| c.value == Value::Bool(true));
    if !well_formed {
        return reject(RejectReason::InvalidOperation);
    }
    let found: Option<(String, String, i64, Option<String>)> = conn
        .query_row(
            "SELECT entity, entity_id, seq, resolved_at FROM conflicts WHERE id = ?1",
            [&op.entity_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((entity, entity_id, seq, resolved_at)) = found else {
        return reject(RejectReason::NotFound);
    };
    let visible = match load_record(conn, &entity, &entity_id)? {
        Some(row) => record_writable(conn, user, &row)?,
        None => false,
    };
    if !visible {
        return reject(RejectReason::NotFound);
    }
    if resolved_at.is_some() {
        return Ok(Applied {
            seq: seq as u64,
            conflicts: Vec::new(),
        });
    }
    let seq = next_seq(conn)?;
    conn.execute(
        "UPDATE conflicts SET resolved_by = ?1, resolved_at = ?2, seq = ?3 WHERE id = ?4",
        params![user, ts(now), seq as i64, op.entity_id],
    )?;
    Ok(Applied {
        seq,
        conflicts: Vec::new(),
    })
}

fn load_record(conn: &Connection, entity: &str, entity_id: &str) -> Result<Option<RecordRow>> {
    let row = conn
        .query_row(
            "SELECT seq, fields, deleted, scope_kind, scope_key, created_by
             FROM records WHERE entity = ?1 AND entity_id = ?2",
            params![entity, entity_id],
            |r| {
                let seq: i64 = r.get(0)?;
                let fields: String = r.get(1)?;
                Ok((seq, fields, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            },
        )
        .optional()?;
    let Some((seq, fields, deleted, scope_kind, scope_key, created_by)) = row else {
        return Ok(None);
    };
    Ok(Some(RecordRow {
        seq: seq as u64,
        fields: serde_json::from_str(&fields)?,
        deleted,
        scope_kind,
        scope_key,
        created_by,
    }))
}

fn str_field<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields.get(name).and_then(|f| f.v.as_str())
}

/// (scope_kind, scope_key, link_youth) of a record.
fn scope_of(
    spec: &EntitySpec,
    entity_id: &str,
    fields: &Fields,
) -> (&'static str, Option<String>, Option<String>) {
    let get = |n: &str| str_field(fields, n).map(str::to_owned);
    match spec.scope {
        Scope::Case => (
            "case",
            Some(entity_id.to_owned()),
            get(case_fields::YOUTH_ID),
        ),
        Scope::ViaCase(f) => ("case", get(f), None),
        Scope::Youth => ("youth", Some(entity_id.to_owned()), None),
        Scope::ViaYouth(f) => ("youth", get(f), None),
        Scope::Shared => ("shared", None, None),
        Scope::Archive => ("archive", None, None),
    }
}

/// The case or youth a new or re-linked record points at must be in the
/// writer's scope; otherwise it is "not found", like a case that does not exist.
fn check_links(
    conn: &Connection,
    user: &str,
    spec: &EntitySpec,
    fields: &Fields,
) -> Result<(), OpError> {
    let link = |name: &str, required: bool| -> Result<Option<String>, OpError> {
        match fields.get(name) {
            None if !required => Ok(None),
            Some(f) if f.v.is_null() && !required => Ok(None),
            Some(f) => match f.v.as_str() {
                Some(s) => Ok(Some(s.to_owned())),
                None => reject(RejectReason::InvalidOperation),
            },
            None => reject(RejectReason::InvalidOperation),
        }
    };
    match spec.scope {
        Scope::Case => {
            if let Some(y) = link(case_fields::YOUTH_ID, false)?
                && !youth_writable(conn, user, &y)?
            {
                return reject(RejectReason::NotFound);
            }
        }
        Scope::ViaCase(f) => {
            let Some(c) = link(f, true)? else {
                return reject(RejectReason::InvalidOperation);
            };
            if !case_writable(conn, user, &c)? {
                return reject(RejectReason::NotFound);
            }
        }
        Scope::ViaYouth(f) => {
            let Some(y) = link(f, true)? else {
                return reject(RejectReason::InvalidOperation);
            };
            if !youth_writable(conn, user, &y)? {
                return reject(RejectReason::NotFound);
            }
        }
        Scope::Youth | Scope::Shared | Scope::Archive => {}
    }
    Ok(())
}

fn case_visible(conn: &Connection, user: &str, case_id: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM case_access WHERE case_id = ?1 AND user_id = ?2)",
        params![case_id, user],
        |r| r.get(0),
    )?)
}

fn youth_visible(conn: &Connection, user: &str, youth_id: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM records c JOIN case_access a ON a.case_id = c.entity_id
                        WHERE c.entity = 'case' AND c.link_youth = ?1 AND a.user_id = ?2)",
        params![youth_id, user],
        |r| r.get(0),
    )?)
}

/// A case the user sees, or one that is theirs (assigned or shared) but past
/// retention: a device that was offline, or pushes its history, still
/// stores its work on such a case. The server is the archive; the device is
/// told to purge the case again (see [`purge_archived`]).
fn case_writable(conn: &Connection, user: &str, case_id: &str) -> Result<bool> {
    if case_visible(conn, user, case_id)? {
        return Ok(true);
    }
    archived_case_of(conn, user, case_id)
}

/// Case `case_id` is past retention and was the user's when it left scope.
fn archived_case_of(conn: &Connection, user: &str, case_id: &str) -> Result<bool> {
    let fields: Option<String> = conn
        .query_row(
            "SELECT fields FROM records WHERE entity = 'case' AND entity_id = ?1 AND retired = 1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?;
    match fields {
        Some(f) => Ok(case_users(&serde_json::from_str(&f)?).contains(user)),
        None => Ok(false),
    }
}

/// A case of youth `youth_id` that is past retention and was the user's.
fn archived_case_of_youth(conn: &Connection, user: &str, youth_id: &str) -> Result<Option<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT entity_id, fields FROM records
         WHERE entity = 'case' AND link_youth = ?1 AND retired = 1 ORDER BY seq",
    )?;
    let cases: Vec<(String, String)> = stmt
        .query_map([youth_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, fields) in cases {
        if case_users(&serde_json::from_str(&fields)?).contains(user) {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// After a write allowed only through a case of the user past retention
/// ([`case_writable`], [`youth_writable`]): records again that the case left
/// the user's scope, now, so their devices purge what was just pushed. The
/// earlier event of that case is moved rather than repeated.
fn purge_archived(conn: &Connection, user: &str, kind: &str, key: Option<&str>) -> Result<()> {
    let case_id = match (kind, key) {
        ("case", Some(k)) if !case_visible(conn, user, k)? && archived_case_of(conn, user, k)? => {
            Some(k.to_owned())
        }
        ("youth", Some(y)) if !youth_visible(conn, user, y)? => {
            archived_case_of_youth(conn, user, y)?
        }
        _ => None,
    };
    if let Some(case_id) = case_id {
        conn.execute(
            "DELETE FROM scope_events WHERE user_id = ?1 AND case_id = ?2",
            params![user, case_id],
        )?;
        let seq = next_seq(conn)?;
        conn.execute(
            "INSERT INTO scope_events (seq, user_id, case_id) VALUES (?1, ?2, ?3)",
            params![seq as i64, user, case_id],
        )?;
    }
    Ok(())
}

/// A youth the user sees through a case, one of a case of the user past
/// retention (a new case for them is the user's to make), or one the user
/// created that no case refers to yet (the device pushes the youth before
/// the case).
fn youth_writable(conn: &Connection, user: &str, youth_id: &str) -> Result<bool> {
    let row: Option<(Option<String>, bool)> = conn
        .query_row(
            "SELECT created_by, deleted FROM records WHERE entity = 'youth' AND entity_id = ?1",
            [youth_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((created_by, deleted)) = row else {
        return Ok(false);
    };
    if deleted {
        return Ok(false);
    }
    if youth_visible(conn, user, youth_id)?
        || archived_case_of_youth(conn, user, youth_id)?.is_some()
    {
        return Ok(true);
    }
    let orphan: bool = conn.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM records WHERE entity = 'case' AND link_youth = ?1)",
        [youth_id],
        |r| r.get(0),
    )?;
    Ok(orphan && created_by.as_deref() == Some(user))
}

fn record_writable(conn: &Connection, user: &str, row: &RecordRow) -> Result<bool> {
    match (row.scope_kind.as_str(), row.scope_key.as_deref()) {
        ("case", Some(k)) => case_writable(conn, user, k),
        ("youth", Some(k)) => youth_writable(conn, user, k),
        ("shared", _) => Ok(true),
        ("archive", _) => Ok(row.created_by.as_deref() == Some(user)),
        _ => Ok(false),
    }
}

#[allow(clippy::too_many_arguments)]
fn write_record(
    conn: &Connection,
    spec: &EntitySpec,
    entity_id: &str,
    seq: u64,
    fields: &Fields,
    deleted: bool,
    created_by: Option<&str>,
    now: DateTime<Utc>,
    insert: bool,
) -> Result<()> {
    let (kind, key, link_youth) = scope_of(spec, entity_id, fields);
    let json = serde_json::to_string(fields)?;
    if insert {
        conn.execute(
            "INSERT INTO records (entity, entity_id, seq, fields, deleted, scope_kind, scope_key, link_youth,
                                  created_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
            params![spec.name, entity_id, seq as i64, json, deleted, kind, key, link_youth, created_by, ts(now)],
        )?;
    } else {
        conn.execute(
            "UPDATE records SET seq = ?3, fields = ?4, deleted = ?5, scope_kind = ?6, scope_key = ?7,
                                link_youth = ?8, updated_at = ?9
             WHERE entity = ?1 AND entity_id = ?2",
            params![spec.name, entity_id, seq as i64, json, deleted, kind, key, link_youth, ts(now)],
        )?;
    }
    Ok(())
}

fn is_retired(fields: &Fields, now: DateTime<Utc>, options: &StoreOptions) -> bool {
    str_field(fields, case_fields::CLOSED_ON)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .and_then(|d| {
            d.checked_add_days(chrono::Days::new(options.closed_case_retention_days.into()))
        })
        .is_some_and(|until| until <= now.date_naive())
}

/// The users a case is for: its assigned user and those it is shared with.
/// They see it until it is past retention.
fn case_users(fields: &Fields) -> BTreeSet<String> {
    let mut users = BTreeSet::new();
    if let Some(u) = str_field(fields, case_fields::ASSIGNED_USER_ID).filter(|u| !u.is_empty()) {
        users.insert(u.to_owned());
    }
    if let Some(list) = fields
        .get(case_fields::SHARED_WITH)
        .and_then(|f| f.v.as_array())
    {
        users.extend(list.iter().filter_map(|v| v.as_str()).map(str::to_owned));
    }
    users
}

/// Recomputes who sees case `case_id` from its fields; users who gain it get
/// its tree re-sequenced, users who lose it get a purge event.
fn refresh_case_access(
    conn: &Connection,
    case_id: &str,
    fields: &Fields,
    now: DateTime<Utc>,
    options: &StoreOptions,
) -> Result<()> {
    let retired = is_retired(fields, now, options);
    let desired = if retired {
        BTreeSet::new()
    } else {
        case_users(fields)
    };
    let mut stmt = conn.prepare_cached("SELECT user_id FROM case_access WHERE case_id = ?1")?;
    let current: BTreeSet<String> = stmt
        .query_map([case_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for gone in current.difference(&desired) {
        conn.execute(
            "DELETE FROM case_access WHERE case_id = ?1 AND user_id = ?2",
            params![case_id, gone],
        )?;
        let seq = next_seq(conn)?;
        conn.execute(
            "INSERT INTO scope_events (seq, user_id, case_id) VALUES (?1, ?2, ?3)",
            params![seq as i64, gone, case_id],
        )?;
    }
    let added: Vec<&String> = desired.difference(&current).collect();
    for new in &added {
        conn.execute(
            "INSERT INTO case_access (case_id, user_id) VALUES (?1, ?2)",
            params![case_id, new],
        )?;
    }
    if !added.is_empty() {
        touch_case_tree(conn, case_id)?;
    }
    conn.execute(
        "UPDATE records SET retired = ?1 WHERE entity = 'case' AND entity_id = ?2",
        params![retired, case_id],
    )?;
    Ok(())
}

/// Gives the case, its youth and everything hanging off either new sequence
/// numbers, in causal order (youth, its dependants, the case, its
/// dependants), so a user who just gained the case pulls all of it.
fn touch_case_tree(conn: &Connection, case_id: &str) -> Result<()> {
    let youth: Option<String> = conn
        .query_row(
            "SELECT link_youth FROM records WHERE entity = 'case' AND entity_id = ?1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let mut order: Vec<EntityRef> = Vec::new();
    if let Some(y) = &youth {
        let mut youth_tree = refs_with_scope(conn, "youth", y)?;
        // The youth record itself first.
        youth_tree.sort_by_key(|r| r.entity != entities::YOUTH);
        order.extend(youth_tree);
    }
    let mut case_tree = refs_with_scope(conn, "case", case_id)?;
    case_tree.sort_by_key(|r| r.entity != entities::CASE);
    order.extend(case_tree);
    for r in &order {
        let seq = next_seq(conn)?;
        conn.execute(
            "UPDATE records SET seq = ?1 WHERE entity = ?2 AND entity_id = ?3",
            params![seq as i64, r.entity, r.entity_id],
        )?;
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM conflicts WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq",
        )?;
        let ids: Vec<String> = stmt
            .query_map(params![r.entity, r.entity_id], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            let cseq = next_seq(conn)?;
            conn.execute(
                "UPDATE conflicts SET seq = ?1 WHERE id = ?2",
                params![cseq as i64, id],
            )?;
        }
    }
    Ok(())
}

/// Writes fields of a record as the bureau's admin (assignments, imports):
/// through the same sequence, versions and scope machinery as a device, so
/// devices pull the result. Creates the record when it does not exist.
pub(crate) fn admin_write(
    conn: &Connection,
    entity: &str,
    entity_id: &str,
    values: Vec<(String, Value)>,
    now: DateTime<Utc>,
    options: &StoreOptions,
) -> Result<u64> {
    let spec =
        entities::spec(entity).ok_or(StoreError::Invalid(format!("unknown entity {entity}")))?;
    let hlc = veldwerk_protocol::Hlc {
        millis: now.timestamp_millis().max(0) as u64,
        counter: 0,
        node: "server".into(),
    }
    .to_string();
    let admin_field = |v: Value, ver: u64| StoredField {
        v,
        ver,
        hlc: hlc.clone(),
        dev: None,
        op: None,
        user: None,
    };
    let existing = load_record(conn, entity, entity_id)?;
    let insert = existing.is_none();
    let mut fields = existing.map(|r| r.fields).unwrap_or_default();
    for (name, value) in values {
        let ver = match fields.get(&name) {
            Some(cur) if cur.v == value => continue,
            Some(cur) => cur.ver + 1,
            None => 1,
        };
        fields.insert(name, admin_field(value, ver));
    }
    let seq = next_seq(conn)?;
    write_record(
        conn, spec, entity_id, seq, &fields, false, None, now, insert,
    )?;
    if spec.scope == Scope::Case {
        refresh_case_access(conn, entity_id, &fields, now, options)?;
    }
    Ok(seq)
}

/// The current value of a field, for the admin commands.
pub(crate) fn field_value(
    conn: &Connection,
    entity: &str,
    entity_id: &str,
    field: &str,
) -> Result<Option<Value>> {
    Ok(
        load_record(conn, entity, entity_id)?
            .and_then(|r| r.fields.get(field).map(|f| f.v.clone())),
    )
}

pub(crate) fn record_exists(conn: &Connection, entity: &str, entity_id: &str) -> Result<bool> {
    Ok(load_record(conn, entity, entity_id)?.is_some())
}
