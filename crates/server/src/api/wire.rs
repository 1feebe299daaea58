//! Reading and writing bodies: the protocol version header, authentication,
//! size limits before and after gzip, JSON, and gzip responses.
//!
//! Every check happens before the store is touched, so a rejected request
//! stores nothing. Order: version header (426), credentials (401/410), body
//! size and encoding (413/415), JSON (400), body version (426).

use std::io::Read as _;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use flate2::Compression;
use flate2::read::{GzDecoder, GzEncoder};
use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;
use veldwerk_protocol::{ErrorCode, PROTOCOL_HEADER, PROTOCOL_VERSION};

use super::error::ApiError;

/// Responses smaller than this are not worth compressing.
const COMPRESS_FROM: usize = 1024;

pub fn check_version_header(headers: &HeaderMap) -> Result<(), ApiError> {
    let version = headers
        .get(PROTOCOL_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u32>().ok());
    match version {
        Some(PROTOCOL_VERSION) => Ok(()),
        _ => Err(ApiError(ErrorCode::UpdateRequired)),
    }
}

/// `(device_id, secret)` from `Authorization: Bearer <device_id>.<secret>`.
pub fn bearer(headers: &HeaderMap) -> Result<(Uuid, String), ApiError> {
    let unauthorized = ApiError(ErrorCode::Unauthorized);
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or(unauthorized)?;
    let token = value.strip_prefix("Bearer ").ok_or(unauthorized)?;
    let (id, secret) = token.trim().split_once('.').ok_or(unauthorized)?;
    let id = Uuid::parse_str(id).map_err(|_| unauthorized)?;
    if secret.is_empty() || secret.len() > 128 {
        return Err(unauthorized);
    }
    Ok((id, secret.to_owned()))
}

/// Reads a JSON body of at most `limit` bytes (compressed and decompressed),
/// checks its `protocol_version`, and parses it as `T`.
pub async fn read_json<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<T, ApiError> {
    let gzip = match headers
        .get(header::CONTENT_ENCODING)
        .map(|v| v.to_str().map(str::trim))
    {
        None | Some(Ok("identity")) => false,
        Some(Ok(e)) if e.eq_ignore_ascii_case("gzip") => true,
        Some(_) => return Err(ApiError(ErrorCode::UnsupportedEncoding)),
    };
    let raw: Bytes = match Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.is::<LengthLimitError>() => return Err(ApiError(ErrorCode::PayloadTooLarge)),
        Err(_) => return Err(ApiError(ErrorCode::MalformedRequest)),
    };
    let bytes = if gzip {
        let mut out = Vec::new();
        GzDecoder::new(&raw[..])
            .take(limit as u64 + 1)
            .read_to_end(&mut out)
            .map_err(|_| ApiError(ErrorCode::MalformedRequest))?;
        if out.len() > limit {
            return Err(ApiError(ErrorCode::PayloadTooLarge));
        }
        Bytes::from(out)
    } else {
        raw
    };
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|_| ApiError(ErrorCode::MalformedRequest))?;
    let version = value
        .get("protocol_version")
        .and_then(serde_json::Value::as_u64);
    if version != Some(u64::from(PROTOCOL_VERSION)) {
        return Err(ApiError(ErrorCode::UpdateRequired));
    }
    serde_json::from_value(value).map_err(|_| ApiError(ErrorCode::MalformedRequest))
}

/// A JSON response, gzip-compressed when the client accepts it and it is
/// big enough to gain from it.
pub fn respond<T: Serialize>(headers: &HeaderMap, value: &T) -> Response {
    let json = match serde_json::to_vec(value) {
        Ok(j) => j,
        Err(_) => return ApiError(ErrorCode::Internal).into_response(),
    };
    let accepts_gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|e| {
                e.trim()
                    .split(';')
                    .next()
                    .is_some_and(|n| n.trim() == "gzip")
            })
        });
    let mut response = if accepts_gzip && json.len() >= COMPRESS_FROM {
        let mut out = Vec::with_capacity(json.len() / 4);
        if GzEncoder::new(&json[..], Compression::fast())
            .read_to_end(&mut out)
            .is_err()
        {
            return ApiError(ErrorCode::Internal).into_response();
        }
        let mut r = Body::from(out).into_response();
        r.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        r
    } else {
        Body::from(json).into_response()
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}
