use serde_json::json;
use veldwerk_server::store::StoreError;

use crate::support::{apply_pages, spawn_app};

const HEADER: &str = "meldingnummer;datum_melding;werkproces;bsn;voornaam;achternaam;geboortedatum;postcode;gemeente;consulent_id";

#[tokio::test]
async fn imported_meldingen_become_cases_the_assigned_device_pulls() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let csv = format!(
        "{HEADER}\n\
         M-1;2026-02-01;verzuim;111222333;Sam;Jansen;14-03-2011;1234ab;Utrecht;{u}\n\
         M-2;2026-02-03;verzuim;111222333;Sam;Jansen;2011-03-14;1234 AB;Utrecht;{u}\n\
         M-3;2026-02-03;vsv;;Kim;Bakker;2006-05-01;;Zeist;\n",
        u = anna.user_id
    );
    let summary = app
        .store
        .import_meldingen(&csv, app.clock.now())
        .expect("import");
    assert_eq!(
        (
            summary.meldingen,
            summary.cases_created,
            summary.cases_linked,
            summary.youth_created
        ),
        (3, 2, 1, 2)
    );

    let records = apply_pages(&app.pull_all(&anna, 0).await);
    let count = |e: &str| records.keys().filter(|(entity, _)| entity == e).count();
    assert_eq!(
        (count("case"), count("youth"), count("melding")),
        (1, 1, 2),
        "only Anna's assigned case"
    );
    let youth = records
        .values()
        .find(|r| r.entity == "youth")
        .expect("youth");
    assert_eq!(youth.fields["geboortedatum"].value, json!("2011-03-14"));
    assert_eq!(youth.fields["postcode"].value, json!("1234 AB"));
}

#[tokio::test]
async fn an_imported_case_carries_its_soort_as_a_code_so_it_can_be_closed() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let csv = format!(
        "meldingnummer;datum_melding;werkproces;voornaam;achternaam;geboortedatum;gemeente;soort;consulent_id\n\
         M-1;2026-02-01;verzuim;Sam;Jansen;2011-03-14;Utrecht;Luxe verzuim;{u}\n\
         M-2;2026-02-01;vrijstelling;Kim;Bakker;2012-05-01;Utrecht;art. 5 onder a;{u}\n",
        u = anna.user_id
    );
    app.store
        .import_meldingen(&csv, app.clock.now())
        .expect("import");
    let records = apply_pages(&app.pull_all(&anna, 0).await);
    let field = |entity: &str, werkproces: &str, name: &str| {
        records
            .values()
            .find(|r| r.entity == entity && r.fields["werkproces"].value == json!(werkproces))
            .and_then(|r| r.fields.get(name))
            .map(|f| f.value.clone())
    };
    assert_eq!(field("case", "verzuim", "soort"), Some(json!("luxe")));
    assert_eq!(field("melding", "verzuim", "soort"), Some(json!("luxe")));
    assert_eq!(field("melding", "vrijstelling", "soort"), Some(json!("5a")));
    assert_eq!(
        field("case", "vrijstelling", "vrijstelling_artikel"),
        Some(json!(5))
    );
    assert_eq!(
        field("case", "vrijstelling", "vrijstelling_letter"),
        Some(json!("a"))
    );
    assert_eq!(
        field("case", "vrijstelling", "vrijstelling_status"),
        Some(json!("aangevraagd"))
    );
}

#[tokio::test]
async fn a_bad_row_imports_nothing_and_names_its_line() {
    let app = spawn_app().await;
    let before = app.store.row_counts().expect("counts");
    let csv = format!(
        "{HEADER}\n\
         M-1;2026-02-01;verzuim;111222333;Sam;Jansen;2011-03-14;;Utrecht;\n\
         M-2;2026-02-01;verzuim;111222334;Kim;Bakker;2011-03-14;;Utrecht;\n"
    );
    let err = app
        .store
        .import_meldingen(&csv, app.clock.now())
        .expect_err("bad bsn");
    let StoreError::Import(e) = err else {
        panic!("an import error: {err}")
    };
    assert_eq!(e.line, 3);
    assert!(e.to_string().starts_with("regel 3: bsn"), "{e}");
    assert_eq!(
        app.store.row_counts().expect("counts"),
        before,
        "nothing imported"
    );
}

#[tokio::test]
async fn a_row_that_fails_only_against_the_store_also_rolls_back_the_whole_file() {
    let app = spawn_app().await;
    app.store
        .import_meldingen(
            &format!("{HEADER}\nM-1;2026-02-01;verzuim;;Sam;Jansen;2011-03-14;;Utrecht;\n"),
            app.clock.now(),
        )
        .expect("first import");
    let before = app.store.row_counts().expect("counts");
    let csv = format!(
        "{HEADER}\n\
         M-2;2026-02-01;verzuim;;Kim;Bakker;2011-03-14;;Utrecht;\n\
         M-1;2026-02-01;verzuim;;Sam;Jansen;2011-03-14;;Utrecht;\n"
    );
    let err = app
        .store
        .import_meldingen(&csv, app.clock.now())
        .expect_err("duplicate");
    assert!(
        err.to_string().contains("regel 3") && err.to_string().contains("M-1"),
        "{err}"
    );
    assert_eq!(app.store.row_counts().expect("counts"), before);
}
