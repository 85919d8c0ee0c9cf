//! Back-office sessions and the sign-in counters on users.

use super::{Database, StorageResult};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub id_hash: String,
    pub user_id: String,
    pub organisation_id: String,
    pub sealed_org_key: Option<Vec<u8>>,
    pub created_at: i64,
    pub last_seen_at: i64,
}

pub async fn insert(db: &Database, s: &SessionRow) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, organisation_id, sealed_org_key, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&s.id_hash)
    .bind(&s.user_id)
    .bind(&s.organisation_id)
    .bind(&s.sealed_org_key)
    .bind(s.created_at)
    .bind(s.last_seen_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn get(db: &Database, id_hash: &str) -> StorageResult<Option<SessionRow>> {
    Ok(sqlx::query_as(
        "SELECT id_hash, user_id, organisation_id, sealed_org_key, created_at, last_seen_at FROM sessions WHERE id_hash = $1",
    )
    .bind(id_hash)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn touch(db: &Database, id_hash: &str, now: i64) -> StorageResult<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
        .bind(now)
        .bind(id_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn delete(db: &Database, id_hash: &str) -> StorageResult<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn delete_for_user(db: &Database, user_id: &str) -> StorageResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Failed sign-ins so far and the time the account is locked until, if any.
pub async fn sign_in_state(
    db: &Database,
    user_id: &str,
) -> StorageResult<(i64, Option<i64>, Option<i64>)> {
    Ok(sqlx::query_as(
        "SELECT failed_sign_ins, locked_until, last_totp_step FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_one(db.pool())
    .await?)
}

pub async fn record_failure(
    db: &Database,
    user_id: &str,
    locked_until: Option<i64>,
) -> StorageResult<()> {
    sqlx::query(
        "UPDATE users SET failed_sign_ins = failed_sign_ins + 1, locked_until = $1 WHERE id = $2",
    )
    .bind(locked_until)
    .bind(user_id)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn record_success(db: &Database, user_id: &str, totp_step: i64) -> StorageResult<()> {
    sqlx::query("UPDATE users SET failed_sign_ins = 0, locked_until = NULL, last_totp_step = $1 WHERE id = $2")
        .bind(totp_step)
        .bind(user_id)
        .execute(db.pool())
        .await?;
    Ok(())
}
