//! Reports being written on the public form, kept between its pages (see
//! `domain::draft`). Each row is sealed by the domain under a key only the
//! reporter's browser can rebuild; this module stores bytes. The store is
//! bounded: a flood of new drafts fills it, and the form then carries its
//! draft itself, as it does for a browser that refuses cookies.

use super::{Database, StorageResult};

/// How much the store may hold at once.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    pub drafts: i64,
    pub bytes: i64,
}

/// Keeps a draft under `id_hash`, replacing its earlier version; false
/// when a new draft finds the store full.
pub async fn save(
    db: &Database,
    id_hash: &str,
    sealed: &[u8],
    expires_at: i64,
    now: i64,
    bounds: Bounds,
) -> StorageResult<bool> {
    let updated = sqlx::query(
        "UPDATE drafts SET sealed = $2, expires_at = $3 WHERE id_hash = $1 AND expires_at > $4",
    )
    .bind(id_hash)
    .bind(sealed)
    .bind(expires_at)
    .bind(now)
    .execute(db.pool())
    .await?;
    if updated.rows_affected() > 0 {
        return Ok(true);
    }
    // A new draft: forget the expired ones, then make room only within bounds.
    sqlx::query("DELETE FROM drafts WHERE expires_at <= $1")
        .bind(now)
        .execute(db.pool())
        .await?;
    let (count, bytes): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(LENGTH(sealed)), 0) AS BIGINT) FROM drafts",
    )
    .fetch_one(db.pool())
    .await?;
    if count >= bounds.drafts || bytes + sealed.len() as i64 > bounds.bytes {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO drafts (id_hash, sealed, expires_at) VALUES ($1, $2, $3) \
         ON CONFLICT (id_hash) DO UPDATE SET sealed = excluded.sealed, expires_at = excluded.expires_at",
    )
    .bind(id_hash)
    .bind(sealed)
    .bind(expires_at)
    .execute(db.pool())
    .await?;
    Ok(true)
}

/// The sealed draft kept under `id_hash`, unless it has expired.
pub async fn load(db: &Database, id_hash: &str, now: i64) -> StorageResult<Option<Vec<u8>>> {
    let row: Option<(Vec<u8>,)> =
        sqlx::query_as("SELECT sealed FROM drafts WHERE id_hash = $1 AND expires_at > $2")
            .bind(id_hash)
            .bind(now)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(sealed,)| sealed))
}

/// Forgets a draft (its report was sent).
pub async fn delete(db: &Database, id_hash: &str) -> StorageResult<()> {
    sqlx::query("DELETE FROM drafts WHERE id_hash = $1")
        .bind(id_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// How many drafts are kept (expired ones included until a new draft clears them).
pub async fn count(db: &Database) -> StorageResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM drafts")
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}
