use reqwest::StatusCode;
use veldwerk_protocol::{
    EnrollResponse, ErrorBody, ErrorCode, PROTOCOL_HEADER, PROTOCOL_VERSION, paths,
};

use crate::support::spawn_app;

#[tokio::test]
async fn a_code_enrolls_one_device_and_is_then_spent() {
    let app = spawn_app().await;
    let user = app.add_user("Fatima de Vries");
    let code = app.code_for(user);

    let first = app.try_enroll(&code).await;
    assert_eq!(first.status(), StatusCode::OK);
    let enrolled: EnrollResponse = first.json().await.expect("json");
    assert_eq!(enrolled.user.id, user);
    assert_eq!(enrolled.user.name, "Fatima de Vries");
    assert!(enrolled.recovery_public_key.starts_with("age1"));
    assert_eq!(enrolled.branding.organisation_name, "Veldwerk");
    assert!(enrolled.device_secret.len() >= 43, "256-bit secret");

    let again = app.try_enroll(&code).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    let body: ErrorBody = again.json().await.expect("error json");
    assert_eq!(body.code, ErrorCode::InvalidEnrollmentCode);
    assert_eq!(app.store.devices().expect("devices").len(), 1);
}

#[tokio::test]
async fn a_code_is_accepted_in_lower_case_without_dashes() {
    let app = spawn_app().await;
    let user = app.add_user("Kees");
    let code = app.code_for(user).to_lowercase().replace('-', "");
    assert_eq!(app.try_enroll(&code).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_expired_code_is_rejected_and_creates_no_device() {
    let app = spawn_app().await;
    let user = app.add_user("Jan");
    let code = app.code_for(user);
    app.clock.advance(chrono::Duration::minutes(15));

    let response = app.try_enroll(&code).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: ErrorBody = response.json().await.expect("error json");
    assert_eq!(body.code, ErrorCode::InvalidEnrollmentCode);
    assert!(app.store.devices().expect("devices").is_empty());
}

#[tokio::test]
async fn a_code_just_inside_fifteen_minutes_still_works() {
    let app = spawn_app().await;
    let user = app.add_user("Jan");
    let code = app.code_for(user);
    app.clock
        .advance(chrono::Duration::minutes(14) + chrono::Duration::seconds(59));
    assert_eq!(app.try_enroll(&code).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_code_is_rejected() {
    let app = spawn_app().await;
    assert_eq!(
        app.try_enroll("AAAA-BBBB-CCCC").await.status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn the_device_secret_is_stored_only_as_a_hash() {
    let app = spawn_app().await;
    let dev = app.consultant("Anna").await;
    let bytes = std::fs::read(app.store.path()).expect("store file");
    let needle = dev.secret.as_bytes();
    assert!(
        !bytes.windows(needle.len()).any(|w| w == needle),
        "secret must not be on disk"
    );
}

#[tokio::test]
async fn requests_without_or_with_a_wrong_device_secret_are_unauthorized() {
    let app = spawn_app().await;
    let dev = app.consultant("Anna").await;
    let body = serde_json::json!({"protocol_version": PROTOCOL_VERSION, "cursor": 0, "limit": 10});
    let cases = [
        None,
        Some(format!("Bearer {}.{}", dev.id, "wrong-secret")),
        Some(format!("Bearer {}.{}", uuid::Uuid::now_v7(), dev.secret)),
        Some(format!("Basic {}", dev.secret)),
        Some("Bearer nonsense".to_owned()),
    ];
    for auth in cases {
        let mut request = app
            .client
            .post(app.url(paths::PULL))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .json(&body);
        if let Some(a) = &auth {
            request = request.header("Authorization", a);
        }
        let response = request.send().await.expect("request");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{auth:?}");
        let err: ErrorBody = response.json().await.expect("json");
        assert_eq!(err.code, ErrorCode::Unauthorized);
    }
}

#[tokio::test]
async fn the_profile_brings_changed_branding_to_an_enrolled_device() {
    let app = spawn_app().await;
    let dev = app.consultant("Anna").await;
    let mut branding = app.store.branding().expect("branding");
    branding.organisation_name = "Doorstroompunt Utrecht".into();
    app.store
        .set_branding(&branding, app.clock.now())
        .expect("set");
    let response = app
        .client
        .get(app.url(paths::PROFILE))
        .header(PROTOCOL_HEADER, "1")
        .header(
            "Authorization",
            veldwerk_protocol::bearer_token(&dev.id, &dev.secret),
        )
        .send()
        .await
        .expect("profile");
    assert_eq!(response.status(), StatusCode::OK);
    let p: veldwerk_protocol::ProfileResponse = response.json().await.expect("json");
    assert_eq!(p.branding.organisation_name, "Doorstroompunt Utrecht");
    assert_eq!(p.user.id, dev.user_id);
}
