//! Answers through the QR response form, and the outreach sequence a
//! reaction ends.
//!
//! # Where a reaction comes from
//! The server turns one form answer into three records in one transaction
//! (see `veldwerk-server`, `store/response.rs`): the `response` itself, a
//! contact moment of kind "reactie via QR" and a task "reageer binnen één
//! werkdag" due within one working day, both carrying the response's id in
//! `response_id`. The device pulls all three like any other record. Because
//! each has its own id, applying the same pull twice updates the same rows:
//! it never makes a second contact moment or task.
//!
//! # The outreach sequence
//! [`Vault::start_outreach`] saves the domain's three-week plan for a new
//! vsv'er (`vsv_outreach_plan`) as tasks and marks the case's sequence as
//! waiting for a reaction. DOMAIN.md: any reaction ends the sequence. A
//! pulled `response`, or a pulled contact moment whose outcome is a reaction
//! (the device's own come back through the pull too), marks it ended, once;
//! the remaining tasks of the plan stay for the consultant to drop.
//! The sequence's state is device state (table `outreach`, not synced):
//! every device that holds the case receives the same reaction.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use uuid::Uuid;
use veldwerk_domain::rules::vsv_outreach_plan;
use veldwerk_domain::{ContactKind, ContactOutcome};
use veldwerk_protocol::{RecordChange, entities};

use crate::caseload::task_mutation;
use crate::model::NewTask;
use crate::query::ymd;
use crate::{Vault, VaultError, write};

/// An answer through the response form, as pulled.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct ResponseRecord {
    pub id: Uuid,
    pub case_id: Uuid,
    /// When the server received it.
    pub received_at: Option<DateTime<Utc>>,
    /// How the family wants to be reached: `telefoon`, `whatsapp`, `email`.
    pub channel: Option<String>,
    pub contact_value: Option<String>,
    /// `ochtend`, `middag`, `avond`, `maakt_niet_uit`.
    pub preferred_time: Option<String>,
    pub message: Option<String>,
}

/// The answer is personal data: `Debug` shows the ids only.
impl std::fmt::Debug for ResponseRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseRecord")
            .field("id", &self.id)
            .field("case_id", &self.case_id)
            .finish_non_exhaustive()
    }
}

/// Where a case's outreach sequence stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutreachStatus {
    /// Started; no reaction yet.
    WaitingForReaction,
    /// A reaction came: the sequence is over.
    Ended,
}

impl OutreachStatus {
    fn code(self) -> &'static str {
        match self {
            Self::WaitingForReaction => "wacht_op_reactie",
            Self::Ended => "beeindigd",
        }
    }

    fn parse(s: &str) -> Result<Self, VaultError> {
        match s {
            "wacht_op_reactie" => Ok(Self::WaitingForReaction),
            "beeindigd" => Ok(Self::Ended),
            _ => Err(VaultError::Corrupt),
        }
    }
}

/// A case's outreach sequence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Outreach {
    pub case_id: Uuid,
    pub started_on: NaiveDate,
    pub status: OutreachStatus,
    pub ended_at: Option<DateTime<Utc>>,
    /// The response that ended it, when it was a QR answer.
    pub ended_by_response_id: Option<Uuid>,
}

/// What [`Vault::start_outreach`] saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutreachStarted {
    /// The plan's tasks, in the plan's order.
    pub task_ids: Vec<Uuid>,
}

/// The answers since a moment, newest first, on index `response_received`.
const RESPONSES_SINCE: &str =
    "SELECT id, case_id, received_at, channel, contact_value, preferred_time, message
     FROM response WHERE received_at >= ?1 ORDER BY received_at DESC, id DESC";

type ResponseRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn response_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ResponseRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

fn collect_responses(
    rows: impl Iterator<Item = rusqlite::Result<ResponseRow>>,
) -> Result<Vec<ResponseRecord>, VaultError> {
    let mut out = Vec::new();
    for row in rows {
        let (id, case_id, received_at, channel, contact_value, preferred_time, message) = row?;
        out.push(ResponseRecord {
            id: crate::query::id(&id)?,
            case_id: crate::query::id(&case_id)?,
            received_at: received_at.as_deref().map(parse_utc).transpose()?,
            channel,
            contact_value,
            preferred_time,
            message,
        });
    }
    Ok(out)
}

fn parse_utc(text: &str) -> Result<DateTime<Utc>, VaultError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| VaultError::Corrupt)
}

/// Called by the pull for every record it wrote: a response, or a contact
/// moment whose outcome is a reaction, ends its case's waiting sequence.
/// Reads the pulled values (a pull carries a record's whole state), so a
/// record that is neither costs no query. Idempotent: an ended sequence
/// stays as it was ended.
pub(crate) fn after_remote_write(
    conn: &Connection,
    change: &RecordChange,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(), VaultError> {
    let text = |field: &str| change.fields.get(field).and_then(|f| f.value.as_str());
    let response_id = match change.entity.as_str() {
        entities::RESPONSE => Some(id),
        entities::CONTACT_MOMENT => {
            let qr = text("kind")
                .and_then(|k| ContactKind::from_code(k).ok())
                .is_some_and(|k| k == ContactKind::QrResponse);
            let reaction = text("outcome")
                .and_then(|o| ContactOutcome::from_code(o).ok())
                .is_some_and(ContactOutcome::is_reaction);
            if !(qr || reaction) {
                return Ok(());
            }
            text("response_id")
        }
        _ => return Ok(()),
    };
    let Some(case_id) = text(entities::CASE_ID).and_then(|c| Uuid::parse_str(c).ok()) else {
        return Ok(());
    };
    let response_id = response_id
        .and_then(|r| Uuid::parse_str(r).ok())
        .map(|r| r.hyphenated().to_string());
    conn.prepare_cached(
        "UPDATE outreach SET status = ?2, ended_at = ?3, ended_by_response_id = ?4
         WHERE case_id = ?1 AND status = ?5",
    )?
    .execute(params![
        case_id.hyphenated().to_string(),
        OutreachStatus::Ended.code(),
        write::timestamp(now),
        response_id,
        OutreachStatus::WaitingForReaction.code(),
    ])?;
    Ok(())
}

impl Vault {
    /// The QR answers on a case, oldest first.
    pub fn responses(&self, case_id: Uuid) -> Result<Vec<ResponseRecord>, VaultError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, case_id, received_at, channel, contact_value, preferred_time, message
             FROM response WHERE case_id = ?1 ORDER BY received_at, id",
        )?;
        let rows = stmt.query_map([case_id.hyphenated().to_string()], response_row)?;
        collect_responses(rows)
    }

    /// The QR answers on all cases received at or after `since`, newest
    /// first: the reactions of the last days on the Vandaag screen. Uses the
    /// index on `received_at` (the server stamps it in RFC 3339 UTC, so the
    /// text sorts as the instant does); answers without a time are left out.
    pub fn responses_since(&self, since: DateTime<Utc>) -> Result<Vec<ResponseRecord>, VaultError> {
        let mut stmt = self.conn.prepare_cached(RESPONSES_SINCE)?;
        let since = since.format("%Y-%m-%dT%H:%M:%S").to_string();
        let rows = stmt.query_map([since], response_row)?;
        collect_responses(rows)
    }

    /// Start the outreach sequence for a new vsv'er on `start`: the
    /// domain's plan as tasks (with a phone number: messages and calls in
    /// week 1; without: a letter) and the sequence marked as waiting for a
    /// reaction, in one transaction. Refused while a sequence of the case
    /// is still waiting; a case whose sequence ended may start a new one.
    pub fn start_outreach(
        &mut self,
        case_id: Uuid,
        start: NaiveDate,
        has_phone: bool,
    ) -> Result<OutreachStarted, VaultError> {
        let user = self.user_id();
        let now = Utc::now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let case = case_id.hyphenated().to_string();
        let waiting: bool = tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM outreach WHERE case_id = ?1 AND status = ?2)",
            )?
            .query_row(
                params![case, OutreachStatus::WaitingForReaction.code()],
                |r| r.get(0),
            )?;
        if waiting {
            return Err(VaultError::InvalidMutation {
                entity: entities::CASE.to_owned(),
                reason: "an outreach sequence of this case is still waiting for a reaction",
            });
        }
        let mut task_ids = Vec::new();
        for proposal in vsv_outreach_plan(start, has_phone) {
            let id = Uuid::now_v7();
            write::apply_in(
                &tx,
                user,
                task_mutation(id, case_id, &NewTask::from(proposal)),
                now,
            )?;
            task_ids.push(id);
        }
        tx.prepare_cached(
            "INSERT INTO outreach (case_id, started_on, status) VALUES (?1, ?2, ?3)
             ON CONFLICT (case_id) DO UPDATE SET started_on = excluded.started_on,
                 status = excluded.status, ended_at = NULL, ended_by_response_id = NULL",
        )?
        .execute(params![
            case,
            ymd(start),
            OutreachStatus::WaitingForReaction.code()
        ])?;
        tx.commit()?;
        Ok(OutreachStarted { task_ids })
    }

    /// The case's outreach sequence, when one was started on this device.
    pub fn outreach(&self, case_id: Uuid) -> Result<Option<Outreach>, VaultError> {
        let row: Option<(String, String, Option<String>, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT started_on, status, ended_at, ended_by_response_id
                 FROM outreach WHERE case_id = ?1",
            )?
            .query_row([case_id.hyphenated().to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        let Some((started_on, status, ended_at, ended_by)) = row else {
            return Ok(None);
        };
        Ok(Some(Outreach {
            case_id,
            started_on: crate::query::date(&started_on)?,
            status: OutreachStatus::parse(&status)?,
            ended_at: ended_at.as_deref().map(parse_utc).transpose()?,
            ended_by_response_id: ended_by.as_deref().map(crate::query::id).transpose()?,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_since_a_moment_are_read_through_the_received_at_index() {
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::migrations::apply(&mut conn).expect("migrations");
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {RESPONSES_SINCE}"))
            .expect("plan")
            .query_map(["2026-11-09T00:00:00"], |r| r.get::<_, String>(3))
            .and_then(|rows| rows.collect())
            .expect("rows");
        let plan = plan.join("\n");
        assert!(plan.contains("response_received"), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "no sort: {plan}");
    }
}
