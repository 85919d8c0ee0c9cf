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
                       public_key, sealed_private_key, disabled, created_at";

pub async fn insert(tx: &mut Transaction<'_, Any>, user: &UserRow) -> StorageResult<()> {
    sqlx::query(sql(format!(
        "INSERT INTO users ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
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

/// Active members of an organisation who do not hold its key yet.
pub async fn pending_grants(db: &Database, organisation_id: &str) -> StorageResult<Vec<UserRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM users u WHERE u.organisation_id = $1 AND u.disabled = 0 \
         AND NOT EXISTS (SELECT 1 FROM organisation_key_grants g WHERE g.user_id = u.id AND g.organisation_id = u.organisation_id) \
         ORDER BY u.email"
    )))
    .bind(organisation_id)
    .fetch_all(db.pool())
    .await?)
}
