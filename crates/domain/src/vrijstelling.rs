//! Vrijstellingen and vervangende leerplicht.
//!
//! Law (Leerplichtwet 1969): art. 5 onder a (physical or psychological
//! grounds, needs an independent doctor's or psychologist's statement, art.
//! 7), onder b (objection to the direction of every school within reasonable
//! distance, art. 8), onder c (enrolled at a school abroad, art. 9); the
//! notice is renewed each year before 1 July (art. 6 lid 2 onder b). Art. 15:
//! vrijstelling of kwalificatieplicht (16-17, an alternative programme). Art.
//! 3a and 3b: vervangende leerplicht (from 14, a programme with practical
//! work; the last school year at an mbo institution).
//!
//! DOMAIN.md asks to store article number and letter separately, so an
//! article serializes as `{"number": 5, "letter": "a"}`. Note that "5 onder
//! a" (number 5, letter a) and "artikel 3a" (number 3, letter a) are both
//! number-plus-letter in this form.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::code::{UnknownCode, code_enum};
use crate::ids::{CaseId, VrijstellingId, YouthId};
use crate::rules::SchoolYear;

/// A legal ground for a vrijstelling or vervangende leerplicht.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "ArticleRef", try_from = "ArticleRef")]
pub enum VrijstellingArticle {
    /// Art. 5 onder a: physical or psychological grounds; reviewed yearly.
    Art5a,
    /// Art. 5 onder b: objection to the direction of the schools.
    Art5b,
    /// Art. 5 onder c: school abroad; renewed every school year until 18.
    Art5c,
    /// Art. 15: vrijstelling of kwalificatieplicht (16-17).
    Art15,
    /// Art. 3a: vervangende leerplicht, a programme with practical work.
    Art3a,
    /// Art. 3b: vervangende leerplicht in the last school year.
    Art3b,
}

/// The stored form of an article: number and letter as separate fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleRef {
    pub number: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter: Option<char>,
}

impl VrijstellingArticle {
    pub const ALL: &'static [Self] = &[
        Self::Art5a,
        Self::Art5b,
        Self::Art5c,
        Self::Art15,
        Self::Art3a,
        Self::Art3b,
    ];

    pub fn all() -> &'static [Self] {
        Self::ALL
    }

    /// The article number (5, 15, 3).
    pub const fn number(self) -> u8 {
        match self {
            Self::Art5a | Self::Art5b | Self::Art5c => 5,
            Self::Art15 => 15,
            Self::Art3a | Self::Art3b => 3,
        }
    }

    /// The letter, if any ('a' for 5 onder a and for 3a).
    pub const fn letter(self) -> Option<char> {
        match self {
            Self::Art5a | Self::Art3a => Some('a'),
            Self::Art5b | Self::Art3b => Some('b'),
            Self::Art5c => Some('c'),
            Self::Art15 => None,
        }
    }

    /// Short code for the CLI and imports: "5a", "5b", "5c", "15", "3a", "3b".
    pub const fn code(self) -> &'static str {
        match self {
            Self::Art5a => "5a",
            Self::Art5b => "5b",
            Self::Art5c => "5c",
            Self::Art15 => "15",
            Self::Art3a => "3a",
            Self::Art3b => "3b",
        }
    }

    /// The article as people write it, with what it is about.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Art5a => "Art. 5 onder a: lichamelijke of psychische redenen",
            Self::Art5b => "Art. 5 onder b: bezwaar tegen de richting van de scholen",
            Self::Art5c => "Art. 5 onder c: school in het buitenland",
            Self::Art15 => "Art. 15: vrijstelling kwalificatieplicht",
            Self::Art3a => "Art. 3a: vervangende leerplicht",
            Self::Art3b => "Art. 3b: vervangende leerplicht laatste schooljaar",
        }
    }

    /// Vervangende leerplicht (3a, 3b) rather than a vrijstelling.
    pub const fn is_vervangende_leerplicht(self) -> bool {
        matches!(self, Self::Art3a | Self::Art3b)
    }

    pub fn from_code(code: &str) -> Result<Self, UnknownCode> {
        Self::ALL
            .iter()
            .copied()
            .find(|a| a.code() == code)
            .ok_or_else(|| UnknownCode {
                list: "vrijstellingsartikel",
                code: code.to_owned(),
            })
    }

    pub fn from_parts(parts: ArticleRef) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|a| a.number() == parts.number && a.letter() == parts.letter)
    }
}

impl From<VrijstellingArticle> for ArticleRef {
    fn from(article: VrijstellingArticle) -> Self {
        Self {
            number: article.number(),
            letter: article.letter(),
        }
    }
}

impl TryFrom<ArticleRef> for VrijstellingArticle {
    type Error = UnknownCode;

    fn try_from(parts: ArticleRef) -> Result<Self, UnknownCode> {
        Self::from_parts(parts).ok_or_else(|| UnknownCode {
            list: "vrijstellingsartikel",
            code: format!(
                "{}{}",
                parts.number,
                parts.letter.map(String::from).unwrap_or_default()
            ),
        })
    }
}

impl std::str::FromStr for VrijstellingArticle {
    type Err = UnknownCode;

    /// Accepts "5a", "5 a", "5 onder a", "art. 15" and the like.
    fn from_str(text: &str) -> Result<Self, UnknownCode> {
        let compact: String = text
            .to_lowercase()
            .replace("artikel", "")
            .replace("art.", "")
            .replace("onder", "")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        Self::from_code(&compact).map_err(|_| UnknownCode {
            list: "vrijstellingsartikel",
            code: text.to_owned(),
        })
    }
}

code_enum! {
    /// Where a vrijstelling request stands.
    pub enum VrijstellingStatus: "status van een vrijstelling" {
        Requested => "aangevraagd", "Aangevraagd";
        Granted => "verleend", "Verleend";
        Refused => "afgewezen", "Afgewezen";
        Withdrawn => "ingetrokken", "Ingetrokken";
    }
}

/// A vrijstelling or vervangende leerplicht of one youth, within a
/// vrijstelling case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vrijstelling {
    pub id: VrijstellingId,
    pub case_id: CaseId,
    pub youth_id: YouthId,
    pub article: VrijstellingArticle,
    pub status: VrijstellingStatus,
    pub requested_on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<NaiveDate>,
    /// The school year it is for (5c and 3a are granted per school year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school_year: Option<SchoolYear>,
    /// Last day it applies, when it ends before 18.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<NaiveDate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_number_and_letter_are_separate_and_round_trip() {
        for article in VrijstellingArticle::all() {
            assert_eq!(
                VrijstellingArticle::from_parts(ArticleRef::from(*article)),
                Some(*article)
            );
            assert_eq!(VrijstellingArticle::from_code(article.code()), Ok(*article));
            assert_eq!(article.code().parse(), Ok(*article));
        }
        assert_eq!(
            ArticleRef::from(VrijstellingArticle::Art5c),
            ArticleRef {
                number: 5,
                letter: Some('c')
            }
        );
        assert_eq!(
            ArticleRef::from(VrijstellingArticle::Art15),
            ArticleRef {
                number: 15,
                letter: None
            }
        );
        assert!(
            VrijstellingArticle::from_parts(ArticleRef {
                number: 5,
                letter: None
            })
            .is_none()
        );
    }

    #[test]
    fn articles_parse_as_people_write_them() {
        assert_eq!("5 onder a".parse(), Ok(VrijstellingArticle::Art5a));
        assert_eq!("Art. 15".parse(), Ok(VrijstellingArticle::Art15));
        assert_eq!("artikel 3b".parse(), Ok(VrijstellingArticle::Art3b));
        assert!("5d".parse::<VrijstellingArticle>().is_err());
    }

    #[test]
    fn only_3a_and_3b_are_vervangende_leerplicht() {
        let vervangend: Vec<&str> = VrijstellingArticle::all()
            .iter()
            .filter(|a| a.is_vervangende_leerplicht())
            .map(|a| a.code())
            .collect();
        assert_eq!(vervangend, ["3a", "3b"]);
    }
}
