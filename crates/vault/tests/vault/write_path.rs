//! Invariant 2: every change is one transaction with exactly one outbox
//! operation and one audit entry; a failed change writes nothing.

use serde_json::json;
use uuid::Uuid;
use veldwerk_protocol::OpKind;
use veldwerk_vault::{AuditAction, Mutation, Vault, VaultError};

use crate::support::{Fixture, TestResult, case_id, new_task, user};

/// Outbox length, audit length, and every task's version and title.
#[derive(Debug, PartialEq)]
struct State {
    outbox: u64,
    audit: u64,
    tasks: Vec<Option<(u64, serde_json::Value)>>,
}

fn state(vault: &Vault, ids: &[Uuid]) -> Result<State, VaultError> {
    let mut tasks = Vec::new();
    for id in ids {
        tasks.push(vault.record("task", *id)?.map(|r| {
            (
                r.version,
                r.fields.get("title").cloned().unwrap_or_default(),
            )
        }));
    }
    Ok(State {
        outbox: vault.outbox_len()?,
        audit: vault.audit_len()?,
        tasks,
    })
}

#[test]
fn every_mutation_kind_writes_one_outbox_operation_and_one_audit_entry() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    let id = Uuid::now_v7();

    let inserted = vault.apply(user(), new_task(id, "Bel moeder"))?;
    assert_eq!((vault.outbox_len()?, vault.audit_len()?), (1, 1));
    assert_eq!(inserted.version, 1);

    let updated = vault.apply(
        user(),
        Mutation::update("task", id).set("done", true).based_on(1),
    )?;
    assert_eq!((vault.outbox_len()?, vault.audit_len()?), (2, 2));
    assert_eq!(updated.version, 2);
    let record = vault.record("task", id)?.ok_or("task gone")?;
    assert_eq!(
        (record.version, record.fields.get("done")),
        (2, Some(&json!(true)))
    );

    let deleted = vault.apply(user(), Mutation::delete("task", id))?;
    assert_eq!((vault.outbox_len()?, vault.audit_len()?), (3, 3));
    assert_eq!(deleted.version, 0);
    assert!(vault.record("task", id)?.is_none());

    let ops = vault.outbox(10)?;
    let kinds: Vec<OpKind> = ops.iter().map(|o| o.kind).collect();
    assert_eq!(kinds, [OpKind::Insert, OpKind::Update, OpKind::Delete]);
    assert_eq!(
        ops.iter().map(|o| o.op_id).collect::<Vec<_>>(),
        [inserted.op_id, updated.op_id, deleted.op_id]
    );
    for op in &ops {
        assert_eq!(op.op_id.get_version_num(), 7, "op ids are UUIDv7");
        assert_eq!(
            (op.entity.as_str(), op.entity_id.as_str()),
            ("task", id.to_string().as_str())
        );
        assert!(
            veldwerk_protocol::Hlc::parse(&op.hlc).is_some(),
            "{}",
            op.hlc
        );
    }
    assert!(
        ops.windows(2).all(|w| w[0].hlc < w[1].hlc),
        "stamps increase"
    );
    let insert = &ops[0].changes;
    assert_eq!(
        insert.keys().map(String::as_str).collect::<Vec<_>>(),
        ["case_id", "done", "due_date", "title"]
    );
    assert_eq!(insert["title"].value, json!("Bel moeder"));
    assert_eq!(insert["case_id"].value, json!(case_id().to_string()));
    assert!(insert.values().all(|c| c.base_version == 0));
    assert_eq!(ops[1].changes.len(), 1);
    assert_eq!(ops[1].changes["done"].value, json!(true));
    assert!(ops[2].changes.is_empty());

    let audit = vault.audit_log(10)?;
    let actions: Vec<AuditAction> = audit.iter().map(|a| a.action).collect();
    assert_eq!(
        actions,
        [
            AuditAction::Create,
            AuditAction::Update,
            AuditAction::Delete
        ]
    );
    assert!(
        audit
            .iter()
            .all(|a| a.user_id == user() && a.entity == "task" && a.entity_id == id)
    );
    Ok(())
}

#[test]
fn viewing_a_record_writes_one_audit_entry_and_nothing_to_sync() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    vault.record_view(user(), "case", case_id())?;
    assert_eq!((vault.outbox_len()?, vault.audit_len()?), (0, 1));
    let entry = vault.audit_log(1)?.pop().ok_or("no audit entry")?;
    assert_eq!(
        (
            entry.action,
            entry.entity.as_str(),
            entry.entity_id,
            entry.user_id
        ),
        (AuditAction::View, "case", case_id(), user())
    );
    assert!(matches!(
        vault.record_view(user(), "nonsense", case_id()),
        Err(VaultError::UnknownEntity { .. })
    ));
    assert_eq!(vault.audit_len()?, 1);
    Ok(())
}

#[test]
fn a_failed_mutation_writes_nothing_at_all() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    let id = Uuid::now_v7();
    let other = Uuid::now_v7();
    vault.apply(user(), new_task(id, "Eerste taak"))?;
    vault.apply(
        user(),
        Mutation::update("task", id).set("title", "Tweede titel"),
    )?;
    let ids = [id, other];
    let before = state(&vault, &ids)?;

    type Expect = fn(&VaultError) -> bool;
    let failures: Vec<(&str, Mutation, Expect)> = vec![
        (
            "unknown column",
            Mutation::update("task", id).set("bsn", "123456782"),
            |e| matches!(e, VaultError::UnknownColumn { .. }),
        ),
        (
            "engine column",
            Mutation::update("task", id).set("version", 99),
            |e| matches!(e, VaultError::UnknownColumn { .. }),
        ),
        (
            "missing required column (NOT NULL constraint)",
            Mutation::insert("task", other).set("case_id", case_id().to_string()),
            |e| matches!(e, VaultError::Constraint(_)),
        ),
        (
            "wrong type",
            Mutation::update("task", id).set("done", "ja"),
            |e| matches!(e, VaultError::InvalidValue { .. }),
        ),
        (
            "impossible date",
            Mutation::update("task", id).set("due_date", "2026-02-30"),
            |e| matches!(e, VaultError::InvalidValue { .. }),
        ),
        (
            "null in a required column",
            Mutation::update("task", id).set("title", serde_json::Value::Null),
            |e| matches!(e, VaultError::InvalidValue { .. }),
        ),
        (
            "unknown entity",
            Mutation::insert("pupil", other).set("title", "x"),
            |e| matches!(e, VaultError::UnknownEntity { .. }),
        ),
        (
            "update of a missing record",
            Mutation::update("task", other).set("title", "x"),
            |e| matches!(e, VaultError::RecordNotFound { .. }),
        ),
        ("insert of an existing id", new_task(id, "Dubbel"), |e| {
            matches!(e, VaultError::RecordExists { .. })
        }),
        (
            "edit of a stale version",
            Mutation::update("task", id)
                .set("title", "Oud scherm")
                .based_on(1),
            |e| {
                matches!(
                    e,
                    VaultError::VersionConflict {
                        expected: 1,
                        found: 2,
                        ..
                    }
                )
            },
        ),
        (
            "append to a non-append-only entity",
            Mutation::append("task", other).set("title", "x"),
            |e| matches!(e, VaultError::KindNotAllowed { .. }),
        ),
        (
            "delete with fields",
            Mutation::delete("task", id).set("title", "x"),
            |e| matches!(e, VaultError::InvalidMutation { .. }),
        ),
        ("update without fields", Mutation::update("task", id), |e| {
            matches!(e, VaultError::InvalidMutation { .. })
        }),
    ];
    for (what, mutation, expected) in failures {
        let result = vault.apply(user(), mutation);
        assert!(result.as_ref().is_err_and(expected), "{what}: {result:?}");
        assert_eq!(state(&vault, &ids)?, before, "{what} wrote something");
        assert!(vault.search("Dubbel", 5)?.is_empty() && vault.search("Oud", 5)?.is_empty());
    }
    // Error messages carry no values.
    let err = vault
        .apply(user(), Mutation::update("task", id).set("title", 5))
        .err()
        .ok_or("expected an error")?;
    assert_eq!(
        err.to_string(),
        "wrong value type for task.title: expected text"
    );
    Ok(())
}

#[test]
fn an_update_raises_the_record_version_each_time() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    let id = Uuid::now_v7();
    vault.apply(user(), new_task(id, "Taak"))?;
    for expected in 2..=4 {
        let applied = vault.apply(
            user(),
            Mutation::update("task", id)
                .set("title", format!("Taak {expected}"))
                .based_on(expected - 1),
        )?;
        assert_eq!(applied.version, expected);
    }
    let nullable = vault.apply(
        user(),
        Mutation::update("task", id).set("due_date", serde_json::Value::Null),
    )?;
    assert_eq!(nullable.version, 5);
    let record = vault.record("task", id)?.ok_or("task gone")?;
    assert_eq!(
        record.fields.get("due_date"),
        Some(&serde_json::Value::Null)
    );
    Ok(())
}

#[test]
fn clock_stamps_keep_increasing_after_the_vault_is_reopened() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    let first = vault.apply(user(), new_task(Uuid::now_v7(), "a"))?;
    vault.lock()?;
    let mut vault = f.unlock()?;
    let second = vault.apply(user(), new_task(Uuid::now_v7(), "b"))?;
    assert!(second.hlc > first.hlc);
    let device = vault
        .meta(veldwerk_vault::MetaKey::DeviceId)?
        .ok_or("no device id")?;
    assert!(second.hlc.ends_with(&device));
    Ok(())
}
