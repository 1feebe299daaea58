//! Printed letters and cards, and answers through the QR response form:
//! what printing records and pushes, and what a pulled answer does to a case.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;
use uuid::Uuid;
use veldwerk_domain::rules::calendar::within_one_working_day;
use veldwerk_domain::{ContactKind, ContactOutcome, LetterKind};
use veldwerk_protocol::{OpKind, PullResponse, RecordChange, ResponseToken, ShortCode};
use veldwerk_vault::model::{HomeVisit, TimelineEntry};
use veldwerk_vault::{
    OutreachStatus, PrintedLetter, Vault, letter_link_expires_on, response::ResponseRecord,
};

use crate::caseload::{consultant, enrolled};
use crate::support::{Fixture, TestResult, case_id, pulled, seed_test_case};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

fn at(y: i32, m: u32, day: u32, h: u32) -> NaiveDateTime {
    d(y, m, day)
        .and_hms_opt(h, 0, 0)
        .unwrap_or(NaiveDateTime::MIN)
}

/// An enrolled vault holding the test case, as pulled.
fn vault_with_case(f: &Fixture) -> Result<Vault, Box<dyn std::error::Error>> {
    let mut vault = enrolled(f)?;
    seed_test_case(&mut vault)?;
    Ok(vault)
}

/// What the server's form makes of one answer on Monday 2 March 2026
/// (see veldwerk-server store/response.rs), as the pull brings it.
fn answer_page(case: Uuid, ids: (Uuid, Uuid, Uuid), cursor: u64) -> PullResponse {
    let (response, moment, task) = ids;
    let due = within_one_working_day(d(2026, 3, 2));
    PullResponse {
        changes: vec![
            pulled(
                "response",
                response,
                json!({"case_id": case.to_string(), "received_at": "2026-03-02T09:15:00.000000Z",
                       "channel": "telefoon", "contact_value": "+31612345678",
                       "preferred_time": "middag", "message": "Bel na drie uur"}),
            ),
            pulled(
                "contact_moment",
                moment,
                json!({"case_id": case.to_string(), "kind": "reactie_via_qr",
                       "at": "2026-03-02T10:15:00", "outcome": "reactie_ontvangen",
                       "user_id": consultant().to_string(), "response_id": response.to_string()}),
            ),
            pulled(
                "task",
                task,
                json!({"case_id": case.to_string(), "kind": "bellen",
                       "title": "Reageer op reactie via QR",
                       "due_date": due.format("%Y-%m-%d").to_string(), "done": false,
                       "assigned_user_id": consultant().to_string(),
                       "response_id": response.to_string()}),
            ),
        ],
        purge: vec![],
        conflicts: vec![],
        next_cursor: cursor,
        more: false,
        wipe: false,
    }
}

fn qr_moments(vault: &mut Vault, case: Uuid) -> Result<usize, Box<dyn std::error::Error>> {
    let detail = vault.case_detail(case, d(2026, 3, 2))?.ok_or("case")?;
    Ok(detail
        .timeline
        .iter()
        .filter(|e| {
            matches!(e, TimelineEntry::ContactMoment(c)
                if c.kind == Some(ContactKind::QrResponse)
                    && c.outcome == Some(ContactOutcome::ReactionReceived))
        })
        .count())
}

fn reply_tasks(
    vault: &mut Vault,
    case: Uuid,
) -> Result<Vec<NaiveDate>, Box<dyn std::error::Error>> {
    let detail = vault.case_detail(case, d(2026, 3, 2))?.ok_or("case")?;
    Ok(detail
        .timeline
        .iter()
        .filter_map(|e| match e {
            TimelineEntry::Task(t) if t.title == "Reageer op reactie via QR" && !t.done => t.due_on,
            _ => None,
        })
        .collect())
}

#[test]
fn a_pulled_qr_answer_lands_on_its_case_as_contact_moment_and_task_and_ends_the_outreach()
-> TestResult {
    let f = Fixture::new()?;
    let mut vault = vault_with_case(&f)?;
    let started = vault.start_outreach(case_id(), d(2026, 2, 23), true)?;
    assert_eq!(started.task_ids.len(), 6, "week 1 four, letter, visit");
    let outreach = vault.outreach(case_id())?.ok_or("outreach")?;
    assert_eq!(outreach.status, OutreachStatus::WaitingForReaction);

    let ids = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    vault.apply_pull(&answer_page(case_id(), ids, 7))?;

    let responses: Vec<ResponseRecord> = vault.responses(case_id())?;
    assert_eq!(responses.len(), 1);
    assert_eq!(responses[0].id, ids.0);
    assert_eq!(responses[0].channel.as_deref(), Some("telefoon"));
    assert_eq!(responses[0].preferred_time.as_deref(), Some("middag"));
    assert_eq!(qr_moments(&mut vault, case_id())?, 1);
    // Monday 2 March: within one working day is Tuesday 3 March.
    assert_eq!(reply_tasks(&mut vault, case_id())?, [d(2026, 3, 3)]);

    let ended = vault.outreach(case_id())?.ok_or("outreach")?;
    assert_eq!(ended.status, OutreachStatus::Ended);
    assert_eq!(ended.ended_by_response_id, Some(ids.0));
    assert!(ended.ended_at.is_some());
    assert_eq!(
        vault.outbox_len()?,
        6,
        "only the plan's tasks; a pull pushes nothing"
    );
    Ok(())
}

#[test]
fn applying_the_same_pulled_answer_twice_adds_no_second_contact_moment_or_task() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = vault_with_case(&f)?;
    vault.start_outreach(case_id(), d(2026, 2, 23), false)?;
    let ids = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    vault.apply_pull(&answer_page(case_id(), ids, 7))?;
    let first_end = vault.outreach(case_id())?.ok_or("outreach")?;
    // A state check sets the cursor back: the same page comes again.
    vault.apply_pull(&answer_page(case_id(), ids, 7))?;
    for change in answer_page(case_id(), ids, 7).changes {
        vault.apply_remote(&change)?;
    }

    assert_eq!(vault.responses(case_id())?.len(), 1);
    assert_eq!(qr_moments(&mut vault, case_id())?, 1);
    assert_eq!(reply_tasks(&mut vault, case_id())?.len(), 1);
    assert_eq!(
        vault.outreach(case_id())?,
        Some(first_end),
        "ended once, not again"
    );
    Ok(())
}

#[test]
fn a_reaction_of_another_kind_ends_the_outreach_too_but_a_sent_letter_does_not() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = vault_with_case(&f)?;
    vault.start_outreach(case_id(), d(2026, 2, 23), true)?;
    let sent = |outcome: &str| -> RecordChange {
        pulled(
            "contact_moment",
            Uuid::now_v7(),
            json!({"case_id": case_id().to_string(), "kind": "whatsapp",
                   "at": "2026-02-24T10:00:00", "outcome": outcome}),
        )
    };
    vault.apply_remote(&sent("verstuurd"))?;
    assert_eq!(
        vault.outreach(case_id())?.ok_or("outreach")?.status,
        OutreachStatus::WaitingForReaction
    );
    vault.apply_remote(&sent("reactie_ontvangen"))?;
    let ended = vault.outreach(case_id())?.ok_or("outreach")?;
    assert_eq!(ended.status, OutreachStatus::Ended);
    assert_eq!(ended.ended_by_response_id, None);

    // A new sequence may start after the last one ended, not while one waits.
    vault.start_outreach(case_id(), d(2026, 6, 1), true)?;
    assert!(
        vault
            .start_outreach(case_id(), d(2026, 6, 2), true)
            .is_err()
    );
    Ok(())
}

#[test]
fn an_answer_for_a_case_without_outreach_is_stored_and_changes_nothing_else() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = vault_with_case(&f)?;
    vault.apply_pull(&answer_page(
        case_id(),
        (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7()),
        3,
    ))?;
    assert_eq!(vault.responses(case_id())?.len(), 1);
    assert_eq!(vault.outreach(case_id())?, None);
    Ok(())
}

#[test]
fn a_printed_letter_records_letter_and_contact_moment_and_pushes_both() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = vault_with_case(&f)?;
    let token = ResponseToken::generate()?;
    let url = format!("https://reactie.voorbeeld.nl/r/{token}");
    let expires_on = letter_link_expires_on(d(2026, 3, 2));
    assert_eq!(expires_on, d(2026, 5, 31));
    let recorded = vault.record_printed_letters(&[PrintedLetter {
        case_id: case_id(),
        template: LetterKind::HomeVisitAnnouncement,
        at: at(2026, 3, 2, 11),
        token: token.clone(),
        url: url.clone(),
        expires_on,
    }])?;
    assert_eq!(recorded.len(), 1);

    // What the server indexes: the letter's token, short code, case, type, expiry.
    let outbox = vault.outbox(10)?;
    assert_eq!(outbox.len(), 2);
    let letter = outbox
        .iter()
        .find(|op| op.entity == "letter")
        .ok_or("letter op")?;
    assert_eq!(letter.kind, OpKind::Append);
    assert_eq!(letter.entity_id, recorded[0].letter_id.to_string());
    let value = |field: &str| letter.changes.get(field).map(|c| c.value.clone());
    assert_eq!(value("token"), Some(json!(token.as_str())));
    assert_eq!(
        value("short_code"),
        Some(json!(token.short_code().as_str()))
    );
    assert_eq!(value("case_id"), Some(json!(case_id().to_string())));
    assert_eq!(value("template"), Some(json!("aankondiging_huisbezoek")));
    assert_eq!(value("expires_on"), Some(json!("2026-05-31")));
    assert_eq!(value("url"), Some(json!(url)));

    // The letter's contact moment: "brief verstuurd", pointing at the letter.
    let moment = outbox
        .iter()
        .find(|op| op.entity == "contact_moment")
        .ok_or("contact moment op")?;
    let value = |field: &str| moment.changes.get(field).map(|c| c.value.clone());
    assert_eq!(value("kind"), Some(json!("brief")));
    assert_eq!(value("outcome"), Some(json!("verstuurd")));
    assert_eq!(value("letter_kind"), Some(json!("aankondiging_huisbezoek")));
    assert_eq!(
        value("letter_id"),
        Some(json!(recorded[0].letter_id.to_string()))
    );
    let detail = vault.case_detail(case_id(), d(2026, 3, 2))?.ok_or("case")?;
    assert!(detail.timeline.iter().any(|e| matches!(e,
        TimelineEntry::Letter(l) if l.short_code.as_deref() == Some(token.short_code().as_str()))));
    Ok(())
}

#[test]
fn a_batch_is_one_transaction_refused_whole_when_a_case_is_unknown() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = vault_with_case(&f)?;
    let letter = |case| -> Result<PrintedLetter, Box<dyn std::error::Error>> {
        let token = ResponseToken::generate()?;
        Ok(PrintedLetter {
            case_id: case,
            template: LetterKind::InvitationToTalk,
            at: at(2026, 3, 2, 11),
            url: format!("https://reactie.voorbeeld.nl/r/{token}"),
            token,
            expires_on: d(2026, 5, 31),
        })
    };
    let batch = [letter(case_id())?, letter(Uuid::now_v7())?];
    assert!(vault.record_printed_letters(&batch).is_err());
    assert_eq!(vault.outbox_len()?, 0, "nothing of the batch was written");

    let good = letter(case_id())?;
    vault.record_printed_letters(std::slice::from_ref(&good))?;
    assert!(
        vault.record_printed_letters(&[good]).is_err(),
        "a token is recorded once"
    );
    assert_eq!(vault.outbox_len()?, 2);
    Ok(())
}

#[test]
fn a_card_printed_in_advance_is_linked_to_the_case_by_its_short_code() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = vault_with_case(&f)?;
    let tokens: Vec<ResponseToken> = (0..10)
        .map(|_| ResponseToken::generate())
        .collect::<Result<_, _>>()?;
    vault.record_printed_cards(&tokens, d(2026, 3, 1))?;
    assert_eq!(vault.outbox_len()?, 0, "a blank card is not pushed");
    assert!(
        vault
            .record_printed_cards(&tokens[..1], d(2026, 3, 1))
            .is_err()
    );

    // The consultant types the code as printed, in lower case.
    let typed = tokens[3].short_code().grouped().to_lowercase();
    let card = vault
        .printed_card(&ShortCode::parse(&typed)?)?
        .ok_or("card")?;
    vault.record_home_visit(
        case_id(),
        HomeVisit {
            at: at(2026, 3, 2, 16),
            outcome: ContactOutcome::NotHome,
            note: None,
            card: Some(card),
            followup: Some(vec![]),
        },
    )?;
    let outbox = vault.outbox(10)?;
    let moment = outbox
        .iter()
        .find(|op| op.entity == "contact_moment")
        .ok_or("contact moment")?;
    assert_eq!(
        moment.changes.get("card_token").map(|c| c.value.clone()),
        Some(json!(tokens[3].as_str()))
    );
    assert_eq!(
        moment
            .changes
            .get("card_short_code")
            .map(|c| c.value.clone()),
        Some(json!(tokens[3].short_code().as_str()))
    );
    assert!(
        vault
            .printed_card(&ShortCode::parse("00000-00000")?)?
            .is_none(),
        "an unknown code finds nothing"
    );
    Ok(())
}

#[test]
fn answers_since_a_moment_come_from_all_cases_newest_first_and_older_ones_stay_out() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = vault_with_case(&f)?;
    let other_case = Uuid::now_v7();
    let answer = |id: Uuid, case: Uuid, received: &str| {
        pulled(
            "response",
            id,
            json!({"case_id": case.to_string(), "received_at": received,
                   "channel": "whatsapp", "contact_value": "+31612345678",
                   "preferred_time": "avond"}),
        )
    };
    let (old, first, second) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    vault.apply_pull(&PullResponse {
        changes: vec![
            answer(old, case_id(), "2026-02-10T08:00:00.000000Z"),
            answer(first, case_id(), "2026-03-01T23:30:00.000000Z"),
            answer(second, other_case, "2026-03-02T09:15:00.000000Z"),
        ],
        purge: vec![],
        conflicts: vec![],
        next_cursor: 3,
        more: false,
        wipe: false,
    })?;
    let since = d(2026, 2, 16).and_hms_opt(0, 0, 0).ok_or("time")?.and_utc();
    let found = vault.responses_since(since)?;
    let ids: Vec<Uuid> = found.iter().map(|r| r.id).collect();
    assert_eq!(ids, [second, first], "newest first, the old one left out");
    assert_eq!(found[0].case_id, other_case);
    assert_eq!(
        found[1].received_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-03-01T23:30:00+00:00")
    );
    // The boundary is inclusive, to the second.
    let at_first = d(2026, 3, 1)
        .and_hms_opt(23, 30, 0)
        .ok_or("time")?
        .and_utc();
    assert_eq!(vault.responses_since(at_first)?.len(), 2);
    Ok(())
}
