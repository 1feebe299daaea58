//! The rules: Dutch law and the bureau's field routines as pure functions.
//!
//! Every function takes the date it is evaluated on; nothing reads a clock.
//! Where the law changed, the rule is effective-dated by a table (see
//! [`DOORSTROOMPUNT_AGE_LIMITS`]), never by a year tested inline.
//!
//! - [`school_year`]: 1 August to 31 July ([`SchoolYear`]).
//! - [`calendar`]: Dutch working days, public holidays, Easter, deadlines.
//! - [`age`]: birthdays, leerplicht, kwalificatieplicht, the Doorstroompunt
//!   target group and the combined [`LegalStatus`].
//! - [`halt`]: whether a Halt-verwijzing is possible.
//! - [`followup`]: proposed tasks after a failed home visit, outreach,
//!   escalation after unanswered invitations, and the periodic cadences.
//! - [`linking`]: a new melding joins an open case of the same werkproces.
//!
//! Dates are clamped to chrono's range (about year ±262,000) instead of
//! panicking; the rules are meaningful for real dates only.

pub mod age;
pub mod calendar;
mod dates;
pub mod followup;
pub mod halt;
pub mod linking;
pub mod school_year;

pub use age::{
    AgeLimit, DOORSTROOMPUNT_AGE_LIMITS, LegalPhase, LegalStatus, SchoolHistory, age_on, birthday,
    doorstroompunt_age_limit, doorstroompunt_from, doorstroompunt_until,
    in_doorstroompunt_age_range, is_criminally_responsible, is_minor, kwalificatieplicht_end,
    leerplicht_end, leerplicht_start, twelfth_full_school_year,
};
pub use calendar::{
    Holiday, add_working_days, easter_sunday, holiday, holidays, is_weekend, is_working_day,
    kings_day, next_working_day, previous_working_day, within_one_working_day,
    working_day_on_or_after, working_day_on_or_before,
};
pub use followup::{
    EscalationProposal, EscalationStep, escalation_after_invitations, followup_after_home_visit,
    monitoring_task, next_5c_renewal, pre18_vrijstelling_contact,
    thuiszitter_longer_than_three_months, thuiszitter_offer_due, tussenjaar_recontact,
    vsv_outreach_plan,
};
pub use halt::{HaltBlocker, NotEligibleForHalt, check_halt};
pub use linking::{MeldingLink, link_melding};
pub use school_year::SchoolYear;
