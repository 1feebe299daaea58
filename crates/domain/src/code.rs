//! Coded lists: the machinery behind every enum that DOMAIN.md lists.
//!
//! Each such enum gets, from the crate-private `code_enum!` macro:
//! - `code()`: a stable snake_case text. It is the serde form and what the
//!   vault, sync and the CLI store and accept. **Never change a code**: stored
//!   records and other devices hold it. Add a new variant instead.
//! - `label()`: plain Dutch for people (B1), free to improve at any time.
//! - `all()`: every variant in a sensible display order, for forms.
//! - `from_code()` and `FromStr`: the way back from a code, failing with
//!   [`UnknownCode`].

/// A code that is not on the list it was read for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{code}' is geen geldige code voor {list}")]
pub struct UnknownCode {
    /// Which list, in Dutch ("soort verzuim").
    pub list: &'static str,
    /// The text that was given.
    pub code: String,
}

/// Defines a coded enum. Syntax:
///
/// ```text
/// code_enum! {
///     /// Docs.
///     pub enum CaseKind: "werkproces" {
///         /// Docs.
///         Verzuim => "verzuim", "Verzuim";
///     }
/// }
/// ```
///
/// The text after the colon names the list in Dutch for [`UnknownCode`].
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident : $list:literal {
            $(
                $(#[$vmeta:meta])*
                $variant:ident => $code:literal, $label:literal;
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every variant, in display order.
            pub const ALL: &'static [Self] = &[ $( Self::$variant, )+ ];

            /// Every code, in the order of [`Self::ALL`].
            pub const CODES: &'static [&'static str] = &[ $( $code, )+ ];

            /// Every variant, in display order (for forms and pickers).
            pub fn all() -> &'static [Self] {
                Self::ALL
            }

            /// The stable snake_case code: the serde form and what storage
            /// and the CLI use. Never changes.
            pub const fn code(self) -> &'static str {
                match self { $( Self::$variant => $code, )+ }
            }

            /// Plain Dutch for display.
            pub const fn label(self) -> &'static str {
                match self { $( Self::$variant => $label, )+ }
            }

            /// The variant with this code (exact match, as stored).
            pub fn from_code(code: &str) -> Result<Self, $crate::code::UnknownCode> {
                match code {
                    $( $code => Ok(Self::$variant), )+
                    _ => Err($crate::code::UnknownCode { list: $list, code: code.to_owned() }),
                }
            }
        }

        impl $name {
            /// The variant whose code or Dutch label `text` is, forgiving
            /// capitals, surrounding spaces and spaces for underscores (for
            /// imports typed by people: `Luxe verzuim`, `luxe`, `te laat komen`).
            pub fn from_code_or_label(text: &str) -> Result<Self, $crate::code::UnknownCode> {
                let typed = text.trim().to_lowercase();
                let as_code = typed.replace([' ', '-'], "_");
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code() == as_code || v.label().to_lowercase() == typed)
                    .ok_or_else(|| $crate::code::UnknownCode { list: $list, code: text.trim().to_owned() })
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::code::UnknownCode;

            /// Parses a code, forgiving surrounding spaces and capitals
            /// (for command lines and imports).
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::from_code(&text.trim().to_lowercase())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct CodeVisitor;

                impl ::serde::de::Visitor<'_> for CodeVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        write!(f, "a code for {}", $list)
                    }

                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::from_code(v).map_err(|_| E::unknown_variant(v, $name::CODES))
                    }
                }

                deserializer.deserialize_str(CodeVisitor)
            }
        }
    };
}

pub(crate) use code_enum;

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as ValueError, StrDeserializer};

    use crate::case::{CaseKind, CaseStatus, MeldingSource, VerzuimKind, VsvKind};
    use crate::contact::{
        AppointmentKind, AppointmentStatus, ConsentGiver, ConsentScope, ContactKind,
        ContactOutcome, LetterKind,
    };
    use crate::outcome::{Outcome, OutcomeList};
    use crate::rules::{EscalationStep, HaltBlocker, Holiday, LegalPhase};
    use crate::school::SchoolType;
    use crate::task::TaskKind;
    use crate::user::Role;
    use crate::vrijstelling::VrijstellingStatus;
    use crate::youth::Relation;

    /// Checks one coded enum: unique snake_case codes, Dutch labels present,
    /// and both ways back (from_code, FromStr, serde) give the same variant.
    macro_rules! check_list {
        ($($ty:ty),+ $(,)?) => {$(
            {
                let all = <$ty>::all();
                assert!(!all.is_empty());
                assert_eq!(all.len(), <$ty>::CODES.len());
                for (i, v) in all.iter().enumerate() {
                    let code = v.code();
                    assert_eq!(<$ty>::CODES[i], code);
                    assert!(
                        !code.is_empty()
                            && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                            && !code.starts_with('_') && !code.ends_with('_'),
                        "{code} is not snake_case"
                    );
                    assert!(!v.label().trim().is_empty(), "{code} has no label");
                    assert_eq!(all.iter().filter(|o| o.code() == code).count(), 1, "{code} twice");
                    assert_eq!(<$ty>::from_code(code), Ok(*v));
                    assert_eq!(format!(" {} ", code.to_uppercase()).parse::<$ty>(), Ok(*v));
                    let de: StrDeserializer<'_, ValueError> = code.into_deserializer();
                    assert_eq!(<$ty>::deserialize(de), Ok(*v));
                }
                assert!(<$ty>::from_code("no_such_code").is_err());
                let de: StrDeserializer<'_, ValueError> = "no_such_code".into_deserializer();
                assert!(<$ty>::deserialize(de).is_err());
            }
        )+};
    }

    #[test]
    fn every_list_has_unique_snake_case_codes_dutch_labels_and_round_trips() {
        check_list!(
            CaseKind,
            CaseStatus,
            VerzuimKind,
            VsvKind,
            MeldingSource,
            VrijstellingStatus,
            Outcome,
            OutcomeList,
            ContactKind,
            ContactOutcome,
            LetterKind,
            AppointmentKind,
            AppointmentStatus,
            ConsentScope,
            ConsentGiver,
            TaskKind,
            Role,
            SchoolType,
            Relation,
            Holiday,
            HaltBlocker,
            EscalationStep,
            LegalPhase,
        );
    }

    #[test]
    fn an_unknown_code_names_the_list_in_dutch() {
        let err = CaseKind::from_code("brandweer").err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("'brandweer' is geen geldige code voor werkproces")
        );
    }

    #[test]
    fn people_may_type_a_code_or_a_label() {
        use crate::{VerzuimKind, VsvKind};
        assert_eq!(
            VerzuimKind::from_code_or_label("Luxe verzuim"),
            Ok(VerzuimKind::Luxe)
        );
        assert_eq!(
            VerzuimKind::from_code_or_label(" luxe "),
            Ok(VerzuimKind::Luxe)
        );
        assert_eq!(
            VerzuimKind::from_code_or_label("te laat komen"),
            Ok(VerzuimKind::TeLaatKomen)
        );
        assert_eq!(
            VsvKind::from_code_or_label("Nieuwe vsv'er"),
            Ok(VsvKind::NieuweVsver)
        );
        assert!(VerzuimKind::from_code_or_label("nieuwe_vsver").is_err());
    }
}
