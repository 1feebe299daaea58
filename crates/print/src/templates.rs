//! The Typst templates: built into the binary from `templates/`, and
//! replaceable one file at a time by an office's own copies.
//!
//! Layout and house style live in `huisstijl.typ`; the words of each letter in
//! `brieven/<letter type>.typ`; the cards in `kaartjes/`. Templates read their
//! facts from JSON files the printer provides (`/huisstijl.json`,
//! `/data.json`), never from the disk or the network.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::PrintError;

/// Every template file the printer uses, by its path inside the template
/// folder, with the built-in text.
const BUILTIN: [(&str, &str); 9] = [
    (
        "huisstijl.typ",
        include_str!("../../../templates/huisstijl.typ"),
    ),
    (
        "brieven/uitnodiging-gesprek.typ",
        include_str!("../../../templates/brieven/uitnodiging-gesprek.typ"),
    ),
    (
        "brieven/aankondiging-huisbezoek.typ",
        include_str!("../../../templates/brieven/aankondiging-huisbezoek.typ"),
    ),
    (
        "brieven/kennismaking-doorstroompunt.typ",
        include_str!("../../../templates/brieven/kennismaking-doorstroompunt.typ"),
    ),
    (
        "brieven/absoluut-verzuim.typ",
        include_str!("../../../templates/brieven/absoluut-verzuim.typ"),
    ),
    (
        "brieven/afspraakbevestiging.typ",
        include_str!("../../../templates/brieven/afspraakbevestiging.typ"),
    ),
    (
        "brieven/officiele-waarschuwing.typ",
        include_str!("../../../templates/brieven/officiele-waarschuwing.typ"),
    ),
    (
        "kaartjes/niet-thuis.typ",
        include_str!("../../../templates/kaartjes/niet-thuis.typ"),
    ),
    (
        "kaartjes/visitekaartjes.typ",
        include_str!("../../../templates/kaartjes/visitekaartjes.typ"),
    ),
];

/// The template texts a [`crate::Printer`] compiles, keyed by path inside the
/// template folder (`brieven/afspraakbevestiging.typ`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSet {
    files: BTreeMap<String, String>,
}

impl TemplateSet {
    /// The templates as shipped.
    pub fn builtin() -> Self {
        Self {
            files: BUILTIN
                .iter()
                .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
                .collect(),
        }
    }

    /// The shipped templates, each replaced by the file of the same path in
    /// `dir` when that file exists. Files in `dir` that the printer does not
    /// know are ignored.
    pub fn from_dir(dir: &Path) -> Result<Self, PrintError> {
        let mut set = Self::builtin();
        for (path, _) in BUILTIN {
            match std::fs::read_to_string(dir.join(path)) {
                Ok(text) => {
                    set.files.insert(path.to_owned(), text);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(PrintError::io("read a template file")(e)),
            }
        }
        Ok(set)
    }

    /// Replaces one template, for example with a text from the server's
    /// settings. Only the paths listed by [`TemplateSet::paths`] are used.
    pub fn set(&mut self, path: &str, text: String) -> Result<(), PrintError> {
        if !BUILTIN.iter().any(|(known, _)| *known == path) {
            return Err(PrintError::invalid(
                "template path",
                "not a template the printer uses",
            ));
        }
        self.files.insert(path.to_owned(), text);
        Ok(())
    }

    /// The paths of all templates.
    pub fn paths() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(path, _)| *path)
    }

    pub(crate) fn files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(p, t)| (p.as_str(), t.as_str()))
    }
}

impl Default for TemplateSet {
    fn default() -> Self {
        Self::builtin()
    }
}
