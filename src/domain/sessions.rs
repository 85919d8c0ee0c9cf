//! Back-office sign-in and sessions.
//!
//! Sign-in needs the password and a TOTP code. Five failures in a row lock the
//! account for 15 minutes (counted per account, never per address). A
//! session cookie is `<id>.<secret>`: the database keeps a hash of the id and
//! the organisation's key sealed under a key derived from the secret, which
//! only the cookie holds. Sessions end after 30 idle minutes or 12 hours.

use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::accounts::{self, Unlocked};
use super::values::{Email, Password, Role};
use super::{DomainError, DomainResult, totp};
use crate::storage::sessions::{self, SessionRow};
use crate::storage::users::{self, UserRow};
use crate::storage::{Database, now_millis};
use crate::vault::{InstanceKey, SecretKey};

pub const MAX_FAILURES: i64 = 5;
pub const LOCK_MS: i64 = 15 * 60 * 1000;
pub const IDLE_MS: i64 = 30 * 60 * 1000;
pub const LIFETIME_MS: i64 = 12 * 60 * 60 * 1000;

/// A signed-in user, with the organisation's key when they hold a grant.
pub struct Session {
    pub user: UserRow,
    pub organisation_key: Option<SecretKey>,
}

impl Session {
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.user.role).ok()
    }
}

/// Checks password and code; returns the new session's cookie value.
pub async fn sign_in(
    db: &Database,
    key: &InstanceKey,
    email: &Email,
    password: &Password,
    code: &str,
) -> DomainResult<String> {
    let now = now_millis();
    let known = users::find_by_email(db, email.as_str()).await?;
    if let Some(user) = &known {
        let (_, locked_until, _) = sessions::sign_in_state(db, &user.id).await?;
        if locked_until.is_some_and(|until| until > now) {
            return Err(DomainError::Locked);
        }
    }
    // The password check runs for unknown addresses too (against a dummy hash).
    let unlocked = match accounts::unlock(db, email, password).await {
        Ok(unlocked) => unlocked,
        Err(DomainError::WrongCredentials) => {
            if let Some(user) = &known {
                fail(db, &user.id, now).await?;
            }
            return Err(DomainError::WrongCredentials);
        }
        Err(other) => return Err(other),
    };
    let (_, _, last_step) = sessions::sign_in_state(db, &unlocked.user.id).await?;
    let secret = key.open(&unlocked.user.totp_secret_sealed)?;
    let secret = std::str::from_utf8(&secret)
        .map_err(|_| DomainError::Vault(crate::vault::VaultError::Corrupt))?;
    let step = totp::verify_step(secret, code)
        .map(|s| s as i64)
        .filter(|s| last_step.is_none_or(|last| *s > last));
    let Some(step) = step else {
        fail(db, &unlocked.user.id, now).await?;
        return Err(DomainError::invalid("code", "invalid-totp-code"));
    };
    sessions::record_success(db, &unlocked.user.id, step).await?;
    // An administrator's sign-in gives waiting members their access.
    if unlocked.role() == Some(Role::Admin) && unlocked.organisation_key.is_some() {
        accounts::grant_pending_access(db, &unlocked).await?;
    }
    open_session(db, &unlocked, now).await
}

async fn fail(db: &Database, user_id: &str, now: i64) -> DomainResult<()> {
    let (failures, _, _) = sessions::sign_in_state(db, user_id).await?;
    let locked_until = (failures + 1 >= MAX_FAILURES).then_some(now + LOCK_MS);
    sessions::record_failure(db, user_id, locked_until).await?;
    Ok(())
}

async fn open_session(db: &Database, unlocked: &Unlocked, now: i64) -> DomainResult<String> {
    let mut id = [0u8; 16];
    let mut secret = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(&mut id);
    rand::rngs::OsRng.fill_bytes(&mut *secret);
    let sealed_org_key = unlocked
        .organisation_key
        .as_ref()
        .map(|k| InstanceKey::from_raw(*secret).seal(k.to_secret_text().as_bytes()));
    sessions::insert(
        db,
        &SessionRow {
            id_hash: id_hash(&hex::encode(id)),
            user_id: unlocked.user.id.clone(),
            organisation_id: unlocked.user.organisation_id.clone(),
            sealed_org_key,
            created_at: now,
            last_seen_at: now,
        },
    )
    .await?;
    Ok(format!("{}.{}", hex::encode(id), hex::encode(*secret)))
}

fn id_hash(id: &str) -> String {
    hex::encode(Sha256::digest(format!("ward session v1\0{id}").as_bytes()))
}

/// The session of a cookie, if it is genuine and still alive; renews its idle time.
pub async fn authenticate(db: &Database, cookie: &str) -> DomainResult<Option<Session>> {
    let Some((id, secret)) = cookie.split_once('.') else {
        return Ok(None);
    };
    let Ok(secret) = <[u8; 32]>::try_from(hex::decode(secret).unwrap_or_default().as_slice())
    else {
        return Ok(None);
    };
    let hash = id_hash(id);
    let Some(row) = sessions::get(db, &hash).await? else {
        return Ok(None);
    };
    let now = now_millis();
    if now - row.last_seen_at > IDLE_MS || now - row.created_at > LIFETIME_MS {
        sessions::delete(db, &hash).await?;
        return Ok(None);
    }
    let Some(user) = users::find_by_id(db, &row.user_id).await? else {
        return Ok(None);
    };
    if user.disabled != 0 {
        sessions::delete_for_user(db, &user.id).await?;
        return Ok(None);
    }
    let organisation_key = match &row.sealed_org_key {
        Some(sealed) => {
            let Ok(text) = InstanceKey::from_raw(secret).open(sealed) else {
                return Ok(None);
            };
            let text = std::str::from_utf8(&text)
                .map_err(|_| DomainError::Vault(crate::vault::VaultError::Corrupt))?;
            Some(SecretKey::from_secret_text(text)?)
        }
        None => None,
    };
    sessions::touch(db, &hash, now).await?;
    Ok(Some(Session {
        user,
        organisation_key,
    }))
}

pub async fn sign_out(db: &Database, cookie: &str) -> DomainResult<()> {
    if let Some((id, _)) = cookie.split_once('.') {
        sessions::delete(db, &id_hash(id)).await?;
    }
    Ok(())
}

pub async fn sign_out_everywhere(db: &Database, user_id: &str) -> DomainResult<()> {
    Ok(sessions::delete_for_user(db, user_id).await?)
}
