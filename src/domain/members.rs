//! Administrators manage their organisation's members: invitations by
//! one-time link, roles, disabling and enabling, and resets of a password or
//! of the second factor. Members renew their own recovery codes and enrol a
//! new authenticator after a reset.
//!
//! A link carries the organisation's key sealed under a key derived from the
//! link's token (the database keeps a keyed hash of the token only), so the
//! person who opens it gets access without any administrator being signed
//! in at that moment, and a copy of the database opens nothing.

use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::actor::{Actor, Permission};
use super::audit::{self, Action, Entry};
use super::change::Change;
use super::key_bindings::{self, Owner};
use super::sessions::{self, Session};
use super::values::{Email, Password, Role};
use super::{Context, DomainError, DomainResult, accounts, recovery_codes, sign_in_guard, totp};
use crate::storage::invitations::{self, InvitationRow};
use crate::storage::sign_in_attempts::Accounts;
use crate::storage::users::{self, MemberRow, UserRow};
use crate::storage::{StorageError, new_id, now_millis, organisations, sessions as session_rows};
use crate::vault::{InstanceKey, PublicKey, SecretKey, VaultError};

/// How long an invitation stays valid.
pub const INVITATION_LIFETIME_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// How long a password-reset link stays valid.
pub const RESET_LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;

/// A link an administrator passes on (or Ward e-mails).
pub struct IssuedLink {
    pub token: String,
    pub email: String,
    pub kind: LinkKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    Invitation,
    PasswordReset,
}

impl LinkKind {
    fn as_str(self) -> &'static str {
        match self {
            LinkKind::Invitation => "invite",
            LinkKind::PasswordReset => "reset",
        }
    }
}

/// What the page behind a link shows before it is used.
pub struct LinkDetails {
    pub kind: LinkKind,
    pub email: String,
    pub organisation: String,
}

/// A member, as the organisation's administrators see them.
pub struct MemberSummary {
    pub id: String,
    pub email: String,
    /// A role code (`role-<code>` names it).
    pub role: String,
    pub disabled: bool,
    /// Has not set up an authenticator yet.
    pub totp_pending: bool,
    /// Holds a grant to the organisation's key.
    pub has_access: bool,
    pub public_key: String,
}

impl From<MemberRow> for MemberSummary {
    fn from(row: MemberRow) -> Self {
        Self {
            id: row.id,
            email: row.email,
            role: row.role,
            disabled: row.disabled != 0,
            totp_pending: row.totp_pending != 0,
            has_access: row.has_access != 0,
            public_key: row.public_key,
        }
    }
}

/// An invitation not used yet: never its token's hash nor the key it carries.
pub struct PendingInvitation {
    pub email: String,
    pub role: String,
    pub expires_at: i64,
}

/// The members of the organisation and its open invitations.
pub async fn list(
    ctx: Context<'_>,
    actor: &Actor,
) -> DomainResult<(Vec<MemberSummary>, Vec<PendingInvitation>)> {
    actor.require(Permission::ManageUsers)?;
    let members = users::members(ctx.db, &actor.organisation_id).await?;
    let pending = invitations::pending(ctx.db, &actor.organisation_id, now_millis()).await?;
    Ok((
        members.into_iter().map(MemberSummary::from).collect(),
        pending
            .into_iter()
            .map(|i| PendingInvitation {
                email: i.email,
                role: i.role,
                expires_at: i.expires_at,
            })
            .collect(),
    ))
}

/// Invites a new member: a one-time link valid for a week.
pub async fn invite(
    ctx: Context<'_>,
    actor: &Actor,
    email: &str,
    role: &str,
) -> DomainResult<IssuedLink> {
    actor.require(Permission::ManageUsers)?;
    let (email, role) = match (Email::parse(email), Role::parse(role)) {
        (Ok(email), Ok(role)) => (email, role),
        (email, role) => {
            let errors = [email.err(), role.err()].into_iter().flatten();
            return Err(DomainError::collect(errors).unwrap_or(DomainError::Forbidden));
        }
    };
    if users::find_by_email(ctx.db, email.as_str())
        .await?
        .is_some()
    {
        return Err(DomainError::invalid("email", "invalid-email-taken"));
    }
    issue_link(ctx, actor, LinkKind::Invitation, &email, role, None).await
}

/// A one-time link with which a member sets a new password, keeping access.
pub async fn issue_password_reset(
    ctx: Context<'_>,
    actor: &Actor,
    user_id: &str,
) -> DomainResult<IssuedLink> {
    actor.require(Permission::ManageUsers)?;
    let user = member(ctx, actor, user_id).await?;
    let email = Email::parse(&user.email)?;
    let role = Role::parse(&user.role)?;
    issue_link(
        ctx,
        actor,
        LinkKind::PasswordReset,
        &email,
        role,
        Some(&user.id),
    )
    .await
}

async fn issue_link(
    ctx: Context<'_>,
    actor: &Actor,
    kind: LinkKind,
    email: &Email,
    role: Role,
    user_id: Option<&str>,
) -> DomainResult<IssuedLink> {
    let org_key = actor.key()?;
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = now_millis();
    let lifetime = match kind {
        LinkKind::Invitation => INVITATION_LIFETIME_MS,
        LinkKind::PasswordReset => RESET_LIFETIME_MS,
    };
    let row = InvitationRow {
        token_hash: ctx.key.token_hash(&token),
        organisation_id: actor.organisation_id.clone(),
        kind: kind.as_str().into(),
        email: email.as_str().into(),
        role: role.as_str().into(),
        user_id: user_id.map(str::to_string),
        sealed_org_key: link_key(&token).seal(org_key.to_secret_text().as_bytes()),
        created_by: actor.user_id.clone(),
        created_at: now,
        expires_at: now + lifetime,
        used_at: None,
    };
    let (action, object_type, object_id) = match user_id {
        Some(id) => (Action::PasswordResetIssued, "user", id.to_string()),
        None => (
            Action::UserInvited,
            "invitation",
            email.as_str().to_string(),
        ),
    };
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    invitations::withdraw_for(&mut tx, &actor.organisation_id, email.as_str(), now).await?;
    invitations::insert(&mut tx, &row).await?;
    let entry = Entry::by(actor, action, object_type, &object_id).with_detail(match kind {
        LinkKind::Invitation => format!("role: {}", role.as_str()),
        LinkKind::PasswordReset => format!("for {}", email.as_str()),
    });
    tx.record(entry).await?;
    tx.commit().await?;
    Ok(IssuedLink {
        token,
        email: email.as_str().to_string(),
        kind,
    })
}

/// The key that seals the organisation's key inside a link (the token has 192 random bits).
fn link_key(token: &str) -> InstanceKey {
    InstanceKey::from_raw(Sha256::digest(format!("ward link key v1\0{token}").as_bytes()).into())
}

async fn valid_link(ctx: Context<'_>, token: &str) -> DomainResult<InvitationRow> {
    if token.len() > 100 {
        return Err(DomainError::InvalidLink);
    }
    invitations::find_valid(ctx.db, &ctx.key.token_hash(token), now_millis())
        .await?
        .ok_or(DomainError::InvalidLink)
}

/// What a link is for, while it is valid.
pub async fn link_details(ctx: Context<'_>, token: &str) -> DomainResult<LinkDetails> {
    let link = valid_link(ctx, token).await?;
    let organisation = organisations::get(ctx.db, &link.organisation_id)
        .await?
        .ok_or(DomainError::InvalidLink)?;
    Ok(LinkDetails {
        kind: if link.kind == "reset" {
            LinkKind::PasswordReset
        } else {
            LinkKind::Invitation
        },
        email: link.email,
        organisation: organisation.name,
    })
}

fn opened_org_key(link: &InvitationRow, token: &str) -> DomainResult<SecretKey> {
    let text = link_key(token).open(&link.sealed_org_key)?;
    let text = std::str::from_utf8(&text).map_err(|_| DomainError::Vault(VaultError::Corrupt))?;
    Ok(SecretKey::from_secret_text(text)?)
}

/// Creates the invited member: password, authenticator and access to the
/// organisation's key. Returns the recovery codes, shown once.
pub async fn accept_invitation(
    ctx: Context<'_>,
    token: &str,
    new_password: Password,
    totp_secret: &str,
    totp_code: &str,
) -> DomainResult<Vec<String>> {
    let link = valid_link(ctx, token).await?;
    if link.kind != "invite" {
        return Err(DomainError::InvalidLink);
    }
    let step = totp::verify_step(totp_secret, totp_code)
        .ok_or_else(|| DomainError::invalid("totp_code", "invalid-totp-code"))?;
    let org_key = opened_org_key(&link, token)?;
    let (user_key, hash, sealed) = accounts::seal_new_key_pair(new_password).await?;
    let now = now_millis();
    let user = UserRow {
        id: new_id(),
        organisation_id: link.organisation_id.clone(),
        email: link.email.clone(),
        role: link.role.clone(),
        password_hash: hash,
        totp_secret_sealed: ctx.key.seal(totp_secret.as_bytes()),
        public_key: user_key.public_key().to_string(),
        sealed_private_key: sealed,
        disabled: 0,
        created_at: now,
        totp_pending: 0,
    };
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    if !invitations::consume(&mut tx, &link.token_hash, now).await? {
        return Err(DomainError::InvalidLink);
    }
    users::insert(&mut tx, &user).await.map_err(|e| match e {
        StorageError::Conflict => DomainError::invalid("email", "invalid-email-taken"),
        other => other.into(),
    })?;
    key_bindings::bind(&mut tx, ctx.key, Owner::Member, &user.id, &user.public_key).await?;
    users::set_totp(
        &mut tx,
        &user.id,
        &user.totp_secret_sealed,
        false,
        Some(step as i64),
    )
    .await?;
    let wrapped = org_key.wrap_for(&user_key.public_key());
    users::grant(&mut tx, &user.organisation_id, &user.id, &wrapped, now).await?;
    let codes = recovery_codes::issue(&mut tx, ctx.key, &user.id).await?;
    let entry = Entry {
        organisation_id: Some(&user.organisation_id),
        actor_user_id: Some(&user.id),
        actor: &user.email,
        action: Action::InvitationAccepted,
        object_type: Some("user"),
        object_id: Some(&user.id),
        detail: Some(format!("role: {}", user.role)),
    };
    tx.record(entry).await?;
    tx.commit().await?;
    Ok(codes)
}

/// Sets a member's new password from a reset link: a new key pair, granted
/// the organisation's key again, so old reports stay readable. Every session
/// of the member ends.
pub async fn accept_reset(
    ctx: Context<'_>,
    token: &str,
    new_password: Password,
) -> DomainResult<()> {
    let link = valid_link(ctx, token).await?;
    let user_id = link.user_id.as_deref().filter(|_| link.kind == "reset");
    let user = match user_id {
        Some(id) => users::find_in_organisation(ctx.db, &link.organisation_id, id).await?,
        None => None,
    }
    .ok_or(DomainError::InvalidLink)?;
    let org_key = opened_org_key(&link, token)?;
    let (user_key, hash, sealed) = accounts::seal_new_key_pair(new_password).await?;
    let now = now_millis();
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    if !invitations::consume(&mut tx, &link.token_hash, now).await? {
        return Err(DomainError::InvalidLink);
    }
    let public = user_key.public_key().to_string();
    users::update_credentials(&mut tx, &user.id, &hash, &public, &sealed).await?;
    key_bindings::bind(&mut tx, ctx.key, Owner::Member, &user.id, &public).await?;
    let wrapped = org_key.wrap_for(&user_key.public_key());
    users::grant(&mut tx, &user.organisation_id, &user.id, &wrapped, now).await?;
    session_rows::delete_for_user_in(&mut tx, &user.id).await?;
    session_rows::clear_failures(&mut tx, &user.id).await?;
    let entry = Entry {
        organisation_id: Some(&user.organisation_id),
        actor_user_id: Some(&user.id),
        actor: &user.email,
        action: Action::PasswordReset,
        object_type: Some("user"),
        object_id: Some(&user.id),
        detail: None,
    };
    tx.record(entry).await?;
    tx.commit().await?;
    Ok(())
}

/// A member of the administrator's organisation; another's is not found.
async fn member(ctx: Context<'_>, actor: &Actor, user_id: &str) -> DomainResult<UserRow> {
    users::find_in_organisation(ctx.db, &actor.organisation_id, user_id)
        .await?
        .ok_or(DomainError::NotFound)
}

/// Someone else: administrators do not disable or demote themselves, so an
/// organisation always keeps an administrator who can sign in.
async fn other_member(ctx: Context<'_>, actor: &Actor, user_id: &str) -> DomainResult<UserRow> {
    let user = member(ctx, actor, user_id).await?;
    if user.id == actor.user_id {
        return Err(DomainError::invalid("user", "invalid-self"));
    }
    Ok(user)
}

/// The fingerprint of the member's own key, which they read to an
/// administrator who approves their access.
pub async fn key_fingerprint(ctx: Context<'_>, actor: &Actor) -> DomainResult<String> {
    let user = users::find_by_id(ctx.db, &actor.user_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    Ok(PublicKey::parse(&user.public_key)?.fingerprint())
}

/// Gives an active member without access the organisation's key, wrapped
/// to their public key. Never automatic: an administrator approves each
/// member, having compared the key's fingerprint with the member's own
/// (shown on the member's account page); `fingerprint` is the one the
/// administrator saw, and a key that changed since is refused.
pub async fn approve_access(
    ctx: Context<'_>,
    actor: &Actor,
    user_id: &str,
    fingerprint: &str,
) -> DomainResult<()> {
    actor.require(Permission::ManageUsers)?;
    let org_key = actor
        .organisation_key
        .as_ref()
        .ok_or(DomainError::NoAccess)?;
    let user = other_member(ctx, actor, user_id).await?;
    if user.disabled != 0 {
        return Err(DomainError::invalid("user", "invalid-user-disabled"));
    }
    let public_key = PublicKey::parse(&user.public_key)?;
    if public_key.fingerprint() != fingerprint.trim() {
        return Err(DomainError::invalid(
            "fingerprint",
            "invalid-fingerprint-changed",
        ));
    }
    key_bindings::check(
        ctx.db,
        ctx.key,
        &user.organisation_id,
        Owner::Member,
        &user.id,
        &user.public_key,
    )
    .await?;
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    let wrapped = org_key.wrap_for(&public_key);
    users::grant(
        &mut tx,
        &user.organisation_id,
        &user.id,
        &wrapped,
        now_millis(),
    )
    .await?;
    let entry = Entry::by(actor, Action::AccessApproved, "user", &user.id)
        .with_detail(format!("key fingerprint: {}", public_key.fingerprint()));
    tx.record(entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Stops a member from signing in (ending their sessions), or lets them again.
pub async fn set_disabled(
    ctx: Context<'_>,
    actor: &Actor,
    user_id: &str,
    disabled: bool,
) -> DomainResult<()> {
    actor.require(Permission::ManageUsers)?;
    let user = other_member(ctx, actor, user_id).await?;
    if (user.disabled != 0) == disabled {
        return Ok(());
    }
    let entry = Entry::by(actor, disabling(disabled), "user", &user.id);
    change_disabled(ctx.db, ctx.key, &user.id, disabled, entry).await
}

/// The same change from the command line: the machine's operator needs no
/// role, and the audit log names "command line" as the actor.
pub async fn set_disabled_from_command_line(
    db: &crate::storage::Database,
    key: &InstanceKey,
    email: &Email,
    disabled: bool,
) -> DomainResult<()> {
    let user = users::find_by_email(db, email.as_str())
        .await?
        .ok_or(DomainError::NotFound)?;
    let entry =
        Entry::by_command_line(&user.organisation_id, disabling(disabled), "user", &user.id);
    change_disabled(db, key, &user.id, disabled, entry).await
}

fn disabling(disabled: bool) -> Action {
    if disabled {
        Action::UserDisabled
    } else {
        Action::UserEnabled
    }
}

/// The change and its audit entry, in one transaction.
async fn change_disabled(
    db: &crate::storage::Database,
    key: &InstanceKey,
    user_id: &str,
    disabled: bool,
    entry: Entry<'_>,
) -> DomainResult<()> {
    let mut tx = Change::begin(db, key).await?;
    users::set_disabled_by_id(&mut tx, user_id, disabled).await?;
    if disabled {
        // A disabled member loses their sessions and their grant: enabled
        // again, they wait for an administrator's approval.
        session_rows::delete_for_user_in(&mut tx, user_id).await?;
        users::revoke_grant(&mut tx, user_id).await?;
    }
    tx.record(entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Changes a member's role.
pub async fn change_role(
    ctx: Context<'_>,
    actor: &Actor,
    user_id: &str,
    role: &str,
) -> DomainResult<()> {
    actor.require(Permission::ManageUsers)?;
    let role = Role::parse(role)?;
    let user = other_member(ctx, actor, user_id).await?;
    if user.role == role.as_str() {
        return Ok(());
    }
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    users::set_role(&mut tx, &user.id, role.as_str()).await?;
    let entry = Entry::by(actor, Action::RoleChanged, "user", &user.id).with_detail(format!(
        "{} → {}",
        user.role,
        role.as_str()
    ));
    tx.record(entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Makes a member enrol a new authenticator at their next sign-in (their
/// phone was lost): the old secret and recovery codes stop working and
/// their sessions end.
pub async fn reset_second_factor(
    ctx: Context<'_>,
    actor: &Actor,
    user_id: &str,
) -> DomainResult<()> {
    actor.require(Permission::ManageUsers)?;
    let user = member(ctx, actor, user_id).await?;
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    let placeholder = ctx.key.seal(totp::new_secret().as_bytes());
    users::set_totp(&mut tx, &user.id, &placeholder, true, None).await?;
    crate::storage::recovery_codes::replace(&mut tx, &user.id, &[]).await?;
    session_rows::delete_for_user_in(&mut tx, &user.id).await?;
    tx.record(Entry::by(
        actor,
        Action::SecondFactorReset,
        "user",
        &user.id,
    ))
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Enrols a new authenticator for a member signed in for enrolment only;
/// returns the new session's cookie and the new recovery codes.
pub async fn enrol(
    ctx: Context<'_>,
    session: &Session,
    totp_secret: &str,
    code: &str,
) -> DomainResult<(String, Vec<String>)> {
    let step = totp::verify_step(totp_secret, code)
        .ok_or_else(|| DomainError::invalid("totp_code", "invalid-totp-code"))?;
    let actor = &session.actor;
    let sealed = ctx.key.seal(totp_secret.as_bytes());
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    users::set_totp(&mut tx, &actor.user_id, &sealed, false, Some(step as i64)).await?;
    let codes = recovery_codes::issue(&mut tx, ctx.key, &actor.user_id).await?;
    tx.record(Entry::by(
        actor,
        Action::SecondFactorEnrolled,
        "user",
        &actor.user_id,
    ))
    .await?;
    tx.commit().await?;
    let cookie = sessions::upgrade(ctx.db, session).await?;
    Ok((cookie, codes))
}

/// New recovery codes for the member (the old ones stop working), after
/// the member typed their password again: a session left open on a shared
/// computer must not be enough to take over the account's second factor.
/// A wrong password takes one of the account's sign-in attempts and gets
/// the same answer as a refused sign-in.
pub async fn renew_recovery_codes(
    ctx: Context<'_>,
    actor: &Actor,
    password: &Password,
) -> DomainResult<Vec<String>> {
    sign_in_guard::answer(async {
        sign_in_guard::take_attempt(ctx, Accounts::Members, &actor.user_id).await?;
        let user = users::find_by_id(ctx.db, &actor.user_id).await?;
        if !accounts::password_matches(user.as_ref(), password).await {
            let failed = Entry::by(actor, Action::SignInFailed, "user", &actor.user_id)
                .with_detail("wrong password when renewing recovery codes");
            audit::record(ctx.db, ctx.key, failed).await?;
            return Err(DomainError::WrongCredentials);
        }
        issue_recovery_codes(ctx, actor).await
    })
    .await
}

async fn issue_recovery_codes(ctx: Context<'_>, actor: &Actor) -> DomainResult<Vec<String>> {
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    let codes = recovery_codes::issue(&mut tx, ctx.key, &actor.user_id).await?;
    tx.record(Entry::by(
        actor,
        Action::RecoveryCodesRenewed,
        "user",
        &actor.user_id,
    ))
    .await?;
    tx.commit().await?;
    Ok(codes)
}

/// A fresh authenticator secret with its `otpauth://` URI, for enrolment pages.
pub fn new_authenticator(
    organisation: &str,
    email: &str,
) -> DomainResult<(String, Zeroizing<String>)> {
    let secret = totp::new_secret();
    let uri = totp::otpauth_uri(&secret, organisation, email)?;
    Ok((secret, Zeroizing::new(uri)))
}
