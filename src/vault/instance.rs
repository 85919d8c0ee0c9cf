//! The instance key: 32 random bytes generated on first start in the data
//! directory (`secrets/instance.key`). It seals server-side secrets that Ward
//! must read without a user's password, such as TOTP seeds, and keys hashes of
//! one-time tokens. It is not enough to read reports: those need a user's
//! password or the recovery key.

use std::path::Path;

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::VaultError;

const FILE_NAME: &str = "instance.key";

#[derive(Clone)]
pub struct InstanceKey(Zeroizing<[u8; 32]>);

impl InstanceKey {
    /// Reads the key from `secrets_dir`, creating it on first use.
    pub fn load_or_create(secrets_dir: &Path) -> Result<Self, VaultError> {
        let path = secrets_dir.join(FILE_NAME);
        match std::fs::read(&path) {
            Ok(bytes) => Self::from_bytes(&bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = Zeroizing::new([0u8; 32]);
                OsRng.fill_bytes(&mut *key);
                write_private_file(&path, &hex::encode(*key))?;
                Ok(Self(key))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// A key of the same kind from 32 raw bytes (a key derived elsewhere,
    /// such as from a receipt code).
    pub fn from_raw(bytes: [u8; 32]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    pub fn from_bytes(file: &[u8]) -> Result<Self, VaultError> {
        let text = std::str::from_utf8(file).map_err(|_| VaultError::Corrupt)?;
        let bytes = hex::decode(text.trim()).map_err(|_| VaultError::Corrupt)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| VaultError::Corrupt)?;
        Ok(Self(Zeroizing::new(key)))
    }

    /// The file form, for backups.
    pub fn to_file_bytes(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(hex::encode(*self.0).into_bytes())
    }

    pub fn file_name() -> &'static str {
        FILE_NAME
    }

    pub fn seal(&self, plaintext: &[u8]) -> Vec<u8> {
        let cipher = XChaCha20Poly1305::new((&*self.0).into());
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let mut out = nonce.to_vec();
        out.extend(
            cipher
                .encrypt(&nonce, plaintext)
                .expect("XChaCha20-Poly1305 sealing cannot fail"),
        );
        out
    }

    pub fn open(&self, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        if sealed.len() < 24 + 16 {
            return Err(VaultError::Corrupt);
        }
        let cipher = XChaCha20Poly1305::new((&*self.0).into());
        cipher
            .decrypt(XNonce::from_slice(&sealed[..24]), &sealed[24..])
            .map(Zeroizing::new)
            .map_err(|_| VaultError::WrongKey)
    }

    /// A separate key for one purpose, derived from this one, so that
    /// ciphertexts made for one purpose cannot be passed off as another's.
    pub fn derive(&self, purpose: &str) -> InstanceKey {
        let mut hasher = Sha256::new();
        hasher.update(b"ward derived key v1\0");
        hasher.update(purpose.as_bytes());
        hasher.update(b"\0");
        hasher.update(*self.0);
        InstanceKey(Zeroizing::new(hasher.finalize().into()))
    }

    /// HMAC-SHA256 of `data` under this key (use a [`derive`](Self::derive)d key per purpose).
    pub fn mac(&self, data: &[u8]) -> [u8; 32] {
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&*self.0)
            .expect("HMAC takes a key of any length");
        mac.update(data);
        mac.finalize().into_bytes().into()
    }

    /// A keyed hash of a one-time token, so that a database copy cannot be
    /// matched against guessed tokens without the instance key.
    pub fn token_hash(&self, token: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(b"ward token v1\0");
        hasher.update(*self.0);
        hasher.update(token.as_bytes());
        hex::encode(hasher.finalize())
    }
}

/// Writes a file readable by its owner only, atomically (temporary file, fsync, rename).
pub fn write_private_file(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_created_once_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let a = InstanceKey::load_or_create(dir.path()).unwrap();
        let b = InstanceKey::load_or_create(dir.path()).unwrap();
        let sealed = a.seal(b"JBSWY3DPEHPK3PXP");
        assert_eq!(&b.open(&sealed).unwrap()[..], b"JBSWY3DPEHPK3PXP");
        assert_eq!(a.token_hash("t"), b.token_hash("t"));
        let other = InstanceKey::load_or_create(tempfile::tempdir().unwrap().path()).unwrap();
        assert!(other.open(&sealed).is_err());
    }
}
