//! What the sync engine uses: pulled records, purges, push results, the
//! cursor and digest, conflicts, wiping; and the local retention purge.

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::json;
use uuid::Uuid;
use veldwerk_domain::{CaseKind, ContactKind, ContactOutcome, Outcome, Role, User, UserId};
use veldwerk_protocol::{
    ChangeAuthor, Conflict, EntityRef, OpDigest, OpResult, OpStatus, PullResponse, RejectReason,
};
use veldwerk_vault::model::{NewCase, NewContactMoment, NewTask};
use veldwerk_vault::{ConflictChoice, Mutation, RemoteApplied};

use crate::caseload::{add_youth, consultant, enrolled};
use crate::support::{Fixture, TestResult, pulled};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

#[test]
fn a_pulled_record_is_stored_without_an_outbox_operation_or_audit_entry() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = enrolled(&f)?;
    let youth = Uuid::now_v7();
    let mut change = pulled(
        "youth",
        youth,
        json!({"voornaam": "Zoë", "achternaam": "Yılmaz", "geboortedatum": "2010-02-03",
               "plaats": "Brakelveen", "field_from_a_newer_server": 1}),
    );
    if let Some(f) = change.fields.get_mut("voornaam") {
        f.version = 4;
    }
    let applied = vault.apply_remote(&change)?;
    assert_eq!(
        applied,
        RemoteApplied::Written {
            kept_local: vec![],
            skipped: vec!["field_from_a_newer_server".into()]
        }
    );
    assert_eq!((vault.outbox_len()?, vault.audit_len()?), (0, 0));
    assert_eq!(vault.search("yilmaz", 5)?.len(), 1, "indexed for search");
    // The next local change is based on the pulled versions.
    vault.apply(
        consultant(),
        Mutation::update("youth", youth).set("voornaam", "Zoe"),
    )?;
    let op = vault.outbox(1)?.pop().ok_or("op")?;
    assert_eq!(op.changes["voornaam"].base_version, 4);
    Ok(())
}

#[test]
fn a_field_with_an_unpushed_local_change_keeps_the_local_value_when_pulled() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = enrolled(&f)?;
    let youth = add_youth(&mut vault, "Eva", None, "Doğan", d(2012, 3, 14))?;
    vault.apply(
        consultant(),
        Mutation::update("youth", youth).set("plaats", "Lindenhorst"),
    )?;
    let ops_before = vault.outbox_len()?;
    let applied = vault.apply_remote(&pulled(
        "youth",
        youth,
        json!({"voornaam": "Eva", "achternaam": "Doğan", "geboortedatum": "2012-03-14",
               "plaats": "Brakelveen", "roepnaam": "Eef"}),
    ))?;
    assert!(
        matches!(applied, RemoteApplied::Written { ref kept_local, .. } if kept_local.len() == 4),
        "every field the device changed and has not pushed yet: {applied:?}"
    );
    let record = vault.youth().get(youth)?.ok_or("youth")?;
    assert_eq!(record.town.as_deref(), Some("Lindenhorst"));
    assert_eq!(
        record.name.call_name.as_deref(),
        Some("Eef"),
        "other fields are the server's"
    );
    assert_eq!(vault.outbox_len()?, ops_before);
    Ok(())
}

#[test]
fn pushed_operations_are_removed_on_success_and_kept_marked_when_rejected() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    for i in 0..3 {
        vault.apply(
            consultant(),
            crate::support::new_task(Uuid::now_v7(), &format!("Taak {i}")),
        )?;
    }
    let ops = vault.outbox(10)?;
    assert_eq!(ops.len(), 3);
    let results = vec![
        OpResult {
            op_id: ops[0].op_id,
            status: OpStatus::Applied,
            server_seq: Some(1),
        },
        OpResult {
            op_id: ops[1].op_id,
            status: OpStatus::Conflict {
                conflict_ids: vec![Uuid::now_v7()],
            },
            server_seq: Some(2),
        },
        OpResult {
            op_id: ops[2].op_id,
            status: OpStatus::Rejected {
                reason: RejectReason::NotFound,
            },
            server_seq: None,
        },
    ];
    let summary = vault.ack_pushed(&results)?;
    assert_eq!(
        (summary.removed, summary.rejected, summary.unknown),
        (2, 1, 0)
    );
    assert!(
        vault.outbox(10)?.is_empty(),
        "a rejected operation is not pushed again"
    );
    let rejected = vault.rejected_ops()?;
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].operation.op_id, ops[2].op_id);
    assert_eq!(rejected[0].reason, Some(RejectReason::NotFound));
    let digest = ops
        .iter()
        .fold(OpDigest::empty(), |d, op| d.with(&op.op_id));
    assert_eq!(vault.op_digest()?, digest);
    // The same answers again (a retried push) change nothing.
    let again = vault.ack_pushed(&results)?;
    assert_eq!((again.removed, again.unknown), (0, 2));
    assert_eq!(vault.op_digest()?, digest, "each operation counted once");
    assert!(vault.dismiss_rejected(ops[2].op_id)?);
    assert_eq!(vault.outbox_len()?, 0);
    Ok(())
}

#[test]
fn a_pull_page_applies_records_purges_conflicts_and_the_cursor_together() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = enrolled(&f)?;
    let (youth, case, task, moment) = (
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
    );
    // The task comes before its case: the server orders by last change.
    let page = PullResponse {
        changes: vec![
            pulled(
                "task",
                task,
                json!({"case_id": case.to_string(), "title": "Bel Doğan", "done": false}),
            ),
            pulled(
                "youth",
                youth,
                json!({"voornaam": "Eva", "achternaam": "Doğan", "geboortedatum": "2012-03-14"}),
            ),
            pulled(
                "case",
                case,
                json!({"youth_id": youth.to_string(), "werkproces": "verzuim",
                "status": "open", "opened_on": "2026-01-05", "shared_with": [],
                "assigned_user_id": consultant().to_string()}),
            ),
            pulled(
                "contact_moment",
                moment,
                json!({"case_id": case.to_string(), "kind": "telefoon",
                "at": "2026-01-06T10:00:00", "outcome": "niet_bereikt", "note": "Voicemail Doğan"}),
            ),
            pulled(
                "response",
                Uuid::now_v7(),
                json!({"case_id": case.to_string()}),
            ),
        ],
        purge: vec![],
        conflicts: vec![],
        next_cursor: 41,
        more: false,
        wipe: false,
    };
    let summary = vault.apply_pull(&page)?;
    assert_eq!((summary.written, summary.ignored), (5, 0));
    assert_eq!(vault.sync_cursor()?, 41);
    assert_eq!((vault.outbox_len()?, vault.audit_len()?), (0, 0));
    assert_eq!(vault.search("dogan", 10)?.len(), 3);
    let detail = vault.case_detail(case, d(2026, 3, 2))?.ok_or("detail")?;
    assert_eq!(detail.timeline.len(), 2);

    // The case leaves the scope: it goes with everything that hangs off it.
    let purge = PullResponse {
        changes: vec![],
        purge: vec![
            EntityRef {
                entity: "case".into(),
                entity_id: case.to_string(),
            },
            EntityRef {
                entity: "youth".into(),
                entity_id: youth.to_string(),
            },
        ],
        conflicts: vec![],
        next_cursor: 57,
        more: false,
        wipe: false,
    };
    let summary = vault.apply_pull(&purge)?;
    // Case, task, contact moment, response and youth.
    assert_eq!(summary.purged, 5);
    assert!(vault.cases().get(case)?.is_none());
    assert!(vault.task(task)?.is_none());
    assert!(vault.youth().get(youth)?.is_none());
    assert!(vault.search("dogan", 10)?.is_empty(), "search rows go too");
    assert_eq!(vault.sync_cursor()?, 57);
    assert_eq!(vault.outbox_len()?, 0, "a purge is not a change to sync");

    let wipe = PullResponse {
        wipe: true,
        next_cursor: 99,
        ..purge
    };
    assert!(vault.apply_pull(&wipe)?.wipe);
    assert_eq!(vault.sync_cursor()?, 57, "a wipe page applies nothing");
    Ok(())
}

#[test]
fn a_record_the_server_deleted_is_removed_here() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    let id = Uuid::now_v7();
    vault.apply(consultant(), crate::support::new_task(id, "Weg ermee"))?;
    let mut change = pulled("task", id, json!({}));
    change.deleted = true;
    assert_eq!(vault.apply_remote(&change)?, RemoteApplied::Removed);
    assert!(vault.task(id)?.is_none());
    assert!(vault.search("ermee", 5)?.is_empty());
    assert!(
        vault.purge(&EntityRef {
            entity: "task".into(),
            entity_id: id.to_string()
        })? == 0
    );
    Ok(())
}

#[test]
fn conflicts_are_kept_listed_and_resolved_with_one_resolve_operation() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    let task = Uuid::now_v7();
    vault.apply(consultant(), crate::support::new_task(task, "Bel moeder"))?;
    vault.ack_pushed(&[OpResult {
        op_id: vault.outbox(1)?.pop().ok_or("op")?.op_id,
        status: OpStatus::Applied,
        server_seq: Some(3),
    }])?;
    let author = |hlc: &str| ChangeAuthor {
        user_id: Some(consultant()),
        user_name: Some("Consulent".into()),
        device_id: None,
        op_id: None,
        hlc: hlc.into(),
    };
    let conflict = |id: Uuid, field: &str| Conflict {
        id,
        entity: "task".into(),
        entity_id: task.to_string(),
        field: field.into(),
        kept_value: json!("Bel moeder"),
        other_value: json!("Bel vader"),
        kept_by: author("b"),
        other_by: author("a"),
        at: Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default(),
        resolved: None,
    };
    let (first, second) = (Uuid::now_v7(), Uuid::now_v7());
    vault.store_conflicts(&[conflict(first, "title"), conflict(second, "title")])?;
    vault.store_conflicts(&[conflict(first, "title")])?;
    assert_eq!(vault.open_conflicts()?.len(), 2, "stored once each");

    vault.resolve_conflict(first, ConflictChoice::Kept)?;
    let ops = vault.outbox(10)?;
    assert_eq!(ops.len(), 1, "only the resolve operation");
    assert_eq!(
        (ops[0].entity.as_str(), ops[0].entity_id.as_str()),
        ("conflict", first.to_string().as_str())
    );
    vault.ack_pushed(&[OpResult {
        op_id: ops[0].op_id,
        status: OpStatus::Applied,
        server_seq: Some(4),
    }])?;

    vault.resolve_conflict(second, ConflictChoice::Other)?;
    let ops = vault.outbox(10)?;
    let kinds: Vec<(&str, Option<&serde_json::Value>)> = ops
        .iter()
        .map(|o| (o.entity.as_str(), o.changes.get("title").map(|c| &c.value)))
        .collect();
    assert_eq!(
        kinds,
        [("task", Some(&json!("Bel vader"))), ("conflict", None)]
    );
    assert!(vault.open_conflicts()?.is_empty());
    let title = vault.task(task)?.map(|t| t.title);
    assert_eq!(title.as_deref(), Some("Bel vader"));
    let audit = vault.audit_log(usize::MAX)?;
    assert_eq!(audit.iter().filter(|a| a.entity == "conflict").count(), 2);
    // A conflict that comes again, resolved by the other side, stays resolved.
    let mut resolved = conflict(first, "title");
    resolved.resolved = Some(veldwerk_protocol::ConflictResolution {
        by_user_id: consultant(),
        at: Utc::now(),
    });
    vault.store_conflicts(&[resolved])?;
    assert!(vault.open_conflicts()?.is_empty());
    Ok(())
}

#[test]
fn wiping_deletes_every_file_of_the_vault() -> TestResult {
    let f = Fixture::new()?;
    let vault = f.create()?;
    vault.wipe()?;
    let left: Vec<_> = std::fs::read_dir(f.dir())?.collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(!veldwerk_vault::exists(&f.dir()));
    // A locked vault can be wiped too.
    let f = Fixture::new()?;
    f.create()?.lock()?;
    veldwerk_vault::wipe(&f.dir())?;
    assert_eq!(std::fs::read_dir(f.dir())?.count(), 0);
    Ok(())
}

#[test]
fn closed_cases_leave_the_device_after_retention_without_sync_operations() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = enrolled(&f)?;
    let user = User {
        id: UserId::parse(&consultant().to_string())?,
        name: "C".into(),
        role: Role::Doorstroomcoach,
        boa: false,
    };
    let mut cases = Vec::new();
    let mut youth_ids = Vec::new();
    for (name, closed_on) in [
        ("Oud", Some(d(2026, 1, 31))),
        ("Recent", Some(d(2026, 2, 20))),
        ("Open", None),
    ] {
        let youth = add_youth(&mut vault, name, None, "Jansen", d(2004, 1, 1))?;
        let mut new = NewCase::new(youth, CaseKind::Vsv, d(2025, 10, 1));
        new.sub_kind = Some(veldwerk_vault::model::CaseSubKind::Vsv(
            veldwerk_domain::VsvKind::OudVsver,
        ));
        let case = vault.cases().open(&new)?;
        vault.record_contact(
            case,
            &NewContactMoment {
                kind: ContactKind::Phone,
                at: d(2025, 10, 2).and_hms_opt(10, 0, 0).unwrap_or_default(),
                outcome: ContactOutcome::SpokeWithYouth,
                note: Some(format!("Notitie {name}")),
                letter_kind: None,
                letter_id: None,
                card: None,
            },
        )?;
        vault.add_task(
            case,
            &NewTask {
                kind: veldwerk_domain::TaskKind::Monitoring,
                title: format!("Monitoring {name}"),
                due_on: Some(d(2026, 4, 1)),
                letter_kind: None,
            },
        )?;
        if let Some(on) = closed_on {
            vault.cases().close(case, on, Outcome::Working, &user)?;
        }
        cases.push(case);
        youth_ids.push(youth);
    }
    // Unpushed changes keep a case here.
    let kept = vault.purge_closed(d(2026, 3, 2), 28)?;
    assert_eq!((kept.cases, kept.kept_unpushed), (0, 1));
    let ops: Vec<OpResult> = vault
        .outbox(usize::MAX)?
        .iter()
        .map(|o| OpResult {
            op_id: o.op_id,
            status: OpStatus::Applied,
            server_seq: Some(1),
        })
        .collect();
    vault.ack_pushed(&ops)?;
    let audit_before = vault.audit_len()?;

    // 2026-01-31 + 28 days = 2026-02-28 <= 2026-03-02: gone. 2026-02-20 + 28 > today: stays.
    let summary = vault.purge_closed(d(2026, 3, 2), 28)?;
    assert_eq!(
        (summary.cases, summary.youth, summary.records),
        (1, 1, 4),
        "case, contact moment, task, youth"
    );
    assert!(vault.cases().get(cases[0])?.is_none());
    assert!(vault.youth().get(youth_ids[0])?.is_none());
    assert!(vault.cases().get(cases[1])?.is_some() && vault.cases().get(cases[2])?.is_some());
    assert!(
        vault.search("Oud", 10)?.is_empty(),
        "its search rows went too"
    );
    assert_eq!(vault.search("Recent", 10)?.len(), 3);
    assert_eq!(
        vault.outbox_len()?,
        0,
        "no sync operation: the server keeps the archive"
    );
    assert_eq!(
        vault.audit_len()?,
        audit_before + 2,
        "one purge entry per case and youth"
    );
    let later = vault.purge_closed(d(2026, 3, 20), 28)?;
    assert_eq!(later.cases, 1);
    Ok(())
}

fn page_of(changes: Vec<veldwerk_protocol::RecordChange>, cursor: u64) -> PullResponse {
    PullResponse {
        changes,
        purge: vec![],
        conflicts: vec![],
        next_cursor: cursor,
        more: false,
        wipe: false,
    }
}

#[test]
fn a_record_pulled_again_replaces_its_search_entry_and_versions_and_one_deleted_here_comes_back_whole()
-> TestResult {
    let f = Fixture::new()?;
    let mut vault = enrolled(&f)?;
    let youth = Uuid::now_v7();
    let person = Uuid::now_v7();
    let youth_fields = |family: &str| json!({"voornaam": "Zoë", "achternaam": family, "geboortedatum": "2010-02-03"});
    let person_fields = json!({"youth_id": youth.to_string(), "voornaam": "Ayla",
                               "achternaam": "Demir", "relatie": "moeder"});
    vault.apply_pull(&page_of(
        vec![
            pulled("youth", youth, youth_fields("Yılmaz")),
            pulled("contact_person", person, person_fields.clone()),
        ],
        1,
    ))?;
    assert_eq!(vault.search("yilmaz", 5)?.len(), 1);

    // Pulled again with a new name and newer versions: one search entry,
    // under the new name, and the next local change builds on version 5.
    let mut again = pulled("youth", youth, youth_fields("Kaya"));
    for state in again.fields.values_mut() {
        state.version = 5;
    }
    let applied = vault.apply_pull(&page_of(vec![again], 2))?;
    assert_eq!(applied.written, 1);
    assert!(vault.search("yilmaz", 5)?.is_empty());
    assert_eq!(vault.search("kaya", 5)?.len(), 1);
    vault.apply(
        consultant(),
        Mutation::update("youth", youth).set("achternaam", "Kaya-Demir"),
    )?;
    let op = vault.outbox(10)?.pop().ok_or("op")?;
    assert_eq!(op.changes["achternaam"].base_version, 5);

    // Deleted here (and pushed), then the server sends it again: stored as
    // new, with the pulled versions and a search entry.
    vault.apply(consultant(), Mutation::delete("contact_person", person))?;
    let ops = vault.outbox(10)?;
    let results: Vec<OpResult> = ops
        .iter()
        .map(|op| OpResult {
            op_id: op.op_id,
            status: OpStatus::Applied,
            server_seq: Some(9),
        })
        .collect();
    vault.ack_pushed(&results)?;
    assert_eq!(vault.outbox_len()?, 0);
    let mut back = pulled("contact_person", person, person_fields);
    for state in back.fields.values_mut() {
        state.version = 3;
    }
    let applied = vault.apply_pull(&page_of(vec![back], 3))?;
    assert_eq!(applied.written, 1);
    let record = vault.record("contact_person", person)?.ok_or("back")?;
    assert_eq!(record.fields["voornaam"], json!("Ayla"));
    vault.apply(
        consultant(),
        Mutation::update("contact_person", person).set("voornaam", "Aylin"),
    )?;
    let op = vault.outbox(10)?.pop().ok_or("op")?;
    assert_eq!(op.changes["voornaam"].base_version, 3);
    Ok(())
}

#[test]
fn a_pull_page_keeps_unpushed_local_values_while_applying_the_rest() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = enrolled(&f)?;
    let youth = add_youth(&mut vault, "Eva", None, "Doğan", d(2012, 3, 14))?;
    let other = Uuid::now_v7();
    let local = Mutation::update("youth", youth).set("plaats", "Lindenhorst");
    vault.apply(consultant(), local)?;
    let applied = vault.apply_pull(&page_of(
        vec![
            pulled(
                "youth",
                other,
                json!({"voornaam": "Sem", "achternaam": "Bakker", "geboortedatum": "2011-05-06"}),
            ),
            pulled(
                "youth",
                youth,
                json!({"voornaam": "Eva", "achternaam": "Doğan", "geboortedatum": "2012-03-14",
                       "plaats": "Brakelveen"}),
            ),
        ],
        1,
    ))?;
    assert_eq!(applied.written, 2);
    let record = vault.youth().get(youth)?.ok_or("youth")?;
    assert_eq!(record.town.as_deref(), Some("Lindenhorst"));
    assert_eq!(vault.search("bakker", 5)?.len(), 1);
    Ok(())
}
