//! Back-office accounts and their access to the organisation's key.
//!
//! A user's key pair is sealed under their password. Access to encrypted
//! content is a *grant*: the organisation's private key wrapped to the user's
//! public key. A user created without a grant (`ward user add`) receives one
//! when an administrator approves it, having compared its key's fingerprint
//! (`members::approve_access`): never automatically.

use zeroize::Zeroizing;

use super::actor::Actor;
use super::audit::{Action, Entry};
use super::change::Change;
use super::key_bindings::{self, Owner};
use super::values::{Email, Password, Role};
use super::{DomainError, DomainResult, blocking, passwords, totp};
use crate::storage::users::{self, UserRow, UserSummary};
use crate::storage::{Database, StorageError, new_id, now_millis, organisations};
use crate::vault::{InstanceKey, SecretKey, password};

/// A user whose password opened their key, and (with a grant) the organisation's key.
pub struct Unlocked {
    pub user: UserRow,
    pub user_key: SecretKey,
    pub organisation_key: Option<SecretKey>,
}

impl Unlocked {
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.user.role).ok()
    }

    pub fn organisation_key(&self) -> DomainResult<&SecretKey> {
        self.organisation_key.as_ref().ok_or(DomainError::Forbidden)
    }

    /// The member as an actor of the back office (the command line, tests).
    pub fn into_actor(self) -> DomainResult<Actor> {
        Ok(Actor {
            role: Role::parse(&self.user.role)?,
            user_id: self.user.id,
            organisation_id: self.user.organisation_id,
            email: self.user.email,
            organisation_key: self.organisation_key,
        })
    }
}

pub struct NewUser {
    pub otpauth_uri: String,
    pub totp_secret: String,
}

/// Creates a user in the default organisation (from the command line),
/// without access to encrypted content until an administrator grants it.
pub async fn add_user(
    db: &Database,
    key: &InstanceKey,
    email: Email,
    role: Role,
    password: Password,
) -> DomainResult<NewUser> {
    let organisation = organisations::default_organisation(db)
        .await?
        .ok_or(DomainError::NotOpen)?;
    let totp_secret = totp::new_secret();
    let otpauth_uri = totp::otpauth_uri(&totp_secret, &organisation.name, email.as_str())?;
    let (user_key, hash, sealed) = seal_new_key_pair(password).await?;
    let user = UserRow {
        id: new_id(),
        organisation_id: organisation.id,
        email: email.as_str().to_string(),
        role: role.as_str().to_string(),
        password_hash: hash,
        totp_secret_sealed: key.seal(totp_secret.as_bytes()),
        public_key: user_key.public_key().to_string(),
        sealed_private_key: sealed,
        disabled: 0,
        created_at: now_millis(),
        totp_pending: 0,
    };
    let mut tx = Change::begin(db, key).await?;
    users::insert(&mut tx, &user).await.map_err(|e| match e {
        StorageError::Conflict => DomainError::Conflict(format!(
            "a user with the e-mail address {email} already exists"
        )),
        other => other.into(),
    })?;
    key_bindings::bind(&mut tx, key, Owner::Member, &user.id, &user.public_key).await?;
    let entry =
        Entry::by_command_line(&user.organisation_id, Action::UserInvited, "user", &user.id)
            .with_detail(role.as_str());
    tx.record(entry).await?;
    tx.commit().await?;
    Ok(NewUser {
        otpauth_uri,
        totp_secret,
    })
}

pub async fn list_users(db: &Database) -> DomainResult<Vec<UserSummary>> {
    Ok(users::list(db).await?)
}

/// Checks the password and opens the user's keys. Disabled users and wrong
/// passwords get the same answer.
pub async fn unlock(db: &Database, email: &Email, password: &Password) -> DomainResult<Unlocked> {
    let user = users::find_by_email(db, email.as_str()).await?;
    if !password_matches(user.as_ref(), password).await {
        return Err(DomainError::WrongCredentials);
    }
    open_keys(db, user.expect("a password matched"), password).await
}

/// Whether `password` is this active member's: one Argon2 run, against a
/// dummy hash when there is no such member, so that all cases cost the same.
pub async fn password_matches(user: Option<&UserRow>, password: &Password) -> bool {
    let phc = user.map(|u| u.password_hash.clone());
    let active = user.is_some_and(|u| u.disabled == 0);
    let pw = Zeroizing::new(password.expose().to_string());
    blocking(move || passwords::verify(&pw, phc.as_deref())).await && active
}

/// Opens the keys of a member whose password was checked (a second Argon2
/// run: the one that derives the key sealing the member's private key).
pub async fn open_keys(
    db: &Database,
    user: UserRow,
    password: &Password,
) -> DomainResult<Unlocked> {
    let pw = Zeroizing::new(password.expose().to_string());
    let sealed = user.sealed_private_key.clone();
    let opened = blocking(move || password::open(&pw, &sealed)).await?;
    let user_key = SecretKey::from_secret_text(
        std::str::from_utf8(&opened)
            .map_err(|_| DomainError::Vault(crate::vault::VaultError::Corrupt))?,
    )?;
    let organisation_key = match users::wrapped_key(db, &user.organisation_id, &user.id).await? {
        Some(wrapped) => Some(user_key.unwrap_key(&wrapped)?),
        None => None,
    };
    Ok(Unlocked {
        user,
        user_key,
        organisation_key,
    })
}

/// Whether a TOTP code is right for this user.
pub fn verify_totp(key: &InstanceKey, user: &UserRow, code: &str) -> DomainResult<bool> {
    let secret = key.open(&user.totp_secret_sealed)?;
    let secret = std::str::from_utf8(&secret)
        .map_err(|_| DomainError::Vault(crate::vault::VaultError::Corrupt))?;
    Ok(totp::verify(secret, code))
}

/// Re-seals the user's key under a new password: nothing else changes.
pub async fn change_password(
    db: &Database,
    email: &Email,
    old: &Password,
    new: Password,
) -> DomainResult<()> {
    let unlocked = unlock(db, email, old).await?;
    passwords::require_strong(&new, &[email.as_str()])?;
    let secret_text = unlocked.user_key.to_secret_text();
    let new_pw = Zeroizing::new(new.expose().to_string());
    let (hash, sealed) = blocking(move || {
        (
            passwords::hash(&new_pw),
            password::seal(&new_pw, secret_text.as_bytes()),
        )
    })
    .await;
    // A member's own password change is not in the audit log (it reveals
    // nothing and changes no access); Ward's pages do not offer it yet.
    let mut tx = db.begin_write().await?;
    users::update_credentials(
        &mut tx,
        &unlocked.user.id,
        &hash,
        &unlocked.user.public_key,
        &sealed?,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An administrator sets a new password for a member of their organisation and
/// grants the organisation's key to the member's new key pair.
pub async fn admin_reset_password(
    db: &Database,
    key: &InstanceKey,
    admin: &Unlocked,
    email: &Email,
    new: Password,
) -> DomainResult<()> {
    if admin.role() != Some(Role::Admin) {
        return Err(DomainError::Forbidden);
    }
    let org_key = admin.organisation_key()?;
    let user = users::find_by_email(db, email.as_str())
        .await?
        .ok_or(DomainError::NotFound)?;
    if user.organisation_id != admin.user.organisation_id {
        return Err(DomainError::NotFound);
    }
    let entry = Entry {
        organisation_id: Some(&admin.user.organisation_id),
        actor_user_id: Some(&admin.user.id),
        actor: &admin.user.email,
        action: Action::PasswordReset,
        object_type: Some("user"),
        object_id: Some(&user.id),
        detail: None,
    };
    replace_key_pair(db, key, &user, org_key, new, entry).await
}

/// When every password is lost: the recovery key opens the organisation's key,
/// and the named user gets a new password and a new grant.
pub async fn recover_with_key(
    db: &Database,
    key: &InstanceKey,
    recovery_key: &str,
    email: &Email,
    new: Password,
) -> DomainResult<()> {
    let recovery = SecretKey::from_secret_text(recovery_key)?;
    let user = users::find_by_email(db, email.as_str())
        .await?
        .ok_or(DomainError::NotFound)?;
    let organisation = organisations::get(db, &user.organisation_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let org_key = recovery.unwrap_key(&organisation.recovery_wrapped_key)?;
    let entry = Entry::by_command_line(
        &user.organisation_id,
        Action::PasswordReset,
        "user",
        &user.id,
    )
    .with_detail("recovery key");
    replace_key_pair(db, key, &user, &org_key, new, entry).await
}

async fn replace_key_pair(
    db: &Database,
    key: &InstanceKey,
    user: &UserRow,
    org_key: &SecretKey,
    new: Password,
    entry: Entry<'_>,
) -> DomainResult<()> {
    let (user_key, hash, sealed) = seal_new_key_pair(new).await?;
    let wrapped = org_key.wrap_for(&user_key.public_key());
    let mut tx = Change::begin(db, key).await?;
    let public = user_key.public_key().to_string();
    users::update_credentials(&mut tx, &user.id, &hash, &public, &sealed).await?;
    key_bindings::bind(&mut tx, key, Owner::Member, &user.id, &public).await?;
    users::grant(
        &mut tx,
        &user.organisation_id,
        &user.id,
        &wrapped,
        now_millis(),
    )
    .await?;
    tx.record(entry).await?;
    tx.commit().await?;
    Ok(())
}

/// A fresh key pair, the password's sign-in hash and the sealed private key.
pub(crate) async fn seal_new_key_pair(pw: Password) -> DomainResult<(SecretKey, String, Vec<u8>)> {
    passwords::require_strong(&pw, &[])?;
    let (key, hash, sealed) = blocking(move || {
        let key = SecretKey::generate();
        let hash = passwords::hash(pw.expose());
        let sealed = password::seal(pw.expose(), key.to_secret_text().as_bytes());
        (key, hash, sealed)
    })
    .await;
    Ok((key, hash, sealed?))
}
