//! One-time recovery codes for the second factor (keyed hashes only).

use sqlx::{Any, Transaction};

use super::{Database, StorageResult};

/// Replaces a user's codes.
pub async fn replace(
    tx: &mut Transaction<'_, Any>,
    user_id: &str,
    code_hashes: &[String],
) -> StorageResult<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    for hash in code_hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id)
            .bind(hash)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Marks an unused code used; false when there is no such unused code.
pub async fn consume(
    db: &Database,
    user_id: &str,
    code_hash: &str,
    now: i64,
) -> StorageResult<bool> {
    let done = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(code_hash)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many unused codes a user has left.
pub async fn remaining(db: &Database, user_id: &str) -> StorageResult<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(db.pool())
    .await?;
    Ok(n)
}
