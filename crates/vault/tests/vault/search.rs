//! Search as you type: diacritics-insensitive, prefix per term, safe input.

use uuid::Uuid;
use veldwerk_vault::{Mutation, Vault};

use crate::support::{Fixture, TestResult, new_task, user};

fn titles(vault: &Vault, query: &str) -> Result<Vec<String>, veldwerk_vault::VaultError> {
    Ok(vault
        .search(query, 20)?
        .into_iter()
        .map(|h| h.title)
        .collect())
}

#[test]
fn search_ignores_diacritics_and_matches_prefixes_as_the_user_types() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create()?;
    let dogan = Uuid::now_v7();
    for (id, title) in [
        (dogan, "Huisbezoek Eva Doğan"),
        (Uuid::now_v7(), "Bel Zoë de Vries"),
        (Uuid::now_v7(), "Gesprek met Yıldız"),
        (Uuid::now_v7(), "Brief naar school"),
    ] {
        vault.apply(user(), new_task(id, title))?;
    }
    assert_eq!(titles(&vault, "dogan")?, ["Huisbezoek Eva Doğan"]);
    assert_eq!(titles(&vault, "Doğan")?, ["Huisbezoek Eva Doğan"]);
    assert_eq!(titles(&vault, "dog")?, ["Huisbezoek Eva Doğan"]);
    assert_eq!(titles(&vault, "DO")?, ["Huisbezoek Eva Doğan"]);
    assert_eq!(titles(&vault, "eva dog")?, ["Huisbezoek Eva Doğan"]);
    assert_eq!(titles(&vault, "zoe")?, ["Bel Zoë de Vries"]);
    assert_eq!(titles(&vault, "Zoë")?, ["Bel Zoë de Vries"]);
    assert_eq!(titles(&vault, "yildiz")?, ["Gesprek met Yıldız"]);
    assert!(
        titles(&vault, "eva zoe")?.is_empty(),
        "all terms must match"
    );
    let hit = vault.search("dogan", 5)?.pop().ok_or("no hit")?;
    assert_eq!((hit.entity.as_str(), hit.entity_id), ("task", dogan));
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
    vault.apply(
        user(),
        new_task(
            Uuid::now_v7(),
            "Doğan overleg met school over rooster en vervoer",
        ),
    )?;
    vault.apply(user(), new_task(Uuid::now_v7(), "Doğan Doğan"))?;
    for i in 0..30 {
        vault.apply(user(), new_task(Uuid::now_v7(), &format!("Taak {i}")))?;
    }
    assert_eq!(
        titles(&vault, "dogan")?.first().map(String::as_str),
        Some("Doğan Doğan")
    );
    assert_eq!(vault.search("taak", 7)?.len(), 7);
    Ok(())
}
