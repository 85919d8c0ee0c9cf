//! One-time setup links. Only a keyed hash of each token is stored.

use super::{Database, StorageResult};
use sqlx::{Any, Transaction};

/// Stores a new token, forgetting the ones that are used or expired.
pub async fn insert(db: &Database, token_hash: &str, expires_at: i64) -> StorageResult<()> {
    sqlx::query("DELETE FROM setup_tokens WHERE used_at IS NOT NULL OR expires_at <= $1")
        .bind(super::now_millis())
        .execute(db.pool())
        .await?;
    sqlx::query("INSERT INTO setup_tokens (token_hash, expires_at) VALUES ($1, $2)")
        .bind(token_hash)
        .bind(expires_at)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Whether the token exists, is unused and has not expired.
pub async fn is_valid(db: &Database, token_hash: &str, now: i64) -> StorageResult<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT expires_at FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.is_some())
}

/// Marks the token used; false when it was already used, expired or unknown.
/// Runs inside the setup transaction so that two racing submissions cannot both win.
pub async fn consume(
    tx: &mut Transaction<'_, Any>,
    token_hash: &str,
    now: i64,
) -> StorageResult<bool> {
    super::use_up_link(tx, "setup_tokens", token_hash, now).await
}

/// Forgets every setup link (a restored instance is set up already).
pub async fn delete_all(tx: &mut Transaction<'_, Any>) -> StorageResult<()> {
    sqlx::query("DELETE FROM setup_tokens")
        .execute(&mut **tx)
        .await?;
    Ok(())
}
