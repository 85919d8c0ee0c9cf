//! Back-office sessions and the sign-in counters on users.

use sqlx::{Any, Transaction};

use super::{Database, StorageResult};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub id_hash: String,
    pub user_id: String,
    pub organisation_id: String,
    pub sealed_org_key: Option<Vec<u8>>,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// `full`, or `enrol` while the member may only enrol an authenticator.
    pub stage: String,
}

/// The sign-in counters of a user.
#[derive(Clone, Copy, Debug, sqlx::FromRow)]
pub struct SignInState {
    pub failures: i64,
    pub locked_until: Option<i64>,
    pub last_totp_step: Option<i64>,
}

pub async fn insert(db: &Database, s: &SessionRow) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, organisation_id, sealed_org_key, created_at, last_seen_at, stage) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&s.id_hash)
    .bind(&s.user_id)
    .bind(&s.organisation_id)
    .bind(&s.sealed_org_key)
    .bind(s.created_at)
    .bind(s.last_seen_at)
    .bind(&s.stage)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn get(db: &Database, id_hash: &str) -> StorageResult<Option<SessionRow>> {
    Ok(sqlx::query_as(
        "SELECT id_hash, user_id, organisation_id, sealed_org_key, created_at, last_seen_at, stage \
         FROM sessions WHERE id_hash = $1",
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

/// Failed sign-ins so far, the time the account must wait until, and the
/// last TOTP step accepted.
pub async fn sign_in_state(db: &Database, user_id: &str) -> StorageResult<SignInState> {
    Ok(sqlx::query_as(
        "SELECT failed_sign_ins AS failures, locked_until, last_totp_step FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_one(db.pool())
    .await?)
}

pub async fn record_success(
    db: &Database,
    user_id: &str,
    totp_step: Option<i64>,
) -> StorageResult<()> {
    sqlx::query("UPDATE users SET failed_sign_ins = 0, locked_until = NULL, last_totp_step = $1 WHERE id = $2")
        .bind(totp_step)
        .bind(user_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn delete_for_user_in(tx: &mut Transaction<'_, Any>, user_id: &str) -> StorageResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Forgets failed sign-ins (after a password reset).
pub async fn clear_failures(tx: &mut Transaction<'_, Any>, user_id: &str) -> StorageResult<()> {
    sqlx::query("UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
