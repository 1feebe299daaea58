//! The background runner: syncs at unlock, shortly after local changes,
//! every few minutes, and again as soon as the server can be reached, with
//! exponential backoff and jitter while it cannot.
//!
//! The app talks to it through a [`SyncRunner`] handle whose methods never
//! block: they set a deadline and wake the runner's task. The task runs one
//! sync at a time; the vault is locked per page or batch only (see
//! [`crate::engine`]), so the user works on while it syncs.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::backoff::Backoff;
use crate::engine::{SyncEngine, SyncSummary};
use crate::status::{StatusError, SyncState, SyncStatus};
use crate::{SyncError, SyncErrorKind, local};

/// When the runner syncs by itself.
#[derive(Clone, Debug)]
pub struct RunnerOptions {
    /// How long after a local change the runner syncs; more changes in that
    /// time go in the same sync.
    pub debounce: Duration,
    /// How long after a successful sync the next one runs when nothing
    /// happens (to pull other people's changes).
    pub interval: Duration,
    /// The first retry delay after a failure; doubles per failure.
    pub retry_min: Duration,
    /// The longest retry delay: how long it takes at most to notice the
    /// server is back.
    pub retry_max: Duration,
}

impl Default for RunnerOptions {
    fn default() -> Self {
        RunnerOptions {
            debounce: Duration::from_secs(2),
            interval: Duration::from_secs(5 * 60),
            retry_min: Duration::from_secs(2),
            retry_max: Duration::from_secs(60),
        }
    }
}

#[derive(Default)]
struct Control {
    /// When the next sync is due; `None`: only when asked.
    due: Option<Instant>,
    /// Failures in a row: local changes do not shorten the backoff.
    backing_off: bool,
    /// Counts in the status are out of date (a local change).
    counts_stale: bool,
    stopped: bool,
}

struct Shared {
    control: Mutex<Control>,
    wake: Notify,
    status: watch::Sender<SyncStatus>,
    options: RunnerOptions,
}

impl Shared {
    fn control(&self) -> MutexGuard<'_, Control> {
        self.control
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Makes a sync due no later than `at`.
    fn due_by(&self, at: Instant) {
        let mut c = self.control();
        c.due = Some(c.due.map_or(at, |d| d.min(at)));
        drop(c);
        self.wake.notify_one();
    }
}

/// The handle to a running background sync. Cheap to clone; the task stops
/// when [`SyncRunner::stop`] is called or the vault is wiped.
#[derive(Clone)]
pub struct SyncRunner {
    shared: Arc<Shared>,
    task: Arc<Mutex<Option<JoinHandle<()>>>>,
}

impl std::fmt::Debug for SyncRunner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncRunner")
            .field("status", &*self.shared.status.borrow())
            .finish_non_exhaustive()
    }
}

impl SyncRunner {
    /// Starts the runner on `runtime`; it syncs right away (the vault was
    /// just unlocked).
    pub fn start(
        runtime: &tokio::runtime::Handle,
        engine: SyncEngine,
        options: RunnerOptions,
    ) -> SyncRunner {
        let (status, _) = watch::channel(SyncStatus::default());
        let shared = Arc::new(Shared {
            control: Mutex::new(Control {
                due: Some(Instant::now()),
                counts_stale: true,
                ..Control::default()
            }),
            wake: Notify::new(),
            status,
            options,
        });
        let task = runtime.spawn(run(shared.clone(), engine));
        SyncRunner {
            shared,
            task: Arc::new(Mutex::new(Some(task))),
        }
    }

    /// The user changed something: sync shortly (after the debounce), unless
    /// the server is unreachable and the runner is waiting out its backoff.
    pub fn local_change(&self) {
        let mut c = self.shared.control();
        c.counts_stale = true;
        let backing_off = c.backing_off;
        drop(c);
        if backing_off {
            self.shared.wake.notify_one();
        } else {
            self.shared
                .due_by(Instant::now() + self.shared.options.debounce);
        }
    }

    /// Sync now: the user asked, the vault was unlocked, or the network
    /// came back. Also ends a backoff wait.
    pub fn sync_now(&self) {
        self.shared.due_by(Instant::now());
    }

    /// The current status.
    pub fn status(&self) -> SyncStatus {
        self.shared.status.borrow().clone()
    }

    /// Every status change, for pushing to the UI.
    pub fn subscribe(&self) -> watch::Receiver<SyncStatus> {
        self.shared.status.subscribe()
    }

    /// Stops the runner after the sync in progress, if any, reaches its
    /// next step (a cancelled sync loses nothing: see [`crate::engine`]).
    pub async fn stop(&self) {
        self.shared.control().stopped = true;
        self.shared.wake.notify_one();
        let task = self
            .task
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        if let Some(task) = task {
            let _ = task.await;
        }
    }
}

async fn run(shared: Arc<Shared>, engine: SyncEngine) {
    let options = shared.options.clone();
    let mut backoff = Backoff::new(options.retry_min, options.retry_max);
    loop {
        let (due, stale, stopped) = {
            let c = shared.control();
            (c.due, c.counts_stale, c.stopped)
        };
        if stopped {
            return;
        }
        if stale {
            refresh_counts(&shared, &engine).await;
        }
        match due {
            None => shared.wake.notified().await,
            Some(at) if at > Instant::now() => {
                tokio::select! {
                    () = tokio::time::sleep_until(at) => {}
                    () = shared.wake.notified() => {}
                }
            }
            Some(_) => {
                shared.control().due = None;
                let outcome = sync(&shared, &engine).await;
                let now = Instant::now();
                let mut c = shared.control();
                let next = match &outcome {
                    Ok(_) => {
                        backoff.reset();
                        c.backing_off = false;
                        Some(now + options.interval)
                    }
                    Err(kind) if kind.is_retried() => {
                        c.backing_off = true;
                        Some(now + backoff.next_delay())
                    }
                    Err(SyncErrorKind::Revoked) => {
                        c.stopped = true;
                        None
                    }
                    // Needs a person (update, new code, unlock): wait to be asked.
                    Err(_) => None,
                };
                // A request that came in during the sync (a change, "sync
                // now") keeps its earlier deadline, except that changes do
                // not cut a backoff short.
                c.due = match (c.due, next) {
                    (Some(asked), Some(next)) if outcome.is_ok() => Some(asked.min(next)),
                    (_, next) => next,
                };
                let next_at = c.due.map(|at| {
                    Utc::now()
                        + chrono::Duration::from_std(at.saturating_duration_since(now))
                            .unwrap_or_default()
                });
                drop(c);
                shared.status.send_modify(|s| s.next_attempt_at = next_at);
            }
        }
    }
}

/// One sync with status updates; the error kind on failure.
async fn sync(shared: &Shared, engine: &SyncEngine) -> Result<SyncSummary, SyncErrorKind> {
    shared.status.send_modify(|s| {
        s.state = SyncState::Syncing;
        s.progress = None;
    });
    let progress_status = shared.status.clone();
    let engine = engine.clone().on_progress(move |p| {
        progress_status.send_modify(|s| s.progress = Some(p));
    });
    let result = engine.sync_once().await;
    let counts = local::counts(engine.vault()).await.ok();
    let now = Utc::now();
    shared.status.send_modify(|s| {
        s.progress = None;
        if let Some(c) = &counts {
            s.pending_operations = c.pending;
            s.rejected_operations = c.rejected;
            s.open_conflicts = c.open_conflicts;
        }
        match &result {
            Ok(_) => {
                s.state = SyncState::Idle;
                s.online = true;
                // The time the engine stored, so the status reads the same
                // before and after a restart.
                s.last_success_at = counts.and_then(|c| c.last_success_at).or(Some(now));
                s.last_error = None;
            }
            Err(e) => {
                let kind = e.kind();
                s.online = match kind {
                    SyncErrorKind::Offline => false,
                    // No contact was made: what was known stays.
                    SyncErrorKind::Locked
                    | SyncErrorKind::NotEnrolled
                    | SyncErrorKind::OtherUser
                    | SyncErrorKind::InvalidAddress
                    | SyncErrorKind::Local => s.online,
                    _ => true,
                };
                s.state = match kind {
                    SyncErrorKind::Offline | SyncErrorKind::ServerTrouble => SyncState::Offline,
                    SyncErrorKind::Locked => SyncState::Locked,
                    SyncErrorKind::Revoked => SyncState::Wiped,
                    _ => SyncState::Error,
                };
                s.last_error = Some(StatusError::of(e, now));
            }
        }
    });
    match result {
        Ok(summary) => {
            tracing::info!(
                pushed = summary.pushed,
                pulled = summary.pulled,
                purged = summary.purged,
                conflicts = summary.conflicts,
                "sync done"
            );
            Ok(summary)
        }
        Err(e) => {
            log_failure(&e);
            Err(e.kind())
        }
    }
}

fn log_failure(e: &SyncError) {
    match e.kind() {
        SyncErrorKind::Offline => tracing::info!(error = %e, "sync failed: server unreachable"),
        _ => tracing::warn!(error = %e, source = ?std::error::Error::source(e), "sync failed"),
    }
}

async fn refresh_counts(shared: &Shared, engine: &SyncEngine) {
    shared.control().counts_stale = false;
    match local::counts(engine.vault()).await {
        Ok(c) => shared.status.send_modify(|s| {
            s.pending_operations = c.pending;
            s.rejected_operations = c.rejected;
            s.open_conflicts = c.open_conflicts;
            // At start (and after unlock) the last success comes from the
            // vault: it survives a restart of the app.
            if s.last_success_at.is_none() {
                s.last_success_at = c.last_success_at;
            }
            if s.state == SyncState::Locked {
                s.state = SyncState::Idle;
            }
        }),
        Err(SyncError::Locked) => shared.status.send_modify(|s| s.state = SyncState::Locked),
        Err(e) => log_failure(&e),
    }
}
