//! Reports: routing fields in clear, everything the reporter wrote sealed.

use sqlx::{Any, Transaction};

use super::{Database, StorageResult, sql};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ReportRow {
    pub id: String,
    pub organisation_id: String,
    pub receipt_hash: String,
    pub category: String,
    pub country: String,
    pub language: String,
    pub status: String,
    pub sealed_content: Vec<u8>,
    pub created_at: i64,
    /// The reporter's key pair: public half, and private half sealed under the receipt code.
    pub reporter_public_key: Option<String>,
    pub reporter_sealed_key: Option<Vec<u8>>,
    /// The keyed hash of the form's own id (`domain::draft`): one report
    /// per form. `None` for reports from the API or transferred.
    pub submission_hash: Option<String>,
}

const COLUMNS: &str = "id, organisation_id, receipt_hash, category, country, language, status, sealed_content, created_at, \
                       reporter_public_key, reporter_sealed_key, submission_hash";

pub async fn insert(tx: &mut Transaction<'_, Any>, r: &ReportRow) -> StorageResult<()> {
    // The reporter's category is kept apart from the analysts' assessment of it.
    sqlx::query(sql(format!(
        "INSERT INTO reports ({COLUMNS}, reported_category, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $4, $9)"
    )))
    .bind(&r.id)
    .bind(&r.organisation_id)
    .bind(&r.receipt_hash)
    .bind(&r.category)
    .bind(&r.country)
    .bind(&r.language)
    .bind(&r.status)
    .bind(&r.sealed_content)
    .bind(r.created_at)
    .bind(&r.reporter_public_key)
    .bind(&r.reporter_sealed_key)
    .bind(&r.submission_hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether a report of this form (its submission hash) is stored already.
pub async fn is_submitted(db: &Database, submission_hash: &str) -> StorageResult<bool> {
    let found: Option<(String,)> = sqlx::query_as(sql(
        "SELECT id FROM reports WHERE submission_hash = $1".into(),
    ))
    .bind(submission_hash)
    .fetch_optional(db.pool())
    .await?;
    Ok(found.is_some())
}

pub async fn get(
    db: &Database,
    organisation_id: &str,
    id: &str,
) -> StorageResult<Option<ReportRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM reports WHERE organisation_id = $1 AND id = $2"
    )))
    .bind(organisation_id)
    .bind(id)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn find_by_receipt(
    db: &Database,
    receipt_hash: &str,
) -> StorageResult<Option<ReportRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM reports WHERE receipt_hash = $1"
    )))
    .bind(receipt_hash)
    .fetch_optional(db.pool())
    .await?)
}

/// Reports whose receipt hash lies in `[from, to)` (the hashes of one
/// locator), at most `limit` of them.
pub async fn with_receipt_between(
    db: &Database,
    from: &str,
    to: &str,
    limit: i64,
) -> StorageResult<Vec<ReportRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM reports WHERE receipt_hash >= $1 AND receipt_hash < $2 \
         ORDER BY receipt_hash LIMIT $3"
    )))
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

pub async fn count(db: &Database) -> StorageResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM reports")
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}

/// What the inbox shows of a report: nothing sealed.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ReportSummary {
    pub id: String,
    pub category: String,
    pub country: String,
    pub language: String,
    pub status: String,
    pub created_at: i64,
}

/// The newest reports of an organisation.
pub async fn newest(
    db: &Database,
    organisation_id: &str,
    limit: i64,
) -> StorageResult<Vec<ReportSummary>> {
    Ok(sqlx::query_as(
        "SELECT id, category, country, language, status, created_at FROM reports \
         WHERE organisation_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
    )
    .bind(organisation_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}
