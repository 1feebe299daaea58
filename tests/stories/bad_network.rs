//! A network that drops in the middle of a push or a pull, a server that
//! dies in the middle of a sync, and a user who works on meanwhile: after a
//! retry nothing is lost and nothing is applied twice.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use uuid::Uuid;
use veldwerk_e2e::proxy::Direction;
use veldwerk_protocol::entities::{CASE, CONTACT_MOMENT};
use veldwerk_sync::{SyncEngine, SyncErrorKind, SyncOptions};

use crate::support::{DEADLINE, Device, Office, contact_moment, uuid};

/// How often the server applied each operation, from its audit trail.
fn applied_counts(office: &Office) -> Result<BTreeMap<String, usize>> {
    let mut counts = BTreeMap::new();
    for entry in office.store()?.audit_trail()? {
        if entry.action == "push_applied"
            && let Some(op) = entry.op_id
        {
            *counts.entry(op).or_insert(0) += 1;
        }
    }
    Ok(counts)
}

/// `n` contact moments on `case`, recorded offline; their ids.
fn record_moments(dev: &Device, case: Uuid, n: usize) -> Result<Vec<Uuid>> {
    (0..n)
        .map(|i| {
            let (id, m) = contact_moment(case, &format!("Bezoek {i}"));
            dev.apply(m).map(|()| id)
        })
        .collect()
}

fn outbox_ids(dev: &Device) -> Result<Vec<String>> {
    Ok(dev
        .vault
        .with(|v| v.outbox(10_000))??
        .into_iter()
        .map(|op| op.op_id.to_string())
        .collect())
}

/// Every pushed operation was applied exactly once, and the server has
/// every contact moment.
fn exactly_once(office: &Office, op_ids: &[String], moments: &[Uuid]) -> Result<()> {
    let counts = applied_counts(office)?;
    for op in op_ids {
        ensure!(
            counts.get(op) == Some(&1),
            "operation {op} applied {:?} times",
            counts.get(op)
        );
    }
    let store = office.store()?;
    for m in moments {
        ensure!(
            store
                .record_values(CONTACT_MOMENT, &m.to_string())?
                .is_some(),
            "contact moment {m} on the server"
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_push_cut_off_on_its_way_or_on_its_answer_is_retried_and_applied_exactly_once()
-> Result<()> {
    let office = Office::open().await?;
    let anna = office.staff("Anna", "leerplichtambtenaar").await?;
    let case = uuid(&office.bureau.new_case(anna.user, "Jansen")?)?;
    anna.sync().await?;

    // The request breaks off: the server gets half a body and applies nothing.
    let first = record_moments(&anna, case, 40)?;
    let first_ops = outbox_ids(&anna)?;
    let before = office.row_counts()?;
    office.proxy.cut_after(Direction::ToServer, 700);
    let err = anna.sync().await.err().context("the push breaks off")?;
    ensure!(err.kind() == SyncErrorKind::Offline, "{err:?}");
    ensure!(office.proxy.cuts() == 1);
    ensure!(
        office.row_counts()?.operations == before.operations,
        "nothing applied"
    );
    ensure!(anna.pending()? == 40, "nothing lost");
    let retry = anna.sync().await?;
    ensure!(retry.pushed == 40, "{retry:?}");

    // The answer breaks off: the server applied it, the device does not know.
    let second = record_moments(&anna, case, 40)?;
    let second_ops = outbox_ids(&anna)?;
    office.proxy.cut_after(Direction::ToDevice, 60);
    let err = anna.sync().await.err().context("the answer breaks off")?;
    ensure!(err.kind() == SyncErrorKind::Offline, "{err:?}");
    ensure!(anna.pending()? == 40, "the device still has its outbox");
    let retry = anna.sync().await?;
    ensure!(retry.pushed == 40 && retry.rejected == 0, "{retry:?}");
    ensure!(anna.pending()? == 0);

    let ops: Vec<String> = first_ops.into_iter().chain(second_ops).collect();
    let moments: Vec<Uuid> = first.into_iter().chain(second).collect();
    exactly_once(&office, &ops, &moments)?;
    let again = anna.sync().await?;
    ensure!(
        !again.full_resync,
        "device and server agree on what was pushed"
    );
    Ok(())
}

#[tokio::test]
async fn a_pull_cut_off_midway_keeps_whole_pages_and_the_retry_brings_only_the_rest() -> Result<()>
{
    let office = Office::open().await?;
    let anna = office.staff("Anna", "leerplichtambtenaar").await?;
    let twin = office.device_for(anna.user).await?;
    let mut csv = String::from(
        "meldingnummer,datum_melding,werkproces,voornaam,achternaam,geboortedatum,gemeente,consulent_id\n",
    );
    for i in 0..30 {
        csv.push_str(&format!(
            "P-{i},2026-02-02,verzuim,Kim,Smit{i},2011-01-15,Utrecht,{}\n",
            anna.user
        ));
    }
    office.bureau.import_meldingen(&csv)?;
    let paged = |dev: &Device| {
        SyncEngine::new(dev.vault.clone(), dev.client.clone()).with_options(SyncOptions {
            pull_limit: 10,
            ..SyncOptions::default()
        })
    };
    // The twin measures what a whole first sync costs on the wire.
    let (_, down_before) = office.proxy.bytes();
    let full = paged(&twin).sync_once().await?;
    ensure!(full.pulled == 90 && full.pages == 9, "{full:?}");
    let whole = office.proxy.bytes().1 - down_before;

    office.proxy.cut_after(Direction::ToDevice, whole / 2);
    let err = paged(&anna)
        .sync_once()
        .await
        .err()
        .context("the pull breaks off")?;
    ensure!(err.kind() == SyncErrorKind::Offline, "{err:?}");
    let count =
        |dev: &Device| -> Result<usize> { Ok(dev.snapshot(&[CASE, "youth", "melding"])?.len()) };
    let kept = count(&anna)?;
    ensure!(
        kept > 0 && kept < 90,
        "part of the caseload arrived: {kept}"
    );
    ensure!(kept % 10 == 0, "only whole pages are applied: {kept}");
    let cursor = anna.vault.with(|v| v.sync_cursor())??;
    ensure!(cursor > 0, "the cursor of the last whole page is stored");

    let rest = paged(&anna).sync_once().await?;
    ensure!(
        rest.pulled as usize == 90 - kept,
        "only the rest is pulled again: {rest:?}"
    );
    ensure!(count(&anna)? == 90);
    ensure!(
        anna.snapshot(&[CASE, "youth", "melding"])?
            == twin.snapshot(&[CASE, "youth", "melding"])?
    );
    Ok(())
}

/// Kills the server, drops every open connection (with any answer held in
/// the proxy), starts the server again and lets traffic through.
fn restart_dropping_connections(office: &mut Office) -> Result<()> {
    office.proxy.set_offline(true);
    office.restart_server()?;
    office.proxy.hold_answers(false);
    office.proxy.set_offline(false);
    Ok(())
}

#[tokio::test]
async fn a_server_restarted_in_the_middle_of_a_sync_loses_nothing_and_applies_nothing_twice()
-> Result<()> {
    let mut office = Office::open().await?;
    let anna = office.staff("Anna", "leerplichtambtenaar").await?;
    let case = uuid(&office.bureau.new_case(anna.user, "Jansen")?)?;
    anna.sync().await?;
    let moments = record_moments(&anna, case, 30)?;
    let ops = outbox_ids(&anna)?;

    // The push reaches the server; its answer is held up; the server dies
    // and the connection with it. Whether the server had committed the push
    // by then is up to chance: either way must end well.
    office.proxy.hold_answers(true);
    let (up_before, _) = office.proxy.bytes();
    let vault = anna.vault.clone();
    let client = anna.client.clone();
    let syncing = tokio::spawn(async move { veldwerk_sync::sync_once(&vault, &client).await });
    ensure!(
        office.proxy.request_passed(up_before, DEADLINE).await,
        "the push went out"
    );
    restart_dropping_connections(&mut office)?;
    let interrupted = syncing.await?;
    ensure!(
        interrupted
            .as_ref()
            .err()
            .is_some_and(|e| e.kind() == SyncErrorKind::Offline),
        "{interrupted:?}"
    );

    // A pull in progress meets a restart too.
    let late = office.device_for(anna.user).await?;
    office.proxy.hold_answers(true);
    let (up_before, _) = office.proxy.bytes();
    let vault = late.vault.clone();
    let client = late.client.clone();
    let pulling = tokio::spawn(async move { veldwerk_sync::sync_once(&vault, &client).await });
    ensure!(
        office.proxy.request_passed(up_before, DEADLINE).await,
        "the pull went out"
    );
    restart_dropping_connections(&mut office)?;
    ensure!(pulling.await?.is_err(), "the pull broke off");

    anna.settle().await?;
    late.settle().await?;
    ensure!(anna.pending()? == 0);
    exactly_once(&office, &ops, &moments)?;
    for m in &moments {
        ensure!(late.has(CONTACT_MOMENT, *m)?, "the other device has {m}");
    }
    ensure!(!anna.sync().await?.full_resync && !late.sync().await?.full_resync);
    Ok(())
}

#[tokio::test]
async fn the_user_keeps_working_while_a_sync_waits_on_the_network() -> Result<()> {
    let office = Office::open().await?;
    let anna = office.staff("Anna", "leerplichtambtenaar").await?;
    let case = uuid(&office.bureau.new_case(anna.user, "Jansen")?)?;
    anna.sync().await?;

    office.proxy.hold_answers(true);
    let (up_before, _) = office.proxy.bytes();
    let vault = anna.vault.clone();
    let client = anna.client.clone();
    let syncing = tokio::spawn(async move { veldwerk_sync::sync_once(&vault, &client).await });
    ensure!(
        office.proxy.request_passed(up_before, DEADLINE).await,
        "the sync is under way"
    );

    // Ten changes while the sync waits for its answer: none waits for it.
    let mut slowest = Duration::ZERO;
    for i in 0..10 {
        let started = Instant::now();
        anna.apply(contact_moment(case, &format!("Tijdens sync {i}")).1)?;
        slowest = slowest.max(started.elapsed());
    }
    ensure!(
        slowest < Duration::from_secs(2),
        "a change waited {slowest:?}"
    );
    ensure!(!syncing.is_finished(), "the sync was still waiting");

    office.proxy.hold_answers(false);
    syncing.await??;
    ensure!(
        anna.pending()? == 10,
        "the changes are kept for the next sync"
    );
    let next = anna.sync().await?;
    ensure!(next.pushed == 10, "{next:?}");
    Ok(())
}
