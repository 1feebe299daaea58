//! The HTTP side of the protocol: one [`Client`] per server, speaking
//! JSON with the protocol version header, gzip both ways, the device's
//! credentials, and error bodies turned into [`SyncError`]s.
//!
//! Bodies are compressed and decompressed here rather than by reqwest, so
//! the client can count the bytes that cross the wire ([`WireBytes`]).

use std::fmt;
use std::io::{Read as _, Write as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use reqwest::header::{
    ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE, HeaderValue,
};
use reqwest::{StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;
use veldwerk_protocol::{
    EnrollRequest, EnrollResponse, ErrorBody, OpDigest, Operation, PROTOCOL_HEADER,
    PROTOCOL_VERSION, ProfileResponse, PullRequest, PullResponse, PushResponse, StateCheckRequest,
    StateCheckResponse, bearer_token, paths,
};

use crate::SyncError;

/// Request bodies from this size on are sent gzip-compressed.
const COMPRESS_FROM: usize = 1024;
/// The most a decompressed answer may grow to; a page of 1,000 records is
/// around a megabyte.
const MAX_ANSWER_BYTES: u64 = 256 * 1024 * 1024;

/// How the client connects.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// The longest a whole request may take, answer included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// A PEM certificate to trust besides the system's (a bureau with its
    /// own certificate authority).
    pub extra_root_certificate_pem: Option<Vec<u8>>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
            extra_root_certificate_pem: None,
        }
    }
}

/// An enrolled device's credentials. The secret is shown by nothing.
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceCredentials {
    pub device_id: Uuid,
    pub secret: String,
}

impl fmt::Debug for DeviceCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCredentials")
            .field("device_id", &self.device_id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// Bytes of request and answer bodies as sent and received (compressed
/// when compressed), since the client was made. HTTP headers not included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WireBytes {
    pub sent: u64,
    pub received: u64,
}

impl std::ops::Sub for WireBytes {
    type Output = WireBytes;
    fn sub(self, rhs: WireBytes) -> WireBytes {
        WireBytes {
            sent: self.sent.saturating_sub(rhs.sent),
            received: self.received.saturating_sub(rhs.received),
        }
    }
}

#[derive(Default)]
struct Counters {
    sent: AtomicU64,
    received: AtomicU64,
}

/// A client of one Veldwerk server, cheap to clone (clones share the
/// connection pool and the byte counters).
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
    authorization: Option<HeaderValue>,
    device_id: Option<Uuid>,
    counters: Arc<Counters>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("server", &self.base.as_str())
            .field("device_id", &self.device_id)
            .finish_non_exhaustive()
    }
}

/// Checks a server address: `https://`, or `http://` to a loopback address
/// only (the server serves plain HTTP nowhere else). Returns it without a
/// trailing slash.
pub fn parse_server_url(text: &str) -> Result<Url, SyncError> {
    let url = Url::parse(text.trim()).map_err(|_| SyncError::InvalidUrl("not a URL"))?;
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or(SyncError::InvalidUrl("no host"))?;
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => return Err(SyncError::InvalidUrl("plain http outside loopback")),
        _ => return Err(SyncError::InvalidUrl("not http or https")),
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(SyncError::InvalidUrl(
            "query, fragment or user name in the address",
        ));
    }
    let mut url = url;
    let path = url.path().trim_end_matches('/').to_owned();
    url.set_path(&path);
    Ok(url)
}

/// rustls needs a process-wide crypto provider when reqwest brings none;
/// ring, as on the server. A provider someone installed first stays.
///
/// Because cargo unifies features, every reqwest client in a process that
/// links this crate uses rustls without a provider; such a process must call
/// this before building any client (tests with their own clients included).
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl Client {
    /// A client without credentials (for enrollment and health).
    pub fn new(server_url: &str) -> Result<Client, SyncError> {
        Client::with_options(server_url, &ClientOptions::default())
    }

    pub fn with_options(server_url: &str, options: &ClientOptions) -> Result<Client, SyncError> {
        let base = parse_server_url(server_url)?;
        install_crypto_provider();
        let mut builder = reqwest::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.connect_timeout)
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(60))
            .user_agent(concat!("veldwerk/", env!("CARGO_PKG_VERSION")));
        if let Some(pem) = &options.extra_root_certificate_pem {
            let cert = reqwest::Certificate::from_pem(pem).map_err(SyncError::Client)?;
            builder = builder.add_root_certificate(cert);
        }
        let http = builder.build().map_err(SyncError::Client)?;
        Ok(Client {
            http,
            base,
            authorization: None,
            device_id: None,
            counters: Arc::default(),
        })
    }

    /// The same client, authenticating as `credentials`.
    pub fn with_credentials(
        mut self,
        credentials: &DeviceCredentials,
    ) -> Result<Client, SyncError> {
        let token = bearer_token(&credentials.device_id, &credentials.secret);
        let mut value =
            HeaderValue::from_str(&token).map_err(|_| SyncError::State("device secret"))?;
        value.set_sensitive(true);
        self.authorization = Some(value);
        self.device_id = Some(credentials.device_id);
        Ok(self)
    }

    /// The server's base address.
    pub fn server_url(&self) -> &str {
        self.base.as_str()
    }

    pub fn device_id(&self) -> Option<Uuid> {
        self.device_id
    }

    /// Body bytes sent and received so far by this client and its clones.
    pub fn wire_bytes(&self) -> WireBytes {
        WireBytes {
            sent: self.counters.sent.load(Ordering::Relaxed),
            received: self.counters.received.load(Ordering::Relaxed),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base.as_str().trim_end_matches('/'))
    }

    /// `GET /v1/health`: whether the server is reachable.
    pub async fn health(&self) -> Result<(), SyncError> {
        let response = self
            .http
            .get(self.url(paths::HEALTH))
            .send()
            .await
            .map_err(SyncError::Offline)?;
        let status = response.status();
        let body = response.bytes().await.map_err(SyncError::Offline)?;
        self.count(0, body.len());
        if status.is_success() {
            Ok(())
        } else {
            Err(error_from(status, &body))
        }
    }

    /// `POST /v1/enroll` with a one-time code.
    pub async fn enroll(&self, code: &str, device_name: &str) -> Result<EnrollResponse, SyncError> {
        let request = EnrollRequest {
            protocol_version: PROTOCOL_VERSION,
            code: code.to_owned(),
            device_name: device_name.to_owned(),
        };
        self.post(paths::ENROLL, &request, false).await
    }

    /// `GET /v1/profile`: profile, recovery key and branding again.
    pub async fn profile(&self) -> Result<ProfileResponse, SyncError> {
        let mut request = self
            .http
            .get(self.url(paths::PROFILE))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .header(ACCEPT_ENCODING, "gzip");
        if let Some(auth) = &self.authorization {
            request = request.header(AUTHORIZATION, auth.clone());
        }
        self.exchange(request, 0).await
    }

    /// `POST /v1/sync/push`.
    pub async fn push(&self, operations: &[Operation]) -> Result<PushResponse, SyncError> {
        /// [`veldwerk_protocol::PushRequest`]'s shape, borrowing the batch instead of cloning it.
        #[derive(Serialize)]
        struct Borrowed<'a> {
            protocol_version: u32,
            operations: &'a [Operation],
        }
        self.post(
            paths::PUSH,
            &Borrowed {
                protocol_version: PROTOCOL_VERSION,
                operations,
            },
            true,
        )
        .await
    }

    /// `POST /v1/sync/pull`: one page after `cursor`.
    pub async fn pull(&self, cursor: u64, limit: u32) -> Result<PullResponse, SyncError> {
        let request = PullRequest {
            protocol_version: PROTOCOL_VERSION,
            cursor,
            limit,
        };
        self.post(paths::PULL, &request, true).await
    }

    /// `POST /v1/sync/check`: the state check.
    pub async fn check(
        &self,
        cursor: u64,
        digest: &OpDigest,
    ) -> Result<StateCheckResponse, SyncError> {
        let request = StateCheckRequest {
            protocol_version: PROTOCOL_VERSION,
            cursor,
            digest: digest.clone(),
        };
        self.post(paths::CHECK, &request, true).await
    }

    async fn post<Q: Serialize, A: DeserializeOwned>(
        &self,
        path: &str,
        body: &Q,
        authenticated: bool,
    ) -> Result<A, SyncError> {
        let json = serde_json::to_vec(body).map_err(SyncError::Decode)?;
        let mut request = self
            .http
            .post(self.url(path))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT_ENCODING, "gzip");
        if authenticated {
            let auth = self.authorization.clone().ok_or(SyncError::NotEnrolled)?;
            request = request.header(AUTHORIZATION, auth);
        }
        let payload = if json.len() >= COMPRESS_FROM {
            request = request.header(CONTENT_ENCODING, "gzip");
            gzip(&json)
        } else {
            json
        };
        let sent = payload.len();
        self.exchange(request.body(payload), sent).await
    }

    async fn exchange<A: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
        sent: usize,
    ) -> Result<A, SyncError> {
        let response = request.send().await.map_err(SyncError::Offline)?;
        let status = response.status();
        let gzipped = response
            .headers()
            .get(CONTENT_ENCODING)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"gzip"));
        // A connection cut in the middle of the answer fails here: the
        // request may have been applied, and a retry sorts that out.
        let raw = response.bytes().await.map_err(SyncError::Offline)?;
        self.count(sent, raw.len());
        let body = if gzipped { gunzip(&raw)? } else { raw.to_vec() };
        if !status.is_success() {
            return Err(error_from(status, &body));
        }
        serde_json::from_slice(&body).map_err(SyncError::Decode)
    }

    fn count(&self, sent: usize, received: usize) {
        self.counters.sent.fetch_add(sent as u64, Ordering::Relaxed);
        self.counters
            .received
            .fetch_add(received as u64, Ordering::Relaxed);
    }
}

fn error_from(status: StatusCode, body: &[u8]) -> SyncError {
    let code = serde_json::from_slice::<ErrorBody>(body)
        .ok()
        .map(|b| b.code);
    SyncError::Server {
        status: status.as_u16(),
        code,
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 4), Compression::fast());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, SyncError> {
    let mut out = Vec::with_capacity(bytes.len() * 4);
    GzDecoder::new(bytes)
        .take(MAX_ANSWER_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|_| SyncError::Protocol("a compressed answer that does not decompress"))?;
    if out.len() as u64 > MAX_ANSWER_BYTES {
        return Err(SyncError::Protocol("an answer too large to handle"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_addresses_must_be_https_or_loopback_http() {
        assert!(parse_server_url("https://veldwerk.bureau.nl").is_ok());
        assert!(parse_server_url("https://veldwerk.bureau.nl:8443/").is_ok());
        assert!(parse_server_url("http://127.0.0.1:8443").is_ok());
        assert!(parse_server_url("http://[::1]:8443").is_ok());
        assert!(parse_server_url("http://localhost:8443").is_ok());
        for bad in [
            "http://veldwerk.bureau.nl",
            "http://10.0.0.5:8443",
            "ftp://veldwerk.bureau.nl",
            "veldwerk.bureau.nl",
            "https://user@veldwerk.bureau.nl",
            "",
        ] {
            assert!(
                matches!(parse_server_url(bad), Err(SyncError::InvalidUrl(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_trailing_slash_does_not_double_in_request_paths() -> Result<(), SyncError> {
        let client = Client::new("http://127.0.0.1:9/bureau/")?;
        assert_eq!(
            client.url(paths::PULL),
            "http://127.0.0.1:9/bureau/v1/sync/pull"
        );
        let client = Client::new("http://127.0.0.1:9")?;
        assert_eq!(client.url(paths::PULL), "http://127.0.0.1:9/v1/sync/pull");
        Ok(())
    }

    #[test]
    fn gzip_round_trips_and_refuses_garbage() -> Result<(), SyncError> {
        let text = b"{\"a\":1}".repeat(500);
        let packed = gzip(&text);
        assert!(packed.len() < text.len());
        assert_eq!(gunzip(&packed)?, text);
        assert!(gunzip(b"not gzip").is_err());
        Ok(())
    }

    #[test]
    fn credentials_never_show_their_secret() {
        let c = DeviceCredentials {
            device_id: Uuid::nil(),
            secret: "s3cr3t".into(),
        };
        assert!(!format!("{c:?}").contains("s3cr3t"));
    }
}
