//! Ids of records: opaque, string-backed newtypes.
//!
//! The vault and the server mint UUIDv7 text; this crate only needs ids to be
//! distinct types (a [`CaseId`] is never passed where a [`YouthId`] belongs)
//! and sane text, so it does not depend on `uuid`. Demo data and tests may
//! use shorter ids such as `case-1`.
//!
//! Serialized as the bare string. Deserializing checks the same rules as
//! `parse`, so a corrupt id is caught at the boundary.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Field, InvalidValue, Problem};

/// Longest accepted id. A UUID is 36 characters; the margin allows prefixed
/// or composite ids without letting a note slip into an id field.
pub const MAX_ID_LEN: usize = 64;

fn check_id(text: &str, field: Field) -> Result<(), InvalidValue> {
    if text.is_empty() {
        return Err(InvalidValue::new(field, Problem::Empty));
    }
    if text.len() > MAX_ID_LEN {
        return Err(InvalidValue::new(field, Problem::TooLong));
    }
    if !text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
    {
        return Err(InvalidValue::new(field, Problem::Format));
    }
    Ok(())
}

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident, $label:literal) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Accepts 1 to 64 ASCII letters, digits, `-`, `_`, `.` or `:`
            /// (UUID text fits). Surrounding spaces are not trimmed: an id
            /// is copied, never typed.
            pub fn parse(text: &str) -> Result<Self, InvalidValue> {
                check_id(text, Field::Id($label))?;
                Ok(Self(text.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidValue;

            fn try_from(text: String) -> Result<Self, InvalidValue> {
                check_id(&text, Field::Id($label))?;
                Ok(Self(text))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = InvalidValue;

            fn from_str(text: &str) -> Result<Self, InvalidValue> {
                Self::parse(text)
            }
        }
    };
}

id_type!(
    /// A youth (jongere).
    YouthId,
    "Jongere-id"
);
id_type!(
    /// A case (werkproces).
    CaseId,
    "Zaak-id"
);
id_type!(
    /// A school location.
    SchoolId,
    "School-id"
);
id_type!(
    /// A contact person of a youth (ouder, verzorger).
    ContactPersonId,
    "Contactpersoon-id"
);
id_type!(
    /// A contact moment (huisbezoek, telefoontje, brief, ...).
    ContactMomentId,
    "Contactmoment-id"
);
id_type!(
    /// A melding (report) that opened or joined a case.
    MeldingId,
    "Melding-id"
);
id_type!(
    /// An appointment.
    AppointmentId,
    "Afspraak-id"
);
id_type!(
    /// A task.
    TaskId,
    "Taak-id"
);
id_type!(
    /// A consent record.
    ConsentId,
    "Toestemming-id"
);
id_type!(
    /// A user (staff member) of the bureau.
    UserId,
    "Gebruiker-id"
);
id_type!(
    /// An anonymous group session (vertrouwelijke preventie).
    GroupSessionId,
    "Groepsbijeenkomst-id"
);
id_type!(
    /// A vrijstelling or vervangende leerplicht.
    VrijstellingId,
    "Vrijstelling-id"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_text_is_a_valid_id() {
        let text = "01936f0e-7c4a-7b8e-9a3f-2d1c0b9a8f7e";
        assert_eq!(YouthId::parse(text).map(String::from).as_deref(), Ok(text));
    }

    #[test]
    fn empty_long_or_spaced_ids_are_refused_naming_the_kind_of_id() {
        assert_eq!(
            CaseId::parse(""),
            Err(InvalidValue::new(Field::Id("Zaak-id"), Problem::Empty))
        );
        assert_eq!(
            CaseId::parse(&"a".repeat(65)).map_err(|e| e.problem),
            Err(Problem::TooLong)
        );
        assert_eq!(
            CaseId::parse("case 1").map_err(|e| e.problem),
            Err(Problem::Format)
        );
        assert_eq!(
            CaseId::parse("Eva de Vries")
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Err("Zaak-id klopt niet: letters, cijfers en streepjes, zonder spaties".into())
        );
    }

    #[test]
    fn deserializing_an_id_applies_the_same_check_as_parse() {
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, StringDeserializer};
        let good: StringDeserializer<Error> = "case-1".to_owned().into_deserializer();
        assert_eq!(CaseId::deserialize(good).ok(), CaseId::parse("case-1").ok());
        let bad: StringDeserializer<Error> = "case 1".to_owned().into_deserializer();
        assert!(CaseId::deserialize(bad).is_err());
    }
}
