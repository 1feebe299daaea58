//! Error bodies of the HTTP protocol: `{ code, message }`, the message in
//! plain Dutch for the user, never with personal data.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
}

/// Every error code the server answers, with its HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 426: the protocol version is missing or not this server's.
    UpdateRequired,
    /// 400: the body is not valid JSON of the expected shape (or truncated).
    MalformedRequest,
    /// 415: a `Content-Encoding` other than gzip (or identity).
    UnsupportedEncoding,
    /// 413: the body is too large, compressed or decompressed, or has too
    /// many operations.
    PayloadTooLarge,
    /// 401: no device credentials, or wrong ones.
    Unauthorized,
    /// 410: the device was revoked; wipe the vault.
    DeviceRevoked,
    /// 400: the enrollment code is unknown, used or expired.
    InvalidEnrollmentCode,
    /// 409: the device's cursor is ahead of the server; do a full re-sync.
    FullResyncRequired,
    /// 503: the server is not set up for this yet (no recovery key).
    NotConfigured,
    /// 404: no such route.
    NotFound,
    /// 405: the route does not take this method.
    MethodNotAllowed,
    /// 500: something went wrong on the server; try again later.
    Internal,
}

impl ErrorCode {
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::UpdateRequired => 426,
            ErrorCode::MalformedRequest => 400,
            ErrorCode::UnsupportedEncoding => 415,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::Unauthorized => 401,
            ErrorCode::DeviceRevoked => 410,
            ErrorCode::InvalidEnrollmentCode => 400,
            ErrorCode::FullResyncRequired => 409,
            ErrorCode::NotConfigured => 503,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Internal => 500,
        }
    }

    /// The message shown to the user. All Dutch texts of the protocol live here.
    pub fn message_nl(self) -> &'static str {
        match self {
            ErrorCode::UpdateRequired => {
                "Deze versie van Veldwerk is te oud voor de server. Werk Veldwerk bij en probeer het opnieuw. Uw werk blijft bewaard."
            }
            ErrorCode::MalformedRequest => {
                "Het verzoek aan de server was onvolledig of onleesbaar. Er is niets opgeslagen. Probeer het opnieuw."
            }
            ErrorCode::UnsupportedEncoding => {
                "Het verzoek was ingepakt op een manier die de server niet kent. Er is niets opgeslagen."
            }
            ErrorCode::PayloadTooLarge => {
                "Het verzoek is te groot voor de server. Er is niets opgeslagen. Veldwerk stuurt het in kleinere delen."
            }
            ErrorCode::Unauthorized => {
                "Dit apparaat is niet aangemeld bij de server. Meld het apparaat opnieuw aan met een code van uw beheerder."
            }
            ErrorCode::DeviceRevoked => {
                "Dit apparaat is ingetrokken door uw beheerder. De gegevens op dit apparaat worden gewist."
            }
            ErrorCode::InvalidEnrollmentCode => {
                "Deze aanmeldcode klopt niet, is al gebruikt of is verlopen. Vraag uw beheerder om een nieuwe code."
            }
            ErrorCode::FullResyncRequired => {
                "De gegevens op dit apparaat lopen niet gelijk met de server. Veldwerk haalt alles opnieuw op; uw eigen wijzigingen blijven bewaard."
            }
            ErrorCode::NotConfigured => {
                "De server is nog niet klaar voor gebruik. Neem contact op met uw beheerder."
            }
            ErrorCode::NotFound => "Dit adres bestaat niet op de server.",
            ErrorCode::MethodNotAllowed => "Dit soort verzoek kan hier niet.",
            ErrorCode::Internal => {
                "Er ging iets mis op de server. Uw werk is niet verloren; Veldwerk probeert het later opnieuw."
            }
        }
    }

    pub fn body(self) -> ErrorBody {
        ErrorBody {
            code: self,
            message: self.message_nl().to_owned(),
        }
    }
}
