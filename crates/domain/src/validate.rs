//! Validated values: each type can only hold a valid value, made by `parse`
//! from what a person typed or an import delivered, and kept in one
//! canonical form (so equal values compare equal and search finds them).
//!
//! Deserializing runs the same check as `parse`: a record that fails it is
//! refused at the boundary rather than shown half-broken.
//!
//! These values identify people, so their `Debug` is redacted; use `Display`
//! or `as_str` where the value is meant to be shown.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Field, InvalidValue, Problem};

/// Implements a `Debug` that prints only the type name, for personal data.
macro_rules! redacted_debug {
    ($($ty:ident),+ $(,)?) => {$(
        impl ::std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(concat!(stringify!($ty), "(<redacted>)"))
            }
        }
    )+};
}
pub(crate) use redacted_debug;

/// Implements `TryFrom<String>`, `From<T> for String`, `as_str` and
/// `FromStr` for a validated string newtype with a `parse` constructor.
macro_rules! string_value {
    ($($ty:ident),+ $(,)?) => {$(
        impl $ty {
            /// The canonical text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $ty {
            type Error = InvalidValue;

            fn try_from(text: String) -> Result<Self, InvalidValue> {
                Self::parse(&text)
            }
        }

        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.0
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = InvalidValue;

            fn from_str(text: &str) -> Result<Self, InvalidValue> {
                Self::parse(text)
            }
        }
    )+};
}

/// The digits of a number typed with optional spaces, dots or hyphens
/// ("1234.56.782", "123 456 782").
fn number_digits(text: &str, field: Field) -> Result<Vec<u8>, InvalidValue> {
    let text = text.trim();
    if text.is_empty() {
        return Err(InvalidValue::new(field, Problem::Empty));
    }
    let mut digits = Vec::with_capacity(9);
    for c in text.chars() {
        match c {
            '0'..='9' => digits.push(c as u8 - b'0'),
            ' ' | '.' | '-' => {}
            _ => return Err(InvalidValue::new(field, Problem::Format)),
        }
    }
    Ok(digits)
}

/// The weighted sum of the elfproef, modulo 11: the first eight digits times
/// 9 down to 2, minus the last digit. A BSN gives 0, an onderwijsnummer 5.
fn elfproef_remainder(d: &[u8; 9]) -> i64 {
    let weighted: i64 = d[..8]
        .iter()
        .zip((2..=9).rev())
        .map(|(&digit, weight)| i64::from(digit) * weight)
        .sum();
    (weighted - i64::from(d[8])).rem_euclid(11)
}

fn digits_text(d: &[u8]) -> String {
    d.iter().map(|&b| char::from(b'0' + b)).collect()
}

/// Burgerservicenummer: 9 digits passing the elfproef.
///
/// An 8-digit number is a BSN with its leading zero dropped (spreadsheets do
/// that) and is padded back. Stored as the 9 digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Bsn(String);

impl Bsn {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let digits = number_digits(text, Field::Bsn)?;
        let d: [u8; 9] = match digits.len() {
            9 => digits.try_into(),
            8 => [&[0][..], &digits].concat().try_into(),
            _ => return Err(InvalidValue::new(Field::Bsn, Problem::Format)),
        }
        .map_err(|_| InvalidValue::new(Field::Bsn, Problem::Format))?;
        if d.iter().all(|&x| x == 0) {
            return Err(InvalidValue::new(Field::Bsn, Problem::Reserved));
        }
        if elfproef_remainder(&d) != 0 {
            return Err(InvalidValue::new(Field::Bsn, Problem::Checksum));
        }
        Ok(Self(digits_text(&d)))
    }
}

/// Onderwijsnummer: the number DUO gives a pupil without a BSN. 9 digits,
/// starting with `10`, with the elfproef variant whose remainder is 5 (so it
/// can never be mistaken for a BSN).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Onderwijsnummer(String);

impl Onderwijsnummer {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let field = Field::Onderwijsnummer;
        let digits = number_digits(text, field)?;
        let d: [u8; 9] = digits
            .try_into()
            .map_err(|_| InvalidValue::new(field, Problem::Format))?;
        if d[..2] != [1, 0] {
            return Err(InvalidValue::new(field, Problem::Format));
        }
        if elfproef_remainder(&d) != 5 {
            return Err(InvalidValue::new(field, Problem::Checksum));
        }
        Ok(Self(digits_text(&d)))
    }
}

/// A Dutch postcode: four digits (the first not 0) and two capital letters,
/// never SA, SD or SS (PostNL does not issue them). Canonical form `1234 AB`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Postcode(String);

impl Postcode {
    /// Accepts `1234AB`, `1234 AB`, `1234ab` and surrounding spaces.
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let field = Field::Postcode;
        let text = text.trim();
        if text.is_empty() {
            return Err(InvalidValue::new(field, Problem::Empty));
        }
        let format = || InvalidValue::new(field, Problem::Format);
        let (digits, rest) = text.split_at_checked(4).ok_or_else(format)?;
        let letters = rest.trim_start().to_ascii_uppercase();
        let digits_ok = digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0');
        let letters_ok = letters.len() == 2 && letters.bytes().all(|b| b.is_ascii_uppercase());
        if !digits_ok || !letters_ok {
            return Err(format());
        }
        if matches!(letters.as_str(), "SA" | "SD" | "SS") {
            return Err(InvalidValue::new(field, Problem::Reserved));
        }
        Ok(Self(format!("{digits} {letters}")))
    }

    /// The four digits: the area, used for reports and demo data.
    pub fn digits(&self) -> &str {
        &self.0[..4]
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// BRIN number of a school: two digits and two capital letters (`12AB`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Brin(String);

impl Brin {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let text = text.trim().to_ascii_uppercase();
        if text.is_empty() {
            return Err(InvalidValue::new(Field::Brin, Problem::Empty));
        }
        let b = text.as_bytes();
        let ok = b.len() == 4
            && b[..2].iter().all(u8::is_ascii_digit)
            && b[2..].iter().all(u8::is_ascii_uppercase);
        if !ok {
            return Err(InvalidValue::new(Field::Brin, Problem::Format));
        }
        Ok(Self(text))
    }
}

impl fmt::Display for Brin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Dutch area codes of two digits after the 0 (`030`, `020`, ...), plus the
/// nationwide non-geographic ranges that are written the same way (`085`,
/// `088`). Every other landline has a three-digit area code (`0345`).
const TWO_DIGIT_AREAS: &[&str] = &[
    "10", "13", "15", "20", "23", "24", "26", "30", "33", "35", "36", "38", "40", "43", "45", "46",
    "50", "53", "55", "58", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79", "84", "85",
    "87", "88", "91",
];

/// A phone number, stored in international form (`+31612345678`).
///
/// Dutch numbers are accepted in every common way of writing them
/// (`06-12345678`, `06 1234 5678`, `+31 6 12345678`, `0031 6 ...`,
/// `+31 (0)6 ...`, `(030) 123 45 67`) and must have the 9 digits after the
/// 0. Foreign numbers are accepted only with their `+` or `00` country code
/// (families near the border use Belgian or German phones) and are kept as
/// given.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let field = Field::Phone;
        let format = || InvalidValue::new(field, Problem::Format);
        // "+31 (0)6": the (0) is the trunk prefix some people write after
        // the country code; it is not part of the number.
        let text = text.trim().replace("(0)", "");
        if text.is_empty() {
            return Err(InvalidValue::new(field, Problem::Empty));
        }
        let mut digits = String::with_capacity(16);
        let mut plus = false;
        for (i, c) in text.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => plus = true,
                ' ' | '-' | '.' | '(' | ')' | '/' => {}
                _ => return Err(format()),
            }
        }
        let international = if plus {
            Some(digits.as_str())
        } else {
            digits.strip_prefix("00")
        };
        let national = match international {
            Some(rest) => match rest.strip_prefix("31") {
                // "+31 06 ...": a common slip, the 0 does not belong there.
                Some(nl) => nl.strip_prefix('0').filter(|n| n.len() == 9).unwrap_or(nl),
                None => {
                    let ok = (8..=15).contains(&rest.len()) && !rest.starts_with('0');
                    return if ok {
                        Ok(Self(format!("+{rest}")))
                    } else {
                        Err(format())
                    };
                }
            },
            None => digits.strip_prefix('0').ok_or_else(format)?,
        };
        if national.len() != 9 || national.starts_with('0') {
            return Err(format());
        }
        Ok(Self(format!("+31{national}")))
    }

    /// Whether this is a Dutch number.
    pub fn is_dutch(&self) -> bool {
        self.0.starts_with("+31")
    }

    /// Whether this is a Dutch mobile number (06), the ones WhatsApp reaches.
    pub fn is_dutch_mobile(&self) -> bool {
        self.0.starts_with("+316")
    }

    /// The national form of a Dutch number (`0612345678`); a foreign number
    /// stays international.
    pub fn national(&self) -> String {
        match self.0.strip_prefix("+31") {
            Some(rest) => format!("0{rest}"),
            None => self.0.clone(),
        }
    }
}

/// Written the Dutch way: `06 12345678`, `030 123 4567`, `0345 123456`;
/// foreign numbers in international form.
impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(rest) = self.0.strip_prefix("+31") else {
            return f.write_str(&self.0);
        };
        if let Some(subscriber) = rest.strip_prefix('6') {
            return write!(f, "06 {subscriber}");
        }
        match rest.get(..2) {
            Some(area) if TWO_DIGIT_AREAS.contains(&area) => {
                let subscriber = &rest[2..];
                let (a, b) = subscriber.split_at_checked(3).unwrap_or((subscriber, ""));
                write!(f, "0{area} {a} {b}")
            }
            _ => {
                let (area, subscriber) = rest.split_at_checked(3).unwrap_or((rest, ""));
                write!(f, "0{area} {subscriber}")
            }
        }
    }
}

/// Longest e-mail address that can be delivered (RFC 5321 path limit).
const MAX_EMAIL_LEN: usize = 254;

/// An e-mail address that passes a sanity check: one `@`, a local part of at
/// most 64 characters, a domain with a dot and sensible labels, no spaces.
/// It does not prove the address exists. The domain is lowercased; the local
/// part is kept as typed.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let field = Field::Email;
        let format = || InvalidValue::new(field, Problem::Format);
        let text = text.trim();
        if text.is_empty() {
            return Err(InvalidValue::new(field, Problem::Empty));
        }
        if text.len() > MAX_EMAIL_LEN {
            return Err(InvalidValue::new(field, Problem::TooLong));
        }
        let (local, domain) = text.split_once('@').ok_or_else(format)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| !c.is_whitespace() && !c.is_control() && !"@<>()[],;:\\\"".contains(c));
        let domain = domain.to_lowercase();
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
            && labels.last().is_some_and(|tld| {
                tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic)
            });
        if !local_ok || !domain_ok {
            return Err(format());
        }
        Ok(Self(format!("{local}@{domain}")))
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Onderwijsnummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

redacted_debug!(
    Bsn,
    Onderwijsnummer,
    Postcode,
    PhoneNumber,
    EmailAddress,
    HouseNumber
);
string_value!(
    Bsn,
    Onderwijsnummer,
    Postcode,
    Brin,
    PhoneNumber,
    EmailAddress
);

/// Longest house number addition: a huisletter plus a four-character
/// huisnummertoevoeging, as the BAG (the national address register) allows.
const MAX_ADDITION_LEN: usize = 6;

/// A house number with its optional addition (huisletter or toevoeging):
/// `12`, `12a`, `12-2`, `12 bis`.
///
/// Serialized as two fields, `number` and `addition`, so storage can sort by
/// number.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct HouseNumber {
    /// The number, at least 1.
    pub number: u32,
    /// Letter or other addition, as typed but trimmed ("a", "2", "bis").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addition: Option<String>,
}

impl HouseNumber {
    /// Accepts `12`, `12a`, `12 A`, `12-2`, `12 bis`, `12-3hg`.
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let field = Field::HouseNumber;
        let format = || InvalidValue::new(field, Problem::Format);
        let text = text.trim();
        if text.is_empty() {
            return Err(InvalidValue::new(field, Problem::Empty));
        }
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (number, rest) = text.split_at(split);
        let number: u32 = number.parse().map_err(|_| format())?;
        if number == 0 || number > 99_999 {
            return Err(format());
        }
        let addition = rest.trim_start_matches([' ', '-', '/']).trim();
        let addition = if addition.is_empty() {
            None
        } else if addition.chars().count() > MAX_ADDITION_LEN
            || !addition
                .chars()
                .all(|c| c.is_alphanumeric() || c == ' ' || c == '-')
        {
            return Err(format());
        } else {
            Some(addition.to_owned())
        };
        Ok(Self { number, addition })
    }
}

/// `12`, `12a` (a single letter is joined on), `12-2` (anything else after a
/// hyphen).
impl fmt::Display for HouseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.addition.as_deref() {
            None => write!(f, "{}", self.number),
            Some(a) if a.chars().count() == 1 && a.chars().all(char::is_alphabetic) => {
                write!(f, "{}{a}", self.number)
            }
            Some(a) => write!(f, "{}-{a}", self.number),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem<T>(r: Result<T, InvalidValue>) -> Option<Problem> {
        r.err().map(|e| e.problem)
    }

    #[test]
    fn bsn_accepts_nine_digits_passing_the_elfproef() {
        for (typed, stored) in [
            ("123456782", "123456782"),
            ("111222333", "111222333"),
            (" 1234.56.782 ", "123456782"),
            ("123 456 782", "123456782"),
        ] {
            assert_eq!(
                Bsn::parse(typed).map(String::from).as_deref(),
                Ok(stored),
                "{typed}"
            );
        }
    }

    #[test]
    fn bsn_with_eight_digits_gets_its_leading_zero_back() {
        assert_eq!(
            Bsn::parse("12345672").map(String::from).as_deref(),
            Ok("012345672")
        );
    }

    #[test]
    fn bsn_refuses_typos_wrong_lengths_letters_and_all_zeros() {
        assert_eq!(problem(Bsn::parse("123456781")), Some(Problem::Checksum));
        assert_eq!(problem(Bsn::parse("111222334")), Some(Problem::Checksum));
        assert_eq!(problem(Bsn::parse("1234567")), Some(Problem::Format));
        assert_eq!(problem(Bsn::parse("1234567890")), Some(Problem::Format));
        assert_eq!(problem(Bsn::parse("12345678a")), Some(Problem::Format));
        assert_eq!(problem(Bsn::parse("000000000")), Some(Problem::Reserved));
        assert_eq!(problem(Bsn::parse("00000000")), Some(Problem::Reserved));
        assert_eq!(problem(Bsn::parse("  ")), Some(Problem::Empty));
    }

    #[test]
    fn bsn_elfproef_catches_every_single_digit_typo() {
        // The point of the elfproef: changing any one digit breaks it.
        let good = *b"123456782";
        for pos in 0..9 {
            for digit in b'0'..=b'9' {
                if digit == good[pos] {
                    continue;
                }
                let mut typo = good;
                typo[pos] = digit;
                let text = String::from_utf8_lossy(&typo).into_owned();
                assert!(Bsn::parse(&text).is_err(), "{text}");
            }
        }
    }

    #[test]
    fn onderwijsnummer_uses_remainder_five_and_starts_with_ten() {
        assert_eq!(
            Onderwijsnummer::parse("1012.22.331")
                .map(String::from)
                .as_deref(),
            Ok("101222331")
        );
        assert_eq!(
            problem(Onderwijsnummer::parse("100252333")),
            Some(Problem::Checksum)
        );
        assert_eq!(
            problem(Onderwijsnummer::parse("1012.22.3333")),
            Some(Problem::Format)
        );
        assert_eq!(
            problem(Onderwijsnummer::parse("2112.22.337")),
            Some(Problem::Format)
        );
        // A valid BSN is never a valid onderwijsnummer and the other way round.
        assert!(Onderwijsnummer::parse("111222333").is_err());
        assert!(Bsn::parse("101222331").is_err());
    }

    #[test]
    fn postcode_accepts_common_spellings_and_shows_one_space() {
        for typed in ["1234ab", "1234 AB", "1234AB", " 1234  ab ", "1234Ab"] {
            assert_eq!(
                Postcode::parse(typed).map(|p| p.to_string()).as_deref(),
                Ok("1234 AB"),
                "{typed}"
            );
        }
        assert_eq!(
            Postcode::parse("9999 zz")
                .map(|p| p.digits().to_owned())
                .as_deref(),
            Ok("9999")
        );
    }

    #[test]
    fn postcode_refuses_a_leading_zero_wrong_shapes_and_sa_sd_ss() {
        assert_eq!(problem(Postcode::parse("0123 AB")), Some(Problem::Format));
        assert_eq!(problem(Postcode::parse("123 AB")), Some(Problem::Format));
        assert_eq!(problem(Postcode::parse("1234 A1")), Some(Problem::Format));
        assert_eq!(problem(Postcode::parse("1234 ABC")), Some(Problem::Format));
        assert_eq!(problem(Postcode::parse("12 34 AB")), Some(Problem::Format));
        assert_eq!(problem(Postcode::parse("1234 ÄB")), Some(Problem::Format));
        assert_eq!(problem(Postcode::parse("")), Some(Problem::Empty));
        for reserved in ["1234 SA", "1234sd", "1234 SS"] {
            assert_eq!(
                problem(Postcode::parse(reserved)),
                Some(Problem::Reserved),
                "{reserved}"
            );
        }
        assert!(Postcode::parse("1234 SB").is_ok());
    }

    #[test]
    fn brin_is_two_digits_and_two_letters_in_capitals() {
        assert_eq!(
            Brin::parse(" 12ab ").map(|b| b.to_string()).as_deref(),
            Ok("12AB")
        );
        for bad in ["1AB2", "12A", "12ABC", "AB12", "1234"] {
            assert_eq!(problem(Brin::parse(bad)), Some(Problem::Format), "{bad}");
        }
    }

    #[test]
    fn dutch_phone_numbers_in_any_common_spelling_become_one_form() {
        for typed in [
            "0612345678",
            "06-12345678",
            "06 1234 5678",
            "+31612345678",
            "+31 6 12345678",
            "0031 6 1234 5678",
            "+31 (0)6 12345678",
            "+31 06 12345678",
            "(06) 12 34 56 78",
        ] {
            let phone = PhoneNumber::parse(typed);
            assert_eq!(
                phone.as_ref().map(PhoneNumber::as_str),
                Ok("+31612345678"),
                "{typed}"
            );
            assert_eq!(
                phone.as_ref().map(ToString::to_string).as_deref(),
                Ok("06 12345678")
            );
            assert_eq!(phone.map(|p| p.is_dutch_mobile()), Ok(true));
        }
    }

    #[test]
    fn landlines_are_written_with_their_area_code() {
        let shown = |t: &str| PhoneNumber::parse(t).map(|p| p.to_string());
        assert_eq!(shown("(030) 123 45 67").as_deref(), Ok("030 123 4567"));
        assert_eq!(shown("020-1234567").as_deref(), Ok("020 123 4567"));
        assert_eq!(shown("0345 123456").as_deref(), Ok("0345 123456"));
        assert_eq!(shown("088 123 4567").as_deref(), Ok("088 123 4567"));
        assert_eq!(
            PhoneNumber::parse("030 123 4567")
                .map(|p| p.national())
                .as_deref(),
            Ok("0301234567")
        );
        assert_eq!(
            PhoneNumber::parse("030 123 4567").map(|p| p.is_dutch_mobile()),
            Ok(false)
        );
    }

    #[test]
    fn foreign_numbers_need_their_country_code() {
        let be = PhoneNumber::parse("+32 470 12 34 56");
        assert_eq!(be.as_ref().map(PhoneNumber::as_str), Ok("+32470123456"));
        assert_eq!(
            be.map(|p| (p.is_dutch(), p.to_string())),
            Ok((false, "+32470123456".into()))
        );
        assert_eq!(
            PhoneNumber::parse("0049 151 2345678")
                .map(String::from)
                .as_deref(),
            Ok("+491512345678")
        );
    }

    #[test]
    fn phone_numbers_of_the_wrong_length_or_with_letters_are_refused() {
        for bad in [
            "061234567",
            "06123456789",
            "612345678",
            "06-1234567a",
            "+31 0 12345678",
            "+1",
            "0800-1234",
        ] {
            assert_eq!(
                problem(PhoneNumber::parse(bad)),
                Some(Problem::Format),
                "{bad}"
            );
        }
        assert_eq!(problem(PhoneNumber::parse(" ")), Some(Problem::Empty));
    }

    #[test]
    fn email_passes_a_sanity_check_and_lowercases_the_domain() {
        assert_eq!(
            EmailAddress::parse(" Eva.deVries@Voorbeeld.NL ")
                .map(String::from)
                .as_deref(),
            Ok("Eva.deVries@voorbeeld.nl")
        );
        assert!(EmailAddress::parse("a+b@sub.voorbeeld.nl").is_ok());
        for bad in [
            "eva",
            "eva@",
            "@voorbeeld.nl",
            "eva@voorbeeld",
            "eva de vries@voorbeeld.nl",
            "eva@@voorbeeld.nl",
            "eva@voorbeeld..nl",
            ".eva@voorbeeld.nl",
            "eva@-voorbeeld.nl",
            "eva@voorbeeld.n1",
        ] {
            assert_eq!(
                problem(EmailAddress::parse(bad)),
                Some(Problem::Format),
                "{bad}"
            );
        }
        assert_eq!(
            problem(EmailAddress::parse(&format!("{}@x.nl", "a".repeat(260)))),
            Some(Problem::TooLong)
        );
    }

    #[test]
    fn house_numbers_split_into_number_and_addition() {
        let parsed =
            |t: &str| HouseNumber::parse(t).map(|h| (h.number, h.addition.clone(), h.to_string()));
        assert_eq!(parsed("12"), Ok((12, None, "12".into())));
        assert_eq!(parsed("12a"), Ok((12, Some("a".into()), "12a".into())));
        assert_eq!(parsed("12 A"), Ok((12, Some("A".into()), "12A".into())));
        assert_eq!(parsed("12-2"), Ok((12, Some("2".into()), "12-2".into())));
        assert_eq!(
            parsed("12 bis"),
            Ok((12, Some("bis".into()), "12-bis".into()))
        );
        for bad in ["", "a12", "0", "12 abcdefg", "12;a", "123456"] {
            assert!(HouseNumber::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn personal_values_never_show_in_debug_output() {
        let bsn = Bsn::parse("123456782").map(|b| format!("{b:?}"));
        assert_eq!(bsn.as_deref(), Ok("Bsn(<redacted>)"));
        let phone = PhoneNumber::parse("0612345678").map(|p| format!("{p:?}"));
        assert_eq!(phone.as_deref(), Ok("PhoneNumber(<redacted>)"));
        let postcode = Postcode::parse("1234AB").map(|p| format!("{p:?}"));
        assert_eq!(postcode.as_deref(), Ok("Postcode(<redacted>)"));
    }

    #[test]
    fn deserializing_a_bad_bsn_fails_like_parse() {
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, StringDeserializer};
        let bad: StringDeserializer<Error> = "123456781".to_owned().into_deserializer();
        assert!(Bsn::deserialize(bad).is_err());
        let good: StringDeserializer<Error> = "123456782".to_owned().into_deserializer();
        assert!(Bsn::deserialize(good).is_ok());
    }
}
