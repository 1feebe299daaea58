//! Wire types shared by the Veldwerk app and the central server: enrollment,
//! sync (push, pull, purge, conflicts, state check) and errors.
//!
//! The protocol is versioned; every request carries [`PROTOCOL_VERSION`], both
//! in the [`PROTOCOL_HEADER`] header and in the body's `protocol_version`
//! field. Serialized types here must not change shape without a version bump:
//! devices in the field run older builds for weeks, and a bureau's own
//! registration system may implement the same protocol from `docs/openapi.json`.
//!
//! # The contract in one page
//!
//! **Transport.** JSON over HTTPS (plain HTTP only on loopback). Request and
//! response bodies may be gzip-compressed (`Content-Encoding: gzip`; the server
//! compresses a response when the request says `Accept-Encoding: gzip`). Bodies
//! are limited in size, before and after decompression: too large is `413`
//! with code [`ErrorCode::PayloadTooLarge`]. Every error body is an
//! [`ErrorBody`] `{ code, message }` with a plain Dutch message and never
//! personal data.
//!
//! **Versions.** A request whose header or body version is missing or not
//! [`PROTOCOL_VERSION`] is answered `426 Upgrade Required` with code
//! [`ErrorCode::UpdateRequired`] ("update Veldwerk"), before anything is read
//! or stored.
//!
//! **Enrollment.** [`EnrollRequest`] with a one-time code (valid 15 minutes,
//! single use, made by the bureau's admin) returns an [`EnrollResponse`] with
//! the device id and secret. Every later request carries
//! `Authorization: Bearer <device_id>.<device_secret>` ([`bearer_token`]).
//! Missing or wrong: `401` [`ErrorCode::Unauthorized`].
//!
//! **Revocation.** A revoked device that pulls gets `200` with
//! [`PullResponse::wipe`] `= true` and nothing else; on every other endpoint it
//! gets `410 Gone` with code [`ErrorCode::DeviceRevoked`]. On either signal the
//! device wipes its vault.
//!
//! **Push.** The device sends its outbox ([`Operation`]s, oldest first) in a
//! [`PushRequest`]. The server handles each operation id exactly once and
//! answers one [`OpResult`] per operation. Every status is final: the device
//! removes the operation from its outbox on any result (showing rejected ones
//! to the user) and retries only on a transport error or a 5xx, with the same
//! operation ids. A retried operation answers `duplicate` with its original
//! `server_seq`.
//!
//! **Scope.** The server decides what a device sees (see [`entities`]). An
//! operation on a record outside the user's scope is rejected with
//! [`RejectReason::NotFound`], exactly as for a record that does not exist.
//!
//! **Pull.** [`PullRequest`] by cursor, in pages; the first sync uses cursor 0.
//! The answer has the full current state of every changed record in scope
//! ([`RecordChange`], with per-field versions), the records to purge because
//! their case left the scope, and conflicts recorded or resolved in that
//! range. The device stores `next_cursor` only after it has applied the page,
//! and pulls again while `more` is true. Server state in a pull is
//! authoritative for every field the device has no unpushed change for; the
//! device's own applied operations come back this way with their new versions,
//! which are the `base_version` of its next change.
//!
//! **Conflicts.** See [`Conflict`] and [`Operation::resolve_conflict`].
//!
//! **State check.** See [`StateCheckRequest`] and [`OpDigest`].

pub mod digest;
pub mod enroll;
pub mod entities;
pub mod error;
pub mod hlc;
pub mod response;
pub mod sync;

pub use digest::OpDigest;
pub use enroll::{
    Branding, Colours, EnrollRequest, EnrollResponse, Logo, ProfileResponse, Role, UserProfile,
};
pub use error::{ErrorBody, ErrorCode};
pub use hlc::Hlc;
pub use response::{LinkError, ResponseLink, ResponseToken, ShortCode};
pub use sync::{
    ChangeAuthor, Conflict, ConflictResolution, EntityRef, FieldChange, FieldState, OpKind,
    OpResult, OpStatus, Operation, PullRequest, PullResponse, PushRequest, PushResponse,
    RecordChange, RejectReason, StateCheckRequest, StateCheckResponse, StateCheckStatus,
};

/// The sync protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// The header that carries the protocol version on every request.
pub const PROTOCOL_HEADER: &str = "Veldwerk-Protocol";

/// The value of the `Authorization` header for an enrolled device.
pub fn bearer_token(device_id: &uuid::Uuid, device_secret: &str) -> String {
    format!("Bearer {device_id}.{device_secret}")
}

/// HTTP paths of the protocol, relative to the server's base URL.
pub mod paths {
    pub const HEALTH: &str = "/v1/health";
    pub const ENROLL: &str = "/v1/enroll";
    pub const PROFILE: &str = "/v1/profile";
    pub const PUSH: &str = "/v1/sync/push";
    pub const PULL: &str = "/v1/sync/pull";
    pub const CHECK: &str = "/v1/sync/check";
    /// The response form: `GET` asks for the short code, `POST` looks it up.
    pub const RESPONSE_ENTRY: &str = "/r";
    /// The form for one token (the URL in the QR code is `/r/<TOKEN>`).
    pub const RESPONSE_FORM: &str = "/r/{token}";
    /// The form's one stylesheet.
    pub const RESPONSE_CSS: &str = "/r/static/form.css";
}
