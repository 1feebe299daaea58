//! The Veldwerk central server: device enrollment, sync, the QR response form
//! and the admin CLI. Its store is SQLite behind one module ([`store`]).
//!
//! [`launch_with_listener`] runs the real server on a listener the caller
//! bound (tests bind `127.0.0.1:0`); [`api::router`] gives the application
//! without a socket. The wire contract lives in `veldwerk-protocol`.

pub mod api;
pub mod cli;
pub mod clock;
pub mod config;
pub mod secret;
pub mod store;
pub mod tls;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;

pub use api::{AppState, router};
pub use clock::Clock;
pub use config::Config;
pub use store::Store;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(
        "refusing to serve plain HTTP on {0}: that is not a loopback address. \
         Configure [tls] cert and key, or listen on 127.0.0.1 behind a TLS proxy"
    )]
    PlainHttpNotLoopback(SocketAddr),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
    #[error("network error")]
    Io(#[from] std::io::Error),
}

/// How often closed cases are checked against the retention period.
const RETENTION_SWEEP_EVERY: Duration = Duration::from_secs(3600);

/// Opens the store from `config` and serves on `listener` until `shutdown`
/// resolves. TLS when `config.tls` is set; otherwise only on loopback.
pub async fn launch_with_listener(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let store_path = config.store.clone();
    let options = config.store_options();
    let store = tokio::task::spawn_blocking(move || Store::open(&store_path, options))
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))??;
    let state = AppState::new(store, Clock::system(), config.limits.clone());
    serve(state, config.tls.as_ref(), listener, shutdown).await
}

/// Serves `state` on `listener`; the seam for tests that need their own clock.
pub async fn serve(
    state: AppState,
    tls: Option<&config::TlsConfig>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let addr = listener.local_addr()?;
    let acceptor = match tls {
        Some(t) => Some(tls::acceptor(&t.cert, &t.key)?),
        None if addr.ip().is_loopback() => None,
        None => return Err(ServerError::PlainHttpNotLoopback(addr)),
    };
    let sweeper = {
        let state = state.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(RETENTION_SWEEP_EVERY);
            loop {
                every.tick().await;
                let now = state.clock.now();
                if let Err(e) = state.run(move |s| s.sweep_retention(now)).await {
                    tracing::warn!(error = ?e, "retention sweep failed");
                }
            }
        })
    };
    let app = api::router(state);
    tracing::info!(%addr, tls = acceptor.is_some(), "serving");
    let result = match acceptor {
        Some(acceptor) => {
            tls::serve(listener, acceptor, app, shutdown).await;
            Ok(())
        }
        None => axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(ServerError::from),
    };
    sweeper.abort();
    result
}
