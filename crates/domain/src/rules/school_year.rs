//! The school year: 1 August to 31 July.
//!
//! Law: Leerplichtwet 1969 counts in school years (art. 3: leerplicht ends
//! at the end of a school year); the school year runs from 1 August to 31
//! July (art. 1 WPO and WVO define it so). Every report is broken down per
//! school year.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::dates::ymd;
use crate::error::{Field, InvalidValue, Problem};

/// The month a school year starts in (August).
pub const START_MONTH: u32 = 8;

/// A school year, named by the two calendar years it spans. Displayed and
/// serialized as `2026-2027`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SchoolYear {
    start_year: i32,
}

impl SchoolYear {
    /// The school year that starts on 1 August of `year`.
    pub const fn starting_in(year: i32) -> Self {
        Self { start_year: year }
    }

    /// The school year `date` falls in.
    pub fn of(date: NaiveDate) -> Self {
        let year = date.year();
        Self::starting_in(if date.month() >= START_MONTH {
            year
        } else {
            year - 1
        })
    }

    /// Parses `2026-2027` (also `2026/2027` and `2026 - 2027`); the second
    /// year must follow the first.
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let field = Field::SchoolYear;
        let text = text.trim();
        if text.is_empty() {
            return Err(InvalidValue::new(field, Problem::Empty));
        }
        let format = || InvalidValue::new(field, Problem::Format);
        let (first, second) = text.split_once(['-', '/']).ok_or_else(format)?;
        let four_digits = |s: &str| {
            let s = s.trim();
            (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<i32>().ok())
                .flatten()
        };
        match (four_digits(first), four_digits(second)) {
            (Some(a), Some(b)) if b == a + 1 => Ok(Self::starting_in(a)),
            _ => Err(format()),
        }
    }

    /// The calendar year of 1 August.
    pub const fn start_year(self) -> i32 {
        self.start_year
    }

    /// 1 August, the first day.
    pub fn start(self) -> NaiveDate {
        ymd(self.start_year, START_MONTH, 1)
    }

    /// 31 July, the last day.
    pub fn end(self) -> NaiveDate {
        ymd(self.start_year.saturating_add(1), START_MONTH - 1, 31)
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        self.start() <= date && date <= self.end()
    }

    /// The school year `n` years later (negative: earlier).
    pub const fn plus(self, n: i32) -> Self {
        Self::starting_in(self.start_year.saturating_add(n))
    }

    pub const fn next(self) -> Self {
        self.plus(1)
    }

    pub const fn previous(self) -> Self {
        self.plus(-1)
    }
}

impl fmt::Display for SchoolYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.start_year,
            self.start_year.saturating_add(1)
        )
    }
}

impl TryFrom<String> for SchoolYear {
    type Error = InvalidValue;

    fn try_from(text: String) -> Result<Self, InvalidValue> {
        Self::parse(&text)
    }
}

impl From<SchoolYear> for String {
    fn from(year: SchoolYear) -> String {
        year.to_string()
    }
}

impl std::str::FromStr for SchoolYear {
    type Err = InvalidValue;

    fn from_str(text: &str) -> Result<Self, InvalidValue> {
        Self::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn a_school_year_runs_from_1_august_to_31_july() {
        let year = SchoolYear::of(d(2026, 11, 23));
        assert_eq!(year.to_string(), "2026-2027");
        assert_eq!((year.start(), year.end()), (d(2026, 8, 1), d(2027, 7, 31)));
        assert_eq!(SchoolYear::of(d(2026, 7, 31)).to_string(), "2025-2026");
        assert_eq!(SchoolYear::of(d(2026, 8, 1)).to_string(), "2026-2027");
        assert_eq!(SchoolYear::of(d(2027, 1, 1)).to_string(), "2026-2027");
    }

    #[test]
    fn every_date_lies_in_its_school_year_and_the_years_are_contiguous() {
        let mut date = d(1995, 1, 1);
        while date <= d(2040, 12, 31) {
            let year = SchoolYear::of(date);
            assert!(year.contains(date), "{date}");
            assert!(!year.next().contains(date) && !year.previous().contains(date));
            assert_eq!(year.next().start().pred_opt(), Some(year.end()));
            date = date.succ_opt().expect("in range");
        }
    }

    #[test]
    fn school_years_parse_back_from_their_display() {
        assert_eq!(
            SchoolYear::parse("2026-2027"),
            Ok(SchoolYear::starting_in(2026))
        );
        assert_eq!(
            SchoolYear::parse(" 2026 / 2027 "),
            Ok(SchoolYear::starting_in(2026))
        );
        for bad in ["2026-2028", "2026", "26-27", "2027-2026", "abcd-efgh", ""] {
            assert!(SchoolYear::parse(bad).is_err(), "{bad}");
        }
        let year = SchoolYear::starting_in(2031);
        assert_eq!(SchoolYear::parse(&year.to_string()), Ok(year));
    }

    #[test]
    fn plus_and_previous_move_whole_years() {
        let year = SchoolYear::starting_in(2020);
        assert_eq!(year.plus(11).to_string(), "2031-2032");
        assert_eq!(year.previous().to_string(), "2019-2020");
    }
}
