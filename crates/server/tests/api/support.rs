//! `spawn_app()`: the real server on 127.0.0.1:0 with a fresh store in a
//! temp dir and a manual clock, plus a small device client speaking the
//! protocol over real HTTP.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::sync::oneshot;
use uuid::Uuid;
use veldwerk_protocol::{
    EnrollRequest, EnrollResponse, FieldChange, Hlc, OpKind, Operation, PROTOCOL_HEADER,
    PROTOCOL_VERSION, PullRequest, PullResponse, PushRequest, PushResponse, RecordChange, Role,
    bearer_token, paths,
};
use veldwerk_server::config::Limits;
use veldwerk_server::store::{NewUser, StoreOptions};
use veldwerk_server::{AppState, Clock, Store};

pub struct TestApp {
    pub addr: SocketAddr,
    pub store: Store,
    pub clock: Clock,
    pub client: reqwest::Client,
    pub limits: Limits,
    _dir: TempDir,
    _shutdown: oneshot::Sender<()>,
}

pub struct Device {
    pub id: Uuid,
    pub secret: String,
    pub user_id: Uuid,
}

/// Small limits so size tests stay small.
pub fn test_limits() -> Limits {
    Limits {
        max_body_bytes: 64 * 1024,
        max_operations_per_push: 200,
        max_pull_limit: 1000,
        ..Limits::default()
    }
}

/// Every reqwest client here runs rustls without a provider of its own: the
/// workspace's sync crate enables reqwest's `rustls-no-provider`, and cargo
/// unifies features across the workspace. Install ring, as the server does.
pub fn install_crypto_provider() {
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
}

pub async fn spawn_app() -> TestApp {
    install_crypto_provider();
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(
        &dir.path().join("server.db"),
        StoreOptions {
            closed_case_retention_days: 7,
        },
    )
    .expect("store opens");
    let clock = Clock::manual(
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .expect("valid time"),
    );
    let key = age::x25519::Identity::generate().to_public().to_string();
    store
        .set_recovery_public_key(&key, false, clock.now())
        .expect("recovery key");
    let limits = test_limits();
    let state = AppState::new(store.clone(), clock.clone(), limits.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let shutdown = async {
            let _ = rx.await;
        };
        if let Err(e) = veldwerk_server::serve(state, None, listener, shutdown).await {
            panic!("server failed: {e}");
        }
    });
    TestApp {
        addr,
        store,
        clock,
        client: reqwest::Client::new(),
        limits,
        _dir: dir,
        _shutdown: tx,
    }
}

static HLC_MILLIS: AtomicU64 = AtomicU64::new(1_770_000_000_000);

/// A fresh clock stamp; later calls sort after earlier ones.
pub fn hlc(node: &Uuid) -> String {
    Hlc {
        millis: HLC_MILLIS.fetch_add(1, Ordering::SeqCst),
        counter: 0,
        node: node.to_string(),
    }
    .to_string()
}

pub fn changes(fields: Value, base_version: u64) -> BTreeMap<String, FieldChange> {
    fields
        .as_object()
        .expect("an object")
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                FieldChange {
                    value: v.clone(),
                    base_version,
                },
            )
        })
        .collect()
}

pub fn insert(dev: &Device, entity: &str, id: &str, fields: Value) -> Operation {
    Operation {
        op_id: Uuid::now_v7(),
        hlc: hlc(&dev.id),
        entity: entity.into(),
        entity_id: id.into(),
        kind: OpKind::Insert,
        changes: changes(fields, 0),
    }
}

pub fn append(dev: &Device, entity: &str, id: &str, fields: Value) -> Operation {
    Operation {
        kind: OpKind::Append,
        ..insert(dev, entity, id, fields)
    }
}

pub fn update(dev: &Device, entity: &str, id: &str, fields: Value, base_version: u64) -> Operation {
    Operation {
        op_id: Uuid::now_v7(),
        hlc: hlc(&dev.id),
        entity: entity.into(),
        entity_id: id.into(),
        kind: OpKind::Update,
        changes: changes(fields, base_version),
    }
}

pub fn new_id() -> String {
    Uuid::now_v7().to_string()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn add_user(&self, name: &str) -> Uuid {
        self.store
            .add_user(
                &NewUser {
                    name: name.into(),
                    role: Role::Doorstroomcoach,
                    boa: false,
                    gemeenten: vec!["Utrecht".into()],
                },
                self.clock.now(),
            )
            .expect("user added")
            .id
    }

    pub fn code_for(&self, user: Uuid) -> String {
        self.store
            .create_enrollment_code(user, self.clock.now(), chrono::Duration::minutes(15))
            .expect("code")
    }

    pub async fn try_enroll(&self, code: &str) -> reqwest::Response {
        self.client
            .post(self.url(paths::ENROLL))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .json(&EnrollRequest {
                protocol_version: PROTOCOL_VERSION,
                code: code.into(),
                device_name: "laptop".into(),
            })
            .send()
            .await
            .expect("request")
    }

    pub async fn enroll(&self, user: Uuid) -> Device {
        let response = self.try_enroll(&self.code_for(user)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let e: EnrollResponse = response.json().await.expect("enroll json");
        Device {
            id: e.device_id,
            secret: e.device_secret,
            user_id: e.user.id,
        }
    }

    /// A user with one enrolled device.
    pub async fn consultant(&self, name: &str) -> Device {
        let user = self.add_user(name);
        self.enroll(user).await
    }

    pub fn authed(&self, dev: &Device, path: &str) -> reqwest::RequestBuilder {
        self.client
            .post(self.url(path))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .header("Authorization", bearer_token(&dev.id, &dev.secret))
    }

    pub async fn push(&self, dev: &Device, operations: Vec<Operation>) -> PushResponse {
        let response = self
            .authed(dev, paths::PUSH)
            .json(&PushRequest {
                protocol_version: PROTOCOL_VERSION,
                operations,
            })
            .send()
            .await
            .expect("push");
        assert_eq!(response.status(), StatusCode::OK, "push status");
        response.json().await.expect("push json")
    }

    pub async fn pull(&self, dev: &Device, cursor: u64, limit: u32) -> PullResponse {
        let response = self
            .authed(dev, paths::PULL)
            .json(&PullRequest {
                protocol_version: PROTOCOL_VERSION,
                cursor,
                limit,
            })
            .send()
            .await
            .expect("pull");
        assert_eq!(response.status(), StatusCode::OK, "pull status");
        response.json().await.expect("pull json")
    }

    /// Pulls every page from `cursor`; returns all pages.
    pub async fn pull_all(&self, dev: &Device, mut cursor: u64) -> Vec<PullResponse> {
        let mut pages = Vec::new();
        for _ in 0..1000 {
            let page = self.pull(dev, cursor, 1000).await;
            cursor = page.next_cursor;
            let more = page.more;
            pages.push(page);
            if !more {
                return pages;
            }
        }
        panic!("pull never finished");
    }

    /// Makes a case (with its youth) the way the office does: a CSV import,
    /// assigned to `user`. Returns (case id, youth id).
    pub fn office_case(&self, user: Option<Uuid>) -> (String, String) {
        static NUMBER: AtomicU64 = AtomicU64::new(1);
        let n = NUMBER.fetch_add(1, Ordering::SeqCst);
        let consulent = user.map(|u| u.to_string()).unwrap_or_default();
        let csv = format!(
            "meldingnummer;datum_melding;werkproces;voornaam;achternaam;geboortedatum;gemeente;consulent_id\n\
             T-{n};2026-02-20;verzuim;Sam;Testpersoon{n};2011-03-14;Utrecht;{consulent}\n"
        );
        self.store
            .import_meldingen(&csv, self.clock.now())
            .expect("import");
        let (case_id, _) = self.store.cases().expect("cases").pop().expect("a case");
        let youth = self
            .store
            .record_values("case", &case_id)
            .expect("read")
            .expect("case")["youth_id"]
            .as_str()
            .expect("youth id")
            .to_owned();
        (case_id, youth)
    }
}

/// The latest state of each record over pages, and the purged refs.
pub fn apply_pages(pages: &[PullResponse]) -> BTreeMap<(String, String), RecordChange> {
    let mut out = BTreeMap::new();
    for p in pages {
        for r in &p.purge {
            out.remove(&(r.entity.clone(), r.entity_id.clone()));
        }
        for c in &p.changes {
            out.insert((c.entity.clone(), c.entity_id.clone()), c.clone());
        }
    }
    out
}

pub fn value_of(record: &RecordChange, field: &str) -> Value {
    record
        .fields
        .get(field)
        .map(|f| f.value.clone())
        .unwrap_or(Value::Null)
}

pub fn version_of(record: &RecordChange, field: &str) -> u64 {
    record.fields.get(field).map_or(0, |f| f.version)
}

#[allow(dead_code)]
pub fn json_null() -> Value {
    json!(null)
}
