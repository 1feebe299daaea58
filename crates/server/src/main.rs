//! The `veldwerk-server` binary: a thin entry point over the library.

fn main() -> anyhow::Result<()> {
    println!("veldwerk-server {}", env!("CARGO_PKG_VERSION"));
    Ok(())
}
