//! Receipt codes: 24 random digits given to the reporter once. The code is
//! never kept; only a slow, salted hash of it is stored, so a database copy
//! does not let anyone find or open a report from a guessed code.
//!
//! The first 8 digits *locate* a report (they are stored in clear, to find
//! its row); the other 16 are the secret. Each report has its own random
//! salt, so one Argon2id evaluation tests one guess against one report:
//! nothing is shared between reports, and an attacker with a full backup
//! needs about 10^16 / 2 ≈ 2^52 evaluations to open a chosen report, and as
//! many for any one of them, however many reports there are (see
//! docs/SECURITY.md). Codes given before (20 digits, an instance-wide salt)
//! keep working under their own schemes.

use argon2::{Algorithm, Argon2, Params, Version};
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::vault::InstanceKey;

/// Digits of a code given now.
pub const DIGITS: usize = 24;
/// Digits of the codes given under schemes V1 and V2.
pub const LEGACY_DIGITS: usize = 20;
/// The leading digits that locate a report.
const LOCATOR_DIGITS: usize = 8;
const SALT_BYTES: usize = 16;

pub fn generate() -> Zeroizing<String> {
    let mut rng = rand::rngs::OsRng;
    Zeroizing::new(
        (0..DIGITS)
            .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
            .collect(),
    )
}

/// The code of the report that a form sends, derived from the form's own
/// random submission id (`draft::Draft::submission`, which only the sealed
/// draft holds; the database keeps a differently keyed hash of it). The
/// same form sent again (a double click, a reload of the receipt page) is
/// shown the same code, so a second post never costs the reporter the
/// code the first one made. Uniform digits: bytes of 250 and more are
/// skipped.
pub fn for_submission(key: &InstanceKey, submission: &str) -> Zeroizing<String> {
    let key = key.derive("receipt of a form");
    let mut digits = Zeroizing::new(String::with_capacity(DIGITS));
    let mut block = 0u32;
    while digits.len() < DIGITS {
        let input = [submission.as_bytes(), b"\0", &block.to_be_bytes()].concat();
        for byte in key.mac(&input) {
            if byte < 250 && digits.len() < DIGITS {
                digits.push(char::from(b'0' + byte % 10));
            }
        }
        block += 1;
    }
    digits
}

/// Digits only; spaces and dashes people type are ignored. A code has the
/// length of the current scheme or of the earlier ones.
pub fn normalise(input: &str) -> Option<Zeroizing<String>> {
    let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    (matches!(digits.len(), DIGITS | LEGACY_DIGITS) && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| Zeroizing::new(digits))
}

/// What a receipt code opens: the hash stored to find the report, and the
/// key that seals the reporter's private key. Both come from one Argon2id
/// run, as two labelled SHA-256 hashes of its output, so the stored hash
/// says nothing about the sealing key.
pub struct ReceiptKeys {
    pub lookup_hash: String,
    pub seal_key: InstanceKey,
}

/// The ways receipt codes have been stretched, newest first. A stored hash
/// names its scheme (`3:…`, `2:…`; the first scheme had no prefix), so codes
/// given under an older scheme keep working.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// 24 digits, Argon2id 256 KiB, one pass, a random salt per report
    /// (mixed with the instance key). Stored as `3:<locator>:<salt>:<hash>`.
    V3,
    /// 20 digits, Argon2id, 256 KiB, one pass, an instance-wide salt.
    V2,
    /// 20 digits, Argon2id, 8 MiB, one pass (reports before November 2026).
    V1,
}

impl Scheme {
    /// The schemes of 20-digit codes, newest first.
    pub const LEGACY: [Scheme; 2] = [Scheme::V2, Scheme::V1];

    fn memory_kib(self) -> u32 {
        match self {
            Scheme::V3 | Scheme::V2 => 256,
            Scheme::V1 => 8 * 1024,
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Scheme::V3 => "3:",
            Scheme::V2 => "2:",
            Scheme::V1 => "",
        }
    }
}

/// The keys of a new code, with a fresh salt (scheme V3).
pub fn derive_new(key: &InstanceKey, receipt: &str) -> ReceiptKeys {
    let mut salt = [0u8; SALT_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    derive_v3(key, receipt, &salt)
}

/// The stored hashes of V3 codes that share this code's locator lie in
/// `[from, to)`: the rows to try.
pub fn locator_range(receipt: &str) -> (String, String) {
    let locator = &receipt[..LOCATOR_DIGITS];
    (format!("3:{locator}:"), format!("3:{locator};"))
}

/// The keys of a V3 code for a stored hash, if the code is the one that
/// hash was made from. Always runs Argon2id once, also for a hash that
/// cannot be read, so that right and wrong codes cost the same.
pub fn check_v3(key: &InstanceKey, receipt: &str, stored: &str) -> Option<ReceiptKeys> {
    let salt = stored
        .split(':')
        .nth(2)
        .and_then(|hex_salt| hex::decode(hex_salt).ok())
        .filter(|salt| salt.len() == SALT_BYTES);
    let keys = derive_v3(key, receipt, salt.as_deref().unwrap_or(&[0; SALT_BYTES]));
    let same = subtle::ConstantTimeEq::ct_eq(keys.lookup_hash.as_bytes(), stored.as_bytes());
    (salt.is_some() && bool::from(same)).then_some(keys)
}

/// Runs the Argon2id of a code that matches no stored hash, so that a
/// wrong code costs what a right one does.
pub fn waste(key: &InstanceKey, receipt: &str) {
    let _ = derive_v3(key, receipt, &[0; SALT_BYTES]);
}

fn derive_v3(key: &InstanceKey, receipt: &str, salt: &[u8]) -> ReceiptKeys {
    // The per-report salt, mixed with the instance key (a pepper for whoever
    // holds the database but not the key).
    let mixed = key.derive("ward receipt salt v3").mac(salt);
    let keys = stretch(Scheme::V3, receipt, &mixed);
    ReceiptKeys {
        lookup_hash: format!(
            "3:{}:{}:{}",
            &receipt[..LOCATOR_DIGITS.min(receipt.len())],
            hex::encode(salt),
            keys.lookup_hash
        ),
        seal_key: keys.seal_key,
    }
}

/// The keys of a 20-digit code under a legacy scheme.
pub fn derive_with(scheme: Scheme, key: &InstanceKey, receipt: &str) -> ReceiptKeys {
    let salt = key.token_hash("ward receipt salt v1");
    let keys = stretch(scheme, receipt, &salt.as_bytes()[..32]);
    ReceiptKeys {
        lookup_hash: format!("{}{}", scheme.prefix(), keys.lookup_hash),
        seal_key: keys.seal_key,
    }
}

/// One Argon2id run and its two labelled hashes (the lookup hash unprefixed).
fn stretch(scheme: Scheme, receipt: &str, salt: &[u8]) -> ReceiptKeys {
    let params = Params::new(scheme.memory_kib(), 1, 1, Some(32)).expect("valid Argon2 parameters");
    let mut stretched = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(receipt.as_bytes(), salt, &mut *stretched)
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

#[cfg(test)]
mod tests {

    #[test]
    fn a_form_always_gets_the_same_code_and_forms_get_different_ones() {
        let key = InstanceKey::from_raw([7; 32]);
        let code = for_submission(&key, "form-a");
        assert_eq!(code.len(), DIGITS);
        assert!(code.chars().all(|c| c.is_ascii_digit()));
        assert_eq!(*code, *for_submission(&key, "form-a"));
        assert_ne!(*code, *for_submission(&key, "form-b"));
        assert_ne!(
            *code,
            *for_submission(&InstanceKey::from_raw([8; 32]), "form-a")
        );
        assert!(normalise(&code).is_some());
    }

    use super::*;

    #[test]
    fn codes_are_digits_and_open_only_their_own_report() {
        let code = generate();
        assert_eq!(code.len(), DIGITS);
        assert!(normalise(&format!("{} {}", &code[..10], &code[10..])).is_some());
        assert!(
            normalise("12345678901234567890").is_some(),
            "older codes still read"
        );
        assert!(normalise("123").is_none());
        let key = InstanceKey::from_raw([5; 32]);
        let stored = derive_new(&key, &code);
        // Two reports never share a salt: the same code hashes differently.
        assert_ne!(stored.lookup_hash, derive_new(&key, &code).lookup_hash);
        assert!(
            stored
                .lookup_hash
                .starts_with(&format!("3:{}:", &code[..8]))
        );
        let (from, to) = locator_range(&code);
        assert!(stored.lookup_hash.as_str() >= from.as_str() && stored.lookup_hash < to);

        let found = check_v3(&key, &code, &stored.lookup_hash).expect("the right code");
        let sealed = stored.seal_key.seal(b"reporter key");
        assert_eq!(&found.seal_key.open(&sealed).unwrap()[..], b"reporter key");
        // A code that differs in one secret digit, or another instance, opens nothing.
        let mut wrong = code.to_string();
        let last = if wrong.ends_with('0') { "1" } else { "0" };
        wrong.replace_range(DIGITS - 1.., last);
        assert!(check_v3(&key, &wrong, &stored.lookup_hash).is_none());
        assert!(check_v3(&InstanceKey::from_raw([6; 32]), &code, &stored.lookup_hash).is_none());
        assert!(check_v3(&key, &code, "3:12345678:nothex:00").is_none());
    }

    #[test]
    fn legacy_schemes_give_different_hashes_that_name_them() {
        let key = InstanceKey::from_raw([3; 32]);
        let v2 = derive_with(Scheme::V2, &key, "12345678901234567890");
        let v1 = derive_with(Scheme::V1, &key, "12345678901234567890");
        assert!(v2.lookup_hash.starts_with("2:") && v2.lookup_hash.len() == 66);
        assert_eq!(v1.lookup_hash.len(), 64);
        assert_ne!(&v2.lookup_hash[2..], v1.lookup_hash);
    }
}
