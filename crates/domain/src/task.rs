//! Tasks with due dates, and the proposals the rules make for them.
//!
//! Rules never create tasks themselves: they return [`ProposedTask`]s, which
//! the UI shows before saving; the consultant keeps, changes or drops each.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::code::code_enum;
use crate::contact::LetterKind;
use crate::ids::{CaseId, TaskId, UserId};

code_enum! {
    /// What a task is for.
    pub enum TaskKind: "soort taak" {
        /// Check whether the family made contact after a card or letter.
        CheckReaction => "reactie_nagaan", "Reactie nagaan";
        HomeVisit => "huisbezoek", "Huisbezoek";
        Call => "bellen", "Bellen";
        WhatsApp => "whatsapp", "WhatsApp-bericht sturen";
        Letter => "brief", "Brief sturen";
        /// Look up a new address (BRP) after "verhuisd of onbekend adres".
        CheckAddress => "adres_nagaan", "Adres nagaan";
        /// The 3-monthly monitoring contact.
        Monitoring => "monitoring", "Monitoring (elke 3 maanden)";
        /// Contact again after a tussenjaar, with consent.
        Recontact => "hercontact", "Opnieuw contact na tussenjaar";
        /// Contact before the 18th birthday about what comes after a vrijstelling.
        ContactBefore18 => "contact_voor_18", "Contact voor de 18e verjaardag";
        /// Check the yearly renewal of a vrijstelling 5 onder c.
        Renewal5c => "verlenging_5c", "Verlenging vrijstelling 5 onder c";
        /// Discuss the next step after unanswered invitations.
        Escalation => "escalatie", "Volgende stap bespreken";
        Other => "overig", "Overig";
    }
}

/// A task of a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub case_id: CaseId,
    pub kind: TaskKind,
    /// Dutch, short, for the agenda.
    pub title: String,
    /// Due by the end of this day.
    pub due_on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_user_id: Option<UserId>,
    /// The template to send, for letter and message tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter: Option<LetterKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_on: Option<NaiveDate>,
}

impl Task {
    pub fn is_done(&self) -> bool {
        self.done_on.is_some()
    }

    /// Not done and its due day has passed.
    pub fn is_overdue(&self, on: NaiveDate) -> bool {
        !self.is_done() && self.due_on < on
    }

    /// Not done and due on or before `on` (today's agenda).
    pub fn is_due(&self, on: NaiveDate) -> bool {
        !self.is_done() && self.due_on <= on
    }
}

/// A task a rule proposes; nothing is saved until the consultant accepts it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedTask {
    pub kind: TaskKind,
    /// Dutch, short, for the agenda.
    pub title: String,
    /// Why the task is proposed, in plain Dutch, shown before saving.
    pub explanation: String,
    /// Due by the end of this day; always a working day.
    pub due_on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter: Option<LetterKind>,
}

impl ProposedTask {
    pub(crate) fn new(kind: TaskKind, title: &str, explanation: &str, due_on: NaiveDate) -> Self {
        Self {
            kind,
            title: title.to_owned(),
            explanation: explanation.to_owned(),
            due_on,
            letter: None,
        }
    }

    pub(crate) fn with_letter(mut self, letter: LetterKind) -> Self {
        self.letter = Some(letter);
        self
    }

    /// The task to save once the consultant accepts the proposal.
    pub fn into_task(self, id: TaskId, case_id: CaseId, assigned_user_id: Option<UserId>) -> Task {
        Task {
            id,
            case_id,
            kind: self.kind,
            title: self.title,
            due_on: self.due_on,
            assigned_user_id,
            letter: self.letter,
            done_on: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn a_task_is_due_on_its_day_and_overdue_after_it_until_done() {
        let proposal =
            ProposedTask::new(TaskKind::Call, "Bellen", "Omdat het moet.", d(2026, 11, 24));
        let mut task = proposal.into_task(
            TaskId::parse("t1").expect("id"),
            CaseId::parse("c1").expect("id"),
            None,
        );
        assert!(!task.is_due(d(2026, 11, 23)));
        assert!(task.is_due(d(2026, 11, 24)) && !task.is_overdue(d(2026, 11, 24)));
        assert!(task.is_overdue(d(2026, 11, 25)));
        task.done_on = Some(d(2026, 11, 25));
        assert!(!task.is_due(d(2026, 11, 26)) && !task.is_overdue(d(2026, 11, 26)));
    }
}
