//! Outcome codes: how a case or melding ends, the lists DOMAIN.md gives per
//! kind of case, and who may record which outcome.
//!
//! One flat [`Outcome`] enum holds every outcome once; an outcome that
//! appears on several lists (onterechte melding, overig, ...) has one code.
//! [`OutcomeList`] says which outcomes belong together, and
//! [`allowed_outcomes`] which lists a case uses. The artikel 25 report counts
//! processen-verbaal by [`Outcome::is_proces_verbaal`].
//!
//! A proces-verbaal is police data under the Wpg, not only AVG data: the
//! vault keeps PV records separately classified and audited, keyed on
//! [`Outcome::is_proces_verbaal`].

use crate::case::{Case, CaseKind, VerzuimKind, VsvKind};
use crate::code::code_enum;
use crate::user::User;
use crate::vrijstelling::VrijstellingArticle;

code_enum! {
    /// An outcome code for closing a case or melding.
    pub enum Outcome: "uitkomst" {
        // Relatief verzuim.
        /// Proces-verbaal for relatief verzuim (Wpg data; BOA only).
        PvRelatiefVerzuim => "pv_relatief_verzuim", "Proces-verbaal relatief verzuim";
        /// Proces-verbaal for luxe verzuim (Wpg data; BOA only).
        PvLuxeVerzuim => "pv_luxe_verzuim", "Proces-verbaal luxe verzuim";
        /// A further proces-verbaal on top of an earlier one (Wpg data; BOA only).
        AdditionalPv => "aanvullend_pv", "Aanvullend proces-verbaal";
        /// Official warning (step two of the escalation ladder).
        Warning => "waarschuwing", "Waarschuwing";
        /// Referral to Halt (BOA only; see `rules::halt`).
        HaltReferral => "halt_verwijzing", "Halt-verwijzing";
        NotBlameworthy => "niet_verwijtbaar", "Niet verwijtbaar";
        ReportedWrongly => "onterechte_melding", "Onterechte melding";
        HandoverToDoorstroompunt => "overdracht_doorstroompunt", "Overdracht naar Doorstroompunt";
        Moved => "verhuisd", "Verhuisd";
        /// Start of a vrijstelling case (art. 5), article not yet known.
        StartVrijstelling => "start_vrijstelling", "Start werkproces vrijstelling (art. 5)";
        /// Not an end: the case is still being handled when a report is made.
        StillInProgress => "nog_in_behandeling", "Nog in behandeling";
        // Absoluut verzuim.
        EnrolledAtSchool => "inschrijving_school", "Ingeschreven bij een school";
        HandoverToOtherMunicipality => "overdracht_andere_gemeente", "Overdracht naar andere gemeente";
        DeregisteredFromBrp => "uitschrijving_brp", "Uitgeschreven uit de BRP";
        StartVrijstelling5a => "start_vrijstelling_5a", "Start vrijstelling art. 5 onder a";
        StartVrijstelling5b => "start_vrijstelling_5b", "Start vrijstelling art. 5 onder b";
        StartVrijstelling5c => "start_vrijstelling_5c", "Start vrijstelling art. 5 onder c";
        StartVrijstelling15 => "start_vrijstelling_15", "Start vrijstelling art. 15";
        /// Proces-verbaal for absoluut verzuim (Wpg data; BOA only).
        PvAbsoluutVerzuim => "pv_absoluut_verzuim", "Proces-verbaal absoluut verzuim";
        StartkwalificatieNotFeasible => "startkwalificatie_niet_haalbaar", "Startkwalificatie niet haalbaar";
        // Trajectbegeleiding.
        Education => "opleiding", "Opleiding";
        Work => "werk", "Werk";
        MunicipalProgramme => "traject_gemeente", "Traject bij de gemeente";
        ExternalSupport => "externe_begeleiding", "Externe begeleiding";
        Unwilling => "niet_willen", "Wil niet";
        Unreachable => "onbereikbaar", "Onbereikbaar";
        /// Anything else; for oud-vsv'ers also a tussenjaar or pregnancy.
        Other => "overig", "Overig";
        // Oud-vsv status after contact.
        Working => "werkt", "Werkt";
        InEducation => "volgt_opleiding", "Volgt (weer) een opleiding";
        ProgrammeElsewhere => "traject_elders", "Traject elders";
        DeclinesSupport => "wil_geen_begeleiding", "Wil geen begeleiding";
        MovedOutOfRegionOrGroup => "buiten_regio_of_doelgroep", "Verhuisd buiten de regio of buiten de doelgroep";
        NotReached => "niet_bereikt", "Niet bereikt";
        // 18+ verzuim.
        EnrolmentEndedForWork => "inschrijving_beeindigd_werk", "Inschrijving beëindigd: werk";
        EnrolmentEndedForOtherEducation => "inschrijving_beeindigd_andere_opleiding", "Inschrijving beëindigd: andere opleiding";
        EnrolmentEndedOther => "inschrijving_beeindigd_overig", "Inschrijving beëindigd: overig";
        BackToSchool => "terug_naar_school", "Terug naar school";
    }
}

impl Outcome {
    /// A proces-verbaal: police data (Wpg), kept separately classified and
    /// audited, counted in the artikel 25 report.
    pub const fn is_proces_verbaal(self) -> bool {
        matches!(
            self,
            Self::PvRelatiefVerzuim
                | Self::PvLuxeVerzuim
                | Self::AdditionalPv
                | Self::PvAbsoluutVerzuim
        )
    }

    /// Only a leerplichtambtenaar with the BOA flag may record it: the
    /// Halt-verwijzing and every proces-verbaal.
    pub const fn requires_boa(self) -> bool {
        self.is_proces_verbaal() || matches!(self, Self::HaltReferral)
    }

    /// Enforcement (handhaving): the warning, Halt and every PV. The
    /// administration records none of these.
    pub const fn is_enforcement(self) -> bool {
        self.requires_boa() || matches!(self, Self::Warning)
    }

    /// Whether the outcome ends the case. "Nog in behandeling" does not: it
    /// is the reporting code of a case still open.
    pub const fn closes_case(self) -> bool {
        !matches!(self, Self::StillInProgress)
    }

    /// Whether the outcome starts a vrijstelling case (the caller opens it).
    pub const fn starts_vrijstelling(self) -> bool {
        matches!(
            self,
            Self::StartVrijstelling
                | Self::StartVrijstelling5a
                | Self::StartVrijstelling5b
                | Self::StartVrijstelling5c
                | Self::StartVrijstelling15
        )
    }

    /// The article of the vrijstelling the outcome starts, when it names one.
    pub const fn vrijstelling_article(self) -> Option<VrijstellingArticle> {
        match self {
            Self::StartVrijstelling5a => Some(VrijstellingArticle::Art5a),
            Self::StartVrijstelling5b => Some(VrijstellingArticle::Art5b),
            Self::StartVrijstelling5c => Some(VrijstellingArticle::Art5c),
            Self::StartVrijstelling15 => Some(VrijstellingArticle::Art15),
            _ => None,
        }
    }
}

code_enum! {
    /// The outcome code lists of DOMAIN.md.
    pub enum OutcomeList: "uitkomstenlijst" {
        RelatiefVerzuim => "relatief_verzuim", "Relatief verzuim";
        AbsoluutVerzuim => "absoluut_verzuim", "Absoluut verzuim";
        Trajectbegeleiding => "trajectbegeleiding", "Trajectbegeleiding";
        OudVsvStatus => "oud_vsv_status", "Status oud-vsv'er na contact";
        AchttienPlusVerzuim => "achttien_plus_verzuim", "18+ verzuim";
    }
}

impl OutcomeList {
    /// The outcomes on this list, in DOMAIN.md's order.
    pub const fn outcomes(self) -> &'static [Outcome] {
        use Outcome as O;
        match self {
            Self::RelatiefVerzuim => &[
                O::PvRelatiefVerzuim,
                O::PvLuxeVerzuim,
                O::AdditionalPv,
                O::Warning,
                O::HaltReferral,
                O::NotBlameworthy,
                O::ReportedWrongly,
                O::HandoverToDoorstroompunt,
                O::Moved,
                O::StartVrijstelling,
                O::StillInProgress,
            ],
            Self::AbsoluutVerzuim => &[
                O::EnrolledAtSchool,
                O::HandoverToOtherMunicipality,
                O::DeregisteredFromBrp,
                O::ReportedWrongly,
                O::StartVrijstelling5a,
                O::StartVrijstelling5b,
                O::StartVrijstelling5c,
                O::StartVrijstelling15,
                O::HandoverToDoorstroompunt,
                O::PvAbsoluutVerzuim,
                O::NotBlameworthy,
                O::StartkwalificatieNotFeasible,
                O::StillInProgress,
            ],
            Self::Trajectbegeleiding => &[
                O::Education,
                O::Work,
                O::MunicipalProgramme,
                O::ExternalSupport,
                O::Unwilling,
                O::Unreachable,
                O::Other,
            ],
            Self::OudVsvStatus => &[
                O::Working,
                O::InEducation,
                O::ProgrammeElsewhere,
                O::DeclinesSupport,
                O::MovedOutOfRegionOrGroup,
                O::Other,
                O::NotReached,
            ],
            Self::AchttienPlusVerzuim => &[
                O::ReportedWrongly,
                O::EnrolmentEndedForWork,
                O::EnrolmentEndedForOtherEducation,
                O::EnrolmentEndedOther,
                O::BackToSchool,
                O::Other,
            ],
        }
    }
}

/// The outcome lists a case uses, by its kind and soort.
///
/// - Verzuim: by [`VerzuimKind::outcome_lists`]; a thuiszitter can be either
///   unenrolled or absent while enrolled, so gets both verzuim lists.
/// - VSV: by [`VsvKind::outcome_lists`].
/// - Vrijstelling and informatie en advies: DOMAIN.md names no outcome list
///   (a vrijstelling's decision is its own status), so none.
///
/// A verzuim or vsv case whose soort is not yet known gets no list: the
/// consultant picks the soort first.
pub fn outcome_lists(
    kind: CaseKind,
    verzuim_kind: Option<VerzuimKind>,
    vsv_kind: Option<VsvKind>,
) -> &'static [OutcomeList] {
    match kind {
        CaseKind::Verzuim => verzuim_kind.map_or(&[], VerzuimKind::outcome_lists),
        CaseKind::Vsv => vsv_kind.map_or(&[], VsvKind::outcome_lists),
        CaseKind::Vrijstelling | CaseKind::InformatieAdvies => &[],
    }
}

/// Every outcome allowed for a case of this kind and soort, once each, in
/// list order (for the outcome picker).
pub fn allowed_outcomes(
    kind: CaseKind,
    verzuim_kind: Option<VerzuimKind>,
    vsv_kind: Option<VsvKind>,
) -> Vec<Outcome> {
    let mut outcomes: Vec<Outcome> = Vec::new();
    for list in outcome_lists(kind, verzuim_kind, vsv_kind) {
        for outcome in list.outcomes() {
            if !outcomes.contains(outcome) {
                outcomes.push(*outcome);
            }
        }
    }
    outcomes
}

/// Why an outcome cannot be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum OutcomeRejected {
    #[error("Deze uitkomst hoort niet bij dit soort zaak")]
    NotForThisCase,
    #[error("Alleen een leerplichtambtenaar met BOA-bevoegdheid kan dit vastleggen")]
    NeedsBoa,
    #[error("Een administratief medewerker legt geen handhaving vast")]
    RoleRecordsNoEnforcement,
    #[error("Een beheerder legt geen uitkomsten van zaken vast")]
    RoleRecordsNoOutcomes,
}

impl OutcomeRejected {
    /// A stable code for the front end's `{ code, message }`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::NotForThisCase => "uitkomst_past_niet",
            Self::NeedsBoa => "alleen_boa",
            Self::RoleRecordsNoEnforcement => "rol_geen_handhaving",
            Self::RoleRecordsNoOutcomes => "rol_geen_uitkomsten",
        }
    }
}

/// Whether `user` may record `outcome` on `case`: the outcome must be on one
/// of the case's lists, and the user's role and BOA flag must allow it.
pub fn check_outcome(case: &Case, outcome: Outcome, user: &User) -> Result<(), OutcomeRejected> {
    if !case.allowed_outcomes().contains(&outcome) {
        return Err(OutcomeRejected::NotForThisCase);
    }
    user.may_record(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_is_on_at_least_one_list() {
        for outcome in Outcome::all() {
            assert!(
                OutcomeList::all()
                    .iter()
                    .any(|l| l.outcomes().contains(outcome)),
                "{outcome:?}"
            );
        }
    }

    #[test]
    fn no_list_names_an_outcome_twice() {
        for list in OutcomeList::all() {
            let outcomes = list.outcomes();
            for o in outcomes {
                assert_eq!(
                    outcomes.iter().filter(|x| *x == o).count(),
                    1,
                    "{list:?} {o:?}"
                );
            }
        }
    }

    #[test]
    fn halt_and_every_pv_need_a_boa_and_nothing_else_does() {
        let boa: Vec<Outcome> = Outcome::all()
            .iter()
            .copied()
            .filter(|o| o.requires_boa())
            .collect();
        assert_eq!(
            boa,
            [
                Outcome::PvRelatiefVerzuim,
                Outcome::PvLuxeVerzuim,
                Outcome::AdditionalPv,
                Outcome::HaltReferral,
                Outcome::PvAbsoluutVerzuim,
            ]
        );
        assert!(!Outcome::HaltReferral.is_proces_verbaal());
        assert!(Outcome::Warning.is_enforcement() && !Outcome::Warning.requires_boa());
    }

    #[test]
    fn luxe_verzuim_closes_with_the_relatief_list_and_absoluut_with_its_own() {
        let luxe = allowed_outcomes(CaseKind::Verzuim, Some(VerzuimKind::Luxe), None);
        assert_eq!(luxe, OutcomeList::RelatiefVerzuim.outcomes());
        let absoluut = allowed_outcomes(CaseKind::Verzuim, Some(VerzuimKind::Absoluut), None);
        assert_eq!(absoluut, OutcomeList::AbsoluutVerzuim.outcomes());
        assert!(absoluut.contains(&Outcome::StartVrijstelling5c));
        assert!(!absoluut.contains(&Outcome::HaltReferral));
    }

    #[test]
    fn a_thuiszitter_gets_both_verzuim_lists_without_repeats() {
        let both = allowed_outcomes(CaseKind::Verzuim, Some(VerzuimKind::Thuiszitter), None);
        for o in OutcomeList::RelatiefVerzuim
            .outcomes()
            .iter()
            .chain(OutcomeList::AbsoluutVerzuim.outcomes())
        {
            assert_eq!(both.iter().filter(|x| *x == o).count(), 1, "{o:?}");
        }
    }

    #[test]
    fn vsv_cases_use_trajectbegeleiding_or_the_oud_vsv_status() {
        let tb = allowed_outcomes(CaseKind::Vsv, None, Some(VsvKind::Trajectbegeleiding));
        assert_eq!(tb, OutcomeList::Trajectbegeleiding.outcomes());
        let oud = allowed_outcomes(CaseKind::Vsv, None, Some(VsvKind::OudVsver));
        assert_eq!(oud, OutcomeList::OudVsvStatus.outcomes());
        assert_eq!(
            allowed_outcomes(CaseKind::Verzuim, Some(VerzuimKind::AchttienPlus), None),
            OutcomeList::AchttienPlusVerzuim.outcomes()
        );
    }

    #[test]
    fn a_case_without_its_soort_or_without_a_list_offers_no_outcomes() {
        assert!(allowed_outcomes(CaseKind::Verzuim, None, None).is_empty());
        assert!(allowed_outcomes(CaseKind::Vsv, None, None).is_empty());
        assert!(allowed_outcomes(CaseKind::Vrijstelling, None, None).is_empty());
        assert!(allowed_outcomes(CaseKind::InformatieAdvies, None, None).is_empty());
    }

    #[test]
    fn starting_a_vrijstelling_names_the_article_when_the_outcome_does() {
        assert_eq!(
            Outcome::StartVrijstelling5c.vrijstelling_article(),
            Some(VrijstellingArticle::Art5c)
        );
        assert_eq!(Outcome::StartVrijstelling.vrijstelling_article(), None);
        assert!(Outcome::StartVrijstelling.starts_vrijstelling());
        assert!(!Outcome::StillInProgress.closes_case());
    }
}
