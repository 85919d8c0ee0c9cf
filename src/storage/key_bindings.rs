//! The bindings of public keys to their owners (see `domain::key_bindings`).

use sqlx::{Any, Transaction};

use super::{Database, StorageResult};

/// Records (or replaces) the binding of an owner's key.
pub async fn set(
    tx: &mut Transaction<'_, Any>,
    owner_kind: &str,
    owner_id: &str,
    mac: &str,
) -> StorageResult<()> {
    sqlx::query("DELETE FROM key_bindings WHERE owner_kind = $1 AND owner_id = $2")
        .bind(owner_kind)
        .bind(owner_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO key_bindings (owner_kind, owner_id, mac) VALUES ($1, $2, $3)")
        .bind(owner_kind)
        .bind(owner_id)
        .bind(mac)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The binding recorded for an owner's key, if any.
pub async fn get(db: &Database, owner_kind: &str, owner_id: &str) -> StorageResult<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT mac FROM key_bindings WHERE owner_kind = $1 AND owner_id = $2")
            .bind(owner_kind)
            .bind(owner_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(mac,)| mac))
}

/// Every key Ward encrypts to, as (kind, owner, key), for binding the keys
/// of an instance that existed before bindings did.
pub async fn all_keys(db: &Database) -> StorageResult<Vec<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT 'organisation', id, public_key FROM organisations \
         UNION ALL SELECT 'member', id, public_key FROM users \
         UNION ALL SELECT 'portal-account', id, public_key FROM portal_accounts WHERE public_key IS NOT NULL \
         UNION ALL SELECT 'recipient', id, openpgp_key FROM recipients WHERE openpgp_key IS NOT NULL AND openpgp_key <> ''",
    )
    .fetch_all(db.pool())
    .await?)
}

/// Reporters' keys kept without a binding beside them (reports from before
/// bindings), as (report, key).
pub async fn unbound_reporter_keys(db: &Database) -> StorageResult<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, reporter_public_key FROM reports \
         WHERE reporter_public_key IS NOT NULL AND reporter_public_key NOT LIKE '% %'",
    )
    .fetch_all(db.pool())
    .await?)
}

/// Stores a reporter's key with its binding.
pub async fn set_reporter_key(
    tx: &mut Transaction<'_, Any>,
    report_id: &str,
    stored: &str,
) -> StorageResult<()> {
    sqlx::query("UPDATE reports SET reporter_public_key = $1 WHERE id = $2")
        .bind(stored)
        .bind(report_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
