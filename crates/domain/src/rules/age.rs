//! Ages and the legal status that follows from them: leerplicht,
//! kwalificatieplicht and the Doorstroompunt target group.
//!
//! Laws encoded here:
//! - Leerplichtwet 1969 art. 3 lid 1: leerplicht starts in the month after the
//!   month in which the child turns 5, and ends at the end of the school year
//!   in which the youth turns 16, or earlier at the end of the school year
//!   after which the youth has attended 12 full school years (art. 3 lid 1
//!   onder a; lid 2: finishing primary school in under 8 years counts as 8).
//! - Leerplichtwet 1969 art. 4b: kwalificatieplicht starts right after
//!   leerplicht and ends as soon as the youth turns 18 or obtains a
//!   startkwalificatie.
//! - RMC-functie (WVO art. 118h and on; since 2026 the law "Van school naar
//!   duurzaam werk"): the Doorstroompunt serves youth from 18 without a
//!   startkwalificatie up to an age limit, 23 until 31 December 2025 and 27
//!   from 1 January 2026 ([`DOORSTROOMPUNT_AGE_LIMITS`]).
//! - Wetboek van Strafrecht art. 486: no prosecution under 12; Leerplichtwet
//!   art. 2 lid 3: from 12 the youth is addressed too.
//!
//! Birthdays: a child born on 29 February has its birthday on 28 February in
//! other years (the general rule for periods in months and years: when the
//! month lacks the day, the period ends on its last day). This only matters
//! for ages, never for leerplicht start, which is 1 March either way.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::dates::{add_months, date, first_of_next_month, sub_days};
use super::school_year::SchoolYear;
use crate::code::code_enum;

/// Age at which leerplicht starts (the month after).
pub const LEERPLICHT_START_AGE: u32 = 5;
/// Leerplicht ends at the end of the school year in which the youth has this age.
pub const LEERPLICHT_END_AGE: u32 = 16;
/// Full school years after which leerplicht ends early.
pub const FULL_SCHOOL_YEARS: i32 = 12;
/// Kwalificatieplicht ends on this birthday.
pub const KWALIFICATIEPLICHT_END_AGE: u32 = 18;
/// The Doorstroompunt serves youth from this birthday.
pub const DOORSTROOMPUNT_START_AGE: u32 = 18;
/// From this age a youth can be prosecuted and is addressed besides the parents.
pub const CRIMINAL_RESPONSIBILITY_AGE: u32 = 12;
/// Letters go to the youth from this age, before it to the parents.
pub const MAJORITY_AGE: u32 = 18;

/// One period of the Doorstroompunt age limit: from `from` on, youth are in
/// the target group until the school year in which they turn `limit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgeLimit {
    pub from: NaiveDate,
    pub limit: u32,
    /// The law that set it, for the documentation and audits.
    pub law: &'static str,
}

/// The Doorstroompunt age limit through time, oldest first. A new law adds a
/// row; existing rows never change (reports over past years depend on them).
pub const DOORSTROOMPUNT_AGE_LIMITS: &[AgeLimit] = &[
    AgeLimit {
        from: NaiveDate::MIN,
        limit: 23,
        law: "RMC-functie, WVO art. 118h: tot 23 jaar",
    },
    AgeLimit {
        from: date(2026, 1, 1),
        limit: 27,
        law: "Wet Van school naar duurzaam werk: tot 27 jaar",
    },
];

/// The birthday on which someone born on `birth_date` turns `age`.
pub fn birthday(birth_date: NaiveDate, age: u32) -> NaiveDate {
    add_months(birth_date, age.saturating_mul(12))
}

/// Age in whole years on `on`; 0 before birth.
pub fn age_on(birth_date: NaiveDate, on: NaiveDate) -> u32 {
    let Ok(years) = u32::try_from(on.year() - birth_date.year()) else {
        return 0;
    };
    if birthday(birth_date, years) <= on {
        years
    } else {
        years.saturating_sub(1)
    }
}

/// Whether the youth is under 18 on `on`: letters then go to the parents.
pub fn is_minor(birth_date: NaiveDate, on: NaiveDate) -> bool {
    age_on(birth_date, on) < MAJORITY_AGE
}

/// Whether the youth is 12 or older on `on` and so can be punished for
/// verzuim besides the parents.
pub fn is_criminally_responsible(birth_date: NaiveDate, on: NaiveDate) -> bool {
    age_on(birth_date, on) >= CRIMINAL_RESPONSIBILITY_AGE
}

/// The first day of leerplicht: the first day of the month after the month in
/// which the child turns 5 (born 14 March 2021: 1 April 2026).
///
/// Reading for a child born on the 1st: it turns 5 on the 1st, and the law
/// says "the month after the one in which the child turns 5", so leerplicht
/// starts a month later (born 1 March: 1 April), never on the birthday.
/// DOMAIN.md uses the first day of the month; the law says the first school
/// day of that month, which only differs when the 1st is not a school day.
pub fn leerplicht_start(birth_date: NaiveDate) -> NaiveDate {
    first_of_next_month(birthday(birth_date, LEERPLICHT_START_AGE))
}

/// The last day of leerplicht (inclusive), always a 31 July: the end of the
/// school year in which the youth turns 16, or of the twelfth full school
/// year when that comes first.
///
/// `twelfth_full_school_year` is the school year in which the youth
/// completes 12 full school years, when known (from the school
/// administration; see [`SchoolHistory`]).
pub fn leerplicht_end(
    birth_date: NaiveDate,
    twelfth_full_school_year: Option<SchoolYear>,
) -> NaiveDate {
    let by_age = SchoolYear::of(birthday(birth_date, LEERPLICHT_END_AGE)).end();
    match twelfth_full_school_year {
        Some(year) => by_age.min(year.end()),
        None => by_age,
    }
}

/// The school year in which a youth completes 12 full school years, given the
/// first full school year attended (usually group 1 or 2 of primary school).
/// Only valid for uninterrupted schooling; otherwise count by hand.
pub fn twelfth_full_school_year(first_full_school_year: SchoolYear) -> SchoolYear {
    first_full_school_year.plus(FULL_SCHOOL_YEARS - 1)
}

/// The day kwalificatieplicht ends: the 18th birthday, or the date of a
/// startkwalificatie when that is earlier. **Exclusive**: on this day the
/// youth is no longer kwalificatieplichtig ("eindigt zodra", art. 4b).
pub fn kwalificatieplicht_end(
    birth_date: NaiveDate,
    startkwalificatie_on: Option<NaiveDate>,
) -> NaiveDate {
    let by_age = birthday(birth_date, KWALIFICATIEPLICHT_END_AGE);
    match startkwalificatie_on {
        Some(diploma) => by_age.min(diploma),
        None => by_age,
    }
}

/// The Doorstroompunt age limit in force on `on`.
pub fn doorstroompunt_age_limit(on: NaiveDate) -> u32 {
    DOORSTROOMPUNT_AGE_LIMITS
        .iter()
        .rev()
        .find(|period| period.from <= on)
        // The first row starts at NaiveDate::MIN, so a row always matches.
        .map_or(0, |period| period.limit)
}

/// The first day in the Doorstroompunt target group by age: the 18th birthday.
pub fn doorstroompunt_from(birth_date: NaiveDate) -> NaiveDate {
    birthday(birth_date, DOORSTROOMPUNT_START_AGE)
}

/// The last day (inclusive) in the Doorstroompunt target group by age, under
/// the age limit in force on `on`: 31 July before the school year in which
/// the youth reaches the limit.
///
/// Reading of DOMAIN.md: "geen doelgroep meer in the school year the youth
/// reaches the limit", so that whole school year is out, and the youth is
/// always under the limit while in the group. Evaluated before 2026 the limit
/// is 23, from 2026 27: a youth who left at 23 in 2025 is back in on
/// 1 January 2026, as the new law intends.
pub fn doorstroompunt_until(birth_date: NaiveDate, on: NaiveDate) -> NaiveDate {
    let limit_birthday = birthday(birth_date, doorstroompunt_age_limit(on));
    sub_days(SchoolYear::of(limit_birthday).start(), 1)
}

/// Whether the youth is in the Doorstroompunt target group **by age** on
/// `on`. The other criteria (no startkwalificatie, not enrolled) are facts
/// the caller checks; [`LegalStatus`] includes the startkwalificatie.
pub fn in_doorstroompunt_age_range(birth_date: NaiveDate, on: NaiveDate) -> bool {
    doorstroompunt_from(birth_date) <= on && on <= doorstroompunt_until(birth_date, on)
}

/// Facts from a youth's school career that change the legal dates. Both are
/// unknown for most youth, and then the age rules apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolHistory {
    /// The school year in which the youth completes 12 full school years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub twelfth_full_school_year: Option<SchoolYear>,
    /// The date of the startkwalificatie diploma (havo, vwo, mbo-2 or higher).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startkwalificatie_on: Option<NaiveDate>,
}

code_enum! {
    /// Where a youth stands in the law on a date.
    pub enum LegalPhase: "juridische status" {
        /// Before leerplicht starts.
        NotYetLeerplichtig => "nog_niet_leerplichtig", "Nog niet leerplichtig";
        /// Leerplichtig (about 5 to 16).
        Leerplichtig => "leerplichtig", "Leerplichtig";
        /// Kwalificatieplichtig (after leerplicht, until 18 or a startkwalificatie).
        Kwalificatieplichtig => "kwalificatieplichtig", "Kwalificatieplichtig";
        /// In the Doorstroompunt target group by age, without startkwalificatie.
        DoorstroompuntTargetGroup => "doelgroep_doorstroompunt", "Doelgroep Doorstroompunt";
        /// None of the above: a startkwalificatie, or past the age limit.
        NoTargetGroup => "geen_doelgroep", "Geen doelgroep (meer)";
    }
}

/// Everything the law says about a birth date on one date, for display and
/// for the CLI's `rules --json`. Computed, never stored (DOMAIN.md: "compute,
/// never store by hand").
///
/// The field names and their JSON form are read by scripts: add fields, do
/// not rename them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalStatus {
    pub birth_date: NaiveDate,
    /// The date the status is for.
    pub on: NaiveDate,
    pub age: u32,
    pub phase: LegalPhase,
    /// The school year `on` falls in.
    pub school_year: SchoolYear,
    /// First day of leerplicht.
    pub leerplicht_start: NaiveDate,
    /// Last day of leerplicht (inclusive; a 31 July).
    pub leerplicht_end: NaiveDate,
    /// The day kwalificatieplicht ends (exclusive: the 18th birthday or the
    /// startkwalificatie date).
    pub kwalificatieplicht_end: NaiveDate,
    /// First day in the Doorstroompunt target group by age (the 18th birthday).
    pub doorstroompunt_from: NaiveDate,
    /// Last day in the Doorstroompunt target group by age (inclusive), under
    /// the limit in force on `on`.
    pub doorstroompunt_until: NaiveDate,
    /// The age limit in force on `on` (23 before 2026, 27 from 2026).
    pub doorstroompunt_age_limit: u32,
}

impl LegalStatus {
    /// The status of someone born on `birth_date`, on `on`.
    pub fn compute(birth_date: NaiveDate, on: NaiveDate, history: &SchoolHistory) -> Self {
        let leerplicht_start = leerplicht_start(birth_date);
        let leerplicht_end = leerplicht_end(birth_date, history.twelfth_full_school_year);
        let kwalificatieplicht_end =
            kwalificatieplicht_end(birth_date, history.startkwalificatie_on);
        let doorstroompunt_from = doorstroompunt_from(birth_date);
        let doorstroompunt_until = doorstroompunt_until(birth_date, on);
        let has_startkwalificatie = history.startkwalificatie_on.is_some_and(|d| d <= on);
        let phase = if on < leerplicht_start {
            LegalPhase::NotYetLeerplichtig
        } else if on <= leerplicht_end {
            LegalPhase::Leerplichtig
        } else if on < kwalificatieplicht_end {
            LegalPhase::Kwalificatieplichtig
        } else if !has_startkwalificatie && doorstroompunt_from <= on && on <= doorstroompunt_until
        {
            LegalPhase::DoorstroompuntTargetGroup
        } else {
            LegalPhase::NoTargetGroup
        };
        Self {
            birth_date,
            on,
            age: age_on(birth_date, on),
            phase,
            school_year: SchoolYear::of(on),
            leerplicht_start,
            leerplicht_end,
            kwalificatieplicht_end,
            doorstroompunt_from,
            doorstroompunt_until,
            doorstroompunt_age_limit: doorstroompunt_age_limit(on),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Days;

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn every_day(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
        from.iter_days().take_while(move |day| *day <= to)
    }

    fn phase(birth: NaiveDate, on: NaiveDate) -> LegalPhase {
        LegalStatus::compute(birth, on, &SchoolHistory::default()).phase
    }

    #[test]
    fn born_14_march_is_leerplichtig_from_1_april_after_the_fifth_birthday() {
        assert_eq!(leerplicht_start(d(2021, 3, 14)), d(2026, 4, 1));
        assert_eq!(
            phase(d(2021, 3, 14), d(2026, 3, 31)),
            LegalPhase::NotYetLeerplichtig
        );
        assert_eq!(
            phase(d(2021, 3, 14), d(2026, 4, 1)),
            LegalPhase::Leerplichtig
        );
    }

    #[test]
    fn leerplicht_starts_the_month_after_the_birthday_month_for_edge_birth_dates() {
        for (birth, start) in [
            (d(2021, 3, 1), d(2026, 4, 1)),
            (d(2021, 3, 31), d(2026, 4, 1)),
            (d(2021, 12, 15), d(2027, 1, 1)),
            (d(2020, 2, 29), d(2025, 3, 1)),
            (d(2021, 1, 31), d(2026, 2, 1)),
        ] {
            assert_eq!(leerplicht_start(birth), start, "{birth}");
        }
    }

    #[test]
    fn leerplicht_start_is_the_first_of_a_month_strictly_after_and_within_a_month_of_the_fifth_birthday()
     {
        for birth in every_day(d(1995, 1, 1), d(2030, 12, 31)) {
            let start = leerplicht_start(birth);
            let fifth = birthday(birth, 5);
            assert_eq!(start.day(), 1, "{birth}");
            assert!(start > fifth, "{birth}");
            assert!(start <= fifth + Days::new(31), "{birth}");
            assert_eq!(age_on(birth, start), 5, "{birth}");
        }
    }

    #[test]
    fn leerplicht_ends_on_31_july_of_the_school_year_in_which_the_youth_turns_16() {
        assert_eq!(leerplicht_end(d(2010, 3, 14), None), d(2026, 7, 31));
        assert_eq!(leerplicht_end(d(2010, 7, 31), None), d(2026, 7, 31));
        assert_eq!(leerplicht_end(d(2010, 8, 1), None), d(2027, 7, 31));
        for birth in every_day(d(1995, 1, 1), d(2030, 12, 31)) {
            let end = leerplicht_end(birth, None);
            assert_eq!((end.month(), end.day()), (7, 31), "{birth}");
            assert!(SchoolYear::of(birthday(birth, 16)).contains(end), "{birth}");
            // The 16th birthday lies in the school year that ends here.
            assert_eq!(age_on(birth, end), 16, "{birth}");
        }
    }

    #[test]
    fn twelve_full_school_years_can_end_leerplicht_a_year_early() {
        // Born 1 October 2010: 16 in school year 2026-2027. Started group 1
        // in 2014-2015, so twelve full years end with 2025-2026.
        let birth = d(2010, 10, 1);
        let twelfth = twelfth_full_school_year(SchoolYear::starting_in(2014));
        assert_eq!(twelfth.to_string(), "2025-2026");
        assert_eq!(leerplicht_end(birth, Some(twelfth)), d(2026, 7, 31));
        assert_eq!(leerplicht_end(birth, None), d(2027, 7, 31));
        // A later twelfth year does not extend leerplicht past 16.
        assert_eq!(
            leerplicht_end(birth, Some(SchoolYear::starting_in(2030))),
            d(2027, 7, 31)
        );
    }

    #[test]
    fn kwalificatieplicht_ends_on_the_18th_birthday_or_an_earlier_startkwalificatie() {
        assert_eq!(kwalificatieplicht_end(d(2008, 3, 14), None), d(2026, 3, 14));
        assert_eq!(
            kwalificatieplicht_end(d(2008, 3, 14), Some(d(2025, 7, 1))),
            d(2025, 7, 1)
        );
        assert_eq!(
            kwalificatieplicht_end(d(2008, 3, 14), Some(d(2027, 7, 1))),
            d(2026, 3, 14)
        );
        assert_eq!(
            phase(d(2008, 3, 14), d(2026, 3, 13)),
            LegalPhase::Kwalificatieplichtig
        );
        assert_eq!(
            phase(d(2008, 3, 14), d(2026, 3, 14)),
            LegalPhase::DoorstroompuntTargetGroup
        );
    }

    #[test]
    fn a_startkwalificatie_ends_kwalificatieplicht_and_keeps_the_youth_out_of_the_doorstroompunt() {
        let history = SchoolHistory {
            startkwalificatie_on: Some(d(2025, 7, 1)),
            ..SchoolHistory::default()
        };
        let birth = d(2008, 3, 14);
        assert_eq!(
            LegalStatus::compute(birth, d(2025, 6, 30), &history).phase,
            LegalPhase::Kwalificatieplichtig
        );
        assert_eq!(
            LegalStatus::compute(birth, d(2025, 7, 1), &history).phase,
            LegalPhase::NoTargetGroup
        );
        assert_eq!(
            LegalStatus::compute(birth, d(2027, 1, 1), &history).phase,
            LegalPhase::NoTargetGroup
        );
    }

    #[test]
    fn born_29_february_has_birthdays_on_28_february_in_other_years() {
        let birth = d(2008, 2, 29);
        assert_eq!(birthday(birth, 18), d(2026, 2, 28));
        assert_eq!(age_on(birth, d(2026, 2, 27)), 17);
        assert_eq!(age_on(birth, d(2026, 2, 28)), 18);
        assert_eq!(birthday(birth, 16), d(2024, 2, 29));
        assert_eq!(age_on(d(2010, 1, 1), d(2009, 1, 1)), 0);
    }

    #[test]
    fn the_age_limit_table_covers_all_time_in_date_order() {
        assert_eq!(
            DOORSTROOMPUNT_AGE_LIMITS.first().map(|p| p.from),
            Some(NaiveDate::MIN)
        );
        assert!(
            DOORSTROOMPUNT_AGE_LIMITS
                .windows(2)
                .all(|w| w[0].from < w[1].from)
        );
        assert_eq!(doorstroompunt_age_limit(NaiveDate::MIN), 23);
    }

    #[test]
    fn the_age_limit_goes_from_23_to_27_on_1_january_2026() {
        assert_eq!(doorstroompunt_age_limit(d(2025, 12, 31)), 23);
        assert_eq!(doorstroompunt_age_limit(d(2026, 1, 1)), 27);
        assert_eq!(doorstroompunt_age_limit(d(1990, 1, 1)), 23);
        assert_eq!(doorstroompunt_age_limit(d(2040, 1, 1)), 27);

        // Born 1 October 2002: 23 on 1 October 2025, so out for school year
        // 2025-2026 under the old limit, and back in from 2026 under the new.
        let birth = d(2002, 10, 1);
        assert_eq!(doorstroompunt_until(birth, d(2025, 12, 31)), d(2025, 7, 31));
        assert_eq!(phase(birth, d(2025, 12, 31)), LegalPhase::NoTargetGroup);
        assert_eq!(doorstroompunt_until(birth, d(2026, 1, 1)), d(2029, 7, 31));
        assert_eq!(
            phase(birth, d(2026, 1, 1)),
            LegalPhase::DoorstroompuntTargetGroup
        );
        assert!(!in_doorstroompunt_age_range(birth, d(2025, 12, 31)));
        assert!(in_doorstroompunt_age_range(birth, d(2026, 1, 1)));
    }

    #[test]
    fn the_target_group_ends_before_the_school_year_in_which_the_youth_reaches_the_limit() {
        // Turns 27 on 31 July 2035: school year 2034-2035, out from 1 August 2034.
        assert_eq!(
            doorstroompunt_until(d(2008, 7, 31), d(2030, 1, 1)),
            d(2034, 7, 31)
        );
        // Turns 27 on 1 August 2035: school year 2035-2036, in until 31 July 2035.
        assert_eq!(
            doorstroompunt_until(d(2008, 8, 1), d(2030, 1, 1)),
            d(2035, 7, 31)
        );
        for birth in every_day(d(1995, 1, 1), d(2012, 12, 31)) {
            for on in [d(2025, 6, 1), d(2026, 6, 1)] {
                let until = doorstroompunt_until(birth, on);
                let limit = doorstroompunt_age_limit(on);
                assert_eq!((until.month(), until.day()), (7, 31), "{birth}");
                assert!(age_on(birth, until) < limit, "{birth}");
                assert_eq!(
                    SchoolYear::of(until).next(),
                    SchoolYear::of(birthday(birth, limit)),
                    "{birth}"
                );
            }
        }
    }

    #[test]
    fn the_phases_follow_each_other_in_order_except_the_return_of_the_new_age_limit() {
        let order = |p: LegalPhase| LegalPhase::ALL.iter().position(|q| *q == p);
        let new_limit = d(2026, 1, 1);
        for birth in every_day(d(1998, 1, 1), d(2004, 12, 31)).step_by(7) {
            let mut last = (birth, phase(birth, birth));
            for on in every_day(birth, d(2034, 12, 31)).step_by(5) {
                let now = phase(birth, on);
                if order(now) < order(last.1) {
                    // Out under the limit of 23, back in when 27 took over.
                    assert_eq!(
                        (last.1, now),
                        (
                            LegalPhase::NoTargetGroup,
                            LegalPhase::DoorstroompuntTargetGroup
                        )
                    );
                    assert!(last.0 < new_limit && new_limit <= on, "{birth} {on}");
                }
                last = (on, now);
            }
            assert_eq!(phase(birth, d(2034, 12, 31)), LegalPhase::NoTargetGroup);
        }
    }

    #[test]
    fn legal_status_collects_every_date_for_the_cli() {
        let status = LegalStatus::compute(d(2010, 3, 14), d(2026, 5, 1), &SchoolHistory::default());
        assert_eq!(
            status,
            LegalStatus {
                birth_date: d(2010, 3, 14),
                on: d(2026, 5, 1),
                age: 16,
                phase: LegalPhase::Leerplichtig,
                school_year: SchoolYear::starting_in(2025),
                leerplicht_start: d(2015, 4, 1),
                leerplicht_end: d(2026, 7, 31),
                kwalificatieplicht_end: d(2028, 3, 14),
                doorstroompunt_from: d(2028, 3, 14),
                doorstroompunt_until: d(2036, 7, 31),
                doorstroompunt_age_limit: 27,
            }
        );
    }

    #[test]
    fn youth_are_criminally_responsible_from_12_and_minors_until_18() {
        let birth = d(2014, 6, 1);
        assert!(!is_criminally_responsible(birth, d(2026, 5, 31)));
        assert!(is_criminally_responsible(birth, d(2026, 6, 1)));
        assert!(is_minor(birth, d(2032, 5, 31)));
        assert!(!is_minor(birth, d(2032, 6, 1)));
    }
}
