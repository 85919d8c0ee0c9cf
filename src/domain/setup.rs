//! First-run setup: the organisation, its keys, and the first administrator.
//! The setup page and `ward init` both end here.

use rand::RngCore;
use zeroize::Zeroizing;

use super::key_bindings::{self, Owner};
use super::values::{CountryCode, Email, OrganisationName, Password, Role};
use super::{Context, DomainError, DomainResult, blocking, passwords, recovery_codes, totp};
use crate::storage::organisations::{self, OrganisationRow};
use crate::storage::users::{self, UserRow};
use crate::storage::{Database, new_id, now_millis, setup_tokens};
use crate::vault::{InstanceKey, SecretKey, password};

/// How long a setup link stays valid.
pub const SETUP_LINK_LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;

pub struct SetupRequest {
    pub organisation: OrganisationName,
    pub country: CountryCode,
    pub email: Email,
    pub password: Password,
    /// The TOTP secret the administrator enrolled (base32).
    pub totp_secret: String,
}

pub struct SetupOutcome {
    pub organisation_id: String,
    pub otpauth_uri: String,
    /// Shown once; the only way back in when every password is lost.
    pub recovery_key: Zeroizing<String>,
    /// The administrator's one-time recovery codes (instead of an
    /// authenticator code, if the phone is lost), shown once.
    pub recovery_codes: Vec<String>,
}

/// Whether the first organisation exists.
pub async fn is_complete(ctx: Context<'_>) -> DomainResult<bool> {
    Ok(organisations::count(ctx.db).await? > 0)
}

/// Reporting is open once the first organisation exists: before, every
/// way in (form, follow-up, API) answers [`DomainError::NotOpen`].
pub async fn ensure_open(ctx: Context<'_>) -> DomainResult<()> {
    if is_complete(ctx).await? {
        Ok(())
    } else {
        Err(DomainError::NotOpen)
    }
}

/// Issues a new one-time setup token, valid for 24 hours, unless setup is done.
pub async fn issue_setup_token(ctx: Context<'_>) -> DomainResult<Option<String>> {
    let (db, key) = (ctx.db, ctx.key);
    if is_complete(ctx).await? {
        return Ok(None);
    }
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    setup_tokens::insert(
        db,
        &key.token_hash(&token),
        now_millis() + SETUP_LINK_LIFETIME_MS,
    )
    .await?;
    Ok(Some(token))
}

pub async fn setup_token_is_valid(ctx: Context<'_>, token: &str) -> DomainResult<bool> {
    Ok(!is_complete(ctx).await?
        && setup_tokens::is_valid(ctx.db, &ctx.key.token_hash(token), now_millis()).await?)
}

/// Creates the organisation and its first administrator in one transaction.
/// With a `token` (the setup page) the token is consumed; without (`ward init`)
/// the call succeeds only while no organisation exists.
pub async fn complete_setup(
    ctx: Context<'_>,
    token: Option<&str>,
    request: SetupRequest,
) -> DomainResult<SetupOutcome> {
    create_organisation(ctx.db, ctx.key, token, request, true).await
}

/// Adds another organisation to the instance (a hotline of another
/// country), with its own keys and first administrator. It sees nothing of
/// the other organisations, nor they of it.
pub async fn add_organisation(
    ctx: Context<'_>,
    request: SetupRequest,
) -> DomainResult<SetupOutcome> {
    create_organisation(ctx.db, ctx.key, None, request, false).await
}

async fn create_organisation(
    db: &Database,
    key: &InstanceKey,
    token: Option<&str>,
    request: SetupRequest,
    first_only: bool,
) -> DomainResult<SetupOutcome> {
    let now = now_millis();
    let otpauth_uri = totp::otpauth_uri(
        &request.totp_secret,
        request.organisation.as_str(),
        request.email.as_str(),
    )?;

    passwords::require_strong(
        &request.password,
        &[request.email.as_str(), request.organisation.as_str()],
    )?;
    // Key generation and Argon2 are slow: do them before taking any lock.
    let password = Zeroizing::new(request.password.expose().to_string());
    let (org_key, recovery_key, user_key, password_hash, sealed) = blocking(move || {
        let org_key = SecretKey::generate();
        let recovery_key = SecretKey::generate();
        let user_key = SecretKey::generate();
        let hash = passwords::hash(&password);
        let sealed = password::seal(&password, user_key.to_secret_text().as_bytes());
        (org_key, recovery_key, user_key, hash, sealed)
    })
    .await;
    let sealed_private_key = sealed?;

    let organisation = OrganisationRow {
        id: new_id(),
        name: request.organisation.as_str().to_string(),
        country: request.country.as_str().to_string(),
        public_key: org_key.public_key().to_string(),
        recovery_public_key: recovery_key.public_key().to_string(),
        recovery_wrapped_key: org_key.wrap_for(&recovery_key.public_key()),
        created_at: now,
        // The first organisation takes every report until rules say otherwise.
        covers_all_countries: i64::from(first_only),
    };
    let admin = UserRow {
        id: new_id(),
        organisation_id: organisation.id.clone(),
        email: request.email.as_str().to_string(),
        role: Role::Admin.as_str().to_string(),
        password_hash,
        totp_secret_sealed: key.seal(request.totp_secret.as_bytes()),
        public_key: user_key.public_key().to_string(),
        sealed_private_key,
        disabled: 0,
        created_at: now,
        totp_pending: 0,
    };

    let mut tx = db.begin_write().await?;
    if let Some(token) = token
        && !setup_tokens::consume(&mut tx, &key.token_hash(token), now).await?
    {
        return Err(DomainError::InvalidSetupLink);
    }
    if first_only && organisations::count_in(&mut tx).await? > 0 {
        return Err(DomainError::AlreadySetUp);
    }
    organisations::insert(&mut tx, &organisation).await?;
    users::insert(&mut tx, &admin).await?;
    let org_public = &organisation.public_key;
    key_bindings::bind(
        &mut tx,
        key,
        Owner::Organisation,
        &organisation.id,
        org_public,
    )
    .await?;
    key_bindings::bind(&mut tx, key, Owner::Member, &admin.id, &admin.public_key).await?;
    users::grant(
        &mut tx,
        &organisation.id,
        &admin.id,
        &org_key.wrap_for(&user_key.public_key()),
        now,
    )
    .await?;
    let recovery_codes = recovery_codes::issue(&mut tx, key, &admin.id).await?;
    tx.commit().await?;
    tracing::info!(organisation = %organisation.id, "setup complete");

    Ok(SetupOutcome {
        organisation_id: organisation.id,
        otpauth_uri,
        recovery_key: recovery_key.to_secret_text(),
        recovery_codes,
    })
}
