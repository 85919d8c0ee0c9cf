//! Attachment records; their encrypted bytes live in the file store.

use sqlx::{Any, Transaction};

use super::{Database, StorageResult, sql};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: String,
    pub organisation_id: String,
    pub report_id: String,
    pub object_key: String,
    pub stored_size: i64,
    pub sealed_metadata: Vec<u8>,
    pub created_at: i64,
    /// The follow-up message that carried the file, if it came later.
    pub message_id: Option<String>,
}

const COLUMNS: &str = "id, organisation_id, report_id, object_key, stored_size, sealed_metadata, created_at, message_id";

pub async fn insert(tx: &mut Transaction<'_, Any>, a: &AttachmentRow) -> StorageResult<()> {
    sqlx::query(sql(format!(
        "INSERT INTO attachments ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )))
    .bind(&a.id)
    .bind(&a.organisation_id)
    .bind(&a.report_id)
    .bind(&a.object_key)
    .bind(a.stored_size)
    .bind(&a.sealed_metadata)
    .bind(a.created_at)
    .bind(&a.message_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn for_report(
    db: &Database,
    organisation_id: &str,
    report_id: &str,
) -> StorageResult<Vec<AttachmentRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM attachments WHERE organisation_id = $1 AND report_id = $2 ORDER BY created_at, id"
    )))
    .bind(organisation_id)
    .bind(report_id)
    .fetch_all(db.pool())
    .await?)
}

/// One attachment of a report of the organisation.
pub async fn get(
    db: &Database,
    organisation_id: &str,
    report_id: &str,
    id: &str,
) -> StorageResult<Option<AttachmentRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM attachments WHERE organisation_id = $1 AND report_id = $2 AND id = $3"
    )))
    .bind(organisation_id)
    .bind(report_id)
    .bind(id)
    .fetch_optional(db.pool())
    .await?)
}

/// Whether a row names this object as its file.
pub async fn names_object(db: &Database, id: &str, object_key: &str) -> StorageResult<bool> {
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM attachments WHERE id = $1 AND object_key = $2")
            .bind(id)
            .bind(object_key)
            .fetch_optional(db.pool())
            .await?;
    Ok(found.is_some())
}

/// Whether the organisation has a file with this id (a preview is kept
/// only for a file that exists).
pub async fn exists(db: &Database, organisation_id: &str, id: &str) -> StorageResult<bool> {
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM attachments WHERE organisation_id = $1 AND id = $2")
            .bind(organisation_id)
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    Ok(found.is_some())
}

/// The bytes a report's files take in the file store.
pub async fn stored_bytes(db: &Database, report_id: &str) -> StorageResult<i64> {
    let (n,): (Option<i64>,) = sqlx::query_as(
        "SELECT CAST(SUM(stored_size) AS BIGINT) FROM attachments WHERE report_id = $1",
    )
    .bind(report_id)
    .fetch_one(db.pool())
    .await?;
    Ok(n.unwrap_or(0))
}
