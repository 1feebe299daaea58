//! `print letter`, `print batch` and `print cards` through the real binary:
//! the PDF read back with pdftotext, its QR codes decoded from a rendered
//! image (pdftoppm + zbarimg) and compared with the links `--json` reported,
//! and what the vault recorded.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::{Office, TestResult};

const PUBLIC: &str = "https://reactie.voorbeeld.nl";

type Error = Box<dyn std::error::Error>;

/// Runs an outside tool; a missing tool fails the test with what to install.
fn tool(name: &str, args: &[&str]) -> Result<Vec<u8>, Error> {
    let out = Command::new(name).args(args).output().map_err(|e| {
        format!("could not run {name} ({e}): apt-get install -y poppler-utils zbar-tools")
    })?;
    if !out.status.success() {
        return Err(format!("{name} failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(out.stdout)
}

fn pdf_text(pdf: &Path) -> Result<String, Error> {
    let text = tool("pdftotext", &["-layout", &pdf.to_string_lossy(), "-"])?;
    Ok(String::from_utf8(text)?)
}

/// Render `pdf` to PNG files at `prefix` with pdftoppm at 200 dpi without
/// anti-aliasing (see [`qr_codes_per_page`]), with `extra` options.
fn render_png(pdf: &Path, prefix: &Path, extra: &[&str]) -> Result<(), Error> {
    let (pdf, prefix) = (pdf.to_string_lossy(), prefix.to_string_lossy());
    let mut args = vec!["-r", "200", "-aa", "no", "-aaVector", "no", "-png"];
    args.extend_from_slice(extra);
    args.extend([pdf.as_ref(), prefix.as_ref()]);
    tool("pdftoppm", &args)?;
    Ok(())
}

/// The QR codes on each page, decoded from a 200 dpi image, page by page.
///
/// Rendered without anti-aliasing, as the print crate's tests do: zbar now
/// and then misses one of the ten codes on a card sheet when the modules
/// have grey edges (2 sheets in 15 at 150 dpi), while a phone camera does
/// not care; without it, 45 sheets in 45 decoded completely.
fn qr_codes_per_page(pdf: &Path) -> Result<Vec<Vec<String>>, Error> {
    let dir = pdf.parent().ok_or("pdf folder")?;
    let prefix = dir.join("page");
    render_png(pdf, &prefix, &[])?;
    let mut pages: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("page"))
        })
        .collect();
    pages.sort();
    let mut out = Vec::new();
    for page in pages {
        let mut codes = qr_codes_in_png(&page)?;
        codes.sort();
        out.push(codes);
    }
    Ok(out)
}

/// Every QR code zbarimg finds in a PNG, one string per code.
fn qr_codes_in_png(png: &Path) -> Result<Vec<String>, Error> {
    let found = tool(
        "zbarimg",
        &[
            "--raw",
            "-q",
            "-Sdisable",
            "-Sqrcode.enable",
            &png.to_string_lossy(),
        ],
    )?;
    Ok(String::from_utf8(found)?
        .lines()
        .map(str::to_owned)
        .collect())
}

/// The QR codes of a sheet of business cards, read card by card (each
/// cell of [`veldwerk_print::card::business_card_cells_mm`] rendered alone),
/// as one page of sorted codes. zbar now and then misses one of many codes
/// in one image while the same code alone always decodes; a phone sees one
/// card too.
fn qr_codes_card_by_card(pdf: &Path) -> Result<Vec<Vec<String>>, Error> {
    let dir = pdf.parent().ok_or("pdf folder")?;
    let px = |mm: f64| (mm / 25.4 * 200.0).round().to_string();
    let mut codes = Vec::new();
    for (nr, [x, y, width, height]) in veldwerk_print::card::business_card_cells_mm()
        .into_iter()
        .enumerate()
    {
        let prefix = dir.join(format!("card-{nr}"));
        render_png(
            pdf,
            &prefix,
            &[
                "-singlefile",
                "-x",
                &px(x),
                "-y",
                &px(y),
                "-W",
                &px(width),
                "-H",
                &px(height),
            ],
        )?;
        codes.extend(qr_codes_in_png(&prefix.with_extension("png"))?);
    }
    codes.sort();
    Ok(vec![codes])
}

/// A youth with an address and an open case; returns the case id.
fn youth_with_case(office: &Office, given: &str, birth: &str) -> Result<String, Error> {
    let youth = office.ok(&[
        "youth",
        "add",
        "--given-name",
        given,
        "--family-name",
        "Testpersoon",
        "--birth-date",
        birth,
        "--street",
        "Kerkstraat",
        "--number",
        "12a",
        "--postcode",
        "7412ab",
        "--town",
        "Brakelveen",
    ])?;
    let case = office.ok(&["case", "add", "--youth", youth.trim(), "--kind", "vsv"])?;
    Ok(case.trim().to_owned())
}

fn timeline(office: &Office, case: &str) -> Result<Vec<Value>, Error> {
    let detail: Value = serde_json::from_str(&office.ok(&["case", "show", case, "--json"])?)?;
    Ok(detail["timeline"].as_array().cloned().unwrap_or_default())
}

#[test]
fn a_printed_letter_carries_the_qr_link_it_reports_and_is_recorded_on_its_case() -> TestResult {
    let office = Office::new()?;
    office.init()?;
    let case = youth_with_case(&office, "Eva", "2012-03-14")?;
    let pdf = office.tmp.path().join("brief").join("brief.pdf");
    std::fs::create_dir_all(pdf.parent().ok_or("dir")?)?;
    let out: Value = serde_json::from_str(&office.ok(&[
        "--json",
        "print",
        "letter",
        "--case",
        &case,
        "--template",
        "aankondiging-huisbezoek",
        "--date",
        "2026-11-23",
        "--on",
        "2026-12-01",
        "--from",
        "14:00",
        "--until",
        "16:00",
        "--public-url",
        PUBLIC,
        "--out",
        &pdf.to_string_lossy(),
    ])?)?;
    let letter = &out["letters"][0];
    let url = letter["url"].as_str().ok_or("url")?;
    let token = letter["token"].as_str().ok_or("token")?;
    assert_eq!(url, format!("{PUBLIC}/r/{token}"));
    assert_eq!(letter["case_id"], case.as_str());
    assert_eq!(letter["expires_on"], "2027-02-21");

    let text = pdf_text(&pdf)?;
    assert!(text.contains("Aan de ouder(s)/verzorger(s) van"), "{text}");
    assert!(text.contains("Eva Testpersoon"), "{text}");
    assert!(
        text.contains("7412 AB") && text.contains("BRAKELVEEN"),
        "{text}"
    );
    assert!(text.contains("23 november 2026"), "{text}");
    let tail = case.replace('-', "").to_uppercase();
    assert!(
        text.contains(&format!("VW-{}", &tail[tail.len() - 12..])),
        "kenmerk: {text}"
    );
    let code = letter["short_code"].as_str().ok_or("short code")?;
    assert!(text.contains(code), "short code printed: {text}");

    assert_eq!(qr_codes_per_page(&pdf)?, [vec![url.to_owned()]]);

    let entries = timeline(&office, &case)?;
    assert!(entries.iter().any(|e| e["type"] == "contact_moment"
        && e["kind"] == "brief"
        && e["outcome"] == "verstuurd"
        && e["letter_kind"] == "aankondiging_huisbezoek"));
    assert!(
        entries
            .iter()
            .any(|e| e["type"] == "letter" && e["short_code"] == code.replace('-', ""))
    );
    Ok(())
}

#[test]
fn a_batch_is_one_pdf_with_each_cases_own_qr_code_and_brief_verstuurd_on_every_case() -> TestResult
{
    let office = Office::new()?;
    office.init()?;
    let cases = [
        youth_with_case(&office, "Sam", "2005-02-01")?,
        youth_with_case(&office, "Noor", "2004-07-09")?,
        youth_with_case(&office, "Daan", "2006-10-30")?,
    ];
    let pdf = office.tmp.path().join("batch").join("run.pdf");
    std::fs::create_dir_all(pdf.parent().ok_or("dir")?)?;
    let out: Value = serde_json::from_str(&office.ok(&[
        "print",
        "batch",
        "--template",
        "kennismaking-doorstroompunt",
        "--cases",
        &cases.join(","),
        "--out",
        &pdf.to_string_lossy(),
        "--public-url",
        PUBLIC,
        "--json",
    ])?)?;
    let letters = out["letters"].as_array().ok_or("letters")?;
    assert_eq!(letters.len(), 3);
    let pages = qr_codes_per_page(&pdf)?;
    assert_eq!(pages.len(), 3, "one page per letter");
    for ((letter, case), codes) in letters.iter().zip(&cases).zip(&pages) {
        assert_eq!(letter["case_id"], case.as_str());
        assert_eq!(codes, &[letter["url"].as_str().ok_or("url")?.to_owned()]);
        let sent = timeline(&office, case)?
            .iter()
            .filter(|e| e["kind"] == "brief" && e["outcome"] == "verstuurd")
            .count();
        assert_eq!(sent, 1, "brief verstuurd on {case}");
    }
    let text = pdf_text(&pdf)?;
    assert!(text.contains("Doorstroompunt"), "{text}");
    Ok(())
}

#[test]
fn a_card_sheet_has_ten_different_qr_codes_as_reported() -> TestResult {
    let office = Office::new()?;
    office.init()?;
    let pdf = office.tmp.path().join("kaartjes").join("kaartjes.pdf");
    std::fs::create_dir_all(pdf.parent().ok_or("dir")?)?;
    let out: Value = serde_json::from_str(&office.ok(&[
        "--json",
        "print",
        "cards",
        "--count",
        "10",
        "--out",
        &pdf.to_string_lossy(),
        "--public-url",
        PUBLIC,
    ])?)?;
    let mut reported: Vec<String> = out["cards"]
        .as_array()
        .ok_or("cards")?
        .iter()
        .filter_map(|c| c["url"].as_str().map(str::to_owned))
        .collect();
    reported.sort();
    reported.dedup();
    assert_eq!(reported.len(), 10);
    assert_eq!(qr_codes_card_by_card(&pdf)?, [reported]);
    let text = pdf_text(&pdf)?;
    for card in out["cards"].as_array().ok_or("cards")? {
        let code = card["short_code"].as_str().ok_or("code")?;
        assert!(text.contains(code), "{code} printed");
    }
    Ok(())
}

/// Runs `print letter` with `args`, expects it refused with no PDF written,
/// and returns what it said on stderr.
fn refused_letter(
    office: &Office,
    pdf: &Path,
    args: &[&str],
) -> Result<String, Box<dyn std::error::Error>> {
    let pdf_arg = pdf.to_string_lossy();
    let mut all = vec!["print", "letter"];
    all.extend_from_slice(args);
    all.extend(["--out", &pdf_arg]);
    let out = office.run(&all)?;
    assert!(!out.status.success());
    assert!(!pdf.exists());
    Ok(String::from_utf8(out.stderr)?)
}

#[test]
fn an_official_warning_needs_a_boa_and_a_refused_letter_leaves_no_pdf_and_no_record() -> TestResult
{
    let office = Office::new()?;
    office.init()?;
    let case = youth_with_case(&office, "Eva", "2012-03-14")?;
    let pdf = office.tmp.path().join("waarschuwing.pdf");
    let stderr = refused_letter(
        &office,
        &pdf,
        &[
            "--case",
            &case,
            "--template",
            "officiele-waarschuwing",
            "--school",
            "Het Voorbeeld College",
            "--period-from",
            "2026-10-01",
            "--period-until",
            "2026-11-01",
            "--hours",
            "24",
            "--public-url",
            PUBLIC,
        ],
    )?;
    assert!(stderr.contains("alleen een BOA"), "{stderr}");
    assert!(
        !timeline(&office, &case)?
            .iter()
            .any(|e| e["type"] == "letter" || e["kind"] == "brief"),
        "nothing recorded"
    );

    // Without an enrolled server and without --public-url there is no link to print.
    let stderr = refused_letter(
        &office,
        &pdf,
        &["--case", &case, "--template", "kennismaking-doorstroompunt"],
    )?;
    assert!(stderr.contains("--public-url"), "{stderr}");

    // A visit that ends before it starts is refused, as in the app.
    let stderr = refused_letter(
        &office,
        &pdf,
        &[
            "--case",
            &case,
            "--template",
            "aankondiging-huisbezoek",
            "--on",
            "2026-11-26",
            "--from",
            "16:00",
            "--until",
            "14:00",
            "--public-url",
            PUBLIC,
        ],
    )?;
    assert!(stderr.contains("moet na de begintijd"), "{stderr}");
    Ok(())
}

#[test]
fn a_card_left_is_found_by_its_printed_code_and_an_unknown_code_is_refused() -> TestResult {
    let office = Office::new()?;
    office.init()?;
    let case = youth_with_case(&office, "Eva", "2012-03-14")?;
    let pdf = office.tmp.path().join("kaartjes.pdf");
    let sheet: Value = serde_json::from_str(&office.ok(&[
        "--json",
        "print",
        "cards",
        "--count",
        "2",
        "--public-url",
        PUBLIC,
        "--out",
        &pdf.to_string_lossy(),
    ])?)?;
    let code = sheet["cards"][1]["short_code"].as_str().ok_or("code")?;

    let out = office.run(&[
        "case",
        "card-left",
        "--case",
        &case,
        "--code",
        "00000-00000",
    ])?;
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr)?;
    assert!(stderr.contains("geen kaartje met deze code"), "{stderr}");

    office.ok(&[
        "case",
        "card-left",
        "--case",
        &case,
        "--code",
        &code.to_lowercase(),
        "--at",
        "2026-11-23 16:30",
    ])?;
    let entries = timeline(&office, &case)?;
    assert!(
        entries.iter().any(|e| e["kind"] == "huisbezoek"
            && e["outcome"] == "niet_thuis"
            && e["card_short_code"] == code.replace('-', "")),
        "{entries:?}"
    );
    Ok(())
}
