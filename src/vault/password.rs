//! Sealing under a password: Argon2id derives a 256-bit key that
//! XChaCha20-Poly1305 uses to seal a user's private key.
//!
//! Layout of a sealed blob: `version (1) | m_cost (4) | t_cost (4) | p_cost (4) | salt (16) | nonce (24) | ciphertext`.
//! The cost parameters are stored so that they can be raised later without
//! losing old blobs.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use zeroize::Zeroizing;

use super::VaultError;

const FORMAT_VERSION: u8 = 1;
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;
const HEADER_LEN: usize = 1 + 12 + SALT_LEN + NONCE_LEN;

/// Argon2id cost of the keys that seal members' and portal accounts'
/// private keys (and so, through grants, the organisation's key): 64 MiB
/// and 3 passes, so that a stolen database costs an attacker far more per
/// guessed password than the sign-in check (19 MiB, 2 passes) does. Run
/// once per successful sign-in, never for a refused one. Blobs keep the
/// cost they were sealed with, so older ones still open.
#[derive(Clone, Copy, Debug)]
pub struct KdfCost {
    pub m_cost: u32,
    pub t_cost: u32,
    pub p_cost: u32,
}

impl Default for KdfCost {
    fn default() -> Self {
        Self {
            m_cost: 64 * 1024,
            t_cost: 3,
            p_cost: 1,
        }
    }
}

/// The largest costs a sealed blob may name (four times today's memory).
const MOST_MEMORY_KIB: u32 = 256 * 1024;
const MOST_PASSES: u32 = 10;
const MOST_LANES: u32 = 4;

fn derive_key(
    password: &str,
    salt: &[u8],
    cost: KdfCost,
) -> Result<Zeroizing<[u8; 32]>, VaultError> {
    let params = Params::new(cost.m_cost, cost.t_cost, cost.p_cost, Some(32))
        .map_err(|e| VaultError::Kdf(e.to_string()))?;
    let mut key = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt, &mut *key)
        .map_err(|e| VaultError::Kdf(e.to_string()))?;
    Ok(key)
}

/// Seals `plaintext` under `password`.
pub fn seal(password: &str, plaintext: &[u8]) -> Result<Vec<u8>, VaultError> {
    seal_with_cost(password, plaintext, KdfCost::default())
}

pub fn seal_with_cost(
    password: &str,
    plaintext: &[u8],
    cost: KdfCost,
) -> Result<Vec<u8>, VaultError> {
    let mut salt = [0u8; SALT_LEN];
    OsRng.fill_bytes(&mut salt);
    let key = derive_key(password, &salt, cost)?;
    let cipher = XChaCha20Poly1305::new((&*key).into());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let ciphertext = cipher
        .encrypt(&nonce, plaintext)
        .map_err(|_| VaultError::Corrupt)?;
    let mut out = Vec::with_capacity(HEADER_LEN + ciphertext.len());
    out.push(FORMAT_VERSION);
    out.extend_from_slice(&cost.m_cost.to_be_bytes());
    out.extend_from_slice(&cost.t_cost.to_be_bytes());
    out.extend_from_slice(&cost.p_cost.to_be_bytes());
    out.extend_from_slice(&salt);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// Opens a blob sealed by [`seal`]; a wrong password gives [`VaultError::WrongPassword`].
pub fn open(password: &str, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    if sealed.len() < HEADER_LEN + 16 || sealed[0] != FORMAT_VERSION {
        return Err(VaultError::Corrupt);
    }
    let word =
        |i: usize| u32::from_be_bytes([sealed[i], sealed[i + 1], sealed[i + 2], sealed[i + 3]]);
    let cost = KdfCost {
        m_cost: word(1),
        t_cost: word(5),
        p_cost: word(9),
    };
    // The costs come from the database: a blob that asks for more than Ward
    // ever seals with would make a sign-in allocate gigabytes.
    if cost.m_cost > MOST_MEMORY_KIB || cost.t_cost > MOST_PASSES || cost.p_cost > MOST_LANES {
        return Err(VaultError::Corrupt);
    }
    let salt = &sealed[13..13 + SALT_LEN];
    let nonce = XNonce::from_slice(&sealed[13 + SALT_LEN..HEADER_LEN]);
    let key = derive_key(password, salt, cost)?;
    let cipher = XChaCha20Poly1305::new((&*key).into());
    cipher
        .decrypt(nonce, &sealed[HEADER_LEN..])
        .map(Zeroizing::new)
        .map_err(|_| VaultError::WrongPassword)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: KdfCost = KdfCost {
        m_cost: 64,
        t_cost: 1,
        p_cost: 1,
    };

    #[test]
    fn keys_are_sealed_at_64_mib_and_3_passes_and_absurd_costs_are_refused() {
        let sealed = seal("correct horse battery", b"secret key").unwrap();
        let word = |i: usize| u32::from_be_bytes(sealed[i..i + 4].try_into().unwrap());
        assert_eq!((word(1), word(5), word(9)), (64 * 1024, 3, 1));
        // A blob whose header was changed to ask for 4 GiB is refused unread.
        let mut greedy = sealed.clone();
        greedy[1..5].copy_from_slice(&(4 * 1024 * 1024u32).to_be_bytes());
        assert!(matches!(
            open("correct horse battery", &greedy),
            Err(VaultError::Corrupt)
        ));
    }

    #[test]
    fn opens_with_the_right_password_only() {
        let sealed = seal_with_cost("correct horse battery", b"secret key", CHEAP).unwrap();
        assert_eq!(
            &open("correct horse battery", &sealed).unwrap()[..],
            b"secret key"
        );
        assert!(matches!(
            open("wrong horse battery", &sealed),
            Err(VaultError::WrongPassword)
        ));
        assert!(matches!(open("x", &sealed[..10]), Err(VaultError::Corrupt)));
    }
}
