//! Renders every template with the synthetic samples to PDFs in a folder, to
//! look at them: `cargo run -p veldwerk-print --example preview -- DIR`.
//! Then, for example, `pdftoppm -r 80 -png DIR/brief-*.pdf`.

use std::path::PathBuf;

use anyhow::Context;
use veldwerk_print::{Branding, LetterType, Printer, ResponseBase, TemplateSet, samples};

fn main() -> anyhow::Result<()> {
    let dir = PathBuf::from(std::env::args().nth(1).context("usage: preview DIR")?);
    std::fs::create_dir_all(&dir)?;
    let printer = Printer::new(
        Branding::builtin()?,
        &TemplateSet::builtin(),
        ResponseBase::parse("https://reactie.voorbeeld.nl")?,
    )?;
    for letter_type in LetterType::ALL {
        let rendered = printer.render_letter(&samples::letter(letter_type)?)?;
        for w in &rendered.warnings {
            eprintln!("{letter_type}: {w}");
        }
        std::fs::write(dir.join(format!("brief-{letter_type}.pdf")), &rendered.pdf)?;
        println!(
            "brief-{letter_type}.pdf: {} page(s), {}",
            rendered.pages, rendered.links[0].url
        );
    }
    // A letter over two pages, to see the page numbers and the running head.
    let mut long = TemplateSet::builtin();
    long.set(
        "brieven/kennismaking-doorstroompunt.typ",
        "#import \"/huisstijl.typ\": *\n#let brief(d) = huisstijl-brief(d, onderwerp: [Een lange brief])[#lorem(700)]\n".into(),
    )?;
    let long_printer = Printer::new(
        Branding::builtin()?,
        &long,
        ResponseBase::parse("https://reactie.voorbeeld.nl")?,
    )?;
    let two =
        long_printer.render_letter(&samples::letter(LetterType::DoorstroompuntIntroduction)?)?;
    std::fs::write(dir.join("brief-twee-paginas.pdf"), &two.pdf)?;
    let cards = printer.render_not_home_cards(&samples::not_home_cards())?;
    std::fs::write(dir.join("kaartjes-niet-thuis.pdf"), &cards.pdf)?;
    let sheet = printer.render_business_cards(&samples::coach(), 10, samples::sample_date())?;
    std::fs::write(dir.join("visitekaartjes.pdf"), &sheet.pdf)?;
    println!(
        "cards: {} page(s); business cards: {} page(s)",
        cards.pages, sheet.pages
    );
    Ok(())
}
