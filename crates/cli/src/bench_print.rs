//! `veldwerk-cli bench print`: the print figures of issue 5, for
//! `cargo xtask bench` (one `BENCH {json}` line per figure on stdout).
//!
//! Letters come from a vault with the synthetic demo caseload: the vault
//! named by `--vault` (passphrase as for every command), or else a fresh one
//! in a private temp folder filled by the same generator as
//! `veldwerk-cli demo`. Every letter is an uitnodiging voor een gesprek (an
//! outreach run for a spreekuur), rendered by `veldwerk-print` with its QR
//! code and written to a PDF in the print crate's private temp folder.
//!
//! Measured:
//! - printer start-up (fonts and templates, once per app start);
//! - one letter from the vault to a PDF on disk: read the case and its
//!   youth, render, write (the first one after start-up, and the median of
//!   the next ones); target < 50 ms;
//! - 500 letters in one PDF, the same way; target < 2 s;
//! - the same 500 letters through LibreOffice headless, the mail-merge route
//!   bureaus use: the merged document (one Flat ODT text document, the same
//!   words per letter, a page break before each, the bureau's logo and each
//!   letter's own QR code as an inline PNG made with the print crate's QR
//!   encoder) converted to one PDF in one `soffice --headless --convert-to
//!   pdf` run, start-up included, on a profile made beforehand (as on a
//!   bureau's PC). This is the most efficient route found: inline images
//!   beat linked PNG files by about a third, and images anchored to a
//!   paragraph beat images in the line. Measured when `soffice` is on the
//!   PATH; the baseline of the Veldwerk figures, and the speed-up is
//!   reported (target at least 20x). The same document without images is
//!   measured too (the lighter job LibreOffice was once compared on). One
//!   file per letter in one run is not used: LibreOffice 7.4 silently
//!   stopped after 245 of 500 files.
//!
//! The letters are made by the same function as `veldwerk-cli print`
//! ([`crate::print_cmd::letter_for`]), so the benchmark measures what the
//! office prints.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{Days, NaiveDate, NaiveTime};
use serde_json::json;
use uuid::Uuid;
use veldwerk_print::{
    Addressee, Appointment, Branding, Consultant, Letter, LetterKind, Logo, Printer,
    PrivateTempDir, ResponseBase, ResponseLink, SignedBy, TemplateSet, dutch,
};
use veldwerk_vault::demo::{self, DemoOptions};
use veldwerk_vault::model::CaseloadQuery;
use veldwerk_vault::{MIN_WORK_FACTOR, Passphrase, Vault, VaultOptions};

/// What to run.
pub struct Options {
    /// Youth in the generated demo caseload (about 1.5 cases each).
    pub youth: usize,
    pub seed: u64,
    pub today: NaiveDate,
    /// Letters in the batch.
    pub letters: usize,
    /// Single letters measured after the first one.
    pub singles: usize,
}

/// The address in the QR codes (the bureau's public server address).
const RESPONSE_BASE: &str = "https://reactie.voorbeeld.nl";

fn figure(name: &str, value: f64, unit: &str, baseline: Option<f64>, target: Option<&str>) {
    let mut entry = json!({"name": name, "value": value, "unit": unit});
    if let Some(b) = baseline {
        entry["baseline"] = json!(b);
    }
    if let Some(t) = target {
        entry["target"] = json!(t);
    }
    println!("BENCH {entry}");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs the suite on the vault in `vault_dir`, or on a generated one.
pub fn run(
    vault_dir: Option<&Path>,
    passphrase: impl Fn() -> Result<Passphrase>,
    options: &Options,
) -> Result<()> {
    let work = tempfile::Builder::new()
        .prefix("veldwerk-bench-print-")
        .tempdir()
        .context("Meting: geen tijdelijke map")?;
    let mut vault = match vault_dir {
        Some(dir) => Vault::unlock(dir, &passphrase()?).context("Kluis openen")?,
        None => demo_vault(work.path(), options)?,
    };
    let cases = addressable_cases(&mut vault, options)?;
    ensure!(
        cases.len() > options.letters + options.singles,
        "Meting: de kluis heeft {} zaken met een adres; er zijn er {} nodig (geef een grotere --youth)",
        cases.len(),
        options.letters + options.singles + 1
    );

    let started = Instant::now();
    let printer = Printer::new(
        Branding::builtin()?,
        &TemplateSet::builtin(),
        ResponseBase::parse(RESPONSE_BASE)?,
    )?;
    let start_up = started.elapsed();
    let folder = PrivateTempDir::new()?;
    let letter_date = options.today;
    let author = author();

    // One letter at a time, as from the case screen.
    let mut singles = Vec::with_capacity(options.singles + 1);
    for (nr, case_id) in cases.iter().take(options.singles + 1).enumerate() {
        let started = Instant::now();
        let letter = letter_for(&mut vault, *case_id, letter_date, nr, &author)?;
        let rendered = printer.render_letter(&letter)?;
        let path = rendered.save(&folder, &format!("brief-{nr}.pdf"))?;
        singles.push(started.elapsed());
        ensure!(
            rendered.links.len() == 1 && is_pdf(&path)?,
            "Meting: brief {nr} is geen PDF met één QR-link"
        );
    }
    let first = singles.remove(0);
    singles.sort();
    let single = singles[singles.len() / 2];

    // The batch: one PDF.
    let batch_cases = &cases[options.singles + 1..][..options.letters];
    let started = Instant::now();
    let mut letters = Vec::with_capacity(batch_cases.len());
    for (nr, case_id) in batch_cases.iter().enumerate() {
        letters.push(letter_for(&mut vault, *case_id, letter_date, nr, &author)?);
    }
    let rendered = printer.render_letters(&letters)?;
    let path = rendered.save(&folder, "brieven.pdf")?;
    let batch = started.elapsed();
    ensure!(
        rendered.links.len() == letters.len() && rendered.pages >= letters.len() && is_pdf(&path)?,
        "Meting: de PDF met {} brieven is niet compleet",
        letters.len()
    );
    let batch_bytes = rendered.pdf.len();
    vault.lock()?;

    let libreoffice = match soffice_version() {
        Some(version) => {
            println!("LibreOffice: {version}");
            Some(libreoffice(
                work.path(),
                printer.branding(),
                &letters,
                &rendered.links,
            )?)
        }
        None => {
            println!("LibreOffice (soffice) is not installed: no LibreOffice baseline.");
            None
        }
    };
    folder.wipe()?;

    let n = letters.len();
    figure(
        "print: printer start-up (fonts, templates)",
        ms(start_up),
        "ms",
        None,
        None,
    );
    figure(
        "print: first letter after start-up, vault to PDF on disk",
        ms(first),
        "ms",
        None,
        None,
    );
    figure(
        &format!(
            "print: one letter, vault to PDF on disk (median of {})",
            options.singles
        ),
        ms(single),
        "ms",
        libreoffice.as_ref().map(|lo| ms(lo.one)),
        Some("< 50 ms"),
    );
    figure(
        &format!("print: {n} letters in one PDF, vault to disk"),
        ms(batch),
        "ms",
        libreoffice.as_ref().map(|lo| ms(lo.batch)),
        Some("< 2000 ms"),
    );
    figure(
        &format!("print: {n} letters, PDF size"),
        batch_bytes as f64 / 1024.0,
        "KiB",
        None,
        None,
    );
    if let Some(lo) = &libreoffice {
        figure(
            &format!(
                "print: LibreOffice headless, {n} letters with logo and QR images (start-up included)"
            ),
            ms(lo.batch),
            "ms",
            None,
            None,
        );
        figure(
            &format!("print: LibreOffice headless, {n} letters, text only (start-up included)"),
            ms(lo.batch_text_only),
            "ms",
            None,
            None,
        );
        figure(
            &format!("print: speed-up over LibreOffice, {n} letters"),
            lo.batch.as_secs_f64() / batch.as_secs_f64(),
            "x",
            None,
            Some(">= 20x"),
        );
    }
    work.close()
        .context("Meting: tijdelijke map niet opgeruimd")?;
    Ok(())
}

/// A fresh vault with the demo caseload (not measured).
fn demo_vault(work: &Path, options: &Options) -> Result<Vault> {
    println!("creating a demo vault with {} youth", options.youth);
    let recipient = age::x25519::Identity::generate().to_public().to_string();
    let mut vault = Vault::create_with(
        &work.join("vault"),
        &Passphrase::new("bench paard batterij nietje"),
        &recipient,
        VaultOptions {
            work_factor: MIN_WORK_FACTOR,
            ..VaultOptions::default()
        },
    )?;
    demo::generate(
        &mut vault,
        &DemoOptions {
            youth: options.youth,
            seed: options.seed,
            today: options.today,
        },
    )?;
    Ok(vault)
}

/// Cases whose letter has a complete postal address, in caseload order.
fn addressable_cases(vault: &mut Vault, options: &Options) -> Result<Vec<Uuid>> {
    let list = vault.caseload(&CaseloadQuery::default(), options.today)?;
    let mut cases = Vec::new();
    for case in list {
        if let Some(recipient) = vault.letter_recipient(case.id)?
            && crate::print_cmd::postal_address(case.id, recipient.address).is_ok()
        {
            cases.push(case.id);
        }
    }
    Ok(cases)
}

/// The consultant who sends the run (synthetic), and signs it.
fn author() -> (Consultant, SignedBy) {
    (
        Consultant {
            name: "Sanne de Vries".into(),
            role: "Leerplichtambtenaar".into(),
            phone: Some("06 12 34 56 78".into()),
            whatsapp: None,
            email: Some("s.devries@leerplicht.voorbeeld.nl".into()),
            boa: true,
        },
        SignedBy::Author,
    )
}

/// An invitation to the spreekuur of the week after `date`, a quarter of an
/// hour per letter.
fn invitation(date: NaiveDate, nr: usize) -> LetterKind {
    let slot = u32::try_from(nr % 28).unwrap_or(0);
    let start = NaiveTime::from_hms_opt(9 + slot / 4, (slot % 4) * 15, 0).unwrap_or_default();
    let day = date.checked_add_days(Days::new(7)).unwrap_or(date);
    LetterKind::Invitation(Appointment {
        date: veldwerk_print::next_working_day(day),
        start,
        end: Some(start + chrono::Duration::minutes(15)),
        place: "Gemeentehuis Voorbeeldstad".into(),
        place_address: vec!["Raadhuisplein 1".into()],
        with_whom: None,
    })
}

/// Letter `nr` of the run for the case, read from the vault the way
/// `print letter` and `print batch` read it.
fn letter_for(
    vault: &mut Vault,
    case_id: Uuid,
    date: NaiveDate,
    nr: usize,
    author: &(Consultant, SignedBy),
) -> Result<Letter> {
    crate::print_cmd::letter_for(vault, case_id, &invitation(date, nr), date, author)
}

fn is_pdf(path: &Path) -> Result<bool> {
    let bytes = std::fs::read(path).context("Meting: PDF niet te lezen")?;
    Ok(bytes.starts_with(b"%PDF-") && bytes.len() > 1_000)
}

/// `soffice --version`, or `None` when LibreOffice is not installed.
fn soffice_version() -> Option<String> {
    let out = Command::new("soffice").arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

struct LibreOffice {
    /// One letter: one `soffice` run for a one-letter document.
    one: Duration,
    /// All letters: one `soffice` run for the merged document.
    batch: Duration,
    /// The same, without the QR images (the old, lighter baseline).
    batch_text_only: Duration,
}

/// What the merged document holds besides the words.
#[derive(Clone, Copy, PartialEq)]
enum Images {
    /// The bureau's logo and each letter's own QR code, as ours.
    LogoAndQr,
    /// Words only.
    None,
}

/// Merges the letters into Flat ODT documents, as a mail merge does, and
/// converts them with LibreOffice: one letter, and all letters in one
/// document (a page break before each letter) to one PDF; the latter also
/// without images.
fn libreoffice(
    work: &Path,
    branding: &Branding,
    letters: &[Letter],
    links: &[ResponseLink],
) -> Result<LibreOffice> {
    let dir = work.join("libreoffice");
    std::fs::create_dir_all(&dir)?;
    let profile = dir.join("profiel");
    // Images are inline (base64 in the document): one soffice run over
    // linked PNG files took a third longer. The logo as the template has
    // it; one PNG per letter, as a QR generator makes them. Making them is
    // the mail merge's job, not measured.
    let logo = branding.logo.as_ref().map(|logo| match logo {
        Logo::Svg(b) | Logo::Png(b) => BASE64.encode(b),
    });
    let qr_codes = links
        .iter()
        .map(|link| Ok(BASE64.encode(veldwerk_print::qr::png(&link.url, 4, 4)?)))
        .collect::<Result<Vec<String>>>()?;
    let write = |name: &str, count: usize, images: Images| -> Result<PathBuf> {
        let path = dir.join(name);
        let body: String = letters
            .iter()
            .zip(links)
            .take(count)
            .enumerate()
            .map(|(nr, (letter, link))| {
                let with_images = images == Images::LogoAndQr;
                let logo = logo.as_deref().filter(|_| with_images);
                let qr = Some(qr_codes[nr].as_str()).filter(|_| with_images);
                fodt_letter(branding, letter, link, nr > 0, logo, qr)
            })
            .collect();
        std::fs::File::create(&path)?.write_all(fodt_document(&body).as_bytes())?;
        Ok(path)
    };
    let one_file = write("brief.fodt", 1, Images::LogoAndQr)?;
    let all_file = write("brieven.fodt", letters.len(), Images::LogoAndQr)?;
    let text_file = write("brieven-tekst.fodt", letters.len(), Images::None)?;
    // The profile a bureau's PC already has: made once, not measured.
    println!("LibreOffice: making its profile (not measured)");
    convert(&profile, &dir.join("opwarmen"), &one_file)?;
    println!("LibreOffice: one letter");
    let started = Instant::now();
    convert(&profile, &dir.join("een"), &one_file)?;
    let one = started.elapsed();
    let batch = |file: &Path, images: Images| -> Result<Duration> {
        println!(
            "LibreOffice: {} letters in one document{}",
            letters.len(),
            if images == Images::None {
                ", without images"
            } else {
                ""
            }
        );
        let out = dir.join(if images == Images::None {
            "tekst"
        } else {
            "alle"
        });
        let started = Instant::now();
        convert(&profile, &out, file)?;
        let elapsed = started.elapsed();
        let stem = file.file_stem().unwrap_or_default().to_string_lossy();
        let pdf = std::fs::read(out.join(format!("{stem}.pdf")))
            .context("LibreOffice maakte geen PDF")?;
        let pages = count_pages(&pdf);
        ensure!(
            pages >= letters.len(),
            "LibreOffice maakte {pages} pagina's voor {} brieven",
            letters.len()
        );
        if images == Images::LogoAndQr {
            // Every letter's own QR code is in the PDF (the logo may be a
            // drawing rather than an image).
            let images = count(&pdf, b"/Subtype/Image");
            ensure!(
                images >= letters.len(),
                "LibreOffice zette {images} afbeeldingen in de PDF voor {} brieven",
                letters.len()
            );
        }
        Ok(elapsed)
    };
    let batch_text_only = batch(&text_file, Images::None)?;
    let batch = batch(&all_file, Images::LogoAndQr)?;
    Ok(LibreOffice {
        one,
        batch,
        batch_text_only,
    })
}

/// Occurrences of `needle` in a PDF, ignoring spaces (`/Type /Page` and
/// `/Type/Page` alike).
fn count(pdf: &[u8], needle: &[u8]) -> usize {
    let compact: Vec<u8> = pdf.iter().copied().filter(|b| *b != b' ').collect();
    compact
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

/// Page objects in a PDF (`/Type /Page`, not `/Pages`).
fn count_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type/Page";
    let compact: Vec<u8> = pdf.iter().copied().filter(|b| *b != b' ').collect();
    compact
        .windows(needle.len() + 1)
        .filter(|w| w.starts_with(needle) && w[needle.len()] != b's')
        .count()
}

/// One `soffice --headless --convert-to pdf` run over `file`.
fn convert(profile: &Path, out: &Path, file: &Path) -> Result<()> {
    std::fs::create_dir_all(out)?;
    let profile_url = format!("file://{}", profile.display());
    let result = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile_url}"))
        .args([
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(out)
        .arg(file)
        .output()
        .context("soffice niet te starten")?;
    if !result.status.success() {
        bail!(
            "soffice faalde ({}): {}",
            result.status,
            String::from_utf8_lossy(&result.stderr).trim()
        );
    }
    Ok(())
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The letter as Flat ODT paragraphs: the same words as the uitnodiging
/// template (letterhead, window address, QR explanation, kenmerken, body,
/// appointment, contact list, signature), with the logo and the QR code as
/// images (base64) when given; `new_page` starts it on a new page.
fn fodt_letter(
    branding: &Branding,
    letter: &Letter,
    link: &ResponseLink,
    new_page: bool,
    logo: Option<&str>,
    qr: Option<&str>,
) -> String {
    let LetterKind::Invitation(appointment) = &letter.kind else {
        return String::new();
    };
    let parents = letter.addressee == Addressee::Parents;
    let name = &letter.young_person.given_name;
    let author = &letter.author;
    let phone = author.phone.as_deref().unwrap_or(&branding.phone);
    // The images hang on the letterhead's first paragraph, placed as in
    // the house style: logo top left, QR code right of the window.
    let logo = logo.map_or(String::new(), |logo| {
        frame("Logo", logo, "0mm", "-1mm", "17mm", "17mm")
    });
    let qr = qr.map_or(String::new(), |qr| {
        frame("QR", qr, "120mm", "-4mm", "30mm", "30mm")
    });
    let contact = [
        Some(format!("Telefoon {}", branding.phone)),
        branding.whatsapp.as_ref().map(|w| format!("WhatsApp {w}")),
        branding.email.clone(),
        branding.website.clone(),
    ];
    let mut p: Vec<(&str, String)> = vec![(
        if new_page {
            "BriefhoofdNieuwePagina"
        } else {
            "Briefhoofd"
        },
        branding.organisation.clone(),
    )];
    for line in branding
        .address_lines
        .iter()
        .cloned()
        .chain(contact.into_iter().flatten())
    {
        p.push(("KleinHoofd", line));
    }
    p.push(("Standaard", String::new()));
    // The QR code hangs on the window address's first line.
    let qr_line = p.len();
    if parents {
        p.push(("Standaard", "Aan de ouder(s)/verzorger(s) van".into()));
    }
    p.push(("Standaard", letter.young_person.full_name.clone()));
    for line in letter.address.lines() {
        p.push(("Standaard", line));
    }
    let jouw = if parents { "uw" } else { "je" };
    p.push((
        "Klein",
        format!("Reageer met {jouw} telefoon: scan de QR-code met de camera van {jouw} telefoon."),
    ));
    p.push((
        "Klein",
        format!(
            "Of ga naar {} en vul de code {} in.",
            link.printed_link,
            link.short_code.grouped()
        ),
    ));
    p.push(("Standaard", String::new()));
    p.push((
        "Standaard",
        format!(
            "Datum: {}    Kenmerk: {}",
            dutch::date(letter.date),
            letter.reference
        ),
    ));
    p.push((
        "Standaard",
        format!("Contactpersoon: {}, telefoon {phone}", author.name),
    ));
    p.push(("Kop", "Uitnodiging voor een gesprek".into()));
    if parents {
        p.push((
            "Standaard",
            format!("Beste ouder(s)/verzorger(s) van {name},"),
        ));
        p.push(("Standaard", format!("Wij willen graag met u en {name} praten. Daarom nodigen wij u allebei uit voor een gesprek.")));
    } else {
        p.push(("Standaard", format!("Beste {name},")));
        p.push((
            "Standaard",
            "Wij willen graag met je praten. Daarom nodigen we je uit voor een gesprek.".into(),
        ));
    }
    let end = appointment
        .end
        .map_or(String::new(), |e| format!(" tot {}", dutch::time(e)));
    p.push((
        "Standaard",
        format!("Datum: {}", dutch::weekday_date(appointment.date)),
    ));
    p.push((
        "Standaard",
        format!("Tijd: {}{end} uur", dutch::time(appointment.start)),
    ));
    p.push((
        "Standaard",
        format!(
            "Plaats: {}, {}",
            appointment.place,
            appointment.place_address.join(", ")
        ),
    ));
    if parents {
        p.push(("Standaard", format!("In het gesprek praten we over school. Hoe gaat het met {name}? Gaat {name} elke dag naar school? En is er hulp nodig? Samen zoeken we naar wat goed is voor {name}.")));
    } else {
        p.push(("Standaard", "In het gesprek praten we over jou. Hoe gaat het met school, werk of een opleiding? Wat wil je graag? En waar kunnen wij je bij helpen?".into()));
    }
    p.push(("Vet", "Neem deze brief mee naar het gesprek.".into()));
    let kun = if parents { "Kunt u" } else { "Kun je" };
    p.push(("Standaard", format!("{kun} niet op deze dag of tijd? Laat het ons dan zo snel mogelijk weten. Dan maken we een nieuwe afspraak. Dat kan zo:")));
    p.push(("Standaard", "- Scan de QR-code bovenaan deze brief.".into()));
    p.push(("Standaard", format!("- Bel {} op {phone}.", author.name)));
    if let Some(email) = &author.email {
        p.push(("Standaard", format!("- Mail naar {email}.")));
    }
    p.push(("Standaard", branding.signature.closing.clone()));
    p.push(("Standaard", String::new()));
    p.push(("Vet", author.name.clone()));
    p.push(("Standaard", author.role.clone()));
    p.push(("Standaard", branding.signature.text.clone()));
    p.iter()
        .enumerate()
        .map(|(i, (style, text))| {
            let frames = match i {
                0 => logo.as_str(),
                i if i == qr_line => qr.as_str(),
                _ => "",
            };
            format!(
                "<text:p text:style-name=\"{style}\">{frames}{}</text:p>\n",
                xml(text)
            )
        })
        .collect()
}

/// An image (base64) in a frame, placed relative to its paragraph.
fn frame(style: &str, base64: &str, x: &str, y: &str, width: &str, height: &str) -> String {
    format!(
        "<draw:frame draw:style-name=\"{style}\" text:anchor-type=\"paragraph\" svg:x=\"{x}\" svg:y=\"{y}\" svg:width=\"{width}\" svg:height=\"{height}\"><draw:image><office:binary-data>{base64}</office:binary-data></draw:image></draw:frame>"
    )
}

/// A Flat ODT text document around `body` (A4, the house style's sizes).
fn fodt_document(body: &str) -> String {
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles>
<style:default-style style:family="paragraph"><style:paragraph-properties fo:margin-bottom="1.5mm"/><style:text-properties style:font-name="Noto Sans" fo:font-family="'Noto Sans'" fo:font-size="10.5pt" fo:language="nl" fo:country="NL"/></style:default-style>
<style:style style:name="Standaard" style:family="paragraph"/>
<style:style style:name="Kop" style:family="paragraph"><style:text-properties fo:font-size="12.5pt" fo:font-weight="bold" fo:color="#1f5fa8"/></style:style>
<style:style style:name="Briefhoofd" style:family="paragraph" style:parent-style-name="Kop"><style:paragraph-properties fo:margin-left="21mm"/></style:style>
<style:style style:name="BriefhoofdNieuwePagina" style:family="paragraph" style:parent-style-name="Briefhoofd"><style:paragraph-properties fo:break-before="page"/></style:style>
<style:style style:name="Klein" style:family="paragraph"><style:text-properties fo:font-size="8pt" fo:color="#4a4a4a"/></style:style>
<style:style style:name="KleinHoofd" style:family="paragraph" style:parent-style-name="Klein"><style:paragraph-properties fo:margin-left="21mm" fo:margin-bottom="0.5mm"/></style:style>
<style:style style:name="Vet" style:family="paragraph"><style:text-properties fo:font-weight="bold"/></style:style>
</office:styles>
<office:automatic-styles>
<style:style style:name="Logo" style:family="graphic"><style:graphic-properties style:wrap="run-through" style:run-through="foreground" style:vertical-pos="from-top" style:vertical-rel="paragraph" style:horizontal-pos="from-left" style:horizontal-rel="paragraph"/></style:style>
<style:style style:name="QR" style:family="graphic"><style:graphic-properties style:wrap="run-through" style:run-through="foreground" style:vertical-pos="from-top" style:vertical-rel="paragraph" style:horizontal-pos="from-left" style:horizontal-rel="paragraph"/></style:style>
<style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm" fo:margin-top="20mm" fo:margin-bottom="22mm" fo:margin-left="20mm" fo:margin-right="20mm"/></style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="A4"/></office:master-styles>
<office:body><office:text>
{body}</office:text></office:body>
</office:document>
"##
    )
}
