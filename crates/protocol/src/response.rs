//! Response links as the server sees them: parsing the token from a QR URL
//! and the short code people type, and the record fields that tell the server
//! which case a token belongs to.
//!
//! This module owns the format, for everyone: `veldwerk-print` draws tokens
//! with [`ResponseToken::generate`] and prints them, the vault records them,
//! the server resolves them. A token is 100 random bits as 20 upper-case
//! RFC 4648 base32 characters; its short code is the first 50 bits as 10
//! Crockford base32 characters, printed `XXXXX-XXXXX`. Why these sizes: see
//! `veldwerk-print`'s `link` module.
//!
//! # How the server learns token -> case
//! Devices push nothing special. A printed letter is an `append` of a
//! [`LETTER`](crate::entities::LETTER) record with the fields in
//! [`letter_fields`]; a visit card is linked by a
//! [`CONTACT_MOMENT`](crate::entities::CONTACT_MOMENT) carrying
//! [`contact_moment_fields::CARD_TOKEN`] (cards printed in advance become
//! answerable when that contact moment is pushed). Both records already link
//! to the case by `case_id`; the server indexes the token fields.

use std::fmt;

use serde::{Deserialize, Serialize};

const RFC4648: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const TOKEN_LEN: usize = 20;
const SHORT_LEN: usize = 10;

/// Fields of a `letter` record that register a response link.
pub mod letter_fields {
    pub const CASE_ID: &str = "case_id";
    pub const TEMPLATE: &str = "template";
    /// The [`ResponseToken`](super::ResponseToken), upper case.
    pub const TOKEN: &str = "token";
    /// The [`ShortCode`](super::ShortCode), with or without the hyphen.
    pub const SHORT_CODE: &str = "short_code";
    pub const URL: &str = "url";
    /// `YYYY-MM-DD`: the last day the link is answered.
    pub const EXPIRES_ON: &str = "expires_on";
}

/// Fields of a `contact_moment` that link a visit card.
pub mod contact_moment_fields {
    pub const CARD_TOKEN: &str = "card_token";
    pub const CARD_SHORT_CODE: &str = "card_short_code";
    /// Optional `YYYY-MM-DD`; without it the card's link does not expire.
    pub const CARD_EXPIRES_ON: &str = "card_expires_on";
    pub const KIND: &str = "kind";
}

/// Fields of a `response` record, created by the server from the form.
pub mod response_fields {
    pub const CASE_ID: &str = "case_id";
    pub const RECEIVED_AT: &str = "received_at";
    /// `telefoon`, `whatsapp` or `email`.
    pub const CHANNEL: &str = "channel";
    pub const CONTACT_VALUE: &str = "contact_value";
    /// `ochtend`, `middag`, `avond` or `maakt_niet_uit`.
    pub const PREFERRED_TIME: &str = "preferred_time";
    pub const MESSAGE: &str = "message";
}

/// The token and short code fields do not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("a response token is 20 characters of base32 (A-Z, 2-7)")]
    Token,
    #[error("a short code is 10 characters of Crockford base32")]
    ShortCode,
}

/// A response token. A bearer secret for the form: `Debug` shows only its
/// first four characters.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResponseToken(String);

impl ResponseToken {
    /// Draws a new token from the operating system's random source.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; TOKEN_LEN];
        getrandom::fill(&mut bytes)?;
        // 256 is a multiple of 32, so masking keeps every symbol uniform.
        Ok(Self(
            bytes
                .iter()
                .map(|b| char::from(RFC4648[usize::from(b & 0x1f)]))
                .collect(),
        ))
    }

    /// Reads a token from a URL or record; case-insensitive (people retype links).
    pub fn parse(text: &str) -> Result<Self, LinkError> {
        let text = text.trim().to_ascii_uppercase();
        if text.len() != TOKEN_LEN || !text.bytes().all(|b| RFC4648.contains(&b)) {
            return Err(LinkError::Token);
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The short code printed next to this token.
    pub fn short_code(&self) -> ShortCode {
        let code = self
            .0
            .bytes()
            .take(SHORT_LEN)
            .map(|b| {
                // Parsing guarantees every byte is in the alphabet.
                let value = RFC4648.iter().position(|&a| a == b).unwrap_or(0);
                char::from(CROCKFORD[value])
            })
            .collect();
        ShortCode(code)
    }
}

impl TryFrom<String> for ResponseToken {
    type Error = LinkError;
    fn try_from(s: String) -> Result<Self, LinkError> {
        Self::parse(&s)
    }
}

impl From<ResponseToken> for String {
    fn from(t: ResponseToken) -> String {
        t.0
    }
}

impl fmt::Display for ResponseToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ResponseToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResponseToken({}…)", &self.0[..4])
    }
}

/// The short code of a token, stored without the hyphen (and serialized so).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ShortCode(String);

impl ShortCode {
    /// Reads a code as a person typed it: spaces and hyphens are ignored,
    /// lower case is accepted, `O` counts as `0` and `I`/`L` as `1`.
    pub fn parse(text: &str) -> Result<Self, LinkError> {
        let mut code = String::with_capacity(SHORT_LEN);
        for c in text.chars() {
            let c = match c.to_ascii_uppercase() {
                ' ' | '-' | '\t' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c if c.is_ascii() && CROCKFORD.contains(&(c as u8)) => c,
                _ => return Err(LinkError::ShortCode),
            };
            if code.len() == SHORT_LEN {
                return Err(LinkError::ShortCode);
            }
            code.push(c);
        }
        if code.len() != SHORT_LEN {
            return Err(LinkError::ShortCode);
        }
        Ok(Self(code))
    }

    /// Without hyphen, as indexed.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As printed: `XXXXX-XXXXX`.
    pub fn grouped(&self) -> String {
        format!("{}-{}", &self.0[..5], &self.0[5..])
    }
}

impl TryFrom<String> for ShortCode {
    type Error = LinkError;
    fn try_from(s: String) -> Result<Self, LinkError> {
        Self::parse(&s)
    }
}

impl From<ShortCode> for String {
    fn from(c: ShortCode) -> String {
        c.0
    }
}

/// As printed: `XXXXX-XXXXX`.
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

/// One registered link, as the server resolves it from a letter or a
/// contact moment. Serialized for tools and the admin; must not change shape
/// without a protocol version bump.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseLink {
    pub token: ResponseToken,
    pub case_id: String,
    /// `YYYY-MM-DD`, or none for a card without an end date.
    pub expires_on: Option<String>,
}

impl fmt::Debug for ResponseLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseLink")
            .field("token", &self.token)
            .field("case_id", &self.case_id)
            .field("expires_on", &self.expires_on)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_parses_in_any_case_and_gives_its_crockford_short_code() {
        let t = ResponseToken::parse("abcdefghijklmnopqr27").expect("token");
        assert_eq!(t.as_str(), "ABCDEFGHIJKLMNOPQR27");
        // A=0 .. J=9 in RFC 4648 map to Crockford 0..9.
        assert_eq!(t.short_code().as_str(), "0123456789");
        let t = ResponseToken::parse("KLMNOPQRSTUVWXYZ2345").expect("token");
        assert_eq!(t.short_code().grouped(), "ABCDE-FGHJK");
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for bad in ["", "ABC", "ABCDEFGHIJKLMNOPQR21", "ABCDEFGHIJKLMNOPQR277"] {
            assert_eq!(ResponseToken::parse(bad), Err(LinkError::Token), "{bad}");
        }
    }

    #[test]
    fn typed_short_codes_forgive_case_hyphens_and_lookalikes() {
        let c = ShortCode::parse("abcde-fghjk").expect("code");
        assert_eq!(c.as_str(), "ABCDEFGHJK");
        assert_eq!(
            ShortCode::parse("O1I2L 34567").expect("code").as_str(),
            "0112134567"
        );
        assert_eq!(ShortCode::parse("ABCDE-FGHJ"), Err(LinkError::ShortCode));
        assert_eq!(ShortCode::parse("ABCDE-FGHJKU"), Err(LinkError::ShortCode));
        assert_eq!(ShortCode::parse("ABCDE-FGHJKK"), Err(LinkError::ShortCode));
    }

    #[test]
    fn generated_tokens_are_twenty_base32_capitals_and_differ() {
        let a = ResponseToken::generate().expect("random");
        let b = ResponseToken::generate().expect("random");
        assert_eq!(a.as_str().len(), 20);
        assert!(a.as_str().bytes().all(|c| RFC4648.contains(&c)));
        assert_ne!(a, b);
        assert_eq!(
            ResponseToken::parse(&a.as_str().to_lowercase()).expect("parse"),
            a
        );
    }

    #[test]
    fn short_codes_serialize_without_the_hyphen_and_show_with_it() {
        let c = ShortCode::parse("abcde-fghjk").expect("code");
        assert_eq!(
            serde_json::to_value(&c).expect("json"),
            serde_json::json!("ABCDEFGHJK")
        );
        assert_eq!(c.to_string(), "ABCDE-FGHJK");
    }

    #[test]
    fn debug_hides_the_token() {
        let t = ResponseToken::parse("ABCDEFGHIJKLMNOPQR27").expect("token");
        assert_eq!(format!("{t:?}"), "ResponseToken(ABCD…)");
    }
}
