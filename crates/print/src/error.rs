//! The one error type of this crate's boundary.
//!
//! Messages never carry personal data: they name fields, files and template
//! lines, never the values a letter was filled with. Diagnostics from the
//! template engine repeat values in some messages (`invalid integer: Sanne`,
//! `expected "..."`), so they pass through a [`Redactor`] that knows the
//! job's values and hides them, and hides anything quoted as well.

use std::io;

/// Everything that can go wrong while preparing or rendering a print job.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// An officiële waarschuwing was requested by someone who is not a BOA.
    #[error(
        "only a BOA may produce an officiële waarschuwing; the author of this letter is not a BOA"
    )]
    NotBoa,

    /// The letter type cannot be sent to this addressee (absoluut verzuim is
    /// always about a child of compulsory school age, so it goes to the parents).
    #[error("a '{letter_type}' letter must be addressed to the parents")]
    AddresseeNotAllowed { letter_type: &'static str },

    /// A value given by the caller does not pass validation.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        field: &'static str,
        reason: &'static str,
    },

    /// The same token was given to two letters or cards of one job.
    #[error("the same response token was given twice in one print job")]
    DuplicateToken,

    /// A print job without any letter or card.
    #[error("nothing to print: the job is empty")]
    EmptyJob,

    /// The branding settings could not be read.
    #[error("the branding settings are not valid: {0}")]
    Branding(String),

    /// A template failed to compile or run.
    #[error("template {file}, line {line}: {message}")]
    Template {
        file: String,
        line: usize,
        message: String,
    },

    /// The typeset document could not be written as PDF.
    #[error("the PDF could not be written: {0}")]
    Pdf(String),

    /// The QR code could not be made (the link is too long for a QR code).
    #[error("the QR code could not be made: {0}")]
    Qr(String),

    /// The operating system could not provide random bytes for a token.
    #[error("no random bytes from the operating system")]
    Random(#[source] getrandom::Error),

    /// Reading templates or branding, or writing to the private folder, failed.
    #[error("could not {action}")]
    Io {
        action: &'static str,
        #[source]
        source: io::Error,
    },
}

impl PrintError {
    /// A stable, machine-readable code for the front end, which shows its own
    /// Dutch text per code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotBoa => "not_boa",
            Self::AddresseeNotAllowed { .. } => "addressee_not_allowed",
            Self::InvalidInput { .. } => "invalid_input",
            Self::DuplicateToken => "duplicate_token",
            Self::EmptyJob => "empty_job",
            Self::Branding(_) => "branding",
            Self::Template { .. } => "template",
            Self::Pdf(_) => "pdf",
            Self::Qr(_) => "qr",
            Self::Random(_) => "random",
            Self::Io { .. } => "io",
        }
    }

    pub(crate) fn io(action: &'static str) -> impl FnOnce(io::Error) -> Self {
        move |source| Self::Io { action, source }
    }

    pub(crate) fn invalid(field: &'static str, reason: &'static str) -> Self {
        Self::InvalidInput { field, reason }
    }
}

/// Hides the values of one print job in messages from the template engine.
pub(crate) struct Redactor {
    /// Whole values and their words, longest first.
    secrets: Vec<String>,
}

impl Redactor {
    /// Collects every string in the job's data, and every word of three or
    /// more characters in them.
    pub(crate) fn new(data: &serde_json::Value) -> Self {
        fn collect(value: &serde_json::Value, out: &mut Vec<String>) {
            match value {
                serde_json::Value::String(s) => {
                    out.push(s.trim().to_owned());
                    out.extend(
                        s.split_whitespace()
                            .filter(|w| w.chars().count() >= 3)
                            .map(str::to_owned),
                    );
                }
                serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
                serde_json::Value::Object(map) => map.values().for_each(|v| collect(v, out)),
                _ => {}
            }
        }
        let mut secrets = Vec::new();
        collect(data, &mut secrets);
        secrets.retain(|s| s.chars().count() >= 2);
        // Longest first, so a whole value is hidden before its words; equal
        // strings end up side by side for `dedup`.
        secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        secrets.dedup();
        Self { secrets }
    }

    pub(crate) fn redact(&self, message: &str) -> String {
        let mut out = redact_quoted(message);
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), "…");
            }
        }
        out
    }
}

/// Replaces every double-quoted part of a diagnostic with `"…"`, because the
/// template engine quotes values (which may be names or addresses) there.
pub(crate) fn redact_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    for c in message.chars() {
        if c == '"' {
            if quoted {
                out.push_str("…\"");
            } else {
                out.push('"');
            }
            quoted = !quoted;
        } else if !quoted {
            out.push(c);
        }
    }
    if quoted {
        out.push_str("…\"");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Redactor, redact_quoted};

    #[test]
    fn quoted_values_are_hidden_and_the_rest_is_kept() {
        assert_eq!(
            redact_quoted(r#"invalid integer: "Sanne de Vries" at key "naam""#),
            r#"invalid integer: "…" at key "…""#
        );
        assert_eq!(redact_quoted("unknown variable: x"), "unknown variable: x");
        assert_eq!(redact_quoted(r#"open "quote"#), r#"open "…""#);
    }

    #[test]
    fn values_of_the_job_are_hidden_even_unquoted_or_in_part() {
        let data = serde_json::json!({ "jongere": { "naam": "Sanne de Vries" }, "adres": ["Dorpsstraat 12"] });
        let r = Redactor::new(&data);
        assert_eq!(
            r.redact("invalid integer: Sanne de Vries"),
            "invalid integer: …"
        );
        assert_eq!(
            r.redact("cannot add Vries and Dorpsstraat"),
            "cannot add … and …"
        );
        assert_eq!(r.redact("unknown variable: x"), "unknown variable: x");
    }
}
