//! `cargo xtask`: placeholder, filled in below.
fn main() {}
