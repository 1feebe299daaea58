//! The sync boundary's error, and the plain Dutch (B1) text the app shows
//! for it.
//!
//! Errors carry status codes, error codes and ids, never record contents:
//! they end up in logs and on screen.

use serde::{Deserialize, Serialize};
use veldwerk_protocol::ErrorCode;
use veldwerk_vault::VaultError;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The server could not be reached, or the connection broke before a
    /// whole answer arrived. Nothing is lost: the outbox is still there.
    #[error("no connection to the server")]
    Offline(#[source] reqwest::Error),
    /// The server answered with an error status.
    #[error("the server answered {status} ({code:?})")]
    Server {
        status: u16,
        /// The protocol's code from the error body, when there was one.
        code: Option<ErrorCode>,
    },
    /// The device was revoked by the bureau; its vault has been wiped.
    #[error("this device was revoked; its vault was wiped")]
    Revoked,
    /// The server's answer is not what the protocol says (a result per
    /// operation, a cursor that moves on).
    #[error("the server's answer does not follow the protocol: {0}")]
    Protocol(&'static str),
    #[error("the server's answer could not be read")]
    Decode(#[source] serde_json::Error),
    #[error("the server address is not valid: {0}")]
    InvalidUrl(&'static str),
    #[error("could not set up the HTTP client")]
    Client(#[source] reqwest::Error),
    /// The vault is locked (the app is on its unlock screen).
    #[error("the vault is locked")]
    Locked,
    /// The vault holds no enrollment (device id, secret, server).
    #[error("this device is not enrolled")]
    NotEnrolled,
    /// Enrollment into a vault that belongs to another user.
    #[error("the vault belongs to another user")]
    OtherUser,
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// Device state in the vault's meta that does not parse.
    #[error("stored sync state is damaged: {0}")]
    State(&'static str),
    /// A blocking vault task panicked or was cancelled.
    #[error("a vault task did not finish")]
    Task(#[source] tokio::task::JoinError),
}

/// What kind of trouble an error is, for the UI and for the retry policy.
/// Serialized names are part of the app's interface: do not rename.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SyncErrorKind {
    /// No connection; retried with backoff.
    Offline,
    /// The server had a problem (5xx, or an answer that made no sense);
    /// retried with backoff.
    ServerTrouble,
    /// 426: this app is too old for the server. Not retried until updated.
    UpdateRequired,
    /// 410 or a wipe order: the device was revoked and wiped.
    Revoked,
    /// 401: the device's credentials are not (or no longer) valid.
    Unauthorized,
    /// A one-time enrollment code that is wrong, used or expired.
    InvalidEnrollmentCode,
    /// The server is not set up for enrollment yet (no recovery key).
    ServerNotConfigured,
    /// A request the server refused as malformed or too large: a bug, or a
    /// single change too big to send.
    RequestRefused,
    /// The server address is wrong.
    InvalidAddress,
    /// The vault is locked; sync resumes after unlock.
    Locked,
    /// The device is not enrolled.
    NotEnrolled,
    /// The vault belongs to another user.
    OtherUser,
    /// Something failed on this device (the vault, a task).
    Local,
}

impl SyncErrorKind {
    /// The message for the user: plain Dutch, no personal data, says what
    /// happens to their work and what to do.
    pub fn message_nl(self) -> &'static str {
        match self {
            SyncErrorKind::Offline => {
                "Geen verbinding met de server. Uw werk is veilig opgeslagen en wordt later verstuurd."
            }
            SyncErrorKind::ServerTrouble => {
                "De server heeft een probleem. Uw werk is veilig opgeslagen. Veldwerk probeert het later opnieuw."
            }
            SyncErrorKind::UpdateRequired => {
                "Deze versie van Veldwerk is te oud. Installeer de nieuwe versie."
            }
            SyncErrorKind::Revoked => {
                "Dit apparaat is afgemeld door uw bureau. De gegevens op dit apparaat zijn gewist."
            }
            SyncErrorKind::Unauthorized => {
                "De server herkent dit apparaat niet meer. Vraag uw beheerder om een nieuwe aanmeldcode."
            }
            SyncErrorKind::InvalidEnrollmentCode => {
                "Deze aanmeldcode klopt niet, is al gebruikt of is verlopen. Vraag uw beheerder om een nieuwe code."
            }
            SyncErrorKind::ServerNotConfigured => {
                "De server is nog niet klaar voor gebruik. Neem contact op met uw beheerder."
            }
            SyncErrorKind::RequestRefused => {
                "De server weigert een deel van uw werk. Het blijft op dit apparaat bewaard. Neem contact op met uw beheerder."
            }
            SyncErrorKind::InvalidAddress => {
                "Het adres van de server klopt niet. Controleer het adres, bijvoorbeeld https://veldwerk.uwbureau.nl."
            }
            SyncErrorKind::Locked => {
                "Veldwerk is vergrendeld. Na het ontgrendelen gaat het versturen verder."
            }
            SyncErrorKind::NotEnrolled => {
                "Dit apparaat is nog niet aangemeld bij de server. Meld het aan met een code van uw beheerder."
            }
            SyncErrorKind::OtherUser => {
                "Op dit apparaat staat de kluis van een andere gebruiker. Vraag uw beheerder om hulp."
            }
            SyncErrorKind::Local => {
                "Er ging iets mis op dit apparaat. Uw werk is bewaard. Start Veldwerk opnieuw; lukt het dan niet, neem contact op met uw beheerder."
            }
        }
    }

    /// Whether the runner tries again by itself (with backoff).
    pub fn is_retried(self) -> bool {
        matches!(self, SyncErrorKind::Offline | SyncErrorKind::ServerTrouble)
    }
}

impl SyncError {
    pub fn kind(&self) -> SyncErrorKind {
        match self {
            SyncError::Offline(_) => SyncErrorKind::Offline,
            SyncError::Server { status, code } => match (code, status) {
                (Some(ErrorCode::UpdateRequired), _) | (None, 426) => SyncErrorKind::UpdateRequired,
                (Some(ErrorCode::DeviceRevoked), _) | (None, 410) => SyncErrorKind::Revoked,
                (Some(ErrorCode::Unauthorized), _) | (None, 401) => SyncErrorKind::Unauthorized,
                (Some(ErrorCode::InvalidEnrollmentCode), _) => SyncErrorKind::InvalidEnrollmentCode,
                (Some(ErrorCode::NotConfigured), _) => SyncErrorKind::ServerNotConfigured,
                (_, s) if *s >= 500 || *s == 429 || *s == 408 => SyncErrorKind::ServerTrouble,
                (Some(ErrorCode::NotFound | ErrorCode::MethodNotAllowed), _) | (None, 404) => {
                    SyncErrorKind::InvalidAddress
                }
                _ => SyncErrorKind::RequestRefused,
            },
            SyncError::Revoked => SyncErrorKind::Revoked,
            SyncError::Protocol(_) | SyncError::Decode(_) => SyncErrorKind::ServerTrouble,
            SyncError::InvalidUrl(_) => SyncErrorKind::InvalidAddress,
            SyncError::Locked => SyncErrorKind::Locked,
            SyncError::NotEnrolled => SyncErrorKind::NotEnrolled,
            SyncError::OtherUser => SyncErrorKind::OtherUser,
            SyncError::Client(_)
            | SyncError::Vault(_)
            | SyncError::State(_)
            | SyncError::Task(_) => SyncErrorKind::Local,
        }
    }

    /// See [`SyncErrorKind::message_nl`].
    pub fn message_nl(&self) -> &'static str {
        self.kind().message_nl()
    }

    pub(crate) fn code(&self) -> Option<ErrorCode> {
        match self {
            SyncError::Server { code, .. } => *code,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(status: u16, code: Option<ErrorCode>) -> SyncErrorKind {
        SyncError::Server { status, code }.kind()
    }

    #[test]
    fn status_codes_map_to_the_kinds_the_brief_names() {
        assert_eq!(
            server(426, Some(ErrorCode::UpdateRequired)),
            SyncErrorKind::UpdateRequired
        );
        assert_eq!(server(426, None), SyncErrorKind::UpdateRequired);
        assert_eq!(
            server(410, Some(ErrorCode::DeviceRevoked)),
            SyncErrorKind::Revoked
        );
        assert_eq!(server(401, None), SyncErrorKind::Unauthorized);
        assert_eq!(
            server(500, Some(ErrorCode::Internal)),
            SyncErrorKind::ServerTrouble
        );
        assert_eq!(server(502, None), SyncErrorKind::ServerTrouble);
        assert_eq!(
            server(413, Some(ErrorCode::PayloadTooLarge)),
            SyncErrorKind::RequestRefused
        );
        assert_eq!(server(404, None), SyncErrorKind::InvalidAddress);
    }

    #[test]
    fn only_connection_and_server_trouble_are_retried_by_themselves() {
        assert!(SyncErrorKind::Offline.is_retried());
        assert!(SyncErrorKind::ServerTrouble.is_retried());
        for kind in [
            SyncErrorKind::UpdateRequired,
            SyncErrorKind::Revoked,
            SyncErrorKind::Unauthorized,
            SyncErrorKind::Locked,
            SyncErrorKind::NotEnrolled,
        ] {
            assert!(!kind.is_retried(), "{kind:?}");
        }
    }

    #[test]
    fn messages_are_the_plain_dutch_texts_of_the_brief() {
        assert_eq!(
            SyncErrorKind::Offline.message_nl(),
            "Geen verbinding met de server. Uw werk is veilig opgeslagen en wordt later verstuurd."
        );
        assert_eq!(
            SyncErrorKind::UpdateRequired.message_nl(),
            "Deze versie van Veldwerk is te oud. Installeer de nieuwe versie."
        );
        assert!(
            SyncErrorKind::Revoked
                .message_nl()
                .starts_with("Dit apparaat is afgemeld door uw bureau.")
        );
    }
}
