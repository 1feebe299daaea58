//! The printer: turns letters and cards into one PDF per job.
//!
//! A [`Printer`] is built once (fonts, standard library and templates are
//! loaded then) and reused for every job. A batch of any size is one PDF and
//! one Typst compilation, or two when a letter runs over one page (see
//! [`Printer::render_letters`]). Each letter starts on a new page and counts
//! its own pages. Facts reach the templates as JSON with Dutch keys
//! (`/huisstijl.json`, `/data.json`) plus one PNG per QR code (`/qr/<n>.png`,
//! made on other threads while Typst evaluates the letters), so no value is
//! ever spliced into Typst source text.
//!
//! Speed (release build, 2 cores): one letter in 3-8 ms; 500 letters in
//! one PDF in 0.6-0.7 s on a quiet machine (`cargo xtask bench`). Where the
//! time goes, for 500 letters: the compilation takes about 0.4 s (0.65 s of
//! CPU: Typst evaluates the templates on one thread while the QR codes are
//! made on another, then lays out the letters' pages on both cores, mostly
//! paragraphs and text shaping; the templates avoid `grid`, `pad` and markup
//! lists in the parts every letter has, which cost more) and the PDF export
//! about 0.2 s (0.3 s of CPU: one thread converts the pages while the
//! others compress them). Together about 1.6 of the 2 cores are busy.
//! Every paragraph, `place` and `strong` is located (tagged) per letter, so
//! Typst's memoization cannot reuse the typesetting of one letter for the
//! next even where the words are the same. Tagged PDF stays on although it
//! costs 40-50 ms of a 500-letter batch: letters must work with a screen
//! reader.

use std::collections::HashSet;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Label, Selector};
use typst::layout::PagedDocument;
use typst::utils::PicoStr;

use crate::branding::Branding;
use crate::card::{NotHomeCard, VisitPurpose};
use crate::dutch;
use crate::error::{PrintError, Redactor};
use crate::letter::{Addressee, Consultant, Letter, LetterKind, LetterType, SignedBy};
use crate::link::{ResponseBase, ResponseLink, Token};
use crate::qr;
use crate::tempdir::PrivateTempDir;
use crate::templates::TemplateSet;
use crate::world::{Engine, JobWorld};

/// Renders letters and cards. Build one and keep it: creating it loads fonts
/// and templates; rendering reuses them. It is `Send + Sync`, so the app can
/// hold it in its state and render from any thread.
pub struct Printer {
    engine: Engine,
    branding: Branding,
    branding_json: Vec<u8>,
    base: ResponseBase,
}

// The app keeps one printer in shared state; keep that possible.
const _: fn() = || {
    fn shareable<T: Send + Sync>() {}
    shareable::<Printer>();
};

/// One rendered PDF and the response links printed in it, in the order of
/// the letters or cards that were given.
pub struct Rendered {
    /// The PDF. It holds personal data: write it only to a [`PrivateTempDir`].
    pub pdf: Vec<u8>,
    /// One link per letter or card, in input order. The caller records them
    /// (token, short code, URL) with the letter's contact moment.
    pub links: Vec<ResponseLink>,
    /// Number of pages in the PDF.
    pub pages: usize,
    /// Warnings from the templates (redacted), useful to whoever edits them.
    pub warnings: Vec<String>,
}

impl fmt::Debug for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rendered")
            .field("pdf_bytes", &self.pdf.len())
            .field("links", &self.links.len())
            .field("pages", &self.pages)
            .field("warnings", &self.warnings)
            .finish()
    }
}

impl Rendered {
    /// Writes the PDF into the private folder under `file_name`; see
    /// [`PrivateTempDir::write`].
    pub fn save(&self, dir: &PrivateTempDir, file_name: &str) -> Result<PathBuf, PrintError> {
        dir.write(file_name, &self.pdf)
    }
}

impl Printer {
    /// Loads fonts, standard library and templates. `base` is the public
    /// address of the bureau's server, used in every QR code.
    pub fn new(
        branding: Branding,
        templates: &TemplateSet,
        base: ResponseBase,
    ) -> Result<Self, PrintError> {
        let engine = Engine::new(templates);
        if engine.font_count() == 0 {
            return Err(PrintError::Pdf("no embedded fonts".into()));
        }
        let branding_json = serde_json::to_vec(&BrandingData::from(&branding))
            .map_err(|e| PrintError::Branding(e.to_string()))?;
        Ok(Self {
            engine,
            branding,
            branding_json,
            base,
        })
    }

    pub fn branding(&self) -> &Branding {
        &self.branding
    }

    /// Renders letters into one PDF, each starting on a new page. Refuses the
    /// whole job if any letter fails [`Letter::check`] (for example an
    /// officiële waarschuwing by someone who is not a BOA).
    pub fn render_letters(&self, letters: &[Letter]) -> Result<Rendered, PrintError> {
        let first = letters.first().ok_or(PrintError::EmptyJob)?;
        for letter in letters {
            letter.check()?;
        }
        let links = self.links(letters.iter().map(|l| l.token.clone()))?;
        let mut data = LettersData {
            brieven: letters
                .iter()
                .zip(&links)
                .enumerate()
                .map(|(nr, (l, link))| letter_data(nr, l, link, &self.branding.signature.name))
                .collect(),
        };
        let to_json = |data: &LettersData| {
            serde_json::to_value(data).map_err(|e| PrintError::Pdf(e.to_string()))
        };
        let mut job = self.job(LETTERS_MAIN, to_json(&data)?, &links, first.date)?;
        let (mut document, mut warnings) = job.compile()?;

        // Page numbers per letter ("Pagina 1 van 2") need to know where each
        // letter starts and ends. Asking Typst for that from every page's
        // footer costs extra layout passes over the whole batch, so the
        // letters are set once without numbers; only when a letter runs over
        // one page are they set again with their page counts. Footers do not
        // change the body's layout, so the counts stay true.
        let starts = letter_starts(&document);
        if starts.len() != letters.len() {
            return Err(PrintError::Template {
                file: "huisstijl.typ".into(),
                line: 0,
                message: "every letter template must call huisstijl-brief exactly once".into(),
            });
        }
        let ends = starts
            .iter()
            .skip(1)
            .copied()
            .chain([document.pages.len() + 1]);
        let counts: Vec<usize> = starts
            .iter()
            .zip(ends)
            .map(|(s, e)| e.saturating_sub(*s))
            .collect();
        if counts.iter().any(|&n| n > 1) {
            for (letter, (start, count)) in data.brieven.iter_mut().zip(starts.iter().zip(&counts))
            {
                letter.eerste_pagina = Some(*start);
                letter.paginas = Some(*count);
            }
            job.world
                .add_file("/data.json", to_json(&data)?.to_string().into_bytes());
            (document, warnings) = job.compile()?;
        }
        job.finish(&document, links, warnings)
    }

    /// Renders one letter; the same as a batch of one.
    pub fn render_letter(&self, letter: &Letter) -> Result<Rendered, PrintError> {
        self.render_letters(std::slice::from_ref(letter))
    }

    /// Renders cards for the letterbox, three to an A4 page (see [`crate::card`]).
    pub fn render_not_home_cards(&self, cards: &[NotHomeCard]) -> Result<Rendered, PrintError> {
        let first = cards.first().ok_or(PrintError::EmptyJob)?;
        let links = self.links(cards.iter().map(|c| c.token.clone()))?;
        let data = NotHomeData {
            kaartjes: cards
                .iter()
                .zip(&links)
                .enumerate()
                .map(|(nr, (c, link))| not_home_data(nr, c, link))
                .collect(),
        };
        self.render(NOT_HOME_MAIN, &data, links, first.visited_at.date())
    }

    /// Renders `count` business cards with new tokens, ten to an A4 page.
    /// `date` is the print date: what `datetime.today()` gives a template.
    pub fn render_business_cards(
        &self,
        consultant: &Consultant,
        count: usize,
        date: NaiveDate,
    ) -> Result<Rendered, PrintError> {
        self.business_cards(consultant, std::iter::repeat_n(None, count), date)
    }

    /// Renders business cards again for tokens that were recorded before.
    pub fn render_business_cards_with_tokens(
        &self,
        consultant: &Consultant,
        tokens: &[Token],
        date: NaiveDate,
    ) -> Result<Rendered, PrintError> {
        self.business_cards(consultant, tokens.iter().cloned().map(Some), date)
    }

    fn business_cards(
        &self,
        consultant: &Consultant,
        tokens: impl Iterator<Item = Option<Token>>,
        date: NaiveDate,
    ) -> Result<Rendered, PrintError> {
        let links = self.links(tokens)?;
        if links.is_empty() {
            return Err(PrintError::EmptyJob);
        }
        let data = CardSheetData {
            consulent: ConsultantData::from(consultant),
            kaartjes: links
                .iter()
                .enumerate()
                .map(|(nr, link)| CardData {
                    qr: qr_data(nr, link),
                })
                .collect(),
        };
        self.render(CARD_SHEET_MAIN, &data, links, date)
    }

    /// Uses the given tokens or draws new ones; refuses duplicates.
    fn links(
        &self,
        tokens: impl Iterator<Item = Option<Token>>,
    ) -> Result<Vec<ResponseLink>, PrintError> {
        let mut seen = HashSet::new();
        let mut links = Vec::new();
        for token in tokens {
            let token = match token {
                Some(token) => token,
                None => crate::link::new_token()?,
            };
            if !seen.insert(token.clone()) {
                return Err(PrintError::DuplicateToken);
            }
            links.push(self.base.link(token));
        }
        Ok(links)
    }

    /// Renders a card job: one compilation, no page numbers.
    fn render(
        &self,
        main: &str,
        data: &impl Serialize,
        links: Vec<ResponseLink>,
        date: NaiveDate,
    ) -> Result<Rendered, PrintError> {
        let data = serde_json::to_value(data).map_err(|e| PrintError::Pdf(e.to_string()))?;
        let job = self.job(main, data, &links, date)?;
        let (document, warnings) = job.compile()?;
        job.finish(&document, links, warnings)
    }

    /// The world of one job, with the data, the QR codes and the logo. The
    /// QR codes are made while the job goes on (see [`qr::Batch`]).
    fn job(
        &self,
        main: &str,
        data: serde_json::Value,
        links: &[ResponseLink],
        date: NaiveDate,
    ) -> Result<Job<'_>, PrintError> {
        let qr_codes = qr::Batch::start(links.iter().map(|l| l.url.clone()).collect());
        let today = u8::try_from(date.month())
            .ok()
            .zip(u8::try_from(date.day()).ok())
            .and_then(|(m, d)| Datetime::from_ymd(date.year(), m, d));
        let mut world = JobWorld::new(&self.engine, main, today);
        world.add_file("/huisstijl.json", self.branding_json.clone());
        if let Some(logo) = &self.branding.logo {
            world.add_file(logo.file_name(), logo.bytes().to_vec());
        }
        world.add_file("/data.json", data.to_string().into_bytes());
        world.add_qr_codes(qr_codes.clone(), links.len(), qr_path);
        Ok(Job {
            world,
            qr_codes,
            data,
            redactor: OnceLock::new(),
        })
    }
}

/// One job's world and what it needs to report errors without personal data.
struct Job<'a> {
    world: JobWorld<'a>,
    qr_codes: Arc<qr::Batch>,
    /// The job's data, for the [`Redactor`] (made only when there is
    /// something to report).
    data: serde_json::Value,
    redactor: OnceLock<Redactor>,
}

impl Job<'_> {
    fn redactor(&self) -> &Redactor {
        self.redactor.get_or_init(|| Redactor::new(&self.data))
    }

    fn compile(&self) -> Result<(PagedDocument, Vec<String>), PrintError> {
        let warned = typst::compile::<PagedDocument>(&self.world);
        // A QR code that could not be made fails the job as such (the
        // template only saw a file it could not read).
        self.qr_codes.check()?;
        let warnings = warned
            .warnings
            .iter()
            .map(|w| describe(&self.world, self.redactor(), w))
            .collect();
        let document = warned.output.map_err(|errors| {
            let first = errors
                .iter()
                .find(|d| d.severity == Severity::Error)
                .or(errors.first());
            match first {
                Some(diagnostic) => template_error(&self.world, self.redactor(), diagnostic),
                None => PrintError::Template {
                    file: "main.typ".into(),
                    line: 0,
                    message: "unknown error".into(),
                },
            }
        })?;
        Ok((document, warnings))
    }

    fn finish(
        &self,
        document: &PagedDocument,
        links: Vec<ResponseLink>,
        warnings: Vec<String>,
    ) -> Result<Rendered, PrintError> {
        // Tagged PDF (the default) stays on: letters must be readable with
        // a screen reader. It costs about a fifth of the PDF export.
        let options = typst_pdf::PdfOptions::default();
        let pdf = typst_pdf::pdf(document, &options).map_err(|errors| {
            PrintError::Pdf(
                errors
                    .first()
                    .map(|d| self.redactor().redact(&d.message))
                    .unwrap_or_default(),
            )
        })?;
        // Keep the memoization cache of the typesetter from growing without
        // bound in a long-running app; recent entries stay for the next job.
        typst::comemo::evict(10);
        Ok(Rendered {
            pdf,
            links,
            pages: document.pages.len(),
            warnings,
        })
    }
}

/// The first page (1-based) of every letter, from the `<vw-begin>` marks
/// that `huisstijl-brief` sets, in document order.
fn letter_starts(document: &PagedDocument) -> Vec<usize> {
    let Some(label) = Label::new(PicoStr::intern("vw-begin")) else {
        return Vec::new();
    };
    document
        .introspector
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|mark| mark.location())
        .map(|location| document.introspector.page(location).get())
        .collect()
}

fn template_error(
    world: &JobWorld<'_>,
    redactor: &Redactor,
    diagnostic: &SourceDiagnostic,
) -> PrintError {
    let (file, line) = location(world, diagnostic);
    PrintError::Template {
        file,
        line,
        message: redactor.redact(&diagnostic.message),
    }
}

fn describe(world: &JobWorld<'_>, redactor: &Redactor, diagnostic: &SourceDiagnostic) -> String {
    let (file, line) = location(world, diagnostic);
    format!("{file}:{line}: {}", redactor.redact(&diagnostic.message))
}

/// The template file and 1-based line of a diagnostic, where known.
fn location(world: &JobWorld<'_>, diagnostic: &SourceDiagnostic) -> (String, usize) {
    let Some(id) = diagnostic.span.id() else {
        return ("(unknown)".into(), 0);
    };
    let file = id.vpath().as_rootless_path().to_string_lossy().into_owned();
    let line = world
        .lookup(id)
        .and_then(|source| {
            let range = source.range(diagnostic.span)?;
            source.lines().byte_to_line(range.start)
        })
        .map_or(0, |line| line + 1);
    (file, line)
}

fn qr_path(nr: usize) -> String {
    format!("/qr/{nr}.png")
}

// ---------------------------------------------------------------------------
// Main sources: glue that imports the templates and walks the data.
// ---------------------------------------------------------------------------

const LETTERS_MAIN: &str = r#"
#import "/huisstijl.typ": opmaak
#import "/brieven/uitnodiging-gesprek.typ" as uitnodiging-gesprek
#import "/brieven/aankondiging-huisbezoek.typ" as aankondiging-huisbezoek
#import "/brieven/kennismaking-doorstroompunt.typ" as kennismaking-doorstroompunt
#import "/brieven/absoluut-verzuim.typ" as absoluut-verzuim
#import "/brieven/afspraakbevestiging.typ" as afspraakbevestiging
#import "/brieven/officiele-waarschuwing.typ" as officiele-waarschuwing
#set document(title: "Brief")
#let sjablonen = (
  "uitnodiging-gesprek": uitnodiging-gesprek.brief,
  "aankondiging-huisbezoek": aankondiging-huisbezoek.brief,
  "kennismaking-doorstroompunt": kennismaking-doorstroompunt.brief,
  "absoluut-verzuim": absoluut-verzuim.brief,
  "afspraakbevestiging": afspraakbevestiging.brief,
  "officiele-waarschuwing": officiele-waarschuwing.brief,
)
#show: opmaak
#for d in json("/data.json").brieven { (sjablonen.at(d.soort))(d) }
"#;

const NOT_HOME_MAIN: &str = r#"
#import "/huisstijl.typ": opmaak
#import "/kaartjes/niet-thuis.typ": kaartjes
#set document(title: "Kaartjes")
#show: opmaak
#kaartjes(json("/data.json").kaartjes)
"#;

const CARD_SHEET_MAIN: &str = r#"
#import "/huisstijl.typ": opmaak
#import "/kaartjes/visitekaartjes.typ": vel
#set document(title: "Visitekaartjes")
#show: opmaak
#let data = json("/data.json")
#vel(data.consulent, data.kaartjes)
"#;

// ---------------------------------------------------------------------------
// The JSON the templates read. Keys are Dutch because offices edit the
// templates; renaming a key breaks their copies, so treat them as stable.
// ---------------------------------------------------------------------------

#[derive(Serialize)]
struct BrandingData<'a> {
    organisatie: &'a str,
    doorstroompunt: &'a str,
    leerplicht: &'a str,
    adres: &'a [String],
    telefoon: &'a str,
    whatsapp: Option<&'a str>,
    email: Option<&'a str>,
    website: Option<&'a str>,
    ondertekening: SignatureData<'a>,
    kleuren: ColoursData<'a>,
    logo: Option<&'static str>,
}

#[derive(Serialize)]
struct SignatureData<'a> {
    groet: &'a str,
    naam: &'a str,
    tekst: &'a str,
}

#[derive(Serialize)]
struct ColoursData<'a> {
    hoofd: &'a str,
    licht: &'a str,
}

impl<'a> From<&'a Branding> for BrandingData<'a> {
    fn from(b: &'a Branding) -> Self {
        Self {
            organisatie: &b.organisation,
            doorstroompunt: &b.doorstroompunt_name,
            leerplicht: &b.leerplicht_name,
            adres: &b.address_lines,
            telefoon: &b.phone,
            whatsapp: b.whatsapp.as_deref(),
            email: b.email.as_deref(),
            website: b.website.as_deref(),
            ondertekening: SignatureData {
                groet: &b.signature.closing,
                naam: &b.signature.name,
                tekst: &b.signature.text,
            },
            kleuren: ColoursData {
                hoofd: &b.colours.primary,
                licht: &b.colours.light,
            },
            logo: b.logo.as_ref().map(|l| l.file_name()),
        }
    }
}

#[derive(Serialize)]
struct LettersData {
    brieven: Vec<LetterData>,
}

#[derive(Serialize)]
struct LetterData {
    nr: usize,
    soort: &'static str,
    kenmerk: String,
    datum: String,
    ouders: bool,
    jongere: YoungPersonData,
    adres: [String; 2],
    afzender: ConsultantData,
    ondertekening: SignerData,
    qr: QrData,
    afspraak: Option<AppointmentData>,
    huisbezoek: Option<HomeVisitData>,
    waarschuwing: Option<WarningData>,
    reageer_voor: Option<String>,
    /// Unknown (`None`) in the first pass; see [`Printer::render_letters`].
    eerste_pagina: Option<usize>,
    paginas: Option<usize>,
}

#[derive(Serialize)]
struct YoungPersonData {
    voornaam: String,
    naam: String,
}

#[derive(Serialize)]
struct ConsultantData {
    naam: String,
    functie: String,
    telefoon: Option<String>,
    whatsapp: Option<String>,
    email: Option<String>,
}

impl From<&Consultant> for ConsultantData {
    fn from(c: &Consultant) -> Self {
        Self {
            naam: c.name.clone(),
            functie: c.role.clone(),
            telefoon: c.phone.clone(),
            whatsapp: c.whatsapp.clone(),
            email: c.email.clone(),
        }
    }
}

#[derive(Serialize)]
struct SignerData {
    naam: String,
    functie: Option<String>,
}

#[derive(Serialize)]
struct QrData {
    bestand: String,
    url: String,
    link: String,
    code: String,
}

#[derive(Serialize)]
struct AppointmentData {
    datum: String,
    begintijd: String,
    eindtijd: Option<String>,
    plaats: String,
    adres: Vec<String>,
    met: Option<String>,
}

#[derive(Serialize)]
struct HomeVisitData {
    datum: String,
    van: String,
    tot: String,
}

#[derive(Serialize)]
struct WarningData {
    school: String,
    van: String,
    tot: String,
    uren: u32,
}

fn qr_data(nr: usize, link: &ResponseLink) -> QrData {
    QrData {
        bestand: qr_path(nr),
        url: link.url.clone(),
        link: link.printed_link.clone(),
        code: link.short_code.grouped(),
    }
}

fn letter_data(nr: usize, letter: &Letter, link: &ResponseLink, bureau_signer: &str) -> LetterData {
    let signer = match letter.signed_by {
        SignedBy::Author => SignerData {
            naam: letter.author.name.clone(),
            functie: Some(letter.author.role.clone()),
        },
        SignedBy::Bureau => SignerData {
            naam: bureau_signer.to_owned(),
            functie: None,
        },
    };
    let appointment = |a: &crate::letter::Appointment| AppointmentData {
        datum: dutch::weekday_date(a.date),
        begintijd: dutch::time(a.start),
        eindtijd: a.end.map(dutch::time),
        plaats: a.place.clone(),
        adres: a.place_address.clone(),
        met: a.with_whom.clone(),
    };
    let mut data = LetterData {
        nr,
        soort: letter.kind.letter_type().as_str(),
        kenmerk: letter.reference.trim().to_owned(),
        datum: dutch::date(letter.date),
        ouders: letter.addressee == Addressee::Parents,
        jongere: YoungPersonData {
            voornaam: letter.young_person.given_name.trim().to_owned(),
            naam: letter.young_person.full_name.trim().to_owned(),
        },
        adres: letter.address.lines(),
        afzender: ConsultantData::from(&letter.author),
        ondertekening: signer,
        qr: qr_data(nr, link),
        afspraak: None,
        huisbezoek: None,
        waarschuwing: None,
        reageer_voor: None,
        eerste_pagina: None,
        paginas: None,
    };
    match &letter.kind {
        LetterKind::Invitation(a) | LetterKind::AppointmentConfirmation(a) => {
            data.afspraak = Some(appointment(a))
        }
        LetterKind::HomeVisitAnnouncement(v) => {
            data.huisbezoek = Some(HomeVisitData {
                datum: dutch::weekday_date(v.date),
                van: dutch::time(v.from),
                tot: dutch::time(v.until),
            });
        }
        LetterKind::DoorstroompuntIntroduction => {}
        LetterKind::AbsoluteAbsence { reply_before } => {
            data.reageer_voor = Some(dutch::date(*reply_before))
        }
        LetterKind::OfficialWarning(w) => {
            data.waarschuwing = Some(WarningData {
                school: w.school.clone(),
                van: dutch::date(w.period_from),
                tot: dutch::date(w.period_until),
                uren: w.hours,
            });
        }
    }
    debug_assert_eq!(
        LetterType::parse(data.soort).ok(),
        Some(letter.kind.letter_type())
    );
    data
}

#[derive(Serialize)]
struct NotHomeData {
    kaartjes: Vec<NotHomeCardData>,
}

#[derive(Serialize)]
struct NotHomeCardData {
    nr: usize,
    doel: &'static str,
    datum: String,
    tijd: String,
    contact_voor: Option<String>,
    consulent: ConsultantData,
    qr: QrData,
}

fn not_home_data(nr: usize, card: &NotHomeCard, link: &ResponseLink) -> NotHomeCardData {
    let (doel, contact_voor) = match card.purpose {
        VisitPurpose::LuxeVerzuimCheck { contact_before } => {
            ("luxeverzuim", Some(dutch::weekday_date(contact_before)))
        }
        VisitPurpose::YoungPerson => ("jongere", None),
    };
    NotHomeCardData {
        nr,
        doel,
        datum: dutch::weekday_date(card.visited_at.date()),
        tijd: dutch::time(card.visited_at.time()),
        contact_voor,
        consulent: ConsultantData::from(&card.consultant),
        qr: qr_data(nr, link),
    }
}

#[derive(Serialize)]
struct CardSheetData {
    consulent: ConsultantData,
    kaartjes: Vec<CardData>,
}

#[derive(Serialize)]
struct CardData {
    qr: QrData,
}
