//! Enrollment: a device joins the bureau's server with a one-time code, and
//! its vault keeps what it received (device id and secret, the server's
//! address, the user's profile, the bureau's branding) in its encrypted
//! meta. Everything a later sync needs comes from there.

use std::path::Path;

use uuid::Uuid;
use veldwerk_domain::{Role, User, UserId};
use veldwerk_protocol::{Branding, EnrollResponse, ProfileResponse, UserProfile};
use veldwerk_vault::{MetaKey, Passphrase, Vault, VaultOptions};

use crate::client::{Client, ClientOptions, DeviceCredentials};
use crate::{SyncError, VaultHandle};

/// What enrollment takes besides the essentials.
#[derive(Clone, Debug, Default)]
pub struct EnrollOptions {
    /// For a new vault (tests lower the scrypt work factor).
    pub vault: VaultOptions,
    pub client: ClientOptions,
}

/// An enrolled device, its vault unlocked.
#[derive(Debug)]
pub struct Enrolled {
    pub vault: Vault,
    pub device_id: Uuid,
    pub user: UserProfile,
    pub branding: Branding,
    /// Whether the vault was made by this enrollment (there was none).
    pub created_vault: bool,
}

/// Enrolls this device at `server_url` with the admin's one-time `code`.
///
/// With no vault in `vault_dir`, one is created, its key wrapped for
/// `passphrase` and for the recovery key the server hands out. An existing
/// vault is unlocked with `passphrase` and enrolled again (a new device id;
/// its outbox stays and is pushed at the next sync); it must belong to the
/// same user, if it belonged to anyone.
///
/// The code is spent when the server accepts it, even if the vault cannot
/// be made afterwards: the admin then makes a new one.
pub async fn enroll(
    vault_dir: &Path,
    server_url: &str,
    code: &str,
    device_name: &str,
    passphrase: &Passphrase,
) -> Result<Enrolled, SyncError> {
    enroll_with(
        vault_dir,
        server_url,
        code,
        device_name,
        passphrase,
        &EnrollOptions::default(),
    )
    .await
}

/// [`enroll`] with options.
#[tracing::instrument(skip_all)]
pub async fn enroll_with(
    vault_dir: &Path,
    server_url: &str,
    code: &str,
    device_name: &str,
    passphrase: &Passphrase,
    options: &EnrollOptions,
) -> Result<Enrolled, SyncError> {
    let client = Client::with_options(server_url, &options.client)?;
    // An existing vault must open before the code is spent on it.
    let existing = if veldwerk_vault::exists(vault_dir) {
        let (dir, pass, opts) = (
            vault_dir.to_owned(),
            passphrase.clone(),
            options.vault.clone(),
        );
        Some(
            blocking(move || {
                Vault::unlock_with(&dir, &pass, opts, chrono::Utc::now()).map_err(SyncError::from)
            })
            .await?,
        )
    } else {
        None
    };
    let response = client.enroll(code, device_name).await?;
    let server_url = client.server_url().to_owned();
    let (dir, pass, opts) = (
        vault_dir.to_owned(),
        passphrase.clone(),
        options.vault.clone(),
    );
    blocking(move || {
        let created_vault = existing.is_none();
        let mut vault = match existing {
            Some(mut vault) => {
                let owner = vault.user_id();
                if !owner.is_nil() && owner != response.user.id {
                    return Err(SyncError::OtherUser);
                }
                vault.set_recovery_recipient(&response.recovery_public_key)?;
                vault
            }
            None => Vault::create_with(&dir, &pass, &response.recovery_public_key, opts)?,
        };
        store_enrollment(&mut vault, &server_url, &response)?;
        Ok(Enrolled {
            vault,
            device_id: response.device_id,
            user: response.user,
            branding: response.branding,
            created_vault,
        })
    })
    .await
}

async fn blocking<R: Send + 'static>(
    f: impl FnOnce() -> Result<R, SyncError> + Send + 'static,
) -> Result<R, SyncError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(SyncError::Task)?
}

/// The meta keys enrollment writes. One place, as the vault asks.
fn store_enrollment(
    vault: &mut Vault,
    server_url: &str,
    response: &EnrollResponse,
) -> Result<(), SyncError> {
    vault.set_meta(MetaKey::ServerUrl, server_url)?;
    vault.set_meta(MetaKey::DeviceSecret, &response.device_secret)?;
    vault.set_meta(
        MetaKey::DeviceId,
        &response.device_id.hyphenated().to_string(),
    )?;
    vault.set_meta(MetaKey::UserId, &response.user.id.hyphenated().to_string())?;
    store_profile(vault, &response.user, &response.branding)?;
    // A new enrollment starts a new history with the server: pull all.
    vault.set_sync_cursor(0)?;
    vault.set_op_digest(&veldwerk_protocol::OpDigest::empty())?;
    Ok(())
}

fn store_profile(
    vault: &mut Vault,
    user: &UserProfile,
    branding: &Branding,
) -> Result<(), SyncError> {
    vault.set_meta(MetaKey::UserProfile, &to_json(user)?)?;
    vault.set_meta(MetaKey::Branding, &to_json(branding)?)?;
    Ok(())
}

/// Serializing the protocol's own types does not fail; this only keeps a
/// panic off the path.
fn to_json<T: serde::Serialize>(value: &T) -> Result<String, SyncError> {
    serde_json::to_string(value).map_err(SyncError::Decode)
}

/// The server address and credentials an enrolled vault holds.
pub fn credentials(vault: &Vault) -> Result<(String, DeviceCredentials), SyncError> {
    let url = vault
        .meta(MetaKey::ServerUrl)?
        .ok_or(SyncError::NotEnrolled)?;
    let secret = vault
        .meta(MetaKey::DeviceSecret)?
        .ok_or(SyncError::NotEnrolled)?;
    let device_id = vault
        .meta(MetaKey::DeviceId)?
        .and_then(|id| Uuid::parse_str(&id).ok())
        .ok_or(SyncError::State("device id"))?;
    Ok((url, DeviceCredentials { device_id, secret }))
}

/// A client for the server this vault is enrolled with, as this device.
pub fn client_for(vault: &Vault, options: &ClientOptions) -> Result<Client, SyncError> {
    let (url, credentials) = credentials(vault)?;
    Client::with_options(&url, options)?.with_credentials(&credentials)
}

/// The user profile stored at enrollment (or the last refresh).
pub fn stored_profile(vault: &Vault) -> Result<Option<UserProfile>, SyncError> {
    vault
        .meta(MetaKey::UserProfile)?
        .map(|j| serde_json::from_str(&j).map_err(|_| SyncError::State("user profile")))
        .transpose()
}

/// The enrolled user as the domain knows them (role and BOA decide what
/// they may record), from the stored profile; `None` before enrollment.
pub fn stored_user(vault: &Vault) -> Result<Option<User>, SyncError> {
    let Some(profile) = stored_profile(vault)? else {
        return Ok(None);
    };
    let role: Role = profile
        .role
        .as_str()
        .parse()
        .map_err(|_| SyncError::State("user role"))?;
    Ok(Some(User {
        id: UserId::parse(&profile.id.to_string()).map_err(|_| SyncError::State("user id"))?,
        name: profile.name,
        role,
        boa: profile.boa,
    }))
}

/// The bureau's branding stored at enrollment (or the last refresh).
pub fn stored_branding(vault: &Vault) -> Result<Option<Branding>, SyncError> {
    vault
        .meta(MetaKey::Branding)?
        .map(|j| serde_json::from_str(&j).map_err(|_| SyncError::State("branding")))
        .transpose()
}

/// Fetches the profile again (`GET /v1/profile`) and stores it: a renamed
/// organisation, a new logo, a replaced recovery key reach the device.
pub async fn refresh_profile(
    vault: &VaultHandle,
    client: &Client,
) -> Result<ProfileResponse, SyncError> {
    let profile = client.profile().await?;
    let stored = profile.clone();
    vault
        .run(move |v| {
            store_profile(v, &stored.user, &stored.branding)?;
            if !stored.recovery_public_key.is_empty() {
                v.set_recovery_recipient(&stored.recovery_public_key)?;
            }
            Ok(())
        })
        .await?;
    Ok(profile)
}
