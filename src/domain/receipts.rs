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

pub fn derive(key: &InstanceKey, receipt: &str) -> ReceiptKeys {
    let salt = key.token_hash("ward receipt salt v1");
    // 8 MiB and one pass: slow for an attacker who must try 10^20 codes, cheap enough for intake bursts.
    let params = Params::new(8 * 1024, 1, 1, Some(32)).expect("valid Argon2 parameters");
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
        lookup_hash: hex::encode(labelled(b"ward receipt lookup v1\0")),
        seal_key: InstanceKey::from_raw(labelled(b"ward receipt seal v1\0")),
    }
}

/// The stored hash of a receipt code.
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
}
