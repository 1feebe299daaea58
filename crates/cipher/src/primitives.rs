//! The primitives SQLCipher asks its provider for, as safe functions over
//! slices. The private `provider` module adapts them to SQLCipher's C interface.

use aes::Aes256;
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use hmac::{Hmac, Mac};
use sha2::{Sha256, Sha512};

/// AES-256: key and block sizes in bytes.
pub const KEY_SIZE: usize = 32;
pub const BLOCK_SIZE: usize = 16;
/// AES-256-CBC's IV is one block.
pub const IV_SIZE: usize = BLOCK_SIZE;

/// The digests SQLCipher names by number (`SQLCIPHER_HMAC_*` and
/// `SQLCIPHER_PBKDF2_HMAC_*` share the numbering).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digest {
    Sha256,
    Sha512,
}

impl Digest {
    /// SQLCipher's number for the digest; SHA-1 (0) and unknown numbers
    /// are not supported.
    pub fn from_sqlcipher(algorithm: i32) -> Option<Self> {
        match algorithm {
            1 => Some(Self::Sha256),
            2 => Some(Self::Sha512),
            _ => None,
        }
    }

    /// The MAC's size in bytes.
    pub fn size(self) -> usize {
        match self {
            Self::Sha256 => 32,
            Self::Sha512 => 64,
        }
    }
}

/// Something was not the size the algorithm needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeError;

/// HMAC of `parts` concatenated, written to the start of `out` (which must
/// hold at least [`Digest::size`] bytes).
pub fn hmac(digest: Digest, key: &[u8], parts: &[&[u8]], out: &mut [u8]) -> Result<(), SizeError> {
    let out = out.get_mut(..digest.size()).ok_or(SizeError)?;
    match digest {
        Digest::Sha256 => mac_into::<Hmac<Sha256>>(key, parts, out),
        Digest::Sha512 => mac_into::<Hmac<Sha512>>(key, parts, out),
    }
}

fn mac_into<M: Mac + hmac::digest::KeyInit>(
    key: &[u8],
    parts: &[&[u8]],
    out: &mut [u8],
) -> Result<(), SizeError> {
    let mut mac = <M as Mac>::new_from_slice(key).map_err(|_| SizeError)?;
    for part in parts {
        mac.update(part);
    }
    out.copy_from_slice(&mac.finalize().into_bytes());
    Ok(())
}

/// PBKDF2-HMAC over `password` and `salt`, filling `out`.
pub fn pbkdf2(digest: Digest, password: &[u8], salt: &[u8], rounds: u32, out: &mut [u8]) {
    match digest {
        Digest::Sha256 => pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, rounds, out),
        Digest::Sha512 => pbkdf2::pbkdf2_hmac::<Sha512>(password, salt, rounds, out),
    }
}

/// Encrypt or decrypt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Encrypt,
    Decrypt,
}

/// AES-256-CBC without padding from `input` into `output` (same length, a
/// whole number of blocks).
pub fn cbc(
    direction: Direction,
    key: &[u8],
    iv: &[u8],
    input: &[u8],
    output: &mut [u8],
) -> Result<(), SizeError> {
    if input.len() != output.len() || !input.len().is_multiple_of(BLOCK_SIZE) {
        return Err(SizeError);
    }
    match direction {
        Direction::Encrypt => cbc::Encryptor::<Aes256>::new_from_slices(key, iv)
            .map_err(|_| SizeError)?
            .encrypt_padded_b2b_mut::<NoPadding>(input, output)
            .map(drop)
            .map_err(|_| SizeError),
        Direction::Decrypt => cbc::Decryptor::<Aes256>::new_from_slices(key, iv)
            .map_err(|_| SizeError)?
            .decrypt_padded_b2b_mut::<NoPadding>(input, output)
            .map(drop)
            .map_err(|_| SizeError),
    }
}

/// AES-256-CBC without padding on `buffer` in place.
pub fn cbc_in_place(
    direction: Direction,
    key: &[u8],
    iv: &[u8],
    buffer: &mut [u8],
) -> Result<(), SizeError> {
    if !buffer.len().is_multiple_of(BLOCK_SIZE) {
        return Err(SizeError);
    }
    let len = buffer.len();
    match direction {
        Direction::Encrypt => cbc::Encryptor::<Aes256>::new_from_slices(key, iv)
            .map_err(|_| SizeError)?
            .encrypt_padded_mut::<NoPadding>(buffer, len)
            .map(drop)
            .map_err(|_| SizeError),
        Direction::Decrypt => cbc::Decryptor::<Aes256>::new_from_slices(key, iv)
            .map_err(|_| SizeError)?
            .decrypt_padded_mut::<NoPadding>(buffer)
            .map(drop)
            .map_err(|_| SizeError),
    }
}

/// Fill `buffer` from the operating system's random generator.
pub fn random(buffer: &mut [u8]) -> Result<(), getrandom::Error> {
    getrandom::fill(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
            .collect()
    }

    // RFC 4231, test case 2.
    #[test]
    fn hmac_matches_rfc_4231() {
        let mut out = [0u8; 64];
        hmac(
            Digest::Sha256,
            b"Jefe",
            &[b"what do ya want ", b"for nothing?"],
            &mut out,
        )
        .expect("hmac");
        assert_eq!(
            out[..32],
            hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")[..]
        );
        hmac(
            Digest::Sha512,
            b"Jefe",
            &[b"what do ya want for nothing?"],
            &mut out,
        )
        .expect("hmac");
        assert_eq!(
            out[..],
            hex(
                "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554\
                 9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
            )[..]
        );
    }

    #[test]
    fn hmac_refuses_an_output_too_small() {
        let mut out = [0u8; 31];
        assert_eq!(
            hmac(Digest::Sha256, b"k", &[b"x"], &mut out),
            Err(SizeError)
        );
    }

    // RFC 7914 section 11, PBKDF2-HMAC-SHA256 with 1 round.
    #[test]
    fn pbkdf2_matches_rfc_7914() {
        let mut out = [0u8; 64];
        pbkdf2(Digest::Sha256, b"passwd", b"salt", 1, &mut out);
        assert_eq!(
            out[..],
            hex(
                "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc\
                 49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
            )[..]
        );
    }

    // NIST SP 800-38A, F.2.5 (CBC-AES256.Encrypt), first two blocks.
    #[test]
    fn cbc_matches_nist_sp_800_38a_both_ways() {
        let key = hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        let iv = hex("000102030405060708090a0b0c0d0e0f");
        let plain = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
        let cipher = hex("f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d");
        let mut out = vec![0u8; 32];
        cbc(Direction::Encrypt, &key, &iv, &plain, &mut out).expect("encrypt");
        assert_eq!(out, cipher);
        cbc(Direction::Decrypt, &key, &iv, &cipher, &mut out).expect("decrypt");
        assert_eq!(out, plain);
        let mut buffer = plain.clone();
        cbc_in_place(Direction::Encrypt, &key, &iv, &mut buffer).expect("in place");
        assert_eq!(buffer, cipher);
        cbc_in_place(Direction::Decrypt, &key, &iv, &mut buffer).expect("in place");
        assert_eq!(buffer, plain);
    }

    #[test]
    fn cbc_refuses_partial_blocks_and_wrong_key_sizes() {
        let mut out = [0u8; 15];
        assert_eq!(
            cbc(Direction::Encrypt, &[0; 32], &[0; 16], &[0; 15], &mut out),
            Err(SizeError)
        );
        let mut out = [0u8; 16];
        assert_eq!(
            cbc(Direction::Encrypt, &[0; 16], &[0; 16], &[0; 16], &mut out),
            Err(SizeError)
        );
        assert_eq!(
            cbc(Direction::Decrypt, &[0; 32], &[0; 8], &[0; 16], &mut out),
            Err(SizeError)
        );
    }

    #[test]
    fn random_fills_differently_each_time() {
        let (mut a, mut b) = ([0u8; 48], [0u8; 48]);
        random(&mut a).expect("random");
        random(&mut b).expect("random");
        assert_ne!(a, b);
        assert_ne!(a, [0u8; 48]);
    }
}
