//! A quick timing of the printer, run by hand in release mode:
//! `cargo run --release -p veldwerk-print --example timing`.
//! (The project's benchmarks proper belong in `cargo xtask bench`.)
//!
//! Measures one letter to a PDF on disk (in the private temp folder) and a
//! batch of 500 letters into one PDF, with synthetic letters.

use std::time::{Duration, Instant};

use veldwerk_print::{
    Branding, LetterType, Printer, PrivateTempDir, ResponseBase, TemplateSet, samples,
};

fn main() -> anyhow::Result<()> {
    let start = Instant::now();
    let printer = Printer::new(
        Branding::builtin()?,
        &match std::env::var_os("VELDWERK_TEMPLATES") {
            Some(dir) => TemplateSet::from_dir(std::path::Path::new(&dir))?,
            None => TemplateSet::builtin(),
        },
        ResponseBase::parse("https://reactie.voorbeeld.nl")?,
    )?;
    println!("printer built in {:.1} ms", ms(start.elapsed()));
    let folder = PrivateTempDir::new()?;
    let letters = samples::all_letters()?;

    let first = Instant::now();
    let rendered = printer.render_letter(&letters[0])?;
    rendered.save(&folder, "eerste.pdf")?;
    println!("first letter (cold caches): {:.1} ms", ms(first.elapsed()));

    let mut single = Vec::new();
    for i in 0..60 {
        let letter = &letters[i % letters.len()];
        let t = Instant::now();
        let rendered = printer.render_letter(letter)?;
        rendered.save(&folder, &format!("brief-{i}.pdf"))?;
        single.push(t.elapsed());
    }
    single.sort();
    println!(
        "one letter to a PDF on disk: median {:.1} ms, max {:.1} ms (60 runs, all six types)",
        ms(single[single.len() / 2]),
        ms(single[single.len() - 1])
    );

    let batch: Vec<_> = (0..500)
        .map(|i| samples::letter(LetterType::ALL[i % LetterType::ALL.len()]))
        .collect::<Result<_, _>>()?;
    for run in 1..=3 {
        let t = Instant::now();
        let rendered = printer.render_letters(&batch)?;
        rendered.save(&folder, &format!("batch-{run}.pdf"))?;
        println!(
            "500 letters into one PDF on disk: {:.2} s ({} pages, {:.1} MB) [run {run}]",
            t.elapsed().as_secs_f64(),
            rendered.pages,
            rendered.pdf.len() as f64 / 1e6
        );
    }
    folder.wipe()?;
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
