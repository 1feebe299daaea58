//! The allow-list of entity tables: which tables the write path may touch,
//! their writable columns and value types, how records link to each other,
//! and what goes into search.
//!
//! SQL of the write path is built only from the names in this file, never
//! from a caller's strings; values are always bound as parameters. A new
//! entity is a migration that creates its table (with `id TEXT PRIMARY KEY`,
//! `version INTEGER NOT NULL`, `updated_at TEXT NOT NULL`, managed by the
//! engine) plus one [`Table`] here; the unit tests check the two agree and
//! that the entity is one the sync protocol knows (or is listed as held, see
//! [`Table::local_spec`]).
//!
//! Links ([`Link`]) replace SQL foreign keys: records arrive from the server
//! in its order of last change, so a child can come before its parent. The
//! write path checks the links of local changes; purges follow them.

use serde_json::Value;

use veldwerk_protocol::entities::{self, EntitySpec, Scope};

/// How a column's JSON value is checked and stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ColumnType {
    /// A JSON string, stored as TEXT.
    Text,
    /// A UUID (the id of another record or a user), stored as hyphenated
    /// lowercase TEXT.
    Id,
    /// A date `YYYY-MM-DD`, stored as TEXT.
    Date,
    /// A local (Dutch) time `YYYY-MM-DDTHH:MM:SS`, stored as TEXT (sorts as time).
    DateTime,
    /// A JSON boolean, stored as INTEGER 0 or 1.
    Bool,
    /// A JSON integer, stored as INTEGER.
    Integer,
    /// Any JSON, stored as its text.
    Json,
}

/// The stored form of [`ColumnType::DateTime`].
pub(crate) const DATETIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

impl ColumnType {
    pub(crate) fn expected(self) -> &'static str {
        match self {
            ColumnType::Text => "text",
            ColumnType::Id => "a UUID",
            ColumnType::Date => "a date YYYY-MM-DD",
            ColumnType::DateTime => "a time YYYY-MM-DDTHH:MM:SS",
            ColumnType::Bool => "true or false",
            ColumnType::Integer => "an integer",
            ColumnType::Json => "JSON",
        }
    }

    /// The value to store and its canonical JSON form (what the outbox
    /// carries), or `None` when `value` does not fit. Null is handled by the
    /// caller.
    pub(crate) fn convert(self, value: &Value) -> Option<(rusqlite::types::Value, Value)> {
        use rusqlite::types::Value as Sql;
        match (self, value) {
            (ColumnType::Text, Value::String(s)) => Some((Sql::Text(s.clone()), value.clone())),
            (ColumnType::Id, Value::String(s)) => {
                let id = uuid::Uuid::parse_str(s).ok()?.hyphenated().to_string();
                Some((Sql::Text(id.clone()), Value::String(id)))
            }
            (ColumnType::Date, Value::String(s)) => {
                let date = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
                let text = date.format("%Y-%m-%d").to_string();
                (text == *s).then(|| (Sql::Text(text), value.clone()))
            }
            (ColumnType::DateTime, Value::String(s)) => {
                let time = chrono::NaiveDateTime::parse_from_str(s, DATETIME_FORMAT).ok()?;
                let text = time.format(DATETIME_FORMAT).to_string();
                (text == *s).then(|| (Sql::Text(text), value.clone()))
            }
            (ColumnType::Bool, Value::Bool(b)) => {
                Some((Sql::Integer(i64::from(*b)), value.clone()))
            }
            (ColumnType::Integer, Value::Number(n)) => {
                Some((Sql::Integer(n.as_i64()?), value.clone()))
            }
            (ColumnType::Json, v) => Some((Sql::Text(v.to_string()), v.clone())),
            _ => None,
        }
    }

    /// The JSON form of a stored value.
    pub(crate) fn to_json(self, stored: rusqlite::types::Value) -> Option<Value> {
        use rusqlite::types::Value as Sql;
        match (self, stored) {
            (_, Sql::Null) => Some(Value::Null),
            (
                ColumnType::Text | ColumnType::Id | ColumnType::Date | ColumnType::DateTime,
                Sql::Text(s),
            ) => Some(Value::String(s)),
            (ColumnType::Bool, Sql::Integer(i)) => Some(Value::Bool(i != 0)),
            (ColumnType::Integer, Sql::Integer(i)) => Some(Value::from(i)),
            (ColumnType::Json, Sql::Text(s)) => serde_json::from_str(&s).ok(),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Column {
    pub name: &'static str,
    pub ty: ColumnType,
    pub nullable: bool,
    /// Only the bureau changes it (a case's `assigned_user_id` and
    /// `shared_with`): a device may set it when it creates the record, never
    /// update it; the server would reject the operation.
    pub bureau_only: bool,
}

/// A column of the `search` FTS5 table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SearchColumn {
    Name,
    Address,
    School,
    Notes,
}

impl SearchColumn {
    pub(crate) const ALL: [SearchColumn; 4] = [
        SearchColumn::Name,
        SearchColumn::Address,
        SearchColumn::School,
        SearchColumn::Notes,
    ];
}

/// A column that holds the id of another record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Link {
    pub column: &'static str,
    /// The entity the id belongs to.
    pub target: &'static str,
    /// The record belongs to its target: it leaves the device with it (purge)
    /// and the target cannot be deleted while it exists. Otherwise a plain
    /// reference (a school, the parent who gave a consent).
    pub owner: bool,
}

/// One entity table the write path may change.
#[derive(Debug)]
pub(crate) struct Table {
    /// The protocol's entity name (also the SQL table name).
    pub entity: &'static str,
    /// Writable columns, besides the engine's `id`, `version` and `updated_at`.
    pub columns: &'static [Column],
    /// Columns joined with spaces into the title shown in search results;
    /// empty for an entity that is not searchable.
    pub title: &'static [&'static str],
    /// Which columns, joined with spaces, fill which search column.
    pub search: &'static [(SearchColumn, &'static [&'static str])],
    pub links: &'static [Link],
    /// For an entity the sync protocol does not know yet: how it behaves.
    /// Its operations are written to the outbox like any other but held back
    /// from push (see `Vault::outbox`) until the protocol knows the entity.
    pub local_spec: Option<EntitySpec>,
}

impl Table {
    pub(crate) fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// How the entity syncs: the protocol's spec, or the local one of a held entity.
    pub(crate) fn spec(&'static self) -> Option<&'static EntitySpec> {
        entities::spec(self.entity).or(self.local_spec.as_ref())
    }

    /// Whether the sync protocol knows the entity (its operations are pushed).
    pub(crate) fn synced(&self) -> bool {
        entities::spec(self.entity).is_some()
    }

    pub(crate) fn searchable(&self) -> bool {
        !self.title.is_empty()
    }

    /// The table name for SQL, quoted (`case` is an SQL keyword).
    pub(crate) fn sql(&self) -> String {
        format!("\"{}\"", self.entity)
    }
}

const fn col(name: &'static str, ty: ColumnType) -> Column {
    Column {
        name,
        ty,
        nullable: false,
        bureau_only: false,
    }
}

const fn opt(name: &'static str, ty: ColumnType) -> Column {
    Column {
        name,
        ty,
        nullable: true,
        bureau_only: false,
    }
}

const fn bureau(name: &'static str, ty: ColumnType) -> Column {
    Column {
        name,
        ty,
        nullable: true,
        bureau_only: true,
    }
}

const fn owned_by(column: &'static str, target: &'static str) -> Link {
    Link {
        column,
        target,
        owner: true,
    }
}

const fn refers_to(column: &'static str, target: &'static str) -> Link {
    Link {
        column,
        target,
        owner: false,
    }
}

use ColumnType::{Bool, Date, DateTime, Id, Integer, Json, Text};

pub(crate) const SCHOOL: Table = Table {
    entity: entities::SCHOOL,
    columns: &[
        col("name", Text),
        opt("brin", Text),
        col("school_type", Text),
        opt("location", Text),
        col("gemeente", Text),
    ],
    title: &["name"],
    search: &[
        (SearchColumn::School, &["name", "brin"]),
        (SearchColumn::Address, &["location", "gemeente"]),
    ],
    links: &[],
    local_spec: None,
};

pub(crate) const YOUTH: Table = Table {
    entity: entities::YOUTH,
    columns: &[
        opt("bsn", Text),
        opt("onderwijsnummer", Text),
        col("voornaam", Text),
        opt("roepnaam", Text),
        opt("tussenvoegsel", Text),
        col("achternaam", Text),
        col("geboortedatum", Date),
        opt("straat", Text),
        opt("huisnummer", Text),
        opt("postcode", Text),
        opt("plaats", Text),
        opt("gemeente", Text),
        opt("telefoon", Text),
        opt("email", Text),
        opt("school_id", Id),
        opt("startkwalificatie_datum", Date),
        opt("twaalfde_schooljaar", Text),
    ],
    title: &["voornaam", "tussenvoegsel", "achternaam"],
    search: &[
        (
            SearchColumn::Name,
            &["voornaam", "roepnaam", "tussenvoegsel", "achternaam"],
        ),
        (
            SearchColumn::Address,
            &["straat", "huisnummer", "postcode", "plaats"],
        ),
    ],
    links: &[refers_to("school_id", entities::SCHOOL)],
    local_spec: None,
};

pub(crate) const CONTACT_PERSON: Table = Table {
    entity: entities::CONTACT_PERSON,
    columns: &[
        col("youth_id", Id),
        opt("voornaam", Text),
        opt("tussenvoegsel", Text),
        col("achternaam", Text),
        col("relatie", Text),
        col("verantwoordelijk", Bool),
        opt("straat", Text),
        opt("huisnummer", Text),
        opt("postcode", Text),
        opt("plaats", Text),
        opt("telefoon", Text),
        opt("email", Text),
    ],
    title: &["voornaam", "tussenvoegsel", "achternaam"],
    search: &[
        (
            SearchColumn::Name,
            &["voornaam", "tussenvoegsel", "achternaam"],
        ),
        (
            SearchColumn::Address,
            &["straat", "huisnummer", "postcode", "plaats"],
        ),
    ],
    links: &[owned_by("youth_id", entities::YOUTH)],
    local_spec: None,
};

pub(crate) const CASE: Table = Table {
    entity: entities::CASE,
    columns: &[
        col("youth_id", Id),
        col("werkproces", Text),
        opt("soort", Text),
        opt("vrijstelling_artikel", Integer),
        opt("vrijstelling_letter", Text),
        opt("vrijstelling_status", Text),
        col("status", Text),
        bureau(entities::case_fields::ASSIGNED_USER_ID, Id),
        bureau(entities::case_fields::SHARED_WITH, Json),
        col("opened_on", Date),
        opt(entities::case_fields::CLOSED_ON, Date),
        opt("outcome", Text),
        opt("gemeente", Text),
        opt("school_id", Id),
        opt("hours_absent", Integer),
        col("care_concern", Bool),
    ],
    title: &[],
    search: &[],
    links: &[
        owned_by("youth_id", entities::YOUTH),
        refers_to("school_id", entities::SCHOOL),
    ],
    local_spec: None,
};

pub(crate) const MELDING: Table = Table {
    entity: entities::MELDING,
    columns: &[
        col("case_id", Id),
        opt("youth_id", Id),
        opt("meldingnummer", Text),
        col("datum", Date),
        col("werkproces", Text),
        col("bron", Text),
        opt("soort", Text),
        opt("school_brin", Text),
        opt("school_id", Id),
        opt("toelichting", Text),
        opt("hours_absent", Integer),
        opt("outcome", Text),
    ],
    title: &["toelichting"],
    search: &[(SearchColumn::Notes, &["toelichting"])],
    links: &[
        owned_by("case_id", entities::CASE),
        refers_to("youth_id", entities::YOUTH),
        refers_to("school_id", entities::SCHOOL),
    ],
    local_spec: None,
};

pub(crate) const CONTACT_MOMENT: Table = Table {
    entity: entities::CONTACT_MOMENT,
    columns: &[
        col("case_id", Id),
        col("kind", Text),
        col("at", DateTime),
        col("outcome", Text),
        opt("user_id", Id),
        opt("note", Text),
        opt("letter_kind", Text),
        opt("letter_id", Id),
        opt("card_token", Text),
        opt("card_short_code", Text),
        opt("response_id", Id),
    ],
    title: &["note"],
    search: &[(SearchColumn::Notes, &["note"])],
    links: &[
        owned_by("case_id", entities::CASE),
        refers_to("letter_id", entities::LETTER),
        refers_to("response_id", entities::RESPONSE),
    ],
    local_spec: None,
};

pub(crate) const APPOINTMENT: Table = Table {
    entity: entities::APPOINTMENT,
    columns: &[
        col("case_id", Id),
        opt("user_id", Id),
        col("kind", Text),
        col("status", Text),
        col("starts_at", DateTime),
        col("ends_at", DateTime),
        opt("location", Text),
        opt("school_id", Id),
    ],
    title: &["location"],
    search: &[(SearchColumn::Notes, &["location"])],
    links: &[
        owned_by("case_id", entities::CASE),
        refers_to("school_id", entities::SCHOOL),
    ],
    local_spec: None,
};

pub(crate) const TASK: Table = Table {
    entity: entities::TASK,
    columns: &[
        col("case_id", Id),
        col("title", Text),
        opt("due_date", Date),
        col("done", Bool),
        opt("kind", Text),
        opt("assigned_user_id", Id),
        opt("letter_kind", Text),
        opt("done_on", Date),
        opt("response_id", Id),
    ],
    title: &["title"],
    search: &[(SearchColumn::Notes, &["title"])],
    links: &[
        owned_by("case_id", entities::CASE),
        refers_to("response_id", entities::RESPONSE),
    ],
    local_spec: None,
};

pub(crate) const CONSENT: Table = Table {
    entity: entities::CONSENT,
    columns: &[
        col("youth_id", Id),
        col("scope", Text),
        col("given_on", Date),
        col("given_by", Text),
        opt("contact_person_id", Id),
        opt("withdrawn_on", Date),
        opt("note", Text),
    ],
    title: &["note"],
    search: &[(SearchColumn::Notes, &["note"])],
    links: &[
        owned_by("youth_id", entities::YOUTH),
        refers_to("contact_person_id", entities::CONTACT_PERSON),
    ],
    local_spec: None,
};

/// The entity name of anonymous group sessions. Not in protocol version 1:
/// see [`Table::local_spec`].
pub(crate) const GROUP_SESSION_ENTITY: &str = "group_session";

pub(crate) const GROUP_SESSION: Table = Table {
    entity: GROUP_SESSION_ENTITY,
    columns: &[
        col("held_on", Date),
        opt("user_id", Id),
        col("headcount", Integer),
        opt("topic", Text),
        opt("school_id", Id),
        opt("gemeente", Text),
    ],
    title: &[],
    search: &[],
    links: &[refers_to("school_id", entities::SCHOOL)],
    local_spec: Some(EntitySpec {
        name: GROUP_SESSION_ENTITY,
        append_only: true,
        deletable: false,
        scope: Scope::Archive,
    }),
};

pub(crate) const LETTER: Table = Table {
    entity: entities::LETTER,
    columns: &[
        col("case_id", Id),
        col("template", Text),
        col("sent_on", Date),
        opt("token", Text),
        opt("short_code", Text),
        opt("url", Text),
        opt("expires_on", Date),
    ],
    title: &[],
    search: &[],
    links: &[owned_by("case_id", entities::CASE)],
    local_spec: None,
};

/// An answer through the QR response form; made by the server, pulled.
pub(crate) const RESPONSE: Table = Table {
    entity: entities::RESPONSE,
    columns: &[
        col("case_id", Id),
        opt("received_at", Text),
        opt("channel", Text),
        opt("contact_value", Text),
        opt("preferred_time", Text),
        opt("message", Text),
    ],
    title: &[],
    search: &[],
    links: &[owned_by("case_id", entities::CASE)],
    local_spec: None,
};

/// Every entity table, parents before children. Add one per migration that
/// creates a table.
pub(crate) const TABLES: &[Table] = &[
    SCHOOL,
    YOUTH,
    CONTACT_PERSON,
    CASE,
    MELDING,
    LETTER,
    RESPONSE,
    CONTACT_MOMENT,
    APPOINTMENT,
    TASK,
    CONSENT,
    GROUP_SESSION,
];

pub(crate) fn table(entity: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.entity == entity)
}

/// Every link that points at `entity`, with the table it is in.
pub(crate) fn links_to(entity: &str) -> impl Iterator<Item = (&'static Table, &'static Link)> + '_ {
    TABLES
        .iter()
        .flat_map(|t| t.links.iter().map(move |l| (t, l)))
        .filter(move |(_, l)| l.target == entity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_a_protocol_entity_and_searches_only_its_own_columns() {
        for t in TABLES {
            assert!(t.spec().is_some(), "{} is not in the protocol", t.entity);
            assert_eq!(
                t.synced(),
                t.local_spec.is_none(),
                "{}: a local spec only for entities the protocol does not know",
                t.entity
            );
            for link in t.links {
                let column = t.column(link.column);
                assert!(
                    column.is_some_and(|c| c.ty == ColumnType::Id),
                    "{}.{} is an id column",
                    t.entity,
                    link.column
                );
                assert!(
                    table(link.target).is_some(),
                    "{} links to a table",
                    t.entity
                );
            }
            if let Some(scope_link) = match t.spec().map(|s| s.scope) {
                Some(Scope::ViaCase(f) | Scope::ViaYouth(f)) => Some(f),
                _ => None,
            } {
                assert!(
                    t.links.iter().any(|l| l.column == scope_link && l.owner),
                    "{}: the protocol's scope link {scope_link} is an owner link",
                    t.entity
                );
            }
            let own = |c: &str| t.columns.iter().any(|col| col.name == c);
            assert!(t.title.iter().all(|c| own(c)), "{}", t.entity);
            assert!(
                t.search
                    .iter()
                    .flat_map(|(_, cs)| cs.iter())
                    .all(|c| own(c)),
                "{}",
                t.entity
            );
            assert_eq!(t.searchable(), !t.search.is_empty(), "{}", t.entity);
            // A table goes to one index: notes to `search`, the rest to `search_name`.
            let notes = t
                .search
                .iter()
                .filter(|(c, _)| *c == SearchColumn::Notes)
                .count();
            assert!(notes == 0 || notes == t.search.len(), "{}", t.entity);
        }
    }

    #[test]
    fn the_allow_list_matches_the_migrated_tables() -> Result<(), crate::VaultError> {
        let mut conn = rusqlite::Connection::open_in_memory()?;
        crate::migrations::apply(&mut conn)?;
        for t in TABLES {
            let mut stmt =
                conn.prepare("SELECT name, \"notnull\", pk FROM pragma_table_info(?1)")?;
            assert!(
                conn.query_row(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                    [t.entity],
                    |r| r.get::<_, i64>(0)
                )? == 1,
                "table {} exists",
                t.entity
            );
            let cols: Vec<(String, bool, bool)> = stmt
                .query_map([t.entity], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? > 0))
                })?
                .collect::<Result<_, _>>()?;
            let mut expected: Vec<(String, bool, bool)> = vec![
                ("id".into(), false, true),
                ("version".into(), true, false),
                ("updated_at".into(), true, false),
            ];
            expected.extend(
                t.columns
                    .iter()
                    .map(|c| (c.name.to_owned(), !c.nullable, false)),
            );
            let mut got = cols.clone();
            got.sort();
            expected.sort();
            assert_eq!(got, expected, "table {}", t.entity);
        }
        Ok(())
    }

    #[test]
    fn values_are_checked_against_the_column_type() {
        use serde_json::json;
        assert!(ColumnType::Date.convert(&json!("2026-02-30")).is_none());
        assert!(ColumnType::Date.convert(&json!("2026-2-3")).is_none());
        assert!(ColumnType::Date.convert(&json!("2026-02-03")).is_some());
        assert!(ColumnType::Bool.convert(&json!(1)).is_none());
        assert!(ColumnType::Integer.convert(&json!(1.5)).is_none());
        assert!(ColumnType::Text.convert(&json!(5)).is_none());
        assert!(
            ColumnType::DateTime
                .convert(&json!("2026-03-02T09:30:00"))
                .is_some()
        );
        assert!(
            ColumnType::DateTime
                .convert(&json!("2026-03-02 09:30"))
                .is_none()
        );
        let upper = "0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B";
        let (_, canonical) = ColumnType::Id.convert(&json!(upper)).expect("a UUID");
        assert_eq!(canonical, json!(upper.to_lowercase()));
    }
}
