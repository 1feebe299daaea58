//! Date arithmetic that never panics. Results beyond chrono's range saturate
//! at `NaiveDate::MIN` or `MAX`; for real dates (the rules only ever see
//! years of living people) nothing saturates.

use chrono::{Datelike, Days, Months, NaiveDate};

/// A date for a rule table, checked when the program is compiled: used only
/// in `const` items, where a bad literal fails the build instead of a run.
pub(crate) const fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(d) => d,
        None => panic!("invalid date in a rule table"),
    }
}

/// The date, or the nearest end of chrono's range when the year is out of it.
/// Callers pass a valid month and day.
pub(crate) fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(if year < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

/// `n` calendar months later; a day that does not exist in the target month
/// becomes that month's last day (31 August + 6 months = 28/29 February).
pub(crate) fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(n))
        .unwrap_or(NaiveDate::MAX)
}

/// `n` calendar months earlier, clamped to the month's last day like
/// [`add_months`].
pub(crate) fn sub_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(n))
        .unwrap_or(NaiveDate::MIN)
}

pub(crate) fn add_days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(NaiveDate::MAX)
}

pub(crate) fn sub_days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(n)).unwrap_or(NaiveDate::MIN)
}

/// The first day of the month after the month of `d`.
pub(crate) fn first_of_next_month(d: NaiveDate) -> NaiveDate {
    add_months(ymd(d.year(), d.month(), 1), 1)
}
