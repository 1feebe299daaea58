//! Import of meldingen from a CSV export (columns: `docs/import-meldingen.md`).
//!
//! All or nothing: every row is checked first, then everything is written in
//! one transaction; any bad row aborts the whole import with its line number.
//! Records are written through the admin write path, so they get sequence
//! numbers, versions and scope like any change, and devices pull them.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;
use uuid::Uuid;
use veldwerk_domain::{
    Bsn, HouseNumber, Postcode, VerzuimKind, VrijstellingArticle, VrijstellingStatus, VsvKind,
};
use veldwerk_protocol::entities;

use super::sync::admin_write;
use super::{Audit, Result, Store, audit};

/// A row that cannot be imported; `line` is the line in the file (the header
/// is line 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("regel {line}: {message}")]
pub struct ImportError {
    pub line: u64,
    pub message: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub meldingen: usize,
    pub youth_created: usize,
    pub cases_created: usize,
    pub cases_linked: usize,
}

const REQUIRED: &[&str] = &[
    "meldingnummer",
    "datum_melding",
    "werkproces",
    "voornaam",
    "achternaam",
    "geboortedatum",
    "gemeente",
];
const OPTIONAL: &[&str] = &[
    "bsn",
    "tussenvoegsel",
    "straat",
    "huisnummer",
    "postcode",
    "plaats",
    "soort",
    "school_brin",
    "toelichting",
    "consulent_id",
];
pub(crate) const WERKPROCESSEN: &[&str] = &["verzuim", "vrijstelling", "vsv", "informatie_advies"];
const YOUTH_FIELDS: &[&str] = &[
    "bsn",
    "voornaam",
    "tussenvoegsel",
    "achternaam",
    "geboortedatum",
    "straat",
    "huisnummer",
    "postcode",
    "plaats",
    "gemeente",
];

struct Row {
    line: u64,
    values: BTreeMap<&'static str, String>,
}

impl Row {
    fn get(&self, k: &str) -> Option<&str> {
        self.values
            .get(k)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

fn err(line: u64, message: impl Into<String>) -> ImportError {
    ImportError {
        line,
        message: message.into(),
    }
}

/// Parses and checks every row; nothing is written.
fn parse(csv_text: &str) -> Result<Vec<Row>, ImportError> {
    let text = csv_text.strip_prefix('\u{feff}').unwrap_or(csv_text);
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.contains(';') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| err(1, format!("kopregel onleesbaar: {e}")))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    for req in REQUIRED {
        if !headers.iter().any(|h| h == req) {
            return Err(err(1, format!("kolom '{req}' ontbreekt")));
        }
    }
    for h in &headers {
        if !REQUIRED.contains(&h.as_str()) && !OPTIONAL.contains(&h.as_str()) {
            return Err(err(1, format!("onbekende kolom '{h}'")));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            err(
                line,
                "regel is niet goed opgebouwd (aantal kolommen of aanhalingstekens)",
            )
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let mut values = BTreeMap::new();
        for (h, v) in headers.iter().zip(record.iter()) {
            let key = REQUIRED.iter().chain(OPTIONAL).find(|k| **k == h.as_str());
            if let Some(k) = key {
                values.insert(*k, v.trim().to_owned());
            }
        }
        let mut row = Row { line, values };
        check_row(&mut row)?;
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(err(2, "het bestand bevat geen meldingen"));
    }
    Ok(rows)
}

fn check_row(row: &mut Row) -> Result<(), ImportError> {
    let line = row.line;
    for req in REQUIRED {
        if row.get(req).is_none() {
            return Err(err(line, format!("'{req}' is leeg")));
        }
    }
    for k in ["datum_melding", "geboortedatum"] {
        let raw = row.get(k).unwrap_or_default();
        let date = parse_date(raw).ok_or_else(|| {
            err(
                line,
                format!("'{k}' is geen datum (JJJJ-MM-DD of DD-MM-JJJJ)"),
            )
        })?;
        row.values.insert(k, date.format("%Y-%m-%d").to_string());
    }
    let werkproces = row.get("werkproces").unwrap_or_default().to_lowercase();
    if !WERKPROCESSEN.contains(&werkproces.as_str()) {
        return Err(err(
            line,
            format!("werkproces moet een van {} zijn", WERKPROCESSEN.join(", ")),
        ));
    }
    row.values.insert("werkproces", werkproces);
    if let Some(bsn) = row.get("bsn") {
        let normal =
            Bsn::parse(bsn).map_err(|_| err(line, "bsn klopt niet (9 cijfers en de elfproef)"))?;
        row.values.insert("bsn", normal.to_string());
    }
    if let Some(pc) = row.get("postcode") {
        let normal = Postcode::parse(pc).map_err(|_| err(line, "postcode klopt niet (1234 AB)"))?;
        row.values.insert("postcode", normal.to_string());
    }
    if let Some(nr) = row.get("huisnummer") {
        let normal = HouseNumber::parse(nr)
            .map_err(|_| err(line, "huisnummer klopt niet (bijvoorbeeld 12, 12a of 12-2)"))?;
        row.values.insert("huisnummer", normal.to_string());
    }
    if let Some(soort) = row.get("soort") {
        let werkproces = row.get("werkproces").unwrap_or_default();
        let code = Soort::parse(werkproces, soort).map_err(|message| err(line, message))?;
        row.values.insert("soort", code.code().to_owned());
    }
    if let Some(id) = row.get("consulent_id")
        && Uuid::parse_str(id).is_err()
    {
        return Err(err(line, "consulent_id is geen gebruikers-id"));
    }
    Ok(())
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .ok()
}

/// The `soort` column, read for the row's werkproces: the code the devices
/// use (`luxe`, `nieuwe_vsver`, `5a`) or the label people write (`Luxe
/// verzuim`, `Nieuwe vsv'er`, `art. 5 onder a`), any capitals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Soort {
    Verzuim(VerzuimKind),
    Vsv(VsvKind),
    Vrijstelling(VrijstellingArticle),
}

impl Soort {
    fn parse(werkproces: &str, text: &str) -> Result<Self, String> {
        match werkproces {
            "verzuim" => VerzuimKind::from_code_or_label(text)
                .map(Self::Verzuim)
                .map_err(|_| choose("verzuim", VerzuimKind::CODES)),
            "vsv" => VsvKind::from_code_or_label(text)
                .map(Self::Vsv)
                .map_err(|_| choose("vsv", VsvKind::CODES)),
            "vrijstelling" => {
                // "5a", "5 a", "art. 5 onder a", "artikel 15".
                let compact: String = text
                    .trim()
                    .to_lowercase()
                    .trim_start_matches("artikel")
                    .trim_start_matches("art.")
                    .replace("onder", "")
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                let codes: Vec<&str> = VrijstellingArticle::all()
                    .iter()
                    .map(|a| a.code())
                    .collect();
                VrijstellingArticle::from_code(&compact)
                    .map(Self::Vrijstelling)
                    .map_err(|_| choose("vrijstelling", &codes))
            }
            _ => Err(format!(
                "werkproces {werkproces} heeft geen soort: laat 'soort' leeg"
            )),
        }
    }

    fn code(self) -> &'static str {
        match self {
            Self::Verzuim(k) => k.code(),
            Self::Vsv(k) => k.code(),
            Self::Vrijstelling(a) => a.code(),
        }
    }

    /// The fields a new case of this soort gets, as a device would write
    /// them: the soort for verzuim and vsv (it decides the outcome list the
    /// case is closed with), the article of a vrijstelling as a request.
    fn case_fields(self) -> Vec<(String, Value)> {
        match self {
            Self::Verzuim(_) | Self::Vsv(_) => {
                vec![("soort".to_owned(), Value::String(self.code().to_owned()))]
            }
            Self::Vrijstelling(article) => {
                let mut fields = vec![(
                    "vrijstelling_artikel".to_owned(),
                    Value::from(article.number()),
                )];
                if let Some(letter) = article.letter() {
                    fields.push((
                        "vrijstelling_letter".to_owned(),
                        Value::String(letter.to_string()),
                    ));
                }
                fields.push((
                    "vrijstelling_status".to_owned(),
                    Value::String(VrijstellingStatus::Requested.code().to_owned()),
                ));
                fields
            }
        }
    }
}

fn choose(werkproces: &str, codes: &[&str]) -> String {
    format!(
        "soort past niet bij werkproces {werkproces}: kies uit {}",
        codes.join(", ")
    )
}

impl Store {
    /// Imports meldingen from CSV text: all rows or none.
    pub fn import_meldingen(&self, csv_text: &str, now: DateTime<Utc>) -> Result<ImportSummary> {
        let rows = parse(csv_text)?;
        let options = self.options().clone();
        let summary = self.write(|tx| {
            let mut s = ImportSummary::default();
            for row in &rows {
                import_row(tx, row, now, &options, &mut s)?;
            }
            audit(
                tx,
                now,
                &Audit {
                    detail: Some(&format!(
                        "meldingen={} youth={} cases_created={} cases_linked={}",
                        s.meldingen, s.youth_created, s.cases_created, s.cases_linked
                    )),
                    ..Audit::admin("meldingen_imported")
                },
            )?;
            Ok(s)
        })?;
        tracing::info!(
            meldingen = summary.meldingen,
            cases_created = summary.cases_created,
            cases_linked = summary.cases_linked,
            "meldingen imported"
        );
        Ok(summary)
    }
}

fn import_row(
    tx: &Connection,
    row: &Row,
    now: DateTime<Utc>,
    options: &super::StoreOptions,
    s: &mut ImportSummary,
) -> Result<()> {
    let line = row.line;
    let text = |k: &str| Value::String(row.get(k).unwrap_or_default().to_owned());
    let nummer = row.get("meldingnummer").unwrap_or_default();
    let duplicate: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM records WHERE entity = 'melding'
                        AND json_extract(fields, '$.meldingnummer.v') = ?1)",
        [nummer],
        |r| r.get(0),
    )?;
    if duplicate {
        return Err(err(line, format!("meldingnummer {nummer} is al geïmporteerd")).into());
    }
    let consulent = row.get("consulent_id");
    if let Some(c) = consulent {
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1)",
            [c],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(err(line, "consulent_id is geen bekende gebruiker").into());
        }
    }
    let existing_youth: Option<String> = match row.get("bsn") {
        Some(bsn) => tx
            .query_row(
                "SELECT entity_id FROM records WHERE entity = 'youth'
                 AND json_extract(fields, '$.bsn.v') = ?1 ORDER BY seq LIMIT 1",
                [bsn],
                |r| r.get(0),
            )
            .optional()?,
        None => None,
    };
    let youth_id = match existing_youth {
        Some(id) => id,
        None => {
            let id = Uuid::now_v7().to_string();
            let values = YOUTH_FIELDS
                .iter()
                .filter(|k| row.get(k).is_some())
                .map(|k| ((*k).to_owned(), text(k)))
                .collect();
            admin_write(tx, entities::YOUTH, &id, values, now, options)?;
            s.youth_created += 1;
            id
        }
    };
    let werkproces = row.get("werkproces").unwrap_or_default();
    let open_case: Option<String> = tx
        .query_row(
            "SELECT entity_id FROM records WHERE entity = 'case' AND link_youth = ?1
               AND json_extract(fields, '$.werkproces.v') = ?2
               AND json_extract(fields, '$.closed_on.v') IS NULL
             ORDER BY seq LIMIT 1",
            params![youth_id, werkproces],
            |r| r.get(0),
        )
        .optional()?;
    let case_id = match open_case {
        Some(id) => {
            s.cases_linked += 1;
            id
        }
        None => {
            let id = Uuid::now_v7().to_string();
            let mut values = vec![
                ("youth_id".to_owned(), Value::String(youth_id.clone())),
                ("werkproces".to_owned(), text("werkproces")),
                ("status".to_owned(), Value::String("open".into())),
                ("opened_on".to_owned(), text("datum_melding")),
                ("gemeente".to_owned(), text("gemeente")),
                ("shared_with".to_owned(), Value::Array(Vec::new())),
            ];
            if let Some(c) = consulent {
                values.push(("assigned_user_id".to_owned(), Value::String(c.to_owned())));
            }
            if let Some(soort) = row.get("soort") {
                // Checked in `check_row`; the code parses again as itself.
                let soort = Soort::parse(werkproces, soort).map_err(|m| err(line, m))?;
                values.extend(soort.case_fields());
            }
            admin_write(tx, entities::CASE, &id, values, now, options)?;
            s.cases_created += 1;
            id
        }
    };
    let mut values = vec![
        ("case_id".to_owned(), Value::String(case_id)),
        ("youth_id".to_owned(), Value::String(youth_id)),
        ("meldingnummer".to_owned(), text("meldingnummer")),
        ("datum".to_owned(), text("datum_melding")),
        ("werkproces".to_owned(), text("werkproces")),
        ("bron".to_owned(), Value::String("import".into())),
    ];
    for k in ["soort", "school_brin", "toelichting"] {
        if row.get(k).is_some() {
            values.push((k.to_owned(), text(k)));
        }
    }
    admin_write(
        tx,
        entities::MELDING,
        &Uuid::now_v7().to_string(),
        values,
        now,
        options,
    )?;
    s.meldingen += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_row(extra_header: &str, extra: &str) -> Result<Row, ImportError> {
        let csv = format!(
            "meldingnummer;datum_melding;werkproces;voornaam;achternaam;geboortedatum;gemeente{extra_header}\n\
             M1;2026-01-05;{extra}\n"
        );
        parse(&csv).map(|mut rows| rows.remove(0))
    }

    #[test]
    fn bsn_postcode_and_house_number_are_checked_and_stored_in_one_form() -> Result<(), ImportError>
    {
        let row = one_row(
            ";bsn;postcode;huisnummer",
            "verzuim;Sam;Jansen;2011-03-14;Utrecht;12345672;1234ab;12 A",
        )?;
        assert_eq!(row.get("bsn"), Some("012345672"));
        assert_eq!(row.get("postcode"), Some("1234 AB"));
        assert_eq!(row.get("huisnummer"), Some("12A"));
        for (column, value, message) in [
            ("bsn", "111222334", "bsn klopt niet"),
            ("postcode", "0123 AB", "postcode klopt niet"),
            ("huisnummer", "twaalf", "huisnummer klopt niet"),
        ] {
            let e = one_row(
                &format!(";{column}"),
                &format!("verzuim;Sam;Jansen;2011-03-14;Utrecht;{value}"),
            )
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
            assert!(e.starts_with(message), "{column}: {e}");
        }
        Ok(())
    }

    #[test]
    fn soort_is_stored_as_the_code_of_its_werkproces() -> Result<(), ImportError> {
        for (werkproces, typed, code) in [
            ("verzuim", "Luxe verzuim", "luxe"),
            ("verzuim", "luxe", "luxe"),
            ("verzuim", "te laat komen", "te_laat_komen"),
            ("vsv", "Nieuwe vsv'er", "nieuwe_vsver"),
            ("vsv", "oud_vsver", "oud_vsver"),
            ("vrijstelling", "art. 5 onder a", "5a"),
            ("vrijstelling", "15", "15"),
        ] {
            let row = one_row(
                ";soort",
                &format!("{werkproces};Sam;Jansen;2011-03-14;Utrecht;{typed}"),
            )?;
            assert_eq!(row.get("soort"), Some(code), "{werkproces} {typed}");
        }
        for (werkproces, typed) in [
            ("verzuim", "nieuwe_vsver"),
            ("vsv", "luxe verzuim"),
            ("vrijstelling", "5d"),
            ("informatie_advies", "luxe"),
        ] {
            let e = one_row(
                ";soort",
                &format!("{werkproces};Sam;Jansen;2011-03-14;Utrecht;{typed}"),
            )
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
            assert!(e.contains("soort"), "{werkproces} {typed}: {e}");
        }
        Ok(())
    }

    #[test]
    fn a_new_case_gets_the_fields_of_its_soort() {
        assert_eq!(
            Soort::Verzuim(VerzuimKind::Luxe).case_fields(),
            vec![("soort".to_owned(), Value::String("luxe".into()))]
        );
        assert_eq!(
            Soort::Vrijstelling(VrijstellingArticle::Art5a).case_fields(),
            vec![
                ("vrijstelling_artikel".to_owned(), Value::from(5)),
                ("vrijstelling_letter".to_owned(), Value::String("a".into())),
                (
                    "vrijstelling_status".to_owned(),
                    Value::String("aangevraagd".into())
                ),
            ]
        );
    }

    #[test]
    fn a_bad_row_is_reported_with_its_line_number() {
        let csv = "meldingnummer;datum_melding;werkproces;voornaam;achternaam;geboortedatum;gemeente\n\
                   M1;2026-01-05;verzuim;Sam;Jansen;2011-03-14;Utrecht\n\
                   M2;gisteren;verzuim;Kim;Bakker;2010-02-01;Utrecht\n";
        let e = parse(csv).err().expect("error");
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("datum_melding"));
    }
}
