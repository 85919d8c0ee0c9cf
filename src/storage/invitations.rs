//! One-time links for new members and password resets (keyed hashes only).

use sqlx::{Any, Transaction};

use super::{Database, StorageResult, sql};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct InvitationRow {
    pub token_hash: String,
    pub organisation_id: String,
    /// `invite` or `reset`.
    pub kind: String,
    pub email: String,
    pub role: String,
    /// The member whose password is reset (for `reset`).
    pub user_id: Option<String>,
    /// The organisation's key, sealed under a key derived from the token.
    pub sealed_org_key: Vec<u8>,
    pub created_by: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

const COLUMNS: &str = "token_hash, organisation_id, kind, email, role, user_id, sealed_org_key, \
                       created_by, created_at, expires_at, used_at";

pub async fn insert(tx: &mut Transaction<'_, Any>, row: &InvitationRow) -> StorageResult<()> {
    sqlx::query(sql(format!(
        "INSERT INTO invitations ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    )))
    .bind(&row.token_hash)
    .bind(&row.organisation_id)
    .bind(&row.kind)
    .bind(&row.email)
    .bind(&row.role)
    .bind(&row.user_id)
    .bind(&row.sealed_org_key)
    .bind(&row.created_by)
    .bind(row.created_at)
    .bind(row.expires_at)
    .bind(row.used_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A link that is unused and still valid.
pub async fn find_valid(
    db: &Database,
    token_hash: &str,
    now: i64,
) -> StorageResult<Option<InvitationRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM invitations WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2"
    )))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db.pool())
    .await?)
}

/// Uses a link up; false when it was used or expired meanwhile.
pub async fn consume(
    tx: &mut Transaction<'_, Any>,
    token_hash: &str,
    now: i64,
) -> StorageResult<bool> {
    super::use_up_link(tx, "invitations", token_hash, now).await
}

/// Withdraws the unused links for an address (a new link replaces them).
pub async fn withdraw_for(
    tx: &mut Transaction<'_, Any>,
    organisation_id: &str,
    email: &str,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "UPDATE invitations SET used_at = $1 WHERE organisation_id = $2 AND email = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(organisation_id)
    .bind(email)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Unused, unexpired invitations of an organisation (not resets), newest first.
pub async fn pending(
    db: &Database,
    organisation_id: &str,
    now: i64,
) -> StorageResult<Vec<InvitationRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM invitations WHERE organisation_id = $1 AND kind = 'invite' \
         AND used_at IS NULL AND expires_at > $2 ORDER BY created_at DESC"
    )))
    .bind(organisation_id)
    .bind(now)
    .fetch_all(db.pool())
    .await?)
}
