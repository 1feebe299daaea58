//! The QR response form's store work: resolving a token or short code to its
//! case, and recording an answer as synced records.
//!
//! # Where tokens are indexed
//! Nowhere separate: a link is the `token`/`short_code` of a stored `letter`
//! record or the `card_token`/`card_short_code` of a stored `contact_moment`,
//! looked up through the partial expression indexes of migration 0002. So a
//! link works as soon as the device's push of that record is applied, and it
//! leaves with the record's case (retired cases do not answer).
//!
//! # Same work for every lookup
//! Unknown, expired and live tokens run the same queries; the handler
//! decides "not found" from the result only, so timing does not tell them
//! apart beyond the index lookup itself.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;
use uuid::Uuid;
use veldwerk_domain::contact::{ContactKind, ContactOutcome};
use veldwerk_domain::rules::calendar;
use veldwerk_domain::task::TaskKind;
use veldwerk_protocol::entities;
use veldwerk_protocol::response::response_fields as rf;
use veldwerk_protocol::{ResponseToken, ShortCode};

use super::sync::admin_write;
use super::{Audit, Result, Store, audit, ts};

/// The task title the consultant sees in the agenda.
pub const TASK_TITLE: &str = "Reageer op reactie via QR";

/// How the family wants to be reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Phone,
    WhatsApp,
    Email,
}

impl Channel {
    pub fn parse(s: &str) -> Option<Channel> {
        match s {
            "telefoon" => Some(Channel::Phone),
            "whatsapp" => Some(Channel::WhatsApp),
            "email" => Some(Channel::Email),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Channel::Phone => "telefoon",
            Channel::WhatsApp => "whatsapp",
            Channel::Email => "email",
        }
    }

    fn task_kind(self) -> TaskKind {
        match self {
            Channel::Phone => TaskKind::Call,
            Channel::WhatsApp => TaskKind::WhatsApp,
            Channel::Email => TaskKind::Other,
        }
    }
}

/// When the family prefers to be called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PreferredTime {
    Morning,
    Afternoon,
    Evening,
    Any,
}

impl PreferredTime {
    pub fn parse(s: &str) -> Option<PreferredTime> {
        match s {
            "ochtend" => Some(PreferredTime::Morning),
            "middag" => Some(PreferredTime::Afternoon),
            "avond" => Some(PreferredTime::Evening),
            "maakt_niet_uit" => Some(PreferredTime::Any),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            PreferredTime::Morning => "ochtend",
            PreferredTime::Afternoon => "middag",
            PreferredTime::Evening => "avond",
            PreferredTime::Any => "maakt_niet_uit",
        }
    }
}

/// A validated answer from the form. Personal data: `Debug` hides the values.
#[derive(Clone)]
pub struct Answer {
    pub channel: Channel,
    pub contact_value: String,
    pub preferred_time: PreferredTime,
    pub message: Option<String>,
}

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answer")
            .field("channel", &self.channel)
            .field("preferred_time", &self.preferred_time)
            .finish_non_exhaustive()
    }
}

/// What the form resolved a token or short code to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkTarget {
    pub case_id: String,
    /// The full token, for redirecting from a short code.
    pub token: String,
}

/// The ids the server created for one answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedResponse {
    pub response_id: String,
    pub contact_moment_id: String,
    pub task_id: String,
}

/// What is looked up: the token from the URL or the code a person typed.
#[derive(Clone, Copy, Debug)]
pub enum LinkKey<'a> {
    Token(&'a ResponseToken),
    Short(&'a ShortCode),
}

/// A link counts as retired when its case is retired (or missing). The
/// `json_extract` expressions must stay those of migration 0002's indexes.
const BY_TOKEN: &str = "
    SELECT r.scope_key, json_extract(r.fields, '$.token.v'), json_extract(r.fields, '$.expires_on.v'), (SELECT coalesce(max(c.retired), 1) FROM records c WHERE c.entity = 'case' AND c.entity_id = r.scope_key), r.deleted
      FROM records r WHERE r.entity = 'letter' AND json_extract(r.fields, '$.token.v') = ?1
    UNION ALL
    SELECT r.scope_key, json_extract(r.fields, '$.card_token.v'), json_extract(r.fields, '$.card_expires_on.v'), (SELECT coalesce(max(c.retired), 1) FROM records c WHERE c.entity = 'case' AND c.entity_id = r.scope_key), r.deleted
      FROM records r WHERE r.entity = 'contact_moment' AND json_extract(r.fields, '$.card_token.v') = ?1";

const BY_SHORT: &str = "
    SELECT r.scope_key, json_extract(r.fields, '$.token.v'), json_extract(r.fields, '$.expires_on.v'), (SELECT coalesce(max(c.retired), 1) FROM records c WHERE c.entity = 'case' AND c.entity_id = r.scope_key), r.deleted
      FROM records r WHERE r.entity = 'letter'
       AND replace(upper(json_extract(r.fields, '$.short_code.v')), '-', '') = ?1
    UNION ALL
    SELECT r.scope_key, json_extract(r.fields, '$.card_token.v'), json_extract(r.fields, '$.card_expires_on.v'), (SELECT coalesce(max(c.retired), 1) FROM records c WHERE c.entity = 'case' AND c.entity_id = r.scope_key), r.deleted
      FROM records r WHERE r.entity = 'contact_moment'
       AND replace(upper(json_extract(r.fields, '$.card_short_code.v')), '-', '') = ?1";

type LinkRow = (Option<String>, Option<String>, Option<String>, bool, bool);

fn resolve(conn: &Connection, key: LinkKey<'_>, today: NaiveDate) -> Result<Option<LinkTarget>> {
    let (sql, param) = match key {
        LinkKey::Token(t) => (BY_TOKEN, t.as_str()),
        LinkKey::Short(c) => (BY_SHORT, c.as_str()),
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let rows: Vec<LinkRow> = stmt
        .query_map([param], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let live: Vec<LinkTarget> = rows
        .into_iter()
        .filter_map(|(case_id, token, expires_on, retired, deleted)| {
            let expired = match expires_on.as_deref() {
                None => false,
                Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d").map_or(true, |d| d < today),
            };
            let case_id = case_id?;
            let token = ResponseToken::parse(token.as_deref()?).ok()?;
            (!expired && !retired && !deleted).then(|| LinkTarget {
                case_id,
                token: token.as_str().to_owned(),
            })
        })
        .collect();
    // Two live links behind one short code cannot be told apart: answer
    // neither rather than reach the wrong family.
    if matches!(key, LinkKey::Short(_)) && live.len() > 1 {
        return Ok(None);
    }
    Ok(live.into_iter().next())
}

impl Store {
    /// The case behind a live token or short code; `None` for unknown,
    /// expired, deleted or retired links, alike.
    pub fn resolve_response_link(
        &self,
        key: LinkKey<'_>,
        now: DateTime<Utc>,
    ) -> Result<Option<LinkTarget>> {
        let today = dutch_local(now).date();
        self.read(|tx| resolve(tx, key, today))
    }

    /// Records an answer for the live link `token`: a `response` record, a
    /// `contact_moment` of kind "reactie via QR" and a task due the next
    /// working day, all on the link's case and in one transaction, through
    /// the sequence so the case's users pull them. `None` when the link is
    /// not (or no longer) live.
    pub fn record_response(
        &self,
        token: &ResponseToken,
        answer: &Answer,
        now: DateTime<Utc>,
    ) -> Result<Option<RecordedResponse>> {
        let local = dutch_local(now);
        let options = self.options().clone();
        self.write(|tx| {
            let Some(target) = resolve(tx, LinkKey::Token(token), local.date())? else {
                return Ok(None);
            };
            let case_id = target.case_id;
            let owner: Option<String> = tx
                .query_row(
                    "SELECT json_extract(fields, '$.assigned_user_id.v') FROM records
                     WHERE entity = 'case' AND entity_id = ?1",
                    [&case_id],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            let owner = owner.map_or(Value::Null, Value::String);
            let text = |s: &str| Value::String(s.to_owned());

            let response_id = Uuid::now_v7().to_string();
            let mut values = vec![
                (rf::CASE_ID.to_owned(), text(&case_id)),
                (rf::RECEIVED_AT.to_owned(), text(&ts(now))),
                (rf::CHANNEL.to_owned(), text(answer.channel.code())),
                (rf::CONTACT_VALUE.to_owned(), text(&answer.contact_value)),
                (
                    rf::PREFERRED_TIME.to_owned(),
                    text(answer.preferred_time.code()),
                ),
            ];
            if let Some(m) = &answer.message {
                values.push((rf::MESSAGE.to_owned(), text(m)));
            }
            admin_write(tx, entities::RESPONSE, &response_id, values, now, &options)?;

            let contact_moment_id = Uuid::now_v7().to_string();
            let values = vec![
                ("case_id".to_owned(), text(&case_id)),
                ("kind".to_owned(), text(ContactKind::QrResponse.code())),
                // Field names are the device's (migrations/device/0003):
                // a pulled record with other names would not fit its table.
                (
                    "at".to_owned(),
                    text(&local.format("%Y-%m-%dT%H:%M:%S").to_string()),
                ),
                (
                    "outcome".to_owned(),
                    text(ContactOutcome::ReactionReceived.code()),
                ),
                ("user_id".to_owned(), owner.clone()),
                ("response_id".to_owned(), text(&response_id)),
            ];
            admin_write(
                tx,
                entities::CONTACT_MOMENT,
                &contact_moment_id,
                values,
                now,
                &options,
            )?;

            let task_id = Uuid::now_v7().to_string();
            let due = calendar::within_one_working_day(local.date());
            let values = vec![
                ("case_id".to_owned(), text(&case_id)),
                ("kind".to_owned(), text(answer.channel.task_kind().code())),
                ("title".to_owned(), text(TASK_TITLE)),
                (
                    "due_date".to_owned(),
                    text(&due.format("%Y-%m-%d").to_string()),
                ),
                ("done".to_owned(), Value::Bool(false)),
                ("assigned_user_id".to_owned(), owner),
                ("response_id".to_owned(), text(&response_id)),
            ];
            admin_write(tx, entities::TASK, &task_id, values, now, &options)?;

            audit(
                tx,
                now,
                &Audit {
                    actor: "system",
                    device_id: None,
                    user_id: None,
                    action: "qr_response",
                    op_id: None,
                    entity: Some(entities::RESPONSE),
                    entity_id: Some(&response_id),
                    detail: Some(&case_id),
                },
            )?;
            Ok(Some(RecordedResponse {
                response_id,
                contact_moment_id,
                task_id,
            }))
        })
    }
}

/// Dutch local time (CET/CEST); the rule lives in the domain.
pub use veldwerk_domain::time::dutch_local;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_lookups_use_the_indexes_of_migration_0002() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("s.db"), Default::default()).expect("store");
        let plan = |sql: &str| -> String {
            store
                .read(|tx| {
                    let mut stmt = tx.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                    let rows = stmt.query_map(["X"], |r| r.get::<_, String>(3))?;
                    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?.join("\n"))
                })
                .expect("plan")
        };
        let by_token = plan(BY_TOKEN);
        assert!(by_token.contains("records_letter_token"), "{by_token}");
        assert!(by_token.contains("records_card_token"), "{by_token}");
        let by_short = plan(BY_SHORT);
        assert!(by_short.contains("records_letter_short_code"), "{by_short}");
        assert!(by_short.contains("records_card_short_code"), "{by_short}");
    }
}
