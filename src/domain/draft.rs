//! A report being written on the public form. The draft travels with the
//! form as a hidden field, sealed (XChaCha20-Poly1305) under a key derived
//! from the instance key, so the browser's history or cache never holds the
//! answers in clear, and nobody can forge or alter a draft. A draft expires.
//!
//! So that every page of the form can be loaded again (the browser's Back,
//! a reload) without posting anything twice, the draft is also kept between
//! pages ([`Kept`], [`keep`], [`find`]): found by a keyed hash of a random
//! token that only the reporter's browser holds (a cookie), and sealed under
//! a key derived from that token, so that the database and the instance key
//! together still reveal nothing of it. It goes when the report is sent or
//! the draft expires. A browser that refuses the cookie carries the draft
//! in the form alone, as before.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use super::questionnaire::Answers;
use super::reports::Contact;
use super::{Context, DomainError};
use crate::storage::drafts::{self, Bounds};
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

/// At most this many drafts are kept at once, and this many bytes of them:
/// beyond, new drafts travel in the form only (a flood of drafts cannot
/// fill the disk nor stop anyone from reporting).
pub const KEPT_BOUNDS: Bounds = Bounds {
    drafts: 20_000,
    bytes: 256 * 1024 * 1024,
};

/// The random token that finds a kept draft: 32 bytes, base64url.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftToken(String);

impl DraftToken {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// A token as the browser sent it; anything else is no token.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        (bytes.len() == 32).then(|| Self(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn id_hash(&self, instance: &InstanceKey) -> String {
        instance.derive("kept draft id").token_hash(&self.0)
    }

    fn sealing_key(&self, instance: &InstanceKey) -> InstanceKey {
        InstanceKey::from_raw(instance.derive("kept draft").mac(self.0.as_bytes()))
    }
}

/// A draft kept between the form's pages, with what the last post said
/// about the page it leads to: the errors to correct there, or a notice.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Kept {
    pub draft: Draft,
    /// The step (its form id) whose page shows `errors` and `notice`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shown_at: Option<String>,
    /// (field, message id) pairs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

/// Keeps the draft under `token`; false when the store is full (the form
/// then carries the draft itself).
pub async fn keep(ctx: Context<'_>, token: &DraftToken, kept: &Kept) -> Result<bool, DomainError> {
    let json = zeroize::Zeroizing::new(serde_json::to_vec(kept).expect("a draft serialises"));
    let sealed = token.sealing_key(ctx.key).seal(&json);
    let expires_at = kept.draft.started_at + LIFETIME_MS;
    let now = super::time::now_millis();
    Ok(drafts::save(
        ctx.db,
        &token.id_hash(ctx.key),
        &sealed,
        expires_at,
        now,
        KEPT_BOUNDS,
    )
    .await?)
}

/// The draft kept under `token`, unless there is none or it has expired.
pub async fn find(ctx: Context<'_>, token: &DraftToken) -> Result<Option<Kept>, DomainError> {
    let now = super::time::now_millis();
    let Some(sealed) = drafts::load(ctx.db, &token.id_hash(ctx.key), now).await? else {
        return Ok(None);
    };
    let Ok(json) = token.sealing_key(ctx.key).open(&sealed) else {
        return Ok(None);
    };
    Ok(serde_json::from_slice(&json).ok())
}

/// Forgets the draft kept under `token` (its report was sent).
pub async fn forget(ctx: Context<'_>, token: &DraftToken) -> Result<(), DomainError> {
    Ok(drafts::delete(ctx.db, &token.id_hash(ctx.key)).await?)
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
