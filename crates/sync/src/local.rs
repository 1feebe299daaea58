//! The engine's side of the vault: the few calls sync makes, each one short
//! and run through the [`VaultHandle`] on the blocking pool.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use veldwerk_protocol::entities::{self, Scope};
use veldwerk_protocol::{EntityRef, OpDigest, OpResult, Operation, PullResponse};
use veldwerk_vault::Vault;

use crate::{SyncError, VaultHandle};

/// The outbox operations to push next, oldest first (rejected and held
/// operations are not among them).
pub(crate) fn pending(v: &mut Vault, limit: usize) -> Result<Vec<Operation>, SyncError> {
    Ok(v.outbox(limit)?)
}

/// Records the server's answers: one transaction that removes accepted
/// operations, marks rejected ones and adds them all to the digest.
pub(crate) fn record_push_results(v: &mut Vault, results: &[OpResult]) -> Result<(), SyncError> {
    v.ack_pushed(results)?;
    Ok(())
}

pub(crate) fn cursor(v: &mut Vault) -> Result<u64, SyncError> {
    Ok(v.sync_cursor()?)
}

pub(crate) fn digest(v: &mut Vault) -> Result<OpDigest, SyncError> {
    Ok(v.op_digest()?)
}

/// Applies a page in one transaction, its `next_cursor` included, and moves
/// the clock past the stamps of its conflicts.
pub(crate) fn apply_page(v: &mut Vault, page: &PullResponse) -> Result<(), SyncError> {
    v.apply_pull(page)?;
    let newest = page
        .conflicts
        .iter()
        .flat_map(|c| [&c.kept_by.hlc, &c.other_by.hlc])
        .filter_map(|s| veldwerk_protocol::Hlc::parse(s))
        .max();
    if let Some(stamp) = newest {
        v.observe_clock(&stamp)?;
    }
    Ok(())
}

/// A digest no device can have (count 0 with a non-zero hash): stored while
/// a full re-sync runs, so that if it is interrupted (pages stored their
/// cursors, but the stale records are not dropped yet) the next state check
/// orders it again.
fn unmatchable_digest() -> OpDigest {
    OpDigest::from_parts(0, &[0xff; 32])
}

pub(crate) fn begin_full_resync(v: &mut Vault) -> Result<(), SyncError> {
    v.set_op_digest(&unmatchable_digest())?;
    Ok(())
}

/// The last step of a full re-sync: drop the synced records the pull did not
/// bring (keeping any an unpushed operation touches, and the records those
/// belong to), then adopt the server's digest and the cursor. Returns how
/// many records were dropped.
pub(crate) fn finish_full_resync(
    v: &mut Vault,
    received: &BTreeSet<EntityRef>,
    digest: &OpDigest,
    cursor: u64,
) -> Result<u64, SyncError> {
    let protected = protected_ids(v)?;
    let mut dropped = 0u64;
    for spec in entities::ENTITIES {
        if matches!(spec.scope, Scope::Archive) {
            continue;
        }
        let records = match v.records(spec.name) {
            Ok(records) => records,
            // An entity the protocol has and this vault has no table for.
            Err(veldwerk_vault::VaultError::UnknownEntity { .. }) => continue,
            Err(e) => return Err(e.into()),
        };
        for record in records {
            let id = record.id.hyphenated().to_string();
            let r = EntityRef {
                entity: spec.name.to_owned(),
                entity_id: id.clone(),
            };
            if received.contains(&r) || protected.contains(&id) {
                continue;
            }
            dropped += v.purge(&r)? as u64;
        }
    }
    v.set_sync_cursor(cursor)?;
    v.set_op_digest(digest)?;
    Ok(dropped)
}

/// Ids of records that unpushed operations touch, and of the records they
/// belong to (a contact moment's case, that case's youth).
fn protected_ids(v: &mut Vault) -> Result<BTreeSet<String>, SyncError> {
    const LINKS: [&str; 2] = [entities::CASE_ID, entities::YOUTH_ID];
    let mut ids = BTreeSet::new();
    let mut todo: Vec<(String, String)> = Vec::new();
    for op in v.outbox(usize::MAX)? {
        for link in LINKS {
            if let Some(target) = op.changes.get(link).and_then(|c| c.value.as_str()) {
                let entity = if link == entities::CASE_ID {
                    entities::CASE
                } else {
                    entities::YOUTH
                };
                todo.push((entity.to_owned(), target.to_owned()));
            }
        }
        todo.push((op.entity, op.entity_id));
    }
    while let Some((entity, id)) = todo.pop() {
        let Ok(uuid) = uuid::Uuid::parse_str(&id) else {
            continue;
        };
        let id = uuid.hyphenated().to_string();
        if !ids.insert(id) {
            continue;
        }
        let Some(spec) = entities::spec(&entity) else {
            continue;
        };
        let Some(record) = v.record(spec.name, uuid)? else {
            continue;
        };
        for link in LINKS {
            if let Some(target) = record.fields.get(link).and_then(|v| v.as_str()) {
                let owner = if link == entities::CASE_ID {
                    entities::CASE
                } else {
                    entities::YOUTH
                };
                todo.push((owner.to_owned(), target.to_owned()));
            }
        }
    }
    Ok(ids)
}

/// Records that a sync succeeded at `at`, in the vault, so the status
/// shows it after a restart.
pub(crate) fn record_success(v: &mut Vault, at: DateTime<Utc>) -> Result<(), SyncError> {
    v.set_last_sync_at(at)?;
    Ok(())
}

/// Counts for the status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub pending: u64,
    pub rejected: u64,
    pub open_conflicts: u64,
    /// When the last sync succeeded, as the vault recorded it.
    pub last_success_at: Option<DateTime<Utc>>,
}

pub(crate) async fn counts(vault: &VaultHandle) -> Result<Counts, SyncError> {
    vault
        .run(|v| {
            let outbox = v.outbox_counts()?;
            Ok(Counts {
                pending: outbox.pending,
                rejected: outbox.rejected,
                open_conflicts: v.open_conflicts()?.len() as u64,
                last_success_at: v.last_sync_at()?,
            })
        })
        .await
}

/// Takes the vault out of the handle and destroys it (a revoked device).
pub(crate) async fn wipe(vault: &VaultHandle) -> Result<(), SyncError> {
    let taken = vault.take();
    tokio::task::spawn_blocking(move || match taken {
        Some(v) => v.wipe().map_err(SyncError::from),
        None => Ok(()),
    })
    .await
    .map_err(SyncError::Task)?
}
