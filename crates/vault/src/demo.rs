//! A synthetic caseload for demos, development (`cargo xtask run`) and
//! benchmarks: deterministic for a seed and a day, synthetic only (no real
//! person, address or school; e-mail addresses use `example.nl`).
//!
//! The region is fictional: 3 to 11 gemeenten (DOMAIN.md's sizes) with
//! villages, common Dutch street names and postcodes in one four-digit
//! range per town. Schools of every type (po, sbo, so, vso, vo, mbo) with
//! distinct BRIN codes. Youth have common Dutch first names, diacritics
//! included (Zoë, Daniël, Yıldız, Ayşe), and family names with
//! tussenvoegsels (van, de, van der, van den, ter) or without (Doğan,
//! Yılmaz). Cases of every kind and soort in the proportions of the bureaus'
//! annual reports: verzuim about half, vsv about 30%, vrijstellingen about
//! 13%, informatie en advies about 5%; about 1.5 cases per youth and 10
//! contact moments per case (see [`DemoOptions`]); most cases open, some
//! closed within the retention period and some past it.
//!
//! Everything is written through the one write path
//! ([`Vault::apply_batch`], in transactions of [`BATCH`] records), so each
//! record has its outbox operation and audit entry as if typed in.

use std::num::NonZeroU32;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};
use uuid::Uuid;
use veldwerk_domain::outcome::allowed_outcomes;
use veldwerk_domain::rules::{is_working_day, working_day_on_or_after};
use veldwerk_domain::{
    Address, AppointmentKind, AppointmentStatus, Brin, Bsn, CaseKind, ConsentGiver, ConsentScope,
    ContactKind, ContactOutcome, EmailAddress, HouseNumber, LetterKind, MeldingSource,
    Onderwijsnummer, PersonName, PhoneNumber, Postcode, Relation, SchoolType, TaskKind,
    VerzuimKind, VrijstellingArticle, VrijstellingStatus, VsvKind,
};
use veldwerk_protocol::entities;

use crate::caseload::{
    appointment_mutation, case_mutation, consent_mutation, contact_moment_mutation,
    contact_person_mutation, group_session_mutation, letter_mutation, melding_mutation,
    school_mutation, task_mutation, youth_mutation,
};
use crate::model::{
    CardLeft, CaseSubKind, NewAppointment, NewCase, NewConsent, NewContactMoment, NewContactPerson,
    NewGroupSession, NewLetter, NewMelding, NewSchool, NewTask, NewYouth,
};
use crate::query::ymd;
use crate::{Mutation, Vault, VaultError};

/// Records written per transaction.
pub const BATCH: usize = 5_000;

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoOptions {
    /// How many youth. Each has 1.5 cases on average, each case about 10
    /// contact moments: 2,000 youth make about 3,000 cases and 30,000
    /// contact moments (the benchmark caseload, ten times a busy
    /// consultant's).
    pub youth: usize,
    pub seed: u64,
    /// The day the caseload is "now": dates are spread around it.
    pub today: NaiveDate,
}

/// How many records of each kind were made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub gemeenten: usize,
    pub schools: usize,
    pub youth: usize,
    pub contact_persons: usize,
    pub cases: usize,
    pub meldingen: usize,
    pub contact_moments: usize,
    pub tasks: usize,
    pub appointments: usize,
    pub consents: usize,
    pub letters: usize,
    pub group_sessions: usize,
}

impl DemoSummary {
    /// Every record written.
    pub fn total(&self) -> usize {
        self.schools
            + self.youth
            + self.contact_persons
            + self.cases
            + self.meldingen
            + self.contact_moments
            + self.tasks
            + self.appointments
            + self.consents
            + self.letters
            + self.group_sessions
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): small, fast, and good enough to
/// spread synthetic data; the same seed gives the same sequence on every
/// platform.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0), without modulo bias worth noting.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// True with probability `percent` / 100.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    pub fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut roll = self.below(total);
        for (item, weight) in items {
            if roll < u64::from(*weight) {
                return *item;
            }
            roll -= u64::from(*weight);
        }
        items[items.len() - 1].0
    }
}

/// The fictional gemeenten a demo region is made of (it uses the first 3 to
/// 11): a bureau's users need them to work on the demo cases.
pub use data::GEMEENTEN;

mod data {
    //! Name and place lists. Common Dutch names (CBS top lists and the
    //! names of the largest migrant communities), fictional gemeenten.

    pub const FIRST_NAMES: &[&str] = &[
        "Daan", "Sem", "Lucas", "Finn", "Levi", "Milan", "Noah", "Liam", "Jesse", "Bram", "Thijs",
        "Luuk", "Ruben", "Mohammed", "Ahmed", "Yusuf", "Emre", "Mehmet", "Daniël", "Joël",
        "Raphaël", "Noël", "Kerem", "Burak", "Stijn", "Tim", "Niels", "Jayden", "Ilias", "Rayan",
        "Adam", "Sven", "Jurre", "Gijs", "Sander", "Ömer", "Doğan", "Emma", "Julia", "Mila",
        "Tess", "Sophie", "Zoë", "Eva", "Anna", "Noor", "Sara", "Lotte", "Fleur", "Saar", "Yara",
        "Nina", "Lieke", "Fenna", "Isa", "Maud", "Chloë", "Noëlle", "Inaya", "Fatima", "Aya",
        "Yıldız", "Elif", "Zeynep", "Ayşe", "Meryem", "Amira", "Salma", "Lina", "Nora", "Hanna",
        "Maria", "Anaïs", "Iris", "Femke", "Roos",
    ];

    /// First names of mothers (born about 1970 to 1995).
    pub const MOTHER_NAMES: &[&str] = &[
        "Linda",
        "Sandra",
        "Marieke",
        "Esther",
        "Monique",
        "Kim",
        "Sanne",
        "Anouk",
        "Priscilla",
        "Samira",
        "Fatma",
        "Hatice",
        "Naima",
        "Khadija",
        "Ingrid",
        "Petra",
        "Wendy",
        "Mariska",
        "Natasja",
        "Yvonne",
        "Ilse",
        "Judith",
        "Özlem",
        "Saskia",
        "Renée",
    ];

    /// First names of fathers (born about 1965 to 1995).
    pub const FATHER_NAMES: &[&str] = &[
        "Mark",
        "Dennis",
        "Erik",
        "Jeroen",
        "Martijn",
        "Bas",
        "Ronald",
        "Patrick",
        "Mustafa",
        "Hasan",
        "Mohamed",
        "Abdelkader",
        "Said",
        "Hüseyin",
        "Marco",
        "Richard",
        "Arjen",
        "Rob",
        "Joost",
        "Wouter",
        "René",
        "Johan",
        "Vincent",
        "Edwin",
        "Raymond",
    ];

    /// Second voornamen, for some youth ("Eva Maria").
    pub const SECOND_NAMES: &[&str] = &[
        "Maria",
        "Johanna",
        "Hendrik",
        "Jan",
        "Willem",
        "Sophia",
        "Elisabeth",
        "Pieter",
        "Anna",
        "Cornelis",
    ];

    /// (tussenvoegsel, achternaam).
    pub const FAMILY_NAMES: &[(&str, &str)] = &[
        ("", "Jansen"),
        ("de", "Jong"),
        ("de", "Vries"),
        ("van den", "Berg"),
        ("van", "Dijk"),
        ("", "Bakker"),
        ("", "Janssen"),
        ("", "Visser"),
        ("", "Smit"),
        ("", "Meijer"),
        ("de", "Boer"),
        ("", "Mulder"),
        ("de", "Groot"),
        ("", "Bos"),
        ("", "Vos"),
        ("", "Peters"),
        ("", "Hendriks"),
        ("van", "Leeuwen"),
        ("", "Dekker"),
        ("", "Brouwer"),
        ("de", "Wit"),
        ("", "Dijkstra"),
        ("de", "Graaf"),
        ("van der", "Meer"),
        ("van der", "Linden"),
        ("", "Kok"),
        ("de", "Haan"),
        ("", "Vermeulen"),
        ("van den", "Heuvel"),
        ("van der", "Veen"),
        ("van den", "Broek"),
        ("de", "Bruijn"),
        ("van der", "Heijden"),
        ("", "Schouten"),
        ("van", "Beek"),
        ("", "Willems"),
        ("van", "Vliet"),
        ("", "Hoekstra"),
        ("", "Maas"),
        ("", "Verhoeven"),
        ("", "Koster"),
        ("van", "Dam"),
        ("van der", "Wal"),
        ("", "Prins"),
        ("", "Blom"),
        ("", "Huisman"),
        ("ter", "Horst"),
        ("ter", "Haar"),
        ("ten", "Brink"),
        ("", "Doğan"),
        ("", "Yılmaz"),
        ("", "Kaya"),
        ("", "Demir"),
        ("", "Şahin"),
        ("", "Çelik"),
        ("", "Öztürk"),
        ("", "El Amrani"),
        ("", "Bouzid"),
        ("", "Benali"),
        ("", "Nguyen"),
        ("", "Nowak"),
        ("", "Kowalczyk"),
        ("", "Pereira"),
    ];

    /// Fictional gemeenten; a region uses the first 3 to 11.
    pub const GEMEENTEN: &[&str] = &[
        "Brakelveen",
        "Oosterwaarde",
        "Heuvelrode",
        "Lindenhorst",
        "Vlietmond",
        "Eikendonk",
        "Sluiskerk",
        "Ravenswoud",
        "Zandmeer",
        "Wilgendaal",
        "Hoogebrug",
    ];

    /// Villages, shared out over the gemeenten.
    pub const VILLAGES: &[&str] = &[
        "Nieuwdorp",
        "Achterveld",
        "Kerkhoven",
        "Weidebroek",
        "Rietveld",
        "Oudeschans",
        "Bosrand",
        "Zuiderloo",
        "Middelrode",
        "Dijkhuizen",
        "Klaverhoek",
        "Beekbergen-Oost",
        "Hazelaar",
        "Molenend",
        "Veenhuizen-West",
        "Schoorlaan",
        "Ter Aar-Dorp",
        "Linderveld",
    ];

    pub const STREETS: &[&str] = &[
        "Kerkstraat",
        "Dorpsstraat",
        "Schoolstraat",
        "Molenweg",
        "Stationsweg",
        "Julianastraat",
        "Beatrixlaan",
        "Wilhelminastraat",
        "Lindelaan",
        "Eikenlaan",
        "Prins Bernhardlaan",
        "Marktplein",
        "Nieuwstraat",
        "Hoofdstraat",
        "Kastanjelaan",
        "Berkenlaan",
        "Populierenstraat",
        "Tulpstraat",
        "Rozenstraat",
        "Sportlaan",
        "Parkweg",
        "Dijkweg",
        "Irenestraat",
        "Oranjestraat",
        "Burgemeester de Withstraat",
        "Van Goghstraat",
        "Rembrandtlaan",
        "Vondelstraat",
        "Esdoornlaan",
        "Meidoornstraat",
        "Zonnebloemstraat",
        "Merelstraat",
        "Lijsterlaan",
        "Kievitstraat",
        "Havenstraat",
        "Veldweg",
        "Achterom",
        "Brinkstraat",
        "Smidsweg",
        "Weverstraat",
    ];

    pub const PO_NAMES: &[&str] = &[
        "Basisschool De Regenboog",
        "OBS De Vlieger",
        "CBS De Wegwijzer",
        "Kindcentrum Het Palet",
        "RK Basisschool Sint Jozef",
        "Basisschool De Klimboom",
        "OBS De Sterrenkijker",
        "CBS Het Kompas",
        "Basisschool De Zonnewijzer",
        "IKC De Vuurvogel",
    ];

    pub const NOTES: &[&str] = &[
        "Moeder geeft aan dat er thuis veel speelt; volgende week opnieuw contact.",
        "Jongere wil graag een opleiding in de zorg; doorverwezen naar de decaan.",
        "Niemand thuis, kaartje in de bus gedaan.",
        "Vader was aanwezig, afspraak gemaakt voor een gesprek op school.",
        "Zorgcoördinator meldt dat het verzuim na de herfstvakantie is toegenomen.",
        "Gesprek gevoerd over de gevolgen van luxe verzuim; ouders begrijpen het.",
        "Jongere werkt in de bouw en wil geen begeleiding meer.",
        "Afgesproken dat de jongere zich aanmeldt bij het ROC voor de open dag.",
        "Telefonisch niet bereikt; WhatsApp-bericht gestuurd.",
        "Jeugdteam is betrokken; plan volgt na overleg.",
        "School heeft een verzuimoverzicht gestuurd over de laatste vier weken.",
        "Ouders hebben een verklaring van de huisarts ingeleverd.",
        "Jongere komt vaak te laat door de busverbinding; school kijkt naar oplossing.",
        "Intake gedaan op alle leefgebieden: wonen, werk, schulden, gezondheid.",
        "Samen met de jongere een cv gemaakt en twee vacatures bekeken.",
        "Verzuim lijkt verwijtbaar; officiële waarschuwing besproken.",
        "Adres klopt niet meer; BRP geraadpleegd.",
        "Jongere reageerde via de QR-code en wil teruggebeld worden.",
        "Spreekuurgesprek na drie uur ongeoorloofd verzuim.",
        "Tussenjaar: toestemming gegeven om over een jaar opnieuw contact op te nemen.",
    ];
}

/// A town of the demo region.
struct Town {
    name: &'static str,
    gemeente: &'static str,
    /// The four digits of the town's postcodes.
    area: u32,
    /// (street, postcode letters) of the town's streets.
    streets: Vec<(&'static str, String)>,
}

/// Builds the mutations and writes them in batches.
struct Writer<'v> {
    vault: &'v mut Vault,
    user: Uuid,
    pending: Vec<Mutation>,
    rng: SplitMix64,
    /// Milliseconds of the ids' UUIDv7 timestamps: they count up from the
    /// day so ids sort in the order records were made.
    clock: u64,
    today: NaiveDate,
}

impl Writer<'_> {
    fn id(&mut self) -> Uuid {
        self.clock += 1;
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&self.rng.next_u64().to_le_bytes());
        random[8..].copy_from_slice(&self.rng.next_u64().to_le_bytes()[..2]);
        uuid::Builder::from_unix_timestamp_millis(self.clock, &random).into_uuid()
    }

    fn push(&mut self, m: Mutation) -> Result<(), VaultError> {
        self.pending.push(m);
        if self.pending.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), VaultError> {
        if !self.pending.is_empty() {
            let batch = std::mem::take(&mut self.pending);
            self.vault.apply_batch(self.user, batch)?;
        }
        Ok(())
    }

    fn days_ago(&self, days: u64) -> NaiveDate {
        self.today
            .checked_sub_days(Days::new(days))
            .unwrap_or(self.today)
    }

    fn days_ahead(&self, days: u64) -> NaiveDate {
        self.today
            .checked_add_days(Days::new(days))
            .unwrap_or(self.today)
    }

    /// A time on a working day between `from` and `to` (inclusive), in
    /// office hours.
    fn office_time(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDateTime {
        let span = u64::try_from((to - from).num_days()).unwrap_or(0);
        let day = from
            .checked_add_days(Days::new(self.rng.below(span + 1)))
            .unwrap_or(from);
        let day = if is_working_day(day) {
            day
        } else {
            working_day_on_or_after(day)
        };
        let minutes = self.rng.between(8 * 60 + 30, 17 * 60) as u32;
        let time = NaiveTime::from_hms_opt(minutes / 60, (minutes % 60) / 5 * 5, 0)
            .unwrap_or(NaiveTime::MIN);
        day.and_time(time)
    }
}

/// RFC 4648 base32, the alphabet of response tokens.
const TOKEN_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// Crockford base32, the alphabet of short codes.
const SHORT_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A response token and its short code in `veldwerk-print`'s format (the
/// short code is the token's first 50 bits in Crockford base32, `XXXXX-XXXXX`).
fn token(rng: &mut SplitMix64) -> (String, String) {
    let values: Vec<usize> = (0..20).map(|_| rng.below(32) as usize).collect();
    let token: String = values
        .iter()
        .map(|v| char::from(TOKEN_ALPHABET[*v]))
        .collect();
    let mut short = String::with_capacity(11);
    for (i, v) in values.iter().take(10).enumerate() {
        if i == 5 {
            short.push('-');
        }
        short.push(char::from(SHORT_ALPHABET[*v]));
    }
    (token, short)
}

/// A valid BSN (elfproef), made from random digits.
fn bsn(rng: &mut SplitMix64) -> Option<Bsn> {
    loop {
        let mut d = [0u8; 9];
        for x in d.iter_mut().take(8) {
            *x = rng.below(10) as u8;
        }
        d[0] = 1 + rng.below(9) as u8;
        let sum: i64 = (0..8)
            .map(|i| i64::from(d[i]) * (9 - i as i64))
            .sum::<i64>();
        let check = sum.rem_euclid(11);
        if check < 10 {
            d[8] = check as u8;
            let text: String = d.iter().map(|b| char::from(b'0' + b)).collect();
            return Bsn::parse(&text).ok();
        }
    }
}

/// A valid onderwijsnummer (starts with 10, elfproef remainder 5).
fn onderwijsnummer(rng: &mut SplitMix64) -> Option<Onderwijsnummer> {
    for _ in 0..100 {
        let mut d = [1u8, 0, 0, 0, 0, 0, 0, 0, 0];
        for x in d.iter_mut().skip(2).take(6) {
            *x = rng.below(10) as u8;
        }
        let weighted: i64 = (0..8).map(|i| i64::from(d[i]) * (9 - i as i64)).sum();
        for last in 0..10u8 {
            if (weighted - i64::from(last)).rem_euclid(11) == 5 {
                d[8] = last;
                let text: String = d.iter().map(|b| char::from(b'0' + b)).collect();
                return Onderwijsnummer::parse(&text).ok();
            }
        }
    }
    None
}

fn ascii_fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let folded = match c {
            'ë' | 'é' | 'è' => 'e',
            'ï' | 'ı' | 'í' => 'i',
            'ö' | 'ó' | 'Ö' => 'o',
            'ü' | 'ú' => 'u',
            'ç' | 'Ç' => 'c',
            'ş' | 'Ş' => 's',
            'ğ' => 'g',
            ' ' | '\'' => '.',
            c => c,
        };
        out.extend(folded.to_lowercase());
    }
    out
}

/// The region: 3 to 11 gemeenten, their towns and streets.
fn region(rng: &mut SplitMix64) -> Vec<Town> {
    let gemeenten = 3 + rng.below(9) as usize;
    let mut villages = data::VILLAGES.iter();
    let mut towns = Vec::new();
    let mut area = 7000 + 10 * rng.below(150) as u32;
    for gemeente in &data::GEMEENTEN[..gemeenten] {
        let mut names = vec![*gemeente];
        for _ in 0..rng.below(3) {
            if let Some(v) = villages.next() {
                names.push(v);
            }
        }
        for name in names {
            let count = 12 + rng.below(14) as usize;
            let mut streets = Vec::with_capacity(count);
            for _ in 0..count {
                let street = *rng.pick(data::STREETS);
                if streets.iter().any(|(s, _): &(&str, String)| *s == street) {
                    continue;
                }
                let letters = loop {
                    let a = char::from(b'A' + rng.below(26) as u8);
                    let b = char::from(b'A' + rng.below(26) as u8);
                    let pair: String = [a, b].iter().collect();
                    if !matches!(pair.as_str(), "SA" | "SD" | "SS") {
                        break pair;
                    }
                };
                streets.push((street, letters));
            }
            towns.push(Town {
                name,
                gemeente,
                area,
                streets,
            });
            area += 1 + rng.below(6) as u32;
        }
    }
    towns
}

#[derive(Clone, Copy)]
struct SchoolRef {
    id: Uuid,
    school_type: SchoolType,
    gemeente: &'static str,
}

/// The kind of case to open and the ages it fits.
#[derive(Clone, Copy)]
struct CaseProfile {
    kind: CaseKind,
    sub: Option<CaseSubKind>,
    ages: (u64, u64),
}

fn profile(rng: &mut SplitMix64) -> CaseProfile {
    use CaseKind as K;
    let kind = rng.weighted(&[
        (K::Verzuim, 52),
        (K::Vsv, 30),
        (K::Vrijstelling, 13),
        (K::InformatieAdvies, 5),
    ]);
    match kind {
        K::Verzuim => {
            use VerzuimKind as V;
            let v = rng.weighted(&[
                (V::Wettelijk, 30),
                (V::Luxe, 15),
                (V::Overig, 15),
                (V::TeLaatKomen, 10),
                (V::Absoluut, 12),
                (V::AchttienPlus, 10),
                (V::Thuiszitter, 8),
            ]);
            let ages = match v {
                V::Wettelijk | V::TeLaatKomen => (10, 17),
                V::Luxe => (5, 15),
                V::Overig | V::Thuiszitter => (6, 17),
                V::Absoluut => (5, 17),
                V::AchttienPlus => (18, 22),
            };
            CaseProfile {
                kind,
                sub: Some(CaseSubKind::Verzuim(v)),
                ages,
            }
        }
        K::Vsv => {
            use VsvKind as V;
            let v = rng.weighted(&[
                (V::NieuweVsver, 35),
                (V::OudVsver, 40),
                (V::ProVsoUitstromer, 10),
                (V::Trajectbegeleiding, 15),
            ]);
            let ages = match v {
                V::NieuweVsver => (16, 22),
                V::ProVsoUitstromer => (16, 20),
                V::OudVsver | V::Trajectbegeleiding => (18, 26),
            };
            CaseProfile {
                kind,
                sub: Some(CaseSubKind::Vsv(v)),
                ages,
            }
        }
        K::Vrijstelling => {
            use VrijstellingArticle as A;
            let article = rng.weighted(&[
                (A::Art5a, 35),
                (A::Art5b, 5),
                (A::Art5c, 25),
                (A::Art15, 15),
                (A::Art3a, 12),
                (A::Art3b, 8),
            ]);
            use VrijstellingStatus as S;
            let status = rng.weighted(&[
                (S::Requested, 15),
                (S::Granted, 70),
                (S::Refused, 10),
                (S::Withdrawn, 5),
            ]);
            let ages = match article {
                A::Art15 => (16, 17),
                A::Art3a => (14, 16),
                A::Art3b => (15, 16),
                _ => (5, 17),
            };
            CaseProfile {
                kind,
                sub: Some(CaseSubKind::Vrijstelling(article, status)),
                ages,
            }
        }
        K::InformatieAdvies => CaseProfile {
            kind,
            sub: None,
            ages: (15, 22),
        },
    }
}

/// Generate the demo caseload into `vault` (normally an empty one) as the
/// enrolled user.
pub fn generate(vault: &mut Vault, options: &DemoOptions) -> Result<DemoSummary, VaultError> {
    let user = vault.user_id();
    let mut rng = SplitMix64::new(options.seed);
    let clock = u64::try_from(
        options
            .today
            .and_time(NaiveTime::MIN)
            .and_utc()
            .timestamp_millis(),
    )
    .unwrap_or(0);
    let towns = region(&mut rng);
    let mut w = Writer {
        vault,
        user,
        pending: Vec::with_capacity(BATCH),
        rng,
        clock,
        today: options.today,
    };
    let mut summary = DemoSummary {
        gemeenten: towns
            .iter()
            .map(|t| t.gemeente)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        ..DemoSummary::default()
    };
    let schools = schools(&mut w, &towns, &mut summary)?;
    for _ in 0..options.youth {
        youth_with_cases(&mut w, &towns, &schools, &mut summary)?;
    }
    let gemeenten: Vec<&'static str> = data::GEMEENTEN[..summary.gemeenten].to_vec();
    for gemeente in gemeenten {
        for _ in 0..2 {
            let id = w.id();
            let held_on = w.office_time(w.days_ago(120), w.today).date();
            let school = schools
                .iter()
                .filter(|s| s.gemeente == gemeente && s.school_type == SchoolType::Vo)
                .map(|s| s.id)
                .next();
            let session = NewGroupSession {
                held_on,
                headcount: NonZeroU32::new(8 + w.rng.below(22) as u32).unwrap_or(NonZeroU32::MIN),
                topic: Some("Verzuim, gezondheid en hulp vragen".to_owned()),
                school_id: school,
                gemeente: Some(gemeente.to_owned()),
            };
            w.push(group_session_mutation(id, user, &session))?;
            summary.group_sessions += 1;
        }
    }
    w.flush()?;
    Ok(summary)
}

fn schools(
    w: &mut Writer<'_>,
    towns: &[Town],
    summary: &mut DemoSummary,
) -> Result<Vec<SchoolRef>, VaultError> {
    let mut out = Vec::new();
    let mut brin_counter = w.rng.below(200) as usize;
    let mut next_brin = |rng: &mut SplitMix64| {
        brin_counter += 1 + rng.below(3) as usize;
        let digits = 10 + brin_counter % 90;
        let letters = brin_counter / 90;
        let a = char::from(b'A' + (letters / 26 % 26) as u8);
        let b = char::from(b'A' + (letters % 26) as u8);
        Brin::parse(&format!("{digits:02}{a}{b}")).ok()
    };
    let mut add = |w: &mut Writer<'_>,
                   name: String,
                   school_type: SchoolType,
                   town: &Town,
                   out: &mut Vec<SchoolRef>|
     -> Result<(), VaultError> {
        let id = w.id();
        let street = &w.rng.pick(&town.streets).0;
        let school = NewSchool {
            name,
            brin: next_brin(&mut w.rng),
            school_type,
            location: Some(format!("{street}, {}", town.name)),
            gemeente: town.gemeente.to_owned(),
        };
        w.push(school_mutation(id, &school))?;
        out.push(SchoolRef {
            id,
            school_type,
            gemeente: town.gemeente,
        });
        summary.schools += 1;
        Ok(())
    };
    for (i, town) in towns.iter().enumerate() {
        for _ in 0..2 + w.rng.below(3) {
            let name = format!("{} {}", w.rng.pick(data::PO_NAMES), town.name);
            add(w, name, SchoolType::Po, town, &mut out)?;
        }
        if town.name != town.gemeente {
            continue;
        }
        add(
            w,
            format!("{} College", town.name),
            SchoolType::Vo,
            town,
            &mut out,
        )?;
        if w.rng.percent(50) {
            add(
                w,
                format!("Scholengemeenschap {}", town.name),
                SchoolType::Vo,
                town,
                &mut out,
            )?;
        }
        if i % 2 == 0 {
            add(
                w,
                format!("SBO De Brug {}", town.name),
                SchoolType::Sbo,
                town,
                &mut out,
            )?;
        }
    }
    // Region-wide: special education and mbo in the first (largest) gemeente.
    let main = &towns[0];
    add(
        w,
        "De Piramide (so)".to_owned(),
        SchoolType::So,
        main,
        &mut out,
    )?;
    add(
        w,
        "Het Mozaïek (vso)".to_owned(),
        SchoolType::Vso,
        main,
        &mut out,
    )?;
    add(
        w,
        format!("ROC {}", main.gemeente),
        SchoolType::Mbo,
        main,
        &mut out,
    )?;
    if let Some(second) = towns.iter().find(|t| t.gemeente != main.gemeente) {
        add(
            w,
            format!("Vakcollege {}", second.gemeente),
            SchoolType::Mbo,
            second,
            &mut out,
        )?;
    }
    Ok(out)
}

fn school_for(w: &mut Writer<'_>, schools: &[SchoolRef], age: u64, gemeente: &str) -> Option<Uuid> {
    let wanted: &[SchoolType] = match age {
        0..=11 => &[
            SchoolType::Po,
            SchoolType::Po,
            SchoolType::Po,
            SchoolType::Sbo,
            SchoolType::So,
        ],
        12..=15 => &[
            SchoolType::Vo,
            SchoolType::Vo,
            SchoolType::Vo,
            SchoolType::Vso,
        ],
        16..=17 => &[
            SchoolType::Vo,
            SchoolType::Mbo,
            SchoolType::Mbo,
            SchoolType::Vso,
        ],
        _ => &[SchoolType::Mbo],
    };
    let school_type = *w.rng.pick(wanted);
    let local: Vec<Uuid> = schools
        .iter()
        .filter(|s| s.school_type == school_type && s.gemeente == gemeente)
        .map(|s| s.id)
        .collect();
    let any: Vec<Uuid> = schools
        .iter()
        .filter(|s| s.school_type == school_type)
        .map(|s| s.id)
        .collect();
    let list = if local.is_empty() { any } else { local };
    (!list.is_empty()).then(|| *w.rng.pick(&list))
}

fn youth_with_cases(
    w: &mut Writer<'_>,
    towns: &[Town],
    schools: &[SchoolRef],
    summary: &mut DemoSummary,
) -> Result<(), VaultError> {
    let first = profile(&mut w.rng);
    let age = w.rng.between(first.ages.0, first.ages.1);
    let birth_date = w
        .today
        .with_year(w.today.year() - i32::try_from(age).unwrap_or(0))
        .unwrap_or(w.today)
        .checked_sub_days(Days::new(1 + w.rng.below(364)))
        .unwrap_or(w.today);
    let town = w.rng.pick(towns);
    let (family_prefix, family) = *w.rng.pick(data::FAMILY_NAMES);
    let given = *w.rng.pick(data::FIRST_NAMES);
    let given_names = if w.rng.percent(25) {
        format!("{given} {}", w.rng.pick(data::SECOND_NAMES))
    } else {
        given.to_owned()
    };
    let prefix = (!family_prefix.is_empty()).then_some(family_prefix);
    let name =
        PersonName::parse(&given_names, None, prefix, family).map_err(|_| VaultError::Corrupt)?;
    let (street, letters) = w.rng.pick(&town.streets).clone();
    let number = w.rng.between(1, 180);
    let addition = match w.rng.below(10) {
        0 => "a",
        1 => "-2",
        _ => "",
    };
    let address = Address::parse(
        street,
        &format!("{number}{addition}"),
        &format!("{} {letters}", town.area),
        town.name,
        Some(town.gemeente),
    )
    .map_err(|_| VaultError::Corrupt)?;
    debug_assert!(Postcode::parse(&address.postcode.to_string()).is_ok());
    debug_assert!(HouseNumber::parse(&address.house_number.to_string()).is_ok());
    let school_id = school_for(w, schools, age, town.gemeente);
    let mut youth = NewYouth::new(name.clone(), birth_date);
    if w.rng.percent(85) {
        youth.bsn = bsn(&mut w.rng);
    } else {
        youth.onderwijsnummer = onderwijsnummer(&mut w.rng);
    }
    youth.address = Some(address.clone());
    youth.school_id = school_id.filter(|_| first.kind != CaseKind::Vsv);
    if age >= 12 && w.rng.percent(80) {
        let digits = 10_000_000 + w.rng.below(90_000_000);
        youth.phone = PhoneNumber::parse(&format!("06{digits:08}")).ok();
    }
    if age >= 16 && w.rng.percent(50) {
        youth.email = EmailAddress::parse(&format!(
            "{}.{}@example.nl",
            ascii_fold(given),
            ascii_fold(family)
        ))
        .ok();
    }
    let youth_id = w.id();
    w.push(youth_mutation(youth_id, &youth))?;
    summary.youth += 1;

    let parents = if age < 18 {
        1 + w.rng.below(2)
    } else {
        u64::from(w.rng.percent(20))
    };
    for p in 0..parents {
        let relation = if p == 0 {
            w.rng.weighted(&[
                (Relation::Mother, 60),
                (Relation::Father, 25),
                (Relation::Guardian, 5),
                (Relation::FosterParent, 5),
                (Relation::Carer, 5),
            ])
        } else {
            Relation::Father
        };
        // One draw, from the list that fits the relation (guardians,
        // foster parents and carers are women or men).
        let parent_given = match relation {
            Relation::Mother => *w.rng.pick(data::MOTHER_NAMES),
            Relation::Father => *w.rng.pick(data::FATHER_NAMES),
            _ => {
                let mut adults = data::MOTHER_NAMES.iter().chain(data::FATHER_NAMES);
                let count = data::MOTHER_NAMES.len() + data::FATHER_NAMES.len();
                let i = w.rng.below(count as u64);
                adults
                    .nth(usize::try_from(i).unwrap_or(0))
                    .copied()
                    .unwrap_or(data::MOTHER_NAMES[0])
            }
        };
        let parent_name = PersonName::parse(parent_given, None, prefix, family)
            .map_err(|_| VaultError::Corrupt)?;
        let person = NewContactPerson {
            youth_id,
            name: parent_name,
            relation,
            responsible: true,
            address: Some(address.clone()),
            phone: PhoneNumber::parse(&format!("06{:08}", 10_000_000 + w.rng.below(90_000_000)))
                .ok(),
            email: None,
        };
        let id = w.id();
        w.push(contact_person_mutation(id, &person))?;
        summary.contact_persons += 1;
    }

    let mut profiles = vec![first];
    if w.rng.percent(50) {
        // A second case: an earlier one of the same kind, or another kind
        // that fits the age.
        let second = if w.rng.percent(60) {
            first
        } else {
            let p = profile(&mut w.rng);
            if (p.ages.0..=p.ages.1).contains(&age) {
                p
            } else {
                first
            }
        };
        profiles.push(second);
    }
    let count = profiles.len();
    for (i, p) in profiles.into_iter().enumerate() {
        // Of two cases of one kind, the earlier is closed: a youth has at
        // most one open case per werkproces (the linking rule).
        let closed = (count == 2 && i == 0 && p.kind == first.kind) || w.rng.percent(8);
        one_case(
            w,
            youth_id,
            age,
            &name,
            town.gemeente,
            school_id,
            p,
            closed,
            summary,
        )?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn one_case(
    w: &mut Writer<'_>,
    youth_id: Uuid,
    age: u64,
    name: &PersonName,
    gemeente: &str,
    school_id: Option<Uuid>,
    p: CaseProfile,
    closed: bool,
    summary: &mut DemoSummary,
) -> Result<(), VaultError> {
    let user = w.user;
    let today = w.today;
    let (opened_on, closed_on) = if closed {
        // Most within the retention period, some past it (purge_closed).
        let back = w.rng.below(45);
        let closed_on = w.days_ago(back);
        let opened = closed_on
            .checked_sub_days(Days::new(20 + w.rng.below(300)))
            .unwrap_or(closed_on);
        (opened, Some(closed_on))
    } else {
        let back = w.rng.below(365);
        (w.days_ago(back), None)
    };
    let hours_absent = match p.sub {
        Some(CaseSubKind::Verzuim(
            VerzuimKind::Wettelijk | VerzuimKind::Overig | VerzuimKind::TeLaatKomen,
        )) => Some(4 + w.rng.below(70) as u32),
        _ => None,
    };
    let case_id = w.id();
    let new_case = NewCase {
        youth_id,
        kind: p.kind,
        sub_kind: p.sub,
        opened_on,
        gemeente: Some(gemeente.to_owned()),
        school_id,
        hours_absent,
        care_concern: p.kind == CaseKind::Vsv && w.rng.percent(15),
    };
    let mut m = case_mutation(case_id, &new_case, user)?;
    if let Some(closed_on) = closed_on {
        let (verzuim, vsv) = match p.sub {
            Some(CaseSubKind::Verzuim(v)) => (Some(v), None),
            Some(CaseSubKind::Vsv(v)) => (None, Some(v)),
            _ => (None, None),
        };
        let outcomes: Vec<_> = allowed_outcomes(p.kind, verzuim, vsv)
            .into_iter()
            .filter(|o| o.closes_case())
            .collect();
        m = m
            .set("status", veldwerk_domain::CaseStatus::Closed.code())
            .set(entities::case_fields::CLOSED_ON, ymd(closed_on));
        if !outcomes.is_empty() {
            m = m.set("outcome", w.rng.pick(&outcomes).code());
        }
    }
    w.push(m)?;
    summary.cases += 1;

    // Meldingen: one opens the case; verzuim cases get a second one linked
    // to it a third of the time (1,046 meldingen became 794 werkprocessen).
    let meldingen = 1 + u64::from(p.kind == CaseKind::Verzuim && w.rng.percent(33));
    for n in 0..meldingen {
        let source = match p.kind {
            CaseKind::Verzuim => {
                if matches!(p.sub, Some(CaseSubKind::Verzuim(VerzuimKind::Absoluut))) {
                    MeldingSource::Registratie
                } else {
                    w.rng.weighted(&[
                        (MeldingSource::DuoVerzuimloket, 70),
                        (MeldingSource::School, 30),
                    ])
                }
            }
            CaseKind::Vsv => MeldingSource::Registratie,
            CaseKind::Vrijstelling => MeldingSource::Overig,
            CaseKind::InformatieAdvies => w
                .rng
                .weighted(&[(MeldingSource::School, 50), (MeldingSource::Overig, 50)]),
        };
        let received_on = if n == 0 {
            opened_on
        } else {
            opened_on
                .checked_add_days(Days::new(7 + w.rng.below(40)))
                .unwrap_or(opened_on)
                .min(closed_on.unwrap_or(today))
        };
        let number = (source == MeldingSource::DuoVerzuimloket)
            .then(|| format!("VZL-{}-{:06}", received_on.year(), w.rng.below(1_000_000)));
        let melding = NewMelding {
            youth_id,
            kind: p.kind,
            sub_kind: p.sub,
            received_on,
            source,
            number,
            school_id,
            hours_absent,
            note: w
                .rng
                .percent(40)
                .then(|| w.rng.pick(data::NOTES).to_string()),
            gemeente: Some(gemeente.to_owned()),
        };
        let id = w.id();
        w.push(melding_mutation(id, case_id, &melding)?)?;
        summary.meldingen += 1;
    }

    // Letters (about one case in three), before the contact moments that
    // may refer to them.
    let mut letter_ids = Vec::new();
    if w.rng.percent(33) {
        let template = match p.kind {
            CaseKind::Vsv => LetterKind::DoorstroompuntIntroduction,
            CaseKind::Verzuim
                if matches!(p.sub, Some(CaseSubKind::Verzuim(VerzuimKind::Absoluut))) =>
            {
                LetterKind::AbsoluutVerzuimToParents
            }
            _ => *w.rng.pick(&[
                LetterKind::InvitationToTalk,
                LetterKind::HomeVisitAnnouncement,
                LetterKind::AppointmentConfirmation,
            ]),
        };
        let sent_on = w.office_time(opened_on, closed_on.unwrap_or(today)).date();
        let (tok, short) = token(&mut w.rng);
        let letter = NewLetter {
            case_id,
            template,
            sent_on,
            url: Some(format!("https://veldwerk.example/r/{tok}")),
            token: Some(tok),
            short_code: Some(short),
            expires_on: sent_on.checked_add_days(Days::new(90)),
        };
        let id = w.id();
        w.push(letter_mutation(id, &letter))?;
        letter_ids.push((id, template));
        summary.letters += 1;
    }

    // Contact moments: 1 to 19, 10 on average.
    let moments = 1 + w.rng.below(19);
    let first_name = name.first_name().to_owned();
    for _ in 0..moments {
        let kind = w.rng.weighted(&[
            (ContactKind::Phone, 28),
            (ContactKind::WhatsApp, if age >= 12 { 15 } else { 2 }),
            (ContactKind::Email, 8),
            (ContactKind::Letter, 10),
            (ContactKind::HomeVisit, 14),
            (ContactKind::OfficeHours, 15),
            (ContactKind::QrResponse, 3),
        ]);
        let outcome = *w.rng.pick(kind.outcomes());
        let at = w.office_time(opened_on, closed_on.unwrap_or(today));
        let note = if w.rng.percent(65) {
            let base = w.rng.pick(data::NOTES);
            Some(if w.rng.percent(20) {
                format!("{first_name}: {base}")
            } else {
                (*base).to_owned()
            })
        } else {
            None
        };
        let card = (outcome == ContactOutcome::NotHome).then(|| {
            let (token, short_code) = token(&mut w.rng);
            CardLeft { token, short_code }
        });
        let (letter_kind, letter_id) = match (kind, letter_ids.first()) {
            (ContactKind::Letter, Some((id, template))) => (Some(*template), Some(*id)),
            (ContactKind::Letter, None) => (Some(LetterKind::InvitationToTalk), None),
            _ => (None, None),
        };
        let contact = NewContactMoment {
            kind,
            at,
            outcome,
            note,
            letter_kind,
            letter_id,
            card,
        };
        let id = w.id();
        w.push(contact_moment_mutation(id, case_id, user, &contact))?;
        summary.contact_moments += 1;
    }

    // Tasks: open cases have 1 to 3 open ones (some overdue, some today,
    // most ahead); closed cases 1 or 2 done.
    let tasks = if closed {
        1 + w.rng.below(2)
    } else {
        1 + w.rng.below(3)
    };
    for _ in 0..tasks {
        let kind = *w.rng.pick(&[
            TaskKind::CheckReaction,
            TaskKind::HomeVisit,
            TaskKind::Call,
            TaskKind::WhatsApp,
            TaskKind::Letter,
            TaskKind::Monitoring,
            TaskKind::Escalation,
        ]);
        let due_on = if closed {
            closed_on.unwrap_or(today)
        } else {
            let (roll, days) = (w.rng.below(10), 1 + w.rng.below(60));
            match roll {
                // Overdue by a day to three weeks.
                0..=1 => w.days_ago(1 + days % 21),
                2 => today,
                _ => w.days_ahead(days),
            }
        };
        let task = NewTask {
            kind,
            title: kind.label().to_owned(),
            due_on: Some(due_on),
            letter_kind: (kind == TaskKind::Letter).then_some(LetterKind::InvitationToTalk),
        };
        let id = w.id();
        let mut m = task_mutation(id, case_id, &task);
        if closed {
            m = m.set("done", true).set("done_on", ymd(due_on));
        }
        w.push(m)?;
        summary.tasks += 1;
    }

    // Appointments: a third of the open cases, from a few days ago to two
    // weeks ahead, in office hours.
    if !closed && w.rng.percent(33) {
        let starts_at = w.office_time(w.days_ago(3), w.days_ahead(14));
        let minutes = *w.rng.pick(&[30i64, 45, 60]);
        let kind = w.rng.weighted(&[
            (AppointmentKind::Office, 40),
            (AppointmentKind::OfficeHours, 30),
            (AppointmentKind::HomeVisit, 20),
            (AppointmentKind::Phone, 10),
        ]);
        let appointment = NewAppointment {
            case_id,
            kind,
            starts_at,
            ends_at: starts_at + chrono::Duration::minutes(minutes),
            location: Some(match kind {
                AppointmentKind::Office => "Kantoor leerplicht, spreekkamer 2".to_owned(),
                AppointmentKind::OfficeHours => "Spreekuur op school".to_owned(),
                AppointmentKind::HomeVisit => "Thuis".to_owned(),
                AppointmentKind::Phone => "Telefonisch".to_owned(),
            }),
            school_id: (kind == AppointmentKind::OfficeHours)
                .then_some(school_id)
                .flatten(),
        };
        let id = w.id();
        let mut m = appointment_mutation(id, user, &appointment);
        if starts_at.date() < today {
            m = m.set("status", AppointmentStatus::Held.code());
        }
        w.push(m)?;
        summary.appointments += 1;
    }

    // Consents: a quarter of the vsv cases.
    if p.kind == CaseKind::Vsv && w.rng.percent(25) {
        let consent = NewConsent {
            youth_id,
            scope: *w
                .rng
                .pick(&[ConsentScope::Recontact, ConsentScope::ShareWithSchool]),
            given_on: w.office_time(opened_on, closed_on.unwrap_or(today)).date(),
            given_by: ConsentGiver::Youth,
            contact_person_id: None,
            note: None,
        };
        let id = w.id();
        w.push(consent_mutation(id, &consent))?;
        summary.consents += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_splitmix64() {
        // First outputs for seed 0, as published with the algorithm.
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn synthetic_identifiers_are_valid() {
        let mut rng = SplitMix64::new(7);
        for _ in 0..200 {
            assert!(bsn(&mut rng).is_some());
            assert!(onderwijsnummer(&mut rng).is_some());
            let (tok, short) = token(&mut rng);
            assert_eq!((tok.len(), short.len()), (20, 11));
        }
    }

    #[test]
    fn every_name_parses_and_every_street_makes_an_address() {
        for first in data::FIRST_NAMES
            .iter()
            .chain(data::MOTHER_NAMES)
            .chain(data::FATHER_NAMES)
        {
            for (prefix, family) in data::FAMILY_NAMES {
                let prefix = (!prefix.is_empty()).then_some(*prefix);
                assert!(PersonName::parse(first, None, prefix, family).is_ok());
            }
        }
        for street in data::STREETS {
            assert!(Address::parse(street, "12a", "7412 AB", "Brakelveen", None).is_ok());
        }
    }
}
