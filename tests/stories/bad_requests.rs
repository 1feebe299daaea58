//! Malformed, truncated, oversized and wrong-version bodies, and wrong or
//! missing device secrets, sent to the real binary: a clear 4xx with a
//! Dutch message each, and nothing stored.
//!
//! The server's own tests cover these bodies on push; these cover pull,
//! the state check, enrollment and the profile, a body cut short on the
//! wire, and credentials on every authenticated route.

use std::io::Write as _;

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use uuid::Uuid;
use veldwerk_protocol::{PROTOCOL_HEADER, PROTOCOL_VERSION, bearer_token, paths};

use crate::support::{Office, raw_post};

const LIMIT: usize = 64 * 1024;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

/// (what, extra headers, body, expected status, expected code)
type Bad = (
    String,
    Vec<(&'static str, String)>,
    Vec<u8>,
    u16,
    &'static str,
);

/// The bad variants of a good body.
fn bad_bodies(route: &str, good: &Value) -> Result<Vec<Bad>> {
    let good_bytes = serde_json::to_vec(good)?;
    let mut wrong_version = good.clone();
    wrong_version["protocol_version"] = json!(PROTOCOL_VERSION + 1);
    let mut no_version = good.clone();
    if let Some(o) = no_version.as_object_mut() {
        o.remove("protocol_version");
    }
    let mut oversized = good.clone();
    oversized["padding"] = json!("x".repeat(LIMIT + 10));
    let oversized = serde_json::to_vec(&oversized)?;
    let v = |b: &Value| serde_json::to_vec(b);
    Ok(vec![
        (
            format!("{route}: not JSON"),
            vec![],
            b"{ nonsense".to_vec(),
            400,
            "malformed_request",
        ),
        (
            format!("{route}: truncated JSON"),
            vec![],
            good_bytes[..good_bytes.len() / 2].to_vec(),
            400,
            "malformed_request",
        ),
        (
            format!("{route}: wrong shape"),
            vec![],
            v(&json!({"protocol_version": PROTOCOL_VERSION, "cursor": "x", "code": 5}))?,
            400,
            "malformed_request",
        ),
        (
            format!("{route}: empty"),
            vec![],
            Vec::new(),
            400,
            "malformed_request",
        ),
        (
            format!("{route}: oversized"),
            vec![],
            oversized.clone(),
            413,
            "payload_too_large",
        ),
        (
            format!("{route}: oversized once unzipped"),
            vec![("Content-Encoding", "gzip".into())],
            gzip(&oversized),
            413,
            "payload_too_large",
        ),
        (
            format!("{route}: gzip that is not"),
            vec![("Content-Encoding", "gzip".into())],
            good_bytes.clone(),
            400,
            "malformed_request",
        ),
        (
            format!("{route}: unknown encoding"),
            vec![("Content-Encoding", "zstd".into())],
            good_bytes.clone(),
            415,
            "unsupported_encoding",
        ),
        (
            format!("{route}: newer header version"),
            vec![(PROTOCOL_HEADER, (PROTOCOL_VERSION + 1).to_string())],
            good_bytes.clone(),
            426,
            "update_required",
        ),
        (
            format!("{route}: no header version"),
            vec![(PROTOCOL_HEADER, String::new())],
            good_bytes.clone(),
            426,
            "update_required",
        ),
        (
            format!("{route}: newer body version"),
            vec![],
            v(&wrong_version)?,
            426,
            "update_required",
        ),
        (
            format!("{route}: no body version"),
            vec![],
            v(&no_version)?,
            426,
            "update_required",
        ),
    ])
}

fn check_error(
    what: &str,
    status: u16,
    body: &Value,
    want_status: u16,
    want_code: &str,
) -> Result<()> {
    ensure!(
        status == want_status,
        "{what}: status {status}, body {body}"
    );
    ensure!(body["code"] == want_code, "{what}: {body}");
    let message = body["message"].as_str().unwrap_or_default();
    ensure!(
        message.len() > 20 && !message.contains("Error"),
        "{what}: a Dutch message, not {message:?}"
    );
    Ok(())
}

#[tokio::test]
async fn bad_bodies_on_pull_check_and_enroll_get_a_clear_4xx_and_store_nothing() -> Result<()> {
    let office = Office::open_with(&[("VELDWERK_SERVER_MAX_BODY_BYTES", "65536")]).await?;
    let anna = office.staff("Anna", "leerplichtambtenaar").await?;
    office.bureau.new_case(anna.user, "Jansen")?;
    let newcomer = office.bureau.add_user("Bram", "doorstroomcoach")?;
    let code = office.bureau.enrollment_code(newcomer)?;
    let auth = ("Authorization", anna.bearer()?);
    let before = office.row_counts()?;

    let routes = [
        (
            paths::PULL,
            json!({"protocol_version": PROTOCOL_VERSION, "cursor": 0, "limit": 100}),
            true,
        ),
        (
            paths::CHECK,
            json!({"protocol_version": PROTOCOL_VERSION, "cursor": 0, "digest": {"count": 0, "hash": "0".repeat(64)}}),
            true,
        ),
        (
            paths::ENROLL,
            json!({"protocol_version": PROTOCOL_VERSION, "code": code, "device_name": "laptop"}),
            false,
        ),
    ];
    for (path, good, authenticated) in &routes {
        for (what, mut headers, body, status, error) in bad_bodies(path, good)? {
            if *authenticated {
                headers.push((auth.0, auth.1.clone()));
            }
            let (got, answer) = raw_post(&office.url(), path, &headers, body).await?;
            check_error(&what, got, &answer, status, error)?;
        }
    }
    ensure!(office.row_counts()? == before, "nothing stored");

    // None of it spent the enrollment code.
    let good = serde_json::to_vec(&routes[2].1)?;
    let (status, answer) = raw_post(&office.url(), paths::ENROLL, &[], good).await?;
    ensure!(status == 200, "the code still works: {answer}");
    Ok(())
}

#[tokio::test]
async fn a_body_cut_short_on_the_wire_is_refused_and_stores_nothing() -> Result<()> {
    let office = Office::open().await?;
    let anna = office.staff("Anna", "leerplichtambtenaar").await?;
    let case = office.bureau.new_case(anna.user, "Jansen")?;
    anna.sync().await?;
    let before = office.row_counts()?;

    let ops: Vec<Value> = (0..30)
        .map(|i| {
            json!({"op_id": Uuid::now_v7(), "hlc": format!("{:015}-00000-{}", 1_770_000_000_000u64 + i, anna.device_id),
                   "entity": "contact_moment", "entity_id": Uuid::now_v7(), "kind": "append",
                   "changes": {"case_id": {"value": case, "base_version": 0}}})
        })
        .collect();
    let body =
        serde_json::to_vec(&json!({"protocol_version": PROTOCOL_VERSION, "operations": ops}))?;
    let head = format!(
        "POST {} HTTP/1.1\r\nhost: veldwerk\r\n{PROTOCOL_HEADER}: {PROTOCOL_VERSION}\r\n\
         authorization: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        paths::PUSH,
        anna.bearer()?,
        body.len()
    );
    let mut socket = tokio::net::TcpStream::connect(office.proxy.addr()).await?;
    socket.write_all(head.as_bytes()).await?;
    socket.write_all(&body[..body.len() / 2]).await?;
    socket.shutdown().await?;
    let mut answer = Vec::new();
    tokio::time::timeout(crate::support::DEADLINE, socket.read_to_end(&mut answer))
        .await
        .context("the server answers a cut body")??;
    let text = String::from_utf8_lossy(&answer);
    ensure!(text.starts_with("HTTP/1.1 400"), "{text}");
    ensure!(text.contains("malformed_request"), "{text}");
    ensure!(office.row_counts()? == before, "nothing stored");
    Ok(())
}

#[tokio::test]
async fn wrong_or_missing_device_secrets_are_refused_on_every_route_and_store_nothing() -> Result<()>
{
    let office = Office::open().await?;
    let anna = office.staff("Anna", "leerplichtambtenaar").await?;
    let bram = office.staff("Bram", "leerplichtambtenaar").await?;
    let revoked = office.staff("Carla", "leerplichtambtenaar").await?;
    office.bureau.new_case(anna.user, "Jansen")?;
    office.bureau.revoke(revoked.device_id)?;
    let anna_secret = anna
        .bearer()?
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_owned();
    let bram_secret = bram
        .bearer()?
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_owned();
    let credentials = [
        ("none", None),
        (
            "wrong secret",
            Some(bearer_token(&anna.device_id, "bm90LXRoZS1zZWNyZXQ")),
        ),
        (
            "another device's secret",
            Some(bearer_token(&anna.device_id, &bram_secret)),
        ),
        (
            "an unknown device",
            Some(bearer_token(&Uuid::now_v7(), &anna_secret)),
        ),
        (
            "a revoked device, wrong secret",
            Some(bearer_token(&revoked.device_id, &anna_secret)),
        ),
        ("no device id", Some(format!("Bearer {anna_secret}"))),
        ("basic", Some(format!("Basic {anna_secret}"))),
    ];
    let push = json!({"protocol_version": PROTOCOL_VERSION, "operations": [{
        "op_id": Uuid::now_v7(), "hlc": format!("{:015}-00000-x", 1_770_000_000_000u64), "entity": "school",
        "entity_id": Uuid::now_v7(), "kind": "insert", "changes": {"name": {"value": "Het Lyceum", "base_version": 0}}}]});
    let check = json!({"protocol_version": PROTOCOL_VERSION, "cursor": 0, "digest": {"count": 0, "hash": "0".repeat(64)}});
    let pull = json!({"protocol_version": PROTOCOL_VERSION, "cursor": 0, "limit": 10});
    let before = office.row_counts()?;
    veldwerk_sync::install_crypto_provider();
    let client = reqwest::Client::new();
    for (who, auth) in &credentials {
        for (path, body) in [
            (paths::PUSH, &push),
            (paths::CHECK, &check),
            (paths::PULL, &pull),
        ] {
            let headers: Vec<(&str, String)> =
                auth.iter().map(|a| ("Authorization", a.clone())).collect();
            let (status, answer) =
                raw_post(&office.url(), path, &headers, serde_json::to_vec(body)?).await?;
            check_error(
                &format!("{path} with {who}"),
                status,
                &answer,
                401,
                "unauthorized",
            )?;
        }
        let mut profile = client
            .get(format!("{}{}", office.url(), paths::PROFILE))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
        if let Some(a) = auth {
            profile = profile.header("Authorization", a);
        }
        let response = profile.send().await?;
        let status = response.status().as_u16();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        check_error(
            &format!("profile with {who}"),
            status,
            &answer,
            401,
            "unauthorized",
        )?;
    }
    ensure!(office.row_counts()? == before, "nothing stored");

    // The right secret still works.
    let (status, answer) = raw_post(
        &office.url(),
        paths::PUSH,
        &[("Authorization", anna.bearer()?)],
        serde_json::to_vec(&push)?,
    )
    .await?;
    ensure!(
        status == 200 && answer["results"][0]["status"] == "applied",
        "{answer}"
    );
    Ok(())
}
