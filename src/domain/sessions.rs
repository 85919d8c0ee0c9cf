//! Back-office sign-in and sessions.
//!
//! Sign-in needs the password and a second factor: a TOTP code, or one of the
//! member's one-time recovery codes. Attempts are counted per account (never
//! per address): five per 15 minutes, taken before the password is checked;
//! refusals all look alike (see `sign_in_guard`).
//!
//! A session cookie is `<id>.<secret>`: the database keeps a hash of the id
//! and the organisation's key sealed under a key derived from the secret,
//! which only the cookie holds. Sessions end after an idle time and a
//! lifetime (settings), at sign-out, or everywhere at once.

use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::accounts::{self, Unlocked};
use super::actor::Actor;
use super::audit::{self, Action, Entry};
use super::change::Change;
use super::values::{Email, Password, Role};
use super::{Context, DomainError, DomainResult, recovery_codes, sign_in_guard, totp};
use crate::config::Settings;
use crate::storage::sessions::{self, SessionRow};
use crate::storage::sign_in_attempts::Accounts;
use crate::storage::users::{self, UserRow};
use crate::storage::{Database, now_millis};
use crate::vault::{InstanceKey, SecretKey, VaultError};

pub use super::sign_in_guard::MAX_ATTEMPTS;

/// How long sessions live.
#[derive(Clone, Copy, Debug)]
pub struct SessionPolicy {
    pub idle_ms: i64,
    pub lifetime_ms: i64,
}

impl SessionPolicy {
    pub fn from_settings(settings: &Settings) -> Self {
        Self {
            idle_ms: settings.session_idle_minutes as i64 * 60_000,
            lifetime_ms: settings.session_lifetime_hours as i64 * 3_600_000,
        }
    }
}

/// What a session allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The back office.
    Full,
    /// Only enrolling a new authenticator (after an administrator reset it).
    Enrol,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::Full => "full",
            Stage::Enrol => "enrol",
        }
    }
}

/// A signed-in member.
pub struct Session {
    /// The id part of the cookie (never stored), which keys the CSRF token.
    pub id: String,
    pub stage: Stage,
    pub actor: Actor,
}

/// A successful sign-in: the cookie value and what the session allows.
pub struct SignedIn {
    pub cookie: String,
    pub stage: Stage,
}

/// Checks password and second factor; opens a session. Every refusal for
/// wrong credentials looks the same and takes the same time (see `sign_in_guard`).
pub async fn sign_in(
    ctx: Context<'_>,
    email: &Email,
    password: &Password,
    code: &str,
) -> DomainResult<SignedIn> {
    sign_in_guard::answer(attempt(ctx, email, password, code)).await
}

async fn attempt(
    ctx: Context<'_>,
    email: &Email,
    password: &Password,
    code: &str,
) -> DomainResult<SignedIn> {
    let now = now_millis();
    let known = users::find_by_email(ctx.db, email.as_str()).await?;
    // The step of the code, if right: it lets the member through a lock.
    let code_step = match &known {
        Some(user) if user.totp_pending == 0 => {
            totp::verify_step(&open_totp_secret(ctx.key, user)?, code).map(|s| s as i64)
        }
        _ => None,
    };
    let id = known.as_ref().map(|u| u.id.as_str());
    let taken =
        sign_in_guard::take_attempt_for(ctx, Accounts::Members, id, email.as_str(), code_step)
            .await?;
    let (attempt, passed_lock_with) = (taken.number, taken.passed_lock_with);
    // One Argon2 run, against a dummy hash for unknown addresses.
    if !accounts::password_matches(known.as_ref(), password).await {
        return Err(fail(ctx, known.as_ref(), attempt).await);
    }
    let user = known.expect("a password matched, so the account exists");
    if user.totp_pending != 0 {
        // An administrator reset the second factor: the password opens only enrolment.
        let unlocked = accounts::open_keys(ctx.db, user, password).await?;
        let cookie = open_session(ctx.db, &unlocked, Stage::Enrol, now).await?;
        return Ok(SignedIn {
            cookie,
            stage: Stage::Enrol,
        });
    }
    let state = sessions::sign_in_state(ctx.db, &user.id).await?;
    let step = passed_lock_with
        .or_else(|| code_step.filter(|s| state.last_totp_step.is_none_or(|last| *s > last)));
    let used_recovery_code = match step {
        Some(_) => false,
        None => recovery_codes::consume(ctx.db, ctx.key, &user.id, code).await?,
    };
    if step.is_none() && !used_recovery_code {
        return Err(fail(ctx, Some(&user), attempt).await);
    }
    // Everything was right: only now is the member's key opened (a second Argon2 run).
    let unlocked = accounts::open_keys(ctx.db, user, password).await?;
    let user = &unlocked.user;
    sessions::record_success(ctx.db, &user.id, step.or(state.last_totp_step)).await?;
    let cookie = open_session(ctx.db, &unlocked, Stage::Full, now).await?;
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    let entry = |action| Entry {
        organisation_id: Some(&user.organisation_id),
        actor_user_id: Some(&user.id),
        actor: &user.email,
        action,
        object_type: Some("user"),
        object_id: Some(&user.id),
        detail: None,
    };
    if used_recovery_code {
        tx.record(entry(Action::RecoveryCodeUsed)).await?;
    }
    tx.record(entry(Action::SignIn)).await?;
    tx.commit().await?;
    Ok(SignedIn {
        cookie,
        stage: Stage::Full,
    })
}

/// Records a failed sign-in in the audit log (the attempt was counted when
/// it was taken) and returns the refusal, the same whatever was wrong.
async fn fail(ctx: Context<'_>, user: Option<&UserRow>, attempt: Option<i64>) -> DomainError {
    let recorded = match user {
        Some(user) => {
            let entry = Entry {
                organisation_id: Some(&user.organisation_id),
                actor_user_id: Some(&user.id),
                actor: &user.email,
                action: Action::SignInFailed,
                object_type: Some("user"),
                object_id: Some(&user.id),
                detail: attempt.map(|n| format!("attempt {n} of {MAX_ATTEMPTS} in 15 minutes")),
            };
            audit::record(ctx.db, ctx.key, entry).await
        }
        None => sign_in_guard::unknown_address_failed(ctx, Action::SignInFailed).await,
    };
    match recorded {
        Ok(()) => DomainError::WrongCredentials,
        Err(e) => e,
    }
}

pub(crate) fn open_totp_secret(
    key: &InstanceKey,
    user: &UserRow,
) -> DomainResult<Zeroizing<String>> {
    let secret = key.open(&user.totp_secret_sealed)?;
    let secret =
        std::str::from_utf8(&secret).map_err(|_| DomainError::Vault(VaultError::Corrupt))?;
    Ok(Zeroizing::new(secret.to_string()))
}

/// Opens a session for a member whose password was checked; returns the cookie value.
pub async fn open_session(
    db: &Database,
    unlocked: &Unlocked,
    stage: Stage,
    now: i64,
) -> DomainResult<String> {
    let org_key = unlocked.organisation_key.as_ref();
    open_session_with(db, &unlocked.user, org_key, stage, now).await
}

async fn open_session_with(
    db: &Database,
    user: &UserRow,
    org_key: Option<&SecretKey>,
    stage: Stage,
    now: i64,
) -> DomainResult<String> {
    let (id, secret) = new_cookie_parts();
    let sealed_org_key =
        org_key.map(|k| InstanceKey::from_raw(*secret).seal(k.to_secret_text().as_bytes()));
    sessions::insert(
        db,
        &SessionRow {
            id_hash: id_hash(&id),
            user_id: user.id.clone(),
            organisation_id: user.organisation_id.clone(),
            sealed_org_key,
            created_at: now,
            last_seen_at: now,
            stage: stage.as_str().to_string(),
        },
    )
    .await?;
    Ok(cookie_value(&id, &secret))
}

/// A new session's id (hex) and secret; the cookie holds both, the database neither.
pub(crate) fn new_cookie_parts() -> (String, Zeroizing<[u8; 32]>) {
    let mut id = [0u8; 16];
    let mut secret = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(&mut id);
    rand::rngs::OsRng.fill_bytes(&mut *secret);
    (hex::encode(id), secret)
}

/// The cookie's value: `<id>.<secret>`.
pub(crate) fn cookie_value(id: &str, secret: &[u8; 32]) -> String {
    format!("{id}.{}", hex::encode(secret))
}

/// The id and secret of a cookie's value, if it has that form.
pub(crate) fn split_cookie(cookie: &str) -> Option<(&str, [u8; 32])> {
    let (id, secret) = cookie.split_once('.')?;
    let secret = <[u8; 32]>::try_from(hex::decode(secret).ok()?.as_slice()).ok()?;
    Some((id, secret))
}

fn id_hash(id: &str) -> String {
    hex::encode(Sha256::digest(format!("ward session v1\0{id}").as_bytes()))
}

/// The session of a cookie, if it is genuine and still alive; renews its idle time.
pub async fn authenticate(
    db: &Database,
    policy: SessionPolicy,
    cookie: &str,
) -> DomainResult<Option<Session>> {
    let Some((id, secret)) = split_cookie(cookie) else {
        return Ok(None);
    };
    let hash = id_hash(id);
    let Some(row) = sessions::get(db, &hash).await? else {
        return Ok(None);
    };
    let now = now_millis();
    if now - row.last_seen_at > policy.idle_ms || now - row.created_at > policy.lifetime_ms {
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
            let text =
                std::str::from_utf8(&text).map_err(|_| DomainError::Vault(VaultError::Corrupt))?;
            Some(SecretKey::from_secret_text(text)?)
        }
        None => None,
    };
    sessions::touch(db, &hash, now).await?;
    let stage = if row.stage == "enrol" {
        Stage::Enrol
    } else {
        Stage::Full
    };
    let role = Role::parse(&user.role)?;
    Ok(Some(Session {
        id: id.to_string(),
        stage,
        actor: Actor {
            user_id: user.id,
            organisation_id: user.organisation_id,
            email: user.email,
            role,
            organisation_key,
        },
    }))
}

/// Replaces an enrolment session by a full one (a new id, as at every sign-in).
pub async fn upgrade(db: &Database, session: &Session) -> DomainResult<String> {
    let user = users::find_by_id(db, &session.actor.user_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    sessions::delete(db, &id_hash(&session.id)).await?;
    open_session_with(
        db,
        &user,
        session.actor.organisation_key.as_ref(),
        Stage::Full,
        now_millis(),
    )
    .await
}

/// The token every back-office form carries, bound to the session: a page
/// from another site cannot know it.
pub fn csrf_token(key: &InstanceKey, cookie: &str) -> Option<String> {
    let (id, _) = cookie.split_once('.')?;
    Some(hex::encode(key.derive("csrf").mac(id.as_bytes())))
}

pub async fn sign_out(ctx: Context<'_>, session: &Session) -> DomainResult<()> {
    sessions::delete(ctx.db, &id_hash(&session.id)).await?;
    let actor = &session.actor;
    audit::record(
        ctx.db,
        ctx.key,
        Entry::by(actor, Action::SignOut, "user", &actor.user_id),
    )
    .await
}

pub async fn sign_out_everywhere(ctx: Context<'_>, session: &Session) -> DomainResult<()> {
    let actor = &session.actor;
    sessions::delete_for_user(ctx.db, &actor.user_id).await?;
    audit::record(
        ctx.db,
        ctx.key,
        Entry::by(actor, Action::SignOutEverywhere, "user", &actor.user_id),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_tokens_belong_to_one_session() {
        let key = InstanceKey::from_raw([1; 32]);
        let a = csrf_token(&key, "aaaa.secret").unwrap();
        assert_eq!(a, csrf_token(&key, "aaaa.other").unwrap());
        assert_ne!(a, csrf_token(&key, "bbbb.secret").unwrap());
        assert_ne!(
            a,
            csrf_token(&InstanceKey::from_raw([2; 32]), "aaaa.secret").unwrap()
        );
        assert_eq!(csrf_token(&key, "no-dot"), None);
    }
}
