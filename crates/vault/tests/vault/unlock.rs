//! Unlocking, wrong passphrases and their backoff, recovery, passphrase
//! change, the idle lock.

use std::time::Duration;

use chrono::Utc;
use uuid::Uuid;
use veldwerk_vault::{Passphrase, Vault, VaultError, VaultOptions};

use crate::support::{Fixture, TestResult, hashes, new_task, options, passphrase, t0, user};

fn wrong() -> Passphrase {
    Passphrase::new("paard batterij nietje fout")
}

fn secs(n: i64) -> chrono::Duration {
    chrono::Duration::seconds(n)
}

#[test]
fn exists_tells_an_empty_folder_from_a_vault() -> TestResult {
    let f = Fixture::new()?;
    assert!(!veldwerk_vault::exists(&f.dir()));
    f.create()?.lock()?;
    assert!(veldwerk_vault::exists(&f.dir()));
    Ok(())
}

#[test]
fn creating_over_an_existing_vault_is_refused() -> TestResult {
    let f = Fixture::new()?;
    f.create()?.lock()?;
    let before = hashes(&f.dir())?;
    assert!(
        matches!(f.create(), Err(e) if matches!(e.downcast_ref(), Some(VaultError::AlreadyExists)))
    );
    assert_eq!(hashes(&f.dir())?, before);
    Ok(())
}

#[test]
fn a_bad_recovery_key_or_empty_passphrase_creates_nothing() -> TestResult {
    let f = Fixture::new()?;
    let bad = Vault::create_with(&f.dir(), &passphrase(), "age1notakey", options());
    assert!(matches!(bad, Err(VaultError::InvalidRecoveryRecipient)));
    let recipient = f.office.to_public().to_string();
    let empty = Vault::create_with(&f.dir(), &Passphrase::new(""), &recipient, options());
    assert!(matches!(empty, Err(VaultError::EmptyPassphrase)));
    assert!(!f.dir().exists());
    Ok(())
}

#[test]
fn unlocking_a_folder_without_a_vault_says_so() -> TestResult {
    let f = Fixture::new()?;
    assert!(matches!(f.unlock(), Err(VaultError::NotFound)));
    Ok(())
}

#[test]
fn a_wrong_passphrase_is_its_own_error_and_leaves_every_vault_file_unchanged() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    vault.apply(user(), new_task(Uuid::now_v7(), "Bel school"))?;
    vault.lock()?;
    let before = hashes(&f.dir())?;

    let err = Vault::unlock_with(&f.dir(), &wrong(), options(), t0());
    assert!(matches!(err, Err(VaultError::WrongPassphrase)), "{err:?}");
    assert_eq!(
        err.err().map(|e| e.to_string()).as_deref(),
        Some("the passphrase is wrong")
    );

    let mut after = hashes(&f.dir())?;
    assert!(
        after.remove("backoff.json").is_some(),
        "the failure is counted"
    );
    assert_eq!(
        after, before,
        "database, WAL, key files and metadata untouched"
    );
    Ok(())
}

#[test]
fn wrong_passphrases_slow_down_unlocking_and_the_wait_survives_a_new_unlock_call() -> TestResult {
    let f = Fixture::new()?;
    f.create()?.lock()?;
    let unlock = |p: &Passphrase, at| Vault::unlock_with(&f.dir(), p, options(), at);

    // Two free failures, the third one costs 2 seconds.
    for _ in 0..3 {
        assert!(matches!(
            unlock(&wrong(), t0()),
            Err(VaultError::WrongPassphrase)
        ));
    }
    assert_eq!(
        Vault::unlock_wait(&f.dir(), t0())?,
        Some(Duration::from_secs(2))
    );
    let backoff: serde_json::Value =
        serde_json::from_slice(&std::fs::read(f.dir().join("backoff.json"))?)?;
    assert_eq!(backoff["failures"], 3);

    // Even the right passphrase waits; every call reads the persisted state.
    let early = unlock(&passphrase(), t0() + secs(1));
    assert!(
        matches!(early, Err(VaultError::TooManyAttempts { retry_after }) if retry_after == Duration::from_secs(1)),
        "{early:?}"
    );

    // The fourth failure doubles the wait.
    assert!(matches!(
        unlock(&wrong(), t0() + secs(2)),
        Err(VaultError::WrongPassphrase)
    ));
    let waiting = unlock(&passphrase(), t0() + secs(5));
    assert!(
        matches!(waiting, Err(VaultError::TooManyAttempts { retry_after }) if retry_after == Duration::from_secs(1)),
        "{waiting:?}"
    );

    // Success resets it.
    unlock(&passphrase(), t0() + secs(6))?.lock()?;
    assert_eq!(Vault::unlock_wait(&f.dir(), t0() + secs(6))?, None);
    assert!(matches!(
        unlock(&wrong(), t0() + secs(6)),
        Err(VaultError::WrongPassphrase)
    ));
    assert_eq!(
        Vault::unlock_wait(&f.dir(), t0() + secs(6))?,
        None,
        "a new first failure is free"
    );
    Ok(())
}

#[test]
fn the_recovery_identity_opens_the_vault_and_a_different_identity_does_not() -> TestResult {
    let f = Fixture::new()?;
    let id = Uuid::now_v7();
    let mut vault = f.create()?;
    vault.apply(user(), new_task(id, "Huisbezoek"))?;
    vault.lock()?;
    let new = Passphrase::new("nieuw wachtwoord voor de collega");

    let stranger = age::x25519::Identity::generate();
    let stranger = age::secrecy::ExposeSecret::expose_secret(&stranger.to_string()).to_owned();
    let before = hashes(&f.dir())?;
    assert!(matches!(
        Vault::recover_with(&f.dir(), &stranger, &new, options()),
        Err(VaultError::WrongRecoveryIdentity)
    ));
    assert!(matches!(
        Vault::recover_with(&f.dir(), "AGE-SECRET-KEY-1NOPE", &new, options()),
        Err(VaultError::InvalidRecoveryIdentity)
    ));
    assert_eq!(hashes(&f.dir())?, before);

    let vault = Vault::recover_with(&f.dir(), &f.office_secret(), &new, options())?;
    assert!(vault.record("task", id)?.is_some());
    vault.lock()?;

    assert!(matches!(f.unlock(), Err(VaultError::WrongPassphrase)));
    let vault = Vault::unlock_with(&f.dir(), &new, options(), Utc::now())?;
    assert!(vault.record("task", id)?.is_some());
    Ok(())
}

#[test]
fn recovery_resets_the_backoff() -> TestResult {
    let f = Fixture::new()?;
    f.create()?.lock()?;
    for _ in 0..5 {
        let _ = Vault::unlock_with(&f.dir(), &wrong(), options(), Utc::now());
    }
    assert!(Vault::unlock_wait(&f.dir(), Utc::now())?.is_some());
    let new = Passphrase::new("nieuw");
    Vault::recover_with(&f.dir(), &f.office_secret(), &new, options())?.lock()?;
    assert_eq!(Vault::unlock_wait(&f.dir(), Utc::now())?, None);
    Ok(())
}

#[test]
fn changing_the_passphrase_keeps_all_data_touches_only_the_passphrase_wrap_and_retires_the_old_one()
-> TestResult {
    let f = Fixture::new()?;
    let ids: Vec<Uuid> = (0..5).map(|_| Uuid::now_v7()).collect();
    let mut vault = f.create()?;
    for (i, id) in ids.iter().enumerate() {
        vault.apply(user(), new_task(*id, &format!("Taak {i}")))?;
    }
    vault.checkpoint()?;
    let before = hashes(&f.dir())?;
    let new = Passphrase::new("een heel ander wachtwoord");

    assert!(matches!(
        vault.change_passphrase(&wrong(), &new),
        Err(VaultError::WrongPassphrase)
    ));
    assert!(matches!(
        vault.change_passphrase(&passphrase(), &Passphrase::new("")),
        Err(VaultError::EmptyPassphrase)
    ));
    assert_eq!(hashes(&f.dir())?, before);

    vault.change_passphrase(&passphrase(), &new)?;
    let mut after = hashes(&f.dir())?;
    let mut expected = before.clone();
    assert_ne!(
        after.remove("key.passphrase.age"),
        expected.remove("key.passphrase.age")
    );
    assert_eq!(after, expected, "only key.passphrase.age changed");
    vault.lock()?;

    assert!(matches!(f.unlock(), Err(VaultError::WrongPassphrase)));
    let vault = Vault::unlock_with(&f.dir(), &new, options(), Utc::now())?;
    for id in &ids {
        assert!(vault.record("task", *id)?.is_some());
    }
    assert_eq!(vault.outbox_len()?, 5);
    Ok(())
}

#[test]
fn a_new_recovery_key_replaces_the_old_one() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    let next = age::x25519::Identity::generate();
    vault.set_recovery_recipient(&next.to_public().to_string())?;
    vault.lock()?;
    let new = Passphrase::new("x");
    assert!(matches!(
        Vault::recover_with(&f.dir(), &f.office_secret(), &new, options()),
        Err(VaultError::WrongRecoveryIdentity)
    ));
    let next = age::secrecy::ExposeSecret::expose_secret(&next.to_string()).to_owned();
    Vault::recover_with(&f.dir(), &next, &new, options())?.lock()?;
    Ok(())
}

#[test]
fn an_untouched_vault_goes_idle_after_the_timeout_and_touching_postpones_it() -> TestResult {
    assert_eq!(
        VaultOptions::default().idle_timeout,
        Duration::from_secs(600)
    );
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    let minutes = chrono::Duration::minutes;
    vault.touch_at(t0());
    assert!(!vault.is_idle(t0() + minutes(10) - secs(1)));
    assert!(vault.is_idle(t0() + minutes(10)));
    vault.touch_at(t0() + minutes(5));
    assert!(!vault.is_idle(t0() + minutes(14)));
    assert_eq!(vault.locks_at(), t0() + minutes(15));

    let mut slot = Some(vault);
    assert!(!Vault::lock_if_idle(&mut slot, t0() + minutes(14))?);
    assert!(slot.is_some());
    assert!(Vault::lock_if_idle(&mut slot, t0() + minutes(15))?);
    assert!(slot.is_none());
    Ok(())
}

#[test]
fn the_idle_timeout_is_configurable() -> TestResult {
    let f = Fixture::new()?;
    f.create()?.lock()?;
    let short = VaultOptions {
        idle_timeout: Duration::from_secs(60),
        ..options()
    };
    let mut vault = Vault::unlock_with(&f.dir(), &passphrase(), short, t0())?;
    vault.touch_at(t0());
    assert!(vault.is_idle(t0() + secs(60)));
    Ok(())
}

#[test]
fn reopening_a_vault_applies_no_migration_twice() -> TestResult {
    let f = Fixture::new()?;
    let vault = f.create()?;
    assert_eq!(vault.schema_version()?, Vault::latest_schema_version());
    vault.lock()?;
    let vault = f.unlock()?;
    assert_eq!(vault.schema_version()?, Vault::latest_schema_version());
    assert!(vault.integrity_check()?);
    Ok(())
}

#[test]
fn an_unlocked_vault_can_live_in_the_apps_shared_state() {
    // Tauri keeps state in a Mutex shared across threads: Vault must be Send.
    fn send<T: Send>() {}
    send::<Vault>();
    send::<std::sync::Mutex<Option<Vault>>>();
}
