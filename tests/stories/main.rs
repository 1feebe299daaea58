//! Stories of issue 4 ("the central server and sync") and issue 5 (letters
//! with QR codes and the response form), each across the real
//! `veldwerk-server` binary on a loopback port and real devices: vaults in
//! temp dirs driven by `veldwerk-sync`. The binary must be built
//! (`cargo test --workspace` does; otherwise `cargo build -p veldwerk-server`).

mod bad_network;
mod bad_requests;
mod offline_work;
mod qr_response;
mod scope;
mod support;
