//! Linking a new melding to a case.
//!
//! DOMAIN.md: a new melding for a youth with an open case of the same
//! werkproces is **linked to it, not opened as a new case** (one bureau:
//! 1,046 meldingen became 794 werkprocessen). The server's CSV import follows
//! the same rule.

use serde::{Deserialize, Serialize};

use crate::case::{Case, CaseKind};
use crate::ids::{CaseId, YouthId};

/// What to do with a new melding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", content = "case_id", rename_all = "snake_case")]
pub enum MeldingLink {
    /// Add the melding to this open case.
    Link(CaseId),
    /// Open a new case for it.
    NewCase,
}

/// Where a new melding of werkproces `kind` for `youth_id` goes, given the
/// cases known for the youth. Cases of other youth in `cases` are ignored.
///
/// With several open cases of the same werkproces (which should not happen,
/// but sync can merge two devices' work) the oldest is chosen, by opening
/// date and then id, so every device decides the same.
pub fn link_melding(youth_id: &YouthId, cases: &[Case], kind: CaseKind) -> MeldingLink {
    cases
        .iter()
        .filter(|c| &c.youth_id == youth_id && c.kind == kind && c.is_open())
        .min_by(|a, b| (a.opened_on, &a.id).cmp(&(b.opened_on, &b.id)))
        .map_or(MeldingLink::NewCase, |c| MeldingLink::Link(c.id.clone()))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn case(id: &str, youth: &str, kind: CaseKind, opened: NaiveDate) -> Case {
        Case::open(
            CaseId::parse(id).expect("id"),
            YouthId::parse(youth).expect("id"),
            kind,
            opened,
        )
    }

    fn youth(id: &str) -> YouthId {
        YouthId::parse(id).expect("id")
    }

    #[test]
    fn a_melding_joins_the_open_case_of_the_same_werkproces() {
        let cases = [
            case("c-vsv", "y1", CaseKind::Vsv, d(2026, 1, 5)),
            case("c-verzuim", "y1", CaseKind::Verzuim, d(2026, 2, 1)),
        ];
        assert_eq!(
            link_melding(&youth("y1"), &cases, CaseKind::Verzuim),
            MeldingLink::Link(CaseId::parse("c-verzuim").expect("id"))
        );
    }

    #[test]
    fn a_melding_opens_a_new_case_when_the_only_match_is_closed_or_another_werkproces() {
        let mut closed = case("c1", "y1", CaseKind::Verzuim, d(2025, 9, 1));
        closed.closed_on = Some(d(2025, 12, 1));
        let cases = [closed, case("c2", "y1", CaseKind::Vsv, d(2026, 1, 5))];
        assert_eq!(
            link_melding(&youth("y1"), &cases, CaseKind::Verzuim),
            MeldingLink::NewCase
        );
        assert_eq!(
            link_melding(&youth("y1"), &[], CaseKind::Verzuim),
            MeldingLink::NewCase
        );
    }

    #[test]
    fn a_melding_never_joins_a_case_of_another_youth() {
        let cases = [case("c1", "y2", CaseKind::Verzuim, d(2026, 1, 5))];
        assert_eq!(
            link_melding(&youth("y1"), &cases, CaseKind::Verzuim),
            MeldingLink::NewCase
        );
    }

    #[test]
    fn with_two_open_cases_the_oldest_is_chosen_whatever_the_order() {
        let older = case("c-b", "y1", CaseKind::Verzuim, d(2025, 10, 1));
        let newer = case("c-a", "y1", CaseKind::Verzuim, d(2026, 1, 5));
        let expected = MeldingLink::Link(older.id.clone());
        assert_eq!(
            link_melding(
                &youth("y1"),
                &[newer.clone(), older.clone()],
                CaseKind::Verzuim
            ),
            expected
        );
        assert_eq!(
            link_melding(&youth("y1"), &[older, newer], CaseKind::Verzuim),
            expected
        );
    }
}
