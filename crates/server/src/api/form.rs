//! The QR response form (`/r`): plain HTML pages in Dutch, no JavaScript, no
//! third-party assets, one stylesheet of our own.
//!
//! Guards, in the order a request meets them: per-address and per-token rate
//! limits (429), a body size limit (413), then on a `POST` of an answer the
//! `Origin`/`Referer` check and the form's CSRF token (403). Unknown,
//! malformed and expired tokens all get [`Page::NotFound`] with 404 after the
//! same store lookup, so the answer does not tell them apart.
//!
//! Every page carries `Cache-Control: no-store`, `Referrer-Policy:
//! same-origin` and a strict Content-Security-Policy. `same-origin`, not
//! `no-referrer`: the token-bearing address still never leaves for another
//! site, but a browser then sends our own `Origin` with the form's `POST`;
//! under `no-referrer` it sends `Origin: null`, which the origin check must
//! refuse (found by the story that submits the form in Chromium). Pages never repeat what
//! the visitor typed and never show data from the case. Logs name a token by
//! the first 8 hex digits of its SHA-256 only.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;

use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use veldwerk_domain::{EmailAddress, PhoneNumber};
use veldwerk_protocol::{ResponseToken, ShortCode, paths};

use super::AppState;
use crate::store::response::{Answer, Channel, LinkKey, PreferredTime};

/// Largest form body; the answer form is well under 2 KiB.
pub const MAX_FORM_BYTES: usize = 4 * 1024;
/// Requests to `/r` pages per client address per window.
pub const PER_ADDRESS_LIMIT: u32 = 60;
/// Requests for one token (form and answers) per window.
pub const PER_TOKEN_LIMIT: u32 = 10;
/// The rate limit window.
const WINDOW_MINUTES: i64 = 60;
/// How long a rendered form can be submitted.
const FORM_VALID_HOURS: i64 = 4;
/// The longest message.
pub const MAX_MESSAGE_CHARS: usize = 500;
const MAX_CONTACT_CHARS: usize = 254;
/// Looked up when the path holds no valid token, so that costs the same.
const DUMMY_TOKEN: &str = "AAAAAAAAAAAAAAAAAAAA";

const CSP: &str =
    "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'";

/// The server secret for CSRF tokens and the in-memory rate limits. A
/// restart makes open forms invalid (403, "open de link opnieuw"), which is
/// acceptable for a form that takes a minute to fill in.
pub struct FormGuard {
    secret: [u8; 32],
    by_address: Mutex<HashMap<String, Window>>,
    by_token: Mutex<HashMap<[u8; 32], Window>>,
}

#[derive(Clone, Copy)]
struct Window {
    start: DateTime<Utc>,
    count: u32,
}

impl FormGuard {
    pub fn new() -> FormGuard {
        let secret = crate::secret::random_bytes::<32>().unwrap_or_else(|_| fallback_secret());
        FormGuard {
            secret,
            by_address: Mutex::new(HashMap::new()),
            by_token: Mutex::new(HashMap::new()),
        }
    }

    fn csrf(&self, token: &str, issued: i64) -> String {
        let mac = self.mac(token, issued).finalize().into_bytes();
        format!(
            "{issued}.{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac)
        )
    }

    fn mac(&self, token: &str, issued: i64) -> Hmac<Sha256> {
        // HMAC accepts keys of any length: new_from_slice cannot fail here.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.secret)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
        mac.update(token.as_bytes());
        mac.update(b".");
        mac.update(issued.to_string().as_bytes());
        mac
    }

    /// Whether `value` is a token this server issued for `token` that has
    /// not expired; the MAC is compared in constant time.
    fn csrf_valid(&self, token: &str, value: &str, now: DateTime<Utc>) -> bool {
        let Some((issued, mac)) = value.split_once('.') else {
            return false;
        };
        let Ok(issued) = issued.parse::<i64>() else {
            return false;
        };
        let Ok(mac) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(mac) else {
            return false;
        };
        let age = now.timestamp() - issued;
        if !(0..=FORM_VALID_HOURS * 3600).contains(&age) {
            return false;
        }
        self.mac(token, issued).verify_slice(&mac).is_ok()
    }

    fn allow_address(&self, address: &str, now: DateTime<Utc>) -> bool {
        let mut map = self.by_address.lock().unwrap_or_else(|e| e.into_inner());
        hit(&mut map, address.to_owned(), PER_ADDRESS_LIMIT, now)
    }

    fn allow_token(&self, token: &str, now: DateTime<Utc>) -> bool {
        let key: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let mut map = self.by_token.lock().unwrap_or_else(|e| e.into_inner());
        hit(&mut map, key, PER_TOKEN_LIMIT, now)
    }
}

impl Default for FormGuard {
    fn default() -> FormGuard {
        FormGuard::new()
    }
}

/// Counts one request in a fixed window; false once over `limit`. Old
/// windows are dropped when the map grows, so memory stays bounded by the
/// traffic of one window.
fn hit<K: std::hash::Hash + Eq>(
    map: &mut HashMap<K, Window>,
    key: K,
    limit: u32,
    now: DateTime<Utc>,
) -> bool {
    let window = Duration::minutes(WINDOW_MINUTES);
    if map.len() > 10_000 {
        map.retain(|_, w| now - w.start < window);
    }
    let w = map.entry(key).or_insert(Window {
        start: now,
        count: 0,
    });
    if now - w.start >= window {
        *w = Window {
            start: now,
            count: 0,
        };
    }
    w.count = w.count.saturating_add(1);
    w.count <= limit
}

/// Only when the OS random source fails: `RandomState` keys are seeded from
/// OS randomness once per process, so this is still unpredictable.
fn fallback_secret() -> [u8; 32] {
    use std::hash::{BuildHasher, Hasher};
    let mut out = [0u8; 32];
    for chunk in out.chunks_mut(8) {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(Utc::now().timestamp_nanos_opt().unwrap_or(0) as u64);
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    out
}

/// The first 8 hex digits of the token's SHA-256: enough to follow one link
/// through the logs, useless for opening it.
fn log_id(token: &str) -> String {
    Sha256::digest(token.as_bytes())[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn client_address(req: &Request) -> String {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
}

/// Every page the form can show. Text lives in [`text`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Page {
    Entry { invalid: bool },
    NotFound,
    Thanks,
    TooMany,
    TooLarge,
    Forbidden,
    Error,
}

fn page(page: Page) -> Response {
    let (status, title, body) = match page {
        Page::Entry { invalid } => (
            if invalid {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            },
            text::ENTRY_TITLE,
            entry_body(invalid),
        ),
        Page::NotFound => (
            StatusCode::NOT_FOUND,
            text::NOT_FOUND_TITLE,
            format!(
                "<p>{}</p><p><a href=\"{}\">{}</a></p>",
                text::NOT_FOUND,
                paths::RESPONSE_ENTRY,
                text::TRY_CODE
            ),
        ),
        Page::Thanks => (
            StatusCode::OK,
            text::THANKS_TITLE,
            format!("<p>{}</p>", text::THANKS),
        ),
        Page::TooMany => (
            StatusCode::TOO_MANY_REQUESTS,
            text::TOO_MANY_TITLE,
            format!("<p>{}</p>", text::TOO_MANY),
        ),
        Page::TooLarge => (
            StatusCode::PAYLOAD_TOO_LARGE,
            text::TOO_LARGE_TITLE,
            format!("<p>{}</p>", text::TOO_LARGE),
        ),
        Page::Forbidden => (
            StatusCode::FORBIDDEN,
            text::FORBIDDEN_TITLE,
            format!("<p>{}</p>", text::FORBIDDEN),
        ),
        Page::Error => (
            StatusCode::INTERNAL_SERVER_ERROR,
            text::ERROR_TITLE,
            format!("<p>{}</p>", text::ERROR),
        ),
    };
    html(status, title, &body)
}

fn entry_body(invalid: bool) -> String {
    let error = if invalid {
        format!(
            "<p class=\"error\" id=\"code-error\" role=\"alert\">{}</p>",
            text::CODE_INVALID
        )
    } else {
        String::new()
    };
    format!(
        "<p>{intro}</p>{error}\
         <form method=\"post\" action=\"{action}\">\
         <label for=\"code\">{label}</label>\
         <p class=\"hint\" id=\"code-hint\">{hint}</p>\
         <input id=\"code\" name=\"code\" type=\"text\" inputmode=\"text\" autocomplete=\"off\" \
         autocapitalize=\"characters\" spellcheck=\"false\" maxlength=\"20\" required \
         aria-describedby=\"code-hint\">\
         <button type=\"submit\">{submit}</button></form>",
        intro = text::ENTRY_INTRO,
        action = paths::RESPONSE_ENTRY,
        label = text::CODE_LABEL,
        hint = text::CODE_HINT,
        submit = text::CODE_SUBMIT,
    )
}

fn form_body(token: &str, csrf: &str, errors: &[&str]) -> String {
    let errors = if errors.is_empty() {
        String::new()
    } else {
        let items: String = errors.iter().map(|e| format!("<li>{e}</li>")).collect();
        format!(
            "<div class=\"error\" role=\"alert\"><p>{}</p><ul>{items}</ul></div>",
            text::FORM_INVALID
        )
    };
    let radio = |name: &str, value: &str, label: &str| {
        format!(
            "<label class=\"choice\"><input type=\"radio\" name=\"{name}\" value=\"{value}\" required> {label}</label>"
        )
    };
    let channels: String = [
        ("telefoon", text::CHANNEL_PHONE),
        ("whatsapp", text::CHANNEL_WHATSAPP),
        ("email", text::CHANNEL_EMAIL),
    ]
    .iter()
    .map(|(v, l)| radio("channel", v, l))
    .collect();
    let times: String = [
        ("ochtend", text::TIME_MORNING),
        ("middag", text::TIME_AFTERNOON),
        ("avond", text::TIME_EVENING),
        ("maakt_niet_uit", text::TIME_ANY),
    ]
    .iter()
    .map(|(v, l)| radio("time", v, l))
    .collect();
    format!(
        "<p>{intro}</p>{errors}\
         <form method=\"post\" action=\"/r/{token}\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <fieldset><legend>{reach}</legend>{channels}</fieldset>\
         <label for=\"contact\">{contact}</label>\
         <input id=\"contact\" name=\"contact\" type=\"text\" autocomplete=\"tel\" maxlength=\"{max_contact}\" required>\
         <fieldset><legend>{when}</legend>{times}</fieldset>\
         <label for=\"message\">{message}</label>\
         <textarea id=\"message\" name=\"message\" rows=\"4\" maxlength=\"{max_message}\"></textarea>\
         <button type=\"submit\">{submit}</button></form>\
         <p class=\"hint\">{privacy}</p>",
        intro = text::FORM_INTRO,
        reach = text::REACH_QUESTION,
        contact = text::CONTACT_LABEL,
        max_contact = MAX_CONTACT_CHARS,
        when = text::TIME_QUESTION,
        message = text::MESSAGE_LABEL,
        max_message = MAX_MESSAGE_CHARS,
        submit = text::SUBMIT,
        privacy = text::PRIVACY,
    )
}

fn html(status: StatusCode, title: &str, body: &str) -> Response {
    let doc = format!(
        "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"{css}\"></head>\
         <body><main><h1>{title}</h1>{body}</main></body></html>",
        css = paths::RESPONSE_CSS,
    );
    let mut response = (status, doc).into_response();
    secure_headers(response.headers_mut(), "text/html; charset=utf-8");
    response
}

fn secure_headers(h: &mut HeaderMap, content_type: &'static str) {
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

pub(super) async fn stylesheet() -> Response {
    let mut response = (StatusCode::OK, STYLESHEET).into_response();
    secure_headers(response.headers_mut(), "text/css; charset=utf-8");
    response
}

pub(super) async fn entry_get(State(s): State<AppState>, req: Request) -> Response {
    if !s.form.allow_address(&client_address(&req), s.clock.now()) {
        return page(Page::TooMany);
    }
    page(Page::Entry { invalid: false })
}

pub(super) async fn entry_post(State(s): State<AppState>, req: Request) -> Response {
    let now = s.clock.now();
    if !s.form.allow_address(&client_address(&req), now) {
        return page(Page::TooMany);
    }
    let fields = match read_form(req).await {
        Ok(f) => f,
        Err(p) => return page(p),
    };
    let Ok(code) = ShortCode::parse(field(&fields, "code")) else {
        return page(Page::Entry { invalid: true });
    };
    let found = s
        .run(move |store| store.resolve_response_link(LinkKey::Short(&code), now))
        .await;
    match found {
        Ok(Some(target)) => {
            let mut response = StatusCode::SEE_OTHER.into_response();
            secure_headers(response.headers_mut(), "text/plain; charset=utf-8");
            if let Ok(v) = HeaderValue::from_str(&format!("/r/{}", target.token)) {
                response.headers_mut().insert(header::LOCATION, v);
            }
            response
        }
        Ok(None) => page(Page::NotFound),
        Err(_) => page(Page::Error),
    }
}

pub(super) async fn form_get(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    req: Request,
) -> Response {
    let now = s.clock.now();
    if !s.form.allow_address(&client_address(&req), now)
        || !s.form.allow_token(&raw.to_ascii_uppercase(), now)
    {
        return page(Page::TooMany);
    }
    let parsed = ResponseToken::parse(&raw).ok();
    let lookup = parsed
        .clone()
        .unwrap_or_else(|| ResponseToken::parse(DUMMY_TOKEN).unwrap_or_else(|_| unreachable!()));
    let found = s
        .run(move |store| store.resolve_response_link(LinkKey::Token(&lookup), now))
        .await;
    match (parsed, found) {
        (Some(token), Ok(Some(_))) => {
            let csrf = s.form.csrf(token.as_str(), now.timestamp());
            html(
                StatusCode::OK,
                text::FORM_TITLE,
                &form_body(token.as_str(), &csrf, &[]),
            )
        }
        (_, Err(_)) => page(Page::Error),
        _ => page(Page::NotFound),
    }
}

pub(super) async fn form_post(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    req: Request,
) -> Response {
    let now = s.clock.now();
    if !s.form.allow_address(&client_address(&req), now)
        || !s.form.allow_token(&raw.to_ascii_uppercase(), now)
    {
        return page(Page::TooMany);
    }
    if !same_origin(req.headers()) {
        return page(Page::Forbidden);
    }
    let fields = match read_form(req).await {
        Ok(f) => f,
        Err(p) => return page(p),
    };
    let Ok(token) = ResponseToken::parse(&raw) else {
        // Same lookup work as for a real token.
        let dummy = ResponseToken::parse(DUMMY_TOKEN).unwrap_or_else(|_| unreachable!());
        let _ = s
            .run(move |store| store.resolve_response_link(LinkKey::Token(&dummy), now))
            .await;
        return page(Page::NotFound);
    };
    if !s
        .form
        .csrf_valid(token.as_str(), field(&fields, "csrf"), now)
    {
        tracing::info!(link = %log_id(token.as_str()), "response form: CSRF check failed");
        return page(Page::Forbidden);
    }
    let answer = match validate(&fields) {
        Ok(a) => a,
        Err(errors) => {
            let lookup = token.clone();
            return match s
                .run(move |store| store.resolve_response_link(LinkKey::Token(&lookup), now))
                .await
            {
                Ok(Some(_)) => {
                    let csrf = s.form.csrf(token.as_str(), now.timestamp());
                    html(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        text::FORM_TITLE,
                        &form_body(token.as_str(), &csrf, &errors),
                    )
                }
                Ok(None) => page(Page::NotFound),
                Err(_) => page(Page::Error),
            };
        }
    };
    let id = log_id(token.as_str());
    let stored = s
        .run(move |store| store.record_response(&token, &answer, now))
        .await;
    match stored {
        Ok(Some(r)) => {
            tracing::info!(link = %id, response = %r.response_id, "QR response stored");
            page(Page::Thanks)
        }
        Ok(None) => page(Page::NotFound),
        Err(_) => page(Page::Error),
    }
}

/// A `POST` must come from our own pages: when the browser names an
/// `Origin` (or, without it, a `Referer`), its host must be the `Host` the
/// request was sent to. Without either header (older browsers, privacy
/// settings) the CSRF token alone decides.
fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER));
    let Some(source) = source else {
        return true;
    };
    let Ok(source) = source.to_str() else {
        return false;
    };
    let rest = source
        .strip_prefix("https://")
        .or_else(|| source.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let origin_host = rest.split('/').next().unwrap_or_default();
            !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
        }
        None => false,
    }
}

/// Reads an `application/x-www-form-urlencoded` body of at most
/// [`MAX_FORM_BYTES`].
async fn read_form(req: Request) -> Result<Vec<(String, String)>, Page> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_FORM_BYTES) {
        return Err(Page::TooLarge);
    }
    let body: Body = req.into_body();
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| Page::TooLarge)?;
    Ok(form_urlencoded::parse(&bytes).into_owned().collect())
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// Checks the answer; on failure the Dutch messages to show (never the
/// values themselves).
fn validate(fields: &[(String, String)]) -> Result<Answer, Vec<&'static str>> {
    let mut errors = Vec::new();
    let channel = Channel::parse(field(fields, "channel"));
    if channel.is_none() {
        errors.push(text::ERR_CHANNEL);
    }
    let contact = field(fields, "contact").trim();
    let contact_value = match channel {
        Some(Channel::Phone | Channel::WhatsApp) => PhoneNumber::parse(contact)
            .map(String::from)
            .map_err(|_| text::ERR_PHONE),
        Some(Channel::Email) => EmailAddress::parse(contact)
            .map(String::from)
            .map_err(|_| text::ERR_EMAIL),
        None => Err(text::ERR_CONTACT),
    };
    let contact_value = match contact_value {
        Ok(v) if v.chars().count() <= MAX_CONTACT_CHARS => Some(v),
        Ok(_) => {
            errors.push(text::ERR_CONTACT);
            None
        }
        Err(e) => {
            if channel.is_some() {
                errors.push(e);
            }
            None
        }
    };
    let preferred_time = PreferredTime::parse(field(fields, "time"));
    if preferred_time.is_none() {
        errors.push(text::ERR_TIME);
    }
    let message: String = field(fields, "message")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect::<String>()
        .trim()
        .to_owned();
    if message.chars().count() > MAX_MESSAGE_CHARS {
        errors.push(text::ERR_MESSAGE);
    }
    match (channel, contact_value, preferred_time) {
        (Some(channel), Some(contact_value), Some(preferred_time)) if errors.is_empty() => {
            Ok(Answer {
                channel,
                contact_value,
                preferred_time,
                message: (!message.is_empty()).then_some(message),
            })
        }
        _ => Err(errors),
    }
}

/// Every text the form shows: Dutch, B1.
mod text {
    pub const ENTRY_TITLE: &str = "Reageren op onze brief";
    pub const ENTRY_INTRO: &str =
        "Op de brief of het kaartje staat een code. Vul die code hieronder in.";
    pub const CODE_LABEL: &str = "Code";
    pub const CODE_HINT: &str = "Bijvoorbeeld: 7K3QD-M9XAB";
    pub const CODE_SUBMIT: &str = "Verder";
    pub const CODE_INVALID: &str =
        "Deze code klopt niet. Een code heeft 10 tekens. Kijk nog eens goed op de brief.";

    pub const FORM_TITLE: &str = "Reageren";
    pub const FORM_INTRO: &str =
        "Wilt u dat we contact met u opnemen? Vul dit formulier in. Het duurt maar een minuut.";
    pub const REACH_QUESTION: &str = "Hoe kunnen we u bereiken?";
    pub const CHANNEL_PHONE: &str = "Telefoon";
    pub const CHANNEL_WHATSAPP: &str = "WhatsApp";
    pub const CHANNEL_EMAIL: &str = "E-mail";
    pub const CONTACT_LABEL: &str = "Uw telefoonnummer of e-mailadres";
    pub const TIME_QUESTION: &str = "Wanneer kunnen we u het beste bellen?";
    pub const TIME_MORNING: &str = "Ochtend";
    pub const TIME_AFTERNOON: &str = "Middag";
    pub const TIME_EVENING: &str = "Avond";
    pub const TIME_ANY: &str = "Maakt niet uit";
    pub const MESSAGE_LABEL: &str =
        "Wilt u nog iets zeggen? (mag leeg blijven, hoogstens 500 tekens)";
    pub const SUBMIT: &str = "Versturen";
    pub const PRIVACY: &str =
        "We gebruiken uw gegevens alleen om contact met u op te nemen over deze brief.";

    pub const FORM_INVALID: &str = "Er ging iets mis. Vul het formulier opnieuw in:";
    pub const ERR_CHANNEL: &str = "Kies hoe we u kunnen bereiken.";
    pub const ERR_CONTACT: &str = "Vul uw telefoonnummer of e-mailadres in.";
    pub const ERR_PHONE: &str = "Dit telefoonnummer klopt niet. Bijvoorbeeld: 06 12345678.";
    pub const ERR_EMAIL: &str = "Dit e-mailadres klopt niet. Bijvoorbeeld: naam@voorbeeld.nl.";
    pub const ERR_TIME: &str = "Kies wanneer we u het beste kunnen bellen.";
    pub const ERR_MESSAGE: &str = "Uw bericht is te lang. Gebruik hoogstens 500 tekens.";

    pub const THANKS_TITLE: &str = "Bedankt!";
    pub const THANKS: &str = "Bedankt! We nemen zo snel mogelijk contact met u op.";
    pub const NOT_FOUND_TITLE: &str = "Deze link werkt niet";
    pub const NOT_FOUND: &str = "Deze link of code werkt niet, of werkt niet meer. \
        Kijk of u alles goed hebt overgenomen. Lukt het niet? Bel dan het telefoonnummer op de brief.";
    pub const TRY_CODE: &str = "Code invullen";
    pub const TOO_MANY_TITLE: &str = "Even wachten";
    pub const TOO_MANY: &str = "U hebt het te vaak geprobeerd. Probeer het over een uur opnieuw, of bel het telefoonnummer op de brief.";
    pub const TOO_LARGE_TITLE: &str = "Te veel tekst";
    pub const TOO_LARGE: &str =
        "U hebt te veel tekst gestuurd. Maak uw bericht korter en probeer het opnieuw.";
    pub const FORBIDDEN_TITLE: &str = "Formulier verlopen";
    pub const FORBIDDEN: &str = "Dit formulier is verlopen. Open de link of vul de code opnieuw in en probeer het nog een keer.";
    pub const ERROR_TITLE: &str = "Er ging iets mis";
    pub const ERROR: &str = "Er ging iets mis bij ons. Probeer het later opnieuw.";
}

/// The one stylesheet: mobile first, system fonts, AA contrast (text
/// #1a1a1a on white, buttons white on #00528a: 8.1:1), targets at least
/// 48 px high.
const STYLESHEET: &str = "\
*{box-sizing:border-box}\
body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:1.125rem;line-height:1.5;color:#1a1a1a;background:#fff}\
main{max-width:36rem;margin:0 auto;padding:1rem}\
h1{font-size:1.5rem;margin:0.5rem 0 1rem}\
label{display:block;font-weight:600;margin:1rem 0 0.25rem}\
label.choice{font-weight:400;display:flex;align-items:center;gap:0.75rem;min-height:48px;margin:0;padding:0.25rem 0}\
input[type=radio]{width:1.5rem;height:1.5rem;margin:0}\
input[type=text],textarea{display:block;width:100%;min-height:48px;padding:0.5rem;font:inherit;color:#1a1a1a;border:2px solid #4d4d4d;border-radius:4px}\
fieldset{border:0;padding:0;margin:1rem 0 0}\
legend{font-weight:600;padding:0}\
button{display:block;width:100%;min-height:48px;margin:1.5rem 0 1rem;font:inherit;font-weight:600;color:#fff;background:#00528a;border:0;border-radius:4px}\
button:focus,input:focus,textarea:focus,a:focus{outline:3px solid #b35900;outline-offset:2px}\
a{color:#00528a}\
.hint{color:#4d4d4d;font-size:1rem;margin:0}\
.error{color:#a30000;border-left:4px solid #a30000;padding-left:0.75rem}\
";
