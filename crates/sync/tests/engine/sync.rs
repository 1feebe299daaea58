use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use serde_json::json;
use veldwerk_protocol::entities;
use veldwerk_server::config::Limits;
use veldwerk_sync::{
    ClientOptions, EnrollOptions, SyncEngine, SyncError, SyncErrorKind, SyncOptions, SyncPhase,
    VaultHandle, client_for, enroll_with, stored_branding, stored_profile,
};
use veldwerk_vault::{Mutation, Vault};

use crate::support::{
    Device, TestResult, contact_moment, fast_vault, passphrase, spawn_server, spawn_server_with,
};

#[tokio::test]
async fn enrollment_creates_a_vault_the_bureau_can_recover_and_keeps_the_profile() -> TestResult {
    let server = spawn_server().await;
    let user = server.add_user("Anna de Boer");
    let dev = Device::enroll(&server.url(), &server.code(user)).await;
    assert_eq!(dev.user, user);
    let (profile, branding, device_id) = dev.vault.with(|v| {
        (
            stored_profile(v),
            stored_branding(v),
            veldwerk_sync::credentials(v).map(|(_, c)| c.device_id),
        )
    })?;
    assert_eq!(profile?.map(|p| p.name), Some("Anna de Boer".to_owned()));
    assert!(branding?.is_some());
    assert_eq!(device_id?, dev.device_id);
    assert_eq!(dev.vault.with(|v| v.user_id())?, user);

    // The office opens the vault with its recovery identity.
    let vault = dev.vault.take().ok_or("unlocked")?;
    vault.lock()?;
    let recovered = Vault::recover_with(
        dev.dir.path(),
        &server.recovery_identity,
        &veldwerk_vault::Passphrase::new("nieuw wachtwoord"),
        fast_vault(),
    )?;
    assert_eq!(recovered.user_id(), user);
    Ok(())
}

#[tokio::test]
async fn a_spent_enrollment_code_is_refused_in_dutch_and_makes_no_vault() -> TestResult {
    let server = spawn_server().await;
    let user = server.add_user("Anna");
    let code = server.code(user);
    let _first = Device::enroll(&server.url(), &code).await;
    let dir = tempfile::tempdir()?;
    let options = EnrollOptions {
        vault: fast_vault(),
        client: ClientOptions::default(),
    };
    let again = enroll_with(
        dir.path(),
        &server.url(),
        &code,
        "laptop",
        &passphrase(),
        &options,
    )
    .await;
    let err = again.err().ok_or("a used code fails")?;
    assert_eq!(err.kind(), SyncErrorKind::InvalidEnrollmentCode);
    assert!(
        err.message_nl().contains("aanmeldcode"),
        "{}",
        err.message_nl()
    );
    assert!(!veldwerk_vault::exists(dir.path()));
    Ok(())
}

#[tokio::test]
async fn an_office_case_reaches_the_device_and_the_work_done_on_it_reaches_the_server() -> TestResult
{
    let server = spawn_server().await;
    let user = server.add_user("Anna");
    let dev = Device::enroll(&server.url(), &server.code(user)).await;
    let case = server.office_case(user);

    let first = dev.sync().await?;
    assert_eq!(first.pulled, 3, "youth, case and melding: {first:?}");
    assert!(dev.record(entities::CASE, case).is_some());

    let (moment, m) = contact_moment(case);
    dev.apply(m);
    dev.apply(Mutation::update(entities::CASE, case).set("status", "in_onderzoek"));
    assert_eq!(dev.pending(), 2);

    let second = dev.sync().await?;
    assert_eq!((second.pushed, second.rejected), (2, 0));
    assert_eq!(dev.pending(), 0);
    let on_server = server
        .store
        .record_values(entities::CONTACT_MOMENT, &moment.to_string())?
        .ok_or("the contact moment is on the server")?;
    assert_eq!(on_server["note"], json!("Moeder gesproken"));
    let case_on_server = server
        .store
        .record_values(entities::CASE, &case.to_string())?
        .ok_or("case")?;
    assert_eq!(case_on_server["status"], json!("in_onderzoek"));

    // The next edit is based on the version the server gave the field.
    let third = dev.sync().await?;
    assert_eq!(
        (third.pushed, third.pulled, third.full_resync),
        (0, 0, false)
    );
    dev.apply(Mutation::update(entities::CASE, case).set("status", "afgerond"));
    let ops = dev.vault.with(|v| v.outbox(10))??;
    assert_eq!(ops[0].changes["status"].base_version, 2);
    Ok(())
}

#[tokio::test]
async fn a_large_pull_arrives_in_pages_and_reports_its_progress() -> TestResult {
    let server = spawn_server().await;
    let user = server.add_user("Anna");
    let dev = Device::enroll(&server.url(), &server.code(user)).await;
    for _ in 0..12 {
        server.office_case(user);
    }
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let engine = SyncEngine::new(dev.vault.clone(), dev.client.clone())
        .with_options(SyncOptions {
            pull_limit: 5,
            ..SyncOptions::default()
        })
        .on_progress(move |p| sink.lock().map(|mut s| s.push(p)).unwrap_or(()));
    let summary = engine.sync_once().await?;
    assert_eq!(summary.pulled, 36);
    assert_eq!(summary.pages, 8, "36 records in pages of 5");
    let seen = seen.lock().map_err(|_| "lock")?.clone();
    let pulls: Vec<_> = seen.iter().filter(|p| p.phase == SyncPhase::Pull).collect();
    assert_eq!(pulls.len(), 8);
    assert!(pulls.windows(2).all(|w| w[0].records <= w[1].records));
    assert_eq!(pulls.last().map(|p| (p.pages, p.records)), Some((8, 36)));
    assert_eq!(dev.ids(entities::CASE).len(), 12);
    Ok(())
}

#[tokio::test]
async fn a_push_batch_too_large_for_the_server_is_split_until_it_fits() -> TestResult {
    let server = spawn_server_with(Limits {
        max_operations_per_push: 5,
        ..Limits::default()
    })
    .await;
    let user = server.add_user("Anna");
    let dev = Device::enroll(&server.url(), &server.code(user)).await;
    let case = server.office_case(user);
    dev.sync().await?;
    for _ in 0..12 {
        dev.apply(contact_moment(case).1);
    }
    let summary = dev.sync().await?;
    assert_eq!(summary.pushed, 12);
    assert_eq!(dev.pending(), 0);
    Ok(())
}

#[tokio::test]
async fn work_on_a_case_taken_away_meanwhile_is_rejected_kept_visible_and_blocks_nothing()
-> TestResult {
    let server = spawn_server().await;
    let anna = server.add_user("Anna");
    let bram = server.add_user("Bram");
    let dev = Device::enroll(&server.url(), &server.code(anna)).await;
    let kept = server.office_case(anna);
    let taken = server.office_case(anna);
    dev.sync().await?;

    // Offline, Anna records on both cases; meanwhile the office reassigns one.
    let (late, m) = contact_moment(taken);
    dev.apply(m);
    let (fine, m) = contact_moment(kept);
    dev.apply(m);
    server
        .store
        .assign_case(&taken.to_string(), bram, chrono::Utc::now())?;

    let summary = dev.sync().await?;
    assert_eq!((summary.pushed, summary.rejected), (1, 1));
    assert!(
        summary.purged >= 3,
        "the taken case leaves the device: {summary:?}"
    );
    assert!(dev.record(entities::CASE, taken).is_none());
    assert!(dev.record(entities::CONTACT_MOMENT, fine).is_some());
    let rejected = dev.vault.with(|v| v.rejected_ops())??;
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].operation.entity_id, late.to_string());
    assert_eq!(
        rejected[0].reason,
        Some(veldwerk_protocol::RejectReason::NotFound)
    );
    assert_eq!(dev.pending(), 0, "a rejected operation is not pushed again");
    Ok(())
}

#[tokio::test]
async fn a_device_restored_from_an_old_backup_is_resynced_without_losing_its_unpushed_work()
-> TestResult {
    let server = spawn_server().await;
    let user = server.add_user("Anna");
    let dev = Device::enroll(&server.url(), &server.code(user)).await;
    let case = server.office_case(user);
    dev.sync().await?;

    // The backup: the vault folder copied while the vault is locked.
    let backup = tempfile::tempdir()?;
    let vault = dev.vault.take().ok_or("unlocked")?;
    vault.lock()?;
    copy_dir(dev.dir.path(), backup.path())?;
    dev.vault.put(Vault::unlock_with(
        dev.dir.path(),
        &passphrase(),
        fast_vault(),
        chrono::Utc::now(),
    )?);

    // Work after the backup reaches the server.
    let (after_backup, m) = contact_moment(case);
    dev.apply(m);
    dev.sync().await?;

    // The laptop is restored from the backup, and new work is done offline.
    let vault = dev.vault.take().ok_or("unlocked")?;
    vault.lock()?;
    for entry in std::fs::read_dir(dev.dir.path())? {
        std::fs::remove_file(entry?.path())?;
    }
    copy_dir(backup.path(), dev.dir.path())?;
    dev.vault.put(Vault::unlock_with(
        dev.dir.path(),
        &passphrase(),
        fast_vault(),
        chrono::Utc::now(),
    )?);
    assert!(dev.record(entities::CONTACT_MOMENT, after_backup).is_none());
    let (offline, m) = contact_moment(case);
    dev.apply(m);

    let summary = dev.sync().await?;
    assert!(summary.full_resync, "the server notices: {summary:?}");
    assert!(dev.record(entities::CONTACT_MOMENT, after_backup).is_some());
    assert!(dev.record(entities::CONTACT_MOMENT, offline).is_some());
    assert!(
        server
            .store
            .record_values(entities::CONTACT_MOMENT, &offline.to_string())?
            .is_some(),
        "the offline work reached the server"
    );
    assert_eq!(dev.pending(), 0);
    let next = dev.sync().await?;
    assert!(!next.full_resync, "in step again: {next:?}");
    Ok(())
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

#[tokio::test]
async fn a_revoked_device_wipes_its_vault_at_the_next_sync() -> TestResult {
    let server = spawn_server().await;
    let user = server.add_user("Anna");
    let dev = Device::enroll(&server.url(), &server.code(user)).await;
    server.office_case(user);
    dev.sync().await?;
    assert!(veldwerk_vault::exists(dev.dir.path()));

    server
        .store
        .revoke_device(dev.device_id, chrono::Utc::now())?;
    let err = dev.sync().await.err().ok_or("a revoked device fails")?;
    assert!(matches!(err, SyncError::Revoked), "{err:?}");
    assert_eq!(
        err.message_nl(),
        "Dit apparaat is afgemeld door uw bureau. De gegevens op dit apparaat zijn gewist."
    );
    assert!(!dev.vault.is_unlocked());
    assert!(!veldwerk_vault::exists(dev.dir.path()));
    let left: BTreeSet<String> = std::fs::read_dir(dev.dir.path())?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        left.iter()
            .all(|f| !f.contains("key") && !f.contains("vault.db")),
        "{left:?}"
    );
    Ok(())
}

#[tokio::test]
async fn an_unreachable_server_is_reported_in_dutch_and_nothing_is_lost() -> TestResult {
    let mut server = spawn_server().await;
    let user = server.add_user("Anna");
    let dev = Device::enroll(&server.url(), &server.code(user)).await;
    let case = server.office_case(user);
    dev.sync().await?;
    dev.apply(contact_moment(case).1);
    server.stop().await;

    let err = dev.sync().await.err().ok_or("offline")?;
    assert_eq!(err.kind(), SyncErrorKind::Offline);
    assert_eq!(
        err.message_nl(),
        "Geen verbinding met de server. Uw werk is veilig opgeslagen en wordt later verstuurd."
    );
    assert_eq!(dev.pending(), 1);

    server.start().await;
    assert_eq!(dev.sync().await?.pushed, 1);
    assert_eq!(dev.pending(), 0);
    Ok(())
}

#[tokio::test]
async fn an_app_too_old_for_the_server_is_told_in_dutch_to_update() -> TestResult {
    // A server speaking a later protocol: every request answers 426.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 64 * 1024];
            let _ = socket.read(&mut buf).await;
            let body = serde_json::to_string(&veldwerk_protocol::ErrorCode::UpdateRequired.body())
                .unwrap_or_default();
            let response = format!(
                "HTTP/1.1 426 Upgrade Required\r\ncontent-type: application/json\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
        }
    });
    let dir = tempfile::tempdir()?;
    let options = EnrollOptions {
        vault: fast_vault(),
        client: ClientOptions::default(),
    };
    let err = enroll_with(
        dir.path(),
        &format!("http://{addr}"),
        "ABCD-EFGH-JKMN",
        "laptop",
        &passphrase(),
        &options,
    )
    .await
    .err()
    .ok_or("refused")?;
    assert_eq!(err.kind(), SyncErrorKind::UpdateRequired);
    assert_eq!(
        err.message_nl(),
        "Deze versie van Veldwerk is te oud. Installeer de nieuwe versie."
    );
    assert!(!err.kind().is_retried());
    Ok(())
}

#[tokio::test]
async fn two_devices_editing_the_same_field_get_the_conflict_and_one_resolution_reaches_both()
-> TestResult {
    let server = spawn_server().await;
    let anna = server.add_user("Anna");
    let bram = server.add_user("Bram");
    let a = Device::enroll(&server.url(), &server.code(anna)).await;
    let b = Device::enroll(&server.url(), &server.code(bram)).await;
    let case = server.office_case(anna);
    server
        .store
        .share_case(&case.to_string(), bram, chrono::Utc::now())?;
    a.sync().await?;
    b.sync().await?;

    a.apply(Mutation::update(entities::CASE, case).set("status", "wacht_op_school"));
    b.apply(Mutation::update(entities::CASE, case).set("status", "huisbezoek_gepland"));
    a.sync().await?;
    let b_summary = b.sync().await?;
    assert_eq!(b_summary.conflicts, 1, "{b_summary:?}");
    a.sync().await?;
    let open = |d: &Device| d.vault.with(|v| v.open_conflicts());
    let (a_open, b_open) = (open(&a)??, open(&b)??);
    assert_eq!((a_open.len(), b_open.len()), (1, 1));
    assert_eq!(a_open[0].id, b_open[0].id);

    // Anna keeps her value; the resolution syncs like any change.
    let id = a_open[0].id;
    a.vault.with(|v| {
        v.resolve_conflict(
            id,
            veldwerk_vault::ConflictChoice::Value(json!("wacht_op_school")),
        )
    })??;
    a.sync().await?;
    b.sync().await?;
    assert!(open(&a)??.is_empty() && open(&b)??.is_empty());
    for d in [&a, &b] {
        let record = d.record(entities::CASE, case).ok_or("case")?;
        assert_eq!(record.fields["status"], json!("wacht_op_school"));
    }
    Ok(())
}

#[tokio::test]
async fn a_vault_handle_without_a_vault_reports_locked() -> TestResult {
    let server = spawn_server().await;
    let user = server.add_user("Anna");
    let dev = Device::enroll(&server.url(), &server.code(user)).await;
    let client = dev
        .vault
        .with(|v| client_for(v, &ClientOptions::default()))??;
    let empty = VaultHandle::empty();
    let err = veldwerk_sync::sync_once(&empty, &client)
        .await
        .err()
        .ok_or("locked")?;
    assert_eq!(err.kind(), SyncErrorKind::Locked);
    Ok(())
}
