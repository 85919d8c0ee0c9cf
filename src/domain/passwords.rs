//! Password hashes for sign-in (Argon2id, PHC strings).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use super::values::Password;
use super::{DomainError, DomainResult};

fn hasher() -> Argon2<'static> {
    // OWASP's recommended minimum for Argon2id: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2 hashing with valid parameters cannot fail")
        .to_string()
}

/// Checks a password; an unknown user is checked against a dummy hash so that
/// both cases take the same time.
pub fn verify(password: &str, phc: Option<&str>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("dummy password for timing"));
    let known = phc.is_some();
    let Ok(parsed) = PasswordHash::new(phc.unwrap_or(dummy)) else {
        return false;
    };
    hasher()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
        && known
}
/// Refuses a new password that is easy to guess (zxcvbn's estimate below
/// "safely unguessable": dictionary words alone, common passwords, keyboard
/// walks, repeats, dates), whatever its length. `context` holds what the
/// password must not be built from (the e-mail address, the organisation).
pub fn require_strong(password: &Password, context: &[&str]) -> DomainResult<()> {
    let estimate = zxcvbn::zxcvbn(password.expose(), context);
    if estimate.score() < zxcvbn::Score::Three {
        return Err(DomainError::invalid("password", "invalid-password-weak"));
    }
    Ok(())
}

#[cfg(test)]
mod strength_tests {
    use super::*;

    #[test]
    fn guessable_passwords_are_refused_whatever_their_length() {
        let check = |text: &str, context: &[&str]| {
            require_strong(&Password::parse(text).unwrap(), context).is_ok()
        };
        for weak in [
            "password1234",
            "aaaaaaaaaaaa",
            "qwertyuiopasdf",
            "123456789012",
        ] {
            assert!(!check(weak, &[]), "{weak}");
        }
        assert!(!check("jane.doe@example.org", &["jane.doe@example.org"]));
        for strong in ["correct horse battery staple", "Hotel Sol 2026, room 312!"] {
            assert!(check(strong, &[]), "{strong}");
        }
    }
}
