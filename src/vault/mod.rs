//! The vault: encryption at rest. See `docs/SECURITY.md` for the design.
//!
//! - Organisation, user and recovery keys are age X25519 key pairs.
//! - Content is encrypted to the organisation's public key with age, which
//!   wraps a fresh file key per message (so intake needs no secret at all).
//! - A user's private key is sealed with XChaCha20-Poly1305 under a key derived
//!   from the password with Argon2id ([`password`]).
//! - Small server-side secrets (TOTP seeds) are sealed under the instance key
//!   ([`instance`]).

pub mod instance;
pub mod password;

use std::io::{Read, Write};
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use zeroize::Zeroizing;

pub use instance::InstanceKey;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the password is wrong")]
    WrongPassword,
    #[error("the key does not open this content")]
    WrongKey,
    #[error("malformed key: {0}")]
    MalformedKey(String),
    #[error("corrupt ciphertext")]
    Corrupt,
    #[error("key derivation failed: {0}")]
    Kdf(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// A private key (organisation, user or recovery). Its text form never leaves
/// memory except sealed, or shown once as a recovery key.
pub struct SecretKey(age::x25519::Identity);

/// A public key in age's `age1…` text form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey(age::x25519::Recipient);

impl SecretKey {
    pub fn generate() -> Self {
        Self(age::x25519::Identity::generate())
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.to_public())
    }

    /// The `AGE-SECRET-KEY-1…` text; zeroed when dropped.
    pub fn to_secret_text(&self) -> Zeroizing<String> {
        Zeroizing::new(self.0.to_string().expose_secret().to_string())
    }

    pub fn from_secret_text(text: &str) -> Result<Self, VaultError> {
        age::x25519::Identity::from_str(text.trim())
            .map(Self)
            .map_err(|e| VaultError::MalformedKey(e.to_string()))
    }

    /// Decrypts content that was encrypted to this key's public half.
    pub fn open(&self, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let mut out = Zeroizing::new(Vec::new());
        self.open_stream(ciphertext, &mut *out)?;
        Ok(out)
    }

    /// Decrypts a stream (an attachment) into `out`.
    pub fn open_stream(
        &self,
        ciphertext: impl Read,
        mut out: impl Write,
    ) -> Result<(), VaultError> {
        let decryptor = age::Decryptor::new(ciphertext).map_err(|_| VaultError::Corrupt)?;
        let mut reader = decryptor
            .decrypt(std::iter::once(&self.0 as &dyn age::Identity))
            .map_err(|e| match e {
                age::DecryptError::NoMatchingKeys => VaultError::WrongKey,
                _ => VaultError::Corrupt,
            })?;
        std::io::copy(&mut reader, &mut out).map_err(|_| VaultError::Corrupt)?;
        Ok(())
    }

    /// A reader that decrypts `ciphertext` as it is read (the first bytes
    /// of a large file, without opening all of it).
    pub fn open_reader<R: Read>(&self, ciphertext: R) -> Result<impl Read + use<R>, VaultError> {
        let decryptor = age::Decryptor::new(ciphertext).map_err(|_| VaultError::Corrupt)?;
        decryptor
            .decrypt(std::iter::once(&self.0 as &dyn age::Identity))
            .map_err(|e| match e {
                age::DecryptError::NoMatchingKeys => VaultError::WrongKey,
                _ => VaultError::Corrupt,
            })
    }

    /// Seals this private key for another key (a member or the recovery key).
    pub fn wrap_for(&self, recipient: &PublicKey) -> Vec<u8> {
        recipient.seal(self.to_secret_text().as_bytes())
    }

    /// Opens a private key that was wrapped for this key.
    pub fn unwrap_key(&self, wrapped: &[u8]) -> Result<SecretKey, VaultError> {
        let text = self.open(wrapped)?;
        let text = std::str::from_utf8(&text).map_err(|_| VaultError::Corrupt)?;
        SecretKey::from_secret_text(text)
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(redacted)")
    }
}

impl PublicKey {
    pub fn parse(text: &str) -> Result<Self, VaultError> {
        age::x25519::Recipient::from_str(text.trim())
            .map(Self)
            .map_err(|e| VaultError::MalformedKey(e.to_string()))
    }

    /// What people compare to know they speak of the same key: the first
    /// 128 bits of a SHA-256 of the key, in eight groups of four hex digits.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.0.to_string())
    }

    /// Encrypts a small message to this key (a fresh file key each time).
    pub fn seal(&self, plaintext: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(plaintext.len() + 256);
        self.seal_stream(plaintext, &mut out)
            .expect("encrypting into memory cannot fail");
        out
    }

    /// Encrypts a stream (an attachment) into `out`, chunk by chunk.
    pub fn seal_stream(&self, mut plaintext: impl Read, out: impl Write) -> Result<(), VaultError> {
        let mut writer = self.seal_to(out)?;
        std::io::copy(&mut plaintext, &mut writer)?;
        writer.finish()?;
        Ok(())
    }

    /// A writer that encrypts what is written to it into `out`, 64 KiB at a
    /// time; [`SealWriter::finish`] writes the last chunk.
    pub fn seal_to<W: Write>(&self, out: W) -> Result<SealWriter<W>, VaultError> {
        let encryptor =
            age::Encryptor::with_recipients(std::iter::once(&self.0 as &dyn age::Recipient))
                .map_err(|e| VaultError::MalformedKey(e.to_string()))?;
        Ok(SealWriter(encryptor.wrap_output(out)?))
    }
}

/// Encrypts to a public key as bytes are written (see [`PublicKey::seal_to`]).
pub struct SealWriter<W: Write>(age::stream::StreamWriter<W>);

impl<W: Write> SealWriter<W> {
    /// Writes the last chunk; without it the content cannot be opened.
    pub fn finish(self) -> Result<W, VaultError> {
        Ok(self.0.finish()?)
    }
}

impl<W: Write> Write for SealWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Encrypts a small message so that each of several keys can open it
/// (one file key, wrapped once per recipient).
pub fn seal_for_all(recipients: &[&PublicKey], plaintext: &[u8]) -> Vec<u8> {
    let encryptor =
        age::Encryptor::with_recipients(recipients.iter().map(|r| &r.0 as &dyn age::Recipient))
            .expect("at least one X25519 recipient");
    let mut out = Vec::with_capacity(plaintext.len() + 256 * recipients.len());
    let mut writer = encryptor
        .wrap_output(&mut out)
        .expect("writing into memory cannot fail");
    std::io::Write::write_all(&mut writer, plaintext).expect("writing into memory cannot fail");
    writer.finish().expect("writing into memory cannot fail");
    out
}

impl std::fmt::Display for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The fingerprint of a public key as written (see [`PublicKey::fingerprint`]).
pub fn fingerprint(public_key: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(public_key.trim().as_bytes());
    digest[..16]
        .chunks(2)
        .map(hex::encode)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_round_trips_only_with_the_right_key() {
        let org = SecretKey::generate();
        let other = SecretKey::generate();
        let sealed = org.public_key().seal(b"the hotel on the corner");
        assert!(!sealed.windows(5).any(|w| w == b"hotel"));
        assert_eq!(&org.open(&sealed).unwrap()[..], b"the hotel on the corner");
        assert!(matches!(other.open(&sealed), Err(VaultError::WrongKey)));
        assert!(matches!(org.open(b"garbage"), Err(VaultError::Corrupt)));
    }

    #[test]
    fn keys_wrap_for_members_and_the_recovery_key() {
        let org = SecretKey::generate();
        let member = SecretKey::generate();
        let wrapped = org.wrap_for(&member.public_key());
        let unwrapped = member.unwrap_key(&wrapped).unwrap();
        assert_eq!(unwrapped.public_key(), org.public_key());
        let text = member.to_secret_text();
        assert_eq!(
            SecretKey::from_secret_text(&text).unwrap().public_key(),
            member.public_key()
        );
        assert_eq!(
            PublicKey::parse(&org.public_key().to_string()).unwrap(),
            org.public_key()
        );
    }

    #[test]
    fn messages_for_several_keys_open_with_each() {
        let org = SecretKey::generate();
        let reporter = SecretKey::generate();
        let sealed = seal_for_all(&[&org.public_key(), &reporter.public_key()], b"a question");
        assert_eq!(&org.open(&sealed).unwrap()[..], b"a question");
        assert_eq!(&reporter.open(&sealed).unwrap()[..], b"a question");
        assert!(SecretKey::generate().open(&sealed).is_err());
    }

    #[test]
    fn streams_round_trip() {
        let org = SecretKey::generate();
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let mut sealed = Vec::new();
        org.public_key()
            .seal_stream(&data[..], &mut sealed)
            .unwrap();
        let mut opened = Vec::new();
        org.open_stream(&sealed[..], &mut opened).unwrap();
        assert_eq!(opened, data);
    }
}
