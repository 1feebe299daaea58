//! Dutch working days and deadlines counted in them.
//!
//! Law: the Algemene termijnenwet (art. 3) lists the days a deadline does not
//! end on: Saturday, Sunday, Nieuwjaarsdag, Tweede Paasdag, Tweede
//! Pinksterdag, both Kerstdagen, Hemelvaartsdag, the King's birthday
//! (Koningsdag) and **5 May**, with **Goede Vrijdag** treated the same
//! (art. 3 lid 2). This module follows that list, which settles two choices:
//! - Goede Vrijdag is not a working day (many offices are open, but schools
//!   and families often are not, and the law counts it);
//! - Bevrijdingsdag (5 May) is not a working day **every year**, not only in
//!   lustrum years as some collective agreements have it.
//!
//! Both choices can only move a deadline later, never earlier: the safe
//! direction for a family asked to respond "within one working day".
//! Eerste Paasdag and Eerste Pinksterdag are Sundays anyway; they are listed
//! so the calendar can name them.

use chrono::{Datelike, NaiveDate, Weekday};

use super::dates::{add_days, sub_days, ymd};
use crate::code::code_enum;

code_enum! {
    /// A public holiday on which no deadline ends (Algemene termijnenwet art. 3).
    pub enum Holiday: "feestdag" {
        /// 1 January.
        NewYear => "nieuwjaarsdag", "Nieuwjaarsdag";
        /// The Friday before Easter.
        GoodFriday => "goede_vrijdag", "Goede Vrijdag";
        /// Easter Sunday.
        EasterSunday => "eerste_paasdag", "Eerste Paasdag";
        /// Easter Monday.
        EasterMonday => "tweede_paasdag", "Tweede Paasdag";
        /// 27 April, or 26 April when the 27th is a Sunday (from 2014;
        /// before, Koninginnedag on 30 April, or 29 April when a Sunday).
        KingsDay => "koningsdag", "Koningsdag";
        /// 5 May, every year.
        LiberationDay => "bevrijdingsdag", "Bevrijdingsdag";
        /// Easter + 39 days (a Thursday).
        Ascension => "hemelvaartsdag", "Hemelvaartsdag";
        /// Easter + 49 days (a Sunday).
        Pentecost => "eerste_pinksterdag", "Eerste Pinksterdag";
        /// Easter + 50 days.
        WhitMonday => "tweede_pinksterdag", "Tweede Pinksterdag";
        /// 25 December.
        Christmas => "eerste_kerstdag", "Eerste Kerstdag";
        /// 26 December.
        BoxingDay => "tweede_kerstdag", "Tweede Kerstdag";
    }
}

/// Easter Sunday of a year in the Gregorian calendar, by the anonymous
/// Gregorian algorithm (Meeus/Jones/Butcher). Valid from 1583.
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    // n / 31 is 3 or 4 and n % 31 + 1 is 1..=31: always a valid month and day.
    ymd(year, (n / 31).unsigned_abs(), (n % 31 + 1).unsigned_abs())
}

/// The year Koningsdag (27 April) replaced Koninginnedag (30 April).
const KINGS_DAY_SINCE: i32 = 2014;

/// The day the monarch's birthday is celebrated. When it falls on a Sunday
/// it moves to the Saturday before.
pub fn kings_day(year: i32) -> NaiveDate {
    let day = if year >= KINGS_DAY_SINCE { 27 } else { 30 };
    let date = ymd(year, 4, day);
    if date.weekday() == Weekday::Sun {
        sub_days(date, 1)
    } else {
        date
    }
}

/// Every holiday of a year, in date order.
pub fn holidays(year: i32) -> Vec<(NaiveDate, Holiday)> {
    let easter = easter_sunday(year);
    let mut days = vec![
        (ymd(year, 1, 1), Holiday::NewYear),
        (sub_days(easter, 2), Holiday::GoodFriday),
        (easter, Holiday::EasterSunday),
        (add_days(easter, 1), Holiday::EasterMonday),
        (kings_day(year), Holiday::KingsDay),
        (ymd(year, 5, 5), Holiday::LiberationDay),
        (add_days(easter, 39), Holiday::Ascension),
        (add_days(easter, 49), Holiday::Pentecost),
        (add_days(easter, 50), Holiday::WhitMonday),
        (ymd(year, 12, 25), Holiday::Christmas),
        (ymd(year, 12, 26), Holiday::BoxingDay),
    ];
    days.sort();
    days
}

/// The holiday on `date`, if any. When two coincide (Hemelvaartsdag on 5 May)
/// the first in date order of [`holidays`] is named.
pub fn holiday(date: NaiveDate) -> Option<Holiday> {
    holidays(date.year())
        .into_iter()
        .find(|(day, _)| *day == date)
        .map(|(_, h)| h)
}

pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Monday to Friday and not a [`Holiday`].
pub fn is_working_day(date: NaiveDate) -> bool {
    !is_weekend(date) && holiday(date).is_none()
}

/// The first working day strictly after `date`.
pub fn next_working_day(date: NaiveDate) -> NaiveDate {
    let mut day = date;
    loop {
        // At the very end of chrono's range there is no next day: stop there
        // rather than loop.
        let Some(next) = day.succ_opt() else {
            return day;
        };
        day = next;
        if is_working_day(day) {
            return day;
        }
    }
}

/// The last working day strictly before `date`.
pub fn previous_working_day(date: NaiveDate) -> NaiveDate {
    let mut day = date;
    loop {
        let Some(previous) = day.pred_opt() else {
            return day;
        };
        day = previous;
        if is_working_day(day) {
            return day;
        }
    }
}

/// `date` itself when it is a working day, else the next one. For periods
/// counted forward ("after half a year"): a due date never lands on a day off.
pub fn working_day_on_or_after(date: NaiveDate) -> NaiveDate {
    if is_working_day(date) {
        date
    } else {
        next_working_day(date)
    }
}

/// `date` itself when it is a working day, else the one before. For periods
/// counted back ("3 months before the 18th birthday"): moving earlier keeps
/// the margin the rule asks for.
pub fn working_day_on_or_before(date: NaiveDate) -> NaiveDate {
    if is_working_day(date) {
        date
    } else {
        previous_working_day(date)
    }
}

/// The `n`th working day after `date` (the day itself does not count).
/// `n == 0` gives [`working_day_on_or_after`], so the result is always a
/// working day.
pub fn add_working_days(date: NaiveDate, n: u32) -> NaiveDate {
    if n == 0 {
        return working_day_on_or_after(date);
    }
    (0..n).fold(date, |day, _| next_working_day(day))
}

/// The deadline for "within one working day" of `from`: the end of the next
/// working day. Monday gives Tuesday; Friday, Saturday and Sunday give Monday
/// (or later around holidays). The deadline is the whole returned day.
pub fn within_one_working_day(from: NaiveDate) -> NaiveDate {
    next_working_day(from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn every_day(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
        from.iter_days().take_while(move |day| *day <= to)
    }

    #[test]
    fn easter_falls_on_the_known_dates() {
        for (year, easter) in [
            (1818, d(1818, 3, 22)),
            (1943, d(1943, 4, 25)),
            (2000, d(2000, 4, 23)),
            (2008, d(2008, 3, 23)),
            (2019, d(2019, 4, 21)),
            (2024, d(2024, 3, 31)),
            (2025, d(2025, 4, 20)),
            (2026, d(2026, 4, 5)),
            (2027, d(2027, 3, 28)),
            (2038, d(2038, 4, 25)),
            (2285, d(2285, 3, 22)),
        ] {
            assert_eq!(easter_sunday(year), easter, "{year}");
        }
    }

    #[test]
    fn easter_is_always_a_sunday_between_22_march_and_25_april() {
        for year in 1583..=3000 {
            let easter = easter_sunday(year);
            assert_eq!(easter.weekday(), Weekday::Sun, "{year}");
            assert!(
                d(year, 3, 22) <= easter && easter <= d(year, 4, 25),
                "{year}"
            );
        }
    }

    #[test]
    fn the_holidays_of_2026_are_the_known_ones() {
        let names: Vec<(NaiveDate, &str)> = holidays(2026)
            .into_iter()
            .map(|(day, h)| (day, h.code()))
            .collect();
        assert_eq!(
            names,
            [
                (d(2026, 1, 1), "nieuwjaarsdag"),
                (d(2026, 4, 3), "goede_vrijdag"),
                (d(2026, 4, 5), "eerste_paasdag"),
                (d(2026, 4, 6), "tweede_paasdag"),
                (d(2026, 4, 27), "koningsdag"),
                (d(2026, 5, 5), "bevrijdingsdag"),
                (d(2026, 5, 14), "hemelvaartsdag"),
                (d(2026, 5, 24), "eerste_pinksterdag"),
                (d(2026, 5, 25), "tweede_pinksterdag"),
                (d(2026, 12, 25), "eerste_kerstdag"),
                (d(2026, 12, 26), "tweede_kerstdag"),
            ]
        );
    }

    #[test]
    fn koningsdag_moves_to_saturday_when_27_april_is_a_sunday() {
        assert_eq!(kings_day(2025), d(2025, 4, 26));
        assert_eq!(kings_day(2031), d(2031, 4, 26));
        assert_eq!(kings_day(2026), d(2026, 4, 27));
        // Koninginnedag before 2014, on the 29th when the 30th was a Sunday.
        assert_eq!(kings_day(2013), d(2013, 4, 30));
        assert_eq!(kings_day(2006), d(2006, 4, 29));
    }

    #[test]
    fn goede_vrijdag_and_every_5_may_are_not_working_days() {
        assert!(!is_working_day(d(2026, 4, 3)));
        assert!(!is_working_day(d(2027, 5, 5)));
        assert!(!is_working_day(d(2026, 5, 5)));
        assert!(is_working_day(d(2026, 5, 6)));
    }

    #[test]
    fn within_one_working_day_is_the_end_of_the_next_working_day() {
        assert_eq!(within_one_working_day(d(2026, 11, 23)), d(2026, 11, 24)); // Monday
        assert_eq!(within_one_working_day(d(2026, 11, 27)), d(2026, 11, 30)); // Friday
        assert_eq!(within_one_working_day(d(2026, 11, 28)), d(2026, 11, 30)); // Saturday
        assert_eq!(within_one_working_day(d(2026, 4, 2)), d(2026, 4, 7)); // before Easter
        assert_eq!(within_one_working_day(d(2026, 12, 24)), d(2026, 12, 28)); // Christmas Eve
        assert_eq!(within_one_working_day(d(2026, 12, 31)), d(2027, 1, 4)); // New Year's Eve
    }

    #[test]
    fn add_working_days_skips_weekends_and_holidays() {
        assert_eq!(add_working_days(d(2026, 11, 23), 5), d(2026, 11, 30));
        assert_eq!(add_working_days(d(2026, 5, 1), 3), d(2026, 5, 7)); // over 5 May
        assert_eq!(add_working_days(d(2026, 11, 28), 0), d(2026, 11, 30));
        assert_eq!(add_working_days(d(2026, 11, 24), 0), d(2026, 11, 24));
    }

    #[test]
    fn next_working_day_is_strictly_later_and_skips_only_days_off() {
        for day in every_day(d(2020, 1, 1), d(2035, 12, 31)) {
            let next = next_working_day(day);
            assert!(next > day, "{day}");
            assert!(is_working_day(next), "{day}");
            assert!(
                every_day(
                    day.succ_opt().expect("in range"),
                    next.pred_opt().expect("in range")
                )
                .all(|between| !is_working_day(between))
            );
            let previous = previous_working_day(day);
            assert!(previous < day && is_working_day(previous), "{day}");
        }
    }

    #[test]
    fn deadlines_never_land_on_a_weekend_or_holiday() {
        for day in every_day(d(2020, 1, 1), d(2035, 12, 31)) {
            for due in [
                within_one_working_day(day),
                add_working_days(day, 0),
                add_working_days(day, 1),
                add_working_days(day, 5),
                working_day_on_or_after(day),
                working_day_on_or_before(day),
            ] {
                assert!(!is_weekend(due) && holiday(due).is_none(), "{day} -> {due}");
            }
        }
    }

    #[test]
    fn the_end_of_chronos_range_does_not_loop_or_panic() {
        assert_eq!(next_working_day(NaiveDate::MAX), NaiveDate::MAX);
        assert_eq!(previous_working_day(NaiveDate::MIN), NaiveDate::MIN);
    }
}
