//! The authority portal's accounts, their invitations and sessions.

use sqlx::{Any, Transaction};

use super::{Database, StorageResult, sql};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PortalAccountRow {
    pub id: String,
    pub organisation_id: String,
    pub recipient_id: String,
    pub email: String,
    pub password_hash: String,
    pub totp_secret_sealed: Option<Vec<u8>>,
    pub public_key: Option<String>,
    pub sealed_private_key: Option<Vec<u8>>,
    pub disabled: i64,
    pub failed_sign_ins: i64,
    pub locked_until: Option<i64>,
    pub last_totp_step: Option<i64>,
    pub created_at: i64,
}

const COLUMNS: &str = "id, organisation_id, recipient_id, email, password_hash, totp_secret_sealed, \
     public_key, sealed_private_key, disabled, failed_sign_ins, locked_until, last_totp_step, created_at";

pub async fn insert(tx: &mut Transaction<'_, Any>, a: &PortalAccountRow) -> StorageResult<()> {
    sqlx::query(sql(format!(
        "INSERT INTO portal_accounts ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    )))
    .bind(&a.id)
    .bind(&a.organisation_id)
    .bind(&a.recipient_id)
    .bind(&a.email)
    .bind(&a.password_hash)
    .bind(&a.totp_secret_sealed)
    .bind(&a.public_key)
    .bind(&a.sealed_private_key)
    .bind(a.disabled)
    .bind(a.failed_sign_ins)
    .bind(a.locked_until)
    .bind(a.last_totp_step)
    .bind(a.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn by_email(db: &Database, email: &str) -> StorageResult<Option<PortalAccountRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM portal_accounts WHERE email = $1"
    )))
    .bind(email)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn by_id(db: &Database, id: &str) -> StorageResult<Option<PortalAccountRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM portal_accounts WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db.pool())
    .await?)
}

/// The accounts of a recipient.
pub async fn for_recipient(
    db: &Database,
    recipient_id: &str,
) -> StorageResult<Vec<PortalAccountRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM portal_accounts WHERE recipient_id = $1 ORDER BY email"
    )))
    .bind(recipient_id)
    .fetch_all(db.pool())
    .await?)
}

/// Sets the password, key pair and authenticator of an account (accepting an invitation).
pub async fn set_credentials(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    password_hash: &str,
    totp_secret_sealed: &[u8],
    public_key: &str,
    sealed_private_key: &[u8],
    totp_step: i64,
) -> StorageResult<()> {
    sqlx::query(
        "UPDATE portal_accounts SET password_hash = $1, totp_secret_sealed = $2, public_key = $3, \
         sealed_private_key = $4, last_totp_step = $5, failed_sign_ins = 0, locked_until = NULL WHERE id = $6",
    )
    .bind(password_hash)
    .bind(totp_secret_sealed)
    .bind(public_key)
    .bind(sealed_private_key)
    .bind(totp_step)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_disabled(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    disabled: bool,
) -> StorageResult<()> {
    sqlx::query("UPDATE portal_accounts SET disabled = $1 WHERE id = $2")
        .bind(i64::from(disabled))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM portal_sessions WHERE account_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn record_success(db: &Database, id: &str, totp_step: i64) -> StorageResult<()> {
    sqlx::query(
        "UPDATE portal_accounts SET failed_sign_ins = 0, locked_until = NULL, last_totp_step = $1 WHERE id = $2",
    )
    .bind(totp_step)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn insert_invitation(
    tx: &mut Transaction<'_, Any>,
    token_hash: &str,
    account_id: &str,
    expires_at: i64,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO portal_invitations (token_hash, account_id, expires_at) VALUES ($1, $2, $3)",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The account a valid (unused, unexpired) invitation is for.
pub async fn invitation(
    db: &Database,
    token_hash: &str,
    now: i64,
) -> StorageResult<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT account_id FROM portal_invitations WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(id,)| id))
}

pub async fn consume_invitation(
    tx: &mut Transaction<'_, Any>,
    token_hash: &str,
    now: i64,
) -> StorageResult<bool> {
    super::use_up_link(tx, "portal_invitations", token_hash, now).await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PortalSessionRow {
    pub id_hash: String,
    pub account_id: String,
    pub sealed_private_key: Vec<u8>,
    pub created_at: i64,
    pub last_seen_at: i64,
}

pub async fn insert_session(db: &Database, s: &PortalSessionRow) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO portal_sessions (id_hash, account_id, sealed_private_key, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&s.id_hash)
    .bind(&s.account_id)
    .bind(&s.sealed_private_key)
    .bind(s.created_at)
    .bind(s.last_seen_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn session(db: &Database, id_hash: &str) -> StorageResult<Option<PortalSessionRow>> {
    Ok(sqlx::query_as(
        "SELECT id_hash, account_id, sealed_private_key, created_at, last_seen_at FROM portal_sessions WHERE id_hash = $1",
    )
    .bind(id_hash)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn touch_session(db: &Database, id_hash: &str, now: i64) -> StorageResult<()> {
    sqlx::query("UPDATE portal_sessions SET last_seen_at = $1 WHERE id_hash = $2")
        .bind(now)
        .bind(id_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn delete_session(db: &Database, id_hash: &str) -> StorageResult<()> {
    sqlx::query("DELETE FROM portal_sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}
