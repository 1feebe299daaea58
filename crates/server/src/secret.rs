//! Random secrets and their hashes: device secrets, enrollment codes, ids.
//!
//! The server stores only SHA-256 of a secret. A device secret is 256 random
//! bits, so a plain (unsalted, fast) hash is enough; comparison is in
//! constant time.

use base64::Engine as _;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or
/// typed from paper survives.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#[derive(Debug, thiserror::Error)]
#[error("the operating system's random source failed")]
pub struct RandomError(#[source] pub getrandom::Error);

pub fn random_bytes<const N: usize>() -> Result<[u8; N], RandomError> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(RandomError)?;
    Ok(out)
}

/// A new device secret: 256 random bits, base64url without padding.
pub fn new_device_secret() -> Result<String, RandomError> {
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

/// A new one-time enrollment code, `XXXX-XXXX-XXXX` (60 random bits).
pub fn new_enrollment_code() -> Result<String, RandomError> {
    let bytes = random_bytes::<12>()?;
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| CODE_ALPHABET[(b & 31) as usize] as char)
        .collect();
    Ok(format!(
        "{}-{}-{}",
        chars[0..4].iter().collect::<String>(),
        chars[4..8].iter().collect::<String>(),
        chars[8..12].iter().collect::<String>()
    ))
}

/// The hash under which an enrollment code is stored: case, spaces and
/// dashes do not matter, and the letters people confuse with digits map to them.
pub fn enrollment_code_hash(code: &str) -> [u8; 32] {
    let normal: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    sha256(normal.as_bytes())
}

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Whether `secret` hashes to `stored`, in constant time.
pub fn secret_matches(secret: &str, stored: &[u8]) -> bool {
    let h = sha256(secret.as_bytes());
    stored.len() == 32 && bool::from(h.ct_eq(stored))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enrollment_codes_survive_case_dashes_and_lookalike_letters() {
        let code = new_enrollment_code().expect("random");
        assert_eq!(code.len(), 14);
        let sloppy = code
            .to_lowercase()
            .replace('-', " ")
            .replace('0', "o")
            .replace('1', "l");
        assert_eq!(enrollment_code_hash(&sloppy), enrollment_code_hash(&code));
    }

    #[test]
    fn a_secret_matches_only_its_own_hash() {
        let s = new_device_secret().expect("random");
        let h = sha256(s.as_bytes());
        assert!(secret_matches(&s, &h));
        assert!(!secret_matches("other", &h));
        assert!(!secret_matches(&s, &h[..31]));
    }
}
