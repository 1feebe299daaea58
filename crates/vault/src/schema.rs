//! The allow-list of entity tables: which tables the write path may touch,
//! their writable columns and value types, and what goes into search.
//!
//! SQL of the write path is built only from the names in this file, never
//! from a caller's strings; values are always bound as parameters. A new
//! entity is a migration that creates its table (with `id TEXT PRIMARY KEY`,
//! `version INTEGER NOT NULL`, `updated_at TEXT NOT NULL`, managed by the
//! engine) plus one [`Table`] here; the unit tests check the two agree and
//! that the entity is one the sync protocol knows.

use serde_json::Value;

use veldwerk_protocol::entities;

/// How a column's JSON value is checked and stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ColumnType {
    /// A JSON string, stored as TEXT.
    Text,
    /// A UUID (the id of another record), stored as hyphenated lowercase TEXT.
    Id,
    /// A date `YYYY-MM-DD`, stored as TEXT.
    Date,
    /// A JSON boolean, stored as INTEGER 0 or 1.
    Bool,
    /// A JSON integer, stored as INTEGER.
    #[allow(
        dead_code,
        reason = "for the entity tables of later migrations (headcounts, hours)"
    )]
    Integer,
    /// Any JSON, stored as its text.
    #[allow(
        dead_code,
        reason = "for the entity tables of later migrations (shared_with)"
    )]
    Json,
}

impl ColumnType {
    pub(crate) fn expected(self) -> &'static str {
        match self {
            ColumnType::Text => "text",
            ColumnType::Id => "a UUID",
            ColumnType::Date => "a date YYYY-MM-DD",
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
            (ColumnType::Text | ColumnType::Id | ColumnType::Date, Sql::Text(s)) => {
                Some(Value::String(s))
            }
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
}

impl Table {
    pub(crate) fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub(crate) fn spec(&self) -> Option<&'static entities::EntitySpec> {
        entities::spec(self.entity)
    }

    pub(crate) fn searchable(&self) -> bool {
        !self.title.is_empty()
    }
}

const fn col(name: &'static str, ty: ColumnType) -> Column {
    Column {
        name,
        ty,
        nullable: false,
    }
}

const fn nullable(name: &'static str, ty: ColumnType) -> Column {
    Column {
        name,
        ty,
        nullable: true,
    }
}

pub(crate) const TASK: Table = Table {
    entity: entities::TASK,
    columns: &[
        col("case_id", ColumnType::Id),
        col("title", ColumnType::Text),
        nullable("due_date", ColumnType::Date),
        col("done", ColumnType::Bool),
    ],
    title: &["title"],
    search: &[(SearchColumn::Name, &["title"])],
};

/// Every entity table. Add one per migration that creates a table.
pub(crate) const TABLES: &[Table] = &[TASK];

pub(crate) fn table(entity: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.entity == entity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_a_protocol_entity_and_searches_only_its_own_columns() {
        for t in TABLES {
            assert!(t.spec().is_some(), "{} is not in the protocol", t.entity);
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
        }
    }

    #[test]
    fn the_allow_list_matches_the_migrated_tables() -> Result<(), crate::VaultError> {
        let mut conn = rusqlite::Connection::open_in_memory()?;
        crate::migrations::apply(&mut conn)?;
        for t in TABLES {
            let mut stmt =
                conn.prepare("SELECT name, \"notnull\", pk FROM pragma_table_info(?1)")?;
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
        let upper = "0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B";
        let (_, canonical) = ColumnType::Id.convert(&json!(upper)).expect("a UUID");
        assert_eq!(canonical, json!(upper.to_lowercase()));
    }
}
