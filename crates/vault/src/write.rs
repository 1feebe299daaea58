//! The one write path (ARCHITECTURE invariant 2): every change to a record
//! is a [`Mutation`], applied in one transaction that writes the record,
//! appends exactly one outbox operation and exactly one audit entry, and
//! updates the search index. Either all of that is committed or nothing is.
//!
//! The entity layer builds mutations; it cannot skip the outbox or the audit
//! because there is no other way to reach a table. SQL is built only from
//! the allow-list of entity tables (the internal `schema` module); values are bound as parameters.
//!
//! Base versions: each outbox change carries the server's version of that
//! field as last pulled (`field_versions`, kept by sync; 0 when never
//! pulled), which is what the server compares to detect concurrent edits of
//! the same field. Separately, each record's `version` goes up by one on
//! every change; a caller that read version n can pass it as
//! [`Mutation::expected_version`] so an edit made on a stale screen fails
//! with [`VaultError::VersionConflict`] instead of overwriting what came in.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde_json::Value;
use uuid::Uuid;
use veldwerk_protocol::{FieldChange, OpKind, Operation};

use crate::schema::{self, Column, ColumnType, Table};
use crate::{VaultError, hlc, search};

/// One change to one record. Build it with [`Mutation::insert`],
/// [`Mutation::update`], [`Mutation::delete`] or [`Mutation::append`] and
/// [`Mutation::set`].
#[derive(Clone)]
pub struct Mutation {
    /// The protocol's entity name (`veldwerk_protocol::entities::TASK`, ...).
    pub entity: &'static str,
    pub entity_id: Uuid,
    pub kind: OpKind,
    /// Column name to new value. Empty for a delete.
    pub fields: BTreeMap<String, Value>,
    /// The record version the change was based on; when given and the record
    /// has another version now, nothing is written. `Some(0)` or `None` for
    /// an insert.
    pub expected_version: Option<u64>,
}

impl Mutation {
    pub fn new(entity: &'static str, entity_id: Uuid, kind: OpKind) -> Mutation {
        Mutation {
            entity,
            entity_id,
            kind,
            fields: BTreeMap::new(),
            expected_version: None,
        }
    }

    pub fn insert(entity: &'static str, entity_id: Uuid) -> Mutation {
        Mutation::new(entity, entity_id, OpKind::Insert)
    }

    pub fn update(entity: &'static str, entity_id: Uuid) -> Mutation {
        Mutation::new(entity, entity_id, OpKind::Update)
    }

    pub fn delete(entity: &'static str, entity_id: Uuid) -> Mutation {
        Mutation::new(entity, entity_id, OpKind::Delete)
    }

    /// Create a record of an append-only entity (contact moments, letters).
    pub fn append(entity: &'static str, entity_id: Uuid) -> Mutation {
        Mutation::new(entity, entity_id, OpKind::Append)
    }

    pub fn set(mut self, field: impl Into<String>, value: impl Into<Value>) -> Mutation {
        self.fields.insert(field.into(), value.into());
        self
    }

    pub fn based_on(mut self, version: u64) -> Mutation {
        self.expected_version = Some(version);
        self
    }
}

/// Field values are personal data: `Debug` shows only the field names.
impl fmt::Debug for Mutation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mutation")
            .field("entity", &self.entity)
            .field("entity_id", &self.entity_id)
            .field("kind", &self.kind)
            .field("fields", &self.fields.keys().collect::<Vec<_>>())
            .field("expected_version", &self.expected_version)
            .finish()
    }
}

/// What a committed mutation produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The id of its outbox operation.
    pub op_id: Uuid,
    /// Its clock stamp.
    pub hlc: String,
    /// The record's version now (0 after a delete).
    pub version: u64,
}

/// What an audit entry says was done. Stored as [`AuditAction::as_str`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuditAction {
    Create,
    Update,
    Delete,
    /// A person looked at a record (a case detail opened).
    View,
    /// The record left the device without a change to it: retention after
    /// closing, or the server took it out of scope. Recorded with the nil
    /// user id (the device did it, not a person).
    Purge,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Delete => "delete",
            AuditAction::View => "view",
            AuditAction::Purge => "purge",
        }
    }

    pub fn parse(s: &str) -> Option<AuditAction> {
        [
            AuditAction::Create,
            AuditAction::Update,
            AuditAction::Delete,
            AuditAction::View,
            AuditAction::Purge,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }

    fn of(kind: OpKind) -> AuditAction {
        match kind {
            OpKind::Insert | OpKind::Append => AuditAction::Create,
            OpKind::Update => AuditAction::Update,
            OpKind::Delete => AuditAction::Delete,
        }
    }
}

/// One line of the audit log: who did what to which record, and when.
/// It holds no field values by construction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub user_id: Uuid,
    pub action: AuditAction,
    pub entity: String,
    pub entity_id: Uuid,
}

/// A record as stored: its version and every writable field as JSON.
#[derive(Clone, PartialEq)]
pub struct Record {
    pub entity: &'static str,
    pub id: Uuid,
    pub version: u64,
    pub updated_at: String,
    pub fields: BTreeMap<String, Value>,
}

/// Field values are personal data: `Debug` shows only the field names.
impl fmt::Debug for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Record")
            .field("entity", &self.entity)
            .field("id", &self.id)
            .field("version", &self.version)
            .field("fields", &self.fields.keys().collect::<Vec<_>>())
            .finish()
    }
}

pub(crate) fn kind_name(kind: OpKind) -> &'static str {
    match kind {
        OpKind::Insert => "insert",
        OpKind::Update => "update",
        OpKind::Delete => "delete",
        OpKind::Append => "append",
    }
}

pub(crate) fn to_u64(v: i64) -> Result<u64, VaultError> {
    u64::try_from(v).map_err(|_| VaultError::Corrupt)
}

pub(crate) fn timestamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A field value that passed the allow-list: the column it goes to, the value
/// to bind, and its canonical JSON for the outbox.
struct Checked {
    column: &'static Column,
    sql: rusqlite::types::Value,
    json: Value,
}

/// Check a mutation against the allow-list and the protocol's entity table,
/// before any SQL runs.
fn validate(m: &Mutation) -> Result<(&'static Table, Vec<Checked>), VaultError> {
    let entity = || m.entity.to_owned();
    let table =
        schema::table(m.entity).ok_or_else(|| VaultError::UnknownEntity { entity: entity() })?;
    let spec = table
        .spec()
        .ok_or_else(|| VaultError::UnknownEntity { entity: entity() })?;
    let allowed = match m.kind {
        OpKind::Insert => true,
        OpKind::Append => spec.append_only,
        OpKind::Update => !spec.append_only,
        OpKind::Delete => spec.deletable,
    };
    if !allowed {
        return Err(VaultError::KindNotAllowed {
            entity: entity(),
            kind: kind_name(m.kind),
        });
    }
    let invalid = |reason| VaultError::InvalidMutation {
        entity: entity(),
        reason,
    };
    match m.kind {
        OpKind::Delete if !m.fields.is_empty() => {
            return Err(invalid("a delete carries no fields"));
        }
        OpKind::Update if m.fields.is_empty() => return Err(invalid("an update changes no field")),
        OpKind::Insert | OpKind::Append if m.expected_version.is_some_and(|v| v != 0) => {
            return Err(invalid("a new record has no earlier version"));
        }
        _ => {}
    }
    let mut values = Vec::with_capacity(m.fields.len());
    for (name, value) in &m.fields {
        let column = table
            .column(name)
            .ok_or_else(|| VaultError::UnknownColumn {
                entity: entity(),
                column: name.clone(),
            })?;
        let converted = if value.is_null() && column.nullable {
            Some((rusqlite::types::Value::Null, Value::Null))
        } else {
            column.ty.convert(value)
        };
        let (sql, json) = converted.ok_or_else(|| VaultError::InvalidValue {
            entity: entity(),
            column: name.clone(),
            expected: column.ty.expected(),
        })?;
        values.push(Checked { column, sql, json });
    }
    Ok((table, values))
}

/// Apply `m` for `user_id` at `now`: record, outbox, audit and search in one
/// transaction.
pub(crate) fn apply(
    conn: &mut Connection,
    user_id: Uuid,
    m: Mutation,
    now: DateTime<Utc>,
) -> Result<Applied, VaultError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let applied = apply_in(&tx, user_id, m, now)?;
    tx.commit()?;
    Ok(applied)
}

/// Apply every mutation of `batch` in order, in one transaction: each gets
/// its own outbox operation and audit entry, and either all are committed
/// or none is.
pub(crate) fn apply_batch(
    conn: &mut Connection,
    user_id: Uuid,
    batch: Vec<Mutation>,
    now: DateTime<Utc>,
) -> Result<Vec<Applied>, VaultError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // A batch the size of a search batch or more is a search batch itself:
    // its records go into the index directly, as one segment.
    let indexing = if batch.len() >= usize::try_from(search::FLUSH_AT).unwrap_or(usize::MAX) {
        Indexing::Now
    } else {
        Indexing::Batched
    };
    let mut applied = Vec::with_capacity(batch.len());
    for m in batch {
        applied.push(apply_with(&tx, user_id, m, now, indexing)?);
    }
    tx.commit()?;
    Ok(applied)
}

/// Whether record `id` of `entity` is on the device.
pub(crate) fn exists(conn: &Connection, table: &Table, id: &str) -> Result<bool, VaultError> {
    Ok(conn
        .prepare_cached(&format!("SELECT 1 FROM {} WHERE id = ?1", table.sql()))?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Checks that need the database or the acting user: links of a local
/// change point at records on the device, a record still owned or referred
/// to is not deleted, and fields only the bureau changes are set only to
/// what the server accepts from a device.
fn check_relations(
    conn: &Connection,
    table: &'static Table,
    m: &Mutation,
    values: &[Checked],
    user_id: Uuid,
    id: &str,
) -> Result<(), VaultError> {
    let entity = || m.entity.to_owned();
    for v in values {
        if let Some(link) = table.links.iter().find(|l| l.column == v.column.name)
            && let rusqlite::types::Value::Text(target_id) = &v.sql
        {
            let target = schema::table(link.target).ok_or(VaultError::Corrupt)?;
            if !exists(conn, target, target_id)? {
                return Err(VaultError::MissingLink {
                    entity: entity(),
                    column: link.column.to_owned(),
                });
            }
        }
        if v.column.bureau_only {
            let fine = match (&v.json, v.column.ty) {
                (Value::Null, _) => true,
                (Value::String(s), ColumnType::Id) => *s == user_id.hyphenated().to_string(),
                (Value::Array(a), ColumnType::Json) => a.is_empty(),
                _ => false,
            };
            if !fine {
                return Err(VaultError::InvalidMutation {
                    entity: entity(),
                    reason: "only the bureau assigns or shares a case",
                });
            }
        }
    }
    if m.kind == OpKind::Delete {
        for (child, link) in schema::links_to(table.entity) {
            let sql = format!(
                "SELECT 1 FROM {} WHERE {} = ?1 LIMIT 1",
                child.sql(),
                link.column
            );
            let used = conn
                .prepare_cached(&sql)?
                .query_row([id], |_| Ok(()))
                .optional()?
                .is_some();
            if used {
                return Err(VaultError::RecordInUse { entity: entity() });
            }
        }
    }
    Ok(())
}

/// [`apply`] inside a transaction the caller commits.
pub(crate) fn apply_in(
    tx: &Connection,
    user_id: Uuid,
    m: Mutation,
    now: DateTime<Utc>,
) -> Result<Applied, VaultError> {
    apply_with(tx, user_id, m, now, Indexing::Batched)
}

/// How a new record of the notes index is indexed (see [`crate::search`]).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Indexing {
    /// Waiting for its batch: the one record of an ordinary change.
    Batched,
    /// In this transaction: a bulk write.
    Now,
}

fn apply_with(
    tx: &Connection,
    user_id: Uuid,
    m: Mutation,
    now: DateTime<Utc>,
    indexing: Indexing,
) -> Result<Applied, VaultError> {
    let (table, values) = validate(&m)?;
    let entity = || m.entity.to_owned();
    let id = m.entity_id.hyphenated().to_string();
    let at = timestamp(now);

    let current: Option<u64> = tx
        .prepare_cached(&format!(
            "SELECT version FROM {} WHERE id = ?1",
            table.sql()
        ))?
        .query_row([&id], |r| r.get::<_, i64>(0))
        .optional()?
        .map(to_u64)
        .transpose()?;
    let new_record = matches!(m.kind, OpKind::Insert | OpKind::Append);
    match (new_record, current, m.expected_version) {
        (true, Some(_), _) => return Err(VaultError::RecordExists { entity: entity() }),
        (false, None, _) => return Err(VaultError::RecordNotFound { entity: entity() }),
        (false, Some(found), Some(expected)) if found != expected => {
            return Err(VaultError::VersionConflict {
                entity: entity(),
                expected,
                found,
            });
        }
        _ => {}
    }
    check_relations(tx, table, &m, &values, user_id, &id)?;

    let version = match m.kind {
        OpKind::Insert | OpKind::Append => {
            let names: Vec<&str> = values.iter().map(|v| v.column.name).collect();
            let params: Vec<rusqlite::types::Value> =
                values.iter().map(|v| v.sql.clone()).collect();
            insert_row(tx, table, &id, &at, &names, params)?;
            1
        }
        OpKind::Update => {
            let names: Vec<&str> = values.iter().map(|v| v.column.name).collect();
            let params: Vec<rusqlite::types::Value> =
                values.iter().map(|v| v.sql.clone()).collect();
            update_row(tx, table, &id, &at, &names, params)?;
            current.map_or(1, |v| v + 1)
        }
        OpKind::Delete => {
            tx.prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", table.sql()))?
                .execute([&id])?;
            0
        }
    };

    if table.searchable() {
        if m.kind == OpKind::Delete {
            search::unindex(tx, table.entity, &id)?;
        } else if new_record {
            search::index_new(tx, table, &id, indexing)?;
        } else {
            search::reindex(tx, table, &id)?;
        }
    }

    let base_versions = if new_record {
        BTreeMap::new()
    } else {
        field_versions(tx, table.entity, &id)?
    };
    let changes: BTreeMap<String, FieldChange> = values
        .into_iter()
        .map(|v| {
            let base_version = base_versions.get(v.column.name).copied().unwrap_or(0);
            (
                v.column.name.to_owned(),
                FieldChange {
                    value: v.json,
                    base_version,
                },
            )
        })
        .collect();
    let changes = serde_json::to_string(&changes).map_err(|_| VaultError::Corrupt)?;
    let stamp = hlc::tick(tx, hlc::millis(now))?.to_string();
    let op_id = Uuid::now_v7();
    tx.prepare_cached(
        "INSERT INTO outbox (op_id, hlc, entity, entity_id, op, changes, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        op_id.hyphenated().to_string(),
        stamp,
        table.entity,
        id,
        kind_name(m.kind),
        changes,
        at
    ])?;
    audit(tx, user_id, AuditAction::of(m.kind), table.entity, &id, now)?;
    Ok(Applied {
        op_id,
        hlc: stamp,
        version,
    })
}

/// Insert a new record (version 1) with the named columns.
pub(crate) fn insert_row(
    tx: &Connection,
    table: &Table,
    id: &str,
    at: &str,
    names: &[&str],
    values: Vec<rusqlite::types::Value>,
) -> Result<(), VaultError> {
    let mut all = vec!["id", "version", "updated_at"];
    all.extend_from_slice(names);
    let placeholders: Vec<String> = (1..=all.len()).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        table.sql(),
        all.join(", "),
        placeholders.join(", ")
    );
    let mut params: Vec<rusqlite::types::Value> =
        vec![id.to_owned().into(), 1i64.into(), at.to_owned().into()];
    params.extend(values);
    tx.prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(params))?;
    Ok(())
}

/// Set the named columns of a record and raise its version by one.
pub(crate) fn update_row(
    tx: &Connection,
    table: &Table,
    id: &str,
    at: &str,
    names: &[&str],
    values: Vec<rusqlite::types::Value>,
) -> Result<(), VaultError> {
    let sets: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, name)| format!("{name} = ?{}", i + 3))
        .collect();
    let assignments = if sets.is_empty() {
        String::new()
    } else {
        format!("{}, ", sets.join(", "))
    };
    let sql = format!(
        "UPDATE {} SET {assignments}version = version + 1, updated_at = ?2 WHERE id = ?1",
        table.sql(),
    );
    let mut params: Vec<rusqlite::types::Value> = vec![id.to_owned().into(), at.to_owned().into()];
    params.extend(values);
    tx.prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(params))?;
    Ok(())
}

pub(crate) fn field_versions(
    tx: &Connection,
    entity: &str,
    id: &str,
) -> Result<BTreeMap<String, u64>, VaultError> {
    let mut stmt = tx.prepare_cached(
        "SELECT field, version FROM field_versions WHERE entity = ?1 AND entity_id = ?2",
    )?;
    let rows = stmt.query_map([entity, id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut out = BTreeMap::new();
    for row in rows {
        let (field, version) = row?;
        out.insert(field, to_u64(version)?);
    }
    Ok(out)
}

pub(crate) fn audit(
    conn: &Connection,
    user_id: Uuid,
    action: AuditAction,
    entity: &str,
    entity_id: &str,
    now: DateTime<Utc>,
) -> Result<(), VaultError> {
    conn.prepare_cached(
        "INSERT INTO audit_log (id, at, user_id, action, entity, entity_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        Uuid::now_v7().hyphenated().to_string(),
        timestamp(now),
        user_id.hyphenated().to_string(),
        action.as_str(),
        entity,
        entity_id
    ])?;
    Ok(())
}

/// Audit that `user_id` looked at a record. No outbox operation: a view
/// changes nothing.
pub(crate) fn record_view(
    conn: &Connection,
    user_id: Uuid,
    entity: &str,
    entity_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), VaultError> {
    let spec =
        veldwerk_protocol::entities::spec(entity).ok_or_else(|| VaultError::UnknownEntity {
            entity: entity.to_owned(),
        })?;
    audit(
        conn,
        user_id,
        AuditAction::View,
        spec.name,
        &entity_id.hyphenated().to_string(),
        now,
    )
}

pub(crate) fn record(
    conn: &Connection,
    entity: &str,
    id: Uuid,
) -> Result<Option<Record>, VaultError> {
    Ok(select_records(conn, entity, Some(id))?.pop())
}

pub(crate) fn records(conn: &Connection, entity: &str) -> Result<Vec<Record>, VaultError> {
    select_records(conn, entity, None)
}

fn select_records(
    conn: &Connection,
    entity: &str,
    id: Option<Uuid>,
) -> Result<Vec<Record>, VaultError> {
    let table = schema::table(entity).ok_or_else(|| VaultError::UnknownEntity {
        entity: entity.to_owned(),
    })?;
    let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    let sql = format!(
        "SELECT id, version, updated_at, {} FROM {} WHERE ?1 IS NULL OR id = ?1 ORDER BY id",
        names.join(", "),
        table.sql()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([id.map(|i| i.hyphenated().to_string())], |r| {
        let id: String = r.get(0)?;
        let version: i64 = r.get(1)?;
        let updated_at: String = r.get(2)?;
        let mut raw = Vec::with_capacity(table.columns.len());
        for i in 0..table.columns.len() {
            raw.push(r.get::<_, rusqlite::types::Value>(i + 3)?);
        }
        Ok((id, version, updated_at, raw))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, version, updated_at, raw) = row?;
        let mut fields = BTreeMap::new();
        for (column, value) in table.columns.iter().zip(raw) {
            fields.insert(
                column.name.to_owned(),
                column.ty.to_json(value).ok_or(VaultError::Corrupt)?,
            );
        }
        out.push(Record {
            entity: table.entity,
            id: Uuid::parse_str(&id).map_err(|_| VaultError::Corrupt)?,
            version: to_u64(version)?,
            updated_at,
            fields,
        });
    }
    Ok(out)
}

fn op_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<[String; 6]> {
    Ok([
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ])
}

fn parse_op(
    [op_id, hlc, entity, entity_id, op, changes]: [String; 6],
) -> Result<Operation, VaultError> {
    let op_id = Uuid::parse_str(&op_id).map_err(|_| VaultError::Corrupt)?;
    let kind: OpKind =
        serde_json::from_value(Value::String(op)).map_err(|_| VaultError::Corrupt)?;
    let changes = serde_json::from_str(&changes).map_err(|_| VaultError::Corrupt)?;
    Ok(Operation {
        op_id,
        hlc,
        entity,
        entity_id,
        kind,
        changes,
    })
}

/// The oldest `limit` operations to push, in push order (the order they
/// were appended in, which is their clock stamps' order):
/// not those the server rejected, nor those of entities the protocol does
/// not know yet.
pub(crate) fn outbox(conn: &Connection, limit: usize) -> Result<Vec<Operation>, VaultError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT op_id, hlc, entity, entity_id, op, changes FROM outbox
         WHERE {} ORDER BY rowid LIMIT ?1",
        crate::remote::pushable_filter()
    ))?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = stmt.query_map([limit], op_from_row)?;
    let mut ops = Vec::new();
    for row in rows {
        ops.push(parse_op(row?)?);
    }
    Ok(ops)
}

/// One operation of the outbox, whatever its state.
pub(crate) fn outbox_op(conn: &Connection, op_id: &str) -> Result<Option<Operation>, VaultError> {
    conn.prepare_cached(
        "SELECT op_id, hlc, entity, entity_id, op, changes FROM outbox WHERE op_id = ?1",
    )?
    .query_row([op_id], op_from_row)
    .optional()?
    .map(parse_op)
    .transpose()
}

/// Append an operation made outside [`apply_in`] (a conflict resolution).
pub(crate) fn insert_outbox(
    conn: &Connection,
    op: &Operation,
    now: DateTime<Utc>,
) -> Result<(), VaultError> {
    let changes = serde_json::to_string(&op.changes).map_err(|_| VaultError::Corrupt)?;
    conn.prepare_cached(
        "INSERT INTO outbox (op_id, hlc, entity, entity_id, op, changes, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        op.op_id.hyphenated().to_string(),
        op.hlc,
        op.entity,
        op.entity_id,
        kind_name(op.kind),
        changes,
        timestamp(now)
    ])?;
    Ok(())
}

/// The oldest `limit` audit entries, in the order they were written.
pub(crate) fn audit_log(conn: &Connection, limit: usize) -> Result<Vec<AuditEntry>, VaultError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, user_id, action, entity, entity_id FROM audit_log ORDER BY rowid LIMIT ?1",
    )?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = stmt.query_map([limit], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut entries = Vec::new();
    for row in rows {
        let (id, at, user_id, action, entity, entity_id) = row?;
        let uuid = |s: &str| Uuid::parse_str(s).map_err(|_| VaultError::Corrupt);
        entries.push(AuditEntry {
            id: uuid(&id)?,
            at: DateTime::parse_from_rfc3339(&at)
                .map_err(|_| VaultError::Corrupt)?
                .with_timezone(&Utc),
            user_id: uuid(&user_id)?,
            action: AuditAction::parse(&action).ok_or(VaultError::Corrupt)?,
            entity,
            entity_id: uuid(&entity_id)?,
        });
    }
    Ok(entries)
}

pub(crate) fn count(conn: &Connection, table: CountedTable) -> Result<u64, VaultError> {
    let sql = match table {
        CountedTable::Outbox => "SELECT count(*) FROM outbox",
        CountedTable::AuditLog => "SELECT count(*) FROM audit_log",
    };
    let n: i64 = conn.prepare_cached(sql)?.query_row([], |r| r.get(0))?;
    to_u64(n)
}

pub(crate) enum CountedTable {
    Outbox,
    AuditLog,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::SearchColumn;

    #[test]
    fn search_columns_of_the_allow_list_are_all_fts_columns() {
        // The FTS table has exactly the columns of SearchColumn::ALL, in order.
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::migrations::apply(&mut conn).expect("migrations");
        let names: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info('search')")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .expect("columns");
        let expected: Vec<&str> = SearchColumn::ALL
            .iter()
            .map(|c| search::column_name(*c))
            .collect();
        assert_eq!(names, expected);
        let names: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info('search_name')")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .expect("columns");
        let expected: Vec<&str> = search::NAME_COLUMNS
            .iter()
            .map(|c| search::column_name(*c))
            .collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn outbox_changes_carry_the_field_versions_last_pulled() -> Result<(), VaultError> {
        let mut conn = Connection::open_in_memory()?;
        crate::migrations::apply(&mut conn)?;
        search::open_fresh(&conn)?;
        crate::meta::set(&conn, crate::MetaKey::DeviceId, "dev-a")?;
        let id = Uuid::now_v7();
        let user = Uuid::now_v7();
        let (youth, case) = (Uuid::now_v7(), Uuid::now_v7());
        let youth_insert = Mutation::insert("youth", youth)
            .set("voornaam", "Sam")
            .set("achternaam", "Jansen")
            .set("geboortedatum", "2012-03-14");
        apply(&mut conn, user, youth_insert, Utc::now())?;
        let case_insert = Mutation::insert("case", case)
            .set("youth_id", youth.to_string())
            .set("werkproces", "verzuim")
            .set("status", "open")
            .set("opened_on", "2026-03-02")
            .set("care_concern", false);
        apply(&mut conn, user, case_insert, Utc::now())?;
        let insert = Mutation::insert("task", id)
            .set("case_id", case.to_string())
            .set("title", "Bel school");
        apply(&mut conn, user, insert, Utc::now())?;
        // What sync records when it pulls the server's state of the record.
        conn.execute(
            "INSERT INTO field_versions VALUES ('task', ?1, 'title', 7)",
            [id.hyphenated().to_string()],
        )?;
        let update = Mutation::update("task", id)
            .set("title", "Bel ouders")
            .set("done", true);
        apply(&mut conn, user, update, Utc::now())?;
        let ops = outbox(&conn, 10)?;
        let last = ops.last().map(|o| &o.changes);
        let bases: Vec<(&str, u64)> = last
            .into_iter()
            .flatten()
            .map(|(k, c)| (k.as_str(), c.base_version))
            .collect();
        assert_eq!(bases, [("done", 0), ("title", 7)]);
        Ok(())
    }

    #[test]
    fn debug_of_a_mutation_shows_field_names_not_values() {
        let m = Mutation::insert("task", Uuid::nil()).set("title", "Bel Eva Doğan");
        let text = format!("{m:?}");
        assert!(text.contains("title") && !text.contains("Eva"), "{text}");
    }
}
