//! `veldwerk-cli`: a headless device tool over the vault, sync and print, for
//! the office (batch printing, scripting) and for tests and benchmarks.

fn main() -> anyhow::Result<()> {
    println!("veldwerk-cli {}", env!("CARGO_PKG_VERSION"));
    Ok(())
}
