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
//!   Crockford's alphabet has no I, L, O or U, and [`ShortCode::parse`] reads
//!   I and L as 1 and O as 0, so typing errors are forgiven.
//! - The printed link is `<host>/r` (no scheme): there the server asks for the
//!   short code.
//!
//! A token carries no personal data: it is random, and only the vault and the
//! server know which case it belongs to.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::error::PrintError;

const RFC4648: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const TOKEN_LEN: usize = 20;
const SHORT_LEN: usize = 10;

/// A random response token: 100 bits, base32 (RFC 4648), upper case.
///
/// The token is a bearer secret for the response form, so `Debug` shows only
/// its first four characters.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Token(String);

impl Token {
    /// Draws a new token from the operating system's random source.
    pub fn generate() -> Result<Self, PrintError> {
        let mut bytes = [0u8; TOKEN_LEN];
        getrandom::fill(&mut bytes).map_err(PrintError::Random)?;
        // 256 is a multiple of 32, so masking keeps every symbol uniform.
        let text = bytes
            .iter()
            .map(|b| char::from(RFC4648[usize::from(b & 0x1f)]))
            .collect();
        Ok(Self(text))
    }

    /// Reads a token as it appears in a URL or the vault; case-insensitive.
    pub fn parse(text: &str) -> Result<Self, PrintError> {
        let text = text.trim().to_ascii_uppercase();
        if text.len() != TOKEN_LEN {
            return Err(PrintError::invalid("token", "must be 20 characters"));
        }
        if !text.bytes().all(|b| RFC4648.contains(&b)) {
            return Err(PrintError::invalid("token", "must be base32 (A-Z, 2-7)"));
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The short code that identifies the same letter or card.
    pub fn short_code(&self) -> ShortCode {
        let mut code = String::with_capacity(SHORT_LEN);
        for b in self.0.bytes().take(SHORT_LEN) {
            // Parsing guarantees every byte is in the alphabet.
            let value = RFC4648.iter().position(|&a| a == b).unwrap_or(0);
            code.push(char::from(CROCKFORD[value]));
        }
        ShortCode(code)
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token({}…)", &self.0[..4])
    }
}

impl Serialize for Token {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Ten Crockford base32 characters derived from a [`Token`]; see the module
/// documentation for why this is enough. Stored without the hyphen.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShortCode(String);

impl ShortCode {
    /// Reads a code as a person typed it: spaces and hyphens are ignored,
    /// lower case is accepted, `O` counts as `0` and `I`/`L` as `1`.
    pub fn parse(text: &str) -> Result<Self, PrintError> {
        let mut code = String::with_capacity(SHORT_LEN);
        for c in text.chars() {
            let c = match c.to_ascii_uppercase() {
                ' ' | '-' | '\t' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c if c.is_ascii() && CROCKFORD.contains(&(c as u8)) => c,
                _ => {
                    return Err(PrintError::invalid(
                        "short code",
                        "contains a character that is not in the code alphabet",
                    ));
                }
            };
            code.push(c);
        }
        if code.len() != SHORT_LEN {
            return Err(PrintError::invalid("short code", "must be 10 characters"));
        }
        Ok(Self(code))
    }

    /// The code without hyphen, as stored and indexed.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code as printed: two groups of five (`7K3QD-M9XAB`).
    pub fn grouped(&self) -> String {
        format!("{}-{}", &self.0[..5], &self.0[5..])
    }
}

impl fmt::Display for ShortCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.grouped())
    }
}

impl fmt::Debug for ShortCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ShortCode({}…)", &self.0[..2])
    }
}

impl Serialize for ShortCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
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
    fn generated_tokens_are_twenty_base32_capitals_and_differ() -> Result<(), PrintError> {
        let a = Token::generate()?;
        let b = Token::generate()?;
        assert_eq!(a.as_str().len(), 20);
        assert!(a.as_str().bytes().all(|c| RFC4648.contains(&c)));
        assert_ne!(a, b);
        assert_eq!(Token::parse(&a.as_str().to_lowercase())?, a);
        Ok(())
    }

    #[test]
    fn token_parse_rejects_wrong_length_and_alphabet() {
        assert!(Token::parse("ABC").is_err());
        assert!(Token::parse("ABCDEFGHIJKLMNOPQRS1").is_err());
    }

    #[test]
    fn short_code_is_the_first_fifty_bits_in_crockford_base32() -> Result<(), PrintError> {
        let token = Token::parse("ABCDEFGHIJ234567ABCD")?;
        // A=0 .. J=9 in RFC 4648 are 0..9 in Crockford.
        assert_eq!(token.short_code().as_str(), "0123456789");
        let token = Token::parse("KLMNOPQRSTUVWXYZ2345")?;
        assert_eq!(token.short_code().grouped(), "ABCDE-FGHJK");
        Ok(())
    }

    #[test]
    fn short_code_parse_forgives_case_spaces_and_lookalikes() -> Result<(), PrintError> {
        let code = ShortCode::parse(" abcde - fghjk ")?;
        assert_eq!(code.as_str(), "ABCDEFGHJK");
        assert_eq!(ShortCode::parse("O1ILo-00000")?.as_str(), "0111000000");
        assert!(ShortCode::parse("ABCDE-FGHJU").is_err());
        assert!(ShortCode::parse("ABCDE").is_err());
        Ok(())
    }

    #[test]
    fn response_base_builds_url_entry_url_and_printed_link() -> Result<(), PrintError> {
        let base = ResponseBase::parse("https://Reactie.Voorbeeld.nl/")?;
        let link = base.link(Token::parse("KLMNOPQRSTUVWXYZ2345")?);
        assert_eq!(
            link.url,
            "https://reactie.voorbeeld.nl/r/KLMNOPQRSTUVWXYZ2345"
        );
        assert_eq!(link.entry_url, "https://reactie.voorbeeld.nl/r");
        assert_eq!(link.printed_link, "reactie.voorbeeld.nl/r");
        assert!(ResponseBase::parse("https://x.nl/pad").is_err());
        assert!(ResponseBase::parse("ftp://x.nl").is_err());
        assert!(ResponseBase::parse("http://127.0.0.1:8080").is_ok());
        assert!(ResponseBase::parse("http://[::1]:8080").is_ok());
        assert!(ResponseBase::parse("http://reactie.voorbeeld.nl").is_err());
        Ok(())
    }

    #[test]
    fn debug_output_does_not_reveal_the_whole_token() -> Result<(), PrintError> {
        let token = Token::parse("KLMNOPQRSTUVWXYZ2345")?;
        assert_eq!(format!("{token:?}"), "Token(KLMN…)");
        Ok(())
    }
}
