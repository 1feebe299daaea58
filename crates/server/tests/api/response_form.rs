//! The QR response form (`/r`): the page, the answer as synced records, and
//! the guards (unknown and expired links alike, CSRF, rate and size limits).

use reqwest::StatusCode;
use reqwest::redirect::Policy;
use serde_json::{Value, json};
use veldwerk_protocol::{OpStatus, ResponseToken};

use crate::support::{Device, TestApp, append, apply_pages, new_id, spawn_app, value_of};

const TOKEN: &str = "KLMNOPQRSTUVWXYZ2345";
const SHORT: &str = "ABCDE-FGHJK";

/// Pushes a letter with a response link on `case`, as a device does after printing.
async fn push_letter(app: &TestApp, dev: &Device, case: &str, token: &str, expires_on: &str) {
    let short = ResponseToken::parse(token)
        .expect("token")
        .short_code()
        .grouped();
    let op = append(
        dev,
        "letter",
        &new_id(),
        json!({
            "case_id": case,
            "template": "uitnodiging_gesprek",
            "token": token,
            "short_code": short,
            "url": format!("http://{}/r/{token}", app.addr),
            "expires_on": expires_on,
        }),
    );
    let result = app.push(dev, vec![op]).await;
    assert_eq!(result.results[0].status, OpStatus::Applied);
}

async fn get(app: &TestApp, path: &str) -> (StatusCode, String) {
    let r = app.client.get(app.url(path)).send().await.expect("get");
    let status = r.status();
    (status, r.text().await.expect("body"))
}

fn csrf_of(page: &str) -> String {
    let start = page.find("name=\"csrf\" value=\"").expect("csrf field") + 19;
    let end = page[start..].find('"').expect("end") + start;
    page[start..end].to_owned()
}

fn form(fields: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish()
}

async fn post(app: &TestApp, path: &str, body: String) -> (StatusCode, String) {
    let r = app
        .client
        .post(app.url(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("post");
    let status = r.status();
    (status, r.text().await.expect("body"))
}

/// A case of Anna's with a live letter link. Returns (anna, case id, youth name marker).
async fn linked_case(app: &TestApp) -> (Device, String, String) {
    let anna = app.consultant("Anna").await;
    let (case, youth) = app.office_case(Some(anna.user_id));
    let marker = app
        .store
        .record_values("youth", &youth)
        .expect("read")
        .expect("youth")["achternaam"]
        .as_str()
        .expect("name")
        .to_owned();
    push_letter(app, &anna, &case, TOKEN, "2026-04-30").await;
    (anna, case, marker)
}

async fn answer(app: &TestApp, extra: &[(&str, &str)]) -> (StatusCode, String) {
    let (_, page) = get(app, &format!("/r/{TOKEN}")).await;
    let csrf = csrf_of(&page);
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("channel", "telefoon"),
        ("contact", "06 12345678"),
        ("time", "middag"),
    ];
    fields.extend_from_slice(extra);
    post(app, &format!("/r/{TOKEN}"), form(&fields)).await
}

#[tokio::test]
async fn the_form_for_a_known_token_has_labelled_fields_and_no_personal_data() {
    let app = spawn_app().await;
    let (_, case, marker) = linked_case(&app).await;
    let r = app
        .client
        .get(app.url(&format!("/r/{}", TOKEN.to_lowercase())))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers().clone();
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert!(
        h["content-security-policy"]
            .to_str()
            .expect("csp")
            .contains("default-src 'none'")
    );
    let page = r.text().await.expect("body");
    for text in [
        "<html lang=\"nl\">",
        "Hoe kunnen we u bereiken?",
        "Wanneer kunnen we u het beste bellen?",
        "<label for=\"contact\">",
        "<label for=\"message\">",
        "value=\"telefoon\"",
        "value=\"whatsapp\"",
        "value=\"email\"",
        "value=\"maakt_niet_uit\"",
        "name=\"csrf\"",
        "<button type=\"submit\">",
    ] {
        assert!(page.contains(text), "{text}");
    }
    assert!(!marker.is_empty());
    assert!(!page.contains(&marker), "the youth's name is not shown");
    assert!(!page.contains(&case), "the case id is not shown");
    assert!(!page.contains("<script"));
}

#[tokio::test]
async fn the_stylesheet_is_served_with_the_strict_policy() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(app.url("/r/static/form.css"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-security-policy"],
        "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    assert!(
        r.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn an_answer_reaches_the_owning_consultant_as_response_contact_moment_and_task_only() {
    let app = spawn_app().await;
    let (anna, case, _) = linked_case(&app).await;
    let bert = app.consultant("Bert").await;
    app.office_case(Some(bert.user_id));

    let (status, page) = answer(&app, &[("message", "Graag na drie uur")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Bedankt! We nemen zo snel mogelijk contact met u op."));

    let records = apply_pages(&app.pull_all(&anna, 0).await);
    let of = |entity: &str| -> Vec<_> {
        records
            .iter()
            .filter(|((e, _), _)| e == entity)
            .map(|(_, r)| r)
            .collect()
    };
    let responses = of("response");
    assert_eq!(responses.len(), 1);
    let r = responses[0];
    assert_eq!(value_of(r, "case_id"), json!(case));
    assert_eq!(value_of(r, "channel"), json!("telefoon"));
    assert_eq!(value_of(r, "contact_value"), json!("+31612345678"));
    assert_eq!(value_of(r, "preferred_time"), json!("middag"));
    assert_eq!(value_of(r, "message"), json!("Graag na drie uur"));
    assert!(value_of(r, "received_at").is_string());

    let moments: Vec<_> = of("contact_moment")
        .into_iter()
        .filter(|m| value_of(m, "kind") == json!("reactie_via_qr"))
        .collect();
    assert_eq!(moments.len(), 1);
    assert_eq!(value_of(moments[0], "case_id"), json!(case));
    assert_eq!(value_of(moments[0], "outcome"), json!("reactie_ontvangen"));

    let tasks = of("task");
    assert_eq!(tasks.len(), 1);
    assert_eq!(
        value_of(tasks[0], "title"),
        json!("Reageer op reactie via QR")
    );
    // The clock stands on Monday 2026-03-02: due the next working day.
    assert_eq!(value_of(tasks[0], "due_date"), json!("2026-03-03"));
    assert_eq!(
        value_of(tasks[0], "assigned_user_id"),
        json!(anna.user_id.to_string())
    );

    let bert_records = apply_pages(&app.pull_all(&bert, 0).await);
    for ((entity, _), record) in &bert_records {
        assert_ne!(entity, "response");
        assert_ne!(value_of(record, "case_id"), Value::String(case.clone()));
    }
}

#[tokio::test]
async fn unknown_malformed_and_expired_tokens_get_the_same_page_and_status() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let (case, _) = app.office_case(Some(anna.user_id));
    let expired = "ZZZZZZZZZZZZZZZZZZZZ";
    push_letter(&app, &anna, &case, expired, "2026-03-01").await;

    let unknown = get(&app, "/r/QQQQQQQQQQQQQQQQQQQQ").await;
    let gone = get(&app, &format!("/r/{expired}")).await;
    let malformed = get(&app, "/r/not-a-token").await;
    assert_eq!(unknown.0, StatusCode::NOT_FOUND);
    assert_eq!(unknown, gone);
    assert_eq!(unknown, malformed);

    let before = app.store.row_counts().expect("counts");
    let posted = post(
        &app,
        &format!("/r/{expired}"),
        form(&[("csrf", "1.x"), ("channel", "telefoon")]),
    )
    .await;
    assert_eq!(posted.0, StatusCode::FORBIDDEN);
    assert_eq!(app.store.row_counts().expect("counts"), before);
}

#[tokio::test]
async fn a_missing_or_forged_csrf_token_or_foreign_origin_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    linked_case(&app).await;
    let (_, page) = get(&app, &format!("/r/{TOKEN}")).await;
    let good = csrf_of(&page);
    let before = app.store.row_counts().expect("counts");
    let fields = |csrf: &str| {
        form(&[
            ("csrf", csrf),
            ("channel", "telefoon"),
            ("contact", "0612345678"),
            ("time", "avond"),
        ])
    };
    let path = format!("/r/{TOKEN}");
    let missing = post(
        &app,
        &path,
        form(&[
            ("channel", "telefoon"),
            ("contact", "0612345678"),
            ("time", "avond"),
        ]),
    )
    .await;
    assert_eq!(missing.0, StatusCode::FORBIDDEN);
    let (issued, _) = good.split_once('.').expect("issued.mac");
    let forged = post(
        &app,
        &path,
        fields(&format!("{issued}.AAAAAAAAAAAAAAAAAAAAAA")),
    )
    .await;
    assert_eq!(forged.0, StatusCode::FORBIDDEN);
    let foreign = app
        .client
        .post(app.url(&path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Origin", "https://evil.example")
        .body(fields(&good))
        .send()
        .await
        .expect("post");
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.store.row_counts().expect("counts"), before);

    let same_origin = app
        .client
        .post(app.url(&path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Origin", format!("http://{}", app.addr))
        .body(fields(&good))
        .send()
        .await
        .expect("post");
    assert_eq!(same_origin.status(), StatusCode::OK);
}

#[tokio::test]
async fn too_many_requests_for_one_token_get_429_with_a_dutch_page() {
    let app = spawn_app().await;
    let path = "/r/QQQQQQQQQQQQQQQQQQQQ";
    for i in 0..10 {
        // Retyping the token in another case does not give a fresh allowance.
        let p = if i % 2 == 0 {
            path.to_owned()
        } else {
            path.to_lowercase()
        };
        assert_eq!(get(&app, &p).await.0, StatusCode::NOT_FOUND);
    }
    let (status, page) = get(&app, path).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("te vaak geprobeerd"));
    // The window passes on the server's clock.
    app.clock.advance(chrono::Duration::minutes(61));
    assert_eq!(get(&app, path).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_oversized_answer_gets_413_and_nothing_is_stored() {
    let app = spawn_app().await;
    linked_case(&app).await;
    let before = app.store.row_counts().expect("counts");
    let big = "x".repeat(5000);
    let (status, page) = answer(&app, &[("message", big.as_str())]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.contains("te veel tekst"));
    assert_eq!(app.store.row_counts().expect("counts"), before);
}

#[tokio::test]
async fn a_typed_short_code_redirects_to_the_form_and_a_wrong_one_gets_the_not_found_page() {
    let app = spawn_app().await;
    linked_case(&app).await;
    let (status, page) = get(&app, "/r").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<label for=\"code\">"));

    crate::support::install_crypto_provider();
    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("client");
    let send = |code: &'static str| {
        client
            .post(app.url("/r"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form(&[("code", code)]))
            .send()
    };
    for typed in [SHORT, "abcde fghjk"] {
        let r = send(typed).await.expect("post");
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], format!("/r/{TOKEN}").as_str());
    }
    let unknown = send("00000-00000").await.expect("post");
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let unknown_page = unknown.text().await.expect("body");
    assert_eq!(unknown_page, get(&app, "/r/QQQQQQQQQQQQQQQQQQQQ").await.1);
}

#[tokio::test]
async fn the_visitors_input_is_never_echoed_back() {
    let app = spawn_app().await;
    linked_case(&app).await;
    let (status, page) = answer(&app, &[("message", "ECHOMARKER <b>hallo</b>")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("ECHOMARKER"));
    assert!(!page.contains("12345678"));

    let (_, form_page) = get(&app, &format!("/r/{TOKEN}")).await;
    let csrf = csrf_of(&form_page);
    let (status, page) = post(
        &app,
        &format!("/r/{TOKEN}"),
        form(&[
            ("csrf", &csrf),
            ("channel", "email"),
            ("contact", "ECHOADDRESS-not-an-email"),
            ("time", "ochtend"),
            ("message", "ECHOMARKER2"),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Dit e-mailadres klopt niet"));
    assert!(!page.contains("ECHOADDRESS"));
    assert!(!page.contains("ECHOMARKER2"));
}

#[tokio::test]
async fn a_card_linked_by_a_contact_moment_opens_the_form() {
    let app = spawn_app().await;
    let anna = app.consultant("Anna").await;
    let (case, _) = app.office_case(Some(anna.user_id));
    let token = "MMMMMMMMMMMMMMMMMMMM";
    assert_eq!(
        get(&app, &format!("/r/{token}")).await.0,
        StatusCode::NOT_FOUND
    );
    let op = append(
        &anna,
        "contact_moment",
        &new_id(),
        json!({
            "case_id": case,
            "kind": "huisbezoek",
            "outcome": "niet_thuis",
            "card_token": token,
            "card_short_code": ResponseToken::parse(token).expect("t").short_code().grouped(),
        }),
    );
    app.push(&anna, vec![op]).await;
    assert_eq!(get(&app, &format!("/r/{token}")).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_link_on_a_case_past_its_retention_period_no_longer_answers() {
    let app = spawn_app().await;
    let (anna, case, _) = linked_case(&app).await;
    let close = crate::support::update(&anna, "case", &case, json!({"closed_on": "2026-03-02"}), 0);
    assert_eq!(
        app.push(&anna, vec![close]).await.results[0].status,
        OpStatus::Applied
    );
    assert_eq!(get(&app, &format!("/r/{TOKEN}")).await.0, StatusCode::OK);
    app.clock.advance(chrono::Duration::days(10));
    app.store.sweep_retention(app.clock.now()).expect("sweep");
    let (status, page) = get(&app, &format!("/r/{TOKEN}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(page, get(&app, "/r/QQQQQQQQQQQQQQQQQQQQ").await.1);
}

#[tokio::test]
async fn too_many_requests_from_one_address_get_429() {
    let app = spawn_app().await;
    for _ in 0..60 {
        assert_eq!(get(&app, "/r").await.0, StatusCode::OK);
    }
    let (status, page) = get(&app, "/r").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("te vaak geprobeerd"));
}
