//! Wire types shared by the Veldwerk app and the central server: enrollment,
//! sync (push, pull, purge, conflicts) and QR responses.
//!
//! The protocol is versioned; every request carries [`PROTOCOL_VERSION`].
//! Serialized types here must not change shape without a version bump.

/// The sync protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;
