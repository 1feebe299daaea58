//! The error shape every command returns to the UI: a stable machine-readable
//! [`ErrorCode`] and a Dutch message a user can act on. The code list is
//! generated for TypeScript, never mirrored by hand.
//!
//! Messages say what happened and what to do; they never carry personal data
//! (the crates' errors do not either, but only fixed Dutch texts and the sync
//! crate's own Dutch messages reach the UI).

use serde::Serialize;
use ts_rs::TS;
use veldwerk_print::PrintError;
use veldwerk_sync::{SyncError, SyncErrorKind};
use veldwerk_vault::VaultError;

/// Stable codes the UI can branch on. Adding one is fine; renaming one breaks
/// the UI, so the serialized names must not change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Something went wrong that the user cannot fix; the message says whom to ask.
    Internal,
    /// The vault is locked; the UI shows the unlock screen.
    VaultLocked,
    /// The user's input was not accepted; the message names the field.
    InvalidInput,
    /// The passphrase does not open the vault.
    WrongPassphrase,
    /// Too many wrong passphrases: wait before trying again.
    TooManyAttempts,
    /// The record is not (or no longer) on this device.
    NotFound,
    /// The rules or the user's role do not allow it; the message says why.
    NotAllowed,
    /// Someone else changed the record since it was read.
    Changed,
    /// The server could not be reached (only enrollment waits on it).
    Offline,
    /// The server refused (enrollment code, address, version); the message says what to do.
    Server,
}

/// An error as the UI receives it. The message is plain Dutch and never
/// contains personal data.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
}

impl CommandError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub fn internal() -> Self {
        Self::new(
            ErrorCode::Internal,
            "Er ging iets mis in Veldwerk. Probeer het opnieuw. Lukt het niet, neem dan contact op met uw beheerder.",
        )
    }

    pub fn locked() -> Self {
        Self::new(
            ErrorCode::VaultLocked,
            "Veldwerk is vergrendeld. Ontgrendel met uw wachtwoordzin om verder te werken.",
        )
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    pub fn not_found() -> Self {
        Self::new(
            ErrorCode::NotFound,
            "Dit staat niet (meer) op dit apparaat. Synchroniseer en probeer het opnieuw.",
        )
    }

    pub fn not_allowed(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotAllowed, message)
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CommandError {}

impl From<VaultError> for CommandError {
    fn from(error: VaultError) -> Self {
        match error {
            VaultError::WrongPassphrase => Self::new(
                ErrorCode::WrongPassphrase,
                "Deze wachtwoordzin klopt niet. Let op hoofdletters en spaties, en probeer het opnieuw.",
            ),
            VaultError::TooManyAttempts { retry_after } => Self::new(
                ErrorCode::TooManyAttempts,
                format!(
                    "Te vaak een verkeerde wachtwoordzin. Wacht {} seconden en probeer het dan opnieuw.",
                    retry_after.as_secs().max(1)
                ),
            ),
            VaultError::EmptyPassphrase => Self::invalid("Vul uw wachtwoordzin in."),
            VaultError::NotFound => Self::new(
                ErrorCode::NotFound,
                "Er staat nog geen kluis op dit apparaat. Meld het apparaat eerst aan bij uw bureau.",
            ),
            VaultError::RecordNotFound { .. }
            | VaultError::MissingLink { .. }
            | VaultError::ConflictNotFound => Self::not_found(),
            VaultError::CannotClose(reason) => {
                Self::not_allowed(format!("De zaak kan zo niet worden afgesloten: {reason}."))
            }
            VaultError::VersionConflict { .. } => Self::new(
                ErrorCode::Changed,
                "Iemand anders heeft dit intussen gewijzigd. Open het opnieuw en probeer het nog eens. Wat u typte staat nog in het formulier.",
            ),
            VaultError::InvalidMutation { .. }
            | VaultError::InvalidValue { .. }
            | VaultError::Constraint(_) => Self::invalid(
                "Deze gegevens kunnen niet worden opgeslagen. Controleer wat u invulde en probeer het opnieuw.",
            ),
            _ => Self::internal(),
        }
    }
}

impl From<SyncError> for CommandError {
    fn from(error: SyncError) -> Self {
        match error {
            SyncError::Vault(vault) => vault.into(),
            SyncError::Locked => Self::locked(),
            other => {
                let kind = other.kind();
                let code = match kind {
                    SyncErrorKind::Offline => ErrorCode::Offline,
                    SyncErrorKind::InvalidAddress | SyncErrorKind::InvalidEnrollmentCode => {
                        ErrorCode::InvalidInput
                    }
                    SyncErrorKind::Local => ErrorCode::Internal,
                    _ => ErrorCode::Server,
                };
                Self::new(code, kind.message_nl())
            }
        }
    }
}

impl From<PrintError> for CommandError {
    fn from(error: PrintError) -> Self {
        match error {
            PrintError::NotBoa => Self::not_allowed(
                "Alleen een leerplichtambtenaar met BOA-bevoegdheid kan een officiële waarschuwing maken.",
            ),
            PrintError::AddresseeNotAllowed { .. } => Self::not_allowed(
                "Deze brief gaat altijd naar de ouders. De jongere is daar te oud voor.",
            ),
            PrintError::InvalidInput { field, .. } => Self::invalid(match field {
                "server address" => {
                    "Het adres van de server is niet geschikt voor QR-codes (https:// nodig). Neem contact op met uw beheerder."
                }
                "postcode" => {
                    "De postcode van dit adres klopt niet. Pas het adres aan en probeer het opnieuw."
                }
                _ => {
                    "Een gegeven voor de brief klopt niet. Controleer de gegevens en probeer het opnieuw."
                }
            }),
            _ => Self::new(
                ErrorCode::Internal,
                "De brief kon niet worden gemaakt. Probeer het opnieuw. Lukt het niet, neem dan contact op met uw beheerder.",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_wrong_passphrase_and_too_many_attempts_tell_the_user_what_to_do() {
        let wrong = CommandError::from(VaultError::WrongPassphrase);
        assert_eq!(wrong.code, ErrorCode::WrongPassphrase);
        assert!(wrong.message.contains("probeer het opnieuw"));
        let wait = CommandError::from(VaultError::TooManyAttempts {
            retry_after: Duration::from_secs(30),
        });
        assert_eq!(wait.code, ErrorCode::TooManyAttempts);
        assert!(wait.message.contains("Wacht 30 seconden"));
    }

    #[test]
    fn a_record_changed_elsewhere_says_the_typed_input_is_kept() {
        let e = CommandError::from(VaultError::VersionConflict {
            entity: "case".into(),
            expected: 1,
            found: 2,
        });
        assert_eq!(e.code, ErrorCode::Changed);
        assert!(e.message.contains("staat nog in het formulier"));
    }

    #[test]
    fn sync_errors_keep_their_dutch_message_and_a_locked_vault_asks_to_unlock() {
        let locked = CommandError::from(SyncError::Locked);
        assert_eq!(locked.code, ErrorCode::VaultLocked);
        let bad_url = CommandError::from(SyncError::InvalidUrl("no scheme"));
        assert_eq!(bad_url.code, ErrorCode::InvalidInput);
        assert!(bad_url.message.contains("adres van de server"));
        assert!(!bad_url.message.contains("no scheme"));
    }

    #[test]
    fn unexpected_errors_become_one_plain_message_without_details() {
        let e = CommandError::from(VaultError::Corrupt);
        assert_eq!(e.code, ErrorCode::Internal);
        assert!(e.message.starts_with("Er ging iets mis in Veldwerk."));
    }

    #[test]
    fn error_codes_serialize_in_snake_case_for_the_ui() -> Result<(), serde_json::Error> {
        let json = serde_json::to_value(CommandError::new(ErrorCode::TooManyAttempts, "x"))?;
        assert_eq!(json["code"], "too_many_attempts");
        Ok(())
    }
}
