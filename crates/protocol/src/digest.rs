//! The digest of operations a device has pushed, for the state check.
//!
//! Order-independent and incremental on both sides: the count of distinct
//! operation ids, and the XOR of SHA-256 of each id's 16 bytes. Device and
//! server add an id once, when they first see a push result for it (any
//! status); a `duplicate` result adds it on the device only if it is not in
//! the digest yet (the device keeps the set of ids it has added, or the
//! outbox rows themselves marked as acknowledged).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpDigest {
    pub count: u64,
    /// 64 lowercase hex characters; all zeros for the empty digest.
    pub hash: String,
}

impl OpDigest {
    pub fn empty() -> OpDigest {
        OpDigest {
            count: 0,
            hash: hex(&[0; 32]),
        }
    }

    /// The digest with `op_id` added.
    pub fn with(&self, op_id: &Uuid) -> OpDigest {
        let mut bytes = self.hash_bytes().unwrap_or([0; 32]);
        let h = Sha256::digest(op_id.as_bytes());
        for (b, x) in bytes.iter_mut().zip(h.iter()) {
            *b ^= x;
        }
        OpDigest {
            count: self.count + 1,
            hash: hex(&bytes),
        }
    }

    /// The hash as bytes; `None` when it is not 64 hex characters.
    pub fn hash_bytes(&self) -> Option<[u8; 32]> {
        let s = self.hash.as_bytes();
        if s.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in s.chunks(2).enumerate() {
            let hi = (pair[0] as char).to_digit(16)?;
            let lo = (pair[1] as char).to_digit(16)?;
            out[i] = (hi * 16 + lo) as u8;
        }
        Some(out)
    }

    pub fn from_parts(count: u64, hash: &[u8; 32]) -> OpDigest {
        OpDigest {
            count,
            hash: hex(hash),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_does_not_depend_on_order() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        let ab = OpDigest::empty().with(&a).with(&b);
        let ba = OpDigest::empty().with(&b).with(&a);
        assert_eq!(ab, ba);
        assert_eq!(ab.count, 2);
        assert_ne!(ab, OpDigest::empty().with(&a));
        assert_eq!(
            OpDigest::from_parts(2, &ab.hash_bytes().unwrap_or_default()),
            ab
        );
    }
}
