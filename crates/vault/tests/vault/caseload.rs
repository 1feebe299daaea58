//! The typed caseload API over the one write path, and the screens'
//! queries: the right rows, filtered, sorted, audited.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;
use uuid::Uuid;
use veldwerk_domain::rules::LegalPhase;
use veldwerk_domain::{
    Address, AppointmentKind, AppointmentStatus, CaseKind, CaseStatus, ConsentGiver, ConsentScope,
    ContactKind, ContactOutcome, LegalStatus, LetterKind, MeldingSource, Outcome, PersonName,
    Relation, Role, SchoolHistory, SchoolType, TaskKind, User, UserId, VerzuimKind,
    VrijstellingArticle, VrijstellingStatus, VsvKind,
};
use veldwerk_vault::model::{
    CaseSubKind, CaseloadQuery, CaseloadSort, HomeVisit, NewAppointment, NewCase, NewConsent,
    NewContactMoment, NewContactPerson, NewGroupSession, NewLetter, NewMelding, NewSchool, NewTask,
    NewYouth, TimelineEntry,
};
use veldwerk_vault::{AuditAction, MetaKey, Mutation, Vault, VaultError};

use crate::support::{Fixture, TestResult};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

fn t(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
    d(y, m, day)
        .and_hms_opt(h, min, 0)
        .unwrap_or(NaiveDateTime::MIN)
}

pub fn consultant() -> Uuid {
    Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0a01)
}

/// An empty vault enrolled for [`consultant`].
pub fn enrolled(f: &Fixture) -> Result<Vault, Box<dyn std::error::Error>> {
    let mut vault = f.create_empty()?;
    vault.set_meta(MetaKey::UserId, &consultant().to_string())?;
    Ok(vault)
}

pub fn add_youth(
    vault: &mut Vault,
    given: &str,
    prefix: Option<&str>,
    family: &str,
    birth: NaiveDate,
) -> Result<Uuid, Box<dyn std::error::Error>> {
    let mut youth = NewYouth::new(PersonName::parse(given, None, prefix, family)?, birth);
    youth.address = Some(Address::parse(
        "Kerkstraat",
        "12a",
        "7412 AB",
        "Brakelveen",
        Some("Brakelveen"),
    )?);
    Ok(vault.youth().add(&youth)?)
}

fn open_case(
    vault: &mut Vault,
    youth: Uuid,
    kind: CaseKind,
    sub: Option<CaseSubKind>,
    opened: NaiveDate,
    gemeente: &str,
) -> Result<Uuid, VaultError> {
    let mut case = NewCase::new(youth, kind, opened);
    case.sub_kind = sub;
    case.gemeente = Some(gemeente.to_owned());
    vault.cases().open(&case)
}

fn task(kind: TaskKind, title: &str, due: NaiveDate) -> NewTask {
    NewTask {
        kind,
        title: title.to_owned(),
        due_on: Some(due),
        letter_kind: None,
    }
}

#[test]
fn every_mutation_kind_of_every_entity_writes_one_outbox_operation_and_one_audit_entry()
-> TestResult {
    let f = Fixture::new()?;
    let mut vault = enrolled(&f)?;
    let id = |n: u128| Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_1000 + n);
    let (school, youth, person, case, letter) = (id(1), id(2), id(3), id(4), id(5));
    // (what, the mutation); inserts in link order, then updates, then deletes.
    let steps: Vec<(&str, Mutation)> = vec![
        (
            "insert school",
            Mutation::insert("school", school)
                .set("name", "OBS De Vlieger")
                .set("school_type", "po")
                .set("gemeente", "Brakelveen"),
        ),
        (
            "insert youth",
            Mutation::insert("youth", youth)
                .set("voornaam", "Eva")
                .set("achternaam", "Doğan")
                .set("geboortedatum", "2012-03-14")
                .set("school_id", school.to_string()),
        ),
        (
            "insert contact_person",
            Mutation::insert("contact_person", person)
                .set("youth_id", youth.to_string())
                .set("achternaam", "Doğan")
                .set("relatie", "moeder")
                .set("verantwoordelijk", true),
        ),
        (
            "insert case",
            Mutation::insert("case", case)
                .set("youth_id", youth.to_string())
                .set("werkproces", "verzuim")
                .set("status", "open")
                .set("opened_on", "2026-03-02")
                .set("care_concern", false)
                .set("assigned_user_id", consultant().to_string())
                .set("shared_with", json!([])),
        ),
        (
            "insert melding",
            Mutation::insert("melding", id(6))
                .set("case_id", case.to_string())
                .set("datum", "2026-03-02")
                .set("werkproces", "verzuim")
                .set("bron", "school"),
        ),
        (
            "append letter",
            Mutation::append("letter", letter)
                .set("case_id", case.to_string())
                .set("template", "uitnodiging_gesprek")
                .set("sent_on", "2026-03-03"),
        ),
        (
            "append contact_moment",
            Mutation::append("contact_moment", id(7))
                .set("case_id", case.to_string())
                .set("kind", "brief")
                .set("at", "2026-03-03T10:00:00")
                .set("outcome", "verstuurd")
                .set("letter_id", letter.to_string()),
        ),
        (
            "insert appointment",
            Mutation::insert("appointment", id(8))
                .set("case_id", case.to_string())
                .set("kind", "kantoor")
                .set("status", "gepland")
                .set("starts_at", "2026-03-05T10:00:00")
                .set("ends_at", "2026-03-05T10:30:00"),
        ),
        (
            "insert task",
            Mutation::insert("task", id(9))
                .set("case_id", case.to_string())
                .set("title", "Bellen")
                .set("done", false),
        ),
        (
            "insert consent",
            Mutation::insert("consent", id(10))
                .set("youth_id", youth.to_string())
                .set("scope", "hercontact")
                .set("given_on", "2026-03-03")
                .set("given_by", "jongere")
                .set("contact_person_id", person.to_string()),
        ),
        (
            "append group_session",
            Mutation::append("group_session", id(11))
                .set("held_on", "2026-03-04")
                .set("headcount", 14),
        ),
        (
            "update school",
            Mutation::update("school", school).set("location", "Dorpsstraat 1"),
        ),
        (
            "update youth",
            Mutation::update("youth", youth).set("roepnaam", "Eef"),
        ),
        (
            "update contact_person",
            Mutation::update("contact_person", person).set("telefoon", "+31612345678"),
        ),
        (
            "update case",
            Mutation::update("case", case).set("soort", "luxe"),
        ),
        (
            "update melding",
            Mutation::update("melding", id(6)).set("toelichting", "Na de vakantie"),
        ),
        (
            "update appointment",
            Mutation::update("appointment", id(8)).set("status", "gehouden"),
        ),
        (
            "update task",
            Mutation::update("task", id(9)).set("done", true),
        ),
        (
            "update consent",
            Mutation::update("consent", id(10)).set("withdrawn_on", "2026-04-01"),
        ),
        ("delete consent", Mutation::delete("consent", id(10))),
        (
            "delete contact_person",
            Mutation::delete("contact_person", person),
        ),
        ("delete appointment", Mutation::delete("appointment", id(8))),
        ("delete task", Mutation::delete("task", id(9))),
    ];
    let mut entities = std::collections::BTreeSet::new();
    for (n, (what, m)) in steps.into_iter().enumerate() {
        entities.insert(m.entity);
        let (entity, entity_id, kind) = (m.entity, m.entity_id, m.kind);
        let applied = vault
            .apply(consultant(), m)
            .map_err(|e| format!("{what}: {e}"))?;
        let expected = u64::try_from(n + 1)?;
        assert_eq!(
            (vault.outbox_len()?, vault.audit_len()?),
            (expected, expected),
            "{what}"
        );
        let audit = vault.audit_log(usize::MAX)?.pop().ok_or("no audit entry")?;
        assert_eq!(
            (audit.entity.as_str(), audit.entity_id),
            (entity, entity_id),
            "{what}"
        );
        assert_eq!(audit.user_id, consultant());
        if entity == "group_session" {
            // Held back from push: the protocol has no such entity yet.
            assert_eq!(vault.outbox_counts()?.held, 1);
            continue;
        }
        let op = vault.outbox(usize::MAX)?.pop().ok_or("no operation")?;
        assert_eq!(
            (op.op_id, op.entity.as_str(), op.kind),
            (applied.op_id, entity, kind),
            "{what}"
        );
    }
    assert_eq!(entities.len(), 11, "every entity table was exercised");
    // Append-only records cannot change; non-deletable ones cannot go.
    for (what, m) in [
        (
            "update letter",
            Mutation::update("letter", letter).set("url", "x"),
        ),
        (
            "update contact moment",
            Mutation::update("contact_moment", id(7)).set("note", "x"),
        ),
        ("delete case", Mutation::delete("case", case)),
        ("delete youth", Mutation::delete("youth", youth)),
    ] {
        assert!(
            matches!(
                vault.apply(consultant(), m),
                Err(VaultError::KindNotAllowed { .. })
            ),
            "{what}"
        );
    }
    assert_eq!(vault.outbox_len()?, vault.audit_len()?);
    Ok(())
}

#[test]
fn links_of_local_changes_must_point_at_records_on_the_device() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = enrolled(&f)?;
    let missing = Uuid::now_v7();
    let err = vault.add_task(missing, &task(TaskKind::Call, "Bellen", d(2026, 3, 5)));
    assert!(matches!(err, Err(VaultError::MissingLink { ref column, .. }) if column == "case_id"));
    let youth = add_youth(&mut vault, "Sam", None, "Jansen", d(2012, 1, 1))?;
    let person = vault.youth().add_contact_person(&NewContactPerson {
        youth_id: youth,
        name: PersonName::parse("Anne", None, None, "Jansen")?,
        relation: Relation::Mother,
        responsible: true,
        address: None,
        phone: None,
        email: None,
    })?;
    vault.youth().add_consent(&NewConsent {
        youth_id: youth,
        scope: ConsentScope::ShareWithSchool,
        given_on: d(2026, 3, 2),
        given_by: ConsentGiver::Parent,
        contact_person_id: Some(person),
        note: None,
    })?;
    let before = vault.outbox_len()?;
    let err = vault.apply(consultant(), Mutation::delete("contact_person", person));
    assert!(
        matches!(err, Err(VaultError::RecordInUse { .. })),
        "{err:?}"
    );
    assert_eq!(vault.outbox_len()?, before, "nothing written");
    // A device cannot assign a case to someone else or share it.
    let case = Mutation::insert("case", Uuid::now_v7())
        .set("youth_id", youth.to_string())
        .set("werkproces", "verzuim")
        .set("status", "open")
        .set("opened_on", "2026-03-02")
        .set("care_concern", false)
        .set("assigned_user_id", Uuid::now_v7().to_string());
    assert!(matches!(
        vault.apply(consultant(), case),
        Err(VaultError::InvalidMutation { .. })
    ));
    let case_id = open_case(
        &mut vault,
        youth,
        CaseKind::Verzuim,
        None,
        d(2026, 3, 2),
        "Brakelveen",
    )?;
    let share = Mutation::update("case", case_id).set("shared_with", json!([consultant()]));
    assert!(matches!(
        vault.apply(consultant(), share),
        Err(VaultError::InvalidMutation { .. })
    ));
    let record = vault.cases().get(case_id)?.ok_or("case")?;
    assert_eq!(record.assigned_user_id, Some(consultant()));
    Ok(())
}

#[test]
fn a_melding_joins_the_open_case_of_its_werkproces_and_otherwise_opens_one() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = enrolled(&f)?;
    let youth = add_youth(&mut vault, "Daniël", Some("van der"), "Berg", d(2011, 5, 4))?;
    let melding = |kind, on| NewMelding {
        youth_id: youth,
        kind,
        sub_kind: None,
        received_on: on,
        source: MeldingSource::DuoVerzuimloket,
        number: Some("VZL-1".into()),
        school_id: None,
        hours_absent: Some(18),
        note: None,
        gemeente: Some("Brakelveen".into()),
    };
    let first = vault
        .cases()
        .add_melding(&melding(CaseKind::Verzuim, d(2026, 1, 12)))?;
    assert!(first.new_case);
    assert_eq!(
        (vault.outbox_len()?, vault.audit_len()?),
        (3, 3),
        "youth, case, melding"
    );
    let second = vault
        .cases()
        .add_melding(&melding(CaseKind::Verzuim, d(2026, 2, 9)))?;
    assert!(!second.new_case);
    assert_eq!(second.case_id, first.case_id);
    let other = vault
        .cases()
        .add_melding(&melding(CaseKind::Vsv, d(2026, 2, 9)))?;
    assert!(other.new_case && other.case_id != first.case_id);
    let record = vault.cases().get(first.case_id)?.ok_or("case")?;
    assert_eq!(
        (record.opened_on, record.hours_absent),
        (d(2026, 1, 12), Some(18))
    );
    Ok(())
}

#[test]
fn closing_a_case_follows_the_domain_rules_and_a_refusal_writes_nothing() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = enrolled(&f)?;
    let youth = add_youth(&mut vault, "Zoë", Some("de"), "Vries", d(2011, 5, 4))?;
    let sub = Some(CaseSubKind::Verzuim(VerzuimKind::Luxe));
    let case = open_case(
        &mut vault,
        youth,
        CaseKind::Verzuim,
        sub,
        d(2026, 2, 16),
        "Brakelveen",
    )?;
    let no_boa = User {
        id: UserId::parse(&consultant().to_string())?,
        name: "Consulent".into(),
        role: Role::Leerplichtambtenaar,
        boa: false,
    };
    let before = vault.outbox_len()?;
    let refused = vault
        .cases()
        .close(case, d(2026, 3, 2), Outcome::PvLuxeVerzuim, &no_boa);
    assert!(
        matches!(refused, Err(VaultError::CannotClose(_))),
        "{refused:?}"
    );
    assert_eq!(vault.outbox_len()?, before);
    vault
        .cases()
        .close(case, d(2026, 3, 2), Outcome::Warning, &no_boa)?;
    let record = vault.cases().get(case)?.ok_or("case")?;
    assert_eq!(
        (record.status, record.closed_on, record.outcome),
        (
            CaseStatus::Closed,
            Some(d(2026, 3, 2)),
            Some(Outcome::Warning)
        )
    );
    Ok(())
}

#[test]
fn a_home_visit_records_the_contact_and_the_follow_up_the_rules_propose_in_one_go() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = enrolled(&f)?;
    let youth = add_youth(&mut vault, "Eva", None, "Doğan", d(2012, 3, 14))?;
    let sub = Some(CaseSubKind::Verzuim(VerzuimKind::Luxe));
    let case = open_case(
        &mut vault,
        youth,
        CaseKind::Verzuim,
        sub,
        d(2026, 2, 16),
        "Brakelveen",
    )?;
    let before = (vault.outbox_len()?, vault.audit_len()?);
    // Friday 13 March 2026, nobody home: luxe verzuim wants contact within
    // one working day, so the check is due Monday 16 March.
    let visit = HomeVisit {
        at: t(2026, 3, 13, 9, 15),
        outcome: ContactOutcome::NotHome,
        note: Some("Niemand thuis, kaartje in de bus".into()),
        card: None,
        followup: None,
    };
    let proposed = vault.home_visit_followup(case, d(2026, 3, 13), ContactOutcome::NotHome)?;
    let recorded = vault.record_home_visit(case, visit)?;
    assert_eq!(recorded.task_ids.len(), proposed.len());
    assert_eq!(recorded.task_ids.len(), 1);
    let due = vault.task(recorded.task_ids[0])?.ok_or("task")?;
    assert_eq!(due.due_on, Some(d(2026, 3, 16)));
    assert_eq!(due.kind, Some(TaskKind::CheckReaction));
    assert_eq!(
        (vault.outbox_len()?, vault.audit_len()?),
        (before.0 + 2, before.1 + 2),
        "one operation and one audit entry per record"
    );
    // A visit where they spoke proposes nothing; not a home-visit outcome is refused.
    let spoke = vault.record_home_visit(
        case,
        HomeVisit {
            at: t(2026, 3, 16, 10, 0),
            outcome: ContactOutcome::SpokeWithParent,
            note: None,
            card: None,
            followup: None,
        },
    )?;
    assert!(spoke.task_ids.is_empty());
    let wrong = vault.record_home_visit(
        case,
        HomeVisit {
            at: t(2026, 3, 16, 10, 0),
            outcome: ContactOutcome::Sent,
            note: None,
            card: None,
            followup: Some(Vec::new()),
        },
    );
    assert!(wrong.is_err());
    Ok(())
}

#[test]
fn the_caseload_list_filters_sorts_and_computes_legal_status_with_the_domain_rules() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = enrolled(&f)?;
    let on = d(2026, 3, 2);
    let school = vault.schools().add(&NewSchool {
        name: "Lindenhorst College".into(),
        brin: Some(veldwerk_domain::Brin::parse("12AB")?),
        school_type: SchoolType::Vo,
        location: None,
        gemeente: "Lindenhorst".into(),
    })?;
    let eva = add_youth(&mut vault, "Eva", None, "Doğan", d(2012, 3, 14))?;
    let daniel = add_youth(&mut vault, "Daniël", Some("van der"), "Berg", d(2004, 9, 1))?;
    let zoe = add_youth(&mut vault, "Zoë", Some("de"), "Vries", d(2009, 6, 3))?;
    let c_eva = open_case(
        &mut vault,
        eva,
        CaseKind::Verzuim,
        None,
        d(2026, 1, 5),
        "Brakelveen",
    )?;
    let oud = Some(CaseSubKind::Vsv(VsvKind::OudVsver));
    let c_daniel = open_case(
        &mut vault,
        daniel,
        CaseKind::Vsv,
        oud,
        d(2025, 11, 1),
        "Lindenhorst",
    )?;
    let mut new = NewCase::new(zoe, CaseKind::Vrijstelling, d(2026, 2, 1));
    new.sub_kind = Some(CaseSubKind::Vrijstelling(
        VrijstellingArticle::Art5a,
        VrijstellingStatus::Granted,
    ));
    new.school_id = Some(school);
    new.gemeente = Some("Lindenhorst".into());
    let c_zoe = vault.cases().open(&new)?;
    vault.add_task(c_eva, &task(TaskKind::Call, "Bellen", d(2026, 2, 27)))?;
    vault.add_task(c_eva, &task(TaskKind::Letter, "Brief", on))?;
    vault.add_task(c_eva, &task(TaskKind::HomeVisit, "Later", d(2026, 3, 3)))?;
    let done = vault.add_task(c_daniel, &task(TaskKind::Call, "Klaar", d(2026, 2, 1)))?;
    vault.complete_task(done, d(2026, 2, 2))?;
    vault.add_task(
        c_zoe,
        &task(TaskKind::Monitoring, "Monitoring", d(2026, 3, 1)),
    )?;

    let all = vault.caseload(&CaseloadQuery::default(), on)?;
    let names: Vec<&str> = all.iter().map(|c| c.youth_name.as_str()).collect();
    // By surname without tussenvoegsel: Berg, Doğan, Vries.
    assert_eq!(names, ["Daniël van der Berg", "Eva Doğan", "Zoë de Vries"]);
    let due: Vec<u32> = all.iter().map(|c| c.due_tasks).collect();
    assert_eq!(
        due,
        [0, 2, 1],
        "done tasks and tasks due later do not count"
    );
    for row in &all {
        let youth = vault.youth().get(row.youth_id)?.ok_or("youth")?;
        let expected = LegalStatus::compute(youth.birth_date, on, &SchoolHistory::default());
        assert_eq!(row.legal_status, Some(expected), "computed by the domain");
    }
    let phases: Vec<LegalPhase> = all
        .iter()
        .filter_map(|c| c.legal_status.map(|s| s.phase))
        .collect();
    assert_eq!(
        phases,
        [
            LegalPhase::DoorstroompuntTargetGroup,
            LegalPhase::Leerplichtig,
            LegalPhase::Kwalificatieplichtig
        ]
    );

    let ids = |vault: &Vault, q: CaseloadQuery| -> Result<Vec<Uuid>, VaultError> {
        Ok(vault.caseload(&q, on)?.into_iter().map(|c| c.id).collect())
    };
    assert_eq!(
        ids(
            &vault,
            CaseloadQuery {
                kind: Some(CaseKind::Vsv),
                ..Default::default()
            }
        )?,
        [c_daniel]
    );
    assert_eq!(
        ids(
            &vault,
            CaseloadQuery {
                gemeente: Some("Lindenhorst".into()),
                ..Default::default()
            }
        )?,
        [c_daniel, c_zoe]
    );
    assert_eq!(
        ids(
            &vault,
            CaseloadQuery {
                school_id: Some(school),
                ..Default::default()
            }
        )?,
        [c_zoe]
    );
    assert_eq!(
        ids(
            &vault,
            CaseloadQuery {
                due_only: true,
                ..Default::default()
            }
        )?,
        [c_eva, c_zoe]
    );
    assert_eq!(
        ids(
            &vault,
            CaseloadQuery {
                sort: CaseloadSort::DueTasks,
                ..Default::default()
            }
        )?,
        [c_eva, c_zoe, c_daniel]
    );
    assert_eq!(
        ids(
            &vault,
            CaseloadQuery {
                sort: CaseloadSort::OpenedOn,
                ..Default::default()
            }
        )?,
        [c_zoe, c_eva, c_daniel]
    );
    assert_eq!(
        ids(
            &vault,
            CaseloadQuery {
                sort: CaseloadSort::Kind,
                ..Default::default()
            }
        )?,
        [c_eva, c_zoe, c_daniel],
        "informatie_advies, verzuim, vrijstelling, vsv"
    );
    let user = User {
        id: UserId::parse(&consultant().to_string())?,
        name: "C".into(),
        role: Role::Doorstroomcoach,
        boa: false,
    };
    vault.cases().close(c_daniel, on, Outcome::Working, &user)?;
    assert_eq!(
        ids(
            &vault,
            CaseloadQuery {
                status: Some(CaseStatus::Open),
                ..Default::default()
            }
        )?,
        [c_eva, c_zoe]
    );
    assert_eq!(
        ids(
            &vault,
            CaseloadQuery {
                status: Some(CaseStatus::Closed),
                ..Default::default()
            }
        )?,
        [c_daniel]
    );
    Ok(())
}

#[test]
fn the_agenda_shows_the_days_appointments_and_due_or_overdue_tasks() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = enrolled(&f)?;
    let youth = add_youth(&mut vault, "Yıldız", None, "Kaya", d(2010, 6, 1))?;
    let case = open_case(
        &mut vault,
        youth,
        CaseKind::Verzuim,
        None,
        d(2026, 1, 5),
        "Brakelveen",
    )?;
    let plan = |vault: &mut Vault, from: NaiveDateTime, to: NaiveDateTime| {
        vault.plan_appointment(&NewAppointment {
            case_id: case,
            kind: AppointmentKind::Office,
            starts_at: from,
            ends_at: to,
            location: Some("Kantoor".into()),
            school_id: None,
        })
    };
    let late = plan(&mut vault, t(2026, 3, 2, 14, 0), t(2026, 3, 2, 14, 30))?;
    let early = plan(&mut vault, t(2026, 3, 2, 9, 0), t(2026, 3, 2, 9, 45))?;
    plan(&mut vault, t(2026, 3, 3, 9, 0), t(2026, 3, 3, 9, 30))?;
    plan(&mut vault, t(2026, 3, 1, 9, 0), t(2026, 3, 1, 9, 30))?;
    let overdue = vault.add_task(case, &task(TaskKind::Call, "Bellen", d(2026, 2, 26)))?;
    let today = vault.add_task(case, &task(TaskKind::Letter, "Brief", d(2026, 3, 2)))?;
    vault.add_task(case, &task(TaskKind::Letter, "Morgen", d(2026, 3, 3)))?;
    let done = vault.add_task(case, &task(TaskKind::Call, "Klaar", d(2026, 2, 20)))?;
    vault.complete_task(done, d(2026, 2, 21))?;

    let agenda = vault.agenda(d(2026, 3, 2))?;
    let appointments: Vec<Uuid> = agenda
        .appointments
        .iter()
        .map(|a| a.appointment.id)
        .collect();
    assert_eq!(appointments, [early, late]);
    assert!(
        agenda
            .appointments
            .iter()
            .all(|a| a.youth_name == "Yıldız Kaya")
    );
    let tasks: Vec<(Uuid, bool)> = agenda
        .tasks
        .iter()
        .map(|t| (t.task.id, t.overdue))
        .collect();
    assert_eq!(tasks, [(overdue, true), (today, false)]);
    vault.set_appointment_status(early, AppointmentStatus::Held)?;
    let held = vault.appointment(early)?.ok_or("appointment")?;
    assert_eq!(held.status, Some(AppointmentStatus::Held));
    Ok(())
}

#[test]
fn a_case_detail_has_its_timeline_newest_first_and_opening_it_is_audited() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = enrolled(&f)?;
    let youth = add_youth(&mut vault, "Noor", None, "Visser", d(2006, 4, 2))?;
    let sub = Some(CaseSubKind::Vsv(VsvKind::NieuweVsver));
    let melding = vault.cases().add_melding(&NewMelding {
        youth_id: youth,
        kind: CaseKind::Vsv,
        sub_kind: sub,
        received_on: d(2026, 1, 5),
        source: MeldingSource::Registratie,
        number: None,
        school_id: None,
        hours_absent: None,
        note: Some("Uitgeschreven bij het ROC".into()),
        gemeente: Some("Brakelveen".into()),
    })?;
    let case = melding.case_id;
    let letter = vault.record_letter(&NewLetter {
        case_id: case,
        template: LetterKind::DoorstroompuntIntroduction,
        sent_on: d(2026, 1, 7),
        token: Some("ABCDEFGHIJKLMNOPQRST".into()),
        short_code: Some("0123A-BCDEF".into()),
        url: Some("https://veldwerk.example/r/ABCDEFGHIJKLMNOPQRST".into()),
        expires_on: Some(d(2026, 4, 7)),
    })?;
    let call = vault.record_contact(
        case,
        &NewContactMoment {
            kind: ContactKind::Phone,
            at: t(2026, 1, 12, 10, 0),
            outcome: ContactOutcome::NotReached,
            note: None,
            letter_kind: None,
            letter_id: None,
            card: None,
        },
    )?;
    let consent = vault.youth().add_consent(&NewConsent {
        youth_id: youth,
        scope: ConsentScope::Recontact,
        given_on: d(2026, 1, 20),
        given_by: ConsentGiver::Youth,
        contact_person_id: None,
        note: None,
    })?;
    let next = vault.add_task(
        case,
        &task(TaskKind::HomeVisit, "Huisbezoek", d(2026, 1, 26)),
    )?;
    let audit_before = vault.audit_len()?;
    let outbox_before = vault.outbox_len()?;

    let detail = vault.case_detail(case, d(2026, 3, 2))?.ok_or("detail")?;
    let order: Vec<Uuid> = detail.timeline.iter().map(TimelineEntry::id).collect();
    assert_eq!(order, [next, consent, call, letter, melding.melding_id]);
    assert_eq!(
        detail.youth.as_ref().map(|y| y.display_name()).as_deref(),
        Some("Noor Visser")
    );
    assert_eq!(
        detail.legal_status.map(|s| s.phase),
        Some(LegalPhase::DoorstroompuntTargetGroup)
    );
    assert_eq!(vault.audit_len()?, audit_before + 1);
    assert_eq!(vault.outbox_len()?, outbox_before, "a view is not synced");
    let view = vault.audit_log(usize::MAX)?.pop().ok_or("audit")?;
    assert_eq!(
        (
            view.action,
            view.entity.as_str(),
            view.entity_id,
            view.user_id
        ),
        (AuditAction::View, "case", case, consultant())
    );
    assert!(vault.case_detail(Uuid::now_v7(), d(2026, 3, 2))?.is_none());
    assert_eq!(
        vault.audit_len()?,
        audit_before + 1,
        "no audit for a case that is not here"
    );
    Ok(())
}

#[test]
fn group_sessions_hold_a_headcount_and_wait_in_the_outbox_until_the_protocol_knows_them()
-> TestResult {
    let f = Fixture::new()?;
    let mut vault = enrolled(&f)?;
    vault.record_group_session(&NewGroupSession {
        held_on: d(2026, 3, 2),
        headcount: std::num::NonZeroU32::new(23).ok_or("headcount")?,
        topic: Some("Verzuim en gezondheid".into()),
        school_id: None,
        gemeente: Some("Brakelveen".into()),
    })?;
    let counts = vault.outbox_counts()?;
    assert_eq!((counts.pending, counts.held, counts.rejected), (0, 1, 0));
    assert_eq!(vault.outbox_len()?, 1);
    assert!(vault.outbox(10)?.is_empty(), "not pushed");
    Ok(())
}

#[test]
fn a_letter_goes_to_the_youths_own_address_else_to_a_responsible_parents() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = enrolled(&f)?;
    let school = vault.schools().add(&NewSchool {
        name: "Lindenhorst College".into(),
        brin: None,
        school_type: SchoolType::Vo,
        location: None,
        gemeente: "Lindenhorst".into(),
    })?;
    let parent = |youth_id: Uuid,
                  responsible: bool,
                  street: &str|
     -> Result<_, Box<dyn std::error::Error>> {
        Ok(NewContactPerson {
            youth_id,
            name: PersonName::parse("Anne", None, None, "Jansen")?,
            relation: Relation::Mother,
            responsible,
            address: Some(Address::parse(street, "3", "7411 CD", "Brakelveen", None)?),
            phone: None,
            email: None,
        })
    };

    // Own address: it wins over the parents'.
    let own = add_youth(&mut vault, "Sam", None, "Jansen", d(2012, 1, 1))?;
    vault
        .youth()
        .add_contact_person(&parent(own, true, "Molenweg")?)?;
    let own_case = open_case(
        &mut vault,
        own,
        CaseKind::Verzuim,
        None,
        d(2026, 3, 2),
        "Brakelveen",
    )?;
    let r = vault.letter_recipient(own_case)?.ok_or("recipient")?;
    let address = r.address.ok_or("address")?;
    assert_eq!(
        (address.street.as_str(), address.postcode.as_str()),
        ("Kerkstraat", "7412 AB")
    );
    assert_eq!(
        r.case.reference(),
        veldwerk_vault::model::case_reference(own_case)
    );
    assert_eq!(r.school_name, None);

    // No address of their own: the responsible parent's, not the other one's.
    let mut youth = NewYouth::new(
        PersonName::parse("Lotte", None, None, "Jansen")?,
        d(2011, 5, 5),
    );
    youth.school_id = Some(school);
    let without = vault.youth().add(&youth)?;
    vault
        .youth()
        .add_contact_person(&parent(without, false, "Zijlweg")?)?;
    vault
        .youth()
        .add_contact_person(&parent(without, true, "Molenweg")?)?;
    let case = open_case(
        &mut vault,
        without,
        CaseKind::Verzuim,
        None,
        d(2026, 3, 2),
        "Brakelveen",
    )?;
    let r = vault.letter_recipient(case)?.ok_or("recipient")?;
    assert_eq!(r.address.ok_or("address")?.street, "Molenweg");
    assert_eq!(r.school_name.as_deref(), Some("Lindenhorst College"));

    // Nobody's address known: no address, and no made-up one.
    let alone = vault.youth().add(&NewYouth::new(
        PersonName::parse("Bo", None, None, "Smit")?,
        d(2010, 2, 2),
    ))?;
    let case = open_case(
        &mut vault,
        alone,
        CaseKind::Verzuim,
        None,
        d(2026, 3, 2),
        "Brakelveen",
    )?;
    assert!(
        vault
            .letter_recipient(case)?
            .ok_or("recipient")?
            .address
            .is_none()
    );
    assert!(vault.letter_recipient(Uuid::now_v7())?.is_none());
    Ok(())
}
