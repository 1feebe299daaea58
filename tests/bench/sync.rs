//! `veldwerk-bench-sync`: the sync figures of issue 4, for `cargo xtask bench`.
//!
//! Starts the real `veldwerk-server` binary (from the same target folder:
//! build both with `cargo build --release -p veldwerk-server -p veldwerk-e2e`)
//! on a loopback port, seeds a caseload and measures with real vaults and the
//! real sync engine. Each figure is one stdout line
//! `BENCH {"name", "value", "unit", "baseline"?, "target"?}`; the baseline is
//! measured in the same run.
//!
//! Seeding (not measured): the office imports 2,000 meldingen for one
//! consultant with the admin CLI (2,000 youth, cases and meldingen), and a
//! seeding device of that consultant pushes 30,000 contact moments (15 per
//! case) through the protocol, in pushes of 5,000.
//!
//! `--quick` runs a tenth of everything (a smoke test, not a benchmark).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};
use uuid::Uuid;
use veldwerk_e2e::proxy::Proxy;
use veldwerk_e2e::server::Bureau;
use veldwerk_protocol::{FieldChange, Hlc, OpKind, OpStatus, Operation};
use veldwerk_sync::{
    Client, ClientOptions, EnrollOptions, VaultHandle, client_for, credentials, enroll_with,
    sync_once,
};
use veldwerk_vault::{MIN_WORK_FACTOR, Mutation, Passphrase, VaultOptions};

struct Scale {
    cases: usize,
    moments_per_case: usize,
    pushed_ops: usize,
    devices: usize,
    users: usize,
    /// Records the naive (one record per page) baseline pulls before its
    /// time is extrapolated to the whole caseload.
    naive_sample: u64,
    idle_syncs: usize,
}

const FULL: Scale = Scale {
    cases: 2_000,
    moments_per_case: 15,
    pushed_ops: 1_000,
    devices: 200,
    users: 50,
    naive_sample: 1_000,
    idle_syncs: 50,
};

const QUICK: Scale = Scale {
    cases: 200,
    moments_per_case: 15,
    pushed_ops: 100,
    devices: 20,
    users: 5,
    naive_sample: 200,
    idle_syncs: 10,
};

fn bench(name: &str, value: f64, unit: &str, baseline: Option<f64>, target: Option<&str>) {
    let mut entry = json!({"name": name, "value": value, "unit": unit});
    if let Some(b) = baseline {
        entry["baseline"] = json!(b);
    }
    if let Some(t) = target {
        entry["target"] = json!(t);
    }
    println!("BENCH {entry}");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn fast_vault() -> VaultOptions {
    VaultOptions {
        work_factor: MIN_WORK_FACTOR,
        ..VaultOptions::default()
    }
}

/// A device: a real vault in a temp dir, enrolled at `url`.
struct Device {
    _dir: tempfile::TempDir,
    vault: VaultHandle,
    client: Client,
}

async fn enroll(url: &str, code: &str) -> Result<Device> {
    let dir = tempfile::tempdir()?;
    let options = EnrollOptions {
        vault: fast_vault(),
        client: ClientOptions::default(),
    };
    let enrolled = enroll_with(
        dir.path(),
        url,
        code,
        "bench",
        &Passphrase::new("bench"),
        &options,
    )
    .await?;
    let client = client_for(&enrolled.vault, &ClientOptions::default())?;
    Ok(Device {
        _dir: dir,
        vault: VaultHandle::new(enrolled.vault),
        client,
    })
}

/// A contact moment as the field records it (~250 bytes of JSON).
fn moment_fields(case: &str, user: Uuid, i: usize) -> BTreeMap<String, FieldChange> {
    let f = |v: Value| FieldChange {
        value: v,
        base_version: 0,
    };
    let mut changes = BTreeMap::new();
    changes.insert("case_id".into(), f(json!(case)));
    changes.insert(
        "kind".into(),
        f(json!(["huisbezoek", "telefoon", "gesprek"][i % 3])),
    );
    changes.insert(
        "at".into(),
        f(json!(format!(
            "2026-0{}-{:02}T{:02}:15:00",
            1 + i % 3,
            1 + i % 28,
            8 + i % 9
        ))),
    );
    changes.insert(
        "outcome".into(),
        f(json!(["bereikt", "niet_thuis", "afspraak"][i % 3])),
    );
    changes.insert("user_id".into(), f(json!(user.to_string())));
    changes.insert(
        "note".into(),
        f(json!(format!(
            "Gesprek {i}: moeder en jongere thuis getroffen, afspraken over schoolbezoek gemaakt."
        ))),
    );
    changes
}

struct Stamps {
    node: String,
    millis: u64,
}

impl Stamps {
    fn next(&mut self) -> String {
        self.millis += 1;
        Hlc {
            millis: self.millis,
            counter: 0,
            node: self.node.clone(),
        }
        .to_string()
    }
}

fn append_op(
    stamps: &mut Stamps,
    entity_id: Uuid,
    changes: BTreeMap<String, FieldChange>,
) -> Operation {
    Operation {
        op_id: Uuid::now_v7(),
        hlc: stamps.next(),
        entity: "contact_moment".into(),
        entity_id: entity_id.to_string(),
        kind: OpKind::Append,
        changes,
    }
}

/// Pushes `ops` in pushes of 5,000 and checks every one was applied.
async fn push_all(client: &Client, ops: &[Operation]) -> Result<()> {
    for batch in ops.chunks(5_000) {
        let answer = client.push(batch).await?;
        let bad = answer
            .results
            .iter()
            .filter(|r| !matches!(r.status, OpStatus::Applied))
            .count();
        ensure!(bad == 0, "{bad} seeding operations were not applied");
    }
    Ok(())
}

fn meldingen_csv(assignments: &[(Uuid, usize)], prefix: &str) -> String {
    let mut csv = String::from(
        "meldingnummer,datum_melding,werkproces,voornaam,achternaam,geboortedatum,gemeente,toelichting,consulent_id\n",
    );
    let mut n = 0;
    for (user, count) in assignments {
        for _ in 0..*count {
            n += 1;
            csv.push_str(&format!(
                "{prefix}-{n},2026-01-{:02},verzuim,Sam,Jansen{n},2011-0{}-{:02},Utrecht,Ongeoorloofd verzuim gemeld door school,{user}\n",
                1 + n % 28,
                1 + n % 9,
                1 + n % 28,
            ));
        }
    }
    csv
}

#[tokio::main]
async fn main() -> Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let scale = if quick { QUICK } else { FULL };
    let moments = scale.cases * scale.moments_per_case;
    println!(
        "Sync benchmark: {} cases, {moments} contact moments, {} devices at once{}",
        scale.cases,
        scale.devices,
        if quick { " (quick)" } else { "" }
    );

    // ---- the bureau and the seeded caseload ---------------------------
    let bureau = Bureau::new()?;
    let server = bureau.serve()?;
    let url = server.url();
    let consultant = bureau.add_user("Anna de Boer", "leerplichtambtenaar")?;
    let seeding = Instant::now();
    let cases = bureau.import_meldingen(&meldingen_csv(&[(consultant, scale.cases)], "B"))?;
    ensure!(cases.len() == scale.cases, "{} cases imported", cases.len());
    let seeder = enroll(&url, &bureau.enrollment_code(consultant)?).await?;
    let (_, seeder_creds) = seeder.vault.with(|v| credentials(v))??;
    let mut stamps = Stamps {
        node: seeder_creds.device_id.to_string(),
        millis: 1_770_000_000_000,
    };
    let ops: Vec<Operation> = cases
        .iter()
        .flat_map(|case| (0..scale.moments_per_case).map(move |i| (case.clone(), i)))
        .enumerate()
        .map(|(n, (case, _))| {
            append_op(
                &mut stamps,
                Uuid::now_v7(),
                moment_fields(&case, consultant, n),
            )
        })
        .collect();
    push_all(&seeder.client, &ops).await?;
    let records = (scale.cases * 3 + moments) as u64;
    println!(
        "Seeded {records} records in {:.1} s (not measured)",
        seeding.elapsed().as_secs_f64()
    );

    // ---- first sync of a fresh device ---------------------------------
    let device = enroll(&url, &bureau.enrollment_code(consultant)?).await?;
    let started = Instant::now();
    let first = sync_once(&device.vault, &device.client).await?;
    let first_time = started.elapsed();
    ensure!(
        first.pulled == records,
        "first sync pulled {} of {records}",
        first.pulled
    );
    println!(
        "First sync: {} records in {} pages, {:.1} MB on the wire (bodies), {:.0} ms",
        first.pulled,
        first.pages,
        first.wire.received as f64 / 1e6,
        ms(first_time)
    );

    // Baseline: the same requests and vault writes, one record per page, on
    // a sample (the whole caseload would take minutes).
    let naive = enroll(&url, &bureau.enrollment_code(consultant)?).await?;
    let sample = scale.naive_sample;
    let started = Instant::now();
    let mut cursor = 0;
    let mut pulled = 0u64;
    while pulled < sample {
        let page = naive.client.pull(cursor, 1).await?;
        pulled += page.changes.len() as u64;
        cursor = page.next_cursor;
        naive
            .vault
            .run(move |v| v.apply_pull(&page).map(drop).map_err(Into::into))
            .await?;
    }
    let naive_time = started.elapsed().mul_f64(records as f64 / sample as f64);
    println!(
        "Naive baseline: one record per page, {sample} records measured, extrapolated to {records}: {:.1} s",
        naive_time.as_secs_f64()
    );
    println!(
        "Reference: CommCare reports 172 s for the first restore of 500 cases (not measured here)."
    );
    bench(
        &format!(
            "first sync, fresh device, {} cases / {moments} contact moments (CommCare: 172 s for 500 cases)",
            scale.cases
        ),
        first_time.as_secs_f64(),
        "s",
        Some(naive_time.as_secs_f64()),
        Some("< 2 s"),
    );

    // ---- incremental sync with nothing new ----------------------------
    let mut idle = Vec::new();
    for _ in 0..scale.idle_syncs {
        let started = Instant::now();
        let s = sync_once(&device.vault, &device.client).await?;
        idle.push(started.elapsed());
        ensure!(s.pulled == 0 && s.pushed == 0, "nothing new: {s:?}");
    }
    idle.sort();
    bench(
        "incremental sync, nothing new (median; baseline: pulling everything again)",
        ms(percentile(&idle, 50.0)),
        "ms",
        Some(ms(first_time)),
        Some("< 20 ms"),
    );

    // ---- pushing 1,000 operations ---------------------------------------
    let case_ids: Vec<Uuid> = cases
        .iter()
        .filter_map(|c| Uuid::parse_str(c).ok())
        .collect();
    let n = scale.pushed_ops;
    device.vault.with(|v| {
        let user = v.user_id();
        let batch: Vec<Mutation> = (0..n)
            .map(|i| {
                Mutation::append("contact_moment", Uuid::now_v7())
                    .set("case_id", case_ids[i % case_ids.len()].to_string())
                    .set("kind", "telefoon")
                    .set("at", "2026-03-02T09:30:00")
                    .set("outcome", "bereikt")
                    .set(
                        "note",
                        format!("Telefoongesprek {i} met de moeder over het verzuim."),
                    )
            })
            .collect();
        v.apply_batch(user, batch)
    })??;
    let started = Instant::now();
    let pushed = sync_once(&device.vault, &device.client).await?;
    let push_time = started.elapsed();
    ensure!(pushed.pushed == n as u64, "{pushed:?}");

    // Baseline: the same number of operations, one per request.
    let mut stamps = Stamps {
        node: seeder_creds.device_id.to_string(),
        millis: 1_780_000_000_000,
    };
    let singles: Vec<Operation> = (0..n)
        .map(|i| {
            append_op(
                &mut stamps,
                Uuid::now_v7(),
                moment_fields(&cases[i % cases.len()], consultant, i),
            )
        })
        .collect();
    let started = Instant::now();
    for op in &singles {
        push_all(&seeder.client, std::slice::from_ref(op)).await?;
    }
    let single_time = started.elapsed();
    bench(
        &format!("push {n} operations, whole sync (baseline: one operation per request)"),
        push_time.as_secs_f64(),
        "s",
        Some(single_time.as_secs_f64()),
        Some("< 1 s"),
    );

    // ---- bytes on the wire for an incremental sync ---------------------
    // The seeding device changes 20 records; the measured device syncs
    // through a counting proxy. Catch up first with what the baseline pushed.
    sync_once(&device.vault, &device.client).await?;
    let proxy = Proxy::start(server.addr).await?;
    let (_, creds) = device.vault.with(|v| credentials(v))??;
    let via_proxy = Client::new(&proxy.url())?.with_credentials(&creds)?;
    let changed: Vec<Operation> = (0..20)
        .map(|i| {
            append_op(
                &mut stamps,
                Uuid::now_v7(),
                moment_fields(&cases[i * 7 % cases.len()], consultant, i),
            )
        })
        .collect();
    push_all(&seeder.client, &changed).await?;
    let before = proxy.bytes();
    let s = sync_once(&device.vault, &via_proxy).await?;
    let after = proxy.bytes();
    ensure!(s.pulled == 20, "{s:?}");
    let wire = (after.0 - before.0) + (after.1 - before.1);
    // What the changed records weigh: their fields as JSON, field names
    // and values, without protocol envelope.
    let record_bytes: usize = changed
        .iter()
        .map(|op| {
            let fields: BTreeMap<&String, &Value> =
                op.changes.iter().map(|(k, c)| (k, &c.value)).collect();
            serde_json::to_vec(&fields).map(|v| v.len()).unwrap_or(0)
        })
        .sum();
    bench(
        "incremental sync of 20 changed records: bytes on the wire, HTTP included (baseline: the records as JSON)",
        wire as f64,
        "bytes",
        Some(record_bytes as f64),
        None,
    );
    drop(proxy);

    // ---- many devices at once -----------------------------------------
    let per_user = scale.devices / scale.users;
    let mut users = Vec::new();
    for i in 0..scale.users {
        users.push(bureau.add_user(&format!("Consulent {i}"), "doorstroomcoach")?);
    }
    bureau.import_meldingen(&meldingen_csv(
        &users.iter().map(|u| (*u, 10)).collect::<Vec<_>>(),
        "D",
    ))?;
    let codes = codes_in_parallel(&bureau, &users, per_user)?;
    let mut devices = Vec::new();
    for code in &codes {
        let d = enroll(&url, code).await?;
        sync_once(&d.vault, &d.client).await?;
        devices.push(d);
    }
    // Each device has two new contact moments to push and its caseload's
    // news to pull; then all sync at once.
    for (i, d) in devices.iter().enumerate() {
        d.vault.with(|v| -> Result<()> {
            let user = v.user_id();
            let case = v.records("case")?.first().map(|r| r.id).context("a case")?;
            for k in 0..2 {
                v.apply(
                    user,
                    Mutation::append("contact_moment", Uuid::now_v7())
                        .set("case_id", case.to_string())
                        .set("kind", "telefoon")
                        .set("at", "2026-03-03T10:00:00")
                        .set("outcome", "bereikt")
                        .set("note", format!("Apparaat {i}, gesprek {k}")),
                )?;
            }
            Ok(())
        })??;
    }
    let together = run_together(&devices).await;
    let errors = together.iter().filter(|r| r.is_err()).count();
    let mut times: Vec<Duration> = together.into_iter().filter_map(|r| r.ok()).collect();
    times.sort();
    // Baseline: the same syncs (nothing new by now) one device at a time.
    let mut alone = Vec::new();
    for d in &devices {
        let started = Instant::now();
        sync_once(&d.vault, &d.client).await?;
        alone.push(started.elapsed());
    }
    alone.sort();
    println!(
        "{} devices at once: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms, {errors} errors",
        devices.len(),
        ms(percentile(&times, 50.0)),
        ms(percentile(&times, 95.0)),
        ms(percentile(&times, 100.0)),
    );
    bench(
        &format!(
            "{} devices syncing at once: p95 (baseline: p95 one at a time)",
            devices.len()
        ),
        ms(percentile(&times, 95.0)),
        "ms",
        Some(ms(percentile(&alone, 95.0))),
        Some("< 500 ms"),
    );
    bench(
        &format!("{} devices syncing at once: errors", devices.len()),
        errors as f64,
        "count",
        None,
        Some("0"),
    );
    ensure!(errors == 0, "{errors} devices failed to sync");
    drop(server);
    Ok(())
}

/// Enrollment codes, `per_user` for each of `users`, from the admin CLI on
/// a few threads.
fn codes_in_parallel(bureau: &Bureau, users: &[Uuid], per_user: usize) -> Result<Vec<String>> {
    let wanted: Vec<Uuid> = users
        .iter()
        .flat_map(|u| std::iter::repeat_n(*u, per_user))
        .collect();
    let chunks: Vec<&[Uuid]> = wanted.chunks(wanted.len().div_ceil(4).max(1)).collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                s.spawn(move || -> Result<Vec<String>> {
                    chunk.iter().map(|u| bureau.enrollment_code(*u)).collect()
                })
            })
            .collect();
        let mut codes = Vec::new();
        for h in handles {
            codes.extend(
                h.join()
                    .map_err(|_| anyhow::anyhow!("a code thread panicked"))??,
            );
        }
        Ok(codes)
    })
}

/// Every device syncs at the same moment; each one's time from the start.
async fn run_together(devices: &[Device]) -> Vec<Result<Duration>> {
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(devices.len()));
    let tasks: Vec<_> = devices
        .iter()
        .map(|d| {
            let (vault, client, start) = (d.vault.clone(), d.client.clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                let started = Instant::now();
                sync_once(&vault, &client)
                    .await
                    .map(|_| started.elapsed())
                    .map_err(anyhow::Error::from)
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.map_err(anyhow::Error::from).and_then(|r| r));
    }
    out
}
