//! What a letter is made of: its type and the details that type needs, the
//! young person it is about, who it is addressed to, and who sends it.
//!
//! The wording lives in the templates (`templates/brieven/*.typ`); this module
//! only carries facts. Every type here that holds personal data has a
//! redacting `Debug`, so a letter can never end up in a log by accident.

use std::fmt;

use chrono::{Datelike, NaiveDate, NaiveTime};

use crate::dutch::PostalAddress;
use crate::error::PrintError;
use crate::link::Token;

/// The letter types a bureau sends. The string form is stable: the vault and
/// the server store it, and it names the template file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LetterType {
    /// Uitnodiging voor een gesprek.
    Invitation,
    /// Aankondiging huisbezoek (the announcement comes first in the letter).
    HomeVisitAnnouncement,
    /// Kennismaking Doorstroompunt: what we can do for you, how to reach us.
    DoorstroompuntIntroduction,
    /// Brief absoluut verzuim aan ouders: at which school is your child enrolled?
    AbsoluteAbsence,
    /// Afspraakbevestiging: an appointment on paper.
    AppointmentConfirmation,
    /// Officiële waarschuwing: only a BOA may produce it.
    OfficialWarning,
}

impl LetterType {
    pub const ALL: [LetterType; 6] = [
        Self::Invitation,
        Self::HomeVisitAnnouncement,
        Self::DoorstroompuntIntroduction,
        Self::AbsoluteAbsence,
        Self::AppointmentConfirmation,
        Self::OfficialWarning,
    ];

    /// The stable name, also the template's file name without `.typ`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "uitnodiging-gesprek",
            Self::HomeVisitAnnouncement => "aankondiging-huisbezoek",
            Self::DoorstroompuntIntroduction => "kennismaking-doorstroompunt",
            Self::AbsoluteAbsence => "absoluut-verzuim",
            Self::AppointmentConfirmation => "afspraakbevestiging",
            Self::OfficialWarning => "officiele-waarschuwing",
        }
    }

    pub fn parse(text: &str) -> Result<Self, PrintError> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == text)
            .ok_or(PrintError::invalid("letter type", "unknown letter type"))
    }

    /// Whether only a BOA user may produce this letter.
    pub fn requires_boa(self) -> bool {
        self == Self::OfficialWarning
    }
}

impl fmt::Display for LetterType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A letter's type with the facts that type needs.
#[derive(Clone, PartialEq, Eq)]
pub enum LetterKind {
    Invitation(Appointment),
    HomeVisitAnnouncement(HomeVisit),
    DoorstroompuntIntroduction,
    /// The parents are asked to answer before this date.
    AbsoluteAbsence {
        reply_before: NaiveDate,
    },
    AppointmentConfirmation(Appointment),
    OfficialWarning(Warning),
}

impl LetterKind {
    pub fn letter_type(&self) -> LetterType {
        match self {
            Self::Invitation(_) => LetterType::Invitation,
            Self::HomeVisitAnnouncement(_) => LetterType::HomeVisitAnnouncement,
            Self::DoorstroompuntIntroduction => LetterType::DoorstroompuntIntroduction,
            Self::AbsoluteAbsence { .. } => LetterType::AbsoluteAbsence,
            Self::AppointmentConfirmation(_) => LetterType::AppointmentConfirmation,
            Self::OfficialWarning(_) => LetterType::OfficialWarning,
        }
    }
}

impl fmt::Debug for LetterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LetterKind({})", self.letter_type())
    }
}

/// A conversation at a place and time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appointment {
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: Option<NaiveTime>,
    /// "Gemeentehuis Voorbeeldstad".
    pub place: String,
    /// Street lines of the place, as they should appear in the letter.
    pub place_address: Vec<String>,
    /// Who the conversation is with, when that is not the author.
    pub with_whom: Option<String>,
}

/// The announced home visit: a day and a time window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeVisit {
    pub date: NaiveDate,
    pub from: NaiveTime,
    pub until: NaiveTime,
}

/// The facts an officiële waarschuwing states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The school that reported the absence.
    pub school: String,
    pub period_from: NaiveDate,
    pub period_until: NaiveDate,
    /// Hours of unauthorised absence in that period.
    pub hours: u32,
}

/// The young person the letter is about.
#[derive(Clone, PartialEq, Eq)]
pub struct YoungPerson {
    /// "Sanne", used in running text.
    pub given_name: String,
    /// "Sanne de Vries", used in the address.
    pub full_name: String,
}

impl fmt::Debug for YoungPerson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("YoungPerson(<redacted>)")
    }
}

/// Who the letter is addressed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addressee {
    /// "Aan de ouder(s)/verzorger(s) van Sanne de Vries"; the letter says "u".
    Parents,
    /// The young person; the letter says "je".
    YoungPerson,
}

impl Addressee {
    /// The rule for now: under 18 on the letter's date, the letter goes to the
    /// parents; from the 18th birthday on, to the young person. (A person born
    /// on 29 February turns 18 on 1 March in a common year.) The domain crate
    /// will own this rule; until then it lives here as a pure function.
    pub fn by_age(birth_date: NaiveDate, letter_date: NaiveDate) -> Self {
        let eighteenth = birth_date
            .with_year(birth_date.year() + 18)
            .or_else(|| NaiveDate::from_ymd_opt(birth_date.year() + 18, 3, 1));
        match eighteenth {
            Some(day) if letter_date >= day => Self::YoungPerson,
            _ => Self::Parents,
        }
    }

    /// Who a letter of `kind` goes to: the brief absoluut verzuim always to
    /// the parents (it asks them at which school their child is enrolled),
    /// every other letter [`Addressee::by_age`].
    pub fn for_letter(kind: &LetterKind, birth_date: NaiveDate, letter_date: NaiveDate) -> Self {
        match kind {
            LetterKind::AbsoluteAbsence { .. } => Self::Parents,
            _ => Self::by_age(birth_date, letter_date),
        }
    }
}

/// How the letter is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignedBy {
    /// By the author, with name and role (the usual case).
    #[default]
    Author,
    /// On behalf of the bureau, with the signature name from the branding
    /// (for example letters made by the administration). Not allowed for an
    /// officiële waarschuwing, which the BOA signs.
    Bureau,
}

/// The consultant who sends a letter or leaves a card: contact person in the
/// letter, signer, and the person on the card.
#[derive(Clone, PartialEq, Eq)]
pub struct Consultant {
    pub name: String,
    /// "Leerplichtambtenaar", "Doorstroomcoach".
    pub role: String,
    pub phone: Option<String>,
    pub whatsapp: Option<String>,
    pub email: Option<String>,
    /// Whether the user is a BOA (buitengewoon opsporingsambtenaar).
    pub boa: bool,
}

impl fmt::Debug for Consultant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Consultant(<redacted>, boa: {})", self.boa)
    }
}

/// One letter to render.
#[derive(Clone, PartialEq, Eq)]
pub struct Letter {
    pub kind: LetterKind,
    /// The kenmerk (reference) printed on the letter, for example the case number.
    pub reference: String,
    /// The letter's date, written out on the letter.
    pub date: NaiveDate,
    pub young_person: YoungPerson,
    /// See [`Addressee::by_age`] for the usual way to decide this.
    pub addressee: Addressee,
    pub address: PostalAddress,
    pub author: Consultant,
    pub signed_by: SignedBy,
    /// The response token; `None` draws a new one. Pass the recorded token
    /// to reprint a letter with the same QR code.
    pub token: Option<Token>,
}

impl fmt::Debug for Letter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Letter")
            .field("kind", &self.kind)
            .field("date", &self.date)
            .field("addressee", &self.addressee)
            .finish_non_exhaustive()
    }
}

impl Letter {
    /// Checks the rules that do not depend on the templates: who may make
    /// this letter, who it may go to, and that the details make sense.
    pub fn check(&self) -> Result<(), PrintError> {
        let letter_type = self.kind.letter_type();
        if letter_type.requires_boa() && !self.author.boa {
            return Err(PrintError::NotBoa);
        }
        if letter_type.requires_boa() && self.signed_by == SignedBy::Bureau {
            return Err(PrintError::invalid(
                "signed by",
                "an officiële waarschuwing is signed by its author",
            ));
        }
        if letter_type == LetterType::AbsoluteAbsence && self.addressee != Addressee::Parents {
            return Err(PrintError::AddresseeNotAllowed {
                letter_type: letter_type.as_str(),
            });
        }
        if self.reference.trim().is_empty() {
            return Err(PrintError::invalid("reference", "must not be empty"));
        }
        if self.young_person.full_name.trim().is_empty()
            || self.young_person.given_name.trim().is_empty()
        {
            return Err(PrintError::invalid(
                "young person",
                "name must not be empty",
            ));
        }
        if self.author.name.trim().is_empty() {
            return Err(PrintError::invalid("author", "name must not be empty"));
        }
        match &self.kind {
            LetterKind::Invitation(a) | LetterKind::AppointmentConfirmation(a) => {
                if a.end.is_some_and(|end| end <= a.start) {
                    return Err(PrintError::invalid(
                        "appointment",
                        "must end after it starts",
                    ));
                }
                if a.place.trim().is_empty() {
                    return Err(PrintError::invalid(
                        "appointment",
                        "place must not be empty",
                    ));
                }
            }
            LetterKind::HomeVisitAnnouncement(v) if v.until <= v.from => {
                return Err(PrintError::invalid(
                    "home visit",
                    "time window must end after it starts",
                ));
            }
            LetterKind::OfficialWarning(w) if w.period_until < w.period_from => {
                return Err(PrintError::invalid(
                    "warning",
                    "period must end after it starts",
                ));
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn letters_go_to_the_parents_until_the_eighteenth_birthday() {
        let born = day(2008, 11, 23);
        assert_eq!(
            Addressee::by_age(born, day(2026, 11, 22)),
            Addressee::Parents
        );
        assert_eq!(
            Addressee::by_age(born, day(2026, 11, 23)),
            Addressee::YoungPerson
        );
    }

    #[test]
    fn someone_born_on_leap_day_turns_eighteen_on_the_first_of_march() {
        let born = day(2008, 2, 29);
        assert_eq!(
            Addressee::by_age(born, day(2026, 2, 28)),
            Addressee::Parents
        );
        assert_eq!(
            Addressee::by_age(born, day(2026, 3, 1)),
            Addressee::YoungPerson
        );
    }

    #[test]
    fn the_brief_absoluut_verzuim_goes_to_the_parents_whatever_the_age() {
        let born = day(2008, 11, 23);
        let on = day(2026, 11, 23);
        let absence = LetterKind::AbsoluteAbsence {
            reply_before: day(2026, 12, 7),
        };
        assert_eq!(
            Addressee::for_letter(&absence, born, on),
            Addressee::Parents
        );
        assert_eq!(
            Addressee::for_letter(&LetterKind::DoorstroompuntIntroduction, born, on),
            Addressee::YoungPerson
        );
    }

    #[test]
    fn letter_type_names_round_trip() -> Result<(), PrintError> {
        for t in LetterType::ALL {
            assert_eq!(LetterType::parse(t.as_str())?, t);
        }
        Ok(())
    }
}
