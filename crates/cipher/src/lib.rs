//! SQLCipher's page cryptography in Rust, registered with the bundled
//! SQLCipher as its crypto provider.
//!
//! SQLCipher encrypts each page with AES-256-CBC (a fresh random IV per
//! page write) and checks it with an HMAC; the key for the HMAC comes from
//! the database key through PBKDF2. Those primitives come from a
//! *provider*. The one bundled with rusqlite is SQLCipher's OpenSSL
//! reference provider, which its own source calls "intentionally
//! non-optimized": for every page it fetches the HMAC algorithm and the
//! digest by name from OpenSSL 3's provider store, builds and frees a MAC
//! context and a cipher context, and only then hashes and encrypts 4 KiB.
//! That set-up cost more than the cryptography itself and was most of what
//! the encrypted vault paid over plain SQLite (see the vault benchmark).
//!
//! This crate supplies the same primitives from the RustCrypto crates
//! (`aes` with the CPU's AES instructions, `sha2` with its SHA instructions,
//! `hmac`, `pbkdf2`, `cbc`) and the operating system's random generator, one
//! plain function call per page. The file format does not change: the
//! algorithms, sizes and page layout are SQLCipher's, so a vault written
//! here opens with stock SQLCipher (the office's recovery tooling) and the
//! other way round; `tests/openssl_compat.rs` checks both directions
//! against the OpenSSL provider in the same process.
//!
//! Supported: AES-256-CBC, HMAC-SHA256 and HMAC-SHA512 (page MACs),
//! PBKDF2 with SHA-256 or SHA-512. SHA-1 (SQLCipher 3 and older formats,
//! which Veldwerk never wrote) is refused with an error, so such a file
//! fails to open instead of opening wrongly.
//!
//! Contract: call [`install`] before the first encrypted connection is
//! opened. A connection keeps the provider it was keyed with, so
//! connections opened earlier go on using OpenSSL (correctly, only slower).
//! [`install`] is idempotent and thread-safe.
//!
//! This is the one crate in the workspace with unsafe code: the C interface
//! in `provider` (raw pointers from SQLCipher turned into slices, each
//! with its SAFETY note). The cryptography itself is safe Rust in
//! [`primitives`].

pub mod primitives;
mod provider;

use std::sync::OnceLock;

/// The name `PRAGMA cipher_provider` reports for a connection that uses
/// this provider.
pub const PROVIDER_NAME: &str = "veldwerk-rustcrypto";

/// Registering the provider failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InstallError {
    /// `sqlite3_initialize` failed (SQLite result code).
    #[error("SQLite could not be initialised (code {0})")]
    Initialize(i32),
    /// SQLCipher could not allocate the provider record.
    #[error("SQLCipher could not allocate the crypto provider")]
    OutOfMemory,
    /// `sqlcipher_register_provider` refused it (SQLite result code).
    #[error("SQLCipher refused the crypto provider (code {0})")]
    Register(i32),
}

/// Register this crate's provider as SQLCipher's default, once per process.
/// Every connection keyed afterwards encrypts and checks its pages here.
pub fn install() -> Result<(), InstallError> {
    static INSTALLED: OnceLock<Result<(), InstallError>> = OnceLock::new();
    *INSTALLED.get_or_init(provider::register)
}
