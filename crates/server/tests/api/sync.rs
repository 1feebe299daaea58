use reqwest::StatusCode;
use serde_json::json;
use veldwerk_protocol::{
    EntityRef, ErrorBody, ErrorCode, OpDigest, OpStatus, Operation, PROTOCOL_VERSION, RejectReason,
    StateCheckRequest, StateCheckResponse, StateCheckStatus, paths,
};

use crate::support::{
    Device, TestApp, append, apply_pages, hlc, insert, new_id, spawn_app, update, value_of,
    version_of,
};

/// A youth and a case owned by `dev`, pushed from the device. Returns (case, youth).
async fn device_case(app: &TestApp, dev: &Device) -> (String, String) {
    let youth = new_id();
    let case = new_id();
    let r = app
        .push(
            dev,
            vec![
                insert(
                    dev,
                    "youth",
                    &youth,
                    json!({"voornaam": "Sam", "achternaam": "Jansen"}),
                ),
                insert(
                    dev,
                    "case",
                    &case,
                    json!({"youth_id": youth, "werkproces": "vsv", "status": "open"}),
                ),
            ],
        )
        .await;
    assert!(
        r.results.iter().all(|r| r.status == OpStatus::Applied),
        "{r:?}"
    );
    (case, youth)
}

#[tokio::test]
async fn a_pushed_operation_is_applied_exactly_once_under_retries() {
    let app = spawn_app().await;
    let dev = app.consultant("Anna").await;
    let (case, _) = device_case(&app, &dev).await;
    let moment = append(
        &dev,
        "contact_moment",
        &new_id(),
        json!({"case_id": case, "soort": "huisbezoek"}),
    );
    let batch = vec![
        moment.clone(),
        update(&dev, "case", &case, json!({"status": "in_behandeling"}), 1),
    ];

    let first = app.push(&dev, batch.clone()).await;
    let before = app.store.row_counts().expect("counts");
    let second = app.push(&dev, batch.clone()).await;
    let third = app
        .push(&dev, vec![batch[1].clone(), batch[0].clone()])
        .await;
    let after = app.store.row_counts().expect("counts");

    assert!(first.results.iter().all(|r| r.status == OpStatus::Applied));
    assert!(
        second
            .results
            .iter()
            .all(|r| r.status == OpStatus::Duplicate)
    );
    assert_eq!(
        first
            .results
            .iter()
            .map(|r| r.server_seq)
            .collect::<Vec<_>>(),
        second
            .results
            .iter()
            .map(|r| r.server_seq)
            .collect::<Vec<_>>(),
        "a retry answers the original sequence numbers"
    );
    assert_eq!(third.results[0].server_seq, first.results[1].server_seq);
    assert_eq!(before, after, "retries store nothing new");
    let seqs: Vec<u64> = first.results.iter().filter_map(|r| r.server_seq).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "server sequence increases: {seqs:?}"
    );
}

#[tokio::test]
async fn pull_pages_by_cursor_and_brings_every_record_once() {
    let app = spawn_app().await;
    let dev = app.consultant("Anna").await;
    let (case, _) = device_case(&app, &dev).await;
    let ops: Vec<Operation> = (0..25)
        .map(|i| {
            append(
                &dev,
                "contact_moment",
                &new_id(),
                json!({"case_id": case, "nummer": i}),
            )
        })
        .collect();
    app.push(&dev, ops).await;

    let mut cursor = 0;
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let page = app.pull(&dev, cursor, 10).await;
        pages += 1;
        assert!(page.changes.len() <= 10);
        assert!(page.next_cursor >= cursor);
        seen.extend(
            page.changes
                .iter()
                .map(|c| (c.server_seq, c.entity_id.clone())),
        );
        cursor = page.next_cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 27, "youth, case and 25 contact moments");
    assert!(
        seen.windows(2).all(|w| w[0].0 < w[1].0),
        "in server order, no repeats"
    );

    let nothing_new = app.pull(&dev, cursor, 10).await;
    assert!(nothing_new.changes.is_empty() && !nothing_new.more);
    assert_eq!(nothing_new.next_cursor, cursor);
}

#[tokio::test]
async fn a_device_cannot_pull_push_to_or_learn_of_a_case_outside_its_scope() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let bram = app.consultant("Bram").await;
    let (annas_case, annas_youth) = device_case(&app, &anna).await;
    app.push(
        &anna,
        vec![append(
            &anna,
            "contact_moment",
            &new_id(),
            json!({"case_id": annas_case}),
        )],
    )
    .await;

    // Pull: nothing of Anna's.
    let pages = app.pull_all(&bram, 0).await;
    let records = apply_pages(&pages);
    assert!(
        records
            .keys()
            .all(|(_, id)| id != &annas_case && id != &annas_youth),
        "{records:?}"
    );

    // Push: every crafted operation on Anna's case answers exactly like one
    // on a case that does not exist.
    let nowhere = new_id();
    let crafted = |target: &str| {
        vec![
            update(&bram, "case", target, json!({"status": "gesloten"}), 1),
            append(
                &bram,
                "contact_moment",
                &new_id(),
                json!({"case_id": target}),
            ),
            insert(
                &bram,
                "task",
                &new_id(),
                json!({"case_id": target, "titel": "x"}),
            ),
            Operation {
                kind: veldwerk_protocol::OpKind::Delete,
                changes: Default::default(),
                ..update(&bram, "case", target, json!({"a": 1}), 0)
            },
        ]
    };
    let on_annas = app.push(&bram, crafted(&annas_case)).await;
    let on_none = app.push(&bram, crafted(&nowhere)).await;
    let statuses = |r: &veldwerk_protocol::PushResponse| {
        r.results
            .iter()
            .map(|r| r.status.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(statuses(&on_annas), statuses(&on_none));
    assert!(on_annas.results[..3].iter().all(|r| r.status
        == OpStatus::Rejected {
            reason: RejectReason::NotFound
        }));
    let youth_edit = app
        .push(
            &bram,
            vec![update(
                &bram,
                "youth",
                &annas_youth,
                json!({"voornaam": "X"}),
                1,
            )],
        )
        .await;
    assert_eq!(
        youth_edit.results[0].status,
        OpStatus::Rejected {
            reason: RejectReason::NotFound
        }
    );

    // And nothing of Anna's changed.
    let case = app
        .store
        .record_values("case", &annas_case)
        .expect("read")
        .expect("case");
    assert_eq!(case["status"], json!("open"));
    let youth = app
        .store
        .record_values("youth", &annas_youth)
        .expect("read")
        .expect("youth");
    assert_eq!(youth["voornaam"], json!("Sam"));
}

#[tokio::test]
async fn a_device_cannot_take_or_share_a_case_itself() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let bram = app.consultant("Bram").await;
    let (case, _) = device_case(&app, &anna).await;
    let r = app
        .push(
            &anna,
            vec![
                update(
                    &anna,
                    "case",
                    &case,
                    json!({"assigned_user_id": bram.user_id.to_string()}),
                    1,
                ),
                update(
                    &anna,
                    "case",
                    &case,
                    json!({"shared_with": [bram.user_id.to_string()]}),
                    0,
                ),
                insert(
                    &anna,
                    "case",
                    &new_id(),
                    json!({"assigned_user_id": bram.user_id.to_string()}),
                ),
            ],
        )
        .await;
    assert!(r.results.iter().all(|r| r.status
        == OpStatus::Rejected {
            reason: RejectReason::ForbiddenField
        }));
}

#[tokio::test]
async fn reassigning_a_case_purges_it_on_the_old_device_and_brings_its_full_history_to_the_new() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let bram = app.consultant("Bram").await;
    let (case, youth) = app.office_case(Some(anna.user_id));
    let moments: Vec<String> = (0..3).map(|_| new_id()).collect();
    let contact = new_id();
    let mut ops: Vec<Operation> = moments
        .iter()
        .map(|m| append(&anna, "contact_moment", m, json!({"case_id": case})))
        .collect();
    ops.push(insert(
        &anna,
        "contact_person",
        &contact,
        json!({"youth_id": youth, "rol": "moeder"}),
    ));
    let pushed = app.push(&anna, ops).await;
    assert!(
        pushed.results.iter().all(|r| r.status == OpStatus::Applied),
        "{pushed:?}"
    );

    let anna_pages = app.pull_all(&anna, 0).await;
    let anna_cursor = anna_pages.last().expect("a page").next_cursor;
    assert!(apply_pages(&anna_pages).contains_key(&("case".to_owned(), case.clone())));
    let bram_pages = app.pull_all(&bram, 0).await;
    let bram_cursor = bram_pages.last().expect("a page").next_cursor;
    assert!(apply_pages(&bram_pages).is_empty());

    app.store
        .assign_case(&case, bram.user_id, app.clock.now())
        .expect("assign");

    let anna_after = app.pull_all(&anna, anna_cursor).await;
    let purged: Vec<EntityRef> = anna_after.iter().flat_map(|p| p.purge.clone()).collect();
    let purged_ids: Vec<&str> = purged.iter().map(|r| r.entity_id.as_str()).collect();
    for id in moments.iter().chain([&case, &youth, &contact]) {
        assert!(
            purged_ids.contains(&id.as_str()),
            "{id} purged on the old device: {purged:?}"
        );
    }
    assert!(
        anna_after.iter().all(|p| p.changes.is_empty()),
        "nothing of the case comes back"
    );

    let bram_after = apply_pages(&app.pull_all(&bram, bram_cursor).await);
    for (entity, id) in [
        ("case", &case),
        ("youth", &youth),
        ("contact_person", &contact),
    ]
    .into_iter()
    .chain(moments.iter().map(|m| ("contact_moment", m)))
    {
        assert!(
            bram_after.contains_key(&(entity.to_owned(), id.clone())),
            "{entity} {id} on the new device"
        );
    }
    assert!(
        bram_after.keys().any(|(e, _)| e == "melding"),
        "the melding too"
    );

    // Anna can no longer write to it.
    let late = app
        .push(
            &anna,
            vec![append(
                &anna,
                "contact_moment",
                &new_id(),
                json!({"case_id": case}),
            )],
        )
        .await;
    assert_eq!(
        late.results[0].status,
        OpStatus::Rejected {
            reason: RejectReason::NotFound
        }
    );
}

#[tokio::test]
async fn sharing_a_case_gives_a_second_user_the_case_without_taking_it_from_the_first() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let bram = app.consultant("Bram").await;
    let (case, _) = app.office_case(Some(anna.user_id));
    app.store
        .share_case(&case, bram.user_id, app.clock.now())
        .expect("share");
    let key = ("case".to_owned(), case.clone());
    assert!(apply_pages(&app.pull_all(&anna, 0).await).contains_key(&key));
    assert!(apply_pages(&app.pull_all(&bram, 0).await).contains_key(&key));
    let r = app
        .push(
            &bram,
            vec![append(
                &bram,
                "contact_moment",
                &new_id(),
                json!({"case_id": case}),
            )],
        )
        .await;
    assert_eq!(r.results[0].status, OpStatus::Applied);
}

#[tokio::test]
async fn a_closed_case_leaves_devices_after_the_retention_period_and_stays_on_the_server() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let (case, _) = device_case(&app, &anna).await;
    app.push(
        &anna,
        vec![update(
            &anna,
            "case",
            &case,
            json!({"status": "gesloten", "closed_on": "2026-03-02"}),
            1,
        )],
    )
    .await;
    let cursor = app
        .pull_all(&anna, 0)
        .await
        .last()
        .expect("page")
        .next_cursor;

    app.clock.advance(chrono::Duration::days(6));
    assert_eq!(
        app.store.sweep_retention(app.clock.now()).expect("sweep"),
        0
    );
    app.clock.advance(chrono::Duration::days(1));
    assert_eq!(
        app.store.sweep_retention(app.clock.now()).expect("sweep"),
        1
    );

    let after = app.pull_all(&anna, cursor).await;
    assert!(
        after
            .iter()
            .flat_map(|p| &p.purge)
            .any(|r| r.entity_id == case)
    );
    assert!(
        app.store
            .record_values("case", &case)
            .expect("read")
            .is_some(),
        "the server keeps it"
    );
}

#[tokio::test]
async fn a_revoked_device_is_told_to_wipe_and_can_change_nothing() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let (case, _) = device_case(&app, &anna).await;
    app.store
        .revoke_device(anna.id, app.clock.now())
        .expect("revoke");

    let page = app.pull(&anna, 0, 100).await;
    assert!(page.wipe);
    assert!(page.changes.is_empty() && page.purge.is_empty() && page.conflicts.is_empty());

    let before = app.store.row_counts().expect("counts");
    let response = app
        .authed(&anna, paths::PUSH)
        .json(&veldwerk_protocol::PushRequest {
            protocol_version: PROTOCOL_VERSION,
            operations: vec![append(
                &anna,
                "contact_moment",
                &new_id(),
                json!({"case_id": case}),
            )],
        })
        .send()
        .await
        .expect("push");
    assert_eq!(response.status(), StatusCode::GONE);
    let err: ErrorBody = response.json().await.expect("json");
    assert_eq!(err.code, ErrorCode::DeviceRevoked);
    assert_eq!(app.store.row_counts().expect("counts"), before);
}

#[tokio::test]
async fn same_field_edits_from_two_devices_become_a_conflict_both_users_see_and_can_resolve() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let bram = app.consultant("Bram").await;
    let (case, _) = app.office_case(Some(anna.user_id));
    app.store
        .share_case(&case, bram.user_id, app.clock.now())
        .expect("share");
    let a0 = app.pull_all(&anna, 0).await;
    let b0 = app.pull_all(&bram, 0).await;
    let (a_cursor, b_cursor) = (
        a0.last().expect("p").next_cursor,
        b0.last().expect("p").next_cursor,
    );
    let base = version_of(
        &apply_pages(&a0)[&("case".to_owned(), case.clone())],
        "status",
    );
    assert_eq!(base, 1);

    // Both edit the status offline from version 1; Bram's stamp is later.
    let anna_op = update(
        &anna,
        "case",
        &case,
        json!({"status": "wacht_op_school"}),
        base,
    );
    let bram_op = update(
        &bram,
        "case",
        &case,
        json!({"status": "huisbezoek_gepland"}),
        base,
    );
    let a = app.push(&anna, vec![anna_op]).await;
    let b = app.push(&bram, vec![bram_op]).await;
    assert_eq!(a.results[0].status, OpStatus::Applied);
    let OpStatus::Conflict { conflict_ids } = &b.results[0].status else {
        panic!("a conflict: {b:?}")
    };
    assert_eq!(conflict_ids.len(), 1);

    let kept = app
        .store
        .record_values("case", &case)
        .expect("read")
        .expect("case");
    assert_eq!(
        kept["status"],
        json!("huisbezoek_gepland"),
        "the later stamp wins"
    );

    for (dev, cursor) in [(&anna, a_cursor), (&bram, b_cursor)] {
        let pages = app.pull_all(dev, cursor).await;
        let conflicts: Vec<_> = pages.iter().flat_map(|p| p.conflicts.clone()).collect();
        assert_eq!(conflicts.len(), 1, "both users see it");
        let c = &conflicts[0];
        assert_eq!(
            (c.field.as_str(), c.entity_id.as_str()),
            ("status", case.as_str())
        );
        assert_eq!(c.kept_value, json!("huisbezoek_gepland"));
        assert_eq!(c.other_value, json!("wacht_op_school"));
        assert_eq!(c.kept_by.user_name.as_deref(), Some("Bram"));
        assert_eq!(c.other_by.user_name.as_deref(), Some("Anna"));
        assert!(c.resolved.is_none());
    }

    // Anna resolves: she picks her own value (a normal update) and marks it resolved.
    let now = apply_pages(&app.pull_all(&anna, 0).await);
    let version = version_of(&now[&("case".to_owned(), case.clone())], "status");
    let resolve = app
        .push(
            &anna,
            vec![
                update(
                    &anna,
                    "case",
                    &case,
                    json!({"status": "wacht_op_school"}),
                    version,
                ),
                Operation::resolve_conflict(uuid::Uuid::now_v7(), hlc(&anna.id), conflict_ids[0]),
            ],
        )
        .await;
    assert!(
        resolve
            .results
            .iter()
            .all(|r| r.status == OpStatus::Applied),
        "{resolve:?}"
    );

    let bram_view = app.pull_all(&bram, b_cursor).await;
    let resolved: Vec<_> = bram_view.iter().flat_map(|p| p.conflicts.clone()).collect();
    assert!(resolved.iter().any(|c| {
        c.id == conflict_ids[0]
            && c.resolved
                .as_ref()
                .is_some_and(|r| r.by_user_id == anna.user_id)
    }));
    let record = &apply_pages(&bram_view)[&("case".to_owned(), case.clone())];
    assert_eq!(value_of(record, "status"), json!("wacht_op_school"));
}

#[tokio::test]
async fn edits_of_different_fields_of_one_record_merge_without_a_conflict() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let bram = app.consultant("Bram").await;
    let (case, _) = app.office_case(Some(anna.user_id));
    app.store
        .share_case(&case, bram.user_id, app.clock.now())
        .expect("share");
    let a = app
        .push(
            &anna,
            vec![update(
                &anna,
                "case",
                &case,
                json!({"status": "in_behandeling"}),
                1,
            )],
        )
        .await;
    let b = app
        .push(
            &bram,
            vec![update(
                &bram,
                "case",
                &case,
                json!({"gemeente": "Zeist"}),
                1,
            )],
        )
        .await;
    assert_eq!(a.results[0].status, OpStatus::Applied);
    assert_eq!(b.results[0].status, OpStatus::Applied);
    let record = app
        .store
        .record_values("case", &case)
        .expect("read")
        .expect("case");
    assert_eq!(
        (record["status"].clone(), record["gemeente"].clone()),
        (json!("in_behandeling"), json!("Zeist"))
    );
}

#[tokio::test]
async fn successive_offline_edits_of_one_field_on_one_device_are_no_conflict() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let (case, _) = device_case(&app, &anna).await;
    let r = app
        .push(
            &anna,
            vec![
                update(&anna, "case", &case, json!({"status": "a"}), 1),
                update(&anna, "case", &case, json!({"status": "b"}), 1),
            ],
        )
        .await;
    assert!(
        r.results.iter().all(|r| r.status == OpStatus::Applied),
        "{r:?}"
    );
    let record = app
        .store
        .record_values("case", &case)
        .expect("read")
        .expect("case");
    assert_eq!(record["status"], json!("b"));
}

#[tokio::test]
async fn append_only_records_are_never_changed_or_deleted() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let (case, _) = device_case(&app, &anna).await;
    let id = new_id();
    app.push(
        &anna,
        vec![append(
            &anna,
            "contact_moment",
            &id,
            json!({"case_id": case, "notitie": "x"}),
        )],
    )
    .await;
    let r = app
        .push(
            &anna,
            vec![
                update(&anna, "contact_moment", &id, json!({"notitie": "y"}), 1),
                append(&anna, "contact_moment", &id, json!({"case_id": case})),
                Operation {
                    kind: veldwerk_protocol::OpKind::Delete,
                    changes: Default::default(),
                    ..update(&anna, "contact_moment", &id, json!({"a": 1}), 0)
                },
                insert(&anna, "spaceship", &new_id(), json!({"a": 1})),
            ],
        )
        .await;
    let reasons: Vec<_> = r.results.iter().map(|r| r.status.clone()).collect();
    assert_eq!(
        reasons,
        vec![
            OpStatus::Rejected {
                reason: RejectReason::InvalidOperation
            },
            OpStatus::Rejected {
                reason: RejectReason::AlreadyExists
            },
            OpStatus::Rejected {
                reason: RejectReason::InvalidOperation
            },
            OpStatus::Rejected {
                reason: RejectReason::UnknownEntity
            },
        ]
    );
}

#[tokio::test]
async fn the_audit_trail_records_who_pushed_what_with_ids_never_values() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let (case, _) = device_case(&app, &anna).await;
    let op = append(
        &anna,
        "contact_moment",
        &new_id(),
        json!({"case_id": case, "notitie": "Geheime notitie"}),
    );
    app.push(&anna, vec![op.clone()]).await;
    let trail = app.store.audit_trail().expect("audit");
    let entry = trail
        .iter()
        .find(|e| e.op_id.as_deref() == Some(&op.op_id.to_string()))
        .expect("audited");
    assert_eq!(entry.action, "push_applied");
    assert_eq!(
        entry.device_id.as_deref(),
        Some(anna.id.to_string().as_str())
    );
    assert_eq!(
        entry.user_id.as_deref(),
        Some(anna.user_id.to_string().as_str())
    );
    assert_eq!(entry.entity.as_deref(), Some("contact_moment"));
    let all = format!("{trail:?}");
    assert!(
        !all.contains("Geheime") && !all.contains("Jansen"),
        "no values in the audit trail"
    );
}

async fn check(app: &TestApp, dev: &Device, cursor: u64, digest: OpDigest) -> StateCheckResponse {
    let response = app
        .authed(dev, paths::CHECK)
        .json(&StateCheckRequest {
            protocol_version: PROTOCOL_VERSION,
            cursor,
            digest,
        })
        .send()
        .await
        .expect("check");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("json")
}

#[tokio::test]
async fn the_state_check_orders_a_full_resync_for_a_device_restored_from_an_old_backup() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let (case, _) = device_case(&app, &anna).await;
    let backup_cursor = app.pull_all(&anna, 0).await.last().expect("p").next_cursor;
    // The digest a device keeps: every op id it got a push result for.
    let mut digest = OpDigest::empty();
    let trail = app.store.audit_trail().expect("audit");
    for e in trail.iter().filter(|e| e.action.starts_with("push_")) {
        digest = digest.with(&e.op_id.as_deref().expect("op").parse().expect("uuid"));
    }
    let backup_digest = digest.clone();
    assert_eq!(
        check(&app, &anna, backup_cursor, digest.clone())
            .await
            .status,
        StateCheckStatus::Ok
    );

    // Work after the backup, then the laptop is restored from the backup.
    let later = append(&anna, "contact_moment", &new_id(), json!({"case_id": case}));
    app.push(&anna, vec![later.clone()]).await;
    let current = check(&app, &anna, backup_cursor, backup_digest).await;
    assert_eq!(current.status, StateCheckStatus::FullResync);
    assert_eq!(current.server_digest, digest.with(&later.op_id));

    // After the full pull it adopts the server's digest and is in step again.
    let cursor = app.pull_all(&anna, 0).await.last().expect("p").next_cursor;
    assert_eq!(
        check(&app, &anna, cursor, current.server_digest)
            .await
            .status,
        StateCheckStatus::Ok
    );
    // A cursor ahead of the server (the server was restored) also means a full re-sync.
    assert_eq!(
        check(&app, &anna, cursor + 100, OpDigest::empty())
            .await
            .status,
        StateCheckStatus::FullResync
    );
}

#[tokio::test]
async fn a_pull_from_a_cursor_ahead_of_the_server_asks_for_a_full_resync() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let response = app
        .authed(&anna, paths::PULL)
        .json(&veldwerk_protocol::PullRequest {
            protocol_version: PROTOCOL_VERSION,
            cursor: 1_000_000,
            limit: 10,
        })
        .send()
        .await
        .expect("pull");
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let err: ErrorBody = response.json().await.expect("json");
    assert_eq!(err.code, ErrorCode::FullResyncRequired);
}

#[tokio::test]
async fn schools_are_shared_with_every_user() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let bram = app.consultant("Bram").await;
    let school = new_id();
    app.push(
        &anna,
        vec![insert(
            &anna,
            "school",
            &school,
            json!({"naam": "Het Lyceum", "brin": "00AA"}),
        )],
    )
    .await;
    assert!(
        apply_pages(&app.pull_all(&bram, 0).await).contains_key(&("school".to_owned(), school))
    );
}

/// A device's history: a youth, a case for them closed long before the
/// retention period with its records, and a new case for the same youth.
fn history_with_an_expired_case(dev: &Device) -> (Vec<Operation>, String, String, String) {
    let youth = new_id();
    let old_case = new_id();
    let new_case = new_id();
    let ops = vec![
        insert(
            dev,
            "youth",
            &youth,
            json!({"voornaam": "Sam", "achternaam": "Jansen"}),
        ),
        insert(
            dev,
            "case",
            &old_case,
            json!({"youth_id": youth, "werkproces": "vsv", "status": "gesloten",
                   "closed_on": "2024-06-03"}),
        ),
        append(
            dev,
            "contact_moment",
            &new_id(),
            json!({"case_id": old_case}),
        ),
        insert(
            dev,
            "task",
            &new_id(),
            json!({"case_id": old_case, "title": "Bellen"}),
        ),
        update(dev, "case", &old_case, json!({"status": "gearchiveerd"}), 1),
        insert(
            dev,
            "case",
            &new_case,
            json!({"youth_id": youth, "werkproces": "vsv", "status": "open"}),
        ),
        append(
            dev,
            "contact_moment",
            &new_id(),
            json!({"case_id": new_case}),
        ),
        insert(dev, "contact_person", &new_id(), json!({"youth_id": youth})),
    ];
    (ops, youth, old_case, new_case)
}

#[tokio::test]
async fn a_history_with_a_case_closed_past_retention_is_stored_whole_and_the_old_case_purged() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let (ops, youth, old_case, new_case) = history_with_an_expired_case(&anna);
    let r = app.push(&anna, ops.clone()).await;
    assert!(
        r.results.iter().all(|r| r.status == OpStatus::Applied),
        "{r:?}"
    );
    // The server keeps every record of the old case (it is the archive).
    for op in &ops {
        assert!(
            app.store
                .record_values(&op.entity, &op.entity_id)
                .expect("read")
                .is_some(),
            "{} not stored",
            op.entity
        );
    }
    let pages = app.pull_all(&anna, 0).await;
    let purged: Vec<&str> = pages
        .iter()
        .flat_map(|p| &p.purge)
        .map(|r| r.entity_id.as_str())
        .collect();
    let old_records: Vec<&str> = ops[1..5].iter().map(|o| o.entity_id.as_str()).collect();
    for id in &old_records {
        assert!(purged.contains(id), "record of the old case not purged");
    }
    assert!(!purged.contains(&new_case.as_str()));
    assert!(!purged.contains(&youth.as_str()));
    let records = apply_pages(&pages);
    assert!(records.contains_key(&("case".to_owned(), new_case.clone())));
    assert!(records.contains_key(&("youth".to_owned(), youth.clone())));
    assert!(!records.contains_key(&("case".to_owned(), old_case.clone())));

    // A later edit of the old case from the same history is still stored,
    // and the device is told again to purge it.
    let cursor = pages.last().expect("page").next_cursor;
    let r = app
        .push(
            &anna,
            vec![update(
                &anna,
                "case",
                &old_case,
                json!({"status": "gesloten"}),
                2,
            )],
        )
        .await;
    assert_eq!(r.results[0].status, OpStatus::Applied, "{r:?}");
    let after = app.pull_all(&anna, cursor).await;
    assert!(
        after
            .iter()
            .flat_map(|p| &p.purge)
            .any(|r| r.entity_id == old_case)
    );
    assert!(
        after
            .iter()
            .all(|p| p.changes.iter().all(|c| c.entity_id != old_case))
    );
}

#[tokio::test]
async fn nobody_else_writes_to_or_sees_a_case_closed_past_retention() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let bram = app.consultant("Bram").await;
    let (ops, youth, old_case, _) = history_with_an_expired_case(&anna);
    // Only the youth and the expired case: the youth is in nobody's scope.
    let r = app.push(&anna, ops[..2].to_vec()).await;
    assert!(
        r.results.iter().all(|r| r.status == OpStatus::Applied),
        "{r:?}"
    );
    let r = app
        .push(
            &bram,
            vec![
                append(
                    &bram,
                    "contact_moment",
                    &new_id(),
                    json!({"case_id": old_case}),
                ),
                update(&bram, "case", &old_case, json!({"status": "open"}), 5),
                insert(
                    &bram,
                    "case",
                    &new_id(),
                    json!({"youth_id": youth, "werkproces": "vsv", "status": "open"}),
                ),
                insert(
                    &bram,
                    "contact_person",
                    &new_id(),
                    json!({"youth_id": youth}),
                ),
                update(&bram, "youth", &youth, json!({"voornaam": "Kim"}), 5),
            ],
        )
        .await;
    for res in &r.results {
        assert_eq!(
            res.status,
            OpStatus::Rejected {
                reason: RejectReason::NotFound
            },
            "{r:?}"
        );
    }
    let seen = apply_pages(&app.pull_all(&bram, 0).await);
    assert!(seen.keys().all(|(_, id)| id != &old_case && id != &youth));
}

#[tokio::test]
async fn a_case_reassigned_before_it_passed_retention_is_no_longer_the_first_consultants_to_write()
{
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let bram = app.consultant("Bram").await;
    let (case, youth) = device_case(&app, &anna).await;
    app.store
        .assign_case(&case, bram.user_id, app.clock.now())
        .expect("assign");
    let r = app
        .push(
            &bram,
            vec![update(
                &bram,
                "case",
                &case,
                json!({"closed_on": "2025-01-31"}),
                1,
            )],
        )
        .await;
    assert_eq!(r.results[0].status, OpStatus::Applied, "{r:?}");

    let r = app
        .push(
            &anna,
            vec![
                append(&anna, "contact_moment", &new_id(), json!({"case_id": case})),
                insert(
                    &anna,
                    "case",
                    &new_id(),
                    json!({"youth_id": youth, "werkproces": "vsv", "status": "open"}),
                ),
            ],
        )
        .await;
    for res in &r.results {
        assert_eq!(
            res.status,
            OpStatus::Rejected {
                reason: RejectReason::NotFound
            },
            "{r:?}"
        );
    }
    let r = app
        .push(
            &bram,
            vec![append(
                &bram,
                "contact_moment",
                &new_id(),
                json!({"case_id": case}),
            )],
        )
        .await;
    assert_eq!(r.results[0].status, OpStatus::Applied, "{r:?}");
}
