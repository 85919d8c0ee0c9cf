//! A report being written on the public form. Nothing is stored on the
//! server until it is submitted: the draft travels with the form as a hidden
//! field, sealed (XChaCha20-Poly1305) under a key derived from the instance
//! key, so the browser's history or cache never holds the answers in clear,
//! and nobody can forge or alter a draft. A draft expires.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use super::questionnaire::Answers;
use super::reports::Contact;
use crate::vault::InstanceKey;

/// How long a draft stays usable after it was started.
pub const LIFETIME_MS: i64 = 3 * 60 * 60 * 1000;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Draft {
    /// When the draft was started (milliseconds since the epoch).
    pub started_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The visitor's own country, if they chose one (listed first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor_country: Option<String>,
    #[serde(default)]
    pub answers: Answers,
    /// Whether the contact step was answered (anonymous or not).
    #[serde(default)]
    pub contact_done: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// A random id made when the form starts, so that posting the last
    /// step again finds the report it made (`NewReport::submission`).
    /// Drafts begun before it existed have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submission: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum DraftError {
    /// Older than [`LIFETIME_MS`].
    Expired,
    /// Not made by this instance, or altered.
    Invalid,
}

fn key(instance: &InstanceKey) -> InstanceKey {
    instance.derive("report draft")
}

impl Draft {
    pub fn new(now: i64) -> Self {
        Self {
            started_at: now,
            submission: Some(crate::storage::new_id()),
            ..Self::default()
        }
    }

    /// The hidden-field form of the draft.
    pub fn seal(&self, instance: &InstanceKey) -> String {
        let json = serde_json::to_vec(self).expect("a draft serialises");
        URL_SAFE_NO_PAD.encode(key(instance).seal(&json))
    }

    pub fn open(sealed: &str, instance: &InstanceKey, now: i64) -> Result<Self, DraftError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(sealed.trim())
            .map_err(|_| DraftError::Invalid)?;
        let json = key(instance)
            .open(&bytes)
            .map_err(|_| DraftError::Invalid)?;
        let draft: Draft = serde_json::from_slice(&json).map_err(|_| DraftError::Invalid)?;
        if now - draft.started_at > LIFETIME_MS || draft.started_at > now + 60_000 {
            return Err(DraftError::Expired);
        }
        Ok(draft)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_round_trip_expire_and_resist_tampering() {
        let instance = InstanceKey::load_or_create(tempfile::tempdir().unwrap().path()).unwrap();
        let mut draft = Draft::new(1_000);
        draft.category = Some("other".into());
        draft
            .answers
            .insert("description".into(), "a secret answer".into());
        let sealed = draft.seal(&instance);
        assert!(!sealed.contains("secret"));
        assert_eq!(Draft::open(&sealed, &instance, 2_000).unwrap(), draft);
        assert_eq!(
            Draft::open(&sealed, &instance, 1_000 + LIFETIME_MS + 1),
            Err(DraftError::Expired)
        );
        let mut tampered = sealed.clone().into_bytes();
        tampered[40] = if tampered[40] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            Draft::open(std::str::from_utf8(&tampered).unwrap(), &instance, 2_000),
            Err(DraftError::Invalid)
        );
        let other = InstanceKey::load_or_create(tempfile::tempdir().unwrap().path()).unwrap();
        assert_eq!(
            Draft::open(&sealed, &other, 2_000),
            Err(DraftError::Invalid)
        );
        assert_eq!(
            Draft::open("not base64 !", &instance, 2_000),
            Err(DraftError::Invalid)
        );
    }
}
