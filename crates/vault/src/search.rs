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
//!
//! New records of the notes index are indexed in batches. Every commit to
//! `search` wrote a new FTS5 segment with its bookkeeping and merge work
//! (about ten pages per home visit, a third of all the pages such a commit
//! has SQLCipher encrypt and write); `index_new` instead appends the
//! record to `search_pending` (one row, no personal data) and
//! [`FLUSH_AT`] of them go into `search` together, in the transaction of
//! the change that fills the batch, or earlier when the vault locks
//! (`flush`). Until then a connection keeps them in an in-memory FTS5
//! table with the same tokenizer (`temp.search_fresh`, never on disk with
//! `temp_store = MEMORY`), which search reads first, newest first as notes
//! are: a note is found the moment it is saved, crash or not (the pending
//! rows survive, and the next connection loads them again).

use std::borrow::Cow;
use std::fmt;

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use crate::VaultError;
use crate::schema::{self, SearchColumn, Table};
use crate::write::Indexing;

/// bm25 weights of name, address, school in `search_name`.
const WEIGHTS: (f64, f64, f64) = (10.0, 4.0, 2.0);

/// The shortest term (in characters) for which notes are searched.
pub const MIN_NOTE_TERM: usize = 3;

/// The most results a search returns, whatever the caller asks.
pub const MAX_RESULTS: usize = 200;

/// New records of the notes index wait in `search_pending` until there are
/// this many, then go into `search` in one segment.
pub const FLUSH_AT: i64 = 32;

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
        // Notes not yet in `search` are the newest: first.
        if load_fresh_if_stale(conn)? > 0 {
            let rest = i64::try_from(limit - out.len()).unwrap_or(0);
            let mut stmt = conn.prepare_cached(
                "SELECT d.entity, d.entity_id, d.title
                 FROM temp.search_fresh f JOIN temp.search_fresh_doc d ON d.rowid = f.rowid
                 WHERE search_fresh MATCH ?1
                 ORDER BY f.rowid DESC
                 LIMIT ?2",
            )?;
            hits(&mut stmt, params![query, rest], &mut out)?;
        }
    }
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
    if deferred(table)
        && let Some(rowid) = pending_rowid(conn, table.entity, id)?
    {
        // Not in `search` yet: only the in-memory entry changes.
        fresh_remove(conn, rowid)?;
        return fresh_add(conn, rowid, table, id);
    }
    index(conn, table, id, false)
}

/// Index record `id` of `table`, which was not on the device before this
/// transaction: it has no search entry yet, so there is no old one to
/// delete from the full-text index. (A record's entry leaves together with
/// the record, see [`unindex`].) Records of the notes index wait in
/// `search_pending` for their batch (see the module docs), unless
/// `indexing` says the caller writes in bulk.
pub(crate) fn index_new(
    conn: &Connection,
    table: &Table,
    id: &str,
    indexing: Indexing,
) -> Result<(), VaultError> {
    if indexing == Indexing::Now || !deferred(table) {
        return index(conn, table, id, true);
    }
    conn.prepare_cached("INSERT INTO search_pending (entity, entity_id) VALUES (?1, ?2)")?
        .execute([table.entity, id])?;
    fresh_add(conn, conn.last_insert_rowid(), table, id)?;
    if waiting(conn)? >= FLUSH_AT {
        flush(conn)?;
    }
    Ok(())
}

/// How many records wait in `search_pending` for their batch.
pub(crate) fn waiting(conn: &Connection) -> Result<i64, VaultError> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM search_pending")?
        .query_row([], |r| r.get(0))?)
}

/// Whether new records of `table` are indexed in batches: those of the
/// notes index (the many), not people and schools.
fn deferred(table: &Table) -> bool {
    index_of(table).0 == "search"
}

/// What a record puts in the index: its title and the text of each of its
/// index's columns. `None` when the record is not there.
fn document(
    conn: &Connection,
    table: &Table,
    id: &str,
) -> Result<Option<(String, Vec<rusqlite::types::Value>)>, VaultError> {
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
    let Some(values) = conn
        .prepare_cached(&sql)?
        .query_row([id], |r| {
            (0..sources.len())
                .map(|i| {
                    Ok(match r.get::<_, rusqlite::types::Value>(i)? {
                        rusqlite::types::Value::Text(s) => Some(s),
                        _ => None,
                    })
                })
                .collect::<rusqlite::Result<Vec<Option<String>>>>()
        })
        .optional()?
    else {
        return Ok(None);
    };
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
    let (_, columns) = index_of(table);
    Ok(Some((
        title,
        columns.iter().map(|c| text(*c).into()).collect(),
    )))
}

fn index(conn: &Connection, table: &Table, id: &str, new: bool) -> Result<(), VaultError> {
    let Some((title, texts)) = document(conn, table, id)? else {
        return Err(rusqlite::Error::QueryReturnedNoRows.into());
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
        None => new_doc(conn, table, id, &title)?,
    };
    insert_fts(conn, fts, columns, rowid, texts)
}

/// A new row of `search_doc` for record `id`; its rowid is the record's
/// document id in the full-text index.
fn new_doc(conn: &Connection, table: &Table, id: &str, title: &str) -> Result<i64, VaultError> {
    conn.prepare_cached("INSERT INTO search_doc (entity, entity_id, title) VALUES (?1, ?2, ?3)")?
        .execute(params![table.entity, id, title])?;
    Ok(conn.last_insert_rowid())
}

fn insert_fts(
    conn: &Connection,
    fts: &str,
    columns: &[SearchColumn],
    rowid: i64,
    texts: Vec<rusqlite::types::Value>,
) -> Result<(), VaultError> {
    let names: Vec<&str> = columns.iter().map(|c| column_name(*c)).collect();
    let placeholders: Vec<String> = (2..=columns.len() + 1).map(|i| format!("?{i}")).collect();
    let mut values: Vec<rusqlite::types::Value> = vec![rowid.into()];
    values.extend(texts);
    conn.prepare_cached(&format!(
        "INSERT INTO {fts} (rowid, {}) VALUES (?1, {})",
        names.join(", "),
        placeholders.join(", ")
    ))?
    .execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

/// Put every record waiting in `search_pending` into `search`, in one
/// segment, and empty the queue. Call inside a transaction. Returns how
/// many were indexed (records removed meanwhile are skipped).
pub(crate) fn flush(conn: &Connection) -> Result<usize, VaultError> {
    let pending: Vec<(String, String)> = conn
        .prepare_cached("SELECT entity, entity_id FROM search_pending ORDER BY rowid")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    if pending.is_empty() {
        return Ok(0);
    }
    let mut indexed = 0;
    for (entity, id) in &pending {
        let Some(table) = schema::table(entity) else {
            continue;
        };
        let Some((title, texts)) = document(conn, table, id)? else {
            continue;
        };
        let (fts, columns) = index_of(table);
        let rowid = new_doc(conn, table, id, &title)?;
        insert_fts(conn, fts, columns, rowid, texts)?;
        indexed += 1;
    }
    conn.execute_batch(
        "DELETE FROM search_pending;
         DELETE FROM temp.search_fresh;
         DELETE FROM temp.search_fresh_doc;",
    )?;
    Ok(indexed)
}

/// The queue position of a record waiting for its batch, if it is.
fn pending_rowid(conn: &Connection, entity: &str, id: &str) -> Result<Option<i64>, VaultError> {
    Ok(conn
        .prepare_cached("SELECT rowid FROM search_pending WHERE entity_id = ?1 AND entity = ?2")?
        .query_row([id, entity], |r| r.get(0))
        .optional()?)
}

/// Create this connection's in-memory index of the records waiting in
/// `search_pending`, and fill it. Call once per connection, after the
/// migrations.
pub(crate) fn open_fresh(conn: &Connection) -> Result<(), VaultError> {
    conn.execute_batch(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_fresh USING fts5(
             name, address, school, notes,
             tokenize = 'unicode61 remove_diacritics 2',
             prefix = '2 3'
         );
         CREATE TABLE IF NOT EXISTS temp.search_fresh_doc (
             rowid     INTEGER PRIMARY KEY,
             entity    TEXT NOT NULL,
             entity_id TEXT NOT NULL,
             title     TEXT NOT NULL
         );",
    )?;
    load_fresh(conn)
}

/// Fill the in-memory index from `search_pending` anew.
fn load_fresh(conn: &Connection) -> Result<(), VaultError> {
    conn.execute_batch("DELETE FROM temp.search_fresh; DELETE FROM temp.search_fresh_doc;")?;
    let pending: Vec<(i64, String, String)> = conn
        .prepare_cached("SELECT rowid, entity, entity_id FROM search_pending ORDER BY rowid")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    for (rowid, entity, id) in pending {
        if let Some(table) = schema::table(&entity) {
            fresh_add(conn, rowid, table, &id)?;
        }
    }
    Ok(())
}

/// Load the in-memory index again when the queue on disk is not the one
/// it holds (another connection to the vault added or flushed records).
/// Returns how many records it holds.
fn load_fresh_if_stale(conn: &Connection) -> Result<i64, VaultError> {
    let (waiting, stale): (i64, bool) = conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM search_pending),
                    (SELECT count(*) FROM search_pending)
                        != (SELECT count(*) FROM temp.search_fresh_doc)
                    OR (SELECT max(rowid) FROM search_pending)
                        IS NOT (SELECT max(rowid) FROM temp.search_fresh_doc)",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    if stale {
        load_fresh(conn)?;
    }
    Ok(waiting)
}

fn fresh_add(conn: &Connection, rowid: i64, table: &Table, id: &str) -> Result<(), VaultError> {
    let Some((title, texts)) = document(conn, table, id)? else {
        return Ok(());
    };
    conn.prepare_cached(
        "INSERT INTO temp.search_fresh_doc (rowid, entity, entity_id, title)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![rowid, table.entity, id, title])?;
    insert_fts(conn, "temp.search_fresh", &SearchColumn::ALL, rowid, texts)
}

fn fresh_remove(conn: &Connection, rowid: i64) -> Result<(), VaultError> {
    conn.prepare_cached("DELETE FROM temp.search_fresh WHERE rowid = ?1")?
        .execute([rowid])?;
    conn.prepare_cached("DELETE FROM temp.search_fresh_doc WHERE rowid = ?1")?
        .execute([rowid])?;
    Ok(())
}

/// Remove record `id` of `entity` from the index.
pub(crate) fn unindex(conn: &Connection, entity: &str, id: &str) -> Result<(), VaultError> {
    let waiting: Option<i64> = conn
        .prepare_cached(
            "DELETE FROM search_pending WHERE entity_id = ?1 AND entity = ?2 RETURNING rowid",
        )?
        .query_row([id, entity], |r| r.get(0))
        .optional()?;
    if let Some(rowid) = waiting {
        fresh_remove(conn, rowid)?;
        return Ok(());
    }
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

    #[test]
    fn a_full_batch_goes_into_the_index_in_the_change_that_fills_it() -> Result<(), VaultError> {
        let mut conn = Connection::open_in_memory()?;
        crate::migrations::apply(&mut conn)?;
        open_fresh(&conn)?;
        crate::meta::set(&conn, crate::MetaKey::DeviceId, "dev-a")?;
        fn count(conn: &Connection, sql: &str) -> Result<i64, VaultError> {
            Ok(conn.query_row(sql, [], |r| r.get(0))?)
        }
        let (youth, case) = (Uuid::now_v7(), Uuid::now_v7());
        let now = chrono::Utc::now();
        crate::write::apply(
            &mut conn,
            Uuid::nil(),
            crate::Mutation::insert("youth", youth)
                .set("voornaam", "Sam")
                .set("achternaam", "Jansen")
                .set("geboortedatum", "2012-03-14"),
            now,
        )?;
        crate::write::apply(
            &mut conn,
            Uuid::nil(),
            crate::Mutation::insert("case", case)
                .set("youth_id", youth.to_string())
                .set("werkproces", "verzuim")
                .set("status", "open")
                .set("opened_on", "2026-03-02")
                .set("care_concern", false),
            now,
        )?;
        let task = |i: i64| {
            crate::Mutation::insert("task", Uuid::now_v7())
                .set("case_id", case.to_string())
                .set("title", format!("Bel {i}"))
                .set("due_date", "2026-03-05")
                .set("done", false)
        };
        for i in 1..FLUSH_AT {
            crate::write::apply(&mut conn, Uuid::nil(), task(i), now)?;
        }
        assert_eq!(
            count(&conn, "SELECT count(*) FROM search_pending")?,
            FLUSH_AT - 1
        );
        assert_eq!(
            count(&conn, "SELECT count(*) FROM temp.search_fresh_doc")?,
            FLUSH_AT - 1
        );
        assert_eq!(
            count(
                &conn,
                "SELECT count(*) FROM search_doc WHERE entity = 'task'"
            )?,
            0
        );
        crate::write::apply(&mut conn, Uuid::nil(), task(FLUSH_AT), chrono::Utc::now())?;
        assert_eq!(count(&conn, "SELECT count(*) FROM search_pending")?, 0);
        assert_eq!(
            count(&conn, "SELECT count(*) FROM temp.search_fresh_doc")?,
            0
        );
        assert_eq!(
            count(
                &conn,
                "SELECT count(*) FROM search_doc WHERE entity = 'task'"
            )?,
            FLUSH_AT
        );
        assert_eq!(
            count(
                &conn,
                "SELECT count(*) FROM search WHERE search MATCH '\"bel\"*'"
            )?,
            FLUSH_AT
        );
        // A bulk write indexes at once.
        let batch: Vec<_> = (0..FLUSH_AT).map(task).collect();
        crate::write::apply_batch(&mut conn, Uuid::nil(), batch, chrono::Utc::now())?;
        assert_eq!(count(&conn, "SELECT count(*) FROM search_pending")?, 0);
        assert_eq!(
            count(
                &conn,
                "SELECT count(*) FROM search_doc WHERE entity = 'task'"
            )?,
            2 * FLUSH_AT
        );
        Ok(())
    }
}
