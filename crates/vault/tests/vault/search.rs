//! Search as you type: diacritics-insensitive, prefix per term, safe input.

use serde_json::json;
use uuid::Uuid;
use veldwerk_vault::{Mutation, Vault};

use crate::support::{Fixture, TestResult, new_task, pulled, user};

fn titles(vault: &Vault, query: &str) -> Result<Vec<String>, veldwerk_vault::VaultError> {
    Ok(vault
        .search(query, 20)?
        .into_iter()
        .map(|h| h.title)
        .collect())
}

/// A youth named `name` ("Eva Doğan"), stored as pulled.
fn youth(vault: &mut Vault, given: &str, family: &str) -> Result<Uuid, Box<dyn std::error::Error>> {
    let id = Uuid::now_v7();
    vault.apply_remote(&pulled(
        "youth",
        id,
        json!({"voornaam": given, "achternaam": family, "geboortedatum": "2012-03-14",
               "straat": "Kerkstraat", "huisnummer": "12a", "postcode": "7412 AB", "plaats": "Brakelveen"}),
    ))?;
    Ok(id)
}

#[test]
fn search_ignores_diacritics_and_matches_prefixes_as_the_user_types() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    let dogan = youth(&mut vault, "Eva", "Doğan")?;
    youth(&mut vault, "Zoë", "de Vries")?;
    youth(&mut vault, "Yıldız", "Kaya")?;
    vault.apply(user(), new_task(Uuid::now_v7(), "Brief naar school"))?;
    assert_eq!(titles(&vault, "dogan")?, ["Eva Doğan"]);
    assert_eq!(titles(&vault, "Doğan")?, ["Eva Doğan"]);
    assert_eq!(titles(&vault, "dog")?, ["Eva Doğan"]);
    assert_eq!(titles(&vault, "DO")?, ["Eva Doğan"]);
    assert_eq!(
        titles(&vault, "D")?,
        ["Zoë de Vries", "Eva Doğan"],
        "one letter: names, newest first"
    );
    assert_eq!(titles(&vault, "eva dog")?, ["Eva Doğan"]);
    assert_eq!(titles(&vault, "zoe")?, ["Zoë de Vries"]);
    assert_eq!(titles(&vault, "Zoë")?, ["Zoë de Vries"]);
    assert_eq!(titles(&vault, "yildiz")?, ["Yıldız Kaya"]);
    assert_eq!(
        titles(&vault, "kerkstr")?.len(),
        3,
        "addresses are searched"
    );
    assert_eq!(titles(&vault, "7412")?.len(), 3, "postcodes too");
    assert!(
        titles(&vault, "eva zoe")?.is_empty(),
        "all terms must match"
    );
    let hit = vault.search("dogan", 5)?.pop().ok_or("no hit")?;
    assert_eq!((hit.entity.as_str(), hit.entity_id), ("youth", dogan));
    Ok(())
}

#[test]
fn notes_are_searched_from_three_letters_on_after_names() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    vault.apply(user(), new_task(Uuid::now_v7(), "Huisbezoek Eva Doğan"))?;
    youth(&mut vault, "Eva", "Doğan")?;
    assert_eq!(
        titles(&vault, "do")?,
        ["Eva Doğan"],
        "two letters: no notes"
    );
    assert_eq!(
        titles(&vault, "dog")?,
        ["Eva Doğan", "Huisbezoek Eva Doğan"]
    );
    assert_eq!(titles(&vault, "huisbez")?, ["Huisbezoek Eva Doğan"]);
    assert!(
        titles(&vault, "huisbezoek do")?.is_empty(),
        "every term needs three letters"
    );
    Ok(())
}

#[test]
fn search_syntax_in_the_input_is_taken_as_plain_words() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    vault.apply(user(), new_task(Uuid::now_v7(), "Huisbezoek Eva Doğan"))?;
    for query in [
        "\"dog", "dog*", "(dog)", "eva:dog", "-dog", "dog\"*\"", "^dog",
    ] {
        assert_eq!(titles(&vault, query)?, ["Huisbezoek Eva Doğan"], "{query}");
    }
    for query in [
        "",
        "   ",
        "\"*\"",
        "OR",
        "NEAR(",
        "name:dog",
        "dog OR school",
        "dog NOT eva",
    ] {
        assert!(titles(&vault, query)?.is_empty(), "{query}");
    }
    Ok(())
}

#[test]
fn the_index_follows_updates_and_deletes() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    let id = Uuid::now_v7();
    vault.apply(user(), new_task(id, "Bel Janssen"))?;
    vault.apply(
        user(),
        Mutation::update("task", id).set("title", "Bel Pietersen"),
    )?;
    assert!(titles(&vault, "janssen")?.is_empty());
    assert_eq!(titles(&vault, "piet")?, ["Bel Pietersen"]);
    vault.apply(user(), Mutation::update("task", id).set("done", true))?;
    assert_eq!(
        titles(&vault, "piet")?,
        ["Bel Pietersen"],
        "other fields keep the entry"
    );
    vault.apply(user(), Mutation::delete("task", id))?;
    assert!(titles(&vault, "piet")?.is_empty());
    Ok(())
}

#[test]
fn better_matches_come_first_and_the_limit_holds() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    youth(&mut vault, "Doğan", "Doğan")?;
    youth(&mut vault, "Eva", "Doğan")?;
    for i in 0..30 {
        vault.apply(user(), new_task(Uuid::now_v7(), &format!("Taak Doğan {i}")))?;
    }
    let found = titles(&vault, "dogan")?;
    assert_eq!(found.first().map(String::as_str), Some("Doğan Doğan"));
    assert_eq!(found.get(1).map(String::as_str), Some("Eva Doğan"));
    assert_eq!(
        found.get(2).map(String::as_str),
        Some("Taak Doğan 29"),
        "then notes, newest first"
    );
    assert_eq!(vault.search("taak", 7)?.len(), 7);
    assert_eq!(vault.search("dogan", 5)?.len(), 5);
    Ok(())
}

/// Titles of the notes found for `query`, newest first.
fn all_titles(vault: &Vault, query: &str) -> Result<Vec<String>, veldwerk_vault::VaultError> {
    Ok(vault
        .search(query, veldwerk_vault::search::MAX_RESULTS)?
        .into_iter()
        .map(|h| h.title)
        .collect())
}

#[test]
fn notes_are_found_the_moment_they_are_saved_and_after_a_crash_before_their_batch() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    let (kept, edited, deleted) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    vault.apply(user(), new_task(kept, "Bel Janssen over verzuim"))?;
    vault.apply(user(), new_task(edited, "Bel Jansma"))?;
    vault.apply(user(), new_task(deleted, "Bel Janse"))?;
    assert_eq!(
        all_titles(&vault, "jans")?,
        ["Bel Janse", "Bel Jansma", "Bel Janssen over verzuim"]
    );
    // The app dies before the batch is full: no lock, nothing flushed.
    drop(vault);
    let mut vault = f.unlock()?;
    assert_eq!(
        all_titles(&vault, "jans")?,
        ["Bel Janse", "Bel Jansma", "Bel Janssen over verzuim"],
        "the waiting notes are there again after the crash"
    );
    vault.apply(
        user(),
        Mutation::update("task", edited).set("title", "Bel Pietersen"),
    )?;
    vault.apply(user(), Mutation::delete("task", deleted))?;
    assert_eq!(all_titles(&vault, "jans")?, ["Bel Janssen over verzuim"]);
    assert_eq!(all_titles(&vault, "pieters")?, ["Bel Pietersen"]);
    // Locking puts them in the index; they are found the same way after.
    vault.lock()?;
    let vault = f.unlock()?;
    assert_eq!(all_titles(&vault, "jans")?, ["Bel Janssen over verzuim"]);
    assert_eq!(all_titles(&vault, "pieters")?, ["Bel Pietersen"]);
    assert_eq!(
        all_titles(&vault, "verzuim janss")?,
        ["Bel Janssen over verzuim"]
    );
    Ok(())
}

#[test]
fn notes_stay_found_newest_first_across_their_batches() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    let count = usize::try_from(veldwerk_vault::search::FLUSH_AT)? * 2 + 5;
    let mut ids = Vec::new();
    for i in 0..count {
        let id = Uuid::now_v7();
        vault.apply(user(), new_task(id, &format!("Taak {i} Doğan")))?;
        ids.push(id);
    }
    let expected: Vec<String> = (0..count)
        .rev()
        .map(|i| format!("Taak {i} Doğan"))
        .collect();
    assert_eq!(
        all_titles(&vault, "dogan")?,
        expected,
        "two batches and the rest"
    );
    // One note from a batch already indexed and one still waiting change,
    // two others go.
    vault.apply(
        user(),
        Mutation::update("task", ids[3]).set("title", "Taak drie Kaya"),
    )?;
    vault.apply(
        user(),
        Mutation::update("task", ids[count - 2]).set("title", "Taak voorlaatst Kaya"),
    )?;
    vault.apply(user(), Mutation::delete("task", ids[4]))?;
    vault.apply(user(), Mutation::delete("task", ids[count - 1]))?;
    assert_eq!(
        all_titles(&vault, "kaya")?,
        ["Taak voorlaatst Kaya", "Taak drie Kaya"]
    );
    assert_eq!(all_titles(&vault, "dogan")?.len(), count - 4);
    assert!(!all_titles(&vault, "dogan")?.contains(&"Taak 4 Doğan".to_owned()));
    Ok(())
}

#[test]
fn a_second_connection_finds_notes_the_first_saved_and_indexed() -> TestResult {
    let f = Fixture::new()?;
    let mut writer = f.create()?;
    let reader = f.unlock()?;
    writer.apply(user(), new_task(Uuid::now_v7(), "Bel Verbeek"))?;
    assert_eq!(all_titles(&reader, "verbe")?, ["Bel Verbeek"], "waiting");
    writer.lock()?;
    assert_eq!(all_titles(&reader, "verbe")?, ["Bel Verbeek"], "indexed");
    Ok(())
}
