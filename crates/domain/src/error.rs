//! The one error for bad input: [`InvalidValue`] names the field (in Dutch
//! for people, as a code for programs) and what is wrong with it.
//!
//! The CLI prints it as a one-line message; the app maps `field.code()` to the
//! form field to highlight. The message never repeats the value itself, so it
//! is safe to log even when the value was a BSN.

use std::fmt;

/// Which input a value was given for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// An id; the text is its Dutch name ("jongere-id").
    Id(&'static str),
    Bsn,
    Onderwijsnummer,
    Postcode,
    HouseNumber,
    Street,
    Town,
    Brin,
    Phone,
    Email,
    GivenNames,
    FamilyName,
    SchoolYear,
}

impl Field {
    /// A stable code for programs ("postcode", "bsn", "id").
    pub const fn code(self) -> &'static str {
        match self {
            Self::Id(_) => "id",
            Self::Bsn => "bsn",
            Self::Onderwijsnummer => "onderwijsnummer",
            Self::Postcode => "postcode",
            Self::HouseNumber => "huisnummer",
            Self::Street => "straat",
            Self::Town => "plaats",
            Self::Brin => "brin",
            Self::Phone => "telefoon",
            Self::Email => "email",
            Self::GivenNames => "voornamen",
            Self::FamilyName => "achternaam",
            Self::SchoolYear => "schooljaar",
        }
    }

    /// The field's name in Dutch, capitalised to start a sentence.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Id(name) => name,
            Self::Bsn => "BSN",
            Self::Onderwijsnummer => "Onderwijsnummer",
            Self::Postcode => "Postcode",
            Self::HouseNumber => "Huisnummer",
            Self::Street => "Straat",
            Self::Town => "Plaats",
            Self::Brin => "BRIN-nummer",
            Self::Phone => "Telefoonnummer",
            Self::Email => "E-mailadres",
            Self::GivenNames => "Voornamen",
            Self::FamilyName => "Achternaam",
            Self::SchoolYear => "Schooljaar",
        }
    }

    /// What a good value looks like, for the message.
    const fn expected(self) -> &'static str {
        match self {
            Self::Id(_) => "letters, cijfers en streepjes, zonder spaties",
            Self::Bsn => "9 cijfers (8 mag ook, dan komt er een 0 voor)",
            Self::Onderwijsnummer => "9 cijfers, beginnend met 10",
            Self::Postcode => "4 cijfers en 2 letters, zoals 1234 AB",
            Self::HouseNumber => "een getal met eventueel een toevoeging, zoals 12 of 12a",
            Self::Street | Self::Town | Self::GivenNames | Self::FamilyName => "vul een naam in",
            Self::Brin => "2 cijfers en 2 letters, zoals 12AB",
            Self::Phone => "een Nederlands nummer, zoals 06 12345678 of 030 123 4567",
            Self::Email => "zoals naam@voorbeeld.nl",
            Self::SchoolYear => "twee jaren achter elkaar, zoals 2026-2027",
        }
    }

    /// Why a well-formed value can still not exist, for [`Problem::Reserved`].
    const fn reserved(self) -> &'static str {
        match self {
            Self::Bsn | Self::Onderwijsnummer => "alleen nullen is geen geldig nummer",
            Self::Postcode => "de letters SA, SD en SS komen in postcodes niet voor",
            _ => "deze waarde is niet toegestaan",
        }
    }
}

/// What is wrong with a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Problem {
    /// Nothing was given where something is required.
    Empty,
    /// The value does not have the right form (length, characters).
    Format,
    /// The form is right but the check digit (elfproef) fails: usually a typo.
    Checksum,
    /// The form is right but such values are never issued.
    Reserved,
    /// Longer than the field allows.
    TooLong,
}

/// A value given for `field` is not valid. Its message is Dutch, one line,
/// and never contains the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub struct InvalidValue {
    pub field: Field,
    pub problem: Problem,
}

impl InvalidValue {
    pub const fn new(field: Field, problem: Problem) -> Self {
        Self { field, problem }
    }
}

impl fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = self.field.label();
        match self.problem {
            Problem::Empty => write!(f, "{label} ontbreekt: {}", self.field.expected()),
            Problem::Format => write!(f, "{label} klopt niet: {}", self.field.expected()),
            Problem::Checksum => write!(
                f,
                "{label} klopt niet: de controle (elfproef) gaat niet op, kijk de cijfers na"
            ),
            Problem::Reserved => write!(f, "{label} bestaat niet: {}", self.field.reserved()),
            Problem::TooLong => write!(f, "{label} is te lang"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field_in_dutch_on_one_line() {
        let cases = [
            (
                Field::Postcode,
                Problem::Format,
                "Postcode klopt niet: 4 cijfers en 2 letters, zoals 1234 AB",
            ),
            (
                Field::Bsn,
                Problem::Checksum,
                "BSN klopt niet: de controle (elfproef) gaat niet op, kijk de cijfers na",
            ),
            (
                Field::Postcode,
                Problem::Reserved,
                "Postcode bestaat niet: de letters SA, SD en SS komen in postcodes niet voor",
            ),
            (
                Field::FamilyName,
                Problem::Empty,
                "Achternaam ontbreekt: vul een naam in",
            ),
            (Field::Id("Zaak-id"), Problem::TooLong, "Zaak-id is te lang"),
        ];
        for (field, problem, message) in cases {
            let text = InvalidValue::new(field, problem).to_string();
            assert_eq!(text, message);
            assert!(!text.contains('\n'));
        }
    }
}
