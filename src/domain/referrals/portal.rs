//! The authority portal: people of a recipient (a police unit, a partner
//! hotline) sign in with a password and an authenticator, see the referrals
//! addressed to their recipient and nothing else, download them,
//! acknowledge receipt and record the outcome. Every view and download is
//! recorded in the referring organisation's audit log.
//!
//! An account has its own key pair (the private half sealed under its
//! password, as members' are); referrals for the portal are sealed to every
//! active account of the recipient, so the portal reads them without any
//! key of the organisation.

use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::document::ReferralDocument;
use super::{Outcome, State, open_sealed, package, package_files, sealed_note};
use crate::domain::actor::{Actor, Permission};
use crate::domain::audit::{self, Action, Entry};
use crate::domain::change::Change;
use crate::domain::key_bindings::{self, Owner};
use crate::domain::sessions::{SessionPolicy, new_cookie_parts, split_cookie};
use crate::domain::sign_in_guard::{self, MAX_ATTEMPTS};
use crate::domain::values::{Email, Password};
use crate::domain::{Context, DomainError, DomainResult, accounts, blocking, passwords, totp};
use crate::storage::portal::{self, PortalAccountRow, PortalSessionRow};
use crate::storage::referrals::{self, ReferralRow};
use crate::storage::sign_in_attempts::Accounts;
use crate::storage::{Database, new_id, now_millis, organisations, recipients};
use crate::vault::{InstanceKey, PublicKey, SecretKey, VaultError, password};

/// How long an invitation to the portal stays valid.
pub const INVITATION_LIFETIME_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// Where a portal copy of a referral's file lives in the file store.
pub fn copy_key(organisation_id: &str, referral_id: &str, attachment_id: &str) -> String {
    format!("referral-files/{organisation_id}/{referral_id}/{attachment_id}")
}

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
    let recipient = super::super::recipients::get(ctx, actor, recipient_id).await?;
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
    let recipient = super::super::recipients::get(ctx, actor, recipient_id).await?;
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

/// Where a referral stands, as its recipient sees it (times in milliseconds).
pub struct Standing {
    pub id: String,
    /// One of the referral states (`sent`, `acknowledged`, …).
    pub state: String,
    pub sent_at: Option<i64>,
    pub due_at: Option<i64>,
    pub acknowledged_at: Option<i64>,
    /// One of [`super::Outcome`]'s codes.
    pub outcome: Option<String>,
}

impl From<&ReferralRow> for Standing {
    fn from(row: &ReferralRow) -> Self {
        Self {
            id: row.id.clone(),
            state: row.state.clone(),
            sent_at: row.sent_at,
            due_at: row.due_at,
            acknowledged_at: row.acknowledged_at,
            outcome: row.outcome.clone(),
        }
    }
}

/// A referral as the portal lists it.
pub struct PortalReferral {
    pub standing: Standing,
    /// `None` when the referral was sealed before this account existed.
    pub document: Option<ReferralDocument>,
}

/// The referrals addressed to the session's recipient, newest first.
pub async fn list(ctx: Context<'_>, session: &PortalSession) -> DomainResult<Vec<PortalReferral>> {
    let rows = referrals::for_recipient(ctx.db, &session.account.recipient_id).await?;
    Ok(rows
        .into_iter()
        .map(|row| PortalReferral {
            document: open_sealed(&session.key, &row).ok().map(|s| s.document),
            standing: Standing::from(&row),
        })
        .collect())
}

/// One referral addressed to the session's recipient; any other is not found.
async fn addressed(
    ctx: Context<'_>,
    session: &PortalSession,
    id: &str,
) -> DomainResult<ReferralRow> {
    referrals::get_for_recipient(ctx.db, &session.account.recipient_id, id)
        .await?
        .ok_or(DomainError::NotFound)
}

fn entry<'a>(session: &'a PortalSession, row: &'a ReferralRow, action: Action) -> Entry<'a> {
    Entry {
        organisation_id: Some(&row.organisation_id),
        actor_user_id: None,
        actor: &session.account.email,
        action,
        object_type: Some("report"),
        object_id: Some(&row.report_id),
        detail: Some(format!("portal: {}", row.id)),
    }
}

/// A referral's document, for reading in the portal; recorded.
pub async fn view(
    ctx: Context<'_>,
    session: &PortalSession,
    id: &str,
) -> DomainResult<(Standing, ReferralDocument)> {
    let row = addressed(ctx, session, id).await?;
    let sealed = open_sealed(&session.key, &row).map_err(|_| DomainError::NoAccess)?;
    audit::record(
        ctx.db,
        ctx.key,
        entry(session, &row, Action::ReferralViewed),
    )
    .await?;
    Ok((Standing::from(&row), sealed.document))
}

/// A referral's package as a ZIP archive; recorded.
pub async fn download(
    ctx: Context<'_>,
    session: &PortalSession,
    id: &str,
) -> DomainResult<(String, Vec<u8>)> {
    let row = addressed(ctx, session, id).await?;
    let (doc, files) = package_files(ctx, None, &session.key, &row)
        .await
        .map_err(|_| DomainError::NoAccess)?;
    let zip = package::zip(&files)?;
    audit::record(
        ctx.db,
        ctx.key,
        entry(session, &row, Action::ReferralDownloaded),
    )
    .await?;
    Ok((format!("referral-{}.zip", doc.case.reference), zip))
}

/// The recipient says the referral arrived.
pub async fn acknowledge(ctx: Context<'_>, session: &PortalSession, id: &str) -> DomainResult<()> {
    let row = addressed(ctx, session, id).await?;
    if row.state != State::Sent.as_str() {
        return Ok(());
    }
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    referrals::mark_acknowledged(&mut tx, &row.id, now_millis()).await?;
    tx.record(entry(session, &row, Action::ReferralAcknowledged))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The recipient says what became of the referral, with an optional note.
pub async fn record_outcome(
    ctx: Context<'_>,
    session: &PortalSession,
    id: &str,
    outcome: &str,
    note: &str,
) -> DomainResult<()> {
    let row = addressed(ctx, session, id).await?;
    let outcome =
        Outcome::parse(outcome).ok_or_else(|| DomainError::invalid("outcome", "invalid-option"))?;
    let own = session.key.public_key();
    let sealed = sealed_note(ctx, &row.organisation_id, note, std::slice::from_ref(&own)).await?;
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    referrals::record_outcome(
        &mut tx,
        &row.id,
        outcome.as_str(),
        sealed.as_deref(),
        now_millis(),
    )
    .await?;
    let mut e = entry(session, &row, Action::ReferralOutcome);
    e.detail = Some(format!("portal: {}: {}", row.id, outcome.as_str()));
    tx.record(e).await?;
    tx.commit().await?;
    Ok(())
}
