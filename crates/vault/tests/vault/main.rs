//! Integration tests of the vault: real vaults in temporary folders, no
//! sleeps (time is passed in where it matters), no mocks.

mod support;

mod crash;
mod encryption;
mod search;
mod unlock;
mod write_path;
