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
//!   words per letter, a page break before each; without the QR image, which
//!   makes LibreOffice's job lighter) converted to one PDF in one
//!   `soffice --headless --convert-to pdf` run, start-up included, on a
//!   profile made beforehand (as on a bureau's PC). Measured when `soffice`
//!   is on the PATH; the baseline of the Veldwerk figures, and the speed-up
//!   is reported (target at least 20x). One file per letter in one run is
//!   not used: LibreOffice 7.4 silently stopped after 245 of 500 files.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use chrono::{Days, NaiveDate, NaiveTime};
use serde_json::json;
use uuid::Uuid;
use veldwerk_print::{
    Addressee, Appointment, Branding, Consultant, Letter, LetterKind, PostalAddress, Postcode,
    Printer, PrivateTempDir, ResponseBase, SignedBy, TemplateSet, YoungPerson, dutch,
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

    // One letter at a time, as from the case screen.
    let mut singles = Vec::with_capacity(options.singles + 1);
    for (nr, case_id) in cases.iter().take(options.singles + 1).enumerate() {
        let started = Instant::now();
        let letter = letter_for(&mut vault, *case_id, letter_date, nr)?;
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
        letters.push(letter_for(&mut vault, *case_id, letter_date, nr)?);
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
            let links: Vec<(String, String)> = rendered
                .links
                .iter()
                .map(|l| (l.printed_link.clone(), l.short_code.grouped()))
                .collect();
            Some(libreoffice(work.path(), &letters, &links)?)
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
            &format!("print: LibreOffice headless, {n} letters (start-up included)"),
            ms(lo.batch),
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

/// Cases whose youth has a complete postal address, in caseload order.
fn addressable_cases(vault: &mut Vault, options: &Options) -> Result<Vec<Uuid>> {
    let list = vault.caseload(&CaseloadQuery::default(), options.today)?;
    let mut cases = Vec::new();
    for case in list {
        if let Some(youth) = vault.youth().get(case.youth_id)?
            && address(&youth).is_some()
        {
            cases.push(case.id);
        }
    }
    Ok(cases)
}

fn address(youth: &veldwerk_vault::model::YouthRecord) -> Option<PostalAddress> {
    Some(PostalAddress {
        street: youth.street.clone()?,
        house_number: youth.house_number.clone()?,
        postcode: Postcode::parse(youth.postcode.as_deref()?).ok()?,
        town: youth.town.clone()?,
    })
}

/// The consultant who sends the run (synthetic).
fn consultant() -> Consultant {
    Consultant {
        name: "Sanne de Vries".into(),
        role: "Leerplichtambtenaar".into(),
        phone: Some("06 12 34 56 78".into()),
        whatsapp: None,
        email: Some("s.devries@leerplicht.voorbeeld.nl".into()),
        boa: true,
    }
}

/// An invitation for the case's youth, read from the vault: the spreekuur
/// of the week after `date`, a quarter of an hour per letter.
fn letter_for(vault: &mut Vault, case_id: Uuid, date: NaiveDate, nr: usize) -> Result<Letter> {
    let case = vault
        .cases()
        .get(case_id)?
        .context("Meting: zaak niet in de kluis")?;
    let youth = vault
        .youth()
        .get(case.youth_id)?
        .context("Meting: jongere niet in de kluis")?;
    let address = address(&youth).context("Meting: jongere zonder adres")?;
    let slot = u32::try_from(nr % 28).unwrap_or(0);
    let start = NaiveTime::from_hms_opt(9 + slot / 4, (slot % 4) * 15, 0).unwrap_or_default();
    let end = start + chrono::Duration::minutes(15);
    let day = date.checked_add_days(Days::new(7)).unwrap_or(date);
    let place = match youth.gemeente.as_deref().or(youth.town.as_deref()) {
        Some(gemeente) => format!("Gemeentehuis {gemeente}"),
        None => "Gemeentehuis".to_owned(),
    };
    let case_number = case.id.simple().to_string();
    Ok(Letter {
        kind: LetterKind::Invitation(Appointment {
            date: veldwerk_print::next_working_day(day),
            start,
            end: Some(end),
            place,
            place_address: vec!["Raadhuisplein 1".into()],
            with_whom: None,
        }),
        reference: format!("VW-{}", case_number[..8].to_uppercase()),
        date,
        young_person: YoungPerson {
            given_name: youth.name.first_name().to_owned(),
            full_name: youth.name.formal_name(),
        },
        addressee: Addressee::by_age(youth.birth_date, date),
        address,
        author: consultant(),
        signed_by: SignedBy::Author,
        token: None,
    })
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
}

/// Merges the letters into Flat ODT documents, as a mail merge does, and
/// converts them with LibreOffice: one letter, and all letters in one
/// document (a page break before each letter) to one PDF.
fn libreoffice(work: &Path, letters: &[Letter], links: &[(String, String)]) -> Result<LibreOffice> {
    let dir = work.join("libreoffice");
    std::fs::create_dir_all(&dir)?;
    let profile = dir.join("profiel");
    let write = |name: &str, count: usize| -> Result<PathBuf> {
        let path = dir.join(name);
        let body: String = letters
            .iter()
            .zip(links)
            .take(count)
            .enumerate()
            .map(|(nr, (letter, link))| fodt_letter(letter, link, nr > 0))
            .collect();
        std::fs::File::create(&path)?.write_all(fodt_document(&body).as_bytes())?;
        Ok(path)
    };
    let one_file = write("brief.fodt", 1)?;
    let all_file = write("brieven.fodt", letters.len())?;
    // The profile a bureau's PC already has: made once, not measured.
    println!("LibreOffice: making its profile (not measured)");
    convert(&profile, &dir.join("opwarmen"), &one_file)?;
    println!("LibreOffice: one letter");
    let started = Instant::now();
    convert(&profile, &dir.join("een"), &one_file)?;
    let one = started.elapsed();
    println!("LibreOffice: {} letters in one document", letters.len());
    let started = Instant::now();
    let out = dir.join("alle");
    convert(&profile, &out, &all_file)?;
    let batch = started.elapsed();
    let pdf = std::fs::read(out.join("brieven.pdf")).context("LibreOffice maakte geen PDF")?;
    let pages = count_pages(&pdf);
    ensure!(
        pages >= letters.len(),
        "LibreOffice maakte {pages} pagina's voor {} brieven",
        letters.len()
    );
    Ok(LibreOffice { one, batch })
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
/// template (letterhead, window address, kenmerken, body, appointment,
/// contact list, signature), without the QR image; `new_page` starts it on
/// a new page.
fn fodt_letter(letter: &Letter, (link, code): &(String, String), new_page: bool) -> String {
    let LetterKind::Invitation(appointment) = &letter.kind else {
        return String::new();
    };
    let parents = letter.addressee == Addressee::Parents;
    let name = &letter.young_person.given_name;
    let author = &letter.author;
    let phone = author.phone.as_deref().unwrap_or("088 123 45 67");
    let mut p: Vec<(&str, String)> = vec![
        (
            if new_page { "KopNieuwePagina" } else { "Kop" },
            "Leerplicht en Doorstroompunt Regio Voorbeeld".into(),
        ),
        ("Klein", "Postbus 100, 1234 ZZ  VOORBEELDSTAD".into()),
        (
            "Klein",
            "Telefoon 088 123 45 67, WhatsApp 06 12 34 56 78".into(),
        ),
        (
            "Klein",
            "info@leerplicht.voorbeeld.nl, leerplicht.voorbeeld.nl".into(),
        ),
        ("Standaard", String::new()),
    ];
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
        format!("Of ga naar {link} en vul de code {code} in."),
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
    p.push(("Standaard", "Met vriendelijke groet,".into()));
    p.push(("Standaard", String::new()));
    p.push(("Vet", author.name.clone()));
    p.push(("Standaard", author.role.clone()));
    p.push(("Standaard", "Regio Voorbeeld".into()));
    p.iter()
        .map(|(style, text)| {
            format!(
                "<text:p text:style-name=\"{style}\">{}</text:p>\n",
                xml(text)
            )
        })
        .collect()
}

/// A Flat ODT text document around `body` (A4, the house style's sizes).
fn fodt_document(body: &str) -> String {
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles>
<style:default-style style:family="paragraph"><style:paragraph-properties fo:margin-bottom="1.5mm"/><style:text-properties style:font-name="Noto Sans" fo:font-family="'Noto Sans'" fo:font-size="10.5pt" fo:language="nl" fo:country="NL"/></style:default-style>
<style:style style:name="Standaard" style:family="paragraph"/>
<style:style style:name="Kop" style:family="paragraph"><style:text-properties fo:font-size="12.5pt" fo:font-weight="bold" fo:color="#1f5fa8"/></style:style>
<style:style style:name="KopNieuwePagina" style:family="paragraph" style:parent-style-name="Kop"><style:paragraph-properties fo:break-before="page"/></style:style>
<style:style style:name="Klein" style:family="paragraph"><style:text-properties fo:font-size="8pt" fo:color="#4a4a4a"/></style:style>
<style:style style:name="Vet" style:family="paragraph"><style:text-properties fo:font-weight="bold"/></style:style>
</office:styles>
<office:automatic-styles>
<style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm" fo:margin-top="20mm" fo:margin-bottom="22mm" fo:margin-left="20mm" fo:margin-right="20mm"/></style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="A4"/></office:master-styles>
<office:body><office:text>
{body}</office:text></office:body>
</office:document>
"##
    )
}
