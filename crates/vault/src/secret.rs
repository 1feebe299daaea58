//! Secrets held in memory: the user's passphrase and the database key.
//!
//! Both are wiped when dropped and print as `<redacted>` in `Debug`, so they
//! can sit in structs that get logged without leaking.

use std::fmt;

use zeroize::Zeroizing;

use crate::VaultError;

/// A passphrase as the user typed it. Wiped from memory when dropped.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    pub fn new(passphrase: impl Into<String>) -> Passphrase {
        Passphrase(Zeroizing::new(passphrase.into()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The form `age` wants; `SecretString` wipes itself too.
    pub(crate) fn to_age(&self) -> age::secrecy::SecretString {
        age::secrecy::SecretString::from(self.0.as_str().to_owned())
    }
}

impl From<String> for Passphrase {
    fn from(s: String) -> Passphrase {
        Passphrase::new(s)
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

/// Length of the database key: 256 bits, the AES-256 key SQLCipher uses as is.
pub(crate) const KEY_LEN: usize = 32;

/// The random key of the SQLCipher database. It exists on disk only wrapped
/// with `age`; in memory it is wiped when dropped.
pub(crate) struct DatabaseKey(Zeroizing<[u8; KEY_LEN]>);

impl DatabaseKey {
    pub(crate) fn random() -> Result<DatabaseKey, VaultError> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        getrandom::fill(key.as_mut_slice()).map_err(VaultError::Random)?;
        Ok(DatabaseKey(key))
    }

    /// The key from an unwrapped key file; `None` when it has the wrong length.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<DatabaseKey> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        if bytes.len() != KEY_LEN {
            return None;
        }
        key.copy_from_slice(bytes);
        Some(DatabaseKey(key))
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_slice()
    }

    /// `PRAGMA key = "x'<64 hex>'";`: a raw key, so SQLCipher runs no KDF of
    /// its own (age's scrypt already is the KDF). The statement text holds
    /// the key, so it is wiped too.
    pub(crate) fn pragma(&self) -> Zeroizing<String> {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let mut sql = Zeroizing::new(String::with_capacity(KEY_LEN * 2 + 20));
        sql.push_str("PRAGMA key = \"x'");
        for b in self.0.iter() {
            sql.push(char::from(HEX[usize::from(b >> 4)]));
            sql.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
        sql.push_str("'\";");
        sql
    }
}

impl PartialEq for DatabaseKey {
    fn eq(&self, other: &Self) -> bool {
        // Both sides are ours; no secret flows from the timing of this.
        self.0.as_slice() == other.0.as_slice()
    }
}

impl fmt::Debug for DatabaseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DatabaseKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_a_secret() {
        let p = Passphrase::new("hunter2");
        assert_eq!(format!("{p:?}"), "Passphrase(<redacted>)");
        let k = DatabaseKey::from_bytes(&[0xab; KEY_LEN]);
        assert_eq!(format!("{k:?}"), "Some(DatabaseKey(<redacted>))");
    }

    #[test]
    fn the_key_pragma_is_a_raw_hex_key() {
        let k = DatabaseKey::from_bytes(&[0x0f; KEY_LEN]);
        let sql = k.map(|k| k.pragma().to_string()).unwrap_or_default();
        assert_eq!(
            sql,
            format!("PRAGMA key = \"x'{}'\";", "0F".repeat(KEY_LEN))
        );
    }

    #[test]
    fn random_keys_differ() {
        let a = DatabaseKey::random();
        let b = DatabaseKey::random();
        assert!(matches!((a, b), (Ok(a), Ok(b)) if a != b));
    }
}
