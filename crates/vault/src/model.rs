//! The typed records of the caseload: what the entity API takes
//! (`New...`) and what the queries return (`...Record`, [`CaseSummary`],
//! [`CaseDetail`], [`Agenda`]).
//!
//! Inputs use the domain's validated types ([`Bsn`], [`Postcode`](veldwerk_domain::Postcode) inside
//! [`Address`], ...), so bad input fails where it is parsed, with a Dutch
//! message naming the field, before anything reaches the vault. Outputs are
//! what is stored, faithfully: records pulled from the server may hold less
//! (or free text where a device would write a code), so coded fields that
//! may come from elsewhere are read leniently.
//!
//! Every type that holds personal data has a `Debug` that shows only ids.
//! Outputs are `Serialize` for the app's commands.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use uuid::Uuid;
use veldwerk_domain::{
    Address, AppointmentKind, AppointmentStatus, Bsn, CaseKind, CaseStatus, ConsentGiver,
    ConsentScope, ContactKind, ContactOutcome, EmailAddress, LegalStatus, LetterKind,
    MeldingSource, Onderwijsnummer, Outcome, PersonName, PhoneNumber, ProposedTask, Relation,
    SchoolHistory, SchoolType, SchoolYear, TaskKind, VerzuimKind, VrijstellingArticle,
    VrijstellingStatus, VsvKind,
};

/// `Debug` that shows the type and its id only: the rest is personal data.
macro_rules! id_only_debug {
    ($($ty:ident),+ $(,)?) => {$(
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($ty))
                    .field("id", &self.id)
                    .finish_non_exhaustive()
            }
        }
    )+};
}

/// `Debug` that shows only the type name: inputs have no id yet.
macro_rules! opaque_debug {
    ($($ty:ident),+ $(,)?) => {$(
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($ty), " { <redacted> }"))
            }
        }
    )+};
}

// ---- inputs ---------------------------------------------------------------

/// A school location (reference data).
#[derive(Clone, Debug)]
pub struct NewSchool {
    pub name: String,
    pub brin: Option<veldwerk_domain::Brin>,
    pub school_type: SchoolType,
    pub location: Option<String>,
    pub gemeente: String,
}

/// A new youth (jongere).
#[derive(Clone)]
pub struct NewYouth {
    pub name: PersonName,
    pub birth_date: NaiveDate,
    pub bsn: Option<Bsn>,
    pub onderwijsnummer: Option<Onderwijsnummer>,
    pub address: Option<Address>,
    /// The gemeente, when the address does not give it.
    pub gemeente: Option<String>,
    pub phone: Option<PhoneNumber>,
    pub email: Option<EmailAddress>,
    pub school_id: Option<Uuid>,
    pub startkwalificatie_on: Option<NaiveDate>,
    pub twelfth_full_school_year: Option<SchoolYear>,
}

impl NewYouth {
    /// A youth with only a name and a birth date.
    pub fn new(name: PersonName, birth_date: NaiveDate) -> NewYouth {
        NewYouth {
            name,
            birth_date,
            bsn: None,
            onderwijsnummer: None,
            address: None,
            gemeente: None,
            phone: None,
            email: None,
            school_id: None,
            startkwalificatie_on: None,
            twelfth_full_school_year: None,
        }
    }
}

/// An ouder, verzorger or other contact person of a youth.
#[derive(Clone)]
pub struct NewContactPerson {
    pub youth_id: Uuid,
    /// The voornamen may be unknown ("mevrouw Jansen"): then leave
    /// `given_names` empty in the name.
    pub name: PersonName,
    pub relation: Relation,
    /// Holds parental authority or cares for the youth (Leerplichtwet art. 2).
    pub responsible: bool,
    pub address: Option<Address>,
    pub phone: Option<PhoneNumber>,
    pub email: Option<EmailAddress>,
}

/// What kind of work within a werkproces a case is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseSubKind {
    Verzuim(VerzuimKind),
    Vsv(VsvKind),
    /// The article (number and letter are stored as separate fields) and
    /// where the request stands.
    Vrijstelling(VrijstellingArticle, VrijstellingStatus),
}

/// A case to open. The vault assigns it to the enrolled user.
#[derive(Clone, Debug)]
pub struct NewCase {
    pub youth_id: Uuid,
    pub kind: CaseKind,
    /// Must fit `kind` (a verzuim kind for verzuim, ...).
    pub sub_kind: Option<CaseSubKind>,
    pub opened_on: NaiveDate,
    pub gemeente: Option<String>,
    pub school_id: Option<Uuid>,
    pub hours_absent: Option<u32>,
    /// A zorg (care) concern: makes some follow-ups sooner.
    pub care_concern: bool,
}

impl NewCase {
    pub fn new(youth_id: Uuid, kind: CaseKind, opened_on: NaiveDate) -> NewCase {
        NewCase {
            youth_id,
            kind,
            sub_kind: None,
            opened_on,
            gemeente: None,
            school_id: None,
            hours_absent: None,
            care_concern: false,
        }
    }
}

/// A melding for a youth. It joins the youth's open case of the same
/// werkproces, or opens a new case (the domain's linking rule).
#[derive(Clone)]
pub struct NewMelding {
    pub youth_id: Uuid,
    pub kind: CaseKind,
    pub sub_kind: Option<CaseSubKind>,
    pub received_on: NaiveDate,
    pub source: MeldingSource,
    /// The source's number for it (DUO's meldingnummer).
    pub number: Option<String>,
    pub school_id: Option<Uuid>,
    pub hours_absent: Option<u32>,
    pub note: Option<String>,
    /// Used only when a new case is opened.
    pub gemeente: Option<String>,
}

/// The visit card left in the letterbox: the token behind its QR code and
/// the short code printed on it (made by `veldwerk-print`).
#[derive(Clone)]
pub struct CardLeft {
    pub token: String,
    pub short_code: String,
}

/// One contact with a youth or family, or one attempt at it.
#[derive(Clone)]
pub struct NewContactMoment {
    pub kind: ContactKind,
    /// Local (Dutch) time.
    pub at: NaiveDateTime,
    pub outcome: ContactOutcome,
    pub note: Option<String>,
    pub letter_kind: Option<LetterKind>,
    pub letter_id: Option<Uuid>,
    pub card: Option<CardLeft>,
}

/// A home visit to record with [`crate::Vault::record_home_visit`].
#[derive(Clone)]
pub struct HomeVisit {
    /// Local (Dutch) time of the visit.
    pub at: NaiveDateTime,
    /// One of the home-visit outcomes (`ContactKind::HomeVisit.outcomes()`).
    pub outcome: ContactOutcome,
    pub note: Option<String>,
    /// The card left behind when nobody was home.
    pub card: Option<CardLeft>,
    /// The follow-up tasks to save: `None` saves what the domain's rules
    /// propose (see [`crate::Vault::home_visit_followup`]); `Some` saves
    /// the list the consultant kept (possibly changed, possibly empty).
    pub followup: Option<Vec<ProposedTask>>,
}

/// A task of a case.
#[derive(Clone, Debug)]
pub struct NewTask {
    pub kind: TaskKind,
    pub title: String,
    pub due_on: Option<NaiveDate>,
    pub letter_kind: Option<LetterKind>,
}

impl From<ProposedTask> for NewTask {
    fn from(p: ProposedTask) -> NewTask {
        NewTask {
            kind: p.kind,
            title: p.title,
            due_on: Some(p.due_on),
            letter_kind: p.letter,
        }
    }
}

/// An appointment with a youth or family.
#[derive(Clone)]
pub struct NewAppointment {
    pub case_id: Uuid,
    pub kind: AppointmentKind,
    /// Local (Dutch) times.
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub location: Option<String>,
    pub school_id: Option<Uuid>,
}

/// A consent: date, scope and who gave it.
#[derive(Clone)]
pub struct NewConsent {
    pub youth_id: Uuid,
    pub scope: ConsentScope,
    pub given_on: NaiveDate,
    pub given_by: ConsentGiver,
    pub contact_person_id: Option<Uuid>,
    pub note: Option<String>,
}

/// A letter that was printed for a case, with its response link.
#[derive(Clone)]
pub struct NewLetter {
    pub case_id: Uuid,
    pub template: LetterKind,
    pub sent_on: NaiveDate,
    /// The response token behind the QR code (a bearer secret).
    pub token: Option<String>,
    pub short_code: Option<String>,
    pub url: Option<String>,
    pub expires_on: Option<NaiveDate>,
}

/// An anonymous group session: a headcount, never a person.
#[derive(Clone, Debug)]
pub struct NewGroupSession {
    pub held_on: NaiveDate,
    pub headcount: std::num::NonZeroU32,
    pub topic: Option<String>,
    pub school_id: Option<Uuid>,
    pub gemeente: Option<String>,
}

opaque_debug!(
    NewYouth,
    NewContactPerson,
    NewMelding,
    CardLeft,
    NewContactMoment,
    HomeVisit,
    NewAppointment,
    NewConsent,
    NewLetter,
);

// ---- results of writes ----------------------------------------------------

/// Where [`crate::Cases::add_melding`] put a melding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct MeldingAdded {
    pub melding_id: Uuid,
    pub case_id: Uuid,
    /// A new case was opened (no open case of the same werkproces).
    pub new_case: bool,
}

/// What [`crate::Vault::record_home_visit`] saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HomeVisitRecorded {
    pub contact_moment_id: Uuid,
    /// The follow-up tasks, in the order of the proposals.
    pub task_ids: Vec<Uuid>,
}

// ---- stored records -------------------------------------------------------

/// A school as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SchoolRecord {
    pub id: Uuid,
    pub name: String,
    pub brin: Option<String>,
    pub school_type: Option<SchoolType>,
    pub location: Option<String>,
    pub gemeente: String,
}

/// A youth as stored, with the name in its Dutch parts.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct YouthRecord {
    pub id: Uuid,
    pub version: u64,
    pub name: PersonName,
    pub birth_date: NaiveDate,
    pub bsn: Option<String>,
    pub onderwijsnummer: Option<String>,
    pub street: Option<String>,
    /// Number and addition as written ("12a").
    pub house_number: Option<String>,
    pub postcode: Option<String>,
    pub town: Option<String>,
    pub gemeente: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub school_id: Option<Uuid>,
    pub history: SchoolHistory,
}

impl YouthRecord {
    /// "Eva van der Berg".
    pub fn display_name(&self) -> String {
        self.name.display_name()
    }

    /// The legal status on `on`, computed by the domain's rules (never stored).
    pub fn legal_status(&self, on: NaiveDate) -> LegalStatus {
        LegalStatus::compute(self.birth_date, on, &self.history)
    }
}

/// A contact person as stored.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct ContactPersonRecord {
    pub id: Uuid,
    pub youth_id: Uuid,
    pub name: PersonName,
    pub relation: Option<Relation>,
    pub responsible: bool,
    pub street: Option<String>,
    pub house_number: Option<String>,
    pub postcode: Option<String>,
    pub town: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A case as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CaseRecord {
    pub id: Uuid,
    pub version: u64,
    pub youth_id: Uuid,
    pub kind: CaseKind,
    /// The soort as stored: a domain code when a device wrote it, possibly
    /// free text when the server's import did.
    pub soort: Option<String>,
    pub verzuim_kind: Option<VerzuimKind>,
    pub vsv_kind: Option<VsvKind>,
    pub vrijstelling_article: Option<VrijstellingArticle>,
    pub vrijstelling_status: Option<VrijstellingStatus>,
    pub status: CaseStatus,
    pub assigned_user_id: Option<Uuid>,
    pub shared_with: Vec<Uuid>,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub outcome: Option<Outcome>,
    pub gemeente: Option<String>,
    pub school_id: Option<Uuid>,
    pub hours_absent: Option<u32>,
    pub care_concern: bool,
}

impl CaseRecord {
    /// Open: status open and no closing date.
    pub fn is_open(&self) -> bool {
        self.status == CaseStatus::Open && self.closed_on.is_none()
    }

    /// The kenmerk (reference) printed on the case's letters, the same from
    /// the app and from the office's CLI; see [`case_reference`].
    pub fn reference(&self) -> String {
        case_reference(self.id)
    }
}

/// The kenmerk of a case: `VW-` and the last 12 hex digits of its id.
///
/// Case ids are UUIDv7: the first 12 digits are the creation time in
/// milliseconds, so a kenmerk made from the front would be the same for
/// every case opened in the same minute. The last 12 are random (48 bits),
/// so the office finds the case by its kenmerk, and the letter shows nothing
/// personal.
pub fn case_reference(case_id: Uuid) -> String {
    let simple = case_id.simple().to_string().to_uppercase();
    format!("VW-{}", &simple[simple.len() - 12..])
}

/// A melding as stored.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct MeldingRecord {
    pub id: Uuid,
    pub case_id: Uuid,
    pub received_on: NaiveDate,
    pub kind: Option<CaseKind>,
    pub source: Option<MeldingSource>,
    pub number: Option<String>,
    pub soort: Option<String>,
    pub hours_absent: Option<u32>,
    pub note: Option<String>,
}

/// A contact moment as stored.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct ContactMomentRecord {
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: Option<ContactKind>,
    pub at: NaiveDateTime,
    pub outcome: Option<ContactOutcome>,
    pub user_id: Option<Uuid>,
    pub note: Option<String>,
    pub letter_kind: Option<LetterKind>,
    pub card_short_code: Option<String>,
}

/// A task as stored.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct TaskRecord {
    pub id: Uuid,
    pub version: u64,
    pub case_id: Uuid,
    pub kind: Option<TaskKind>,
    pub title: String,
    pub due_on: Option<NaiveDate>,
    pub done: bool,
    pub done_on: Option<NaiveDate>,
}

/// An appointment as stored.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct AppointmentRecord {
    pub id: Uuid,
    pub version: u64,
    pub case_id: Uuid,
    pub kind: Option<AppointmentKind>,
    pub status: Option<AppointmentStatus>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub location: Option<String>,
}

/// A consent as stored.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct ConsentRecord {
    pub id: Uuid,
    pub youth_id: Uuid,
    pub scope: Option<ConsentScope>,
    pub given_on: NaiveDate,
    pub given_by: Option<ConsentGiver>,
    pub withdrawn_on: Option<NaiveDate>,
    pub note: Option<String>,
}

/// A letter as stored. The token is left out: it is a bearer secret that
/// only printing needs (read it with `Vault::record`).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct LetterRecord {
    pub id: Uuid,
    pub case_id: Uuid,
    pub template: Option<LetterKind>,
    pub sent_on: NaiveDate,
    pub short_code: Option<String>,
    pub expires_on: Option<NaiveDate>,
}

id_only_debug!(
    YouthRecord,
    ContactPersonRecord,
    MeldingRecord,
    ContactMomentRecord,
    TaskRecord,
    AppointmentRecord,
    ConsentRecord,
    LetterRecord,
);

// ---- screens --------------------------------------------------------------

/// Filters and order of the caseload list. The default lists every case on
/// the device, by youth name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseloadQuery {
    pub kind: Option<CaseKind>,
    pub status: Option<CaseStatus>,
    /// Only cases with open tasks due on or before the day of the query.
    pub due_only: bool,
    pub gemeente: Option<String>,
    pub school_id: Option<Uuid>,
    pub sort: CaseloadSort,
}

/// The order of the caseload list. Ties are broken by case id, so the order
/// is stable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CaseloadSort {
    /// By surname without tussenvoegsel, then roepnaam ("Berg, Eva van der").
    #[default]
    YouthName,
    /// Newest first.
    OpenedOn,
    /// Most due tasks first.
    DueTasks,
    /// By werkproces, then youth name.
    Kind,
}

/// One row of the caseload list.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct CaseSummary {
    pub id: Uuid,
    pub kind: CaseKind,
    pub soort: Option<String>,
    pub status: CaseStatus,
    pub youth_id: Uuid,
    /// "Eva van der Berg"; empty when the youth is not on the device (yet).
    pub youth_name: String,
    /// Open tasks due on or before the day of the query (overdue included).
    pub due_tasks: u32,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub gemeente: Option<String>,
    pub school_id: Option<Uuid>,
    /// Computed by the domain's rules for the day of the query; `None` when
    /// the youth is not on the device.
    pub legal_status: Option<LegalStatus>,
    #[serde(skip)]
    pub(crate) sort_name: String,
}

id_only_debug!(CaseSummary);

/// One item of a case's timeline, newest first in [`CaseDetail::timeline`].
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TimelineEntry {
    ContactMoment(ContactMomentRecord),
    Letter(LetterRecord),
    Melding(MeldingRecord),
    Task(TaskRecord),
    Appointment(AppointmentRecord),
    Consent(ConsentRecord),
}

impl TimelineEntry {
    /// The moment the entry is placed at: a time, or a date at midnight.
    pub fn at(&self) -> NaiveDateTime {
        let midnight = |d: NaiveDate| d.and_time(chrono::NaiveTime::MIN);
        match self {
            TimelineEntry::ContactMoment(c) => c.at,
            TimelineEntry::Letter(l) => midnight(l.sent_on),
            TimelineEntry::Melding(m) => midnight(m.received_on),
            TimelineEntry::Task(t) => t.due_on.map_or(NaiveDateTime::MIN, midnight),
            TimelineEntry::Appointment(a) => a.starts_at,
            TimelineEntry::Consent(c) => midnight(c.given_on),
        }
    }

    pub fn id(&self) -> Uuid {
        match self {
            TimelineEntry::ContactMoment(c) => c.id,
            TimelineEntry::Letter(l) => l.id,
            TimelineEntry::Melding(m) => m.id,
            TimelineEntry::Task(t) => t.id,
            TimelineEntry::Appointment(a) => a.id,
            TimelineEntry::Consent(c) => c.id,
        }
    }
}

impl fmt::Debug for TimelineEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimelineEntry")
            .field("id", &self.id())
            .finish_non_exhaustive()
    }
}

/// A case with everything the detail screen shows.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct CaseDetail {
    pub case: CaseRecord,
    /// `None` when the youth is not on the device (yet).
    pub youth: Option<YouthRecord>,
    pub legal_status: Option<LegalStatus>,
    pub contact_persons: Vec<ContactPersonRecord>,
    pub school: Option<SchoolRecord>,
    /// Contact moments, letters, meldingen, tasks, appointments and the
    /// youth's consents, newest first.
    pub timeline: Vec<TimelineEntry>,
}

impl fmt::Debug for CaseDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CaseDetail")
            .field("case", &self.case.id)
            .field("timeline", &self.timeline.len())
            .finish_non_exhaustive()
    }
}

/// An appointment on the agenda, with whom it is.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct AgendaAppointment {
    pub appointment: AppointmentRecord,
    pub youth_name: String,
}

/// An open task on the agenda, with whom it is about.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct AgendaTask {
    pub task: TaskRecord,
    pub youth_name: String,
    /// Due before the agenda's day.
    pub overdue: bool,
}

/// A day's agenda: its appointments by start time, and the open tasks due
/// on it or overdue, oldest due first.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Agenda {
    pub day: NaiveDate,
    pub appointments: Vec<AgendaAppointment>,
    pub tasks: Vec<AgendaTask>,
}

impl fmt::Debug for Agenda {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Agenda")
            .field("day", &self.day)
            .field("appointments", &self.appointments.len())
            .field("tasks", &self.tasks.len())
            .finish()
    }
}

impl fmt::Debug for AgendaAppointment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgendaAppointment")
            .field("id", &self.appointment.id)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for AgendaTask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgendaTask")
            .field("id", &self.task.id)
            .field("overdue", &self.overdue)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kenmerk_is_the_case_ids_random_tail_not_its_time() {
        let id = Uuid::from_u128(0x0190_0000_0000_7000_8000_00ab_cdef_0123);
        assert_eq!(case_reference(id), "VW-00ABCDEF0123");
        // Two ids of the same millisecond differ only in their random part.
        let a = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001);
        let b = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0002);
        assert_ne!(case_reference(a), case_reference(b));
    }
}
