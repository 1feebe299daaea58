//! A process killed with SIGKILL in the middle of a burst of writes loses
//! none of the writes that had returned, and leaves a sound database.
//!
//! The parent re-runs this test binary as the child, selecting only
//! [`child_writes_until_killed`] and pointing it at the vault through an
//! environment variable. The child prints each id after `apply` returned;
//! the parent kills it after reading enough lines (no sleeps), reads what
//! was printed before the kill, and checks every id is in the vault.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use chrono::Utc;
use uuid::Uuid;
use veldwerk_vault::{Mutation, Vault};

use crate::support::{Fixture, TestResult, new_task, options, passphrase, user};

const CHILD_ENV: &str = "VELDWERK_VAULT_CRASH_CHILD_DIR";
const CHILD_TEST: &str = "crash::child_writes_until_killed";
const BURST: usize = 100_000;
const KILL_AFTER: usize = 60;

/// Runs only as the child of the test below; passes trivially otherwise.
#[test]
fn child_writes_until_killed() -> TestResult {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return Ok(());
    };
    let mut vault = Vault::unlock_with(dir.as_ref(), &passphrase(), options(), Utc::now())?;
    let stdout = std::io::stdout();
    for i in 0..BURST {
        let id = Uuid::now_v7();
        vault.apply(user(), new_task(id, &format!("Taak {i}")))?;
        vault.apply(user(), Mutation::update("task", id).set("done", true))?;
        let mut out = stdout.lock();
        writeln!(out, "committed {id}")?;
        out.flush()?;
    }
    Ok(())
}

#[test]
fn writes_that_returned_survive_a_sigkill_in_the_middle_of_a_burst() -> TestResult {
    let f = Fixture::new()?;
    f.create()?.lock()?;
    let mut child = Command::new(std::env::current_exe()?)
        .args([CHILD_TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, f.dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut reader = BufReader::new(child.stdout.take().ok_or("no stdout")?);
    let mut ids = Vec::new();
    let mut killed = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        // A line cut short by the kill has no newline: that write is unconfirmed.
        let Some(text) = line.strip_suffix(b"\n") else {
            break;
        };
        // With one test thread, libtest writes "test <name> ... " without
        // a newline before the test runs, so the first id can share its
        // line (missing it made the count one write short, and the test
        // flaky when the kill also landed after an unprinted commit).
        let text = std::str::from_utf8(text)?;
        if let Some((_, id)) = text.split_once("committed ") {
            ids.push(Uuid::parse_str(id)?);
        }
        if ids.len() == KILL_AFTER && !killed {
            child.kill()?; // SIGKILL
            killed = true;
        }
    }
    let status = child.wait()?;
    assert!(killed, "the child stopped before the burst got going");
    assert!(!status.success(), "the child was killed, not finished");
    assert!(ids.len() >= KILL_AFTER && ids.len() < BURST);

    let vault = Vault::unlock_with(&f.dir(), &passphrase(), options(), Utc::now())?;
    assert!(vault.integrity_check()?);
    for id in &ids {
        let record = vault
            .record("task", *id)?
            .ok_or("a confirmed write is missing")?;
        assert_eq!(record.version, 2, "both writes of {id} are there");
    }
    let confirmed = u64::try_from(ids.len())? * 2;
    // Each write has its operation and audit entry; at most one more write
    // committed after its line could be printed.
    let operations = vault.outbox_len()?;
    assert!(
        (confirmed..=confirmed + 2).contains(&operations),
        "{operations} operations for {confirmed} confirmed writes"
    );
    assert_eq!(vault.outbox_len()?, vault.audit_len()?);
    Ok(())
}
