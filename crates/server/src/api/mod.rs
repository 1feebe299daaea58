//! The HTTP API (documented in `docs/openapi.json`): routes, shared state,
//! and the handlers, each a short sequence of checks and one store call.
//!
//! Store calls are blocking SQLite work: [`AppState::run`] moves them to
//! tokio's blocking pool, at most `max_concurrent_store_calls` at once, so
//! 200 devices syncing together queue briefly instead of spawning 200
//! threads that all wait for the one writer connection.

mod error;
mod form;
mod wire;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::handler::Handler;
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, on};
use serde::Serialize;
use tokio::sync::Semaphore;
use veldwerk_protocol::{
    EnrollRequest, EnrollResponse, ErrorCode, PROTOCOL_VERSION, ProfileResponse, PullRequest,
    PullResponse, PushRequest, PushResponse, StateCheckRequest, paths,
};

pub use error::ApiError;

use crate::clock::Clock;
use crate::config::Limits;
use crate::store::{AuthDevice, Store};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Clock,
    pub limits: Limits,
    gate: Arc<Semaphore>,
    /// The response form's CSRF secret and rate limits.
    form: Arc<form::FormGuard>,
}

impl AppState {
    pub fn new(store: Store, clock: Clock, limits: Limits) -> AppState {
        let gate = Arc::new(Semaphore::new(limits.max_concurrent_store_calls.max(1)));
        AppState {
            store,
            clock,
            limits,
            gate,
            form: Arc::new(form::FormGuard::new()),
        }
    }

    /// Runs blocking store work off the async threads.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> crate::store::Result<T> + Send + 'static,
    ) -> Result<T, ApiError> {
        let _permit = self
            .gate
            .acquire()
            .await
            .map_err(|_| ApiError(ErrorCode::Internal))?;
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|_| ApiError(ErrorCode::Internal))?
            .map_err(ApiError::from)
    }

    /// The device behind the request's credentials (401 when missing or wrong).
    async fn device(&self, headers: &HeaderMap) -> Result<AuthDevice, ApiError> {
        let (id, secret) = wire::bearer(headers)?;
        self.run(move |s| s.authenticate(id, &secret))
            .await?
            .ok_or(ApiError(ErrorCode::Unauthorized))
    }

    /// Like [`AppState::device`], and 410 for a revoked device.
    async fn active_device(&self, headers: &HeaderMap) -> Result<AuthDevice, ApiError> {
        let device = self.device(headers).await?;
        if device.revoked {
            tracing::info!(device = %device.device_id, "revoked device told to wipe");
            return Err(ApiError(ErrorCode::DeviceRevoked));
        }
        Ok(device)
    }
}

/// One route the server serves: the table the OpenAPI document is checked against.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Route {
    pub method: Method,
    pub path: &'static str,
}

/// Builds the router and its route table together, so the table cannot miss
/// a route the router serves.
struct Routes {
    router: Router<AppState>,
    table: Vec<Route>,
}

impl Routes {
    fn add<H, T>(mut self, method: Method, path: &'static str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
        self.router = self.router.route(path, on(filter, handler));
        self.table.push(Route { method, path });
        self
    }
}

fn routes() -> Routes {
    Routes {
        router: Router::new(),
        table: Vec::new(),
    }
    .add(Method::GET, paths::HEALTH, health)
    .add(Method::POST, paths::ENROLL, enroll)
    .add(Method::GET, paths::PROFILE, profile)
    .add(Method::POST, paths::PUSH, push)
    .add(Method::POST, paths::PULL, pull)
    .add(Method::POST, paths::CHECK, check)
    .add(Method::GET, paths::RESPONSE_ENTRY, form::entry_get)
    .add(Method::POST, paths::RESPONSE_ENTRY, form::entry_post)
    .add(Method::GET, paths::RESPONSE_FORM, form::form_get)
    .add(Method::POST, paths::RESPONSE_FORM, form::form_post)
    .add(Method::GET, paths::RESPONSE_CSS, form::stylesheet)
}

/// Every route the router serves.
pub fn route_table() -> Vec<Route> {
    let mut t = routes().table;
    t.sort();
    t
}

/// The application without a socket, for handler tests.
pub fn router(state: AppState) -> Router {
    routes()
        .router
        .fallback(|| async { ApiError(ErrorCode::NotFound) })
        .method_not_allowed_fallback(|| async { ApiError(ErrorCode::MethodNotAllowed) })
        .with_state(state)
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    protocol_version: u32,
}

async fn health() -> impl IntoResponse {
    axum::Json(Health {
        status: "ok",
        protocol_version: PROTOCOL_VERSION,
    })
}

async fn enroll(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    wire::check_version_header(&headers)?;
    let req: EnrollRequest = wire::read_json(&headers, body, s.limits.max_body_bytes).await?;
    let name_ok = !req.device_name.trim().is_empty() && req.device_name.chars().count() <= 100;
    if !name_ok || req.code.len() > 64 {
        return Err(ApiError(ErrorCode::MalformedRequest));
    }
    let now = s.clock.now();
    let (enrolled, key, branding) = s
        .run(move |store| {
            let enrolled = store.enroll(&req.code, &req.device_name, now)?;
            let key = store.recovery_public_key()?.unwrap_or_default();
            Ok((enrolled, key, store.branding()?))
        })
        .await?;
    Ok(wire::respond(
        &headers,
        &EnrollResponse {
            device_id: enrolled.device_id,
            device_secret: enrolled.device_secret,
            user: enrolled.user,
            recovery_public_key: key,
            branding,
        },
    ))
}

async fn profile(State(s): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    wire::check_version_header(&headers)?;
    let device = s.active_device(&headers).await?;
    let response = s
        .run(move |store| {
            Ok(ProfileResponse {
                user: store.user(device.user_id)?,
                recovery_public_key: store.recovery_public_key()?.unwrap_or_default(),
                branding: store.branding()?,
            })
        })
        .await?;
    Ok(wire::respond(&headers, &response))
}

async fn push(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    wire::check_version_header(&headers)?;
    let device = s.active_device(&headers).await?;
    let req: PushRequest = wire::read_json(&headers, body, s.limits.max_body_bytes).await?;
    if req.operations.len() > s.limits.max_operations_per_push {
        return Err(ApiError(ErrorCode::PayloadTooLarge));
    }
    let now = s.clock.now();
    let results = s
        .run(move |store| store.push(&device, &req.operations, now))
        .await?;
    Ok(wire::respond(&headers, &PushResponse { results }))
}

async fn pull(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    wire::check_version_header(&headers)?;
    let device = s.device(&headers).await?;
    if device.revoked {
        tracing::info!(device = %device.device_id, "revoked device told to wipe");
        let wipe = PullResponse {
            changes: Vec::new(),
            purge: Vec::new(),
            conflicts: Vec::new(),
            next_cursor: 0,
            more: false,
            wipe: true,
        };
        return Ok(wire::respond(&headers, &wipe));
    }
    let req: PullRequest = wire::read_json(&headers, body, s.limits.max_body_bytes).await?;
    let limit = req.limit.clamp(1, s.limits.max_pull_limit.max(1));
    let now = s.clock.now();
    let page = s
        .run(move |store| store.pull(&device, req.cursor, limit, now))
        .await?;
    Ok(wire::respond(&headers, &page))
}

async fn check(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    wire::check_version_header(&headers)?;
    let device = s.active_device(&headers).await?;
    let req: StateCheckRequest = wire::read_json(&headers, body, s.limits.max_body_bytes).await?;
    let response = s
        .run(move |store| store.check(&device, req.cursor, &req.digest))
        .await?;
    Ok(wire::respond(&headers, &response))
}
