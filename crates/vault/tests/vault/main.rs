//! Integration tests of the vault: real vaults in temporary folders, no
//! sleeps (time is passed in where it matters), no mocks.

mod support;

mod caseload;
mod crash;
mod demo;
mod encryption;
mod qr;
mod search;
mod sync;
mod unlock;
mod write_path;
