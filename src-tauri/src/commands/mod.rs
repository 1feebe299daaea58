//! The commands the UI calls (through `ui/src/lib/api.ts` only). Each takes
//! state, calls a crate and converts the error; none waits on the network
//! except enrollment, which cannot be done without it.
//!
//! - [`session`]: app info, enroll, unlock, lock, activity.
//! - [`caseload`]: today, the caseload list, a case.
//! - [`fieldwork`]: home visits and closing a case.
//! - [`outreach`]: the three-week outreach sequence of a new vsv'er.
//! - [`letters`]: templates, printing to PDF, opening it.
//! - [`sync`]: status, manual sync, conflicts.
//! - [`spreekuur`]: office hours at a school: conversations, walk-ins, group sessions.
//! - [`settings`]: lock timeout, server address, passphrase, versions.

pub mod caseload;
pub mod fieldwork;
pub mod letters;
pub mod outreach;
pub mod session;
pub mod settings;
pub mod spreekuur;
pub mod sync;

use chrono::{NaiveDate, NaiveDateTime};
use uuid::Uuid;
use veldwerk_domain::User;
use veldwerk_vault::Vault;

use crate::error::CommandError;

/// Today in the Netherlands, whatever the laptop's own time zone.
pub fn today() -> NaiveDate {
    veldwerk_domain::time::dutch_date(chrono::Utc::now())
}

/// Now as Dutch wall-clock time: the time a record made here carries.
pub fn now_local() -> NaiveDateTime {
    veldwerk_domain::time::dutch_local(chrono::Utc::now())
}

pub fn parse_id(text: &str) -> Result<Uuid, CommandError> {
    Uuid::parse_str(text.trim()).map_err(|_| CommandError::not_found())
}

/// A date as the UI sends it (`2026-11-23`); `what` names the field.
pub fn parse_date(text: &str, what: &str) -> Result<NaiveDate, CommandError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        CommandError::invalid(format!(
            "{what} is geen geldige datum. Schrijf de datum als 23-11-2026."
        ))
    })
}

/// A date and time as the UI sends it (`2026-11-23T14:30`).
pub fn parse_datetime(text: &str, what: &str) -> Result<NaiveDateTime, CommandError> {
    NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M").map_err(|_| {
        CommandError::invalid(format!(
            "{what} is geen geldige datum en tijd. Vul een datum en een tijd als 14:30 in."
        ))
    })
}

/// The enrolled user as the domain's rules know them; `None` for a vault
/// that was never enrolled.
pub fn current_user(vault: &Vault) -> Result<Option<User>, CommandError> {
    veldwerk_sync::stored_user(vault).map_err(|_| CommandError::internal())
}

/// The enrolled user, or an error that says to enroll first.
pub fn enrolled_user(vault: &Vault) -> Result<User, CommandError> {
    current_user(vault)?.ok_or_else(|| {
        CommandError::not_allowed(
            "Dit apparaat is niet aangemeld bij uw bureau. Meld het eerst aan; dan weet Veldwerk wie u bent en wat u mag vastleggen.",
        )
    })
}

/// A real vault on disk for the commands' tests.
#[cfg(test)]
pub mod test_support {
    use veldwerk_vault::{Passphrase, Vault, VaultOptions};

    /// A new, empty vault in `dir` (fast key derivation).
    pub fn vault(dir: &std::path::Path) -> Result<Vault, Box<dyn std::error::Error>> {
        let office = age::x25519::Identity::generate();
        Ok(Vault::create_with(
            &dir.join("vault"),
            &Passphrase::new("paard batterij nietje correct"),
            &office.to_public().to_string(),
            VaultOptions {
                work_factor: veldwerk_vault::MIN_WORK_FACTOR,
                ..VaultOptions::default()
            },
        )?)
    }
}
