//! The server decides scope: reassigning moves a case with its whole
//! history, revoking wipes a device, and crafted requests learn nothing.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};
use uuid::Uuid;
use veldwerk_protocol::entities::{CASE, CONTACT_MOMENT, CONTACT_PERSON, MELDING, TASK, YOUTH};
use veldwerk_protocol::{FieldChange, Hlc, OpKind, Operation, PROTOCOL_VERSION, paths};
use veldwerk_sync::SyncError;
use veldwerk_vault::Mutation;

use crate::support::{Device, Office, contact_moment, raw_post, uuid};

const ENTITIES: [&str; 6] = [CASE, YOUTH, MELDING, CONTACT_MOMENT, TASK, CONTACT_PERSON];

type Tree = BTreeMap<(String, Uuid), BTreeMap<String, Value>>;

/// Every record on a device that belongs to `case` (itself, its youth and
/// what hangs off either).
fn tree(dev: &Device, case: Uuid) -> Result<Tree> {
    let youth = dev.field(CASE, case, "youth_id")?;
    let case_id = json!(case.to_string());
    Ok(dev
        .snapshot(&ENTITIES)?
        .into_iter()
        .filter(|((entity, id), f)| {
            (entity == CASE && *id == case)
                || (entity == YOUTH && json!(id.to_string()) == youth)
                || f.get("case_id") == Some(&case_id)
                || (entity != CASE && f.get("youth_id") == Some(&youth))
        })
        .collect())
}

/// Anna's work on `case`: contact moments, a task, a parent.
fn work_on(dev: &Device, case: Uuid) -> Result<()> {
    for note in ["Huisbezoek", "Telefoon moeder", "Gesprek school"] {
        dev.apply(contact_moment(case, note).1)?;
    }
    dev.apply(
        Mutation::insert(TASK, Uuid::now_v7())
            .set("case_id", case.to_string())
            .set("title", "Verzuimgesprek plannen")
            .set("done", false)
            .set("due_date", "2026-03-16"),
    )?;
    let youth = dev.field(CASE, case, "youth_id")?;
    dev.apply(
        Mutation::insert(CONTACT_PERSON, Uuid::now_v7())
            .set("youth_id", youth)
            .set("achternaam", "Jansen")
            .set("relatie", "moeder")
            .set("verantwoordelijk", true),
    )?;
    Ok(())
}

#[tokio::test]
async fn a_reassigned_case_leaves_the_first_device_and_arrives_on_the_second_with_its_full_history()
-> Result<()> {
    let office = Office::open().await?;
    let anna = office.staff("Anna", "leerplichtambtenaar").await?;
    let bram = office.staff("Bram", "leerplichtambtenaar").await?;
    let case = uuid(&office.bureau.new_case(anna.user, "Jansen")?)?;
    anna.sync().await?;
    bram.sync().await?;
    work_on(&anna, case)?;
    anna.settle().await?;
    let history = tree(&anna, case)?;
    ensure!(
        history.len() == 8,
        "case, youth, melding, 3 moments, task, parent: {}",
        history.len()
    );

    office.bureau.assign(&case.to_string(), bram.user)?;
    let gone = anna.sync().await?;
    ensure!(gone.purged >= 8, "{gone:?}");
    for (entity, id) in history.keys() {
        ensure!(!anna.has(entity, *id)?, "{entity} {id} left Anna's device");
    }
    bram.sync().await?;
    ensure!(bram.field(CASE, case, "assigned_user_id")? == json!(bram.user.to_string()));
    // Everything but the assignment itself is as Anna left it.
    let unassigned = |mut t: Tree| {
        if let Some(f) = t.get_mut(&(CASE.to_owned(), case)) {
            f.remove("assigned_user_id");
        }
        t
    };
    let arrived = unassigned(tree(&bram, case)?);
    let history = unassigned(history);
    ensure!(
        arrived == history,
        "Bram has the full history:\n{arrived:?}\n{history:?}"
    );
    Ok(())
}

#[tokio::test]
async fn a_revoked_device_wipes_its_vault_at_its_next_contact_and_the_users_other_device_carries_on()
-> Result<()> {
    let office = Office::open().await?;
    let bram = office.staff("Bram", "doorstroomcoach").await?;
    let spare = office.device_for(bram.user).await?;
    let case = uuid(&office.bureau.new_case(bram.user, "Bakker")?)?;
    bram.sync().await?;
    ensure!(bram.has(CASE, case)?);

    office.bureau.revoke(bram.device_id)?;
    let err = bram
        .sync()
        .await
        .err()
        .context("the revoked device is refused")?;
    ensure!(matches!(err, SyncError::Revoked), "{err:?}");
    ensure!(
        err.message_nl()
            .starts_with("Dit apparaat is afgemeld door uw bureau.")
    );
    ensure!(!bram.vault.is_unlocked(), "the vault is gone from the app");
    ensure!(!veldwerk_vault::exists(bram.dir.path()));
    let left: Vec<String> = std::fs::read_dir(bram.dir.path())?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    ensure!(
        left.is_empty(),
        "every file of the vault is deleted: {left:?}"
    );

    spare.sync().await?;
    ensure!(
        spare.has(CASE, case)?,
        "the user's other device is not affected"
    );
    Ok(())
}

fn op(node: Uuid, entity: &str, id: &str, kind: OpKind, fields: Value) -> Operation {
    let changes = fields
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        FieldChange {
                            value: v.clone(),
                            base_version: 1,
                        },
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Operation {
        op_id: Uuid::now_v7(),
        hlc: Hlc {
            millis: u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0),
            counter: 0,
            node: node.to_string(),
        }
        .to_string(),
        entity: entity.into(),
        entity_id: id.into(),
        kind,
        changes,
    }
}

/// Crafted operations aimed at a case, its youth, one of its tasks and one
/// of its conflicts.
fn crafted(node: Uuid, case: &str, youth: &str, task: &str, conflict: &str) -> Vec<Operation> {
    vec![
        op(
            node,
            CASE,
            case,
            OpKind::Update,
            json!({"status": "gesloten"}),
        ),
        op(
            node,
            CONTACT_MOMENT,
            &Uuid::now_v7().to_string(),
            OpKind::Append,
            json!({"case_id": case, "kind": "telefoon"}),
        ),
        op(
            node,
            TASK,
            &Uuid::now_v7().to_string(),
            OpKind::Insert,
            json!({"case_id": case, "title": "x", "done": false}),
        ),
        op(
            node,
            YOUTH,
            youth,
            OpKind::Update,
            json!({"achternaam": "Anders"}),
        ),
        op(
            node,
            CONTACT_PERSON,
            &Uuid::now_v7().to_string(),
            OpKind::Insert,
            json!({"youth_id": youth, "achternaam": "X"}),
        ),
        op(node, TASK, task, OpKind::Delete, json!({})),
        Operation::resolve_conflict(
            Uuid::now_v7(),
            op(node, CASE, case, OpKind::Update, json!({})).hlc,
            uuid(conflict).unwrap_or_default(),
        ),
    ]
}

async fn push_raw(url: &str, bearer: &str, ops: &[Operation]) -> Result<Vec<Value>> {
    let body =
        serde_json::to_vec(&json!({"protocol_version": PROTOCOL_VERSION, "operations": ops}))?;
    let (status, answer) = raw_post(
        url,
        paths::PUSH,
        &[("Authorization", bearer.to_owned())],
        body,
    )
    .await?;
    ensure!(status == 200, "push answered {status}: {answer}");
    let results = answer["results"].as_array().context("results")?;
    // The statuses without op ids and sequence numbers, to compare.
    Ok(results
        .iter()
        .map(|r| json!({"status": r["status"], "reason": r["reason"]}))
        .collect())
}

#[tokio::test]
async fn a_consultant_cannot_pull_push_to_or_learn_of_a_case_outside_their_scope() -> Result<()> {
    let office = Office::open().await?;
    let anna = office.staff("Anna", "leerplichtambtenaar").await?;
    let annas_laptop = office.device_for(anna.user).await?;
    let bram = office.staff("Bram", "leerplichtambtenaar").await?;
    let case = uuid(&office.bureau.new_case(anna.user, "Jansen")?)?;
    // A case Bram had once: he knows its ids.
    let was_brams = uuid(&office.bureau.new_case(bram.user, "Bakker")?)?;
    anna.sync().await?;
    annas_laptop.sync().await?;
    bram.sync().await?;
    let was_brams_youth = bram.field(CASE, was_brams, "youth_id")?;
    office.bureau.assign(&was_brams.to_string(), anna.user)?;
    bram.sync().await?;
    ensure!(!bram.has(CASE, was_brams)?);

    // Anna's case gets a task and a conflict between her two devices.
    let task = Uuid::now_v7();
    anna.apply(
        Mutation::insert(TASK, task)
            .set("case_id", case.to_string())
            .set("title", "Leerplichtgesprek")
            .set("done", false),
    )?;
    anna.apply(Mutation::update(CASE, case).set("status", "a"))?;
    annas_laptop.apply(Mutation::update(CASE, case).set("status", "b"))?;
    anna.settle().await?;
    annas_laptop.settle().await?;
    anna.settle().await?;
    let conflict = anna
        .open_conflicts()?
        .first()
        .context("a conflict")?
        .id
        .to_string();
    let youth = anna.field(CASE, case, "youth_id")?;
    let youth = youth.as_str().context("youth id")?.to_owned();
    let before = tree(&anna, case)?;
    let counts_before = office.row_counts()?;

    // Pull: Bram's whole view, from the start, names nothing of Anna's case.
    let bearer = bram.bearer()?;
    let body = serde_json::to_vec(
        &json!({"protocol_version": PROTOCOL_VERSION, "cursor": 0, "limit": 1000}),
    )?;
    let (status, page) = raw_post(
        &office.url(),
        paths::PULL,
        &[("Authorization", bearer.clone())],
        body,
    )
    .await?;
    ensure!(status == 200);
    let text = page.to_string();
    let secret_ids: BTreeSet<String> = before
        .keys()
        .map(|(_, id)| id.to_string())
        .chain([conflict.clone()])
        .collect();
    for id in &secret_ids {
        ensure!(!text.contains(id.as_str()), "Bram's pull mentions {id}");
    }
    ensure!(!text.contains("Jansen"), "nor any of its content");

    // Push: every operation on Anna's case answers exactly as the same
    // operation on ids that exist nowhere, and so does the case Bram lost.
    let nowhere = || Uuid::now_v7().to_string();
    let on_annas = push_raw(
        &office.url(),
        &bearer,
        &crafted(
            bram.device_id,
            &case.to_string(),
            &youth,
            &task.to_string(),
            &conflict,
        ),
    )
    .await?;
    let on_nothing = push_raw(
        &office.url(),
        &bearer,
        &crafted(
            bram.device_id,
            &nowhere(),
            &nowhere(),
            &nowhere(),
            &nowhere(),
        ),
    )
    .await?;
    let on_lost = push_raw(
        &office.url(),
        &bearer,
        &crafted(
            bram.device_id,
            &was_brams.to_string(),
            was_brams_youth.as_str().unwrap_or_default(),
            &nowhere(),
            &nowhere(),
        ),
    )
    .await?;
    ensure!(on_annas == on_nothing, "{on_annas:?}\n{on_nothing:?}");
    ensure!(on_lost == on_nothing, "{on_lost:?}\n{on_nothing:?}");
    ensure!(
        on_annas
            .iter()
            .all(|r| r["status"] == "rejected" && r["reason"] == "not_found"),
        "{on_annas:?}"
    );

    // Nothing of Anna's changed, and no record was written anywhere.
    anna.settle().await?;
    ensure!(tree(&anna, case)? == before);
    ensure!(
        anna.open_conflicts()?.len() == 1,
        "the conflict is still open"
    );
    let counts_after = office.row_counts()?;
    ensure!(
        (
            counts_after.records,
            counts_after.conflicts,
            counts_after.seq
        ) == (
            counts_before.records,
            counts_before.conflicts,
            counts_before.seq
        ),
        "{counts_before:?} -> {counts_after:?}"
    );
    Ok(())
}
