//! The store's side of the admin CLI and enrollment: users, one-time codes,
//! devices, branding, the recovery key, and case assignment.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{OptionalExtension, params};
use serde_json::Value;
use uuid::Uuid;
use veldwerk_protocol::entities::{self, case_fields};
use veldwerk_protocol::{Branding, OpDigest, Role, UserProfile};

use super::sync::{admin_write, field_value, record_exists};
use super::{Audit, AuthDevice, Result, Store, StoreError, audit, parse_ts, ts};
use crate::secret;

/// A new staff member, as the admin enters them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUser {
    pub name: String,
    pub role: Role,
    pub boa: bool,
    pub gemeenten: Vec<String>,
}

/// What `device list` shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceInfo {
    pub id: Uuid,
    pub user_id: Uuid,
    pub user_name: String,
    pub name: String,
    pub enrolled_at: DateTime<Utc>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// The result of a successful enrollment; the secret exists only here.
#[derive(Clone)]
pub struct Enrolled {
    pub device_id: Uuid,
    pub device_secret: String,
    pub user: UserProfile,
}

type DeviceRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

const SETTING_BRANDING: &str = "branding";
const SETTING_RECOVERY_KEY: &str = "recovery_public_key";

fn user_from_row(
    r: &rusqlite::Row<'_>,
) -> rusqlite::Result<(String, String, String, bool, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn to_profile(row: (String, String, String, bool, String)) -> Result<UserProfile> {
    let (id, name, role, boa, gemeenten) = row;
    Ok(UserProfile {
        id: Uuid::parse_str(&id).map_err(|_| StoreError::Invalid("bad user id in store".into()))?,
        name,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Invalid(format!("unknown role {role:?}")))?,
        boa,
        gemeenten: serde_json::from_str(&gemeenten)?,
    })
}

impl Store {
    pub fn add_user(&self, user: &NewUser, now: DateTime<Utc>) -> Result<UserProfile> {
        if user.name.trim().is_empty() {
            return Err(StoreError::Invalid("a user needs a name".into()));
        }
        let id = Uuid::now_v7();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO users (id, name, role, boa, gemeenten, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    id.to_string(),
                    user.name.trim(),
                    user.role.as_str(),
                    user.boa,
                    serde_json::to_string(&user.gemeenten)?,
                    ts(now)
                ],
            )?;
            audit(
                tx,
                now,
                &Audit { user_id: Some(&id.to_string()), ..Audit::admin("user_added") },
            )?;
            Ok(())
        })?;
        Ok(UserProfile {
            id,
            name: user.name.trim().to_owned(),
            role: user.role,
            boa: user.boa,
            gemeenten: user.gemeenten.clone(),
        })
    }

    pub fn user(&self, id: Uuid) -> Result<UserProfile> {
        self.read(|tx| {
            let row = tx
                .query_row(
                    "SELECT id, name, role, boa, gemeenten FROM users WHERE id = ?1",
                    [id.to_string()],
                    user_from_row,
                )
                .optional()?;
            to_profile(row.ok_or(StoreError::NotFound("user"))?)
        })
    }

    pub fn users(&self) -> Result<Vec<UserProfile>> {
        self.read(|tx| {
            let mut stmt =
                tx.prepare("SELECT id, name, role, boa, gemeenten FROM users ORDER BY name")?;
            let rows: Vec<_> = stmt
                .query_map([], user_from_row)?
                .collect::<rusqlite::Result<_>>()?;
            rows.into_iter().map(to_profile).collect()
        })
    }

    /// Makes a one-time enrollment code for `user_id`, valid for `valid_for`
    /// from `now`. Only its hash is stored.
    pub fn create_enrollment_code(
        &self,
        user_id: Uuid,
        now: DateTime<Utc>,
        valid_for: Duration,
    ) -> Result<String> {
        let code = secret::new_enrollment_code().map_err(|e| StoreError::Invalid(e.to_string()))?;
        let hash = secret::enrollment_code_hash(&code);
        self.write(|tx| {
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1)",
                [user_id.to_string()],
                |r| r.get(0),
            )?;
            if !exists {
                return Err(StoreError::NotFound("user"));
            }
            tx.execute(
                "INSERT INTO enrollment_codes (code_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
                params![hash.to_vec(), user_id.to_string(), ts(now), ts(now + valid_for)],
            )?;
            audit(tx, now, &Audit { user_id: Some(&user_id.to_string()), ..Audit::admin("enrollment_code_made") })
        })?;
        Ok(code)
    }

    /// Enrolls a device with a one-time code: valid once, before it expires,
    /// and only when the bureau has a recovery key (the device needs it).
    pub fn enroll(&self, code: &str, device_name: &str, now: DateTime<Utc>) -> Result<Enrolled> {
        let hash = secret::enrollment_code_hash(code);
        let device_id = Uuid::now_v7();
        let device_secret =
            secret::new_device_secret().map_err(|e| StoreError::Invalid(e.to_string()))?;
        let user_id = self.write(|tx| {
            let row: Option<(String, String, Option<String>)> = tx
                .query_row(
                    "SELECT user_id, expires_at, used_at FROM enrollment_codes WHERE code_hash = ?1",
                    [hash.to_vec()],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((user_id, expires_at, used_at)) = row else {
                return Err(StoreError::InvalidEnrollmentCode);
            };
            if used_at.is_some() || parse_ts(&expires_at)? <= now {
                return Err(StoreError::InvalidEnrollmentCode);
            }
            let has_key: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM settings WHERE key = ?1)",
                [SETTING_RECOVERY_KEY],
                |r| r.get(0),
            )?;
            if !has_key {
                return Err(StoreError::NoRecoveryKey);
            }
            tx.execute(
                "UPDATE enrollment_codes SET used_at = ?1, device_id = ?2 WHERE code_hash = ?3",
                params![ts(now), device_id.to_string(), hash.to_vec()],
            )?;
            let name: String = device_name.trim().chars().take(100).collect();
            tx.execute(
                "INSERT INTO devices (id, user_id, name, secret_hash, enrolled_at, op_count, op_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)",
                params![
                    device_id.to_string(),
                    user_id,
                    name,
                    secret::sha256(device_secret.as_bytes()).to_vec(),
                    ts(now),
                    OpDigest::empty().hash_bytes().unwrap_or([0; 32]).to_vec()
                ],
            )?;
            audit(
                tx,
                now,
                &Audit {
                    actor: "device",
                    device_id: Some(&device_id.to_string()),
                    user_id: Some(&user_id),
                    ..Audit::admin("device_enrolled")
                },
            )?;
            Ok(user_id)
        })?;
        let user =
            self.user(Uuid::parse_str(&user_id).map_err(|_| StoreError::NotFound("user"))?)?;
        tracing::info!(device = %device_id, user = %user.id, "device enrolled");
        Ok(Enrolled {
            device_id,
            device_secret,
            user,
        })
    }

    /// The device with this id when `secret` is its secret (constant-time
    /// comparison); `None` for an unknown device or a wrong secret.
    pub fn authenticate(&self, device_id: Uuid, secret: &str) -> Result<Option<AuthDevice>> {
        self.read(|tx| {
            let row: Option<(Vec<u8>, String, Option<String>)> = tx
                .query_row(
                    "SELECT secret_hash, user_id, revoked_at FROM devices WHERE id = ?1",
                    [device_id.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((hash, user_id, revoked_at)) = row else {
                // Spend the same work as for a known device.
                let _ = secret::secret_matches(secret, &[0; 32]);
                return Ok(None);
            };
            if !secret::secret_matches(secret, &hash) {
                return Ok(None);
            }
            Ok(Some(AuthDevice {
                device_id,
                user_id: Uuid::parse_str(&user_id)
                    .map_err(|_| StoreError::Invalid("bad user id".into()))?,
                revoked: revoked_at.is_some(),
            }))
        })
    }

    pub fn devices(&self) -> Result<Vec<DeviceInfo>> {
        self.read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT d.id, d.user_id, u.name, d.name, d.enrolled_at, d.last_seen_at, d.revoked_at
                 FROM devices d JOIN users u ON u.id = d.user_id ORDER BY d.enrolled_at",
            )?;
            let rows: Vec<DeviceRow> = stmt
                .query_map([], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                })?
                .collect::<rusqlite::Result<_>>()?;
            rows.into_iter()
                .map(|(id, user_id, user_name, name, enrolled, seen, revoked)| {
                    let uuid = |s: &str| {
                        Uuid::parse_str(s).map_err(|_| StoreError::Invalid("bad id".into()))
                    };
                    Ok(DeviceInfo {
                        id: uuid(&id)?,
                        user_id: uuid(&user_id)?,
                        user_name,
                        name,
                        enrolled_at: parse_ts(&enrolled)?,
                        last_seen_at: seen.as_deref().map(parse_ts).transpose()?,
                        revoked_at: revoked.as_deref().map(parse_ts).transpose()?,
                    })
                })
                .collect()
        })
    }

    /// Revokes a device: its next request tells it to wipe its vault.
    pub fn revoke_device(&self, device_id: Uuid, now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE devices SET revoked_at = coalesce(revoked_at, ?1) WHERE id = ?2",
                params![ts(now), device_id.to_string()],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound("device"));
            }
            audit(
                tx,
                now,
                &Audit {
                    device_id: Some(&device_id.to_string()),
                    ..Audit::admin("device_revoked")
                },
            )
        })?;
        tracing::info!(device = %device_id, "device revoked");
        Ok(())
    }

    pub fn branding(&self) -> Result<Branding> {
        self.read(|tx| {
            let v: Option<String> = tx
                .query_row(
                    "SELECT value FROM settings WHERE key = ?1",
                    [SETTING_BRANDING],
                    |r| r.get(0),
                )
                .optional()?;
            match v {
                Some(v) => Ok(serde_json::from_str(&v)?),
                None => Ok(Branding {
                    organisation_name: "Veldwerk".into(),
                    ..Branding::default()
                }),
            }
        })
    }

    pub fn set_branding(&self, branding: &Branding, now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![SETTING_BRANDING, serde_json::to_string(branding)?],
            )?;
            audit(tx, now, &Audit::admin("branding_set"))
        })
    }

    pub fn recovery_public_key(&self) -> Result<Option<String>> {
        self.read(|tx| {
            Ok(tx
                .query_row(
                    "SELECT value FROM settings WHERE key = ?1",
                    [SETTING_RECOVERY_KEY],
                    |r| r.get(0),
                )
                .optional()?)
        })
    }

    /// Stores the bureau's recovery public key. Refuses to replace one unless
    /// `replace`: vaults wrapped for the old key stay recoverable only with
    /// the old private key.
    pub fn set_recovery_public_key(
        &self,
        key: &str,
        replace: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !key.starts_with("age1") {
            return Err(StoreError::Invalid("not an age public key".into()));
        }
        self.write(|tx| {
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM settings WHERE key = ?1)",
                [SETTING_RECOVERY_KEY],
                |r| r.get(0),
            )?;
            if exists && !replace {
                return Err(StoreError::RecoveryKeyExists);
            }
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![SETTING_RECOVERY_KEY, key],
            )?;
            audit(tx, now, &Audit::admin("recovery_key_set"))
        })
    }

    /// Assigns a case to a user. The previous assignee's devices purge it
    /// (unless it is shared with them); the new one's pull its full history.
    pub fn assign_case(&self, case_id: &str, user_id: Uuid, now: DateTime<Utc>) -> Result<()> {
        let options = self.options().clone();
        self.write(|tx| {
            check_case_and_user(tx, case_id, user_id)?;
            admin_write(
                tx,
                entities::CASE,
                case_id,
                vec![(
                    case_fields::ASSIGNED_USER_ID.into(),
                    Value::String(user_id.to_string()),
                )],
                now,
                &options,
            )?;
            audit(
                tx,
                now,
                &Audit {
                    user_id: Some(&user_id.to_string()),
                    entity: Some(entities::CASE),
                    entity_id: Some(case_id),
                    ..Audit::admin("case_assigned")
                },
            )
        })
    }

    /// Shares a case with another user (read and write, like the assignee).
    pub fn share_case(&self, case_id: &str, user_id: Uuid, now: DateTime<Utc>) -> Result<()> {
        let options = self.options().clone();
        self.write(|tx| {
            check_case_and_user(tx, case_id, user_id)?;
            let mut shared: Vec<Value> =
                field_value(tx, entities::CASE, case_id, case_fields::SHARED_WITH)?
                    .and_then(|v| v.as_array().cloned())
                    .unwrap_or_default();
            let id = Value::String(user_id.to_string());
            if !shared.contains(&id) {
                shared.push(id);
            }
            admin_write(
                tx,
                entities::CASE,
                case_id,
                vec![(case_fields::SHARED_WITH.into(), Value::Array(shared))],
                now,
                &options,
            )?;
            audit(
                tx,
                now,
                &Audit {
                    user_id: Some(&user_id.to_string()),
                    entity: Some(entities::CASE),
                    entity_id: Some(case_id),
                    ..Audit::admin("case_shared")
                },
            )
        })
    }

    /// Ids of all cases, with their assignee; for the admin.
    pub fn cases(&self) -> Result<Vec<(String, Option<String>)>> {
        self.read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT entity_id, json_extract(fields, '$.assigned_user_id.v') FROM records
                 WHERE entity = 'case' ORDER BY seq",
            )?;
            Ok(stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?)
        })
    }
}

fn check_case_and_user(tx: &rusqlite::Connection, case_id: &str, user_id: Uuid) -> Result<()> {
    if !record_exists(tx, entities::CASE, case_id)? {
        return Err(StoreError::NotFound("case"));
    }
    let exists: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1)",
        [user_id.to_string()],
        |r| r.get(0),
    )?;
    if !exists {
        return Err(StoreError::NotFound("user"));
    }
    Ok(())
}
