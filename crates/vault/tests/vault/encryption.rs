//! Invariant 1: nothing personal touches the disk unencrypted.

use std::fs;
use std::time::{Duration, SystemTime};

use chrono::NaiveDate;
use uuid::Uuid;
use veldwerk_domain::{Address, CaseKind, ContactOutcome, PersonName};
use veldwerk_vault::model::{HomeVisit, NewCase, NewYouth};
use veldwerk_vault::{Mutation, Vault};

use crate::support::{
    self, Fixture, TestResult, byte_forms, files_containing, files_under, new_task, user,
};

#[test]
fn the_database_file_does_not_start_with_the_sqlite_header() -> TestResult {
    let f = Fixture::new()?;
    f.create()?.lock()?;
    let bytes = fs::read(f.dir().join("vault.db"))?;
    assert!(bytes.len() >= 4096, "the database has at least one page");
    assert!(!bytes.starts_with(b"SQLite format 3"));
    Ok(())
}

#[test]
fn a_marker_written_to_the_vault_is_in_no_file_of_the_vault_or_the_temp_folder() -> TestResult {
    // mtime granularity can be coarse: look at everything from a little before.
    let started = SystemTime::now() - Duration::from_secs(2);
    let f = Fixture::new()?;
    let marker = format!("Vwmarker{}", Uuid::now_v7().simple());
    let kept = Uuid::now_v7();
    let deleted = Uuid::now_v7();
    let needles = byte_forms(&marker);

    let mut vault = f.create()?;
    vault.apply(
        user(),
        new_task(kept, &format!("Huisbezoek {marker} Doğan")),
    )?;
    // The same text in an updated and in a deleted record: old row versions
    // and freed pages must not hold it in the clear either.
    vault.apply(user(), new_task(deleted, &marker))?;
    vault.apply(
        user(),
        Mutation::update("task", kept).set("title", format!("{marker} Zoë")),
    )?;
    vault.apply(user(), Mutation::delete("task", deleted))?;
    // The marker really is stored (so finding it nowhere means something).
    assert_eq!(vault.search(&marker, 5)?.len(), 1);

    let scan = |when: &str| {
        let found = files_containing(&files_under(&f.dir(), None), &needles);
        assert!(found.is_empty(), "{when}: marker in {found:?}");
    };
    assert!(f.dir().join("vault.db-wal").exists(), "the WAL is in use");
    scan("open, not checkpointed");
    vault.checkpoint()?;
    scan("open, checkpointed");
    vault.lock()?;
    scan("locked");

    let vault = f.unlock()?;
    let title = vault
        .record("task", kept)?
        .and_then(|r| r.fields.get("title").cloned());
    assert_eq!(title, Some(format!("{marker} Zoë").into()));
    vault.lock()?;
    scan("reopened and locked");

    // Nothing that appeared in the system temp folder during the test holds it.
    let recent = files_under(&std::env::temp_dir(), Some(started));
    let found = files_containing(&recent, &needles);
    assert!(found.is_empty(), "marker in temp files {found:?}");
    Ok(())
}

#[test]
fn a_marker_as_a_name_a_note_and_an_address_is_in_no_file_of_the_vault_or_the_temp_folder()
-> TestResult {
    let started = SystemTime::now() - Duration::from_secs(2);
    let f = Fixture::new()?;
    let name = format!("Vwnaam{}", Uuid::now_v7().simple());
    let note = format!("Vwnotitie{}", Uuid::now_v7().simple());
    let street = format!("Vwstraat{}", Uuid::now_v7().simple());
    let needles: Vec<Vec<u8>> = [&name, &note, &street]
        .iter()
        .flat_map(|m| byte_forms(m))
        .collect();
    let mut vault = f.create()?;
    let mut youth = NewYouth::new(
        PersonName::parse(&name, None, Some("van der"), &format!("{name}Doğan"))?,
        NaiveDate::from_ymd_opt(2011, 5, 4).ok_or("date")?,
    );
    youth.address = Some(Address::parse(
        &street,
        "12a",
        "7412 AB",
        "Brakelveen",
        None,
    )?);
    let youth_id = vault.youth().add(&youth)?;
    let case = vault.cases().open(&NewCase::new(
        youth_id,
        CaseKind::Verzuim,
        NaiveDate::from_ymd_opt(2026, 3, 2).ok_or("date")?,
    ))?;
    vault.record_home_visit(
        case,
        HomeVisit {
            at: NaiveDate::from_ymd_opt(2026, 3, 2)
                .and_then(|d| d.and_hms_opt(10, 0, 0))
                .ok_or("time")?,
            outcome: ContactOutcome::NotHome,
            note: Some(format!("Niemand thuis bij {name}, {note}")),
            card: None,
            followup: None,
        },
    )?;
    // Stored and searchable (so finding it nowhere on disk means something).
    assert_eq!(vault.search(&name, 5)?.len(), 2, "the youth and the note");
    assert_eq!(vault.search(&note, 5)?.len(), 1);
    assert_eq!(vault.search(&street, 5)?.len(), 1);
    vault.case_detail(case, NaiveDate::from_ymd_opt(2026, 3, 2).ok_or("date")?)?;

    let scan = |when: &str| {
        let found = files_containing(&files_under(&f.dir(), None), &needles);
        assert!(found.is_empty(), "{when}: marker in {found:?}");
    };
    scan("open");
    vault.checkpoint()?;
    scan("checkpointed");
    vault.lock()?;
    scan("locked");
    let recent = files_under(&std::env::temp_dir(), Some(started));
    let found = files_containing(&recent, &needles);
    assert!(found.is_empty(), "marker in temp files {found:?}");
    Ok(())
}

#[test]
fn key_files_are_age_files_and_the_passphrase_wrap_uses_the_chosen_work_factor() -> TestResult {
    let f = Fixture::new()?;
    f.create()?.lock()?;
    let by_passphrase = fs::read(f.dir().join("key.passphrase.age"))?;
    let by_recovery = fs::read(f.dir().join("key.recovery.age"))?;
    assert!(by_passphrase.starts_with(b"age-encryption.org/v1\n-> scrypt "));
    let factor = format!(" {}\n", veldwerk_vault::MIN_WORK_FACTOR);
    assert!(
        by_passphrase
            .windows(factor.len())
            .any(|w| w == factor.as_bytes())
    );
    assert!(by_recovery.starts_with(b"age-encryption.org/v1\n-> X25519 "));
    let meta: serde_json::Value = serde_json::from_slice(&fs::read(f.dir().join("vault.json"))?)?;
    assert_eq!(meta["format"], 1);
    assert_eq!(meta["recovery_recipient"], f.office.to_public().to_string());
    Ok(())
}

#[test]
fn a_vault_made_with_the_default_work_factor_unlocks_with_its_passphrase() -> TestResult {
    // The app's real setting, end to end (about a second: two scrypt runs).
    let f = Fixture::new()?;
    let recipient = f.office.to_public().to_string();
    Vault::create(&f.dir(), &support::passphrase(), &recipient)?.lock()?;
    let by_passphrase = fs::read(f.dir().join("key.passphrase.age"))?;
    let factor = format!(" {}\n", veldwerk_vault::DEFAULT_WORK_FACTOR);
    assert!(
        by_passphrase
            .windows(factor.len())
            .any(|w| w == factor.as_bytes())
    );
    Vault::unlock(&f.dir(), &support::passphrase())?.lock()?;
    Ok(())
}
