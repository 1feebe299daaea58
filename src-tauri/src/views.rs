//! What the screens receive and send: plain, camelCase types with TypeScript
//! bindings (see [`crate::bindings`]), built from the vault's records.
//!
//! Conversions only: coded values become `{ code, label }` with the domain's
//! Dutch label, dates are ISO (`2026-11-23`, `2026-11-23T14:30`) and the UI
//! writes them as 23-11-2026 and 14:30. No rule is decided here; legal
//! status comes computed from the vault and is only put into words.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use veldwerk_domain::{LegalPhase, LegalStatus, VerzuimKind, VsvKind};
use veldwerk_vault::model::{
    CaseRecord, ConsentRecord, ContactMomentRecord, ContactPersonRecord, MeldingRecord, TaskRecord,
    TimelineEntry, YouthRecord,
};

/// A coded value with its Dutch label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Coded {
    pub code: String,
    pub label: String,
}

/// `{ code, label }` of any of the domain's code lists.
macro_rules! coded {
    ($value:expr) => {{
        let v = $value;
        $crate::views::Coded {
            code: v.code().to_owned(),
            label: v.label().to_owned(),
        }
    }};
}
pub(crate) use coded;

pub fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn ymd_hm(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// 23-11-2026, for the few texts made here.
fn dmy(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// The legal status in one line: "Leerplichtig tot en met 31-07-2029".
pub fn legal_status_text(status: &LegalStatus) -> String {
    match status.phase {
        LegalPhase::NotYetLeerplichtig => format!(
            "Nog niet leerplichtig (vanaf {})",
            dmy(status.leerplicht_start)
        ),
        LegalPhase::Leerplichtig => {
            format!("Leerplichtig tot en met {}", dmy(status.leerplicht_end))
        }
        LegalPhase::Kwalificatieplichtig => format!(
            "Kwalificatieplichtig tot {}",
            dmy(status.kwalificatieplicht_end)
        ),
        LegalPhase::DoorstroompuntTargetGroup => format!(
            "Doelgroep Doorstroompunt tot en met {}",
            dmy(status.doorstroompunt_until)
        ),
        LegalPhase::NoTargetGroup => LegalPhase::NoTargetGroup.label().to_owned(),
    }
}

/// The soort of a case in words: a domain code's label, or the text the
/// server's import stored.
pub fn soort_label(soort: Option<&str>) -> Option<String> {
    let soort = soort?;
    if let Ok(k) = soort.parse::<VerzuimKind>() {
        return Some(k.label().to_owned());
    }
    if let Ok(k) = soort.parse::<VsvKind>() {
        return Some(k.label().to_owned());
    }
    Some(soort.to_owned())
}

// ---- session --------------------------------------------------------------

/// What the first screen needs to know: which version runs and whether this
/// device already has a vault (unlock) or not yet (enroll).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub vault_exists: bool,
    /// The vault is open (the window was reloaded while unlocked).
    pub unlocked: bool,
    /// The passphrase rule: at least this many characters.
    pub min_passphrase_length: u32,
}

/// Enrolling this device with the bureau's server.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EnrollRequest {
    pub server_url: String,
    pub code: String,
    pub device_name: String,
    #[ts(type = "string")]
    pub passphrase: Secret,
}

/// A passphrase as it arrives from the UI; `Debug` hides it.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Who works on this device, after unlock or enrollment.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// Empty when the vault is not enrolled (a demo vault).
    pub user_name: String,
    pub role: Option<Coded>,
    pub boa: bool,
    pub enrolled: bool,
    pub lock_timeout_minutes: u32,
}

// ---- today ------------------------------------------------------------------

/// An appointment of the day, with where it is (for grouping visits by area).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AgendaItem {
    pub id: String,
    pub case_id: String,
    pub youth_name: String,
    pub kind: Option<Coded>,
    pub status: Option<Coded>,
    pub starts_at: String,
    pub ends_at: String,
    pub location: Option<String>,
    /// The youth's address, for home visits: "Dorpsstraat 12, Utrecht".
    pub address: Option<String>,
    pub postcode: Option<String>,
}

/// An open task, due today or overdue.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaskItem {
    pub id: String,
    pub case_id: String,
    pub youth_name: String,
    pub title: String,
    pub kind: Option<Coded>,
    pub due_on: Option<String>,
    pub overdue: bool,
    pub done: bool,
}

/// A reaction that came in through a QR code or a card's short code.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReactionItem {
    pub id: String,
    pub case_id: String,
    pub youth_name: String,
    pub at: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Today {
    pub day: String,
    pub appointments: Vec<AgendaItem>,
    /// The first tasks due today or overdue, most urgent first: at most
    /// what the screen shows (a big caseload has thousands; sending them all
    /// made the screen slow). `tasks_total` counts them all.
    pub tasks: Vec<TaskItem>,
    pub tasks_total: u32,
    pub reactions: Vec<ReactionItem>,
}

// ---- caseload -----------------------------------------------------------------

/// Filters of the caseload list; every field optional.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct CaseloadFilter {
    /// Part of a name (with or without accents).
    pub text: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub due_only: bool,
    pub gemeente: Option<String>,
    pub school_id: Option<String>,
    /// `name` (default), `opened`, `due` or `kind`.
    pub sort: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CaseRow {
    pub id: String,
    pub youth_name: String,
    pub kind: Coded,
    pub soort: Option<String>,
    pub status: Coded,
    pub due_tasks: u32,
    pub opened_on: String,
    pub gemeente: Option<String>,
    pub school_name: Option<String>,
    pub legal_status: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SchoolOption {
    pub id: String,
    pub name: String,
}

/// What the filters offer.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CaseloadOptions {
    pub kinds: Vec<Coded>,
    pub statuses: Vec<Coded>,
    pub gemeenten: Vec<String>,
    pub schools: Vec<SchoolOption>,
    pub sorts: Vec<Coded>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Caseload {
    /// At most [`crate::commands::caseload::MAX_ROWS`] rows.
    pub rows: Vec<CaseRow>,
    /// How many cases match, shown or not.
    pub total: u32,
}

// ---- case detail --------------------------------------------------------------

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct YouthView {
    pub id: String,
    pub name: String,
    pub birth_date: String,
    pub age: Option<u32>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub town: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl YouthView {
    pub fn of(y: &YouthRecord, status: Option<&LegalStatus>) -> Self {
        Self {
            id: y.id.to_string(),
            name: y.display_name(),
            birth_date: ymd(y.birth_date),
            age: status.map(|s| s.age),
            address: street_line(y.street.as_deref(), y.house_number.as_deref()),
            postcode: y.postcode.clone(),
            town: y.town.clone(),
            phone: y.phone.clone(),
            email: y.email.clone(),
        }
    }
}

pub fn street_line(street: Option<&str>, number: Option<&str>) -> Option<String> {
    match (street, number) {
        (Some(s), Some(n)) => Some(format!("{s} {n}")),
        (Some(s), None) => Some(s.to_owned()),
        _ => None,
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContactPersonView {
    pub id: String,
    pub name: String,
    pub relation: Option<Coded>,
    pub responsible: bool,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl From<&ContactPersonRecord> for ContactPersonView {
    fn from(p: &ContactPersonRecord) -> Self {
        let name = if p.name.first_name().is_empty() {
            p.name.surname()
        } else {
            p.name.display_name()
        };
        Self {
            id: p.id.to_string(),
            name,
            relation: p.relation.map(|r| coded!(r)),
            responsible: p.responsible,
            address: street_line(p.street.as_deref(), p.house_number.as_deref()),
            phone: p.phone.clone(),
            email: p.email.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SchoolView {
    pub id: String,
    pub name: String,
    pub location: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MeldingView {
    pub id: String,
    pub received_on: String,
    pub source: Option<Coded>,
    pub soort: Option<String>,
    pub hours_absent: Option<u32>,
    pub note: Option<String>,
}

impl From<&MeldingRecord> for MeldingView {
    fn from(m: &MeldingRecord) -> Self {
        Self {
            id: m.id.to_string(),
            received_on: ymd(m.received_on),
            source: m.source.map(|s| coded!(s)),
            soort: soort_label(m.soort.as_deref()),
            hours_absent: m.hours_absent,
            note: m.note.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentView {
    pub id: String,
    pub scope: Option<Coded>,
    pub given_on: String,
    pub given_by: Option<Coded>,
    pub withdrawn_on: Option<String>,
    pub note: Option<String>,
}

impl From<&ConsentRecord> for ConsentView {
    fn from(c: &ConsentRecord) -> Self {
        Self {
            id: c.id.to_string(),
            scope: c.scope.map(|s| coded!(s)),
            given_on: ymd(c.given_on),
            given_by: c.given_by.map(|g| coded!(g)),
            withdrawn_on: c.withdrawn_on.map(ymd),
            note: c.note.clone(),
        }
    }
}

/// What a timeline entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TimelineKind {
    Contact,
    Reaction,
    Letter,
    Melding,
    Task,
    Appointment,
    Consent,
}

/// One line of a case's timeline, newest first.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimelineItem {
    pub id: String,
    pub kind: TimelineKind,
    /// `2026-11-23T14:30`, or `2026-11-23` for things without a time.
    pub at: String,
    pub title: String,
    pub detail: Option<String>,
}

/// A card's code as printed: `7K3QD-M9XAB`.
fn grouped_code(code: &str) -> String {
    match (code.get(..5), code.get(5..)) {
        (Some(a), Some(b)) if code.len() == 10 => format!("{a}-{b}"),
        _ => code.to_owned(),
    }
}

fn contact_title(c: &ContactMomentRecord) -> String {
    let kind = c.kind.map_or("Contact", |k| k.label());
    match (c.outcome, &c.card_short_code) {
        (Some(o), Some(code)) => format!("{kind}: {}; kaartje {}", o.label(), grouped_code(code)),
        (Some(o), None) => format!("{kind}: {}", o.label()),
        (None, _) => kind.to_owned(),
    }
}

impl From<&TimelineEntry> for TimelineItem {
    fn from(entry: &TimelineEntry) -> Self {
        let id = entry.id().to_string();
        match entry {
            TimelineEntry::ContactMoment(c) => Self {
                id,
                kind: if c.kind == Some(veldwerk_domain::ContactKind::QrResponse) {
                    TimelineKind::Reaction
                } else {
                    TimelineKind::Contact
                },
                at: ymd_hm(c.at),
                title: contact_title(c),
                detail: c.note.clone(),
            },
            TimelineEntry::Letter(l) => Self {
                id,
                kind: TimelineKind::Letter,
                at: ymd(l.sent_on),
                title: format!("Brief: {}", l.template.map_or("brief", |t| t.label())),
                detail: l.short_code.as_ref().map(|c| format!("Reactiecode {c}")),
            },
            TimelineEntry::Melding(m) => Self {
                id,
                kind: TimelineKind::Melding,
                at: ymd(m.received_on),
                title: format!(
                    "Melding{}",
                    m.source
                        .map(|s| format!(" (bron: {})", s.label()))
                        .unwrap_or_default()
                ),
                detail: m.note.clone(),
            },
            TimelineEntry::Task(t) => Self {
                id,
                kind: TimelineKind::Task,
                at: t.due_on.map(ymd).unwrap_or_default(),
                title: format!("Taak: {}", t.title),
                detail: t.done.then(|| "Gedaan".to_owned()),
            },
            TimelineEntry::Appointment(a) => Self {
                id,
                kind: TimelineKind::Appointment,
                at: ymd_hm(a.starts_at),
                title: a.kind.map_or("Afspraak", |k| k.label()).to_owned(),
                detail: a.location.clone(),
            },
            TimelineEntry::Consent(c) => Self {
                id,
                kind: TimelineKind::Consent,
                at: ymd(c.given_on),
                title: format!("Toestemming: {}", c.scope.map_or("overig", |s| s.label())),
                detail: c.note.clone(),
            },
        }
    }
}

pub fn task_item(t: &TaskRecord, youth_name: &str, today: NaiveDate) -> TaskItem {
    TaskItem {
        id: t.id.to_string(),
        case_id: t.case_id.to_string(),
        youth_name: youth_name.to_owned(),
        title: t.title.clone(),
        kind: t.kind.map(|k| coded!(k)),
        due_on: t.due_on.map(ymd),
        overdue: !t.done && t.due_on.is_some_and(|d| d < today),
        done: t.done,
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CaseView {
    pub id: String,
    pub kind: Coded,
    pub soort: Option<String>,
    pub status: Coded,
    pub open: bool,
    pub opened_on: String,
    pub closed_on: Option<String>,
    pub outcome: Option<Coded>,
    pub gemeente: Option<String>,
    pub hours_absent: Option<u32>,
    pub care_concern: bool,
    /// `None` when the youth is not on this device (yet).
    pub youth: Option<YouthView>,
    pub legal_status: Option<String>,
    pub contact_persons: Vec<ContactPersonView>,
    pub school: Option<SchoolView>,
    pub meldingen: Vec<MeldingView>,
    pub tasks: Vec<TaskItem>,
    pub consents: Vec<ConsentView>,
    pub timeline: Vec<TimelineItem>,
}

impl CaseView {
    pub fn of(detail: &veldwerk_vault::model::CaseDetail, today: NaiveDate) -> Self {
        let c: &CaseRecord = &detail.case;
        let youth_name = detail
            .youth
            .as_ref()
            .map(YouthRecord::display_name)
            .unwrap_or_default();
        let mut meldingen = Vec::new();
        let mut tasks = Vec::new();
        let mut consents = Vec::new();
        for entry in &detail.timeline {
            match entry {
                TimelineEntry::Melding(m) => meldingen.push(MeldingView::from(m)),
                TimelineEntry::Task(t) => tasks.push(task_item(t, &youth_name, today)),
                TimelineEntry::Consent(k) => consents.push(ConsentView::from(k)),
                _ => {}
            }
        }
        // Open tasks first, soonest due first.
        tasks.sort_by(|a, b| a.done.cmp(&b.done).then(a.due_on.cmp(&b.due_on)));
        Self {
            id: c.id.to_string(),
            kind: coded!(c.kind),
            soort: soort_label(c.soort.as_deref()),
            status: coded!(c.status),
            open: c.is_open(),
            opened_on: ymd(c.opened_on),
            closed_on: c.closed_on.map(ymd),
            outcome: c.outcome.map(|o| coded!(o)),
            gemeente: c.gemeente.clone(),
            hours_absent: c.hours_absent,
            care_concern: c.care_concern,
            youth: detail
                .youth
                .as_ref()
                .map(|y| YouthView::of(y, detail.legal_status.as_ref())),
            legal_status: detail.legal_status.as_ref().map(legal_status_text),
            contact_persons: detail
                .contact_persons
                .iter()
                .map(ContactPersonView::from)
                .collect(),
            school: detail.school.as_ref().map(|s| SchoolView {
                id: s.id.to_string(),
                name: s.name.clone(),
                location: s.location.clone(),
            }),
            meldingen,
            tasks,
            consents,
            timeline: detail.timeline.iter().map(TimelineItem::from).collect(),
        }
    }
}

// ---- home visit -------------------------------------------------------------

/// A follow-up task, as the rules propose it and as the consultant keeps it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FollowupTask {
    /// A task kind code (`TaskKind`).
    pub kind: String,
    pub title: String,
    /// Why the rules propose it (empty for a task the consultant added).
    pub explanation: String,
    pub due_on: String,
    /// A letter kind code, when the task is to send a letter.
    pub letter: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HomeVisitForm {
    pub youth_name: String,
    pub address: Option<String>,
    pub outcomes: Vec<Coded>,
    /// The outcome that needs a card's short code.
    pub card_outcome: String,
    pub task_kinds: Vec<Coded>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HomeVisitInput {
    pub case_id: String,
    /// `2026-11-23T14:30`, local time.
    pub at: String,
    pub outcome: String,
    pub card_code: Option<String>,
    pub note: Option<String>,
    /// The follow-up tasks to save, as shown and edited (may be empty).
    pub followup: Vec<FollowupTask>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HomeVisitSaved {
    pub contact_moment_id: String,
    pub tasks_created: u32,
}

// ---- closing ------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeOption {
    pub code: String,
    pub label: String,
    /// `false` with a reason when the rules do not allow it now (Halt).
    pub allowed: bool,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CloseOptions {
    pub outcomes: Vec<OutcomeOption>,
    /// Why there is nothing to choose, when the list is empty.
    pub note: Option<String>,
}

// ---- letters ------------------------------------------------------------------

/// What a letter template needs besides the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum LetterNeeds {
    Nothing,
    /// A day and a time window of the announced visit.
    Visit,
    /// A day, start time and place of a conversation.
    Appointment,
    /// The date before which the parents answer.
    ReplyBefore,
    /// The period and hours of absence.
    Warning,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LetterTemplate {
    pub code: String,
    pub label: String,
    pub needs: LetterNeeds,
    pub allowed: bool,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct LetterRequest {
    pub case_id: String,
    pub template: String,
    /// The visit's or appointment's day.
    pub date: Option<String>,
    /// `14:30`.
    pub from: Option<String>,
    pub until: Option<String>,
    pub place: Option<String>,
    pub reply_before: Option<String>,
    pub period_from: Option<String>,
    pub period_until: Option<String>,
    pub hours: Option<u32>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintedLetter {
    /// The PDF in the private print folder (wiped on lock).
    pub path: String,
    pub pages: u32,
    /// The reactiecode printed on the letter: `7K3QD-M9XAB`.
    pub short_code: String,
}

/// A sheet of visit cards printed in advance.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintedCards {
    /// The PDF in the private print folder (wiped on lock).
    pub path: String,
    pub pages: u32,
    pub cards: u32,
}

/// A case left out of a batch, and why.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SkippedLetter {
    pub case_id: String,
    pub youth_name: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintedBatch {
    pub path: String,
    pub pages: u32,
    /// Letters in the PDF.
    pub letters: u32,
    pub skipped: Vec<SkippedLetter>,
}

// ---- spreekuur -----------------------------------------------------------------

/// A spreekuur day: the planned conversations and what the forms offer.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SpreekuurDay {
    pub day: String,
    pub schools: Vec<SchoolOption>,
    /// The day's spreekuur appointments, by start time.
    pub appointments: Vec<AgendaItem>,
    pub outcomes: Vec<Coded>,
    /// The outcome that means the youth did not come.
    pub no_show_outcome: String,
    pub case_kinds: Vec<Coded>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CaseRef {
    pub case_id: String,
    pub kind: Coded,
    pub open: bool,
}

/// A young person found for a walk-in, with their cases.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct YouthMatch {
    pub youth_id: String,
    pub name: String,
    pub birth_date: String,
    pub cases: Vec<CaseRef>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConversationInput {
    pub case_id: String,
    /// `2026-11-23T14:30`.
    pub at: String,
    pub outcome: String,
    pub note: Option<String>,
    /// The planned appointment this conversation was, if any.
    pub appointment_id: Option<String>,
}

/// A walk-in who is not on the device yet: a new youth with a new case.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WalkInInput {
    pub given_names: String,
    /// The surname with its tussenvoegsel: "van der Berg".
    pub surname: String,
    pub birth_date: String,
    pub kind: String,
    pub school_id: Option<String>,
    pub date: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupSessionInput {
    pub date: String,
    pub headcount: u32,
    pub topic: Option<String>,
    pub school_id: Option<String>,
}

// ---- outreach -------------------------------------------------------------------

/// Where one step of the outreach sequence stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum StepState {
    /// Not planned as a task (the sequence has not started).
    NotPlanned,
    Open,
    Done,
    /// Dropped because the young person reacted.
    Stopped,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutreachStep {
    pub title: String,
    pub explanation: String,
    pub kind: Coded,
    pub due_on: String,
    pub state: StepState,
}

/// The three-week outreach sequence of a new vsv'er, with its progress.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Outreach {
    /// Only VSV cases have the sequence.
    pub applicable: bool,
    pub started: bool,
    /// A reaction (or a conversation) ended the sequence.
    pub ended_by_reaction: bool,
    /// Without a phone number the first week is a letter.
    pub has_phone: bool,
    pub steps: Vec<OutreachStep>,
}

// ---- sync ---------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConflictView {
    pub id: String,
    /// "Zaak", "Jongere", ...
    pub record: String,
    pub field: String,
    /// The value the server kept (what this device shows now).
    pub kept_value: String,
    pub kept_by: Option<String>,
    /// The value set aside.
    pub other_value: String,
    pub other_by: Option<String>,
    pub at: String,
}

#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ConflictPick {
    Kept,
    Other,
}

// ---- settings -------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub lock_timeout_minutes: u32,
    pub lock_timeout_choices: Vec<u32>,
    pub server_url: Option<String>,
    pub user_name: String,
    pub role: Option<Coded>,
    pub app_version: String,
    pub protocol_version: u32,
    pub vault_schema: u32,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PassphraseChange {
    #[ts(type = "string")]
    pub old: Secret,
    #[ts(type = "string")]
    pub new: Secret,
}

#[cfg(test)]
mod tests {
    use super::*;
    use veldwerk_domain::SchoolHistory;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn status(birth: NaiveDate, on: NaiveDate) -> String {
        legal_status_text(&LegalStatus::compute(birth, on, &SchoolHistory::default()))
    }

    #[test]
    fn legal_status_reads_as_one_dutch_line_with_dutch_dates() {
        assert_eq!(
            status(d(2012, 5, 4), d(2026, 11, 23)),
            "Leerplichtig tot en met 31-07-2028"
        );
        assert!(status(d(2009, 5, 4), d(2026, 11, 23)).starts_with("Kwalificatieplichtig tot "));
        assert!(
            status(d(2005, 5, 4), d(2026, 11, 23))
                .starts_with("Doelgroep Doorstroompunt tot en met ")
        );
        assert_eq!(
            status(d(2023, 3, 14), d(2026, 11, 23)),
            "Nog niet leerplichtig (vanaf 01-04-2028)"
        );
    }

    #[test]
    fn a_soort_code_gets_its_label_and_free_text_stays_as_it_is() {
        assert_eq!(soort_label(Some("luxe")).as_deref(), Some("Luxe verzuim"));
        assert_eq!(
            soort_label(Some("wettelijk verzuim")).as_deref(),
            Some("wettelijk verzuim")
        );
        assert_eq!(soort_label(None), None);
    }

    #[test]
    fn a_card_code_is_shown_in_two_groups_of_five() {
        assert_eq!(grouped_code("7K3QDM9XAB"), "7K3QD-M9XAB");
        assert_eq!(grouped_code("ABC"), "ABC");
    }

    #[test]
    fn dates_go_to_the_ui_as_iso_text() {
        assert_eq!(ymd(d(2026, 11, 23)), "2026-11-23");
        let t = d(2026, 11, 23).and_hms_opt(14, 30, 0).unwrap_or_default();
        assert_eq!(ymd_hm(t), "2026-11-23T14:30");
    }
}
