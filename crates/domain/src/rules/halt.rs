//! Whether a youth can be referred to Halt for verzuim.
//!
//! Law and agreements encoded here:
//! - Wetboek van Strafrecht art. 77e and the Besluit aanwijzing Halt-feiten:
//!   a Halt-afdoening is for minors from 12 (so 12 up to 18), and verzuim
//!   under the Leerplichtwet is a Halt-feit.
//! - The national agreements between Halt and the leerplicht bureaus, as
//!   DOMAIN.md states them: at least 12 and at most 60 hours absent or late;
//!   above 60 hours Halt is no longer possible (a proces-verbaal is).
//! - Only a BOA may refer (the referral is an investigative act): a
//!   leerplichtambtenaar with the BOA flag ([`User::is_enforcing_boa`]).
//!
//! Every reason that blocks a referral is returned, not only the first, so
//! the screen can show them all at once.

use std::fmt;

use chrono::NaiveDate;

use super::age::age_on;
use crate::code::code_enum;
use crate::user::User;

/// Youngest age for Halt.
pub const HALT_MIN_AGE: u32 = 12;
/// From this age Halt is no longer possible.
pub const HALT_AGE_LIMIT: u32 = 18;
/// Fewest hours absent or late for Halt.
pub const HALT_MIN_HOURS: u32 = 12;
/// Most hours absent or late for Halt.
pub const HALT_MAX_HOURS: u32 = 60;

code_enum! {
    /// A reason a Halt-verwijzing is not possible; the label is the message.
    pub enum HaltBlocker: "reden waarom Halt niet kan" {
        TooYoung => "te_jong", "Halt kan alleen bij 12 tot 18 jaar";
        TooOld => "te_oud", "Halt kan alleen bij 12 tot 18 jaar";
        TooFewHours => "te_weinig_uren", "Halt kan pas vanaf 12 uur verzuim";
        TooManyHours => "te_veel_uren", "Boven 60 uur verzuim is Halt niet meer mogelijk";
        NotBoa => "geen_boa", "Alleen een BOA kan naar Halt verwijzen";
    }
}

/// A Halt-verwijzing is not possible, for every reason listed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct NotEligibleForHalt {
    /// Never empty.
    pub blockers: Vec<HaltBlocker>,
}

impl fmt::Display for NotEligibleForHalt {
    /// The Dutch reasons, each once, separated by ". ".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown: Vec<&str> = Vec::new();
        for blocker in &self.blockers {
            if !shown.contains(&blocker.label()) {
                shown.push(blocker.label());
            }
        }
        f.write_str(&shown.join(". "))
    }
}

/// Whether `user` may refer a youth born on `birth_date` to Halt on `on`,
/// with `hours_absent` hours of lessons missed or late (whole lesuren, as
/// schools report them).
pub fn check_halt(
    birth_date: NaiveDate,
    on: NaiveDate,
    hours_absent: u32,
    user: &User,
) -> Result<(), NotEligibleForHalt> {
    let age = age_on(birth_date, on);
    let mut blockers = Vec::new();
    if age < HALT_MIN_AGE {
        blockers.push(HaltBlocker::TooYoung);
    }
    if age >= HALT_AGE_LIMIT {
        blockers.push(HaltBlocker::TooOld);
    }
    if hours_absent < HALT_MIN_HOURS {
        blockers.push(HaltBlocker::TooFewHours);
    }
    if hours_absent > HALT_MAX_HOURS {
        blockers.push(HaltBlocker::TooManyHours);
    }
    if !user.is_enforcing_boa() {
        blockers.push(HaltBlocker::NotBoa);
    }
    if blockers.is_empty() {
        Ok(())
    } else {
        Err(NotEligibleForHalt { blockers })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::UserId;
    use crate::user::Role;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn user(role: Role, boa: bool) -> User {
        User {
            id: UserId::parse("u1").expect("id"),
            name: "Test".into(),
            role,
            boa,
        }
    }

    fn blockers(birth: NaiveDate, on: NaiveDate, hours: u32, user: &User) -> Vec<HaltBlocker> {
        check_halt(birth, on, hours, user)
            .err()
            .map(|e| e.blockers)
            .unwrap_or_default()
    }

    #[test]
    fn halt_boundaries_on_hours_and_age_follow_domain_md() {
        let boa = user(Role::Leerplichtambtenaar, true);
        let birth = d(2012, 6, 15);
        let on = d(2026, 1, 12); // age 13
        for (hours, expected) in [
            (11, vec![HaltBlocker::TooFewHours]),
            (12, vec![]),
            (60, vec![]),
            (61, vec![HaltBlocker::TooManyHours]),
        ] {
            assert_eq!(blockers(birth, on, hours, &boa), expected, "{hours} hours");
        }
        // Age 11 the day before the 12th birthday, 12 on it; 17 the day
        // before the 18th, too old on it.
        for (on, expected) in [
            (d(2024, 6, 14), vec![HaltBlocker::TooYoung]),
            (d(2024, 6, 15), vec![]),
            (d(2030, 6, 14), vec![]),
            (d(2030, 6, 15), vec![HaltBlocker::TooOld]),
        ] {
            assert_eq!(blockers(birth, on, 20, &boa), expected, "{on}");
        }
    }

    #[test]
    fn only_a_leerplichtambtenaar_with_the_boa_flag_can_refer_to_halt() {
        let birth = d(2012, 6, 15);
        let on = d(2026, 1, 12);
        assert!(check_halt(birth, on, 20, &user(Role::Leerplichtambtenaar, true)).is_ok());
        for u in [
            user(Role::Leerplichtambtenaar, false),
            user(Role::Doorstroomcoach, true),
        ] {
            assert_eq!(blockers(birth, on, 20, &u), [HaltBlocker::NotBoa]);
        }
    }

    #[test]
    fn every_reason_is_given_in_dutch_at_once() {
        let err = check_halt(
            d(2016, 1, 1),
            d(2026, 1, 12),
            61,
            &user(Role::Doorstroomcoach, false),
        )
        .err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some(
                "Halt kan alleen bij 12 tot 18 jaar. Boven 60 uur verzuim is Halt niet meer mogelijk. \
                 Alleen een BOA kan naar Halt verwijzen"
            )
        );
    }
}
