//! The error shape every command returns to the UI: a stable machine-readable
//! [`ErrorCode`] and a Dutch message a user can act on. The code list is
//! generated for TypeScript, never mirrored by hand.

use serde::Serialize;
use ts_rs::TS;

/// Stable codes the UI can branch on. Adding one is fine; renaming one breaks
/// the UI, so the serialized names must not change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Something went wrong that the user cannot fix; the message says whom to ask.
    Internal,
    /// The vault is locked; the UI shows the unlock screen.
    VaultLocked,
    /// The user's input was not accepted; the message names the field.
    InvalidInput,
}

/// An error as the UI receives it. The message is plain Dutch and never
/// contains personal data.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
}

impl CommandError {
    pub fn internal() -> Self {
        Self {
            code: ErrorCode::Internal,
            message: "Er ging iets mis in Veldwerk. Probeer het opnieuw. Lukt het niet, neem dan contact op met uw beheerder.".to_owned(),
        }
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CommandError {}
