//! Full-text search over names, addresses, schools and notes (FTS5).
//!
//! Two contentless indexes (the text lives only in the entity tables, the
//! indexes hold tokens): `search_name` for people and schools (names,
//! addresses, school names; small, with a prefix index from one letter on)
//! and `search` for free text (notes, toelichtingen, task titles; tens of
//! thousands of rows). `search_doc` maps a row of either to its record and
//! keeps the title shown in results. Which index a table uses follows from
//! its search columns in the allow-list: notes go to `search`, the rest to
//! `search_name`.
//!
//! Diacritics are folded by the tokenizer (`unicode61 remove_diacritics 2`:
//! Doğan = dogan, Zoë = zoe); a fold of its own adds the letters it leaves
//! alone (ı, ł, ø, ß, ...), on indexed text and query alike. Every query term
//! is a prefix (as the user types), quoted so no FTS syntax in the input
//! means anything.
//!
//! Order of results: people and schools first, ranked by bm25 with names
//! weighing most (with a single letter typed: names only, newest first);
//! then notes, newest first. Notes are searched only once
//! every term has [`MIN_NOTE_TERM`] letters: one or two letters match a word
//! in nearly every note, and ranking tens of thousands of them costs more
//! than a keystroke may (the benchmark's "search as you type" figure).

use std::borrow::Cow;
use std::fmt;

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use crate::VaultError;
use crate::schema::{SearchColumn, Table};

/// bm25 weights of name, address, school in `search_name`.
const WEIGHTS: (f64, f64, f64) = (10.0, 4.0, 2.0);

/// The shortest term (in characters) for which notes are searched.
pub const MIN_NOTE_TERM: usize = 3;

/// The most results a search returns, whatever the caller asks.
pub const MAX_RESULTS: usize = 200;

/// One search result.
#[derive(Clone, PartialEq, Eq)]
pub struct SearchHit {
    pub entity: String,
    pub entity_id: Uuid,
    /// The record's name or title, without highlighting.
    pub title: String,
}

/// The title is personal data: `Debug` leaves it out.
impl fmt::Debug for SearchHit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchHit")
            .field("entity", &self.entity)
            .field("entity_id", &self.entity_id)
            .finish_non_exhaustive()
    }
}

pub(crate) fn column_name(c: SearchColumn) -> &'static str {
    match c {
        SearchColumn::Name => "name",
        SearchColumn::Address => "address",
        SearchColumn::School => "school",
        SearchColumn::Notes => "notes",
    }
}

/// Fold letters that have no Unicode decomposition, so `unicode61` cannot
/// strip them: Turkish dotless ı, Polish ł, Nordic ø and æ, German ß, ...
pub(crate) fn fold(text: &str) -> Cow<'_, str> {
    let special = |c: char| {
        matches!(
            c,
            'ı' | 'ł' | 'Ł' | 'ø' | 'Ø' | 'đ' | 'Đ' | 'ß' | 'æ' | 'Æ' | 'œ' | 'Œ' | 'þ' | 'Þ'
        )
    };
    if !text.chars().any(special) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        match c {
            'ı' => out.push('i'),
            'ł' | 'Ł' => out.push('l'),
            'ø' | 'Ø' => out.push('o'),
            'đ' | 'Đ' => out.push('d'),
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'þ' | 'Þ' => out.push_str("th"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Part of a search term: letters, digits, and combining accents (text pasted
/// in decomposed form, `e` + `\u{308}`), which the tokenizer then removes.
fn term_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)
}

/// The FTS5 query for what the user typed: every run of letters and digits
/// becomes a quoted prefix term (`"dog"*`), all of them required. Anything
/// else (quotes, `*`, `:`, `^`, parentheses, `-`, operators' punctuation) only
/// separates terms; words like `OR` and `NEAR` are quoted and so just words.
/// `None` when nothing searchable is left.
pub(crate) fn fts_query(input: &str) -> Option<String> {
    let terms = terms(input);
    (!terms.is_empty()).then(|| {
        terms
            .iter()
            .map(|t| format!("\"{t}\"*"))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

fn terms(input: &str) -> Vec<String> {
    fold(input)
        .split(|c: char| !term_char(c))
        .filter(|t| !t.is_empty())
        .take(16)
        .map(str::to_owned)
        .collect()
}

fn hits(
    stmt: &mut rusqlite::CachedStatement<'_>,
    params: impl rusqlite::Params,
    out: &mut Vec<SearchHit>,
) -> Result<(), VaultError> {
    let rows = stmt.query_map(params, |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (entity, id, title) = row?;
        out.push(SearchHit {
            entity,
            entity_id: Uuid::parse_str(&id).map_err(|_| VaultError::Corrupt)?,
            title,
        });
    }
    Ok(())
}

pub(crate) fn search(
    conn: &Connection,
    input: &str,
    limit: usize,
) -> Result<Vec<SearchHit>, VaultError> {
    let Some(query) = fts_query(input) else {
        return Ok(Vec::new());
    };
    let limit = limit.min(MAX_RESULTS);
    let mut out = Vec::with_capacity(limit);
    let wanted = i64::try_from(limit).unwrap_or(0);
    if terms(input).iter().all(|t| t.chars().count() == 1) {
        // One letter typed: it starts a word in most names and nearly every
        // address, so ranking means little and costs much. Names only,
        // newest first.
        let mut stmt = conn.prepare_cached(
            "SELECT d.entity, d.entity_id, d.title
             FROM search_name JOIN search_doc d ON d.rowid = search_name.rowid
             WHERE search_name MATCH ?1
             ORDER BY search_name.rowid DESC
             LIMIT ?2",
        )?;
        hits(
            &mut stmt,
            params![format!("name : ({query})"), wanted],
            &mut out,
        )?;
    } else {
        let mut stmt = conn.prepare_cached(
            "SELECT d.entity, d.entity_id, d.title
             FROM search_name JOIN search_doc d ON d.rowid = search_name.rowid
             WHERE search_name MATCH ?1
             ORDER BY bm25(search_name, ?2, ?3, ?4)
             LIMIT ?5",
        )?;
        hits(
            &mut stmt,
            params![query, WEIGHTS.0, WEIGHTS.1, WEIGHTS.2, wanted],
            &mut out,
        )?;
    }
    let long_enough = terms(input)
        .iter()
        .all(|t| t.chars().count() >= MIN_NOTE_TERM);
    if out.len() < limit && long_enough {
        let rest = i64::try_from(limit - out.len()).unwrap_or(0);
        let mut stmt = conn.prepare_cached(
            "SELECT d.entity, d.entity_id, d.title
             FROM search JOIN search_doc d ON d.rowid = search.rowid
             WHERE search MATCH ?1
             ORDER BY search.rowid DESC
             LIMIT ?2",
        )?;
        hits(&mut stmt, params![query, rest], &mut out)?;
    }
    Ok(out)
}

/// The FTS table a table's records are indexed in, and its columns.
fn index_of(table: &Table) -> (&'static str, &'static [SearchColumn]) {
    if table.search.iter().any(|(c, _)| *c == SearchColumn::Notes) {
        ("search", &SearchColumn::ALL)
    } else {
        ("search_name", &NAME_COLUMNS)
    }
}

/// The columns of `search_name`.
pub(crate) const NAME_COLUMNS: [SearchColumn; 3] = [
    SearchColumn::Name,
    SearchColumn::Address,
    SearchColumn::School,
];

/// (Re)index record `id` of `table` from what is stored now.
pub(crate) fn reindex(conn: &Connection, table: &Table, id: &str) -> Result<(), VaultError> {
    index(conn, table, id, false)
}

/// Index record `id` of `table`, which was not on the device before this
/// transaction: it has no search entry yet, so there is no old one to
/// delete from the full-text index. (A record's entry leaves together with
/// the record, see [`unindex`].)
pub(crate) fn index_new(conn: &Connection, table: &Table, id: &str) -> Result<(), VaultError> {
    index(conn, table, id, true)
}

fn index(conn: &Connection, table: &Table, id: &str, new: bool) -> Result<(), VaultError> {
    let mut sources: Vec<&str> = table.title.to_vec();
    for (_, cols) in table.search {
        sources.extend(cols.iter().copied());
    }
    sources.sort_unstable();
    sources.dedup();
    let sql = format!(
        "SELECT {} FROM {} WHERE id = ?1",
        sources.join(", "),
        table.sql()
    );
    let values: Vec<Option<String>> = conn.prepare_cached(&sql)?.query_row([id], |r| {
        (0..sources.len())
            .map(|i| {
                Ok(match r.get::<_, rusqlite::types::Value>(i)? {
                    rusqlite::types::Value::Text(s) => Some(s),
                    _ => None,
                })
            })
            .collect()
    })?;
    let join = |cols: &[&str]| -> String {
        cols.iter()
            .filter_map(|c| sources.iter().position(|s| s == c))
            .filter_map(|i| values.get(i).and_then(|v| v.as_deref()))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let title = join(table.title);
    let text = |c: SearchColumn| -> String {
        let cols: Vec<&str> = table
            .search
            .iter()
            .filter(|(sc, _)| *sc == c)
            .flat_map(|(_, cols)| cols.iter().copied())
            .collect();
        fold(&join(&cols)).into_owned()
    };
    // No upsert here: an `ON CONFLICT DO UPDATE` statement runs in a
    // statement savepoint, and FTS5 writes its pending (in-memory) index
    // to disk at every savepoint, so a batch that indexes many records
    // made one tiny segment per record and spent most of its time merging
    // them. Single-row INSERT and UPDATE need no savepoint.
    let existing: Option<i64> = if new {
        None
    } else {
        conn.prepare_cached("SELECT rowid FROM search_doc WHERE entity = ?1 AND entity_id = ?2")?
            .query_row([table.entity, id], |r| r.get(0))
            .optional()?
    };
    let (fts, columns) = index_of(table);
    let rowid = match existing {
        Some(rowid) => {
            conn.prepare_cached("UPDATE search_doc SET title = ?2 WHERE rowid = ?1")?
                .execute(params![rowid, title])?;
            conn.prepare_cached(&format!("DELETE FROM {fts} WHERE rowid = ?1"))?
                .execute([rowid])?;
            rowid
        }
        None => {
            conn.prepare_cached(
                "INSERT INTO search_doc (entity, entity_id, title) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![table.entity, id, title])?;
            conn.last_insert_rowid()
        }
    };
    let names: Vec<&str> = columns.iter().map(|c| column_name(*c)).collect();
    let placeholders: Vec<String> = (2..=columns.len() + 1).map(|i| format!("?{i}")).collect();
    let mut values: Vec<rusqlite::types::Value> = vec![rowid.into()];
    values.extend(columns.iter().map(|c| text(*c).into()));
    conn.prepare_cached(&format!(
        "INSERT INTO {fts} (rowid, {}) VALUES (?1, {})",
        names.join(", "),
        placeholders.join(", ")
    ))?
    .execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

/// Remove record `id` of `entity` from the index.
pub(crate) fn unindex(conn: &Connection, entity: &str, id: &str) -> Result<(), VaultError> {
    let rowid: Option<i64> = conn
        .prepare_cached(
            "DELETE FROM search_doc WHERE entity = ?1 AND entity_id = ?2 RETURNING rowid",
        )?
        .query_row([entity, id], |r| r.get(0))
        .optional()?;
    if let Some(rowid) = rowid {
        // The row is in one of the two indexes; deleting an absent rowid is a no-op.
        for fts in ["search", "search_name"] {
            conn.prepare_cached(&format!("DELETE FROM {fts} WHERE rowid = ?1"))?
                .execute([rowid])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_input_becomes_quoted_prefix_terms() {
        assert_eq!(fts_query("dog").as_deref(), Some("\"dog\"*"));
        assert_eq!(
            fts_query("  Eva   Doğ ").as_deref(),
            Some("\"Eva\"* \"Doğ\"*")
        );
        assert_eq!(
            fts_query("a\" OR name:x* NEAR(b) -c ^d").as_deref(),
            Some("\"a\"* \"OR\"* \"name\"* \"x\"* \"NEAR\"* \"b\"* \"c\"* \"d\"*")
        );
        assert_eq!(fts_query("\"*():^-+"), None);
        assert_eq!(fts_query(""), None);
        assert_eq!(fts_query("Zoe\u{308}").as_deref(), Some("\"Zoe\u{308}\"*"));
    }

    #[test]
    fn letters_without_a_decomposition_are_folded() {
        assert_eq!(
            fold("Yıldız Łukasz Søren Straße"),
            "Yildiz lukasz Soren Strasse"
        );
        assert!(matches!(fold("Doğan"), Cow::Borrowed(_)));
    }
}
