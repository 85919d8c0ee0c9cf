//! Time-based one-time passwords (RFC 6238) for the mandatory second factor.

use rand::RngCore;
use totp_rs::{Algorithm, Builder, Secret, Totp};

use super::{DomainError, DomainResult};

/// A fresh 160-bit TOTP secret in base32, as authenticator apps expect.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    Secret::from(bytes).to_base32()
}

fn totp(secret_base32: &str, issuer: &str, account: &str) -> DomainResult<Totp> {
    let malformed = || DomainError::invalid("totp_code", "invalid-totp-secret");
    let secret = Secret::try_from_base32(secret_base32).map_err(|_| malformed())?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .with_issuer(Some(issuer.replace(':', " ")))
        .with_account_name(account.replace(':', " "))
        .build()
        .map_err(|_| malformed())
}

/// The `otpauth://` URI that authenticator apps read from a QR code.
pub fn otpauth_uri(secret_base32: &str, issuer: &str, account: &str) -> DomainResult<String> {
    totp(secret_base32, issuer, account)?
        .to_url()
        .map_err(|_| DomainError::invalid("totp_code", "invalid-totp-secret"))
}

/// The time step `code` is valid for now (one 30-second step of drift either
/// way), so that a caller can refuse a step it has already accepted.
pub fn verify_step(secret_base32: &str, code: &str) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    totp(secret_base32, "Ward", "user")
        .ok()
        .and_then(|t| t.check_current(&code))
}

/// Whether `code` is valid now (one 30-second step of clock drift either way).
pub fn verify(secret_base32: &str, code: &str) -> bool {
    verify_step(secret_base32, code).is_some()
}

/// The current code, for tests and scripted installs.
pub fn current_code(secret_base32: &str) -> DomainResult<String> {
    Ok(totp(secret_base32, "Ward", "user")?
        .generate_current()
        .to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_verify_and_uris_name_the_account() {
        let secret = new_secret();
        assert!(verify(&secret, &current_code(&secret).unwrap()));
        assert!(!verify(&secret, "000000") || current_code(&secret).unwrap() == "000000");
        let uri = otpauth_uri(&secret, "Hotline LU", "ana@example.org").unwrap();
        assert!(uri.starts_with("otpauth://totp/"), "{uri}");
        assert!(uri.contains(&secret));
    }
}
