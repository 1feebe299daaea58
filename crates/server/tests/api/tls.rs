//! TLS from PEM files: the real server on 127.0.0.1:0 with the test
//! certificate, reached by a rustls client that trusts only the test CA.

use std::path::PathBuf;
use std::sync::Arc;

use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio_rustls::rustls;
use veldwerk_server::config::{Limits, TlsConfig};
use veldwerk_server::store::StoreOptions;
use veldwerk_server::{AppState, Clock, ServerError, Store};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")).join(name)
}

#[tokio::test]
async fn the_server_speaks_tls_with_the_configured_certificate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("s.db"), StoreOptions::default()).expect("store");
    let state = AppState::new(store, Clock::system(), Limits::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let tls = TlsConfig {
        cert: fixture("cert.pem"),
        key: fixture("key.pem"),
    };
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        veldwerk_server::serve(state, Some(&tls), listener, async {
            let _ = rx.await;
        })
        .await
    });

    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_file(fixture("ca.pem")).expect("ca"))
        .expect("root");
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let mut stream = connector
        .connect(ServerName::try_from("localhost").expect("name"), tcp)
        .await
        .expect("TLS handshake");
    stream
        .write_all(b"GET /v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read");
    let text = String::from_utf8_lossy(&response);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(text.contains("\"status\":\"ok\""), "{text}");

    let _ = tx.send(());
    server.await.expect("joins").expect("clean shutdown");
}

#[tokio::test]
async fn a_missing_certificate_file_is_a_clear_start_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("s.db"), StoreOptions::default()).expect("store");
    let state = AppState::new(store, Clock::system(), Limits::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let tls = TlsConfig {
        cert: dir.path().join("nope.pem"),
        key: fixture("key.pem"),
    };
    let err = veldwerk_server::serve(state, Some(&tls), listener, async {})
        .await
        .expect_err("fails");
    assert!(matches!(err, ServerError::Tls(_)));
    assert!(err.to_string().contains("nope.pem"), "{err}");
}
