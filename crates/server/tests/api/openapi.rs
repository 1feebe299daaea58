//! The HTTP API document (`docs/openapi.json`) and the router agree.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt as _;
use veldwerk_server::api::route_table;
use veldwerk_server::config::Limits;
use veldwerk_server::store::StoreOptions;
use veldwerk_server::{AppState, Clock, Store};

fn document() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("docs/openapi.json"))
        .expect("valid JSON")
}

#[test]
fn the_openapi_document_lists_exactly_the_routes_the_router_serves() {
    let doc = document();
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            if ["get", "post", "put", "patch", "delete", "head", "options"]
                .contains(&method.as_str())
            {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let served: BTreeSet<(String, String)> = route_table()
        .into_iter()
        .map(|r| (r.method.to_string(), r.path.to_owned()))
        .collect();
    assert_eq!(documented, served);
}

#[test]
fn every_error_code_is_documented() {
    let doc = document();
    let codes = &doc["components"]["schemas"]["ErrorCode"]["enum"];
    let codes: BTreeSet<String> = codes
        .as_array()
        .expect("enum")
        .iter()
        .map(|c| c.as_str().expect("text").to_owned())
        .collect();
    use veldwerk_protocol::ErrorCode::*;
    for code in [
        UpdateRequired,
        MalformedRequest,
        UnsupportedEncoding,
        PayloadTooLarge,
        Unauthorized,
        DeviceRevoked,
        InvalidEnrollmentCode,
        FullResyncRequired,
        NotConfigured,
        NotFound,
        MethodNotAllowed,
        Internal,
    ] {
        let name = serde_json::to_value(code)
            .expect("json")
            .as_str()
            .expect("text")
            .to_owned();
        assert!(codes.contains(&name), "{name} is documented");
    }
}

#[tokio::test]
async fn the_router_answers_health_without_a_socket() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("s.db"), StoreOptions::default()).expect("store");
    let app = veldwerk_server::router(AppState::new(store, Clock::system(), Limits::default()));
    let response = app
        .oneshot(
            Request::get(veldwerk_protocol::paths::HEALTH)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::OK);
}
