//! The HTTP boundary's error: an [`ErrorCode`] that becomes the status and a
//! `{ code, message }` body with the Dutch message from the protocol crate.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use veldwerk_protocol::ErrorCode;

use crate::store::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiError(pub ErrorCode);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(self.0.body())).into_response();
        if self.0 == ErrorCode::UpdateRequired {
            // RFC 9110: a 426 names the protocol to upgrade to.
            let upgrade = format!(
                "{}/{}",
                veldwerk_protocol::PROTOCOL_HEADER,
                veldwerk_protocol::PROTOCOL_VERSION
            );
            if let Ok(v) = HeaderValue::from_str(&upgrade) {
                response.headers_mut().insert(header::UPGRADE, v);
            }
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::InvalidEnrollmentCode => ApiError(ErrorCode::InvalidEnrollmentCode),
            StoreError::FullResyncRequired => ApiError(ErrorCode::FullResyncRequired),
            StoreError::NoRecoveryKey => ApiError(ErrorCode::NotConfigured),
            other => {
                // Store errors carry ids and SQL causes, never field values.
                tracing::error!(error = %other, source = ?std::error::Error::source(&other), "store error");
                ApiError(ErrorCode::Internal)
            }
        }
    }
}
