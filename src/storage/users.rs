//! Users of the back office and the grants that give them the organisation's key.

use sqlx::{Any, Transaction};

use super::{Database, StorageResult, sql};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub organisation_id: String,
    pub email: String,
    pub role: String,
    pub password_hash: String,
    pub totp_secret_sealed: Vec<u8>,
    pub public_key: String,
    pub sealed_private_key: Vec<u8>,
    pub disabled: i64,
    pub created_at: i64,
    /// 1 when the user must enrol a new authenticator at the next sign-in.
    pub totp_pending: i64,
}

/// A user as listed by `ward user list`.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserSummary {
    pub email: String,
    pub role: String,
    pub disabled: i64,
    pub has_access: i64,
    pub organisation: String,
}

const COLUMNS: &str = "id, organisation_id, email, role, password_hash, totp_secret_sealed, \
                       public_key, sealed_private_key, disabled, created_at, totp_pending";

pub async fn insert(tx: &mut Transaction<'_, Any>, user: &UserRow) -> StorageResult<()> {
    sqlx::query(sql(format!(
        "INSERT INTO users ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    )))
    .bind(&user.id)
    .bind(&user.organisation_id)
    .bind(&user.email)
    .bind(&user.role)
    .bind(&user.password_hash)
    .bind(&user.totp_secret_sealed)
    .bind(&user.public_key)
    .bind(&user.sealed_private_key)
    .bind(user.disabled)
    .bind(user.created_at)
    .bind(user.totp_pending)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn find_by_id(db: &Database, id: &str) -> StorageResult<Option<UserRow>> {
    Ok(
        sqlx::query_as(sql(format!("SELECT {COLUMNS} FROM users WHERE id = $1")))
            .bind(id)
            .fetch_optional(db.pool())
            .await?,
    )
}

pub async fn find_by_email(db: &Database, email: &str) -> StorageResult<Option<UserRow>> {
    Ok(
        sqlx::query_as(sql(format!("SELECT {COLUMNS} FROM users WHERE email = $1")))
            .bind(email)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// A member of an organisation, as the administrator's list shows them.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MemberRow {
    pub id: String,
    pub email: String,
    pub role: String,
    pub disabled: i64,
    pub totp_pending: i64,
    pub has_access: i64,
    pub created_at: i64,
    pub public_key: String,
}

/// The members of one organisation, by e-mail address.
pub async fn members(db: &Database, organisation_id: &str) -> StorageResult<Vec<MemberRow>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.email, u.role, u.disabled, u.totp_pending, \
                CASE WHEN g.user_id IS NULL THEN 0 ELSE 1 END AS has_access, u.created_at, u.public_key \
         FROM users u \
         LEFT JOIN organisation_key_grants g ON g.user_id = u.id AND g.organisation_id = u.organisation_id \
         WHERE u.organisation_id = $1 ORDER BY u.email",
    )
    .bind(organisation_id)
    .fetch_all(db.pool())
    .await?)
}

/// A user of one organisation by id; none for another organisation's.
pub async fn find_in_organisation(
    db: &Database,
    organisation_id: &str,
    id: &str,
) -> StorageResult<Option<UserRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM users WHERE organisation_id = $1 AND id = $2"
    )))
    .bind(organisation_id)
    .bind(id)
    .fetch_optional(db.pool())
    .await?)
}

/// Active administrators of an organisation.
pub async fn count_active_admins(
    tx: &mut Transaction<'_, Any>,
    organisation_id: &str,
) -> StorageResult<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM users WHERE organisation_id = $1 AND role = 'admin' AND disabled = 0",
    )
    .bind(organisation_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n)
}

pub async fn set_role(
    tx: &mut Transaction<'_, Any>,
    user_id: &str,
    role: &str,
) -> StorageResult<()> {
    sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
        .bind(role)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_disabled_by_id(
    tx: &mut Transaction<'_, Any>,
    user_id: &str,
    disabled: bool,
) -> StorageResult<()> {
    sqlx::query(
        "UPDATE users SET disabled = $1, failed_sign_ins = 0, locked_until = NULL WHERE id = $2",
    )
    .bind(i64::from(disabled))
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Stores a new authenticator secret (or, with `pending`, asks for one at the next sign-in).
pub async fn set_totp(
    tx: &mut Transaction<'_, Any>,
    user_id: &str,
    sealed_secret: &[u8],
    pending: bool,
    last_step: Option<i64>,
) -> StorageResult<()> {
    sqlx::query(
        "UPDATE users SET totp_secret_sealed = $1, totp_pending = $2, last_totp_step = $3 WHERE id = $4",
    )
    .bind(sealed_secret)
    .bind(i64::from(pending))
    .bind(last_step)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Active members who want to hear of new reports.
pub async fn notification_recipients(
    db: &Database,
    organisation_id: &str,
) -> StorageResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT email FROM users WHERE organisation_id = $1 AND disabled = 0 ORDER BY email",
    )
    .bind(organisation_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|(e,)| e).collect())
}

pub async fn list(db: &Database) -> StorageResult<Vec<UserSummary>> {
    Ok(sqlx::query_as(
        "SELECT u.email, u.role, u.disabled, \
                CASE WHEN g.user_id IS NULL THEN 0 ELSE 1 END AS has_access, \
                o.name AS organisation \
         FROM users u \
         JOIN organisations o ON o.id = u.organisation_id \
         LEFT JOIN organisation_key_grants g ON g.user_id = u.id AND g.organisation_id = u.organisation_id \
         ORDER BY o.name, u.email",
    )
    .fetch_all(db.pool())
    .await?)
}

/// Returns whether a user was found.
pub async fn set_disabled(db: &Database, email: &str, disabled: bool) -> StorageResult<bool> {
    let done = sqlx::query("UPDATE users SET disabled = $1 WHERE email = $2")
        .bind(i64::from(disabled))
        .bind(email)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Replaces the password hash and the sealed key pair (password change or reset).
pub async fn update_credentials(
    tx: &mut Transaction<'_, Any>,
    user_id: &str,
    password_hash: &str,
    public_key: &str,
    sealed_private_key: &[u8],
) -> StorageResult<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, public_key = $2, sealed_private_key = $3 WHERE id = $4",
    )
    .bind(password_hash)
    .bind(public_key)
    .bind(sealed_private_key)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn grant(
    tx: &mut Transaction<'_, Any>,
    organisation_id: &str,
    user_id: &str,
    wrapped_key: &[u8],
    now: i64,
) -> StorageResult<()> {
    sqlx::query("DELETE FROM organisation_key_grants WHERE organisation_id = $1 AND user_id = $2")
        .bind(organisation_id)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO organisation_key_grants (organisation_id, user_id, wrapped_key, granted_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(organisation_id)
    .bind(user_id)
    .bind(wrapped_key)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn revoke_grant(tx: &mut Transaction<'_, Any>, user_id: &str) -> StorageResult<()> {
    sqlx::query("DELETE FROM organisation_key_grants WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn wrapped_key(
    db: &Database,
    organisation_id: &str,
    user_id: &str,
) -> StorageResult<Option<Vec<u8>>> {
    let row: Option<(Vec<u8>,)> = sqlx::query_as(
        "SELECT wrapped_key FROM organisation_key_grants WHERE organisation_id = $1 AND user_id = $2",
    )
    .bind(organisation_id)
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(k,)| k))
}
