//! The demo caseload: deterministic for a seed, realistic proportions,
//! valid values, everything through the write path.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::Value;
use veldwerk_domain::{Bsn, CaseKind, Postcode, SchoolType, VerzuimKind, VsvKind};
use veldwerk_vault::Vault;
use veldwerk_vault::demo::{DemoOptions, generate};

use crate::support::{Fixture, TestResult};

const ENTITIES: [&str; 11] = [
    "school",
    "youth",
    "contact_person",
    "case",
    "melding",
    "letter",
    "contact_moment",
    "appointment",
    "task",
    "consent",
    "group_session",
];

fn options(youth: usize, seed: u64) -> DemoOptions {
    DemoOptions {
        youth,
        seed,
        today: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or(NaiveDate::MIN),
    }
}

/// Entity to (id, fields as JSON) of every record.
type Contents = BTreeMap<&'static str, Vec<(String, String)>>;

/// Every record's id and fields (not its version stamps), by entity.
fn contents(vault: &Vault) -> Result<Contents, Box<dyn std::error::Error>> {
    let mut out = BTreeMap::new();
    for entity in ENTITIES {
        let records = vault
            .records(entity)?
            .into_iter()
            .map(|r| {
                (
                    r.id.to_string(),
                    serde_json::to_string(&r.fields).unwrap_or_default(),
                )
            })
            .collect();
        out.insert(entity, records);
    }
    Ok(out)
}

#[test]
fn the_same_seed_makes_the_same_caseload_and_another_seed_another() -> TestResult {
    let (a, b, c) = (Fixture::new()?, Fixture::new()?, Fixture::new()?);
    let mut va = a.create_empty()?;
    let mut vb = b.create_empty()?;
    let mut vc = c.create_empty()?;
    let sa = generate(&mut va, &options(40, 7))?;
    let sb = generate(&mut vb, &options(40, 7))?;
    generate(&mut vc, &options(40, 8))?;
    assert_eq!(sa, sb);
    assert_eq!(contents(&va)?, contents(&vb)?);
    assert_ne!(contents(&va)?, contents(&vc)?);
    Ok(())
}

fn text<'a>(fields: &'a BTreeMap<String, Value>, key: &str) -> Option<&'a str> {
    fields.get(key).and_then(Value::as_str)
}

#[test]
fn the_demo_caseload_has_the_proportions_of_a_bureau_and_valid_values() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create_empty()?;
    let summary = generate(&mut vault, &options(300, 1))?;
    // One outbox operation and one audit entry per record.
    let total = u64::try_from(summary.total())?;
    assert_eq!((vault.outbox_len()?, vault.audit_len()?), (total, total));

    assert_eq!(summary.youth, 300);
    assert!(
        (3..=11).contains(&summary.gemeenten),
        "{}",
        summary.gemeenten
    );
    let per_youth = summary.cases as f64 / summary.youth as f64;
    assert!(
        (1.3..=1.7).contains(&per_youth),
        "cases per youth {per_youth}"
    );
    let per_case = summary.contact_moments as f64 / summary.cases as f64;
    assert!(
        (8.0..=12.0).contains(&per_case),
        "contact moments per case {per_case}"
    );

    let cases = vault.records("case")?;
    let share = |kind: CaseKind| {
        cases
            .iter()
            .filter(|c| text(&c.fields, "werkproces") == Some(kind.code()))
            .count() as f64
            / cases.len() as f64
    };
    let shares = [
        (CaseKind::Verzuim, 0.40, 0.65),
        (CaseKind::Vsv, 0.20, 0.40),
        (CaseKind::Vrijstelling, 0.06, 0.20),
        (CaseKind::InformatieAdvies, 0.01, 0.10),
    ];
    for (kind, low, high) in shares {
        let s = share(kind);
        assert!((low..=high).contains(&s), "{kind:?}: {s}");
    }
    let soorten: Vec<&str> = cases
        .iter()
        .filter_map(|c| text(&c.fields, "soort"))
        .collect();
    for v in VerzuimKind::all() {
        assert!(soorten.contains(&v.code()), "{v:?}");
    }
    for v in VsvKind::all() {
        assert!(soorten.contains(&v.code()), "{v:?}");
    }
    let articles: Vec<(i64, Option<&str>)> = cases
        .iter()
        .filter_map(|c| {
            Some((
                c.fields.get("vrijstelling_artikel")?.as_i64()?,
                text(&c.fields, "vrijstelling_letter"),
            ))
        })
        .collect();
    for article in [(5, Some("a")), (5, Some("c")), (15, None)] {
        assert!(articles.contains(&article), "{article:?}");
    }
    let open = cases
        .iter()
        .filter(|c| text(&c.fields, "status") == Some("open"))
        .count();
    assert!(open * 10 > cases.len() * 6, "most cases are open");

    let schools = vault.records("school")?;
    for t in SchoolType::all() {
        assert!(
            schools
                .iter()
                .any(|s| text(&s.fields, "school_type") == Some(t.code())),
            "{t:?}"
        );
    }
    let mut brins: Vec<&str> = schools
        .iter()
        .filter_map(|s| text(&s.fields, "brin"))
        .collect();
    brins.sort_unstable();
    brins.dedup();
    assert_eq!(brins.len(), schools.len(), "BRIN codes are distinct");

    let youth = vault.records("youth")?;
    for y in &youth {
        if let Some(pc) = text(&y.fields, "postcode") {
            assert!(Postcode::parse(pc).is_ok(), "postcode");
        }
        if let Some(bsn) = text(&y.fields, "bsn") {
            assert!(Bsn::parse(bsn).is_ok(), "bsn");
        }
    }
    let names: Vec<String> = youth
        .iter()
        .map(|y| {
            format!(
                "{} {}",
                text(&y.fields, "voornaam").unwrap_or(""),
                text(&y.fields, "achternaam").unwrap_or("")
            )
        })
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.chars().any(|c| "ëïöüğışçÖŞÇ".contains(c))),
        "diacritics"
    );
    let prefixes: Vec<&str> = youth
        .iter()
        .filter_map(|y| text(&y.fields, "tussenvoegsel"))
        .collect();
    for p in ["van", "de", "van der", "van den"] {
        assert!(prefixes.contains(&p), "{p}");
    }
    // The screens work on it.
    let on = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or(NaiveDate::MIN);
    let list = vault.caseload(&Default::default(), on)?;
    assert_eq!(list.len(), summary.cases);
    assert!(
        list.iter()
            .all(|c| c.legal_status.is_some() && !c.youth_name.is_empty())
    );
    let agenda = vault.agenda(on)?;
    assert!(!agenda.tasks.is_empty());
    // The caseload's gemeente filter: every gemeente of the list, once, sorted.
    let mut gemeenten: Vec<String> = list.iter().filter_map(|c| c.gemeente.clone()).collect();
    gemeenten.sort();
    gemeenten.dedup();
    assert!(gemeenten.len() >= 3, "{gemeenten:?}");
    assert_eq!(vault.case_gemeenten()?, gemeenten);
    Ok(())
}

#[test]
fn mothers_and_fathers_have_names_that_fit_them() -> TestResult {
    let f = Fixture::new()?;
    let mut vault = f.create_empty()?;
    generate(&mut vault, &options(120, 3))?;
    let mut by_relation: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for record in vault.records("contact_person")? {
        if let (Some(relation), Some(given)) = (
            text(&record.fields, "relatie"),
            text(&record.fields, "voornaam"),
        ) {
            by_relation
                .entry(relation.to_owned())
                .or_default()
                .insert(given.to_owned());
        }
    }
    let mothers = by_relation.get("moeder").ok_or("no mothers")?;
    let fathers = by_relation.get("vader").ok_or("no fathers")?;
    assert!(
        mothers.len() > 5 && fathers.len() > 5,
        "{mothers:?} {fathers:?}"
    );
    // Drawn from one list of names for everyone, the two sets would share names.
    assert!(
        mothers.is_disjoint(fathers),
        "{:?}",
        mothers.intersection(fathers).collect::<Vec<_>>()
    );
    Ok(())
}
