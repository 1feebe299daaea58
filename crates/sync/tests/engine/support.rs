//! The real server on 127.0.0.1:0 (the server crate's library, a fresh
//! store in a temp dir, the system clock), and devices: real vaults in temp
//! dirs enrolled through `veldwerk_sync::enroll_with`.

use std::net::SocketAddr;
use std::time::Duration;

use chrono::Utc;
use tempfile::TempDir;
use tokio::sync::oneshot;
use uuid::Uuid;
use veldwerk_protocol::Role;
use veldwerk_server::config::Limits;
use veldwerk_server::store::{NewUser, StoreOptions};
use veldwerk_server::{AppState, Clock, Store};
use veldwerk_sync::{
    Client, ClientOptions, EnrollOptions, SyncError, SyncRunner, SyncStatus, SyncSummary,
    VaultHandle, client_for, enroll_with, sync_once,
};
use veldwerk_vault::{MIN_WORK_FACTOR, Mutation, Passphrase, Record, VaultOptions};

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

pub struct TestServer {
    pub addr: SocketAddr,
    pub store: Store,
    /// The bureau's recovery identity (`AGE-SECRET-KEY-1...`).
    pub recovery_identity: String,
    limits: Limits,
    running: Option<(oneshot::Sender<()>, tokio::task::JoinHandle<()>)>,
    _dir: TempDir,
}

pub async fn spawn_server() -> TestServer {
    spawn_server_with(Limits::default()).await
}

pub async fn spawn_server_with(limits: Limits) -> TestServer {
    let dir = tempfile::tempdir().expect("temp dir");
    let store =
        Store::open(&dir.path().join("server.db"), StoreOptions::default()).expect("store opens");
    let identity = age::x25519::Identity::generate();
    store
        .set_recovery_public_key(&identity.to_public().to_string(), false, Utc::now())
        .expect("recovery key");
    let recovery_identity = {
        use age::secrecy::ExposeSecret as _;
        identity.to_string().expose_secret().to_owned()
    };
    let mut server = TestServer {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        store,
        recovery_identity,
        limits,
        running: None,
        _dir: dir,
    };
    server.start().await;
    server
}

impl TestServer {
    /// Serves on `self.addr` (a free port the first time, the same one after).
    pub async fn start(&mut self) {
        let listener = tokio::net::TcpListener::bind(self.addr)
            .await
            .expect("bind");
        self.addr = listener.local_addr().expect("addr");
        let state = AppState::new(self.store.clone(), Clock::system(), self.limits.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = veldwerk_server::serve(state, None, listener, async {
                let _ = rx.await;
            })
            .await;
        });
        self.running = Some((tx, task));
    }

    /// Stops serving (graceful: requests in flight finish); the port is free.
    pub async fn stop(&mut self) {
        if let Some((tx, task)) = self.running.take() {
            let _ = tx.send(());
            let _ = task.await;
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn add_user(&self, name: &str) -> Uuid {
        self.store
            .add_user(
                &NewUser {
                    name: name.into(),
                    role: Role::Leerplichtambtenaar,
                    boa: false,
                    gemeenten: vec!["Utrecht".into()],
                },
                Utc::now(),
            )
            .expect("user")
            .id
    }

    pub fn code(&self, user: Uuid) -> String {
        self.store
            .create_enrollment_code(user, Utc::now(), chrono::Duration::minutes(15))
            .expect("code")
    }

    /// A case (with youth and melding) imported by the office for `user`.
    pub fn office_case(&self, user: Uuid) -> Uuid {
        let before: Vec<String> = self
            .store
            .cases()
            .expect("cases")
            .into_iter()
            .map(|c| c.0)
            .collect();
        let csv = format!(
            "meldingnummer,datum_melding,werkproces,voornaam,achternaam,geboortedatum,gemeente,consulent_id\n\
             M-{},2026-02-02,verzuim,Sam,Jansen,2012-05-04,Utrecht,{user}\n",
            Uuid::now_v7().simple()
        );
        self.store
            .import_meldingen(&csv, Utc::now())
            .expect("import");
        let case = self
            .store
            .cases()
            .expect("cases")
            .into_iter()
            .map(|c| c.0)
            .find(|c| !before.contains(c))
            .expect("a new case");
        Uuid::parse_str(&case).expect("uuid")
    }
}

pub fn fast_vault() -> VaultOptions {
    VaultOptions {
        work_factor: MIN_WORK_FACTOR,
        ..VaultOptions::default()
    }
}

pub fn passphrase() -> Passphrase {
    Passphrase::new("paard batterij nietje")
}

pub struct Device {
    pub dir: TempDir,
    pub vault: VaultHandle,
    pub client: Client,
    pub user: Uuid,
    pub device_id: Uuid,
}

impl Device {
    pub async fn enroll(url: &str, code: &str) -> Device {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = EnrollOptions {
            vault: fast_vault(),
            client: ClientOptions::default(),
        };
        let enrolled = enroll_with(dir.path(), url, code, "laptop", &passphrase(), &options)
            .await
            .expect("enrolls");
        let client = client_for(&enrolled.vault, &ClientOptions::default()).expect("client");
        Device {
            user: enrolled.user.id,
            device_id: enrolled.device_id,
            vault: VaultHandle::new(enrolled.vault),
            client,
            dir,
        }
    }

    pub async fn sync(&self) -> Result<SyncSummary, SyncError> {
        sync_once(&self.vault, &self.client).await
    }

    /// A change as the enrolled user, through the vault's one write path.
    pub fn apply(&self, m: Mutation) {
        self.vault
            .with(|v| {
                let user = v.user_id();
                v.apply(user, m)
            })
            .expect("unlocked")
            .expect("applied");
    }

    pub fn record(&self, entity: &str, id: Uuid) -> Option<Record> {
        self.vault
            .with(|v| v.record(entity, id))
            .expect("unlocked")
            .expect("read")
    }

    pub fn ids(&self, entity: &str) -> Vec<Uuid> {
        self.vault
            .with(|v| v.records(entity))
            .expect("unlocked")
            .expect("read")
            .into_iter()
            .map(|r| r.id)
            .collect()
    }

    pub fn pending(&self) -> u64 {
        self.vault
            .with(|v| v.outbox_counts())
            .expect("unlocked")
            .expect("counts")
            .pending
    }
}

/// A contact moment on `case`, made on the device.
pub fn contact_moment(case: Uuid) -> (Uuid, Mutation) {
    let id = Uuid::now_v7();
    let m = Mutation::append(veldwerk_protocol::entities::CONTACT_MOMENT, id)
        .set("case_id", case.to_string())
        .set("kind", "telefoon")
        .set("at", "2026-03-02T09:30:00")
        .set("outcome", "bereikt")
        .set("note", "Moeder gesproken");
    (id, m)
}

/// Waits until the runner's status satisfies `pred`, at most `deadline`;
/// the status it saw, or an error naming what was awaited.
pub async fn status_until(
    runner: &SyncRunner,
    deadline: Duration,
    what: &str,
    pred: impl FnMut(&SyncStatus) -> bool,
) -> Result<SyncStatus, String> {
    let mut rx = runner.subscribe();
    match tokio::time::timeout(deadline, rx.wait_for(pred)).await {
        Ok(Ok(status)) => Ok(status.clone()),
        _ => Err(format!(
            "{what}: not within {deadline:?}; status {:?}",
            runner.status()
        )),
    }
}
