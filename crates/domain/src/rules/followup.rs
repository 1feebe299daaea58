//! Follow-up: the tasks the rules propose after field work, and the periodic
//! cadences. Every function returns [`ProposedTask`]s for the UI to show
//! before saving; nothing is created behind the consultant's back.
//!
//! Sources: DOMAIN.md, "Field work the app must carry offline" (the bureaus'
//! routines as their annual reports describe them), and the Leerplichtwet for
//! vrijstellingen (art. 6 lid 2 onder b: the notice is renewed every year
//! before 1 July).
//!
//! Every due date is a working day (see [`super::calendar`]): periods
//! counted forward ("after half a year") move to the next working day,
//! periods counted back ("3 months before the 18th birthday") to the one
//! before, so the margin the rule asks for is kept.
//!
//! Where DOMAIN.md gives no number, the constants below hold the bureau's
//! working default, marked as such; they are the one place to change it.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::age::birthday;
use super::calendar::{
    add_working_days, previous_working_day, within_one_working_day, working_day_on_or_after,
    working_day_on_or_before,
};
use super::dates::{add_days, add_months, sub_months, ymd};
use super::school_year::SchoolYear;
use crate::case::{Case, CaseKind, VerzuimKind};
use crate::code::code_enum;
use crate::contact::{Consent, ConsentScope, ContactMoment, ContactOutcome, LetterKind};
use crate::task::{ProposedTask, TaskKind};
use crate::vrijstelling::{Vrijstelling, VrijstellingArticle, VrijstellingStatus};

/// VSV, nobody home and no reaction: the next visit after half a year.
pub const VSV_NEXT_VISIT_MONTHS: u32 = 6;
/// VSV with a care (zorg) concern: the next visit sooner, after 4 weeks.
/// DOMAIN.md says only "sooner"; 4 weeks is the bureau's working default.
pub const VSV_CARE_NEXT_VISIT_DAYS: u64 = 28;
/// Verzuim other than luxe, nobody home: check for a reaction after a
/// working week. DOMAIN.md gives no term; this is the working default.
pub const NOT_HOME_CHECK_WORKING_DAYS: u32 = 5;
/// "Verhuisd of onbekend adres": look up the new address within a working
/// week. Working default.
pub const ADDRESS_CHECK_WORKING_DAYS: u32 = 5;
/// Monitoring contact every 3 months.
pub const MONITORING_MONTHS: u32 = 3;
/// Tussenjaar: re-contact after 1 year, with consent.
pub const TUSSENJAAR_MONTHS: u32 = 12;
/// Vrijstellingen: contact the youth 3 months before the 18th birthday.
pub const BEFORE_18_MONTHS: u32 = 3;
/// Thuiszitters: flag "> 3 maanden"; a suitable offer within 3 months.
pub const THUISZITTER_MONTHS: u32 = 3;
/// Unanswered invitations that make an escalation proposal.
pub const INVITATIONS_BEFORE_ESCALATION: usize = 3;

/// Proposed tasks after a home visit on `visited_on` with `outcome`.
///
/// - Nobody home (a card went in the letterbox):
///   - luxe verzuim: the card asks the family to call within one working
///     day; a check is due at the end of the next working day;
///   - vsv: the next visit after half a year, or after 4 weeks when
///     `care_concern` (a zorg signal) is set;
///   - any other case: a check after a working week (working default).
/// - Moved or unknown address: look up the new address.
/// - Any other outcome (spoken, refused): nothing; the consultant decides.
pub fn followup_after_home_visit(
    case: &Case,
    visited_on: NaiveDate,
    outcome: ContactOutcome,
    care_concern: bool,
) -> Vec<ProposedTask> {
    match outcome {
        ContactOutcome::NotHome => vec![not_home(case, visited_on, care_concern)],
        ContactOutcome::MovedOrUnknownAddress => vec![ProposedTask::new(
            TaskKind::CheckAddress,
            "Nieuw adres nagaan in de BRP",
            "Bij het huisbezoek bleek de jongere verhuisd of het adres onbekend. Zoek het nieuwe adres op, \
             zodat de zaak verder kan of kan worden overgedragen.",
            add_working_days(visited_on, ADDRESS_CHECK_WORKING_DAYS),
        )],
        _ => Vec::new(),
    }
}

fn not_home(case: &Case, visited_on: NaiveDate, care_concern: bool) -> ProposedTask {
    match case.kind {
        CaseKind::Verzuim if case.verzuim_kind == Some(VerzuimKind::Luxe) => ProposedTask::new(
            TaskKind::CheckReaction,
            "Nagaan of het gezin contact heeft opgenomen",
            "Niemand thuis bij de controle op luxe verzuim. Het kaartje vraagt het gezin om binnen één werkdag \
             contact op te nemen. Is er aan het eind van de volgende werkdag geen contact, neem dan de volgende stap.",
            within_one_working_day(visited_on),
        ),
        CaseKind::Vsv if care_concern => ProposedTask::new(
            TaskKind::HomeVisit,
            "Nieuw huisbezoek binnen 4 weken",
            "Niemand thuis en er zijn zorgen. Daarom volgt het volgende huisbezoek na 4 weken, \
             niet pas na een half jaar. Elke reactie maakt dit bezoek overbodig.",
            working_day_on_or_after(add_days(visited_on, VSV_CARE_NEXT_VISIT_DAYS)),
        ),
        CaseKind::Vsv => ProposedTask::new(
            TaskKind::HomeVisit,
            "Nieuw huisbezoek na een half jaar",
            "Niemand thuis; er zit een kaartje in de bus. Komt er geen reactie, \
             dan volgt na een half jaar een nieuw huisbezoek.",
            working_day_on_or_after(add_months(visited_on, VSV_NEXT_VISIT_MONTHS)),
        ),
        _ => ProposedTask::new(
            TaskKind::CheckReaction,
            "Nagaan of het gezin heeft gereageerd",
            "Niemand thuis; er zit een kaartje in de bus. Kijk na een werkweek of het gezin contact heeft opgenomen.",
            add_working_days(visited_on, NOT_HOME_CHECK_WORKING_DAYS),
        ),
    }
}

/// The 3-week outreach sequence for a new vsv'er starting on `start`
/// (DOMAIN.md): week 1 two WhatsApp messages and two calls, or without a
/// phone number a letter explaining the support; week 2 a letter announcing
/// the home visit at the top; week 3 the home visit. Any reaction ends the
/// sequence: the UI then drops the remaining tasks.
pub fn vsv_outreach_plan(start: NaiveDate, has_phone: bool) -> Vec<ProposedTask> {
    let first = working_day_on_or_after(start);
    let mut plan = Vec::with_capacity(6);
    if has_phone {
        let second = add_working_days(first, 2);
        plan.extend([
            ProposedTask::new(
                TaskKind::WhatsApp,
                "Eerste WhatsApp-bericht",
                OUTREACH_WEEK_1,
                first,
            ),
            ProposedTask::new(TaskKind::Call, "Eerste keer bellen", OUTREACH_WEEK_1, first),
            ProposedTask::new(
                TaskKind::WhatsApp,
                "Tweede WhatsApp-bericht",
                OUTREACH_WEEK_1,
                second,
            ),
            ProposedTask::new(
                TaskKind::Call,
                "Tweede keer bellen",
                OUTREACH_WEEK_1,
                second,
            ),
        ]);
    } else {
        plan.push(
            ProposedTask::new(
                TaskKind::Letter,
                "Kennismakingsbrief sturen",
                "Er is geen telefoonnummer bekend. Stuur een brief die uitlegt wat het Doorstroompunt kan doen, \
                 met de contactgegevens. Elke reactie stopt de reeks.",
                first,
            )
            .with_letter(LetterKind::DoorstroompuntIntroduction),
        );
    }
    plan.push(
        ProposedTask::new(
            TaskKind::Letter,
            "Brief met aankondiging huisbezoek",
            "Week 2: een tweede brief. Zet de aankondiging van het huisbezoek bovenaan de brief; \
             dat werkt aantoonbaar beter. Elke reactie stopt de reeks.",
            working_day_on_or_after(add_days(start, 7)),
        )
        .with_letter(LetterKind::HomeVisitAnnouncement),
    );
    plan.push(ProposedTask::new(
        TaskKind::HomeVisit,
        "Huisbezoek",
        "Week 3: nog geen reactie, dan een huisbezoek. Is er niemand thuis, laat dan een kaartje achter.",
        working_day_on_or_after(add_days(start, 14)),
    ));
    plan
}

const OUTREACH_WEEK_1: &str = "Week 1 van de kennismaking: twee WhatsApp-berichten en twee keer bellen. \
                               Elke reactie stopt de reeks.";

code_enum! {
    /// The steps of the escalation ladder (MAS: "licht waar mogelijk, zwaarder
    /// indien nodig").
    pub enum EscalationStep: "stap in de aanpak" {
        Agreements => "afspraken", "Afspraken maken";
        OfficialWarning => "officiele_waarschuwing", "Officiële waarschuwing";
        HaltOrPv => "halt_of_pv", "Halt of proces-verbaal";
    }
}

impl EscalationStep {
    /// The next step up; the last step stays.
    pub const fn next(self) -> Self {
        match self {
            Self::Agreements => Self::OfficialWarning,
            Self::OfficialWarning | Self::HaltOrPv => Self::HaltOrPv,
        }
    }
}

/// What to do after invitations went unanswered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationProposal {
    pub invitations_without_reaction: usize,
    /// The step up the ladder for leerplicht verzuim; `None` where there is
    /// no enforcement (vsv, 18+), which gets a home visit instead.
    pub next_step: Option<EscalationStep>,
    pub task: ProposedTask,
}

/// An escalation proposal when at least three invitations of `case` went out
/// since the last reaction, up to `on` (DOMAIN.md: "three invitations without
/// reaction escalate"). `reached` is the highest step of the ladder already
/// taken in the case, if any. Contacts of other cases are ignored.
///
/// Invitations are contact moments with a letter or message that asks for a
/// reaction ([`ContactMoment::is_invitation`]); any reaction resets the count.
/// The proposal stands on every call until a reaction comes in: the UI shows
/// it until the consultant records the step (and passes it as `reached`).
pub fn escalation_after_invitations(
    case: &Case,
    contacts: &[ContactMoment],
    reached: Option<EscalationStep>,
    on: NaiveDate,
) -> Option<EscalationProposal> {
    let mut own: Vec<&ContactMoment> = contacts
        .iter()
        .filter(|c| c.case_id == case.id && c.date() <= on)
        .collect();
    own.sort_by_key(|c| c.occurred_at);
    let after_last_reaction = own
        .iter()
        .rposition(|c| c.is_reaction())
        .map_or(0, |i| i + 1);
    let unanswered = own[after_last_reaction..]
        .iter()
        .filter(|c| c.is_invitation())
        .count();
    if unanswered < INVITATIONS_BEFORE_ESCALATION {
        return None;
    }
    let due = within_one_working_day(on);
    let enforceable =
        case.kind == CaseKind::Verzuim && case.verzuim_kind != Some(VerzuimKind::AchttienPlus);
    if enforceable {
        let step = reached.map_or(EscalationStep::OfficialWarning, EscalationStep::next);
        let explanation = format!(
            "Er zijn {unanswered} uitnodigingen verstuurd zonder reactie. Volgende stap in de aanpak \
             (licht waar mogelijk, zwaarder indien nodig): {}.",
            step.label()
        );
        Some(EscalationProposal {
            invitations_without_reaction: unanswered,
            next_step: Some(step),
            task: ProposedTask::new(
                TaskKind::Escalation,
                "Geen reactie op uitnodigingen: volgende stap",
                &explanation,
                due,
            ),
        })
    } else {
        let explanation = format!(
            "Er zijn {unanswered} uitnodigingen verstuurd zonder reactie. Ga langs; \
             is er niemand thuis, laat dan een kaartje achter."
        );
        Some(EscalationProposal {
            invitations_without_reaction: unanswered,
            next_step: None,
            task: ProposedTask::new(
                TaskKind::HomeVisit,
                "Geen reactie op uitnodigingen: huisbezoek plannen",
                &explanation,
                due,
            ),
        })
    }
}

/// The next monitoring contact, 3 months after `from` (the last contact).
pub fn monitoring_task(from: NaiveDate) -> ProposedTask {
    ProposedTask::new(
        TaskKind::Monitoring,
        "Monitoring: contact opnemen",
        "Elke 3 maanden is er contact om te horen hoe het gaat.",
        working_day_on_or_after(add_months(from, MONITORING_MONTHS)),
    )
}

/// Re-contact after a tussenjaar: one year after `spoken_on`, **only** with a
/// re-contact consent valid on that day among the youth's `consents`.
/// Without consent there is no task: the bureau may not contact the youth
/// again on its own initiative.
pub fn tussenjaar_recontact(spoken_on: NaiveDate, consents: &[Consent]) -> Option<ProposedTask> {
    let consented = consents
        .iter()
        .any(|c| c.scope == ConsentScope::Recontact && c.is_valid_on(spoken_on));
    consented.then(|| {
        ProposedTask::new(
            TaskKind::Recontact,
            "Opnieuw contact na het tussenjaar",
            "De jongere nam een tussenjaar en gaf toestemming om na een jaar opnieuw contact op te nemen. \
             Kijk voor het contact of de toestemming nog geldt.",
            working_day_on_or_after(add_months(spoken_on, TUSSENJAAR_MONTHS)),
        )
    })
}

/// Contact 3 months before the 18th birthday for a granted vrijstelling
/// (DOMAIN.md): the vrijstelling ends at 18 and the youth needs to know what
/// comes next. `None` when not granted or when the youth is 18 by `on`.
/// When `on` is already past the target date, the task is due on the first
/// working day from `on`.
pub fn pre18_vrijstelling_contact(
    birth_date: NaiveDate,
    vrijstelling: &Vrijstelling,
    on: NaiveDate,
) -> Option<ProposedTask> {
    let eighteen = birthday(birth_date, 18);
    if vrijstelling.status != VrijstellingStatus::Granted || on >= eighteen {
        return None;
    }
    let target = working_day_on_or_before(sub_months(eighteen, BEFORE_18_MONTHS));
    Some(ProposedTask::new(
        TaskKind::ContactBefore18,
        "Contact voor de 18e verjaardag",
        "De vrijstelling stopt als de jongere 18 wordt. Neem 3 maanden van tevoren contact op over wat daarna komt.",
        target.max(working_day_on_or_after(on)),
    ))
}

/// The last working day before 1 July that ends `year`: the deadline for
/// renewing a vrijstelling for the next school year (art. 6 lid 2 onder b).
fn renewal_deadline(year: SchoolYear) -> NaiveDate {
    previous_working_day(ymd(year.end().year(), 7, 1))
}

/// The next yearly renewal check of a granted vrijstelling 5 onder c, on or
/// after `on`: due on the last working day before 1 July, for the following
/// school year. `None` for other articles, ungranted vrijstellingen, and
/// when the youth is 18 by the start of the school year it would be for
/// (DOMAIN.md: renew every school year until 18).
pub fn next_5c_renewal(
    birth_date: NaiveDate,
    vrijstelling: &Vrijstelling,
    on: NaiveDate,
) -> Option<ProposedTask> {
    if vrijstelling.article != VrijstellingArticle::Art5c
        || vrijstelling.status != VrijstellingStatus::Granted
    {
        return None;
    }
    let current = SchoolYear::of(on);
    let year = if renewal_deadline(current) >= on {
        current
    } else {
        current.next()
    };
    let renews_for = year.next();
    if birthday(birth_date, 18) <= renews_for.start() {
        return None;
    }
    let explanation = format!(
        "Een vrijstelling 5 onder c (school in het buitenland) moet elk jaar voor 1 juli opnieuw worden gemeld. \
         Dit is voor schooljaar {renews_for}."
    );
    Some(ProposedTask::new(
        TaskKind::Renewal5c,
        "Verlenging vrijstelling 5 onder c nagaan",
        &explanation,
        renewal_deadline(year),
    ))
}

/// The "> 3 maanden" flag: a thuiszitter since `since` has been home more
/// than 3 months on `on`.
pub fn thuiszitter_longer_than_three_months(since: NaiveDate, on: NaiveDate) -> bool {
    on > add_months(since, THUISZITTER_MONTHS)
}

/// The target date for a suitable offer to a thuiszitter since `since`:
/// within 3 months, so the working day on or before that.
pub fn thuiszitter_offer_due(since: NaiveDate) -> NaiveDate {
    working_day_on_or_before(add_months(since, THUISZITTER_MONTHS))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;

    use super::*;
    use crate::contact::{ConsentGiver, ContactKind};
    use crate::ids::{CaseId, ConsentId, ContactMomentId, UserId, VrijstellingId, YouthId};
    use crate::rules::calendar::{holiday, is_working_day};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn every_day(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
        from.iter_days().take_while(move |day| *day <= to)
    }

    fn case(kind: CaseKind, verzuim: Option<VerzuimKind>) -> Case {
        let mut case = Case::open(
            CaseId::parse("c1").expect("id"),
            YouthId::parse("y1").expect("id"),
            kind,
            d(2020, 1, 1),
        );
        case.verzuim_kind = verzuim;
        case
    }

    fn at(date: NaiveDate, hour: u32) -> NaiveDateTime {
        date.and_hms_opt(hour, 0, 0).expect("valid time")
    }

    fn contact(
        case_id: &str,
        when: NaiveDateTime,
        kind: ContactKind,
        outcome: ContactOutcome,
        letter: Option<LetterKind>,
    ) -> ContactMoment {
        ContactMoment {
            id: ContactMomentId::parse("m").expect("id"),
            case_id: CaseId::parse(case_id).expect("id"),
            kind,
            occurred_at: when,
            outcome,
            letter,
            user_id: UserId::parse("u1").expect("id"),
            note: None,
        }
    }

    fn invitation(when: NaiveDateTime) -> ContactMoment {
        contact(
            "c1",
            when,
            ContactKind::Letter,
            ContactOutcome::Sent,
            Some(LetterKind::InvitationToTalk),
        )
    }

    fn vrijstelling(article: VrijstellingArticle, status: VrijstellingStatus) -> Vrijstelling {
        Vrijstelling {
            id: VrijstellingId::parse("v1").expect("id"),
            case_id: CaseId::parse("c1").expect("id"),
            youth_id: YouthId::parse("y1").expect("id"),
            article,
            status,
            requested_on: d(2024, 6, 1),
            decided_on: None,
            school_year: None,
            ends_on: None,
        }
    }

    fn assert_working_day_after(due: NaiveDate, from: NaiveDate) {
        assert!(
            is_working_day(due),
            "{from} -> {due} is not a working day ({:?})",
            holiday(due)
        );
        assert!(due > from, "{from} -> {due} is not later");
    }

    #[test]
    fn luxe_verzuim_not_home_on_friday_is_checked_at_the_end_of_monday() {
        let tasks = followup_after_home_visit(
            &case(CaseKind::Verzuim, Some(VerzuimKind::Luxe)),
            d(2026, 12, 18),
            ContactOutcome::NotHome,
            false,
        );
        assert_eq!(tasks.len(), 1);
        assert_eq!(
            (tasks[0].kind, tasks[0].due_on),
            (TaskKind::CheckReaction, d(2026, 12, 21))
        );
    }

    #[test]
    fn luxe_verzuim_not_home_before_christmas_is_checked_after_the_holidays() {
        let tasks = followup_after_home_visit(
            &case(CaseKind::Verzuim, Some(VerzuimKind::Luxe)),
            d(2026, 12, 24),
            ContactOutcome::NotHome,
            false,
        );
        assert_eq!(
            tasks.iter().map(|t| t.due_on).collect::<Vec<_>>(),
            [d(2026, 12, 28)]
        );
    }

    #[test]
    fn vsv_not_home_is_visited_again_after_half_a_year_or_four_weeks_with_care_concern() {
        let vsv = case(CaseKind::Vsv, None);
        let plain = followup_after_home_visit(&vsv, d(2026, 3, 10), ContactOutcome::NotHome, false);
        assert_eq!(
            plain.iter().map(|t| (t.kind, t.due_on)).collect::<Vec<_>>(),
            [(TaskKind::HomeVisit, d(2026, 9, 10))]
        );
        let care = followup_after_home_visit(&vsv, d(2026, 3, 10), ContactOutcome::NotHome, true);
        assert_eq!(
            care.iter().map(|t| t.due_on).collect::<Vec<_>>(),
            [d(2026, 4, 7)]
        );
        // Half a year after Sunday 8 February 2026 is Saturday 8 August:
        // moved to Monday 10 August.
        let sunday = followup_after_home_visit(&vsv, d(2026, 2, 8), ContactOutcome::NotHome, false);
        assert_eq!(
            sunday.iter().map(|t| t.due_on).collect::<Vec<_>>(),
            [d(2026, 8, 10)]
        );
    }

    #[test]
    fn a_conversation_or_a_refusal_proposes_nothing_and_a_move_proposes_an_address_check() {
        let vsv = case(CaseKind::Vsv, None);
        for outcome in [
            ContactOutcome::SpokeWithYouth,
            ContactOutcome::SpokeWithParent,
            ContactOutcome::Refused,
        ] {
            assert!(followup_after_home_visit(&vsv, d(2026, 3, 10), outcome, false).is_empty());
        }
        let moved = followup_after_home_visit(
            &vsv,
            d(2026, 3, 10),
            ContactOutcome::MovedOrUnknownAddress,
            false,
        );
        assert_eq!(
            moved.iter().map(|t| (t.kind, t.due_on)).collect::<Vec<_>>(),
            [(TaskKind::CheckAddress, d(2026, 3, 17))]
        );
    }

    #[test]
    fn no_follow_up_due_date_lands_on_a_weekend_or_holiday_or_before_the_visit() {
        let cases = [
            case(CaseKind::Verzuim, Some(VerzuimKind::Luxe)),
            case(CaseKind::Verzuim, Some(VerzuimKind::Absoluut)),
            case(CaseKind::Verzuim, None),
            case(CaseKind::Vsv, None),
            case(CaseKind::Vrijstelling, None),
        ];
        for day in every_day(d(2024, 1, 1), d(2031, 12, 31)) {
            for case in &cases {
                for care in [false, true] {
                    for outcome in [
                        ContactOutcome::NotHome,
                        ContactOutcome::MovedOrUnknownAddress,
                    ] {
                        let tasks = followup_after_home_visit(case, day, outcome, care);
                        assert_eq!(tasks.len(), 1);
                        for task in tasks {
                            assert_working_day_after(task.due_on, day);
                        }
                    }
                }
            }
            assert_working_day_after(monitoring_task(day).due_on, day);
            for task in vsv_outreach_plan(day, true)
                .into_iter()
                .chain(vsv_outreach_plan(day, false))
            {
                assert!(is_working_day(task.due_on) && task.due_on >= day, "{day}");
            }
            assert!(is_working_day(thuiszitter_offer_due(day)) && thuiszitter_offer_due(day) > day);
        }
    }

    #[test]
    fn the_outreach_plan_takes_three_weeks_in_order() {
        let start = d(2026, 9, 7); // Monday
        let plan = vsv_outreach_plan(start, true);
        let summary: Vec<(TaskKind, NaiveDate)> = plan.iter().map(|t| (t.kind, t.due_on)).collect();
        assert_eq!(
            summary,
            [
                (TaskKind::WhatsApp, d(2026, 9, 7)),
                (TaskKind::Call, d(2026, 9, 7)),
                (TaskKind::WhatsApp, d(2026, 9, 9)),
                (TaskKind::Call, d(2026, 9, 9)),
                (TaskKind::Letter, d(2026, 9, 14)),
                (TaskKind::HomeVisit, d(2026, 9, 21)),
            ]
        );
        assert_eq!(plan[4].letter, Some(LetterKind::HomeVisitAnnouncement));
        let no_phone = vsv_outreach_plan(start, false);
        assert_eq!(
            no_phone[0].letter,
            Some(LetterKind::DoorstroompuntIntroduction)
        );
        assert_eq!(no_phone.len(), 3);
        for plan in [plan, no_phone] {
            assert!(plan.windows(2).all(|w| w[0].due_on <= w[1].due_on));
        }
    }

    #[test]
    fn three_invitations_without_reaction_propose_the_next_step_up_the_ladder() {
        let verzuim = case(CaseKind::Verzuim, Some(VerzuimKind::Wettelijk));
        let invites = [
            invitation(at(d(2026, 3, 2), 9)),
            invitation(at(d(2026, 3, 9), 9)),
            invitation(at(d(2026, 3, 16), 9)),
        ];
        assert_eq!(
            escalation_after_invitations(&verzuim, &invites[..2], None, d(2026, 3, 20)),
            None
        );
        let proposal = escalation_after_invitations(&verzuim, &invites, None, d(2026, 3, 20));
        assert_eq!(
            proposal.as_ref().map(|p| p.invitations_without_reaction),
            Some(3)
        );
        assert_eq!(
            proposal.as_ref().and_then(|p| p.next_step),
            Some(EscalationStep::OfficialWarning)
        );
        assert_eq!(proposal.map(|p| p.task.due_on), Some(d(2026, 3, 23)));
        let after_warning = escalation_after_invitations(
            &verzuim,
            &invites,
            Some(EscalationStep::OfficialWarning),
            d(2026, 3, 20),
        );
        assert_eq!(
            after_warning.and_then(|p| p.next_step),
            Some(EscalationStep::HaltOrPv)
        );
    }

    #[test]
    fn a_reaction_resets_the_count_of_unanswered_invitations() {
        let verzuim = case(CaseKind::Verzuim, Some(VerzuimKind::Overig));
        let mut contacts = vec![
            invitation(at(d(2026, 3, 2), 9)),
            invitation(at(d(2026, 3, 9), 9)),
            contact(
                "c1",
                at(d(2026, 3, 10), 14),
                ContactKind::QrResponse,
                ContactOutcome::ReactionReceived,
                None,
            ),
            invitation(at(d(2026, 3, 16), 9)),
        ];
        assert_eq!(
            escalation_after_invitations(&verzuim, &contacts, None, d(2026, 3, 20)),
            None
        );
        contacts.push(invitation(at(d(2026, 3, 23), 9)));
        contacts.push(invitation(at(d(2026, 3, 30), 9)));
        contacts.reverse(); // order of the input does not matter
        assert!(escalation_after_invitations(&verzuim, &contacts, None, d(2026, 3, 31)).is_some());
        // Invitations of another case, later than `on`, or not asking for a reaction do not count.
        let others = vec![
            contact(
                "c2",
                at(d(2026, 3, 2), 9),
                ContactKind::Letter,
                ContactOutcome::Sent,
                Some(LetterKind::InvitationToTalk),
            ),
            invitation(at(d(2026, 4, 2), 9)),
            contact(
                "c1",
                at(d(2026, 3, 3), 9),
                ContactKind::Letter,
                ContactOutcome::Sent,
                Some(LetterKind::AppointmentConfirmation),
            ),
            invitation(at(d(2026, 3, 4), 9)),
            invitation(at(d(2026, 3, 5), 9)),
        ];
        assert_eq!(
            escalation_after_invitations(&verzuim, &others, None, d(2026, 3, 31)),
            None
        );
    }

    #[test]
    fn unanswered_invitations_to_a_vsver_propose_a_home_visit_not_enforcement() {
        let vsv = case(CaseKind::Vsv, None);
        let invites = [
            invitation(at(d(2026, 3, 2), 9)),
            invitation(at(d(2026, 3, 9), 9)),
            invitation(at(d(2026, 3, 16), 9)),
        ];
        let proposal = escalation_after_invitations(&vsv, &invites, None, d(2026, 3, 20));
        assert_eq!(proposal.as_ref().and_then(|p| p.next_step), None);
        assert_eq!(proposal.map(|p| p.task.kind), Some(TaskKind::HomeVisit));
    }

    #[test]
    fn tussenjaar_recontact_needs_a_valid_consent_and_comes_after_a_year() {
        let consent = Consent {
            id: ConsentId::parse("k1").expect("id"),
            youth_id: YouthId::parse("y1").expect("id"),
            scope: ConsentScope::Recontact,
            given_on: d(2026, 6, 1),
            given_by: ConsentGiver::Youth,
            contact_person_id: None,
            withdrawn_on: None,
            note: None,
        };
        assert_eq!(tussenjaar_recontact(d(2026, 6, 3), &[]), None);
        assert_eq!(
            tussenjaar_recontact(d(2026, 6, 3), std::slice::from_ref(&consent)).map(|t| t.due_on),
            Some(d(2027, 6, 3))
        );
        let school_only = Consent {
            scope: ConsentScope::ShareWithSchool,
            ..consent.clone()
        };
        assert_eq!(tussenjaar_recontact(d(2026, 6, 3), &[school_only]), None);
        let withdrawn = Consent {
            withdrawn_on: Some(d(2026, 6, 2)),
            ..consent
        };
        assert_eq!(tussenjaar_recontact(d(2026, 6, 3), &[withdrawn]), None);
    }

    #[test]
    fn pre_18_contact_is_three_months_before_the_birthday_on_a_working_day() {
        let granted = vrijstelling(VrijstellingArticle::Art5a, VrijstellingStatus::Granted);
        // 18 on Tuesday 14 March 2028: contact by Tuesday 14 December 2027.
        let task = pre18_vrijstelling_contact(d(2010, 3, 14), &granted, d(2026, 1, 1));
        assert_eq!(task.map(|t| t.due_on), Some(d(2027, 12, 14)));
        // 18 on 26 March 2028: three months before is Sunday 26 December 2027, moved back to Friday 24.
        let task = pre18_vrijstelling_contact(d(2010, 3, 26), &granted, d(2026, 1, 1));
        assert_eq!(task.map(|t| t.due_on), Some(d(2027, 12, 24)));
        // Late: due as soon as possible; 18 already: nothing; not granted: nothing.
        let late = pre18_vrijstelling_contact(d(2010, 3, 14), &granted, d(2028, 2, 1));
        assert_eq!(late.map(|t| t.due_on), Some(d(2028, 2, 1)));
        assert_eq!(
            pre18_vrijstelling_contact(d(2010, 3, 14), &granted, d(2028, 3, 14)),
            None
        );
        let requested = vrijstelling(VrijstellingArticle::Art5a, VrijstellingStatus::Requested);
        assert_eq!(
            pre18_vrijstelling_contact(d(2010, 3, 14), &requested, d(2026, 1, 1)),
            None
        );
    }

    #[test]
    fn a_5c_vrijstelling_is_renewed_before_1_july_every_school_year_until_18() {
        let granted = vrijstelling(VrijstellingArticle::Art5c, VrijstellingStatus::Granted);
        let birth = d(2012, 10, 1); // 18 on 1 October 2030
        let task = next_5c_renewal(birth, &granted, d(2026, 11, 1));
        assert_eq!(task.as_ref().map(|t| t.due_on), Some(d(2027, 6, 30)));
        assert!(task.is_some_and(|t| t.explanation.contains("2027-2028")));
        // After the deadline, the next year's: 30 June 2028 is a Friday.
        assert_eq!(
            next_5c_renewal(birth, &granted, d(2027, 7, 1)).map(|t| t.due_on),
            Some(d(2028, 6, 30))
        );
        // 30 June 2029 is a Saturday: the deadline moves back to Friday 29 June.
        assert_eq!(
            next_5c_renewal(birth, &granted, d(2029, 1, 1)).map(|t| t.due_on),
            Some(d(2029, 6, 29))
        );
        // For 2030-2031 the youth is still 17 on 1 August 2030: renew.
        assert_eq!(
            next_5c_renewal(birth, &granted, d(2029, 8, 1)).map(|t| t.due_on),
            Some(d(2030, 6, 28))
        );
        // For 2031-2032 the youth is 18: no renewal.
        assert_eq!(next_5c_renewal(birth, &granted, d(2030, 8, 1)), None);
        let other = vrijstelling(VrijstellingArticle::Art5a, VrijstellingStatus::Granted);
        assert_eq!(next_5c_renewal(birth, &other, d(2026, 11, 1)), None);
    }

    #[test]
    fn periodic_due_dates_for_many_birth_dates_are_working_days() {
        let granted_5c = vrijstelling(VrijstellingArticle::Art5c, VrijstellingStatus::Granted);
        for birth in every_day(d(2006, 1, 1), d(2014, 12, 31)).step_by(3) {
            for on in [
                d(2024, 2, 29),
                d(2025, 7, 1),
                d(2026, 6, 30),
                d(2027, 12, 27),
            ] {
                if let Some(task) = pre18_vrijstelling_contact(birth, &granted_5c, on) {
                    assert!(
                        is_working_day(task.due_on) && task.due_on >= on,
                        "{birth} {on}"
                    );
                    assert!(
                        task.due_on < birthday(birth, 18)
                            || task.due_on <= working_day_on_or_after(on)
                    );
                }
                if let Some(task) = next_5c_renewal(birth, &granted_5c, on) {
                    assert!(
                        is_working_day(task.due_on) && task.due_on >= on,
                        "{birth} {on}"
                    );
                    assert_eq!(task.due_on.month(), 6, "{birth} {on}");
                }
            }
        }
    }

    #[test]
    fn a_thuiszitter_is_flagged_only_after_more_than_three_months() {
        let since = d(2026, 1, 15);
        assert!(!thuiszitter_longer_than_three_months(since, d(2026, 4, 15)));
        assert!(thuiszitter_longer_than_three_months(since, d(2026, 4, 16)));
        assert_eq!(thuiszitter_offer_due(since), d(2026, 4, 15));
        // 5 April 2026 is Easter Sunday, 3 April Goede Vrijdag: the offer is due Thursday 2 April.
        assert_eq!(thuiszitter_offer_due(d(2026, 1, 5)), d(2026, 4, 2));
    }
}
