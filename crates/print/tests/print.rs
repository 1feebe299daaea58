//! Renders letters and cards with synthetic data and reads the PDFs back the
//! way a person or a phone would: text with pdftotext, positions with
//! `pdftotext -bbox`, QR codes with pdftoppm and zbarimg.

mod support;

use std::collections::HashSet;

use anyhow::{Result, ensure};
use support::{BASE, PT_PER_MM, Pdf, find_phrase, printer, printer_with, squash};
use veldwerk_print::{
    Addressee, Branding, LetterType, PrintError, Printer, PrivateTempDir, ResponseBase,
    TemplateSet, Token, card, samples,
};

/// Sentences every sample letter of a type must contain (synthetic data from
/// `samples`: Sanne de Vries, letter date Monday 23 November 2026).
fn expected_sentences(letter_type: LetterType) -> &'static [&'static str] {
    match letter_type {
        LetterType::Invitation => &[
            "Uitnodiging voor een gesprek",
            "Beste ouder(s)/verzorger(s) van Sanne,",
            "Wij willen graag met u en Sanne praten. Daarom nodigen wij u allebei uit voor een gesprek.",
            "Datum dinsdag 1 december 2026",
            "Tijd 14.00 tot 14.45 uur",
            "Plaats Gemeentehuis Voorbeeldstad",
            "Neem deze brief mee naar het gesprek.",
            "Kunt u niet op deze dag of tijd? Laat het ons dan zo snel mogelijk weten.",
        ],
        LetterType::HomeVisitAnnouncement => &[
            "Wij komen bij je thuis langs op dinsdag 1 december 2026 tussen 14.00 en 16.00 uur.",
            "Beste Sanne,",
            "Daarom komen we bij je langs.",
            "Ben je niet thuis? Dan laten we een kaartje achter.",
        ],
        LetterType::DoorstroompuntIntroduction => &[
            "Kennismaking met het Doorstroompunt",
            "Beste Sanne,",
            "Wat kunnen wij voor je doen?",
            "Onze hulp is gratis. Jij beslist zelf wat je wilt.",
            "Hoe bereik je ons?",
            "Bel of app Joris Bakker op 06 11 22 33 44.",
        ],
        LetterType::AbsoluteAbsence => &[
            "Op welke school staat Sanne ingeschreven?",
            "Volgens onze gegevens staat Sanne nu niet ingeschreven op een school.",
            "Laat het ons weten vóór 7 december 2026.",
        ],
        LetterType::AppointmentConfirmation => &[
            "Je afspraak op papier",
            "In deze brief staat de afspraak op papier.",
            "Joris Bakker haalt je op.",
            "Het gesprek duurt tot 14.45 uur.",
        ],
        LetterType::OfficialWarning => &[
            "Officiële waarschuwing",
            "Volgens Het Voorbeeld College was Sanne van 26 oktober 2026 tot en met 13 november 2026 in totaal 24 uur afwezig zonder toestemming.",
            "Met deze brief krijgt u een officiële waarschuwing.",
            "Fatima el Amrani Leerplichtambtenaar",
        ],
    }
}

#[test]
fn every_letter_type_has_its_dutch_sentences_kenmerk_date_and_qr_text() -> Result<()> {
    let printer = printer()?;
    for letter_type in LetterType::ALL {
        let letter = samples::letter(letter_type)?;
        let rendered = printer.render_letter(&letter)?;
        ensure!(
            rendered.warnings.is_empty(),
            "{letter_type}: warnings {:?}",
            rendered.warnings
        );
        let pdf = Pdf::write(&rendered.pdf)?;
        // Flowing text is checked in drawing order, tables (appointment,
        // reference block) line by line as laid out.
        let text = pdf.page_sentences(1)?;
        let lines = squash(&pdf.layout_text(1)?);
        for sentence in expected_sentences(letter_type) {
            ensure!(
                text.contains(sentence) || lines.contains(sentence),
                "{letter_type}: missing {sentence:?} in {text}"
            );
        }
        let link = &rendered.links[0];
        let qr_sentence = format!(
            "Of ga naar reactie.voorbeeld.nl/r en vul de code {} in.",
            link.short_code.grouped()
        );
        ensure!(
            text.contains(&qr_sentence),
            "{letter_type}: missing {qr_sentence:?}"
        );

        // Kenmerk and written date sit on one line of the reference block.
        let layout = pdf.layout_text(1)?;
        let line = layout
            .lines()
            .find(|l| l.contains("Kenmerk"))
            .map(squash)
            .unwrap_or_default();
        ensure!(
            line == format!("Datum 23 november 2026 Kenmerk {}", letter.reference),
            "{letter_type}: reference line is {line:?}"
        );
    }
    Ok(())
}

/// The envelope window in points: x 20..105 mm, y 50..90 mm.
fn window() -> (f64, f64, f64, f64) {
    (
        20.0 * PT_PER_MM,
        105.0 * PT_PER_MM,
        50.0 * PT_PER_MM,
        90.0 * PT_PER_MM,
    )
}

#[test]
fn the_address_block_lies_inside_the_envelope_window_and_nothing_else_does() -> Result<()> {
    let printer = printer()?;
    let (left, right, top, bottom) = window();
    for (letter_type, address) in [
        (
            LetterType::Invitation,
            "Aan de ouder(s)/verzorger(s) van Sanne de Vries Dorpsstraat 12 1234 AB VOORBEELDSTAD",
        ),
        (
            LetterType::DoorstroompuntIntroduction,
            "Sanne de Vries Dorpsstraat 12 1234 AB VOORBEELDSTAD",
        ),
    ] {
        let pdf = Pdf::write(&printer.render_letter(&samples::letter(letter_type)?)?.pdf)?;
        let words = pdf.words()?;
        let block = find_phrase(&words, 1, address)
            .ok_or_else(|| anyhow::anyhow!("{letter_type}: no address block"))?;
        for w in block {
            ensure!(
                w.x_min >= left && w.x_max <= right && w.y_min >= top && w.y_max <= bottom,
                "{letter_type}: {:?} is outside the window ({:.1}..{:.1} x {:.1}..{:.1} mm)",
                w.text,
                w.x_min / PT_PER_MM,
                w.x_max / PT_PER_MM,
                w.y_min / PT_PER_MM,
                w.y_max / PT_PER_MM,
            );
        }
        // Nothing but the address may show through the window.
        let in_window = words
            .iter()
            .filter(|w| {
                w.page == 1
                    && w.x_max > left
                    && w.x_min < right
                    && w.y_max > top
                    && w.y_min < bottom
            })
            .count();
        ensure!(
            in_window == block.len(),
            "{letter_type}: other text shows through the window"
        );

        // Dutch format: one space inside the postcode, two before the town.
        let n = block.len();
        let (digits, letters, town) = (&block[n - 3], &block[n - 2], &block[n - 1]);
        let inner_gap = letters.x_min - digits.x_max;
        let town_gap = town.x_min - letters.x_max;
        ensure!(
            town_gap > 1.6 * inner_gap,
            "{letter_type}: expected two spaces before the town, gaps {inner_gap:.2} and {town_gap:.2} pt"
        );
    }
    Ok(())
}

#[test]
fn the_qr_code_on_each_letter_decodes_to_the_url_the_render_returned() -> Result<()> {
    let printer = printer()?;
    let letters = samples::all_letters()?;
    // One batch: one PDF, one page per sample letter, one link per letter.
    let rendered = printer.render_letters(&letters)?;
    ensure!(
        rendered.pages == letters.len(),
        "expected one page per letter, got {}",
        rendered.pages
    );
    let pdf = Pdf::write(&rendered.pdf)?;
    let mut seen = HashSet::new();
    for (i, link) in rendered.links.iter().enumerate() {
        ensure!(
            link.url == format!("{BASE}/r/{}", link.token),
            "link {i} is {}",
            link.url
        );
        let codes = pdf.qr_codes(i + 1)?;
        ensure!(
            codes == vec![link.url.clone()],
            "page {}: decoded {codes:?}, recorded {}",
            i + 1,
            link.url
        );
        ensure!(seen.insert(link.token.clone()), "token repeated");
    }
    Ok(())
}

#[test]
fn the_qr_code_on_a_letter_is_at_least_twenty_millimetres() -> Result<()> {
    let rendered = printer()?.render_letter(&samples::letter(LetterType::Invitation)?)?;
    let pdf = Pdf::write(&rendered.pdf)?;
    // The QR column to the right of the window.
    let (w, h) = pdf.dark_extent_mm(1, 114.0, 46.0, 33.0, 40.0)?;
    ensure!(w >= 20.0 && h >= 20.0, "QR code is {w:.1} x {h:.1} mm");
    ensure!(
        (w - h).abs() < 1.0,
        "QR code is not square: {w:.1} x {h:.1} mm"
    );
    Ok(())
}

#[test]
fn the_home_visit_announcement_comes_before_all_other_body_text() -> Result<()> {
    let printer = printer()?;
    for addressee in [Addressee::Parents, Addressee::YoungPerson] {
        let mut letter = samples::letter(LetterType::HomeVisitAnnouncement)?;
        letter.addressee = addressee;
        let pdf = Pdf::write(&printer.render_letter(&letter)?.pdf)?;
        let words = pdf.words()?;
        let announcement = match addressee {
            Addressee::Parents => "Wij komen bij u thuis langs op dinsdag 1 december 2026",
            Addressee::YoungPerson => "Wij komen bij je thuis langs op dinsdag 1 december 2026",
        };
        let found = find_phrase(&words, 1, announcement)
            .ok_or_else(|| anyhow::anyhow!("{addressee:?}: announcement not found"))?;
        let announcement_top = found[0].y_min;
        let salutation =
            find_phrase(&words, 1, "Beste").ok_or_else(|| anyhow::anyhow!("no salutation"))?;
        ensure!(
            announcement_top < salutation[0].y_min,
            "{addressee:?}: announcement is below the salutation"
        );
        // Every word of the body (from the salutation on) lies below the
        // announcement; above it are only letterhead, address, QR text,
        // reference block and subject.
        let body_start = words
            .iter()
            .position(|w| std::ptr::eq(w, &salutation[0]))
            .unwrap_or(0);
        for w in &words[body_start..] {
            ensure!(
                w.y_min > announcement_top,
                "{addressee:?}: {:?} is above the announcement",
                w.text
            );
        }
    }
    Ok(())
}

#[test]
fn an_officiele_waarschuwing_is_refused_for_an_author_who_is_not_a_boa() -> Result<()> {
    let printer = printer()?;
    let mut letter = samples::letter(LetterType::OfficialWarning)?;
    letter.author = samples::coach();
    let error = printer
        .render_letter(&letter)
        .err()
        .ok_or_else(|| anyhow::anyhow!("no error"))?;
    ensure!(matches!(error, PrintError::NotBoa), "got {error:?}");
    ensure!(
        error.code() == "not_boa" && error.to_string().contains("BOA"),
        "message: {error}"
    );
    // A batch with one such letter is refused as a whole.
    let batch = vec![samples::letter(LetterType::Invitation)?, letter];
    ensure!(matches!(
        printer.render_letters(&batch),
        Err(PrintError::NotBoa)
    ));
    Ok(())
}

#[test]
fn an_absoluut_verzuim_letter_to_a_young_person_is_refused() -> Result<()> {
    let mut letter = samples::letter(LetterType::AbsoluteAbsence)?;
    letter.addressee = Addressee::YoungPerson;
    let result = printer()?.render_letter(&letter);
    ensure!(
        matches!(result, Err(PrintError::AddresseeNotAllowed { .. })),
        "got {result:?}"
    );
    Ok(())
}

const LONG_TEMPLATE: &str = r#"
#import "/huisstijl.typ": *
#let brief(d) = huisstijl-brief(d, onderwerp: [Lange brief])[#lorem(900)]
"#;

#[test]
fn a_batch_starts_every_letter_on_a_new_page_and_numbers_pages_per_letter() -> Result<()> {
    let mut templates = TemplateSet::builtin();
    templates.set(
        "brieven/kennismaking-doorstroompunt.typ",
        LONG_TEMPLATE.into(),
    )?;
    let printer = printer_with(templates)?;
    let long = samples::letter(LetterType::DoorstroompuntIntroduction)?;
    let short = samples::letter(LetterType::Invitation)?;
    let rendered = printer.render_letters(&[long.clone(), short, long])?;
    ensure!(
        rendered.pages == 5,
        "expected 2 + 1 + 2 pages, got {}",
        rendered.pages
    );
    let pdf = Pdf::write(&rendered.pdf)?;
    let expected = [
        Some("Pagina 1 van 2"),
        Some("Pagina 2 van 2"),
        None,
        Some("Pagina 1 van 2"),
        Some("Pagina 2 van 2"),
    ];
    for (i, number) in expected.iter().enumerate() {
        let text = squash(&pdf.layout_text(i + 1)?);
        match number {
            Some(n) => ensure!(text.contains(n), "page {}: no {n:?}", i + 1),
            None => ensure!(
                !text.contains("Pagina"),
                "page {}: a one-page letter has no page number",
                i + 1
            ),
        }
    }
    // Each letter starts with its own letterhead and address.
    for page in [1, 3, 4] {
        ensure!(
            pdf.layout_text(page)?.contains("Sanne de Vries"),
            "page {page} does not start a letter"
        );
    }
    ensure!(
        !pdf.layout_text(2)?.contains("Dorpsstraat"),
        "page 2 repeats the address"
    );
    Ok(())
}

#[test]
fn every_business_card_on_a_sheet_decodes_to_its_own_url() -> Result<()> {
    let rendered =
        printer()?.render_business_cards(&samples::coach(), 10, samples::sample_date())?;
    ensure!(rendered.pages == 1 && rendered.links.len() == 10);
    let pdf = Pdf::write(&rendered.pdf)?;
    // Card by card, as a phone sees one card.
    let mut decoded = HashSet::new();
    for (nr, cell) in card::business_card_cells_mm().into_iter().enumerate() {
        let codes = pdf.qr_codes_in_rect(1, cell)?;
        ensure!(codes.len() == 1, "card {nr} has {} codes", codes.len());
        decoded.extend(codes);
    }
    let recorded: HashSet<String> = rendered.links.iter().map(|l| l.url.clone()).collect();
    ensure!(recorded.len() == 10, "links are not distinct");
    ensure!(
        decoded == recorded,
        "decoded {} codes that differ from the recorded links",
        decoded.len()
    );
    let text = pdf.page_sentences(1)?;
    for link in &rendered.links {
        ensure!(
            text.contains(&link.short_code.grouped()),
            "short code missing from the sheet"
        );
    }
    Ok(())
}

#[test]
fn business_cards_can_be_printed_again_with_their_recorded_tokens() -> Result<()> {
    let printer = printer()?;
    let first = printer.render_business_cards(&samples::coach(), 3, samples::sample_date())?;
    let tokens: Vec<Token> = first.links.iter().map(|l| l.token.clone()).collect();
    let again = printer.render_business_cards_with_tokens(
        &samples::coach(),
        &tokens,
        samples::sample_date(),
    )?;
    ensure!(again.links == first.links);
    ensure!(
        again.pdf == first.pdf,
        "the same tokens give the same sheet"
    );
    Ok(())
}

#[test]
fn not_home_cards_ask_their_question_and_carry_their_own_qr_codes() -> Result<()> {
    let cards = samples::not_home_cards();
    let rendered = printer()?.render_not_home_cards(&cards)?;
    let pdf = Pdf::write(&rendered.pdf)?;
    let text = pdf.page_sentences(1)?;
    for sentence in [
        "Ik ben bij u langs geweest",
        "Op maandag 23 november 2026 om 10.15 uur. Er was niemand thuis.",
        "Neem uiterlijk dinsdag 24 november 2026 contact met mij op.",
        "Ik ben bij je langs geweest",
        "Ik wilde je vertellen wat het Doorstroompunt voor je kan doen",
        "Fatima el Amrani, Leerplichtambtenaar Telefoon 06 98 76 54 32",
        "Joris Bakker, Doorstroomcoach",
    ] {
        ensure!(text.contains(sentence), "missing {sentence:?} in {text}");
    }
    let decoded: HashSet<String> = pdf.qr_codes(1)?.into_iter().collect();
    let recorded: HashSet<String> = rendered.links.iter().map(|l| l.url.clone()).collect();
    ensure!(
        decoded == recorded && recorded.len() == 2,
        "decoded {decoded:?}"
    );
    Ok(())
}

#[test]
fn the_same_letter_and_token_give_the_same_pdf_bytes() -> Result<()> {
    let mut letter = samples::letter(LetterType::AbsoluteAbsence)?;
    letter.token = Some(Token::generate()?);
    let a = printer()?.render_letter(&letter)?;
    let b = printer()?.render_letter(&letter)?;
    ensure!(
        a.pdf == b.pdf,
        "two printers made different PDFs of the same letter"
    );
    ensure!(a.links == b.links);
    Ok(())
}

#[test]
fn the_same_token_twice_in_one_job_is_refused() -> Result<()> {
    let token = Token::generate()?;
    let mut a = samples::letter(LetterType::Invitation)?;
    a.token = Some(token.clone());
    let mut b = samples::letter(LetterType::Invitation)?;
    b.token = Some(token);
    ensure!(matches!(
        printer()?.render_letters(&[a, b]),
        Err(PrintError::DuplicateToken)
    ));
    Ok(())
}

#[test]
fn renaming_the_doorstroompunt_is_a_branding_setting() -> Result<()> {
    let mut branding = Branding::builtin()?;
    branding.doorstroompunt_name = "RMC".into();
    let printer = Printer::new(
        branding,
        &TemplateSet::builtin(),
        ResponseBase::parse(BASE)?,
    )?;
    let rendered =
        printer.render_letter(&samples::letter(LetterType::DoorstroompuntIntroduction)?)?;
    let text = Pdf::write(&rendered.pdf)?.page_sentences(1)?;
    ensure!(
        text.contains("Kennismaking met het RMC") && text.contains("Wij zijn het RMC."),
        "{text}"
    );
    Ok(())
}

#[test]
fn an_office_template_in_a_folder_replaces_the_built_in_one() -> Result<()> {
    let dir = tempfile::tempdir()?;
    std::fs::create_dir(dir.path().join("brieven"))?;
    let own = TemplateSet::builtin();
    let _ = own;
    std::fs::write(
        dir.path().join("brieven/uitnodiging-gesprek.typ"),
        "#import \"/huisstijl.typ\": *\n#let brief(d) = huisstijl-brief(d, onderwerp: [Eigen uitnodiging])[Kom langs, #d.jongere.voornaam.]\n",
    )?;
    let printer = printer_with(TemplateSet::from_dir(dir.path())?)?;
    let rendered = printer.render_letter(&samples::letter(LetterType::Invitation)?)?;
    let text = Pdf::write(&rendered.pdf)?.page_sentences(1)?;
    ensure!(
        text.contains("Eigen uitnodiging") && text.contains("Kom langs, Sanne."),
        "{text}"
    );
    Ok(())
}

#[test]
fn a_broken_template_is_reported_by_file_and_line_without_letter_data() -> Result<()> {
    let mut templates = TemplateSet::builtin();
    templates.set(
        "brieven/afspraakbevestiging.typ",
        "#import \"/huisstijl.typ\": *\n\n#let brief(d) = huisstijl-brief(d)[#int(d.jongere.naam)]\n".into(),
    )?;
    let result = printer_with(templates)?
        .render_letter(&samples::letter(LetterType::AppointmentConfirmation)?);
    match result {
        Err(PrintError::Template {
            file,
            line,
            message,
        }) => {
            ensure!(
                file == "brieven/afspraakbevestiging.typ" && line == 3,
                "{file}:{line}"
            );
            ensure!(
                !message.contains("Sanne"),
                "the message leaks letter data: {message}"
            );
        }
        other => anyhow::bail!("expected a template error, got {other:?}"),
    }
    Ok(())
}

#[test]
fn a_rendered_pdf_is_saved_in_the_private_folder_and_wiped_after_printing() -> Result<()> {
    let rendered = printer()?.render_letter(&samples::letter(LetterType::Invitation)?)?;
    let folder = PrivateTempDir::new()?;
    let path = rendered.save(&folder, "brief-1.pdf")?;
    ensure!(std::fs::read(&path)? == rendered.pdf);
    folder.wipe()?;
    ensure!(!path.exists());
    Ok(())
}

#[test]
fn a_qr_png_decodes_to_its_url() -> Result<()> {
    let url = format!("{BASE}/r/ABCDEFGHIJKLMNOPQRST");
    let folder = tempfile::tempdir()?;
    for (scale, quiet) in [(4, 4), (3, 2)] {
        let png = veldwerk_print::qr::png(&url, scale, quiet)?;
        ensure!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
        let path = folder.path().join(format!("qr-{scale}-{quiet}.png"));
        std::fs::write(&path, &png)?;
        let codes = support::decode_png(&path)?;
        ensure!(codes == [url.clone()], "scale {scale}: {codes:?}");
    }
    Ok(())
}
