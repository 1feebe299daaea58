use std::io::Write as _;

use flate2::Compression;
use flate2::write::GzEncoder;
use reqwest::StatusCode;
use serde_json::json;
use veldwerk_protocol::{
    ErrorBody, ErrorCode, PROTOCOL_HEADER, PROTOCOL_VERSION, bearer_token, paths,
};

use crate::support::{Device, TestApp, append, new_id, spawn_app};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip")
}

async fn raw(
    app: &TestApp,
    dev: &Device,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (StatusCode, ErrorBody) {
    let mut request = app
        .client
        .post(app.url(path))
        .header("Authorization", bearer_token(&dev.id, &dev.secret))
        .header("Content-Type", "application/json");
    let mut has_version = false;
    for (k, v) in headers {
        has_version |= k.eq_ignore_ascii_case(PROTOCOL_HEADER);
        request = request.header(*k, *v);
    }
    if !has_version {
        request = request.header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
    }
    let response = request.body(body).send().await.expect("request");
    let status = response.status();
    let body: ErrorBody = response.json().await.expect("an error body");
    (status, body)
}

/// (name, extra headers, body, expected status, expected code)
type BadPush = (
    &'static str,
    Vec<(&'static str, &'static str)>,
    Vec<u8>,
    StatusCode,
    ErrorCode,
);

fn push_body(dev: &Device, case: &str, note_len: usize) -> Vec<u8> {
    let op = append(
        dev,
        "contact_moment",
        &new_id(),
        json!({"case_id": case, "notitie": "x".repeat(note_len)}),
    );
    serde_json::to_vec(&json!({"protocol_version": PROTOCOL_VERSION, "operations": [op]}))
        .expect("json")
}

#[tokio::test]
async fn malformed_truncated_oversized_and_wrong_version_pushes_each_get_a_clear_4xx_and_store_nothing()
 {
    let app = spawn_app().await;
    let dev = app.consultant("Anna").await;
    let (case, _) = app.office_case(Some(dev.user_id));
    let before = app.store.row_counts().expect("counts");
    let good = push_body(&dev, &case, 10);
    let huge = push_body(&dev, &case, app.limits.max_body_bytes + 10);
    let wrong_body_version = String::from_utf8(good.clone()).expect("utf8").replace(
        &format!("\"protocol_version\":{PROTOCOL_VERSION}"),
        "\"protocol_version\":99",
    );
    let many: Vec<_> = (0..app.limits.max_operations_per_push + 1)
        .map(|_| append(&dev, "contact_moment", &new_id(), json!({"case_id": case})))
        .collect();
    let too_many =
        serde_json::to_vec(&json!({"protocol_version": PROTOCOL_VERSION, "operations": many}))
            .expect("json");

    let cases: Vec<BadPush> = vec![
        (
            "not json",
            vec![],
            b"{{{ nonsense".to_vec(),
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedRequest,
        ),
        (
            "truncated",
            vec![],
            good[..good.len() / 2].to_vec(),
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedRequest,
        ),
        (
            "wrong shape",
            vec![],
            br#"{"protocol_version":1,"operations":"x"}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedRequest,
        ),
        (
            "empty",
            vec![],
            Vec::new(),
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedRequest,
        ),
        (
            "oversized",
            vec![],
            huge.clone(),
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
        ),
        (
            "gzip bomb",
            vec![("Content-Encoding", "gzip")],
            gzip(&huge),
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
        ),
        (
            "bad gzip",
            vec![("Content-Encoding", "gzip")],
            good.clone(),
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedRequest,
        ),
        (
            "brotli",
            vec![("Content-Encoding", "br")],
            good.clone(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedEncoding,
        ),
        (
            "too many operations",
            vec![],
            too_many,
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
        ),
        (
            "header version",
            vec![(PROTOCOL_HEADER, "2")],
            good.clone(),
            StatusCode::UPGRADE_REQUIRED,
            ErrorCode::UpdateRequired,
        ),
        (
            "body version",
            vec![],
            wrong_body_version.into_bytes(),
            StatusCode::UPGRADE_REQUIRED,
            ErrorCode::UpdateRequired,
        ),
    ];
    for (name, headers, body, status, code) in cases {
        let (got_status, err) = raw(&app, &dev, paths::PUSH, &headers, body).await;
        assert_eq!((got_status, err.code), (status, code), "{name}");
        assert!(
            !err.message.is_empty() && !err.message.contains("Testpersoon"),
            "{name}: {}",
            err.message
        );
    }
    assert_eq!(
        app.store.row_counts().expect("counts"),
        before,
        "nothing stored"
    );

    // The same push, well-formed and gzip-compressed, is applied.
    let (status, _) = {
        let response = app
            .authed(&dev, paths::PUSH)
            .header("Content-Encoding", "gzip")
            .header("Content-Type", "application/json")
            .body(gzip(&good))
            .send()
            .await
            .expect("push");
        (response.status(), ())
    };
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        app.store.row_counts().expect("counts").operations,
        before.operations + 1
    );
}

#[tokio::test]
async fn an_old_app_is_told_in_dutch_to_update() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url(paths::ENROLL))
        .json(&json!({"protocol_version": 0, "code": "x", "device_name": "y"}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::UPGRADE_REQUIRED);
    assert!(response.headers().contains_key("upgrade"));
    let err: ErrorBody = response.json().await.expect("json");
    assert_eq!(err.code, ErrorCode::UpdateRequired);
    assert!(err.message.contains("Werk Veldwerk bij"), "{}", err.message);
}

#[tokio::test]
async fn large_responses_are_gzip_compressed_when_the_device_accepts_it() {
    let app = spawn_app().await;
    let dev = app.consultant("Anna").await;
    for _ in 0..5 {
        app.office_case(Some(dev.user_id));
    }
    let response = app
        .authed(&dev, paths::PULL)
        .header("Accept-Encoding", "gzip")
        .json(&json!({"protocol_version": PROTOCOL_VERSION, "cursor": 0, "limit": 100}))
        .send()
        .await
        .expect("pull");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response
            .headers()
            .get("content-encoding")
            .map(|v| v.as_bytes()),
        Some(&b"gzip"[..])
    );
    let compressed = response.bytes().await.expect("body");
    let mut json = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(&compressed[..]),
        &mut json,
    )
    .expect("gunzip");
    let page: veldwerk_protocol::PullResponse = serde_json::from_slice(&json).expect("a pull page");
    assert_eq!(page.changes.len(), 15, "five youth, cases and meldingen");
    assert!(compressed.len() < json.len());
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json_errors() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(app.url("/v1/nothing"))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let e: ErrorBody = r.json().await.expect("json");
    assert_eq!(e.code, ErrorCode::NotFound);
    let r = app
        .client
        .get(app.url(paths::PUSH))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
}
