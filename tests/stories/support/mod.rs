//! The cast of the stories: an [`Office`] (a bureau set up with the real
//! `veldwerk-server` binary's admin CLI, `serve` on a loopback port, and a
//! [`Proxy`] in front of it that can cut, hold or refuse connections) and
//! [`Device`]s (real vaults in temp dirs, enrolled and synced through
//! `veldwerk-sync`, talking to the server through the proxy).

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use serde_json::Value;
use tempfile::TempDir;
use uuid::Uuid;
use veldwerk_e2e::proxy::Proxy;
use veldwerk_e2e::server::{Bureau, ServerProcess};
use veldwerk_protocol::{Conflict, PROTOCOL_HEADER, PROTOCOL_VERSION, bearer_token};
use veldwerk_server::Store;
use veldwerk_server::store::{RowCounts, StoreOptions};
use veldwerk_sync::{
    Client, ClientOptions, EnrollOptions, SyncError, SyncSummary, VaultHandle, client_for,
    credentials, enroll_with, sync_once,
};
use veldwerk_vault::{MIN_WORK_FACTOR, Mutation, Passphrase, Record, VaultOptions};

/// The passphrase of every device's vault in the stories.
pub const PASSPHRASE: &str = "paard batterij nietje";

/// How long a story waits for something that should happen at once.
pub const DEADLINE: Duration = Duration::from_secs(30);

pub struct Office {
    pub bureau: Bureau,
    server: Option<ServerProcess>,
    pub proxy: Proxy,
}

impl Office {
    pub async fn open() -> Result<Office> {
        Office::open_with(&[]).await
    }

    /// With `VELDWERK_SERVER_*` overrides (limits).
    pub async fn open_with(env: &[(&str, &str)]) -> Result<Office> {
        let bureau = Bureau::with_env(env)?;
        let server = bureau.serve()?;
        let proxy = Proxy::start(server.addr).await?;
        Ok(Office {
            bureau,
            server: Some(server),
            proxy,
        })
    }

    /// The address devices use (the proxy).
    pub fn url(&self) -> String {
        self.proxy.url()
    }

    /// Kills the server (no graceful shutdown) and starts it again on the
    /// same store; the proxy forwards to the new one.
    pub fn restart_server(&mut self) -> Result<()> {
        if let Some(old) = self.server.take() {
            old.kill();
        }
        let server = self.bureau.serve()?;
        self.proxy.set_upstream(server.addr);
        self.server = Some(server);
        Ok(())
    }

    /// The store file, opened with the server's library to look inside.
    pub fn store(&self) -> Result<Store> {
        Ok(Store::open(
            &self.bureau.store_path(),
            StoreOptions::default(),
        )?)
    }

    pub fn row_counts(&self) -> Result<RowCounts> {
        Ok(self.store()?.row_counts()?)
    }

    /// A user with `role` and one enrolled device.
    pub async fn staff(&self, name: &str, role: &str) -> Result<Device> {
        let user = self.bureau.add_user(name, role)?;
        self.device_for(user).await
    }

    /// One more enrolled device for `user`.
    pub async fn device_for(&self, user: Uuid) -> Result<Device> {
        let code = self.bureau.enrollment_code(user)?;
        Device::enroll(&self.url(), &code).await
    }
}

pub fn fast_vault() -> VaultOptions {
    VaultOptions {
        work_factor: MIN_WORK_FACTOR,
        ..VaultOptions::default()
    }
}

pub struct Device {
    pub dir: TempDir,
    pub vault: VaultHandle,
    pub client: Client,
    pub user: Uuid,
    pub device_id: Uuid,
}

impl Device {
    pub async fn enroll(url: &str, code: &str) -> Result<Device> {
        let dir = tempfile::tempdir()?;
        let options = EnrollOptions {
            vault: fast_vault(),
            client: ClientOptions::default(),
        };
        let passphrase = Passphrase::new(PASSPHRASE);
        let enrolled = enroll_with(dir.path(), url, code, "laptop", &passphrase, &options).await?;
        let client = client_for(&enrolled.vault, &ClientOptions::default())?;
        Ok(Device {
            user: enrolled.user.id,
            device_id: enrolled.device_id,
            vault: VaultHandle::new(enrolled.vault),
            client,
            dir,
        })
    }

    pub async fn sync(&self) -> Result<SyncSummary, SyncError> {
        sync_once(&self.vault, &self.client).await
    }

    /// A change as the enrolled user, through the vault's one write path.
    pub fn apply(&self, m: Mutation) -> Result<()> {
        self.vault
            .with(|v| {
                let user = v.user_id();
                v.apply(user, m).map(drop)
            })?
            .map_err(Into::into)
    }

    pub fn record(&self, entity: &str, id: Uuid) -> Result<Option<Record>> {
        Ok(self.vault.with(|v| v.record(entity, id))??)
    }

    pub fn has(&self, entity: &str, id: Uuid) -> Result<bool> {
        Ok(self.record(entity, id)?.is_some())
    }

    /// The value of one field of a record on this device.
    pub fn field(&self, entity: &str, id: Uuid, field: &str) -> Result<Value> {
        let record = self
            .record(entity, id)?
            .with_context(|| format!("{entity} {id} on the device"))?;
        Ok(record.fields.get(field).cloned().unwrap_or(Value::Null))
    }

    pub fn pending(&self) -> Result<u64> {
        Ok(self.vault.with(|v| v.outbox_counts())??.pending)
    }

    pub fn open_conflicts(&self) -> Result<Vec<Conflict>> {
        Ok(self.vault.with(|v| v.open_conflicts())??)
    }

    /// Every record of `entities` on the device: (entity, id) to fields.
    pub fn snapshot(
        &self,
        entities: &[&str],
    ) -> Result<BTreeMap<(String, Uuid), BTreeMap<String, Value>>> {
        let mut out = BTreeMap::new();
        for entity in entities {
            for r in self.vault.with(|v| v.records(entity))?? {
                out.insert(((*entity).to_owned(), r.id), r.fields);
            }
        }
        Ok(out)
    }

    /// `Authorization` header value of this device.
    pub fn bearer(&self) -> Result<String> {
        let (_, creds) = self.vault.with(|v| credentials(v))??;
        Ok(bearer_token(&creds.device_id, &creds.secret))
    }

    /// Syncs until a sync moves nothing (at most a few rounds).
    pub async fn settle(&self) -> Result<()> {
        for _ in 0..5 {
            let s = self.sync().await?;
            if s.pushed == 0 && s.pulled == 0 && s.purged == 0 && s.conflicts == 0 {
                return Ok(());
            }
        }
        Err(anyhow!("the device kept moving records after five syncs"))
    }
}

/// A contact moment on `case`, as a device records it; (its id, the change).
pub fn contact_moment(case: Uuid, note: &str) -> (Uuid, Mutation) {
    let id = Uuid::now_v7();
    let m = Mutation::append(veldwerk_protocol::entities::CONTACT_MOMENT, id)
        .set("case_id", case.to_string())
        .set("kind", "huisbezoek")
        .set("at", "2026-03-02T10:15:00")
        .set("outcome", "bereikt")
        .set("note", note.to_owned());
    (id, m)
}

/// The `veldwerk-cli` binary next to the server binary (`cargo test
/// --workspace` builds both; otherwise `cargo build -p veldwerk-cli`).
pub fn cli_binary() -> Result<std::path::PathBuf> {
    let server = veldwerk_e2e::server::server_binary()?;
    let cli = server.with_file_name(format!("veldwerk-cli{}", std::env::consts::EXE_SUFFIX));
    anyhow::ensure!(
        cli.is_file(),
        "{} is missing: cargo build -p veldwerk-cli",
        cli.display()
    );
    Ok(cli)
}

pub fn uuid(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text).with_context(|| format!("a UUID, not {text:?}"))
}

/// A raw HTTP request to the server, headers as given (the protocol header
/// added unless one is given), the body as bytes.
pub async fn raw_post(
    url: &str,
    path: &str,
    headers: &[(&str, String)],
    body: Vec<u8>,
) -> Result<(u16, Value)> {
    veldwerk_sync::install_crypto_provider();
    let mut request = reqwest::Client::new()
        .post(format!("{url}{path}"))
        .header("Content-Type", "application/json");
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case(PROTOCOL_HEADER))
    {
        request = request.header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
    }
    for (k, v) in headers {
        request = request.header(*k, v.as_str());
    }
    let response = request.body(body).send().await?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await?;
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Ok((status, json))
}
