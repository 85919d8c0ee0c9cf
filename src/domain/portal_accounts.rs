//! Accounts on the authority portal: the people of a recipient (a police
//! unit, a partner hotline) whom an administrator invites, how they set up
//! a password and an authenticator, sign in, and carry a session and its
//! CSRF token. What they may then do with referrals lives in
//! `referrals::portal`. This is the portal's counterpart of the members'
//! identity code (`accounts`, `sessions`, `sign_in_guard`).
//!
//! An account has its own key pair (the private half sealed under its
//! password, as members' are); referrals for the portal are sealed to every
//! active account of the recipient, so the portal reads them without any
//! key of the organisation.

use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::domain::actor::{Actor, Permission};
use crate::domain::audit::{self, Action, Entry};
use crate::domain::change::Change;
use crate::domain::key_bindings::{self, Owner};
use crate::domain::sessions::{SessionPolicy, new_cookie_parts, split_cookie};
use crate::domain::sign_in_guard::{self, MAX_ATTEMPTS};
use crate::domain::values::{Email, Password};
use crate::domain::{Context, DomainError, DomainResult, accounts, blocking, passwords, totp};
use crate::storage::portal::{self, PortalAccountRow, PortalSessionRow};
use crate::storage::sign_in_attempts::Accounts;
use crate::storage::{Database, new_id, now_millis, organisations, recipients};
use crate::vault::{InstanceKey, PublicKey, SecretKey, VaultError, password};

/// How long an invitation to the portal stays valid.
pub const INVITATION_LIFETIME_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// The public keys of a recipient's active accounts (those that accepted
/// their invitation), each checked against its binding.
pub async fn recipient_keys(ctx: Context<'_>, recipient_id: &str) -> DomainResult<Vec<PublicKey>> {
    let mut keys = Vec::new();
    for account in portal::for_recipient(ctx.db, recipient_id).await? {
        let (0, Some(public_key)) = (account.disabled, &account.public_key) else {
            continue;
        };
        let organisation = &account.organisation_id;
        let owner = Owner::PortalAccount;
        key_bindings::check(
            ctx.db,
            ctx.key,
            organisation,
            owner,
            &account.id,
            public_key,
        )
        .await?;
        keys.push(PublicKey::parse(public_key)?);
    }
    Ok(keys)
}

// ---- The organisation's side: accounts for a recipient.

/// A person's account on the portal, as the organisation's administrators see it.
pub struct PortalAccount {
    pub id: String,
    pub email: String,
    pub disabled: bool,
    /// Has accepted the invitation (chosen a password, made a key).
    pub set_up: bool,
}

/// A recipient's accounts, for the organisation's administrators.
pub async fn accounts_of(
    ctx: Context<'_>,
    actor: &Actor,
    recipient_id: &str,
) -> DomainResult<Vec<PortalAccount>> {
    actor.require(Permission::ManageDirectory)?;
    let recipient = crate::domain::recipients::get(ctx, actor, recipient_id).await?;
    let rows = portal::for_recipient(ctx.db, &recipient.id).await?;
    Ok(rows
        .into_iter()
        .map(|a| PortalAccount {
            set_up: a.public_key.is_some(),
            disabled: a.disabled != 0,
            id: a.id,
            email: a.email,
        })
        .collect())
}

/// Invites a person of a recipient to the portal; returns the one-time token.
pub async fn invite(
    ctx: Context<'_>,
    actor: &Actor,
    recipient_id: &str,
    email: &str,
) -> DomainResult<String> {
    actor.require(Permission::ManageDirectory)?;
    let recipient = crate::domain::recipients::get(ctx, actor, recipient_id).await?;
    let email = Email::parse(email)?;
    if portal::by_email(ctx.db, email.as_str()).await?.is_some() {
        return Err(DomainError::invalid("email", "invalid-email-taken"));
    }
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = now_millis();
    let account = PortalAccountRow {
        id: new_id(),
        organisation_id: actor.organisation_id.clone(),
        recipient_id: recipient.id.clone(),
        email: email.as_str().into(),
        password_hash: String::new(),
        totp_secret_sealed: None,
        public_key: None,
        sealed_private_key: None,
        disabled: 0,
        failed_sign_ins: 0,
        locked_until: None,
        last_totp_step: None,
        created_at: now,
    };
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    portal::insert(&mut tx, &account).await?;
    portal::insert_invitation(
        &mut tx,
        &token_hash(ctx.key, &token),
        &account.id,
        now + INVITATION_LIFETIME_MS,
    )
    .await?;
    let entry = Entry::by(
        actor,
        Action::PortalAccountInvited,
        "recipient",
        &recipient.id,
    )
    .with_detail(email.as_str().to_string());
    tx.record(entry).await?;
    tx.commit().await?;
    Ok(token)
}

/// Stops an account from signing in (ending its sessions), or lets it again.
pub async fn set_disabled(
    ctx: Context<'_>,
    actor: &Actor,
    account_id: &str,
    disabled: bool,
) -> DomainResult<()> {
    actor.require(Permission::ManageDirectory)?;
    let account = portal::by_id(ctx.db, account_id)
        .await?
        .filter(|a| a.organisation_id == actor.organisation_id)
        .ok_or(DomainError::NotFound)?;
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    portal::set_disabled(&mut tx, &account.id, disabled).await?;
    let entry = Entry::by(
        actor,
        Action::RecipientChanged,
        "recipient",
        &account.recipient_id,
    )
    .with_detail(format!(
        "portal account {} {}",
        account.email,
        if disabled { "disabled" } else { "enabled" }
    ));
    tx.record(entry).await?;
    tx.commit().await?;
    Ok(())
}

fn token_hash(key: &InstanceKey, token: &str) -> String {
    key.token_hash(&format!("portal invitation\0{token}"))
}

// ---- The recipient's side.

/// What the invitation page shows: (e-mail, recipient, organisation).
pub async fn invitation(ctx: Context<'_>, token: &str) -> DomainResult<(String, String, String)> {
    let account = invited_account(ctx, token).await?;
    let recipient = recipients::get(ctx.db, &account.organisation_id, &account.recipient_id)
        .await?
        .ok_or(DomainError::InvalidLink)?;
    let organisation = organisations::get(ctx.db, &account.organisation_id)
        .await?
        .ok_or(DomainError::InvalidLink)?;
    Ok((account.email, recipient.name, organisation.name))
}

async fn invited_account(ctx: Context<'_>, token: &str) -> DomainResult<PortalAccountRow> {
    if token.len() > 100 {
        return Err(DomainError::InvalidLink);
    }
    let id = portal::invitation(ctx.db, &token_hash(ctx.key, token), now_millis())
        .await?
        .ok_or(DomainError::InvalidLink)?;
    portal::by_id(ctx.db, &id)
        .await?
        .ok_or(DomainError::InvalidLink)
}

/// Sets up an invited account: password, key pair and authenticator.
pub async fn accept(
    ctx: Context<'_>,
    token: &str,
    new_password: Password,
    totp_secret: &str,
    code: &str,
) -> DomainResult<()> {
    let account = invited_account(ctx, token).await?;
    let step = totp::verify_step(totp_secret, code)
        .ok_or_else(|| DomainError::invalid("totp_code", "invalid-totp-code"))?;
    let (key, hash, sealed) = accounts::seal_new_key_pair(new_password).await?;
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    if !portal::consume_invitation(&mut tx, &token_hash(ctx.key, token), now_millis()).await? {
        return Err(DomainError::InvalidLink);
    }
    let public = key.public_key().to_string();
    portal::set_credentials(
        &mut tx,
        &account.id,
        &hash,
        &ctx.key.seal(totp_secret.as_bytes()),
        &public,
        &sealed,
        step as i64,
    )
    .await?;
    key_bindings::bind(&mut tx, ctx.key, Owner::PortalAccount, &account.id, &public).await?;
    tx.record(Entry {
        organisation_id: Some(&account.organisation_id),
        actor_user_id: None,
        actor: &account.email,
        action: Action::InvitationAccepted,
        object_type: Some("recipient"),
        object_id: Some(&account.recipient_id),
        detail: Some("portal account".into()),
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A signed-in person of a recipient.
pub struct PortalSession {
    pub id: String,
    pub account: PortalAccountRow,
    pub key: SecretKey,
}

fn session_hash(id: &str) -> String {
    hex::encode(Sha256::digest(
        format!("ward portal session v1\0{id}").as_bytes(),
    ))
}

/// The token every portal form carries, bound to the session.
pub fn csrf_token(key: &InstanceKey, cookie: &str) -> Option<String> {
    let (id, _) = cookie.split_once('.')?;
    Some(hex::encode(key.derive("portal csrf").mac(id.as_bytes())))
}

/// Checks password and authenticator code; returns the session cookie's
/// value. Attempts are counted and refusals look alike as in the back
/// office (see `sign_in_guard`).
pub async fn sign_in(
    ctx: Context<'_>,
    email: &Email,
    password_text: &Password,
    code: &str,
) -> DomainResult<String> {
    sign_in_guard::answer(attempt_sign_in(ctx, email, password_text, code)).await
}

async fn attempt_sign_in(
    ctx: Context<'_>,
    email: &Email,
    password_text: &Password,
    code: &str,
) -> DomainResult<String> {
    let now = now_millis();
    let account = portal::by_email(ctx.db, email.as_str()).await?;
    // The step of the code, if right: it lets the account through a lock.
    let code_step = account
        .as_ref()
        .and_then(|a| a.totp_secret_sealed.as_ref())
        .and_then(|s| ctx.key.open(s).ok())
        .and_then(|s| String::from_utf8(s.to_vec()).ok())
        .and_then(|secret| totp::verify_step(&secret, code))
        .map(|s| s as i64);
    let id = account.as_ref().map(|a| a.id.as_str());
    let accounts = Accounts::PortalAccounts;
    let attempt = sign_in_guard::take_attempt_for(ctx, accounts, id, email.as_str(), code_step)
        .await?
        .number;
    // One Argon2 run, against a dummy hash for unknown addresses and for
    // accounts that have not chosen a password yet.
    let phc = account
        .as_ref()
        .filter(|a| !a.password_hash.is_empty())
        .map(|a| a.password_hash.clone());
    let pw = Zeroizing::new(password_text.expose().to_string());
    let password_right = blocking(move || passwords::verify(&pw, phc.as_deref())).await;
    let Some(account) = account else {
        sign_in_guard::unknown_address_failed(ctx, Action::PortalSignInFailed).await?;
        return Err(DomainError::WrongCredentials);
    };
    let step = code_step.filter(|s| account.last_totp_step.is_none_or(|last| *s > last));
    let organisation_id = account.organisation_id.clone();
    let entry = |action| Entry {
        organisation_id: Some(&organisation_id),
        actor_user_id: None,
        actor: &account.email,
        action,
        object_type: Some("recipient"),
        object_id: Some(&account.recipient_id),
        detail: None,
    };
    let sealed = account.sealed_private_key.clone();
    let (true, false, Some(step), Some(sealed)) =
        (password_right, account.disabled != 0, step, sealed)
    else {
        let detail = attempt.map(|n| format!("attempt {n} of {MAX_ATTEMPTS} in 15 minutes"));
        let failed = Entry {
            detail,
            ..entry(Action::PortalSignInFailed)
        };
        audit::record(ctx.db, ctx.key, failed).await?;
        return Err(DomainError::WrongCredentials);
    };
    // Everything was right: only now is the account's key opened (a second Argon2 run).
    let pw = Zeroizing::new(password_text.expose().to_string());
    let opened = blocking(move || password::open(&pw, &sealed)).await;
    let private = SecretKey::from_secret_text(
        std::str::from_utf8(&opened?).map_err(|_| DomainError::Vault(VaultError::Corrupt))?,
    )?;
    portal::record_success(ctx.db, &account.id, step).await?;
    let (id, secret) = new_cookie_parts();
    portal::insert_session(
        ctx.db,
        &PortalSessionRow {
            id_hash: session_hash(&id),
            account_id: account.id.clone(),
            sealed_private_key: InstanceKey::from_raw(*secret)
                .seal(private.to_secret_text().as_bytes()),
            created_at: now,
            last_seen_at: now,
        },
    )
    .await?;
    audit::record(ctx.db, ctx.key, entry(Action::PortalSignIn)).await?;
    Ok(crate::domain::sessions::cookie_value(&id, &secret))
}

/// The session of a cookie, if it is genuine and alive; renews its idle time.
pub async fn authenticate(
    db: &Database,
    policy: SessionPolicy,
    cookie: &str,
) -> DomainResult<Option<PortalSession>> {
    let Some((id, secret)) = split_cookie(cookie) else {
        return Ok(None);
    };
    let hash = session_hash(id);
    let Some(row) = portal::session(db, &hash).await? else {
        return Ok(None);
    };
    let now = now_millis();
    if now - row.last_seen_at > policy.idle_ms || now - row.created_at > policy.lifetime_ms {
        portal::delete_session(db, &hash).await?;
        return Ok(None);
    }
    let Some(account) = portal::by_id(db, &row.account_id)
        .await?
        .filter(|a| a.disabled == 0)
    else {
        portal::delete_session(db, &hash).await?;
        return Ok(None);
    };
    let Ok(text) = InstanceKey::from_raw(secret).open(&row.sealed_private_key) else {
        return Ok(None);
    };
    let text = std::str::from_utf8(&text).map_err(|_| DomainError::Vault(VaultError::Corrupt))?;
    let key = SecretKey::from_secret_text(text)?;
    portal::touch_session(db, &hash, now).await?;
    Ok(Some(PortalSession {
        id: id.to_string(),
        account,
        key,
    }))
}

pub async fn sign_out(ctx: Context<'_>, session: &PortalSession) -> DomainResult<()> {
    Ok(portal::delete_session(ctx.db, &session_hash(&session.id)).await?)
}
