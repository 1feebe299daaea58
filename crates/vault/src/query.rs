//! The queries the screens need: today's agenda, the caseload list, a case
//! with its timeline; and reading records into the typed forms of
//! [`crate::model`].
//!
//! Reads never write, with one exception made by the caller:
//! [`crate::Vault::case_detail`] audits the view. Legal status is computed
//! here by the domain's rules for the day asked about; it is never stored.
//! Records whose links point at records not on the device (a pull can bring
//! a task before its case) are shown without them, never dropped.

use std::cmp::Reverse;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;
use veldwerk_domain::{
    ArticleRef, Case, CaseId, CaseKind, CaseStatus, PersonName, SchoolHistory, SchoolId,
    SchoolYear, UserId, VerzuimKind, VrijstellingArticle, VsvKind, YouthId,
};

use crate::VaultError;
use crate::model::{
    Agenda, AgendaAppointment, AgendaTask, AppointmentRecord, CaseDetail, CaseRecord, CaseSummary,
    CaseloadQuery, CaseloadSort, ConsentRecord, ContactMomentRecord, ContactPersonRecord,
    LetterRecord, MeldingRecord, SchoolRecord, TaskRecord, TimelineEntry, YouthRecord,
};
use crate::schema::DATETIME_FORMAT;

// ---- reading values ---------------------------------------------------------

pub(crate) fn id(text: &str) -> Result<Uuid, VaultError> {
    Uuid::parse_str(text).map_err(|_| VaultError::Corrupt)
}

fn opt_id(text: Option<String>) -> Option<Uuid> {
    text.and_then(|t| Uuid::parse_str(&t).ok())
}

pub(crate) fn date(text: &str) -> Result<NaiveDate, VaultError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| VaultError::Corrupt)
}

fn opt_date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
}

fn datetime(text: &str) -> Result<NaiveDateTime, VaultError> {
    NaiveDateTime::parse_from_str(text, DATETIME_FORMAT).map_err(|_| VaultError::Corrupt)
}

/// A coded value read leniently: `None` when absent or not a known code
/// (a record from elsewhere may hold free text).
fn code<T: FromStr>(text: Option<String>) -> Option<T> {
    text.and_then(|t| t.parse().ok())
}

fn opt_u32(value: Option<i64>) -> Option<u32> {
    value.and_then(|v| u32::try_from(v).ok())
}

pub(crate) fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(crate) fn hm(t: NaiveDateTime) -> String {
    t.format(DATETIME_FORMAT).to_string()
}

/// A name from its stored parts; an unknown voornaam is empty.
fn person_name(
    given: Option<String>,
    call: Option<String>,
    prefix: Option<String>,
    family: String,
) -> PersonName {
    PersonName {
        given_names: given.unwrap_or_default(),
        call_name: call.filter(|c| !c.is_empty()),
        prefix: prefix.filter(|p| !p.is_empty()),
        family_name: family,
    }
}

/// "Eva van der Berg", or just the surname when no first name is known.
fn display_name(name: &PersonName) -> String {
    if name.first_name().is_empty() {
        name.surname()
    } else {
        name.display_name()
    }
}

// ---- records ------------------------------------------------------------------

const SCHOOL_COLUMNS: &str = "id, name, brin, school_type, location, gemeente";

fn school_row(r: &Row<'_>) -> rusqlite::Result<(String, SchoolRecord)> {
    Ok((
        r.get(0)?,
        SchoolRecord {
            id: Uuid::nil(),
            name: r.get(1)?,
            brin: r.get(2)?,
            school_type: code(r.get(3)?),
            location: r.get(4)?,
            gemeente: r.get(5)?,
        },
    ))
}

pub(crate) fn school(
    conn: &Connection,
    school_id: Uuid,
) -> Result<Option<SchoolRecord>, VaultError> {
    let row = conn
        .prepare_cached(&format!(
            "SELECT {SCHOOL_COLUMNS} FROM school WHERE id = ?1"
        ))?
        .query_row([school_id.to_string()], school_row)
        .optional()?;
    row.map(|(i, s)| Ok(SchoolRecord { id: id(&i)?, ..s }))
        .transpose()
}

pub(crate) fn schools(conn: &Connection) -> Result<Vec<SchoolRecord>, VaultError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SCHOOL_COLUMNS} FROM school ORDER BY name, id"
    ))?;
    let rows = stmt.query_map([], school_row)?;
    let mut out = Vec::new();
    for row in rows {
        let (i, s) = row?;
        out.push(SchoolRecord { id: id(&i)?, ..s });
    }
    Ok(out)
}

const YOUTH_COLUMNS: &str = "id, version, voornaam, roepnaam, tussenvoegsel, achternaam, \
     geboortedatum, bsn, onderwijsnummer, straat, huisnummer, postcode, plaats, gemeente, \
     telefoon, email, school_id, startkwalificatie_datum, twaalfde_schooljaar";

fn youth_row(r: &Row<'_>) -> rusqlite::Result<Result<YouthRecord, VaultError>> {
    let raw_id: String = r.get(0)?;
    let version: i64 = r.get(1)?;
    let birth: String = r.get(6)?;
    let twelfth: Option<String> = r.get(18)?;
    let name = person_name(r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
    let rest = (
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
        r.get(12)?,
        r.get(13)?,
        r.get(14)?,
        r.get(15)?,
        opt_id(r.get(16)?),
        opt_date(r.get(17)?),
    );
    Ok((|| {
        Ok(YouthRecord {
            id: id(&raw_id)?,
            version: crate::write::to_u64(version)?,
            name,
            birth_date: date(&birth)?,
            bsn: rest.0,
            onderwijsnummer: rest.1,
            street: rest.2,
            house_number: rest.3,
            postcode: rest.4,
            town: rest.5,
            gemeente: rest.6,
            phone: rest.7,
            email: rest.8,
            school_id: rest.9,
            history: SchoolHistory {
                twelfth_full_school_year: twelfth.and_then(|t| SchoolYear::parse(&t).ok()),
                startkwalificatie_on: rest.10,
            },
        })
    })())
}

pub(crate) fn youth(conn: &Connection, youth_id: Uuid) -> Result<Option<YouthRecord>, VaultError> {
    conn.prepare_cached(&format!("SELECT {YOUTH_COLUMNS} FROM youth WHERE id = ?1"))?
        .query_row([youth_id.to_string()], youth_row)
        .optional()?
        .transpose()
}

pub(crate) fn contact_persons(
    conn: &Connection,
    youth_id: Uuid,
) -> Result<Vec<ContactPersonRecord>, VaultError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, voornaam, tussenvoegsel, achternaam, relatie, verantwoordelijk, straat,
                huisnummer, postcode, plaats, telefoon, email
         FROM contact_person WHERE youth_id = ?1 ORDER BY verantwoordelijk DESC, achternaam, id",
    )?;
    let rows = stmt.query_map([youth_id.to_string()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            ContactPersonRecord {
                id: Uuid::nil(),
                youth_id,
                name: person_name(r.get(1)?, None, r.get(2)?, r.get(3)?),
                relation: code(r.get(4)?),
                responsible: r.get(5)?,
                street: r.get(6)?,
                house_number: r.get(7)?,
                postcode: r.get(8)?,
                town: r.get(9)?,
                phone: r.get(10)?,
                email: r.get(11)?,
            },
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (i, p) = row?;
        out.push(ContactPersonRecord { id: id(&i)?, ..p });
    }
    Ok(out)
}

const CASE_COLUMNS: &str = "id, version, youth_id, werkproces, soort, vrijstelling_artikel, \
     vrijstelling_letter, vrijstelling_status, status, assigned_user_id, shared_with, opened_on, \
     closed_on, outcome, gemeente, school_id, hours_absent, care_concern";

type RawCase = (
    String,
    i64,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    bool,
);

fn raw_case(r: &Row<'_>) -> rusqlite::Result<RawCase> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
        r.get(12)?,
        r.get(13)?,
        r.get(14)?,
        r.get(15)?,
        r.get(16)?,
        r.get(17)?,
    ))
}

fn case_record(raw: RawCase) -> Result<CaseRecord, VaultError> {
    let kind = CaseKind::from_code(&raw.3).map_err(|_| VaultError::Corrupt)?;
    let soort = raw.4;
    let article = match (raw.5, raw.6) {
        (Some(number), letter) => u8::try_from(number).ok().and_then(|number| {
            VrijstellingArticle::from_parts(ArticleRef {
                number,
                letter: letter.and_then(|l| l.chars().next()),
            })
        }),
        (None, _) => None,
    };
    let shared_with: Vec<Uuid> = raw
        .10
        .and_then(|s| serde_json::from_str::<Vec<String>>(&s).ok())
        .unwrap_or_default()
        .iter()
        .filter_map(|s| Uuid::parse_str(s).ok())
        .collect();
    Ok(CaseRecord {
        id: id(&raw.0)?,
        version: crate::write::to_u64(raw.1)?,
        youth_id: id(&raw.2)?,
        kind,
        verzuim_kind: (kind == CaseKind::Verzuim)
            .then(|| code::<VerzuimKind>(soort.clone()))
            .flatten(),
        vsv_kind: (kind == CaseKind::Vsv)
            .then(|| code::<VsvKind>(soort.clone()))
            .flatten(),
        soort,
        vrijstelling_article: article,
        vrijstelling_status: code(raw.7),
        status: if raw.8 == CaseStatus::Open.code() {
            CaseStatus::Open
        } else {
            CaseStatus::Closed
        },
        assigned_user_id: opt_id(raw.9),
        shared_with,
        opened_on: date(&raw.11)?,
        closed_on: opt_date(raw.12),
        outcome: code(raw.13),
        gemeente: raw.14,
        school_id: opt_id(raw.15),
        hours_absent: opt_u32(raw.16),
        care_concern: raw.17,
    })
}

pub(crate) fn case(conn: &Connection, case_id: Uuid) -> Result<Option<CaseRecord>, VaultError> {
    conn.prepare_cached(&format!(
        "SELECT {CASE_COLUMNS} FROM \"case\" WHERE id = ?1"
    ))?
    .query_row([case_id.to_string()], raw_case)
    .optional()?
    .map(case_record)
    .transpose()
}

pub(crate) fn cases_of_youth(
    conn: &Connection,
    youth_id: Uuid,
) -> Result<Vec<CaseRecord>, VaultError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CASE_COLUMNS} FROM \"case\" WHERE youth_id = ?1 ORDER BY opened_on, id"
    ))?;
    let rows = stmt.query_map([youth_id.to_string()], raw_case)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(case_record(row?)?);
    }
    Ok(out)
}

/// The domain's view of a stored case, for its rules.
pub(crate) fn domain_case(record: &CaseRecord) -> Result<Case, VaultError> {
    let case_id = CaseId::parse(&record.id.to_string()).map_err(|_| VaultError::Corrupt)?;
    let youth_id = YouthId::parse(&record.youth_id.to_string()).map_err(|_| VaultError::Corrupt)?;
    let mut case = Case::open(case_id, youth_id, record.kind, record.opened_on);
    case.verzuim_kind = record.verzuim_kind;
    case.vsv_kind = record.vsv_kind;
    case.status = record.status;
    case.closed_on = record.closed_on;
    case.outcome = record.outcome;
    case.gemeente = record.gemeente.clone();
    case.assigned_user_id = record
        .assigned_user_id
        .and_then(|u| UserId::parse(&u.to_string()).ok());
    case.school_id = record
        .school_id
        .and_then(|s| SchoolId::parse(&s.to_string()).ok());
    Ok(case)
}

fn meldingen(conn: &Connection, case_id: &str) -> Result<Vec<MeldingRecord>, VaultError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, datum, werkproces, bron, meldingnummer, soort, hours_absent, toelichting
         FROM melding WHERE case_id = ?1",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            MeldingRecord {
                id: Uuid::nil(),
                case_id: Uuid::nil(),
                received_on: NaiveDate::MIN,
                kind: code(r.get(2)?),
                source: code(r.get(3)?),
                number: r.get(4)?,
                soort: r.get(5)?,
                hours_absent: opt_u32(r.get(6)?),
                note: r.get(7)?,
            },
        ))
    })?;
    let case_uuid = id(case_id)?;
    let mut out = Vec::new();
    for row in rows {
        let (i, d, m) = row?;
        out.push(MeldingRecord {
            id: id(&i)?,
            case_id: case_uuid,
            received_on: date(&d)?,
            ..m
        });
    }
    Ok(out)
}

fn contact_moments(
    conn: &Connection,
    case_id: &str,
) -> Result<Vec<ContactMomentRecord>, VaultError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, at, outcome, user_id, note, letter_kind, card_short_code
         FROM contact_moment WHERE case_id = ?1",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(2)?,
            ContactMomentRecord {
                id: Uuid::nil(),
                case_id: Uuid::nil(),
                kind: code(r.get(1)?),
                at: NaiveDateTime::MIN,
                outcome: code(r.get(3)?),
                user_id: opt_id(r.get(4)?),
                note: r.get(5)?,
                letter_kind: code(r.get(6)?),
                card_short_code: r.get(7)?,
            },
        ))
    })?;
    let case_uuid = id(case_id)?;
    let mut out = Vec::new();
    for row in rows {
        let (i, at, c) = row?;
        out.push(ContactMomentRecord {
            id: id(&i)?,
            case_id: case_uuid,
            at: datetime(&at)?,
            ..c
        });
    }
    Ok(out)
}

const TASK_COLUMNS: &str =
    "t.id, t.version, t.case_id, t.kind, t.title, t.due_date, t.done, t.done_on";

fn task_row(r: &Row<'_>) -> rusqlite::Result<(String, String, TaskRecord)> {
    Ok((
        r.get(0)?,
        r.get(2)?,
        TaskRecord {
            id: Uuid::nil(),
            version: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
            case_id: Uuid::nil(),
            kind: code(r.get(3)?),
            title: r.get(4)?,
            due_on: opt_date(r.get(5)?),
            done: r.get(6)?,
            done_on: opt_date(r.get(7)?),
        },
    ))
}

fn task_record((i, c, t): (String, String, TaskRecord)) -> Result<TaskRecord, VaultError> {
    Ok(TaskRecord {
        id: id(&i)?,
        case_id: id(&c)?,
        ..t
    })
}

fn tasks(conn: &Connection, case_id: &str) -> Result<Vec<TaskRecord>, VaultError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TASK_COLUMNS} FROM task t WHERE t.case_id = ?1"
    ))?;
    let rows = stmt.query_map([case_id], task_row)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(task_record(row?)?);
    }
    Ok(out)
}

pub(crate) fn task(conn: &Connection, task_id: Uuid) -> Result<Option<TaskRecord>, VaultError> {
    conn.prepare_cached(&format!(
        "SELECT {TASK_COLUMNS} FROM task t WHERE t.id = ?1"
    ))?
    .query_row([task_id.to_string()], task_row)
    .optional()?
    .map(task_record)
    .transpose()
}

const APPOINTMENT_COLUMNS: &str =
    "a.id, a.version, a.case_id, a.kind, a.status, a.starts_at, a.ends_at, a.location";

type RawAppointment = (
    String,
    i64,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
);

fn raw_appointment(r: &Row<'_>) -> rusqlite::Result<RawAppointment> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
    ))
}

fn appointment_record(raw: RawAppointment) -> Result<AppointmentRecord, VaultError> {
    Ok(AppointmentRecord {
        id: id(&raw.0)?,
        version: crate::write::to_u64(raw.1)?,
        case_id: id(&raw.2)?,
        kind: code(raw.3),
        status: code(raw.4),
        starts_at: datetime(&raw.5)?,
        ends_at: datetime(&raw.6)?,
        location: raw.7,
    })
}

fn appointments(conn: &Connection, case_id: &str) -> Result<Vec<AppointmentRecord>, VaultError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {APPOINTMENT_COLUMNS} FROM appointment a WHERE a.case_id = ?1"
    ))?;
    let rows = stmt.query_map([case_id], raw_appointment)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(appointment_record(row?)?);
    }
    Ok(out)
}

pub(crate) fn appointment(
    conn: &Connection,
    appointment_id: Uuid,
) -> Result<Option<AppointmentRecord>, VaultError> {
    conn.prepare_cached(&format!(
        "SELECT {APPOINTMENT_COLUMNS} FROM appointment a WHERE a.id = ?1"
    ))?
    .query_row([appointment_id.to_string()], raw_appointment)
    .optional()?
    .map(appointment_record)
    .transpose()
}

fn letters(conn: &Connection, case_id: &str) -> Result<Vec<LetterRecord>, VaultError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, template, sent_on, short_code, expires_on FROM letter WHERE case_id = ?1",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(2)?,
            LetterRecord {
                id: Uuid::nil(),
                case_id: Uuid::nil(),
                template: code(r.get(1)?),
                sent_on: NaiveDate::MIN,
                short_code: r.get(3)?,
                expires_on: opt_date(r.get(4)?),
            },
        ))
    })?;
    let case_uuid = id(case_id)?;
    let mut out = Vec::new();
    for row in rows {
        let (i, d, l) = row?;
        out.push(LetterRecord {
            id: id(&i)?,
            case_id: case_uuid,
            sent_on: date(&d)?,
            ..l
        });
    }
    Ok(out)
}

pub(crate) fn consents(
    conn: &Connection,
    youth_id: Uuid,
) -> Result<Vec<ConsentRecord>, VaultError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, scope, given_on, given_by, withdrawn_on, note FROM consent WHERE youth_id = ?1
         ORDER BY given_on, id",
    )?;
    let rows = stmt.query_map([youth_id.to_string()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(2)?,
            ConsentRecord {
                id: Uuid::nil(),
                youth_id,
                scope: code(r.get(1)?),
                given_on: NaiveDate::MIN,
                given_by: code(r.get(3)?),
                withdrawn_on: opt_date(r.get(4)?),
                note: r.get(5)?,
            },
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (i, d, c) = row?;
        out.push(ConsentRecord {
            id: id(&i)?,
            given_on: date(&d)?,
            ..c
        });
    }
    Ok(out)
}

// ---- screens ------------------------------------------------------------------

/// The caseload list for `on` (the day due tasks and legal status are for).
///
/// Due tasks are counted from the covering index of open tasks by due date
/// (`task_open_due_case`), which holds only the few open ones: `GROUP BY
/// +case_id` keeps the planner from walking every task through
/// `task_case` for the grouping order instead, which read the whole task
/// table (hundreds of pages, each decrypted) to count a few hundred rows.
pub(crate) fn caseload(
    conn: &Connection,
    query: &CaseloadQuery,
    on: NaiveDate,
) -> Result<Vec<CaseSummary>, VaultError> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.werkproces, c.soort, c.status, c.youth_id, c.opened_on, c.closed_on,
                c.gemeente, c.school_id,
                y.voornaam, y.roepnaam, y.tussenvoegsel, y.achternaam, y.geboortedatum,
                y.startkwalificatie_datum, y.twaalfde_schooljaar,
                coalesce(d.n, 0)
         FROM \"case\" c
         LEFT JOIN youth y ON y.id = c.youth_id
         LEFT JOIN (SELECT case_id, count(*) AS n FROM task
                    WHERE done = 0 AND due_date <= ?1 GROUP BY +case_id) d ON d.case_id = c.id
         WHERE (?2 IS NULL OR c.werkproces = ?2)
           AND (?3 IS NULL OR c.status = ?3)
           AND (?4 IS NULL OR c.gemeente = ?4)
           AND (?5 IS NULL OR c.school_id = ?5)
           AND (?6 = 0 OR d.n > 0)",
    )?;
    let rows = stmt.query_map(
        params![
            ymd(on),
            query.kind.map(|k| k.code()),
            query.status.map(|s| s.code()),
            query.gemeente,
            query.school_id.map(|s| s.to_string()),
            query.due_only,
        ],
        |r| {
            Ok((
                (
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ),
                (
                    r.get::<_, Option<String>>(9)?,
                    r.get::<_, Option<String>>(10)?,
                    r.get::<_, Option<String>>(11)?,
                    r.get::<_, Option<String>>(12)?,
                    r.get::<_, Option<String>>(13)?,
                    r.get::<_, Option<String>>(14)?,
                    r.get::<_, Option<String>>(15)?,
                ),
                r.get::<_, i64>(16)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (c, y, due) = row?;
        let (name, legal_status) = match (y.3, y.4) {
            (Some(family), Some(birth)) => {
                let name = person_name(y.0, y.1, y.2, family);
                let history = SchoolHistory {
                    twelfth_full_school_year: y.6.and_then(|t| SchoolYear::parse(&t).ok()),
                    startkwalificatie_on: opt_date(y.5),
                };
                let status = veldwerk_domain::LegalStatus::compute(date(&birth)?, on, &history);
                (Some(name), Some(status))
            }
            _ => (None, None),
        };
        out.push(CaseSummary {
            id: id(&c.0)?,
            kind: CaseKind::from_code(&c.1).map_err(|_| VaultError::Corrupt)?,
            soort: c.2,
            status: if c.3 == CaseStatus::Open.code() {
                CaseStatus::Open
            } else {
                CaseStatus::Closed
            },
            youth_id: id(&c.4)?,
            youth_name: name.as_ref().map(display_name).unwrap_or_default(),
            sort_name: name
                .as_ref()
                .map(|n| n.sort_name().to_lowercase())
                .unwrap_or_default(),
            due_tasks: u32::try_from(due).unwrap_or(u32::MAX),
            opened_on: date(&c.5)?,
            closed_on: opt_date(c.6),
            gemeente: c.7,
            school_id: opt_id(c.8),
            legal_status,
        });
    }
    let by_name =
        |a: &CaseSummary, b: &CaseSummary| (&a.sort_name, a.id).cmp(&(&b.sort_name, b.id));
    match query.sort {
        CaseloadSort::YouthName => out.sort_by(by_name),
        CaseloadSort::OpenedOn => out.sort_by_key(|c| (Reverse(c.opened_on), c.id)),
        CaseloadSort::DueTasks => out.sort_by(|a, b| {
            Reverse(a.due_tasks)
                .cmp(&Reverse(b.due_tasks))
                .then_with(|| by_name(a, b))
        }),
        CaseloadSort::Kind => {
            out.sort_by(|a, b| a.kind.code().cmp(b.kind.code()).then_with(|| by_name(a, b)))
        }
    }
    Ok(out)
}

/// A case with its youth, contact persons, school and timeline; `None`
/// when the case is not on the device.
pub(crate) fn case_detail(
    conn: &Connection,
    case_id: Uuid,
    on: NaiveDate,
) -> Result<Option<CaseDetail>, VaultError> {
    let Some(case) = case(conn, case_id)? else {
        return Ok(None);
    };
    let youth = youth(conn, case.youth_id)?;
    let key = case_id.to_string();
    let mut timeline: Vec<TimelineEntry> = Vec::new();
    timeline.extend(
        contact_moments(conn, &key)?
            .into_iter()
            .map(TimelineEntry::ContactMoment),
    );
    timeline.extend(letters(conn, &key)?.into_iter().map(TimelineEntry::Letter));
    timeline.extend(
        meldingen(conn, &key)?
            .into_iter()
            .map(TimelineEntry::Melding),
    );
    timeline.extend(tasks(conn, &key)?.into_iter().map(TimelineEntry::Task));
    timeline.extend(
        appointments(conn, &key)?
            .into_iter()
            .map(TimelineEntry::Appointment),
    );
    timeline.extend(
        consents(conn, case.youth_id)?
            .into_iter()
            .map(TimelineEntry::Consent),
    );
    timeline.sort_by_key(|e| (Reverse(e.at()), e.id()));
    let school = match case.school_id.or(youth.as_ref().and_then(|y| y.school_id)) {
        Some(s) => school(conn, s)?,
        None => None,
    };
    Ok(Some(CaseDetail {
        legal_status: youth.as_ref().map(|y| y.legal_status(on)),
        contact_persons: contact_persons(conn, case.youth_id)?,
        youth,
        school,
        case,
        timeline,
    }))
}

/// The agenda of `day`.
pub(crate) fn agenda(conn: &Connection, day: NaiveDate) -> Result<Agenda, VaultError> {
    let start = ymd(day);
    // Appointments that touch the day: start before its end, end after its start.
    let day_end = format!("{start}T23:59:59");
    let day_start = format!("{start}T00:00:00");
    let name_columns = "y.voornaam, y.roepnaam, y.tussenvoegsel, y.achternaam";
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {APPOINTMENT_COLUMNS}, {name_columns}
         FROM appointment a
         LEFT JOIN \"case\" c ON c.id = a.case_id
         LEFT JOIN youth y ON y.id = c.youth_id
         WHERE a.starts_at <= ?1 AND a.ends_at >= ?2
         ORDER BY a.starts_at, a.id"
    ))?;
    let rows = stmt.query_map([&day_end, &day_start], |r| {
        Ok((
            raw_appointment(r)?,
            (
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<String>>(9)?,
                r.get::<_, Option<String>>(10)?,
                r.get::<_, Option<String>>(11)?,
            ),
        ))
    })?;
    let name = |n: (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    )| {
        n.3.map(|family| display_name(&person_name(n.0, n.1, n.2, family)))
            .unwrap_or_default()
    };
    let mut appointments = Vec::new();
    for row in rows {
        let (raw, n) = row?;
        appointments.push(AgendaAppointment {
            appointment: appointment_record(raw)?,
            youth_name: name(n),
        });
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TASK_COLUMNS}, {name_columns}
         FROM task t
         LEFT JOIN \"case\" c ON c.id = t.case_id
         LEFT JOIN youth y ON y.id = c.youth_id
         WHERE t.done = 0 AND t.due_date <= ?1
         ORDER BY t.due_date, t.title, t.id"
    ))?;
    let rows = stmt.query_map([&start], |r| {
        Ok((
            task_row(r)?,
            (
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<String>>(9)?,
                r.get::<_, Option<String>>(10)?,
                r.get::<_, Option<String>>(11)?,
            ),
        ))
    })?;
    let mut tasks = Vec::new();
    for row in rows {
        let (raw, n) = row?;
        let task = task_record(raw)?;
        tasks.push(AgendaTask {
            overdue: task.due_on.is_some_and(|d| d < day),
            task,
            youth_name: name(n),
        });
    }
    Ok(Agenda {
        day,
        appointments,
        tasks,
    })
}

// ---- the screens' entry points --------------------------------------------------

impl crate::Vault {
    /// The agenda of `day`: appointments that take place on it, by start
    /// time, and open tasks due on it or before (overdue), oldest first.
    pub fn agenda(&self, day: NaiveDate) -> Result<Agenda, VaultError> {
        agenda(&self.conn, day)
    }

    /// The caseload list, filtered and sorted by `query`; due tasks and
    /// legal status are for `on` (today).
    pub fn caseload(
        &self,
        query: &CaseloadQuery,
        on: NaiveDate,
    ) -> Result<Vec<CaseSummary>, VaultError> {
        caseload(&self.conn, query, on)
    }

    /// The gemeenten the device's cases are in, sorted (the caseload's
    /// filter choices; without computing the list itself).
    pub fn case_gemeenten(&self) -> Result<Vec<String>, VaultError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT gemeente FROM \"case\" WHERE gemeente IS NOT NULL ORDER BY gemeente",
        )?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Open a case's detail screen: the case with its youth, contact
    /// persons, school and timeline, with legal status for `on`. Audited as
    /// a view by the enrolled user (see [`crate::Vault::record_view`]).
    /// `None` (and nothing audited) when the case is not on the device.
    pub fn case_detail(
        &mut self,
        case_id: Uuid,
        on: NaiveDate,
    ) -> Result<Option<CaseDetail>, VaultError> {
        let detail = case_detail(&self.conn, case_id, on)?;
        if detail.is_some() {
            let user = self.user_id();
            self.record_view(user, veldwerk_protocol::entities::CASE, case_id)?;
        }
        Ok(detail)
    }

    /// A task by id.
    pub fn task(&self, task_id: Uuid) -> Result<Option<TaskRecord>, VaultError> {
        task(&self.conn, task_id)
    }

    /// An appointment by id.
    pub fn appointment(
        &self,
        appointment_id: Uuid,
    ) -> Result<Option<AppointmentRecord>, VaultError> {
        appointment(&self.conn, appointment_id)
    }
}
