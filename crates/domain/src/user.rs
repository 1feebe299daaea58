//! Staff: roles and the BOA flag, which decide what a user may record.
//!
//! DOMAIN.md, "People and roles": a leerplichtambtenaar records warnings and,
//! **only if BOA** (buitengewoon opsporingsambtenaar, a flag on the user),
//! Halt-verwijzingen and processen-verbaal; a doorstroomcoach may do
//! everything but Halt and PV; an administratief medewerker records no
//! enforcement outcomes; a beheerder works server side and sees no case
//! content beyond what the role needs.

use serde::{Deserialize, Serialize};

use crate::code::code_enum;
use crate::ids::UserId;
use crate::outcome::{Outcome, OutcomeRejected};

code_enum! {
    /// What a user does at the bureau.
    pub enum Role: "rol" {
        /// Handles verzuim of 5-18 year olds (also leerplichtconsulent).
        Leerplichtambtenaar => "leerplichtambtenaar", "Leerplichtambtenaar";
        /// Reaches out to youth without startkwalificatie (also vsv-coach,
        /// trajectbegeleider).
        Doorstroomcoach => "doorstroomcoach", "Doorstroomcoach";
        /// Plans appointments, requests verzuimoverzichten, makes letters.
        AdministratiefMedewerker => "administratief_medewerker", "Administratief medewerker";
        /// Manages users, devices, assignments, branding and templates.
        Beheerder => "beheerder", "Beheerder";
    }
}

/// A staff member of the bureau.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    /// Display name of the staff member (not personal data of a youth).
    pub name: String,
    pub role: Role,
    /// Buitengewoon opsporingsambtenaar: may make a proces-verbaal and refer
    /// to Halt, when the role is leerplichtambtenaar.
    #[serde(default)]
    pub boa: bool,
}

impl User {
    /// Whether this user may refer to Halt and make a proces-verbaal: a
    /// leerplichtambtenaar with the BOA flag. A BOA flag on any other role
    /// does not count (a doorstroomcoach does "everything but Halt/PV").
    pub fn is_enforcing_boa(&self) -> bool {
        self.role == Role::Leerplichtambtenaar && self.boa
    }

    /// Whether this user may record `outcome` at all, whatever the case. The
    /// full check, including whether the outcome fits the case, is
    /// [`crate::outcome::check_outcome`].
    pub fn may_record(&self, outcome: Outcome) -> Result<(), OutcomeRejected> {
        match self.role {
            Role::Beheerder => Err(OutcomeRejected::RoleRecordsNoOutcomes),
            Role::AdministratiefMedewerker if outcome.is_enforcement() => {
                Err(OutcomeRejected::RoleRecordsNoEnforcement)
            }
            _ if outcome.requires_boa() && !self.is_enforcing_boa() => {
                Err(OutcomeRejected::NeedsBoa)
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, boa: bool) -> User {
        User {
            id: UserId::parse("u1").expect("valid id"),
            name: "Test".into(),
            role,
            boa,
        }
    }

    #[test]
    fn only_a_leerplichtambtenaar_with_boa_flag_may_refer_to_halt_or_make_a_pv() {
        for outcome in Outcome::all().iter().filter(|o| o.requires_boa()) {
            assert_eq!(
                user(Role::Leerplichtambtenaar, true).may_record(*outcome),
                Ok(())
            );
            for (role, boa) in [
                (Role::Leerplichtambtenaar, false),
                (Role::Doorstroomcoach, true),
                (Role::Doorstroomcoach, false),
            ] {
                assert_eq!(
                    user(role, boa).may_record(*outcome),
                    Err(OutcomeRejected::NeedsBoa)
                );
            }
        }
    }

    #[test]
    fn a_doorstroomcoach_may_record_everything_but_halt_and_pv() {
        let coach = user(Role::Doorstroomcoach, false);
        for outcome in Outcome::all() {
            assert_eq!(
                coach.may_record(*outcome).is_ok(),
                !outcome.requires_boa(),
                "{outcome:?}"
            );
        }
    }

    #[test]
    fn administration_records_no_enforcement_and_the_beheerder_no_outcomes() {
        let admin = user(Role::AdministratiefMedewerker, false);
        assert_eq!(
            admin.may_record(Outcome::Warning),
            Err(OutcomeRejected::RoleRecordsNoEnforcement)
        );
        assert_eq!(admin.may_record(Outcome::ReportedWrongly), Ok(()));
        let beheerder = user(Role::Beheerder, true);
        assert_eq!(
            beheerder.may_record(Outcome::ReportedWrongly),
            Err(OutcomeRejected::RoleRecordsNoOutcomes)
        );
    }
}
