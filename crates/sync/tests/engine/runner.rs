use std::time::Duration;

use veldwerk_sync::{RunnerOptions, SyncEngine, SyncErrorKind, SyncRunner, SyncState};

use crate::support::{Device, TestResult, contact_moment, passphrase, spawn_server, status_until};

const DEADLINE: Duration = Duration::from_secs(20);

fn quick() -> RunnerOptions {
    RunnerOptions {
        debounce: Duration::from_millis(50),
        interval: Duration::from_secs(3600),
        retry_min: Duration::from_millis(50),
        retry_max: Duration::from_millis(400),
    }
}

fn start(dev: &Device, options: RunnerOptions) -> SyncRunner {
    SyncRunner::start(
        &tokio::runtime::Handle::current(),
        SyncEngine::new(dev.vault.clone(), dev.client.clone()),
        options,
    )
}

#[tokio::test]
async fn the_runner_syncs_at_start_and_shortly_after_each_local_change() -> TestResult {
    let server = spawn_server().await;
    let user = server.add_user("Anna");
    let dev = Device::enroll(&server.url(), &server.code(user)).await;
    let case = server.office_case(user);
    let runner = start(&dev, quick());

    let first = status_until(&runner, DEADLINE, "first sync", |s| {
        s.last_success_at.is_some()
    })
    .await?;
    assert_eq!(first.state, SyncState::Idle);
    assert!(first.online);
    assert!(
        dev.record(veldwerk_protocol::entities::CASE, case)
            .is_some()
    );

    let (moment, m) = contact_moment(case);
    dev.apply(m);
    runner.local_change();
    status_until(&runner, DEADLINE, "the change pushed", |s| {
        s.last_success_at > first.last_success_at && s.pending_operations == 0
    })
    .await?;
    assert!(
        server
            .store
            .record_values("contact_moment", &moment.to_string())?
            .is_some()
    );
    runner.stop().await;
    Ok(())
}

#[tokio::test]
async fn pending_changes_show_in_the_status_before_they_are_pushed() -> TestResult {
    let server = spawn_server().await;
    let user = server.add_user("Anna");
    let dev = Device::enroll(&server.url(), &server.code(user)).await;
    let case = server.office_case(user);
    let runner = start(
        &dev,
        RunnerOptions {
            debounce: Duration::from_secs(3600),
            ..quick()
        },
    );
    status_until(&runner, DEADLINE, "first sync", |s| {
        s.last_success_at.is_some()
    })
    .await?;
    dev.apply(contact_moment(case).1);
    dev.apply(contact_moment(case).1);
    runner.local_change();
    let status = status_until(&runner, DEADLINE, "two pending", |s| {
        s.pending_operations == 2
    })
    .await?;
    assert_eq!(status.state, SyncState::Idle);
    runner.sync_now();
    status_until(&runner, DEADLINE, "pushed on request", |s| {
        s.pending_operations == 0
    })
    .await?;
    runner.stop().await;
    Ok(())
}

#[tokio::test]
async fn the_runner_backs_off_while_the_server_is_down_and_syncs_as_soon_as_it_is_back()
-> TestResult {
    let mut server = spawn_server().await;
    let user = server.add_user("Anna");
    let dev = Device::enroll(&server.url(), &server.code(user)).await;
    let case = server.office_case(user);
    dev.sync().await?;
    server.stop().await;
    let runner = start(&dev, quick());

    let offline = status_until(&runner, DEADLINE, "offline", |s| {
        s.state == SyncState::Offline && s.next_attempt_at.is_some()
    })
    .await?;
    assert!(!offline.online);
    let error = offline.last_error.ok_or("an error")?;
    assert_eq!(error.kind, SyncErrorKind::Offline);
    assert!(error.message.starts_with("Geen verbinding met de server."));
    dev.apply(contact_moment(case).1);
    runner.local_change();

    server.start().await;
    let back = status_until(&runner, DEADLINE, "back online", |s| {
        s.state == SyncState::Idle && s.pending_operations == 0 && s.last_success_at.is_some()
    })
    .await?;
    assert!(back.online && back.last_error.is_none());
    assert!(
        dev.record(veldwerk_protocol::entities::CASE, case)
            .is_some()
    );
    runner.stop().await;
    Ok(())
}

#[tokio::test]
async fn a_revoked_device_shows_wiped_and_the_runner_stops() -> TestResult {
    let server = spawn_server().await;
    let user = server.add_user("Anna");
    let dev = Device::enroll(&server.url(), &server.code(user)).await;
    let runner = start(&dev, quick());
    status_until(&runner, DEADLINE, "first sync", |s| {
        s.last_success_at.is_some()
    })
    .await?;
    server
        .store
        .revoke_device(dev.device_id, chrono::Utc::now())?;
    runner.sync_now();
    let wiped = status_until(&runner, DEADLINE, "wiped", |s| s.state == SyncState::Wiped).await?;
    assert_eq!(
        wiped.last_error.map(|e| e.message),
        Some(
            "Dit apparaat is afgemeld door uw bureau. De gegevens op dit apparaat zijn gewist."
                .to_owned()
        )
    );
    assert!(!veldwerk_vault::exists(dev.dir.path()));
    runner.stop().await;
    Ok(())
}

#[tokio::test]
async fn a_locked_vault_pauses_sync_until_it_is_unlocked() -> TestResult {
    let server = spawn_server().await;
    let user = server.add_user("Anna");
    let dev = Device::enroll(&server.url(), &server.code(user)).await;
    let case = server.office_case(user);
    let vault = dev.vault.take().ok_or("unlocked")?;
    let runner = start(&dev, quick());
    status_until(&runner, DEADLINE, "locked", |s| {
        s.state == SyncState::Locked
    })
    .await?;

    dev.vault.put(vault);
    runner.sync_now();
    status_until(&runner, DEADLINE, "synced after unlock", |s| {
        s.last_success_at.is_some()
    })
    .await?;
    assert!(
        dev.record(veldwerk_protocol::entities::CASE, case)
            .is_some()
    );
    runner.stop().await;
    Ok(())
}

#[tokio::test]
async fn the_last_successful_sync_shows_again_after_a_restart_while_offline() -> TestResult {
    let mut server = spawn_server().await;
    let user = server.add_user("Anna");
    let dev = Device::enroll(&server.url(), &server.code(user)).await;
    let runner = start(&dev, quick());
    let synced = status_until(&runner, DEADLINE, "first sync", |s| {
        s.last_success_at.is_some()
    })
    .await?;
    runner.stop().await;
    let stored = dev.vault.with(|v| v.last_sync_at())??;
    assert_eq!(stored, synced.last_success_at);

    // Restart: the app locks (closes) the vault and unlocks it again, and
    // the server cannot be reached, so no sync succeeds this time.
    dev.vault.take().ok_or("unlocked")?.lock()?;
    server.stop().await;
    dev.vault.put(veldwerk_vault::Vault::unlock(
        dev.dir.path(),
        &passphrase(),
    )?);
    let runner = start(&dev, quick());
    let offline = status_until(&runner, DEADLINE, "offline", |s| {
        s.state == SyncState::Offline
    })
    .await?;
    assert_eq!(offline.last_success_at, synced.last_success_at);
    runner.stop().await;
    Ok(())
}
