//! Shared helpers: a fresh vault in a temp folder, task mutations, file
//! hashes and byte scans.

use std::collections::BTreeMap;
use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use age::secrecy::ExposeSecret;
use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};
use tempfile::TempDir;
use uuid::Uuid;
use veldwerk_protocol::{FieldState, RecordChange};
use veldwerk_vault::{Mutation, Passphrase, Vault, VaultOptions};

pub type TestResult = Result<(), Box<dyn Error>>;

pub const PASSPHRASE: &str = "paard batterij nietje correct";

/// A fixed moment for tests that pass the time in.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// Options for tests: the lowest scrypt work factor, so unlocking takes
/// milliseconds instead of the app's ~0.4 s. Everything else as in the app.
pub fn options() -> VaultOptions {
    VaultOptions {
        work_factor: veldwerk_vault::MIN_WORK_FACTOR,
        ..VaultOptions::default()
    }
}

pub fn passphrase() -> Passphrase {
    Passphrase::new(PASSPHRASE)
}

/// A vault folder with the bureau's recovery identity that belongs to it.
pub struct Fixture {
    pub tmp: TempDir,
    pub office: age::x25519::Identity,
}

impl Fixture {
    pub fn new() -> Result<Fixture, Box<dyn Error>> {
        Ok(Fixture {
            tmp: tempfile::Builder::new()
                .prefix("veldwerk-vault-test")
                .tempdir()?,
            office: age::x25519::Identity::generate(),
        })
    }

    pub fn dir(&self) -> PathBuf {
        self.tmp.path().join("vault")
    }

    pub fn office_secret(&self) -> String {
        self.office.to_string().expose_secret().to_owned()
    }

    /// A new vault holding the test case ([`case_id`]) and its youth, as
    /// pulled from the server: no outbox operation, no audit entry.
    pub fn create(&self) -> Result<Vault, Box<dyn Error>> {
        let mut vault = self.create_empty()?;
        seed_test_case(&mut vault)?;
        Ok(vault)
    }

    /// A new vault with nothing in it.
    pub fn create_empty(&self) -> Result<Vault, Box<dyn Error>> {
        Ok(Vault::create_with(
            &self.dir(),
            &passphrase(),
            &self.office.to_public().to_string(),
            options(),
        )?)
    }

    pub fn unlock(&self) -> Result<Vault, veldwerk_vault::VaultError> {
        Vault::unlock_with(&self.dir(), &passphrase(), options(), Utc::now())
    }
}

pub fn user() -> Uuid {
    Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001)
}

pub fn case_id() -> Uuid {
    Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0c01)
}

pub fn youth_id() -> Uuid {
    Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0e01)
}

/// A record as a pull brings it: every field at version 1.
pub fn pulled(entity: &str, id: Uuid, fields: serde_json::Value) -> RecordChange {
    let fields = fields
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            (
                k.clone(),
                FieldState {
                    value: v.clone(),
                    version: 1,
                },
            )
        })
        .collect();
    RecordChange {
        server_seq: 1,
        entity: entity.to_owned(),
        entity_id: id.to_string(),
        fields,
        deleted: false,
    }
}

/// The youth and case the test tasks belong to, stored as pulled.
pub fn seed_test_case(vault: &mut Vault) -> Result<(), Box<dyn Error>> {
    vault.apply_remote(&pulled(
        "youth",
        youth_id(),
        json!({"voornaam": "Sam", "achternaam": "Testpersoon", "geboortedatum": "2011-05-04"}),
    ))?;
    vault.apply_remote(&pulled(
        "case",
        case_id(),
        json!({"youth_id": youth_id().to_string(), "werkproces": "verzuim", "status": "open",
               "opened_on": "2026-02-02", "shared_with": []}),
    ))?;
    Ok(())
}

/// A new task with `title` for the test case.
pub fn new_task(id: Uuid, title: &str) -> Mutation {
    Mutation::insert("task", id)
        .set("case_id", case_id().to_string())
        .set("title", title)
        .set("due_date", "2026-03-05")
        .set("done", false)
}

/// SHA-256 of every file in `dir` (not recursive), by name.
pub fn hashes(dir: &Path) -> Result<BTreeMap<String, [u8; 32]>, Box<dyn Error>> {
    let mut out = BTreeMap::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            let name = entry.file_name().to_string_lossy().into_owned();
            out.insert(name, Sha256::digest(fs::read(entry.path())?).into());
        }
    }
    Ok(out)
}

/// The byte forms `text` can take on disk: UTF-8, UTF-16LE and UTF-16BE, as
/// written and in lower case (the search index stores folded tokens).
pub fn byte_forms(text: &str) -> Vec<Vec<u8>> {
    let mut forms = Vec::new();
    for t in [text.to_owned(), text.to_lowercase()] {
        forms.push(t.as_bytes().to_vec());
        forms.push(t.encode_utf16().flat_map(u16::to_le_bytes).collect());
        forms.push(t.encode_utf16().flat_map(u16::to_be_bytes).collect());
    }
    forms
}

/// Every file under `root` (recursively, not following links) modified at
/// or after `since`, or all when `since` is `None`. Files that vanish while
/// walking are skipped: other tests share the temp folder.
pub fn files_under(root: &Path, since: Option<SystemTime>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(meta) = fs::symlink_metadata(entry.path()) else {
                continue;
            };
            if meta.is_dir() {
                stack.push(entry.path());
            } else if meta.is_file() && since.is_none_or(|s| meta.modified().is_ok_and(|m| m >= s))
            {
                out.push(entry.path());
            }
        }
    }
    out
}

/// The files among `paths` that contain any of `needles`.
pub fn files_containing(paths: &[PathBuf], needles: &[Vec<u8>]) -> Vec<PathBuf> {
    paths
        .iter()
        .filter(|p| {
            fs::read(p).is_ok_and(|bytes| {
                needles
                    .iter()
                    .any(|n| bytes.windows(n.len()).any(|w| w == n.as_slice()))
            })
        })
        .cloned()
        .collect()
}
