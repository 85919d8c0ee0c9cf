//! OpenPGP for referrals by e-mail (sequoia-openpgp): recipients' keys are
//! checked when an administrator enters them; each organisation gets its
//! own certificate (Ed25519 for signing, X25519 for encryption) at its
//! first referral by e-mail; messages are encrypted to the recipient's key
//! and signed with the organisation's.

use std::io::Write;

use openpgp::Cert;
use openpgp::cert::CertBuilder;
use openpgp::cert::amalgamation::key::ValidKeyAmalgamationIter;
use openpgp::packet::key;
use openpgp::parse::Parse;
use openpgp::policy::StandardPolicy;
use openpgp::serialize::SerializeInto;
use openpgp::serialize::stream::{Armorer, Encryptor2, LiteralWriter, Message, Signer};
use sequoia_openpgp as openpgp;
use zeroize::Zeroizing;

use crate::domain::{DomainError, DomainResult};

fn invalid(code: &'static str) -> DomainError {
    DomainError::invalid("openpgp_key", code)
}

fn failed(what: &str, e: impl std::fmt::Display) -> DomainError {
    DomainError::Delivery(format!("{what}: {e}"))
}

/// The keys of a certificate that can receive encrypted messages now.
fn transport_keys<'a>(
    cert: &'a Cert,
    policy: &'a StandardPolicy<'a>,
) -> ValidKeyAmalgamationIter<'a, key::PublicParts, key::UnspecifiedRole> {
    cert.keys()
        .with_policy(policy, None)
        .supported()
        .alive()
        .revoked(false)
        .for_transport_encryption()
}

/// Serialised ASCII armour as text.
fn armour(serialised: openpgp::Result<Vec<u8>>) -> DomainResult<String> {
    String::from_utf8(serialised.map_err(|e| failed("armour", e))?).map_err(|e| failed("armour", e))
}

/// Whether a recipient's key (ASCII armour) can receive encrypted referrals.
pub fn check_recipient_key(armored: &str) -> DomainResult<()> {
    let cert = Cert::from_bytes(armored.as_bytes()).map_err(|_| invalid("invalid-openpgp-key"))?;
    if cert.is_tsk() {
        // A secret key pasted by mistake must not be stored.
        return Err(invalid("invalid-openpgp-secret"));
    }
    if transport_keys(&cert, &StandardPolicy::new())
        .next()
        .is_some()
    {
        Ok(())
    } else {
        Err(invalid("invalid-openpgp-key-unusable"))
    }
}

/// A new certificate for an organisation: (public certificate, secret key), both armoured.
pub fn new_organisation_key(name: &str) -> DomainResult<(String, Zeroizing<String>)> {
    let (cert, _revocation) = CertBuilder::general_purpose(None, Some(format!("{name} (Ward)")))
        .generate()
        .map_err(|e| failed("making the organisation's OpenPGP key", e))?;
    let public = armour(cert.armored().to_vec())?;
    let secret = armour(cert.as_tsk().armored().to_vec())?;
    Ok((public, Zeroizing::new(secret)))
}

/// Encrypts `plaintext` to the recipient's key and signs it with the
/// organisation's secret key; returns the armoured OpenPGP message.
pub fn encrypt_and_sign(
    plaintext: &[u8],
    recipient_armored: &str,
    signer_armored: &str,
) -> DomainResult<String> {
    let policy = StandardPolicy::new();
    let recipient = Cert::from_bytes(recipient_armored.as_bytes())
        .map_err(|e| failed("the recipient's key", e))?;
    let signer = Cert::from_bytes(signer_armored.as_bytes())
        .map_err(|e| failed("the organisation's key", e))?;
    let recipients: Vec<_> = transport_keys(&recipient, &policy).collect();
    if recipients.is_empty() {
        return Err(failed(
            "the recipient's key",
            "it has no key for encryption",
        ));
    }
    let keypair = signer
        .keys()
        .unencrypted_secret()
        .with_policy(&policy, None)
        .supported()
        .alive()
        .revoked(false)
        .for_signing()
        .next()
        .ok_or_else(|| failed("the organisation's key", "it has no key for signing"))?
        .key()
        .clone()
        .into_keypair()
        .map_err(|e| failed("the organisation's key", e))?;
    let mut sink = Vec::new();
    let message = Message::new(&mut sink);
    let message = Armorer::new(message)
        .build()
        .map_err(|e| failed("encrypting", e))?;
    let message = Encryptor2::for_recipients(message, recipients)
        .build()
        .map_err(|e| failed("encrypting", e))?;
    let message = Signer::new(message, keypair)
        .build()
        .map_err(|e| failed("signing", e))?;
    let mut literal = LiteralWriter::new(message)
        .build()
        .map_err(|e| failed("encrypting", e))?;
    literal
        .write_all(plaintext)
        .map_err(|e| failed("encrypting", e))?;
    literal.finalize().map_err(|e| failed("encrypting", e))?;
    String::from_utf8(sink).map_err(|e| failed("armour", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipient_keys_are_checked() {
        let (public, secret) = new_organisation_key("Hotline Test").unwrap();
        assert!(check_recipient_key(&public).is_ok());
        assert!(matches!(
            check_recipient_key(&secret),
            Err(DomainError::Invalid(f)) if f[0].code == "invalid-openpgp-secret"
        ));
        assert!(check_recipient_key("not a key").is_err());
        let message = encrypt_and_sign(b"a referral", &public, &secret).unwrap();
        assert!(message.starts_with("-----BEGIN PGP MESSAGE-----"));
        assert!(!message.contains("a referral"));
    }
}
