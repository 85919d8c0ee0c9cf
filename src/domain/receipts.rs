//! Receipt codes: 20 random digits given to the reporter once. Only a slow,
//! keyed hash is stored, so a database copy does not let anyone find a
//! report from a guessed code, and the code itself is never kept.

use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::vault::InstanceKey;

pub const DIGITS: usize = 20;

pub fn generate() -> Zeroizing<String> {
    let mut rng = rand::rngs::OsRng;
    Zeroizing::new(
        (0..DIGITS)
            .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
            .collect(),
    )
}

/// Digits only; spaces and dashes people type are ignored.
pub fn normalise(input: &str) -> Option<Zeroizing<String>> {
    let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    (digits.len() == DIGITS && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| Zeroizing::new(digits))
}

/// What a receipt code opens: the hash stored to find the report, and the
/// key that seals the reporter's private key. Both come from one Argon2id
/// run keyed by the instance (the salt is derived from the instance key), as
/// two labelled SHA-256 hashes of its output, so the stored hash says nothing
/// about the sealing key.
pub struct ReceiptKeys {
    pub lookup_hash: String,
    pub seal_key: InstanceKey,
}

/// The ways receipt codes have been stretched, newest first. A stored hash
/// names its scheme (`2:…`; the first scheme had no prefix), so codes given
/// under an older scheme keep working.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// Argon2id, 256 KiB, one pass: a code has 66 bits, so the cost is there
    /// for whoever holds a full backup (database and instance key) and tries
    /// codes offline; 256 KiB keeps intake at thousands of reports a second.
    V2,
    /// Argon2id, 8 MiB, one pass (reports before November 2026).
    V1,
}

impl Scheme {
    pub const ALL: [Scheme; 2] = [Scheme::V2, Scheme::V1];

    fn memory_kib(self) -> u32 {
        match self {
            Scheme::V2 => 256,
            Scheme::V1 => 8 * 1024,
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Scheme::V2 => "2:",
            Scheme::V1 => "",
        }
    }
}

/// The keys of a code under the current scheme.
pub fn derive(key: &InstanceKey, receipt: &str) -> ReceiptKeys {
    derive_with(Scheme::V2, key, receipt)
}

/// The keys of a code under a given scheme.
pub fn derive_with(scheme: Scheme, key: &InstanceKey, receipt: &str) -> ReceiptKeys {
    let salt = key.token_hash("ward receipt salt v1");
    let params = Params::new(scheme.memory_kib(), 1, 1, Some(32)).expect("valid Argon2 parameters");
    let mut stretched = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(receipt.as_bytes(), &salt.as_bytes()[..32], &mut *stretched)
        .expect("Argon2 with valid parameters cannot fail");
    let labelled = |label: &[u8]| -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(label);
        hasher.update(*stretched);
        hasher.finalize().into()
    };
    ReceiptKeys {
        lookup_hash: format!(
            "{}{}",
            scheme.prefix(),
            hex::encode(labelled(b"ward receipt lookup v1\0"))
        ),
        seal_key: InstanceKey::from_raw(labelled(b"ward receipt seal v1\0")),
    }
}

/// The stored hash of a receipt code (current scheme).
pub fn hash(key: &InstanceKey, receipt: &str) -> String {
    derive(key, receipt).lookup_hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_digits_and_hash_deterministically() {
        let code = generate();
        assert_eq!(code.len(), DIGITS);
        assert!(normalise(&format!("{} {}", &code[..10], &code[10..])).is_some());
        assert!(normalise("123").is_none());
        let key = InstanceKey::load_or_create(tempfile::tempdir().unwrap().path()).unwrap();
        assert_eq!(hash(&key, &code), hash(&key, &code));
        assert_ne!(hash(&key, &code), hash(&key, "00000000000000000000"));
        let keys = derive(&key, &code);
        let sealed = keys.seal_key.seal(b"reporter key");
        assert_eq!(
            &derive(&key, &code).seal_key.open(&sealed).unwrap()[..],
            b"reporter key"
        );
        assert!(
            derive(&key, "00000000000000000000")
                .seal_key
                .open(&sealed)
                .is_err()
        );
    }

    #[test]
    fn schemes_give_different_hashes_that_name_them() {
        let key = InstanceKey::from_raw([3; 32]);
        let v2 = derive_with(Scheme::V2, &key, "12345678901234567890");
        let v1 = derive_with(Scheme::V1, &key, "12345678901234567890");
        assert!(v2.lookup_hash.starts_with("2:") && v2.lookup_hash.len() == 66);
        assert_eq!(v1.lookup_hash.len(), 64);
        assert_ne!(&v2.lookup_hash[2..], v1.lookup_hash);
        assert_eq!(
            derive(&key, "12345678901234567890").lookup_hash,
            v2.lookup_hash
        );
    }
}
