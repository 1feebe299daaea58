//! The youth (jongere), their contact persons, and Dutch names and addresses.
//!
//! Dutch conventions encoded here:
//! - A name has voornamen, an optional roepnaam (the name used), an optional
//!   tussenvoegsel ("van der") and an achternaam. The tussenvoegsel is lower
//!   case after a first name or initials ("Eva van der Berg") and capitalised
//!   when the surname stands alone ("meneer Van der Berg"); lists sort on the
//!   achternaam without it ("Berg, Eva van der").
//! - An address is printed as `Straat 12a` and `1234 AB  PLAATS`: one space
//!   inside the postcode, two before the town, the town in capitals (PostNL).
//! - Letters to a minor go to "de ouder(s)/verzorger(s) van" the youth; from
//!   18 to the youth.
//!
//! Names and addresses are personal data: their `Debug` is redacted.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::code::code_enum;
use crate::error::{Field, InvalidValue, Problem};
use crate::ids::{ContactPersonId, SchoolId, YouthId};
use crate::rules::{LegalStatus, SchoolHistory, SchoolYear, age_on, is_minor};
use crate::validate::{
    Bsn, EmailAddress, HouseNumber, Onderwijsnummer, PhoneNumber, Postcode, redacted_debug,
};

/// Longest name part or street or town accepted; longer input is a paste
/// gone wrong, not a name.
const MAX_TEXT_LEN: usize = 200;

/// Trims and collapses inner whitespace; refuses empty and overlong text.
fn clean_text(text: &str, field: Field) -> Result<String, InvalidValue> {
    let cleaned = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if cleaned.is_empty() {
        return Err(InvalidValue::new(field, Problem::Empty));
    }
    if cleaned.chars().count() > MAX_TEXT_LEN {
        return Err(InvalidValue::new(field, Problem::TooLong));
    }
    Ok(cleaned)
}

/// `None` for absent or blank input, else the cleaned text.
fn clean_optional(text: Option<&str>, field: Field) -> Result<Option<String>, InvalidValue> {
    match text {
        Some(t) if !t.trim().is_empty() => clean_text(t, field).map(Some),
        _ => Ok(None),
    }
}

/// A Dutch person's name in its parts.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersonName {
    /// Voornamen: all given names ("Eva Maria").
    pub given_names: String,
    /// Roepnaam: the name the person goes by, when not the first given name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_name: Option<String>,
    /// Tussenvoegsel, lower case ("van der").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Achternaam without the tussenvoegsel ("Berg").
    pub family_name: String,
}

impl PersonName {
    /// Cleans the parts (spaces trimmed and collapsed, tussenvoegsel in lower
    /// case); voornamen and achternaam are required.
    pub fn parse(
        given_names: &str,
        call_name: Option<&str>,
        prefix: Option<&str>,
        family_name: &str,
    ) -> Result<Self, InvalidValue> {
        Ok(Self {
            given_names: clean_text(given_names, Field::GivenNames)?,
            call_name: clean_optional(call_name, Field::GivenNames)?,
            prefix: clean_optional(prefix, Field::FamilyName)?.map(|p| p.to_lowercase()),
            family_name: clean_text(family_name, Field::FamilyName)?,
        })
    }

    /// The roepnaam, or else the first given name ("Eva").
    pub fn first_name(&self) -> &str {
        self.call_name
            .as_deref()
            .or_else(|| self.given_names.split_whitespace().next())
            .unwrap_or_default()
    }

    /// The surname as it follows a first name: "van der Berg".
    pub fn surname(&self) -> String {
        match &self.prefix {
            Some(prefix) => format!("{prefix} {}", self.family_name),
            None => self.family_name.clone(),
        }
    }

    /// The surname standing alone, tussenvoegsel capitalised: "Van der Berg"
    /// (for "Beste meneer Van der Berg"). A prefix starting with an
    /// apostrophe stays as it is ("'t Hart").
    pub fn surname_standalone(&self) -> String {
        match &self.prefix {
            Some(prefix) => {
                let mut chars = prefix.chars();
                let capitalised: String = match chars.next() {
                    Some(first) if first.is_alphabetic() => {
                        first.to_uppercase().chain(chars).collect()
                    }
                    _ => prefix.clone(),
                };
                format!("{capitalised} {}", self.family_name)
            }
            None => self.family_name.clone(),
        }
    }

    /// The name for screens: roepnaam and surname, "Eva van der Berg".
    pub fn display_name(&self) -> String {
        format!("{} {}", self.first_name(), self.surname())
    }

    /// The full name for official use: all voornamen and the surname,
    /// "Eva Maria van der Berg" (just "Eva van der Berg" with one voornaam).
    pub fn formal_name(&self) -> String {
        format!("{} {}", self.given_names, self.surname())
    }

    /// Initials of the voornamen, "E.M."; the Dutch digraph IJ is one
    /// initial ("IJsbrand" gives "IJ.").
    pub fn initials(&self) -> String {
        self.given_names
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter(|part| !part.is_empty())
            .map(|part| {
                let mut upper = part.chars().flat_map(char::to_uppercase);
                let first = upper.next().map(String::from).unwrap_or_default();
                if first == "I" && upper.next() == Some('J') {
                    "IJ.".to_owned()
                } else {
                    format!("{first}.")
                }
            })
            .collect()
    }

    /// Initials and surname, as on an envelope: "E.M. van der Berg".
    pub fn initials_name(&self) -> String {
        format!("{} {}", self.initials(), self.surname())
    }

    /// The form for sorted lists: "Berg, Eva van der".
    pub fn sort_name(&self) -> String {
        match &self.prefix {
            Some(prefix) => format!("{}, {} {prefix}", self.family_name, self.first_name()),
            None => format!("{}, {}", self.family_name, self.first_name()),
        }
    }
}

/// Words that make up Dutch tussenvoegsels (the common part of the BRP's
/// table of voorvoegsels), lower case.
const TUSSENVOEGSEL_WORDS: &[&str] = &[
    "van", "de", "der", "den", "het", "'t", "te", "ten", "ter", "in", "op", "aan", "bij", "uit",
    "onder", "over", "voor", "'s", "d'", "la", "le", "du", "des", "da", "di", "del", "dos", "von",
    "vom", "zu", "el", "al",
];

/// Splits a surname typed in one field into tussenvoegsel and achternaam:
/// "van der Berg" gives ("van der", "Berg"), "Jansen" gives (None,
/// "Jansen"). The last word always stays the achternaam, so "De" alone is
/// an achternaam. For forms and imports that have a single surname field;
/// feed the parts to [`PersonName::parse`].
pub fn split_tussenvoegsel(surname: &str) -> (Option<String>, String) {
    let words: Vec<&str> = surname.split_whitespace().collect();
    let prefix_len = words
        .iter()
        .take(words.len().saturating_sub(1))
        .take_while(|w| TUSSENVOEGSEL_WORDS.contains(&w.to_lowercase().as_str()))
        .count();
    let (prefix, family) = words.split_at(prefix_len);
    let prefix = (!prefix.is_empty()).then(|| prefix.join(" ").to_lowercase());
    (prefix, family.join(" "))
}

/// A Dutch address.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Address {
    pub street: String,
    /// Stored as the fields `number` and `addition`.
    #[serde(flatten)]
    pub house_number: HouseNumber,
    pub postcode: Postcode,
    /// Woonplaats, as written ("Den Haag").
    pub town: String,
    /// The municipality, for reports; can differ from the town.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gemeente: Option<String>,
}

impl Address {
    /// Validates every part (see [`HouseNumber::parse`] and [`Postcode::parse`]).
    pub fn parse(
        street: &str,
        house_number: &str,
        postcode: &str,
        town: &str,
        gemeente: Option<&str>,
    ) -> Result<Self, InvalidValue> {
        Ok(Self {
            street: clean_text(street, Field::Street)?,
            house_number: HouseNumber::parse(house_number)?,
            postcode: Postcode::parse(postcode)?,
            town: clean_text(town, Field::Town)?,
            gemeente: clean_optional(gemeente, Field::Town)?,
        })
    }

    /// "Straat 12a".
    pub fn street_line(&self) -> String {
        format!("{} {}", self.street, self.house_number)
    }

    /// "1234 AB  PLAATS": one space in the postcode, two before the town, the
    /// town in capitals.
    pub fn postcode_line(&self) -> String {
        format!("{}  {}", self.postcode, self.town.to_uppercase())
    }

    /// The two address lines under the name on an envelope.
    pub fn lines(&self) -> [String; 2] {
        [self.street_line(), self.postcode_line()]
    }
}

redacted_debug!(PersonName, Address);

/// A youth (jongere) in the caseload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Youth {
    pub id: YouthId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bsn: Option<Bsn>,
    /// For youth without a BSN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onderwijsnummer: Option<Onderwijsnummer>,
    pub name: PersonName,
    pub birth_date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<PhoneNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<EmailAddress>,
    /// The school the youth is enrolled at, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school_id: Option<SchoolId>,
    /// The school year that completes 12 full school years, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub twelfth_full_school_year: Option<SchoolYear>,
    /// Date of the startkwalificatie diploma, when obtained.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startkwalificatie_on: Option<NaiveDate>,
}

impl Youth {
    /// A youth with only the required facts.
    pub fn new(id: YouthId, name: PersonName, birth_date: NaiveDate) -> Self {
        Self {
            id,
            bsn: None,
            onderwijsnummer: None,
            name,
            birth_date,
            address: None,
            phone: None,
            email: None,
            school_id: None,
            twelfth_full_school_year: None,
            startkwalificatie_on: None,
        }
    }

    pub fn school_history(&self) -> SchoolHistory {
        SchoolHistory {
            twelfth_full_school_year: self.twelfth_full_school_year,
            startkwalificatie_on: self.startkwalificatie_on,
        }
    }

    pub fn age_on(&self, on: NaiveDate) -> u32 {
        age_on(self.birth_date, on)
    }

    /// The legal status on `on`, with this youth's school history.
    pub fn legal_status(&self, on: NaiveDate) -> LegalStatus {
        LegalStatus::compute(self.birth_date, on, &self.school_history())
    }

    /// The addressee lines of a letter sent on `on`: to a minor's parents
    /// ("De ouder(s)/verzorger(s) van" above the name), from 18 to the youth,
    /// followed by the address when known.
    pub fn letter_recipient_lines(&self, on: NaiveDate) -> Vec<String> {
        let mut lines = Vec::with_capacity(4);
        if is_minor(self.birth_date, on) {
            lines.push("De ouder(s)/verzorger(s) van".to_owned());
        }
        lines.push(self.name.display_name());
        if let Some(address) = &self.address {
            lines.extend(address.lines());
        }
        lines
    }
}

code_enum! {
    /// How a contact person relates to the youth.
    pub enum Relation: "relatie" {
        Mother => "moeder", "Moeder";
        Father => "vader", "Vader";
        Parent => "ouder", "Ouder";
        StepParent => "stiefouder", "Stiefouder";
        FosterParent => "pleegouder", "Pleegouder";
        Guardian => "voogd", "Voogd";
        Carer => "verzorger", "Verzorger";
        Other => "overig", "Anders";
    }
}

/// An ouder, verzorger or other contact person of a youth.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPerson {
    pub id: ContactPersonId,
    pub youth_id: YouthId,
    pub name: PersonName,
    pub relation: Relation,
    /// Holds parental authority (gezag) or cares for the youth in fact: the
    /// people the Leerplichtwet holds responsible for enrolment (art. 2).
    #[serde(default)]
    pub responsible: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<PhoneNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<EmailAddress>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn eva() -> PersonName {
        PersonName::parse(" Eva  Maria ", None, Some("Van der"), "Berg").expect("valid name")
    }

    #[test]
    fn names_are_shown_the_dutch_way() {
        let name = eva();
        assert_eq!(name.display_name(), "Eva van der Berg");
        assert_eq!(name.formal_name(), "Eva Maria van der Berg");
        assert_eq!(name.initials_name(), "E.M. van der Berg");
        assert_eq!(name.surname_standalone(), "Van der Berg");
        assert_eq!(name.sort_name(), "Berg, Eva van der");
    }

    #[test]
    fn a_single_voornaam_gives_the_formal_name_of_the_issue() {
        let name = PersonName::parse("Eva", None, Some("van der"), "Berg").expect("valid name");
        assert_eq!(name.formal_name(), "Eva van der Berg");
        assert_eq!(name.display_name(), "Eva van der Berg");
    }

    #[test]
    fn the_roepnaam_wins_over_the_first_voornaam() {
        let name = PersonName::parse("Johanna Wilhelmina", Some("Anne"), None, "Jansen")
            .expect("valid name");
        assert_eq!(name.display_name(), "Anne Jansen");
        assert_eq!(name.formal_name(), "Johanna Wilhelmina Jansen");
        assert_eq!(name.sort_name(), "Jansen, Anne");
    }

    #[test]
    fn initials_keep_ij_together_and_split_double_names() {
        let name =
            PersonName::parse("IJsbrand Jan-Willem", None, Some("'t"), "Hart").expect("valid name");
        assert_eq!(name.initials(), "IJ.J.W.");
        assert_eq!(name.surname_standalone(), "'t Hart");
        let ida = PersonName::parse("Ida", None, None, "Smit").expect("valid name");
        assert_eq!(ida.initials(), "I.");
    }

    #[test]
    fn a_surname_typed_in_one_field_splits_off_its_tussenvoegsel() {
        let split = |s: &str| split_tussenvoegsel(s);
        assert_eq!(
            split("van der Berg"),
            (Some("van der".into()), "Berg".into())
        );
        assert_eq!(
            split("Van den  Heuvel"),
            (Some("van den".into()), "Heuvel".into())
        );
        assert_eq!(split("'t Hart"), (Some("'t".into()), "Hart".into()));
        assert_eq!(split("Jansen"), (None, "Jansen".into()));
        assert_eq!(split("De"), (None, "De".into()));
        assert_eq!(split("Berg-van Dijk"), (None, "Berg-van Dijk".into()));
        assert_eq!(split(""), (None, String::new()));
    }

    #[test]
    fn a_name_needs_voornamen_and_achternaam() {
        assert_eq!(
            PersonName::parse("Eva", None, None, "  "),
            Err(InvalidValue::new(Field::FamilyName, Problem::Empty))
        );
        assert_eq!(
            PersonName::parse("", None, None, "Berg"),
            Err(InvalidValue::new(Field::GivenNames, Problem::Empty))
        );
    }

    #[test]
    fn address_lines_have_one_space_in_the_postcode_and_two_before_the_town_in_capitals() {
        let address = Address::parse("Dorpsstraat", "12a", "1234ab", "Den Haag", None)
            .expect("valid address");
        assert_eq!(
            address.lines(),
            ["Dorpsstraat 12a".to_owned(), "1234 AB  DEN HAAG".to_owned()]
        );
        let other = Address::parse(
            "Kerkweg",
            "3-2",
            "9999 zz",
            "'s-Hertogenbosch",
            Some("'s-Hertogenbosch"),
        )
        .expect("valid address");
        assert_eq!(
            other.lines(),
            [
                "Kerkweg 3-2".to_owned(),
                "9999 ZZ  'S-HERTOGENBOSCH".to_owned()
            ]
        );
    }

    #[test]
    fn a_bad_postcode_in_an_address_names_the_postcode() {
        assert_eq!(
            Address::parse("Dorpsstraat", "12", "1234 SS", "Utrecht", None).map_err(|e| e.field),
            Err(Field::Postcode)
        );
        assert_eq!(
            Address::parse("Dorpsstraat", "twaalf", "1234 AB", "Utrecht", None)
                .map_err(|e| e.field),
            Err(Field::HouseNumber)
        );
    }

    #[test]
    fn letters_go_to_the_parents_until_18_and_to_the_youth_after() {
        let mut youth = Youth::new(YouthId::parse("y1").expect("id"), eva(), d(2010, 3, 14));
        youth.address = Address::parse("Dorpsstraat", "12a", "1234ab", "Utrecht", None).ok();
        assert_eq!(
            youth.letter_recipient_lines(d(2028, 3, 13)),
            [
                "De ouder(s)/verzorger(s) van",
                "Eva van der Berg",
                "Dorpsstraat 12a",
                "1234 AB  UTRECHT"
            ]
        );
        assert_eq!(
            youth.letter_recipient_lines(d(2028, 3, 14)),
            ["Eva van der Berg", "Dorpsstraat 12a", "1234 AB  UTRECHT"]
        );
    }

    #[test]
    fn names_and_addresses_never_show_in_debug_output() {
        let mut youth = Youth::new(YouthId::parse("y1").expect("id"), eva(), d(2010, 3, 14));
        youth.address = Address::parse("Dorpsstraat", "12a", "1234ab", "Utrecht", None).ok();
        youth.bsn = Bsn::parse("123456782").ok();
        let debug = format!("{youth:?}");
        for secret in [
            "Eva",
            "Berg",
            "Dorpsstraat",
            "1234",
            "UTRECHT",
            "Utrecht",
            "123456782",
        ] {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
    }

    #[test]
    fn the_legal_status_of_a_youth_uses_their_startkwalificatie() {
        let mut youth = Youth::new(YouthId::parse("y1").expect("id"), eva(), d(2006, 3, 14));
        assert_eq!(
            youth.legal_status(d(2026, 6, 1)).phase,
            crate::rules::LegalPhase::DoorstroompuntTargetGroup
        );
        youth.startkwalificatie_on = Some(d(2025, 7, 1));
        assert_eq!(
            youth.legal_status(d(2026, 6, 1)).phase,
            crate::rules::LegalPhase::NoTargetGroup
        );
    }
}
