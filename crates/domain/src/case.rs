//! Cases (werkprocessen) and the meldingen that open or join them.
//!
//! A case belongs to one youth and has one kind of work ([`CaseKind`]); within
//! verzuim and vsv the soort ([`VerzuimKind`], [`VsvKind`]) decides which
//! outcome codes apply. A new melding for a youth with an open case of the
//! same werkproces joins that case (see [`crate::rules::linking`]).
//!
//! The codes of [`CaseKind`] are the `werkproces` values of the server's
//! melding import and the sync protocol: do not change them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::code::code_enum;
use crate::contact::Note;
use crate::ids::{CaseId, MeldingId, SchoolId, UserId, YouthId};
use crate::outcome::{Outcome, OutcomeList, OutcomeRejected, allowed_outcomes, check_outcome};
use crate::user::User;

code_enum! {
    /// The werkproces a case belongs to.
    pub enum CaseKind: "werkproces" {
        /// Verzuim: absoluut, relatief (wettelijk, luxe, overig), 18+, thuiszitters.
        Verzuim => "verzuim", "Verzuim";
        /// Vrijstelling or vervangende leerplicht.
        Vrijstelling => "vrijstelling", "Vrijstelling";
        /// Voortijdig schoolverlaten and Doorstroompunt work.
        Vsv => "vsv", "VSV / Doorstroompunt";
        /// A request for advice, often before a handover to the Doorstroompunt.
        InformatieAdvies => "informatie_advies", "Informatie en advies";
    }
}

code_enum! {
    /// The soort of a verzuim case or melding.
    pub enum VerzuimKind: "soort verzuim" {
        /// Leerplichtig and not enrolled at any school; the parents are responsible.
        Absoluut => "absoluut", "Absoluut verzuim";
        /// Relatief: 16 hours of lessons unauthorised within 4 consecutive
        /// school weeks; the school must report it.
        Wettelijk => "wettelijk", "Wettelijk verzuim";
        /// Relatief: holiday outside the school holidays without permission;
        /// reportable from the first day.
        Luxe => "luxe", "Luxe verzuim";
        /// Relatief, below the norm but worrying (formerly signaalverzuim).
        Overig => "overig", "Overig verzuim";
        /// Relatief: frequent lateness, a form of overig verzuim kept apart
        /// because schools report it apart.
        TeLaatKomen => "te_laat_komen", "Te laat komen";
        /// Mbo students of 18 and older, under the regional protocol.
        AchttienPlus => "achttien_plus", "18+ verzuim";
        /// 5-18, not enrolled or unauthorised absent 4 weeks or more.
        Thuiszitter => "thuiszitter", "Thuiszitter";
    }
}

impl VerzuimKind {
    /// Relatief verzuim: enrolled but absent.
    pub const fn is_relatief(self) -> bool {
        matches!(
            self,
            Self::Wettelijk | Self::Luxe | Self::Overig | Self::TeLaatKomen
        )
    }

    /// The outcome lists for this soort.
    pub const fn outcome_lists(self) -> &'static [OutcomeList] {
        match self {
            Self::Absoluut => &[OutcomeList::AbsoluutVerzuim],
            Self::Wettelijk | Self::Luxe | Self::Overig | Self::TeLaatKomen => {
                &[OutcomeList::RelatiefVerzuim]
            }
            Self::AchttienPlus => &[OutcomeList::AchttienPlusVerzuim],
            Self::Thuiszitter => &[OutcomeList::RelatiefVerzuim, OutcomeList::AbsoluutVerzuim],
        }
    }
}

code_enum! {
    /// The soort of a vsv / Doorstroompunt case.
    pub enum VsvKind: "soort vsv" {
        /// Left school without startkwalificatie this school year.
        NieuweVsver => "nieuwe_vsver", "Nieuwe vsv'er";
        /// Left in an earlier school year (reference date 1 October).
        OudVsver => "oud_vsver", "Oud-vsv'er";
        /// Left praktijkonderwijs or vso.
        ProVsoUitstromer => "pro_vso_uitstromer", "Uitstromer pro of vso";
        /// Voluntary guidance: intake over all life domains, goals.
        Trajectbegeleiding => "trajectbegeleiding", "Trajectbegeleiding";
    }
}

impl VsvKind {
    /// The outcome lists for this soort. Nieuwe vsv'ers and pro/vso leavers
    /// are recorded with the same status-after-contact list as oud-vsv'ers
    /// (DOMAIN.md gives no separate list; the question is the same: what is
    /// the youth doing now).
    pub const fn outcome_lists(self) -> &'static [OutcomeList] {
        match self {
            Self::Trajectbegeleiding => &[OutcomeList::Trajectbegeleiding],
            Self::NieuweVsver | Self::OudVsver | Self::ProVsoUitstromer => {
                &[OutcomeList::OudVsvStatus]
            }
        }
    }
}

code_enum! {
    /// Whether a case is being worked on.
    pub enum CaseStatus: "status van een zaak" {
        Open => "open", "Open";
        Closed => "afgesloten", "Afgesloten";
    }
}

/// A case (werkproces) of one youth.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: CaseId,
    pub youth_id: YouthId,
    pub kind: CaseKind,
    /// For verzuim cases: which verzuim, once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verzuim_kind: Option<VerzuimKind>,
    /// For vsv cases: which kind of vsv work, once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vsv_kind: Option<VsvKind>,
    pub status: CaseStatus,
    /// The consultant who owns the case (set by the server's assignment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_user_id: Option<UserId>,
    /// Other users the case is shared with (set by the server).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared_with: Vec<UserId>,
    pub opened_on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The gemeente the case counts for in reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gemeente: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school_id: Option<SchoolId>,
}

/// Why a case cannot be closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CloseError {
    #[error("Deze zaak is al afgesloten")]
    AlreadyClosed,
    #[error("De einddatum ligt voor de startdatum van de zaak")]
    ClosedBeforeOpened,
    #[error("'Nog in behandeling' sluit een zaak niet af")]
    OutcomeDoesNotClose,
    #[error(transparent)]
    Outcome(#[from] OutcomeRejected),
}

impl Case {
    /// A new open case.
    pub fn open(id: CaseId, youth_id: YouthId, kind: CaseKind, opened_on: NaiveDate) -> Self {
        Self {
            id,
            youth_id,
            kind,
            verzuim_kind: None,
            vsv_kind: None,
            status: CaseStatus::Open,
            assigned_user_id: None,
            shared_with: Vec::new(),
            opened_on,
            closed_on: None,
            outcome: None,
            gemeente: None,
            school_id: None,
        }
    }

    /// Open: status open and no closing date. Both are checked because they
    /// sync as separate fields and the server's scope uses `closed_on`.
    pub fn is_open(&self) -> bool {
        self.status == CaseStatus::Open && self.closed_on.is_none()
    }

    /// The outcomes this case can be closed with (see
    /// [`crate::outcome::allowed_outcomes`]).
    pub fn allowed_outcomes(&self) -> Vec<Outcome> {
        allowed_outcomes(self.kind, self.verzuim_kind, self.vsv_kind)
    }

    /// Closes the case on `on` with `outcome`, recorded by `by`. Nothing
    /// changes on error.
    pub fn close(&mut self, on: NaiveDate, outcome: Outcome, by: &User) -> Result<(), CloseError> {
        if !self.is_open() {
            return Err(CloseError::AlreadyClosed);
        }
        if on < self.opened_on {
            return Err(CloseError::ClosedBeforeOpened);
        }
        if !outcome.closes_case() {
            return Err(CloseError::OutcomeDoesNotClose);
        }
        check_outcome(self, outcome, by)?;
        self.status = CaseStatus::Closed;
        self.closed_on = Some(on);
        self.outcome = Some(outcome);
        Ok(())
    }
}

code_enum! {
    /// Where a melding came from.
    pub enum MeldingSource: "bron van een melding" {
        /// DUO Verzuimloket (the school reports there).
        DuoVerzuimloket => "duo_verzuimloket", "DUO Verzuimloket";
        /// The school directly.
        School => "school", "School";
        /// The registration (BRP/BRON match, e.g. the weekly absoluut-verzuim list).
        Registratie => "registratie", "Registratie";
        /// Imported by the office from a CSV export.
        Import => "import", "Import";
        /// A parent, partner or anyone else.
        Overig => "overig", "Overig";
    }
}

/// A melding: a report about a youth that opens a case or joins an open one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Melding {
    pub id: MeldingId,
    pub case_id: CaseId,
    pub youth_id: YouthId,
    /// The number the source gave it (DUO's meldingnummer), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    pub received_on: NaiveDate,
    pub kind: CaseKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verzuim_kind: Option<VerzuimKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vsv_kind: Option<VsvKind>,
    pub source: MeldingSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school_id: Option<SchoolId>,
    /// Hours absent or late as reported, for the Halt check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_absent: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::user::Role;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn luxe_case() -> Case {
        let mut case = Case::open(
            CaseId::parse("case-1").expect("id"),
            YouthId::parse("youth-1").expect("id"),
            CaseKind::Verzuim,
            d(2026, 2, 16),
        );
        case.verzuim_kind = Some(VerzuimKind::Luxe);
        case
    }

    fn user(role: Role, boa: bool) -> User {
        User {
            id: UserId::parse("u1").expect("id"),
            name: "Test".into(),
            role,
            boa,
        }
    }

    #[test]
    fn case_kind_codes_match_the_server_import() {
        let codes: Vec<&str> = CaseKind::all().iter().map(|k| k.code()).collect();
        assert_eq!(
            codes,
            ["verzuim", "vrijstelling", "vsv", "informatie_advies"]
        );
    }

    #[test]
    fn closing_a_case_records_date_and_outcome() {
        let mut case = luxe_case();
        assert_eq!(
            case.close(
                d(2026, 3, 2),
                Outcome::Warning,
                &user(Role::Leerplichtambtenaar, false)
            ),
            Ok(())
        );
        assert!(!case.is_open());
        assert_eq!(
            (case.closed_on, case.outcome),
            (Some(d(2026, 3, 2)), Some(Outcome::Warning))
        );
        assert_eq!(
            case.close(
                d(2026, 3, 3),
                Outcome::Warning,
                &user(Role::Leerplichtambtenaar, false)
            ),
            Err(CloseError::AlreadyClosed)
        );
    }

    #[test]
    fn closing_with_a_pv_without_boa_changes_nothing() {
        let mut case = luxe_case();
        let before = case.clone();
        assert_eq!(
            case.close(
                d(2026, 3, 2),
                Outcome::PvLuxeVerzuim,
                &user(Role::Leerplichtambtenaar, false)
            ),
            Err(CloseError::Outcome(OutcomeRejected::NeedsBoa))
        );
        assert_eq!(case, before);
        assert_eq!(
            case.close(
                d(2026, 3, 2),
                Outcome::PvLuxeVerzuim,
                &user(Role::Leerplichtambtenaar, true)
            ),
            Ok(())
        );
    }

    #[test]
    fn closing_refuses_outcomes_of_another_list_early_dates_and_still_in_progress() {
        let mut case = luxe_case();
        let lpa = user(Role::Leerplichtambtenaar, true);
        assert_eq!(
            case.close(d(2026, 3, 2), Outcome::EnrolledAtSchool, &lpa),
            Err(CloseError::Outcome(OutcomeRejected::NotForThisCase))
        );
        assert_eq!(
            case.close(d(2026, 2, 15), Outcome::Warning, &lpa),
            Err(CloseError::ClosedBeforeOpened)
        );
        assert_eq!(
            case.close(d(2026, 3, 2), Outcome::StillInProgress, &lpa),
            Err(CloseError::OutcomeDoesNotClose)
        );
        assert!(case.is_open());
    }

    #[test]
    fn a_case_with_a_closing_date_is_not_open_whatever_its_status_says() {
        let mut case = luxe_case();
        case.closed_on = Some(d(2026, 3, 1));
        assert!(!case.is_open());
    }
}
