//! Dutch conventions for paper: dates written out ("23 november 2026"),
//! times ("14.00"), postcodes and the postal address format
//! (`1234 AB  PLAATS`: one space in the postcode, two before the town in
//! capitals, as PostNL asks).

use std::fmt;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};

use crate::error::PrintError;

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// "23 november 2026".
pub fn date(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// "maandag 23 november 2026".
pub fn weekday_date(d: NaiveDate) -> String {
    format!("{} {}", weekday(d.weekday()), date(d))
}

/// "14.00": the Dutch way to write a time (the template adds "uur").
pub fn time(t: NaiveTime) -> String {
    format!("{}.{:02}", t.hour(), t.minute())
}

fn weekday(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "maandag",
        Weekday::Tue => "dinsdag",
        Weekday::Wed => "woensdag",
        Weekday::Thu => "donderdag",
        Weekday::Fri => "vrijdag",
        Weekday::Sat => "zaterdag",
        Weekday::Sun => "zondag",
    }
}

/// The next working day after `d`: the next Monday to Friday. Public holidays
/// are not known here; the domain crate will own the full rule.
pub fn next_working_day(d: NaiveDate) -> NaiveDate {
    let mut next = d.succ_opt().unwrap_or(d);
    while matches!(next.weekday(), Weekday::Sat | Weekday::Sun) {
        next = next.succ_opt().unwrap_or(next);
    }
    next
}

/// A Dutch postcode: four digits (the first not 0) and two capitals,
/// displayed with one space (`1234 AB`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Postcode(String);

impl Postcode {
    /// Accepts `1234AB`, `1234 ab` and the like.
    pub fn parse(text: &str) -> Result<Self, PrintError> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let bytes = compact.as_bytes();
        let valid = bytes.len() == 6
            && bytes[0] != b'0'
            && bytes[..4].iter().all(u8::is_ascii_digit)
            && bytes[4..].iter().all(u8::is_ascii_uppercase);
        if !valid {
            return Err(PrintError::invalid(
                "postcode",
                "must be four digits and two letters",
            ));
        }
        Ok(Self(format!("{} {}", &compact[..4], &compact[4..])))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Postcode(<redacted>)")
    }
}

/// A postal address in the Netherlands.
#[derive(Clone, PartialEq, Eq)]
pub struct PostalAddress {
    /// "Dorpsstraat".
    pub street: String,
    /// House number with addition: "12", "12 A", "12-3".
    pub house_number: String,
    pub postcode: Postcode,
    /// "Voorbeeldstad"; printed in capitals.
    pub town: String,
}

impl PostalAddress {
    /// An address from its stored parts; fails only on the postcode.
    pub fn parse(
        street: &str,
        house_number: &str,
        postcode: &str,
        town: &str,
    ) -> Result<Self, PrintError> {
        Ok(PostalAddress {
            street: street.to_owned(),
            house_number: house_number.to_owned(),
            postcode: Postcode::parse(postcode)?,
            town: town.to_owned(),
        })
    }

    /// The lines under the name: `Dorpsstraat 12` and `1234 AB  VOORBEELDSTAD`.
    pub fn lines(&self) -> [String; 2] {
        [
            format!("{} {}", self.street.trim(), self.house_number.trim()),
            format!(
                "{}  {}",
                self.postcode.as_str(),
                self.town.trim().to_uppercase()
            ),
        ]
    }
}

impl fmt::Debug for PostalAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PostalAddress(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn dates_are_written_out_in_dutch() {
        assert_eq!(date(day(2026, 11, 23)), "23 november 2026");
        assert_eq!(date(day(2027, 3, 1)), "1 maart 2027");
        assert_eq!(weekday_date(day(2026, 11, 23)), "maandag 23 november 2026");
    }

    #[test]
    fn times_use_a_dot_and_two_minute_digits() {
        let t = NaiveTime::from_hms_opt(9, 5, 0).unwrap_or_default();
        assert_eq!(time(t), "9.05");
    }

    #[test]
    fn next_working_day_skips_the_weekend() {
        assert_eq!(next_working_day(day(2026, 11, 23)), day(2026, 11, 24));
        assert_eq!(next_working_day(day(2026, 11, 27)), day(2026, 11, 30));
        assert_eq!(next_working_day(day(2026, 11, 28)), day(2026, 11, 30));
    }

    #[test]
    fn postcode_gets_one_space_and_capitals() -> Result<(), PrintError> {
        assert_eq!(Postcode::parse("1234ab")?.as_str(), "1234 AB");
        assert_eq!(Postcode::parse(" 9999 ZZ ")?.as_str(), "9999 ZZ");
        assert!(Postcode::parse("0123 AB").is_err());
        assert!(Postcode::parse("123 AB").is_err());
        assert!(Postcode::parse("1234 A1").is_err());
        Ok(())
    }

    #[test]
    fn address_lines_put_two_spaces_before_the_town_in_capitals() -> Result<(), PrintError> {
        let address = PostalAddress {
            street: "Dorpsstraat".into(),
            house_number: "12 A".into(),
            postcode: Postcode::parse("1234ab")?,
            town: "Den Haag".into(),
        };
        assert_eq!(
            address.lines(),
            [
                "Dorpsstraat 12 A".to_string(),
                "1234 AB  DEN HAAG".to_string()
            ]
        );
        Ok(())
    }
}
