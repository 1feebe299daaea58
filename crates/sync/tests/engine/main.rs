//! Integration tests of the sync engine against the real server (its
//! library on 127.0.0.1:0) with real vaults in temp dirs.

mod runner;
mod support;
mod sync;
