//! The `veldwerk-server` binary: a thin entry point over the library's CLI.

use clap::Parser as _;

fn main() -> anyhow::Result<()> {
    let cli = veldwerk_server::cli::Cli::parse();
    veldwerk_server::cli::run(cli, &mut std::io::stdout())?;
    Ok(())
}
