//! Response links: the random token behind every QR code, the short code
//! printed beside it for people who type instead of scan, and the URLs.
//!
//! # Choices
//! - **Token**: 100 random bits from the operating system, written as 20
//!   characters of RFC 4648 base32 (`A-Z`, `2-7`, no padding), in capitals.
//!   Capitals and digits are the QR code's compact alphanumeric alphabet, so the
//!   token part of the QR costs 5.5 bits a character instead of 8.
//! - **URL**: `<base>/r/<TOKEN>`, scheme and host as configured, the path
//!   segment `r` in lower case, the token in capitals. The QR encoder switches
//!   to alphanumeric mode for the token by itself. The server should accept the
//!   token in any case (people retype links).
//! - **Short code**: the first 50 bits of the token, written as 10 characters
//!   of Crockford base32 in two groups (`7K3QD-M9XAB`). It identifies the letter
//!   or card as well as the token does: the server indexes it next to the token.
//!   50 bits keep guessing hopeless under per-address rate limits (a million
//!   live codes still leave a chance of 1 in 10⁹ per guess) and make a
//!   collision between two codes unlikely even after millions of letters; the
//!   server must still refuse a second live token with the same short code.
//!   Crockford's alphabet has no I, L, O or U, and `ShortCode::parse` reads
//!   I and L as 1 and O as 0, so typing errors are forgiven.
//! - The printed link is `<host>/r` (no scheme): there the server asks for the
//!   short code.
//!
//! A token carries no personal data: it is random, and only the vault and the
//! server know which case it belongs to. The token and short code types
//! live in `veldwerk-protocol` (`response`), shared with vault and server.

use serde::Serialize;

use crate::error::PrintError;

/// The token and short code types are the protocol's: one definition serves
/// the printer, the vault and the server.
pub use veldwerk_protocol::response::{ResponseToken as Token, ShortCode};

/// Draws a new token for a letter or card.
pub fn new_token() -> Result<Token, PrintError> {
    Token::generate().map_err(PrintError::Random)
}

/// The public address of the bureau's server, for example
/// `https://reactie.voorbeeld.nl` or `http://127.0.0.1:8080` in tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseBase {
    /// `https://host[:port]`, without a trailing slash.
    origin: String,
    /// `host[:port]`, for the printed link.
    host: String,
}

impl ResponseBase {
    /// Accepts `https://host[:port]` with an optional trailing slash; no
    /// path, query or user information (the `/r/` path is ours). Plain
    /// `http://` only for this machine (`localhost`, `127.0.0.1`, `[::1]`),
    /// for tests against a local server: a printed QR code must never send
    /// people to an unencrypted address.
    pub fn parse(text: &str) -> Result<Self, PrintError> {
        let text = text.trim().trim_end_matches('/');
        let (scheme, host) = if let Some(host) = text.strip_prefix("https://") {
            ("https://", host)
        } else if let Some(host) = text.strip_prefix("http://") {
            ("http://", host)
        } else {
            return Err(PrintError::invalid(
                "server address",
                "must start with https://",
            ));
        };
        let allowed =
            |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
        if host.is_empty() || !host.chars().all(allowed) {
            return Err(PrintError::invalid(
                "server address",
                "must be only a scheme and a host name, without a path",
            ));
        }
        let host = host.to_ascii_lowercase();
        let name = match host.rsplit_once(':') {
            Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
            _ => host.as_str(),
        };
        if scheme == "http://" && !matches!(name, "localhost" | "127.0.0.1" | "[::1]") {
            return Err(PrintError::invalid(
                "server address",
                "must use https:// (plain http only for localhost)",
            ));
        }
        Ok(Self {
            origin: format!("{scheme}{host}"),
            host,
        })
    }

    /// The link for one token.
    pub fn link(&self, token: Token) -> ResponseLink {
        ResponseLink {
            url: format!("{}/r/{}", self.origin, token),
            entry_url: format!("{}/r", self.origin),
            printed_link: format!("{}/r", self.host),
            short_code: token.short_code(),
            token,
        }
    }
}

/// What the caller records for one printed letter or card: the vault stores
/// token, short code and URL with the letter's contact moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResponseLink {
    pub token: Token,
    pub short_code: ShortCode,
    /// What the QR code encodes: `<base>/r/<TOKEN>`.
    pub url: String,
    /// Where a person types the short code: `<base>/r`.
    pub entry_url: String,
    /// The entry URL as printed, without scheme: `reactie.voorbeeld.nl/r`.
    pub printed_link: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_tokens_differ_and_give_their_short_code() -> Result<(), PrintError> {
        let a = new_token()?;
        let b = new_token()?;
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 20);
        assert_eq!(a.short_code().as_str().len(), 10);
        Ok(())
    }

    #[test]
    fn response_base_builds_url_entry_url_and_printed_link() -> Result<(), PrintError> {
        let base = ResponseBase::parse("https://Reactie.Voorbeeld.nl/")?;
        let token = Token::parse("KLMNOPQRSTUVWXYZ2345")
            .map_err(|_| PrintError::invalid("token", "test"))?;
        let link = base.link(token);
        assert_eq!(
            link.url,
            "https://reactie.voorbeeld.nl/r/KLMNOPQRSTUVWXYZ2345"
        );
        assert_eq!(link.entry_url, "https://reactie.voorbeeld.nl/r");
        assert_eq!(link.printed_link, "reactie.voorbeeld.nl/r");
        assert_eq!(link.short_code.grouped(), "ABCDE-FGHJK");
        assert!(ResponseBase::parse("https://x.nl/pad").is_err());
        assert!(ResponseBase::parse("ftp://x.nl").is_err());
        assert!(ResponseBase::parse("http://127.0.0.1:8080").is_ok());
        assert!(ResponseBase::parse("http://[::1]:8080").is_ok());
        assert!(ResponseBase::parse("http://reactie.voorbeeld.nl").is_err());
        Ok(())
    }
}
