//! One sync: push the outbox, pull by cursor, check the state, and a full
//! re-sync or a wipe when the server orders one.
//!
//! Crash safety comes from the order of things and from the vault's
//! transactions, never from the network:
//! - An outbox operation leaves the outbox only in the transaction that
//!   records the server's answer to it; a push whose answer is lost is
//!   pushed again with the same op ids and answers `duplicate`.
//! - A pull page is applied in one transaction together with its
//!   `next_cursor`: after a crash the page is either there with its cursor,
//!   or absent and pulled again.
//! - The state check runs only after a complete push and pull, so
//!   operations whose answers were lost do not look like drift.
//!
//! The vault is locked for one batch's results or one page at a time, on
//! the blocking pool; never during network IO.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::Serialize;
use veldwerk_protocol::{EntityRef, ErrorCode, OpStatus, PullResponse, StateCheckStatus};

use crate::client::{Client, WireBytes};
use crate::status::{SyncPhase, SyncProgress};
use crate::{SyncError, SyncErrorKind, VaultHandle, local};

/// Batch and page sizes.
#[derive(Clone, Debug)]
pub struct SyncOptions {
    /// Operations per push. Halved automatically when the server says a
    /// batch is too large.
    pub push_batch: usize,
    /// Records per pull page (the server caps it, 1,000 by default).
    pub pull_limit: u32,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            push_batch: 1000,
            pull_limit: 1000,
        }
    }
}

/// What one sync did. Counts only, never contents.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SyncSummary {
    /// Operations the server accepted (applied now, before, or with a conflict).
    pub pushed: u64,
    /// Operations the server refused; they stay on the device, marked.
    pub rejected: u64,
    /// Records received and applied.
    pub pulled: u64,
    /// Records removed because they left the user's scope.
    pub purged: u64,
    /// Conflicts received (new or resolved).
    pub conflicts: u64,
    /// Pull pages applied.
    pub pages: u32,
    /// The server ordered a full re-sync and it was done.
    pub full_resync: bool,
    /// Body bytes on the wire during this sync.
    pub wire: WireBytes,
}

type ProgressFn = Arc<dyn Fn(SyncProgress) + Send + Sync>;

/// Runs syncs of one vault against one server. Cheap to clone.
#[derive(Clone)]
pub struct SyncEngine {
    vault: VaultHandle,
    client: Client,
    options: SyncOptions,
    progress: Option<ProgressFn>,
}

impl std::fmt::Debug for SyncEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncEngine")
            .field("client", &self.client)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// One sync of `vault` with the server behind `client`, with default options.
pub async fn sync_once(vault: &VaultHandle, client: &Client) -> Result<SyncSummary, SyncError> {
    SyncEngine::new(vault.clone(), client.clone())
        .sync_once()
        .await
}

impl SyncEngine {
    pub fn new(vault: VaultHandle, client: Client) -> SyncEngine {
        SyncEngine {
            vault,
            client,
            options: SyncOptions::default(),
            progress: None,
        }
    }

    pub fn with_options(mut self, options: SyncOptions) -> SyncEngine {
        self.options = options;
        self
    }

    /// Called after every push batch and pull page, from the sync's task.
    pub fn on_progress(mut self, f: impl Fn(SyncProgress) + Send + Sync + 'static) -> SyncEngine {
        self.progress = Some(Arc::new(f));
        self
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn vault(&self) -> &VaultHandle {
        &self.vault
    }

    /// Push, pull, check; a full re-sync when the server orders one. A
    /// revoked device's vault is wiped and the result is
    /// [`SyncError::Revoked`].
    #[tracing::instrument(skip_all)]
    pub async fn sync_once(&self) -> Result<SyncSummary, SyncError> {
        let before = self.client.wire_bytes();
        let mut run = Run {
            engine: self,
            summary: SyncSummary::default(),
            progress: SyncProgress::default(),
        };
        let result = run.all().await;
        run.summary.wire = self.client.wire_bytes() - before;
        match result {
            Ok(()) => {
                let at = chrono::Utc::now();
                // The sync itself is done and stored; failing to note when
                // (the vault was locked just now) only leaves the time shown
                // after a restart older.
                if let Err(e) = self.vault.run(move |v| local::record_success(v, at)).await {
                    tracing::info!(error = %e, "could not record the time of the sync");
                }
                Ok(run.summary)
            }
            Err(e) if e.kind() == SyncErrorKind::Revoked => {
                tracing::warn!("device revoked by the bureau: wiping the vault");
                local::wipe(&self.vault).await?;
                Err(SyncError::Revoked)
            }
            Err(e) => Err(e),
        }
    }
}

/// The state of one sync in progress.
struct Run<'a> {
    engine: &'a SyncEngine,
    summary: SyncSummary,
    progress: SyncProgress,
}

impl Run<'_> {
    fn report(&mut self, phase: SyncPhase) {
        self.progress.phase = phase;
        if let Some(f) = &self.engine.progress {
            f(self.progress);
        }
    }

    async fn all(&mut self) -> Result<(), SyncError> {
        self.push().await?;
        let cursor = self.vault().run(local::cursor).await?;
        match self.pull(cursor).await {
            Err(e) if e.code() == Some(ErrorCode::FullResyncRequired) => {
                return self.full_resync().await;
            }
            other => other?,
        }
        self.report(SyncPhase::Check);
        let (cursor, digest) = self
            .vault()
            .run(|v| Ok((local::cursor(v)?, local::digest(v)?)))
            .await?;
        let check = self.engine.client.check(cursor, &digest).await?;
        if check.status == StateCheckStatus::FullResync {
            return self.full_resync().await;
        }
        Ok(())
    }

    fn vault(&self) -> &VaultHandle {
        &self.engine.vault
    }

    /// Pushes the outbox in batches until it is empty (rejected operations
    /// stay, marked, and are not pushed again).
    async fn push(&mut self) -> Result<(), SyncError> {
        let mut batch = self.engine.options.push_batch.max(1);
        loop {
            let ops = self.vault().run(move |v| local::pending(v, batch)).await?;
            if ops.is_empty() {
                return Ok(());
            }
            let response = match self.engine.client.push(&ops).await {
                Err(e) if e.code() == Some(ErrorCode::PayloadTooLarge) && ops.len() > 1 => {
                    batch = ops.len() / 2;
                    tracing::info!(batch, "push batch too large for the server; halving");
                    continue;
                }
                other => other?,
            };
            let answered = response.results.len() == ops.len()
                && response
                    .results
                    .iter()
                    .zip(&ops)
                    .all(|(r, op)| r.op_id == op.op_id);
            if !answered {
                return Err(SyncError::Protocol(
                    "a push answer without one result per operation, in order",
                ));
            }
            let rejected = response
                .results
                .iter()
                .filter(|r| matches!(r.status, OpStatus::Rejected { .. }))
                .count() as u64;
            let accepted = ops.len() as u64 - rejected;
            let results = response.results;
            self.vault()
                .run(move |v| local::record_push_results(v, &results))
                .await?;
            self.summary.pushed += accepted;
            self.summary.rejected += rejected;
            self.progress.pushed += ops.len() as u64;
            if rejected > 0 {
                tracing::warn!(rejected, "the server refused operations");
            }
            self.report(SyncPhase::Push);
        }
    }

    /// Pulls and applies pages from `cursor` until the server has no more.
    async fn pull(&mut self, cursor: u64) -> Result<(), SyncError> {
        self.pages(cursor, None).await.map(|_| ())
    }

    /// The pull loop; with `received` (a full re-sync) every record received
    /// is noted. Returns the last page's `next_cursor`.
    ///
    /// The next page is fetched while the current one is applied (its cursor
    /// is known before the page is stored), so the server's and the vault's
    /// work overlap. Pages are still applied one at a time and in order; a
    /// failed fetch surfaces only after the page before it is stored.
    async fn pages(
        &mut self,
        mut cursor: u64,
        mut received: Option<&mut BTreeSet<EntityRef>>,
    ) -> Result<u64, SyncError> {
        let limit = self.engine.options.pull_limit.max(1);
        let phase = if received.is_some() {
            SyncPhase::FullResync
        } else {
            SyncPhase::Pull
        };
        let fetch = |cursor: u64| {
            let client = self.engine.client.clone();
            AbortOnDrop(tokio::spawn(
                async move { client.pull(cursor, limit).await },
            ))
        };
        let mut fetching = fetch(cursor);
        loop {
            let page = (&mut fetching.0).await.map_err(SyncError::Task)??;
            if page.wipe {
                return Err(SyncError::Server {
                    status: 410,
                    code: Some(ErrorCode::DeviceRevoked),
                });
            }
            if page.more && page.next_cursor <= cursor {
                return Err(SyncError::Protocol("a pull page that does not move on"));
            }
            if let Some(set) = received.as_deref_mut() {
                note_received(set, &page);
            }
            let (records, purged, conflicts) = (
                page.changes.len() as u64,
                page.purge.len() as u64,
                page.conflicts.len() as u64,
            );
            let (next, more) = (page.next_cursor, page.more);
            let prefetch = more.then(|| fetch(next));
            self.vault()
                .run(move |v| local::apply_page(v, &page))
                .await?;
            self.summary.pulled += records;
            self.summary.purged += purged;
            self.summary.conflicts += conflicts;
            self.summary.pages += 1;
            self.progress.pages += 1;
            self.progress.records += records;
            self.report(phase);
            cursor = next;
            match prefetch {
                Some(f) => fetching = f,
                None => return Ok(cursor),
            }
        }
    }

    /// Pulls everything from cursor 0, drops the synced records the server
    /// no longer gives this device (keeping every record an unpushed
    /// operation touches), adopts the server's digest, and pushes what is
    /// left in the outbox. Until the last step, the stored digest matches
    /// nothing, so an interrupted re-sync is ordered again at the next check.
    async fn full_resync(&mut self) -> Result<(), SyncError> {
        tracing::info!("full re-sync ordered by the server");
        self.summary.full_resync = true;
        self.report(SyncPhase::FullResync);
        self.vault().run(local::begin_full_resync).await?;
        let mut received = BTreeSet::new();
        let cursor = self.pages(0, Some(&mut received)).await?;
        // The server's digest of this device's operations. It cannot change
        // meanwhile: only this device pushes for itself, and not now. The
        // cursor is the last page's, not the check's `server_seq`, which
        // may already count changes the pull did not bring.
        let check = self
            .engine
            .client
            .check(cursor, &veldwerk_protocol::OpDigest::empty())
            .await?;
        let digest = check.server_digest;
        let dropped = self
            .vault()
            .run(move |v| local::finish_full_resync(v, &received, &digest, cursor))
            .await?;
        self.summary.purged += dropped;
        self.push().await
    }
}

/// A spawned request that is cancelled when the sync gives up on it.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Records a full re-sync must keep: every record received and not purged
/// later in the pull.
fn note_received(set: &mut BTreeSet<EntityRef>, page: &PullResponse) {
    for r in &page.purge {
        set.remove(r);
    }
    for c in &page.changes {
        let r = EntityRef {
            entity: c.entity.clone(),
            entity_id: c.entity_id.clone(),
        };
        if c.deleted {
            set.remove(&r);
        } else {
            set.insert(r);
        }
    }
}
