//! Enrollment of a device, and the user profile and branding it receives.
//! Wire format of protocol version 1: do not change shapes without a bump.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `POST /v1/enroll`, without authentication.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrollRequest {
    pub protocol_version: u32,
    /// The one-time code from the bureau's admin (`XXXX-XXXX-XXXX`; case and
    /// dashes do not matter). Valid 15 minutes, once.
    pub code: String,
    pub device_name: String,
}

impl fmt::Debug for EnrollRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnrollRequest")
            .field("protocol_version", &self.protocol_version)
            .field("code", &"<redacted>")
            .field("device_name", &self.device_name)
            .finish()
    }
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrollResponse {
    pub device_id: Uuid,
    /// Shown once: the server keeps only its hash. Keep it inside the vault.
    pub device_secret: String,
    pub user: UserProfile,
    /// The bureau's age recovery key (`age1...`): the device wraps its vault
    /// key for it, so the office can recover a vault.
    pub recovery_public_key: String,
    pub branding: Branding,
}

impl fmt::Debug for EnrollResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnrollResponse")
            .field("device_id", &self.device_id)
            .field("device_secret", &"<redacted>")
            .field("user", &self.user)
            .field("recovery_public_key", &self.recovery_public_key)
            .field("branding", &self.branding)
            .finish()
    }
}

/// `GET /v1/profile`: the same facts as enrollment, for a device to refresh
/// them (a renamed organisation, a new logo).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileResponse {
    pub user: UserProfile,
    pub recovery_public_key: String,
    pub branding: Branding,
}

/// A staff member of the bureau.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserProfile {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    /// Buitengewoon opsporingsambtenaar: may record Halt-verwijzingen and
    /// processen-verbaal.
    pub boa: bool,
    /// The municipalities the user works for.
    pub gemeenten: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Leerplichtambtenaar,
    Doorstroomcoach,
    AdministratiefMedewerker,
    Beheerder,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Leerplichtambtenaar,
        Role::Doorstroomcoach,
        Role::AdministratiefMedewerker,
        Role::Beheerder,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Leerplichtambtenaar => "leerplichtambtenaar",
            Role::Doorstroomcoach => "doorstroomcoach",
            Role::AdministratiefMedewerker => "administratief_medewerker",
            Role::Beheerder => "beheerder",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The bureau's house style for letters, cards and the app. Set by the admin
/// (`veldwerk-server branding set`), so renaming "RMC" to "Doorstroompunt" is
/// a settings change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Branding {
    pub organisation_name: String,
    pub address: String,
    pub phone: String,
    pub whatsapp: String,
    pub website: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<Logo>,
    pub signature_text: String,
    pub colours: Colours,
}

/// A logo image: `image/svg+xml` or `image/png`, the bytes in standard base64.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Logo {
    pub media_type: String,
    pub data_base64: String,
}

/// Colours as `#rrggbb`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Colours {
    pub primary: String,
    pub accent: String,
}

impl Default for Colours {
    fn default() -> Colours {
        Colours {
            primary: "#1d4f91".into(),
            accent: "#e17000".into(),
        }
    }
}
