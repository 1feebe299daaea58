//! Two consultants and an admin: enrollment, assignment, offline work on
//! own and shared cases, reconnection, convergence and a conflict; a case
//! entered offline that closed long before retention is stored, not refused.

use std::collections::BTreeMap;

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};
use uuid::Uuid;
use veldwerk_protocol::entities::{CASE, CONTACT_MOMENT, MELDING, YOUTH};
use veldwerk_sync::SyncErrorKind;
use veldwerk_vault::{ConflictChoice, Mutation};

use crate::support::{Device, Office, contact_moment, uuid};

type Tree = BTreeMap<(String, Uuid), BTreeMap<String, Value>>;

/// The records of one case as a device holds them: the case, its youth, its
/// meldingen and contact moments.
fn case_tree(dev: &Device, case: Uuid) -> Result<Tree> {
    let youth = dev.field(CASE, case, "youth_id")?;
    let case_text = json!(case.to_string());
    Ok(dev
        .snapshot(&[CASE, YOUTH, MELDING, CONTACT_MOMENT])?
        .into_iter()
        .filter(|((entity, id), fields)| match entity.as_str() {
            "case" => *id == case,
            "youth" => json!(id.to_string()) == youth,
            _ => fields.get("case_id") == Some(&case_text),
        })
        .collect())
}

#[tokio::test]
async fn two_consultants_work_offline_on_own_and_shared_cases_and_every_device_converges()
-> Result<()> {
    let office = Office::open().await?;
    let anna = office.staff("Anna de Boer", "leerplichtambtenaar").await?;
    let bram = office.staff("Bram Visser", "doorstroomcoach").await?;
    let annas = uuid(&office.bureau.new_case(anna.user, "Jansen")?)?;
    let brams = uuid(&office.bureau.new_case(bram.user, "Bakker")?)?;
    let shared = uuid(&office.bureau.new_case(anna.user, "Yilmaz")?)?;
    office.bureau.share(&shared.to_string(), bram.user)?;
    anna.sync().await?;
    bram.sync().await?;
    ensure!(anna.has(CASE, annas)? && anna.has(CASE, shared)? && !anna.has(CASE, brams)?);
    ensure!(bram.has(CASE, brams)? && bram.has(CASE, shared)? && !bram.has(CASE, annas)?);

    // On the road, without a connection.
    office.proxy.set_offline(true);
    let (annas_visit, m) = contact_moment(annas, "Niemand thuis, kaartje achtergelaten");
    anna.apply(m)?;
    let (annas_call, m) = contact_moment(shared, "Moeder gebeld");
    anna.apply(m)?;
    anna.apply(Mutation::update(CASE, shared).set("status", "wacht_op_school"))?;
    let (brams_visit, m) = contact_moment(brams, "Gesprek met jongere");
    bram.apply(m)?;
    let (brams_talk, m) = contact_moment(shared, "School gesproken");
    bram.apply(m)?;
    bram.apply(Mutation::update(CASE, shared).set("status", "huisbezoek_gepland"))?;
    bram.apply(Mutation::update(CASE, shared).set("gemeente", "Zeist"))?;
    for (dev, pending) in [(&anna, 3), (&bram, 4)] {
        let err = dev.sync().await.err().context("no connection")?;
        ensure!(err.kind() == SyncErrorKind::Offline, "{err:?}");
        ensure!(dev.pending()? == pending, "the work waits on the device");
    }

    // Back at the office.
    office.proxy.set_offline(false);
    anna.sync().await?;
    bram.sync().await?;
    anna.settle().await?;
    bram.settle().await?;
    ensure!(anna.pending()? == 0 && bram.pending()? == 0);

    // Both hold the same shared case, with everyone's contact moments.
    let (a_view, b_view) = (case_tree(&anna, shared)?, case_tree(&bram, shared)?);
    ensure!(
        a_view == b_view,
        "the shared case differs:\n{a_view:?}\n{b_view:?}"
    );
    for moment in [annas_call, brams_talk] {
        ensure!(a_view.contains_key(&(CONTACT_MOMENT.to_owned(), moment)));
    }
    ensure!(
        anna.field(CASE, shared, "gemeente")? == json!("Zeist"),
        "other fields merge"
    );
    // Each keeps their own case to themselves.
    ensure!(anna.has(CONTACT_MOMENT, annas_visit)? && !bram.has(CONTACT_MOMENT, annas_visit)?);
    ensure!(bram.has(CONTACT_MOMENT, brams_visit)? && !anna.has(CONTACT_MOMENT, brams_visit)?);
    ensure!(!anna.has(CASE, brams)? && !bram.has(CASE, annas)?);

    // The same field was changed twice: one conflict, seen by both.
    let (a_conflicts, b_conflicts) = (anna.open_conflicts()?, bram.open_conflicts()?);
    ensure!(
        a_conflicts.len() == 1 && b_conflicts.len() == 1,
        "{a_conflicts:?} {b_conflicts:?}"
    );
    let conflict = &a_conflicts[0];
    ensure!(conflict.id == b_conflicts[0].id && conflict.field == "status");
    let values = [conflict.kept_value.clone(), conflict.other_value.clone()];
    ensure!(
        values.contains(&json!("wacht_op_school")) && values.contains(&json!("huisbezoek_gepland"))
    );
    ensure!(anna.field(CASE, shared, "status")? == conflict.kept_value);

    // Bram settles it for the value the server set aside; it reaches Anna.
    let chosen = conflict.other_value.clone();
    let id = conflict.id;
    bram.vault
        .with(|v| v.resolve_conflict(id, ConflictChoice::Other))??;
    bram.settle().await?;
    anna.settle().await?;
    ensure!(anna.open_conflicts()?.is_empty() && bram.open_conflicts()?.is_empty());
    for dev in [&anna, &bram] {
        ensure!(dev.field(CASE, shared, "status")? == chosen);
    }
    ensure!(case_tree(&anna, shared)? == case_tree(&bram, shared)?);
    Ok(())
}

#[tokio::test]
async fn a_consultant_offline_enters_an_old_closed_case_and_a_new_one_for_the_same_youth_and_nothing_is_lost()
-> Result<()> {
    let office = Office::open().await?;
    let anna = office.staff("Anna de Boer", "leerplichtambtenaar").await?;
    office.proxy.set_offline(true);
    // A youth with a case closed long before the retention period (from a
    // paper file) and, after a new report, a new case.
    let (youth, old_case, new_case) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    anna.apply(
        Mutation::insert(YOUTH, youth)
            .set("voornaam", "Sam")
            .set("achternaam", "Jansen")
            .set("geboortedatum", "2011-05-14"),
    )?;
    anna.apply(
        Mutation::insert(CASE, old_case)
            .set("youth_id", youth.to_string())
            .set("werkproces", "verzuim")
            .set("status", "gesloten")
            .set("opened_on", "2024-09-02")
            .set("closed_on", "2025-01-31"),
    )?;
    let (old_visit, m) = contact_moment(old_case, "Huisbezoek, verzuim besproken");
    anna.apply(m)?;
    anna.apply(
        Mutation::insert(CASE, new_case)
            .set("youth_id", youth.to_string())
            .set("werkproces", "verzuim")
            .set("status", "open")
            .set("opened_on", "2026-03-02"),
    )?;
    let (new_visit, m) = contact_moment(new_case, "Niemand thuis");
    anna.apply(m)?;
    let err = anna.sync().await.err().context("no connection")?;
    ensure!(err.kind() == SyncErrorKind::Offline, "{err:?}");
    ensure!(anna.pending()? == 5, "the work waits on the device");

    office.proxy.set_offline(false);
    let summary = anna.sync().await?;
    ensure!(summary.rejected == 0, "refused: {summary:?}");
    anna.settle().await?;
    ensure!(anna.pending()? == 0);
    // The server keeps all of it; the old case leaves the device as usual.
    let store = office.store()?;
    for (entity, id) in [
        (YOUTH, youth),
        (CASE, old_case),
        (CONTACT_MOMENT, old_visit),
        (CASE, new_case),
        (CONTACT_MOMENT, new_visit),
    ] {
        ensure!(
            store.record_values(entity, &id.to_string())?.is_some(),
            "{entity} not on the server"
        );
    }
    ensure!(!anna.has(CASE, old_case)? && !anna.has(CONTACT_MOMENT, old_visit)?);
    ensure!(
        anna.has(CASE, new_case)?
            && anna.has(YOUTH, youth)?
            && anna.has(CONTACT_MOMENT, new_visit)?
    );
    Ok(())
}
