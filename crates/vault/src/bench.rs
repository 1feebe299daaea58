//! The vault's benchmark, run by `veldwerk-cli bench vault` for
//! `cargo xtask bench`: the figures the issue sets targets for, each
//! measured on an encrypted vault and, in the same run, on the same schema
//! and code over a database without a key as the baseline.
//!
//! The baseline: SQLCipher without `PRAGMA key` is plain SQLite (same
//! library, same settings: WAL, `synchronous = FULL`, memory temp store), so
//! value / baseline is the cost of encryption. The unkeyed database exists
//! only here, only in the caller's work folder, and only ever holds the
//! synthetic demo caseload; the crate has no other way to make one.
//!
//! Workload, on a [`crate::demo`] caseload (2,000 youth make about 3,000
//! cases and 30,000 contact moments):
//! - key derivation: unwrapping the database key with the passphrase at
//!   the app's scrypt work factor (median);
//! - open an unlocked vault and show the caseload list: open the database
//!   with the key already unwrapped, check migrations, list every case with
//!   youth name, due tasks and legal status (median of cold-connection runs);
//! - search as you type: every prefix of 40 names, letter by letter (p95);
//! - case detail with timeline, its view audited (p95 over 200 cases);
//! - record a home visit, committed with its follow-up task, outbox and
//!   audit (p95 over 300 visits; every commit is fsynced);
//! - apply pulled pages: every synced record of the caseload, as a first
//!   sync brings it, applied in pages of 1,000 to an empty vault (time per
//!   record; the vault's share of a first sync);
//! - the whole workload: every sample of opening, searching, case views and
//!   home visits summed, encrypted against plain: the issue's "same
//!   workload on plain SQLite" as one ratio, next to each step's own.
//!
//! Encrypted and plain runs alternate sample by sample (and which goes
//! first), so a change in the machine's load lands on both. Search and case
//! detail are reported twice: the first pass after opening, when every page
//! touched is read from disk and (encrypted) decrypted, and then further
//! rounds over the same items, when the pages are in the page cache. The
//! difference between the two is what SQLCipher costs per page read
//! (checking the page's HMAC and decrypting it: a few µs for a 4 KiB page,
//! against about 1 µs for plain SQLite to copy it in; HMAC-SHA256 instead
//! of SQLCipher 4's HMAC-SHA512 took about a third off that, and
//! `veldwerk-cipher` instead of SQLCipher's OpenSSL reference provider,
//! which set up OpenSSL anew for every page, most of what was left above
//! the cryptography itself); every commit also encrypts each page it
//! writes, which the audited case detail pays too (one page since the
//! audit log is a single B-tree, three before). So the encrypted figures
//! follow the number of pages an action touches: fewer B-trees written and
//! narrower indexes read are what bring them towards plain SQLite's. A home
//! visit's commit wrote about 32 pages (counted from the WAL's frames), a
//! third of them the full-text index of its note; with notes indexed in
//! batches (`crate::search`), the outbox without a unique index on the
//! clock stamp and the clock kept in the outbox rather than rewritten in
//! `meta`, about 17.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveTime};
use uuid::Uuid;
use veldwerk_domain::ContactOutcome;
use veldwerk_protocol::{FieldState, PullResponse, RecordChange};

use crate::demo::{self, DemoOptions};
use crate::files::{DATABASE_FILE, PASSPHRASE_KEY_FILE};
use crate::keys::{self, DEFAULT_WORK_FACTOR, Unwrap};
use crate::model::{CaseloadQuery, HomeVisit};
use crate::secret::{DatabaseKey, Passphrase};
use crate::{Vault, VaultError, VaultOptions};

/// What to run.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    pub youth: usize,
    pub seed: u64,
    /// The day the caseload is "now".
    pub today: NaiveDate,
}

/// One figure of the report (`BENCH {...}` on the CLI's stdout).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Figure {
    pub name: String,
    pub value: f64,
    pub unit: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<&'static str>,
}

/// Durations in milliseconds.
fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `q` quantile (0..=1) of `samples`, nearest rank.
pub fn quantile(samples: &[Duration], q: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let mut sorted = samples.to_vec();
    sorted.sort();
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn time<T>(f: impl FnOnce() -> Result<T, VaultError>) -> Result<(Duration, T), VaultError> {
    let start = Instant::now();
    let value = f()?;
    Ok((start.elapsed(), value))
}

/// Median time of the cryptography SQLCipher does for one 4 KiB page in
/// the vault's format (4,048 bytes of data, a 16-byte IV, a 32-byte MAC),
/// through `veldwerk-cipher`'s primitives: (written, read).
fn page_cryptography() -> (Duration, Duration) {
    use veldwerk_cipher::primitives::{self as p, Digest, Direction};
    const DATA: usize = 4096 - 48;
    const ROUNDS: usize = 2001;
    let (key, mac_key, iv) = ([7u8; 32], [9u8; 32], [3u8; 16]);
    let plain = vec![0x5au8; DATA];
    let mut page = vec![0u8; DATA];
    let mut mac = [0u8; 32];
    let mut out = vec![0u8; DATA];
    let mut written = Vec::with_capacity(ROUNDS);
    let mut read = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let encrypted = p::cbc(Direction::Encrypt, &key, &iv, &plain, &mut page).and_then(|()| {
            p::hmac(
                Digest::Sha256,
                &mac_key,
                &[&page, &iv, &[1, 0, 0, 0]],
                &mut mac,
            )
        });
        written.push(start.elapsed());
        let start = Instant::now();
        let mut check = [0u8; 32];
        let decrypted = p::hmac(
            Digest::Sha256,
            &mac_key,
            &[&page, &iv, &[1, 0, 0, 0]],
            &mut check,
        )
        .and_then(|()| p::cbc(Direction::Decrypt, &key, &iv, &page, &mut out));
        read.push(start.elapsed());
        debug_assert!(encrypted.is_ok() && decrypted.is_ok() && check == mac && out == plain);
    }
    (quantile(&written, 0.5), quantile(&read, 0.5))
}

/// Time summed over every sample of the workload, encrypted and plain.
#[derive(Default)]
struct Total {
    encrypted: Duration,
    plain: Duration,
    samples: usize,
}

impl Total {
    fn add(&mut self, encrypted: &[Duration], plain: &[Duration]) {
        self.encrypted += encrypted.iter().sum::<Duration>();
        self.plain += plain.iter().sum::<Duration>();
        self.samples += encrypted.len();
    }
}

/// Which database a measurement runs on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Db {
    Encrypted,
    Plain,
}

struct Setup<'a> {
    encrypted: &'a Path,
    plain: &'a Path,
    key: Vec<u8>,
}

impl Setup<'_> {
    fn open(&self, db: Db) -> Result<Vault, VaultError> {
        match db {
            Db::Encrypted => {
                let key = DatabaseKey::from_bytes(&self.key).ok_or(VaultError::Corrupt)?;
                Vault::open_with_key(self.encrypted, key, VaultOptions::default())
            }
            Db::Plain => Vault::open_plain_for_bench(self.plain, false),
        }
    }
}

/// Cold opens per database (the median is reported).
const OPEN_RUNS: usize = 21;

/// Home visits recorded per database (each commit is fsynced, so the
/// disk's flush time dominates and varies; more samples steady the p95).
const VISITS: usize = 300;

/// Records per pull page, as the sync engine asks (its `pull_limit`).
const PULL_PAGE: usize = 1000;

/// Rounds of the warm measurements (every sample again, pages cached).
const WARM_ROUNDS: usize = 5;

/// Time `op` on both databases for every item, `rounds` times, alternating
/// encrypted and plain item by item (and which goes first), so drift in the
/// machine's load lands on both sides alike.
fn paired<T>(
    encrypted: &mut Vault,
    plain: &mut Vault,
    items: &[T],
    rounds: usize,
    mut op: impl FnMut(&mut Vault, &T) -> Result<(), VaultError>,
) -> Result<(Vec<Duration>, Vec<Duration>), VaultError> {
    let mut on_encrypted = Vec::with_capacity(items.len() * rounds);
    let mut on_plain = Vec::with_capacity(items.len() * rounds);
    for round in 0..rounds {
        for (i, item) in items.iter().enumerate() {
            let mut run = |v: &mut Vault, out: &mut Vec<Duration>| -> Result<(), VaultError> {
                let (d, ()) = time(|| op(v, item))?;
                out.push(d);
                Ok(())
            };
            if (round + i) % 2 == 0 {
                run(encrypted, &mut on_encrypted)?;
                run(plain, &mut on_plain)?;
            } else {
                run(plain, &mut on_plain)?;
                run(encrypted, &mut on_encrypted)?;
            }
        }
    }
    Ok((on_encrypted, on_plain))
}

/// Run the workload in `work_dir` (a fresh, private folder the caller
/// removes afterwards), calling `progress` with a line of text now and then
/// and `report` with each figure as it is measured.
pub fn run(
    work_dir: &Path,
    options: &BenchOptions,
    mut progress: impl FnMut(&str),
    mut report: impl FnMut(&Figure),
) -> Result<Vec<Figure>, VaultError> {
    let encrypted_dir = work_dir.join("encrypted");
    let plain_dir = work_dir.join("plain");
    let passphrase = Passphrase::new("bench paard batterij nietje");
    let recipient = age::x25519::Identity::generate().to_public().to_string();
    let demo_options = DemoOptions {
        youth: options.youth,
        seed: options.seed,
        today: options.today,
    };
    let mut figures = Vec::new();
    let mut emit = |f: Figure| {
        report(&f);
        figures.push(f);
    };

    // What SQLCipher's cryptography costs per page, on its own: the floor
    // under every encrypted figure (each page a commit writes pays the
    // first, each page read into the cache the second).
    let (written, read) = page_cryptography();
    emit(Figure {
        name: "vault: page cryptography, one 4 KiB page written (AES-256-CBC + HMAC-SHA256)".into(),
        value: written.as_secs_f64() * 1e6,
        unit: "µs",
        baseline: None,
        target: None,
    });
    emit(Figure {
        name: "vault: page cryptography, one 4 KiB page read (HMAC check + decrypt)".into(),
        value: read.as_secs_f64() * 1e6,
        unit: "µs",
        baseline: None,
        target: None,
    });

    progress("creating the encrypted vault (scrypt at the app's work factor)");
    let mut vault = Vault::create_with(
        &encrypted_dir,
        &passphrase,
        &recipient,
        VaultOptions {
            work_factor: DEFAULT_WORK_FACTOR,
            ..VaultOptions::default()
        },
    )?;
    let (generate_encrypted, summary) = time(|| demo::generate(&mut vault, &demo_options))?;
    vault.checkpoint()?;
    vault.lock()?;
    progress(&format!(
        "demo caseload: {} youth, {} cases, {} contact moments, {} records in all",
        summary.youth,
        summary.cases,
        summary.contact_moments,
        summary.total()
    ));
    let mut plain = Vault::open_plain_for_bench(&plain_dir, true)?;
    let (generate_plain, _) = time(|| demo::generate(&mut plain, &demo_options))?;
    plain.checkpoint()?;
    plain.lock()?;
    emit(Figure {
        name: "vault: generate the demo caseload (write path, batches)".into(),
        value: ms(generate_encrypted),
        unit: "ms",
        baseline: Some(ms(generate_plain)),
        target: None,
    });

    // Key derivation: what unlocking costs before the database is touched.
    let wrapped = std::fs::read(encrypted_dir.join(PASSPHRASE_KEY_FILE)).map_err(|source| {
        VaultError::Io {
            file: PASSPHRASE_KEY_FILE,
            source,
        }
    })?;
    let mut kdf = Vec::new();
    let mut key = Vec::new();
    for _ in 0..3 {
        let (d, k) = time(
            || match keys::unwrap_with_passphrase(&wrapped, &passphrase) {
                Ok(k) => Ok(k),
                Err(Unwrap::WrongSecret) => Err(VaultError::WrongPassphrase),
                Err(Unwrap::Damaged(source)) => Err(VaultError::KeyFile {
                    file: PASSPHRASE_KEY_FILE,
                    source,
                }),
            },
        )?;
        kdf.push(d);
        key = k.as_bytes().to_vec();
    }
    emit(Figure {
        name: format!("vault: key derivation (scrypt, log2 N = {DEFAULT_WORK_FACTOR})"),
        value: ms(quantile(&kdf, 0.5)),
        unit: "ms",
        baseline: None,
        target: Some("300-1000 ms"),
    });
    let setup = Setup {
        encrypted: &encrypted_dir,
        plain: &plain_dir,
        key,
    };

    // Open an unlocked vault and show the caseload list, alternating
    // encrypted and plain runs.
    let open = |db: Db| -> Result<(Duration, usize), VaultError> {
        time(|| {
            let vault = setup.open(db)?;
            let list = vault.caseload(&CaseloadQuery::default(), options.today)?;
            Ok(list.len())
        })
    };
    let (mut on_encrypted, mut on_plain, mut rows) = (Vec::new(), Vec::new(), 0);
    for run in 0..OPEN_RUNS {
        let order = if run % 2 == 0 {
            [Db::Encrypted, Db::Plain]
        } else {
            [Db::Plain, Db::Encrypted]
        };
        for db in order {
            let (d, n) = open(db)?;
            match db {
                Db::Encrypted => on_encrypted.push(d),
                Db::Plain => on_plain.push(d),
            }
            rows = n;
        }
    }
    let mut total = Total::default();
    total.add(&on_encrypted, &on_plain);
    let open_encrypted = quantile(&on_encrypted, 0.5);
    let open_plain = quantile(&on_plain, 0.5);
    emit(Figure {
        name: format!("vault: open unlocked + caseload list ({rows} cases), median"),
        value: ms(open_encrypted),
        unit: "ms",
        baseline: Some(ms(open_plain)),
        target: Some("< 50 ms"),
    });

    let mut encrypted = setup.open(Db::Encrypted)?;
    let mut plain = setup.open(Db::Plain)?;

    // Search as you type: names from the caseload, letter by letter.
    let names: Vec<String> = encrypted
        .conn
        .prepare("SELECT achternaam, voornaam FROM youth ORDER BY id LIMIT 20")?
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flat_map(|(a, v)| [a, v])
        .collect();
    let typed: Vec<String> = names
        .iter()
        .flat_map(|name| {
            let chars: Vec<char> = name.chars().collect();
            (1..=chars.len())
                .map(|n| chars[..n].iter().collect())
                .collect::<Vec<String>>()
        })
        .collect();
    // The first pass reads the index pages from disk (decrypting them on the
    // encrypted side); later passes find them in the page cache.
    let (cold_encrypted, cold_plain) = paired(&mut encrypted, &mut plain, &typed, 1, |v, t| {
        v.search(t, 20).map(drop)
    })?;
    total.add(&cold_encrypted, &cold_plain);
    emit(Figure {
        name: format!(
            "vault: search as you type, first pass after opening, p95 ({} keystrokes)",
            typed.len()
        ),
        value: ms(quantile(&cold_encrypted, 0.95)),
        unit: "ms",
        baseline: Some(ms(quantile(&cold_plain, 0.95))),
        target: Some("< 10 ms"),
    });
    let (warm_encrypted, warm_plain) =
        paired(&mut encrypted, &mut plain, &typed, WARM_ROUNDS, |v, t| {
            v.search(t, 20).map(drop)
        })?;
    total.add(&warm_encrypted, &warm_plain);
    emit(Figure {
        name: format!(
            "vault: search as you type, p95 ({} keystrokes x {WARM_ROUNDS})",
            typed.len()
        ),
        value: ms(quantile(&warm_encrypted, 0.95)),
        unit: "ms",
        baseline: Some(ms(quantile(&warm_plain, 0.95))),
        target: Some("< 10 ms"),
    });

    // Case detail with timeline, audited as a view.
    let case_ids: Vec<Uuid> = encrypted
        .caseload(&CaseloadQuery::default(), options.today)?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let step = (case_ids.len() / 200).max(1);
    let sample_ids: Vec<Uuid> = case_ids.iter().step_by(step).take(200).copied().collect();
    let view = |v: &mut Vault, id: &Uuid| v.case_detail(*id, options.today).map(drop);
    let (cold_encrypted, cold_plain) = paired(&mut encrypted, &mut plain, &sample_ids, 1, view)?;
    total.add(&cold_encrypted, &cold_plain);
    emit(Figure {
        name: format!(
            "vault: case detail, first view after opening (view audited), p95 ({} cases)",
            sample_ids.len()
        ),
        value: ms(quantile(&cold_encrypted, 0.95)),
        unit: "ms",
        baseline: Some(ms(quantile(&cold_plain, 0.95))),
        target: Some("< 5 ms"),
    });
    let (warm_encrypted, warm_plain) =
        paired(&mut encrypted, &mut plain, &sample_ids, WARM_ROUNDS, view)?;
    total.add(&warm_encrypted, &warm_plain);
    emit(Figure {
        name: format!(
            "vault: case detail with timeline (view audited), p95 ({} cases x {WARM_ROUNDS})",
            sample_ids.len()
        ),
        value: ms(quantile(&warm_encrypted, 0.95)),
        unit: "ms",
        baseline: Some(ms(quantile(&warm_plain, 0.95))),
        target: Some("< 5 ms"),
    });

    // Record a home visit: contact moment + follow-up task, committed.
    let open_cases: Vec<Uuid> = encrypted
        .caseload(
            &CaseloadQuery {
                status: Some(veldwerk_domain::CaseStatus::Open),
                ..CaseloadQuery::default()
            },
            options.today,
        )?
        .into_iter()
        .map(|c| c.id)
        .take(VISITS)
        .collect();
    let at = options
        .today
        .and_time(NaiveTime::from_hms_opt(10, 30, 0).unwrap_or(NaiveTime::MIN));
    let visit = |vault: &mut Vault, id: &Uuid| {
        vault
            .record_home_visit(
                *id,
                HomeVisit {
                    at,
                    outcome: ContactOutcome::NotHome,
                    note: Some("Niemand thuis, kaartje in de bus gedaan.".into()),
                    card: None,
                    followup: None,
                },
            )
            .map(drop)
    };
    let (visit_encrypted, visit_plain) = paired(&mut encrypted, &mut plain, &open_cases, 1, visit)?;
    total.add(&visit_encrypted, &visit_plain);
    emit(Figure {
        name: "vault: record a home visit (+ task, outbox, audit; fsync), p95".into(),
        value: ms(quantile(&visit_encrypted, 0.95)),
        unit: "ms",
        baseline: Some(ms(quantile(&visit_plain, 0.95))),
        target: Some("< 5 ms"),
    });
    emit(Figure {
        name: "vault: record a home visit, median".into(),
        value: ms(quantile(&visit_encrypted, 0.5)),
        unit: "ms",
        baseline: Some(ms(quantile(&visit_plain, 0.5))),
        target: None,
    });
    // The "same workload on plain SQLite": everything above (not
    // the key derivation, which plain SQLite has no counterpart for), each
    // sample once, summed.
    emit(Figure {
        name: format!(
            "vault: the whole workload above ({} samples: opens, keystrokes, case views, home visits), total",
            total.samples
        ),
        value: ms(total.encrypted),
        unit: "ms",
        baseline: Some(ms(total.plain)),
        target: Some("<= 1.2 x plain SQLite"),
    });
    // Apply pulled pages: every synced record of the caseload as the server
    // would send it to a fresh device, in pages of 1,000, into an empty
    // vault (the vault's share of a first sync).
    progress("applying the caseload as pulled pages to empty vaults");
    let mut changes = Vec::new();
    for table in crate::schema::TABLES.iter().filter(|t| t.synced()) {
        for record in encrypted.records(table.entity)? {
            changes.push(RecordChange {
                server_seq: 0,
                entity: table.entity.to_owned(),
                entity_id: record.id.hyphenated().to_string(),
                fields: record
                    .fields
                    .into_iter()
                    .map(|(field, value)| (field, FieldState { value, version: 1 }))
                    .collect(),
                deleted: false,
            });
        }
    }
    let pages: Vec<PullResponse> = changes
        .chunks(PULL_PAGE)
        .enumerate()
        .map(|(i, chunk)| PullResponse {
            changes: chunk.to_vec(),
            purge: Vec::new(),
            conflicts: Vec::new(),
            next_cursor: (i as u64 + 1) * PULL_PAGE as u64,
            more: true,
            wipe: false,
        })
        .collect();
    let mut fresh_encrypted = Vault::create_with(
        &work_dir.join("pulled-encrypted"),
        &passphrase,
        &recipient,
        VaultOptions {
            work_factor: keys::MIN_WORK_FACTOR,
            ..VaultOptions::default()
        },
    )?;
    let mut fresh_plain = Vault::open_plain_for_bench(&work_dir.join("pulled-plain"), true)?;
    let (pull_encrypted, pull_plain) = paired(
        &mut fresh_encrypted,
        &mut fresh_plain,
        &pages,
        1,
        |v, page| {
            let applied = v.apply_pull(page)?;
            if applied.written == page.changes.len() {
                Ok(())
            } else {
                Err(VaultError::Corrupt)
            }
        },
    )?;
    let per_record = |samples: &[Duration]| {
        samples.iter().sum::<Duration>().as_secs_f64() * 1e6 / changes.len().max(1) as f64
    };
    emit(Figure {
        name: format!(
            "vault: apply pulled pages to an empty vault ({} records, pages of {PULL_PAGE}), per record",
            changes.len()
        ),
        value: per_record(&pull_encrypted),
        unit: "µs",
        baseline: Some(per_record(&pull_plain)),
        target: None,
    });
    fresh_encrypted.lock()?;
    fresh_plain.lock()?;

    encrypted.lock()?;
    plain.lock()?;
    let size = |dir: &Path| std::fs::metadata(dir.join(DATABASE_FILE)).map_or(0, |m| m.len());
    progress(&format!(
        "database size: {} MB encrypted, {} MB plain",
        size(&encrypted_dir) / 1_000_000,
        size(&plain_dir) / 1_000_000
    ));
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_use_the_nearest_rank() {
        let samples: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(quantile(&samples, 0.95), Duration::from_millis(95));
        assert_eq!(quantile(&samples, 0.5), Duration::from_millis(50));
        assert_eq!(quantile(&samples[..1], 0.95), Duration::from_millis(1));
        assert_eq!(quantile(&[], 0.95), Duration::ZERO);
    }
}
