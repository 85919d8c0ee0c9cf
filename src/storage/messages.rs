//! Messages between the hotline and the anonymous reporter, sealed.

use sqlx::{Any, Transaction};

use super::{Database, StorageResult, sql};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MessageRow {
    pub id: String,
    pub organisation_id: String,
    pub report_id: String,
    /// `reporter` or `analyst`.
    pub author: String,
    pub author_user_id: Option<String>,
    pub sealed_body: Vec<u8>,
    pub created_at: i64,
}

const COLUMNS: &str =
    "id, organisation_id, report_id, author, author_user_id, sealed_body, created_at";

pub async fn insert(tx: &mut Transaction<'_, Any>, m: &MessageRow) -> StorageResult<()> {
    sqlx::query(sql(format!(
        "INSERT INTO messages ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )))
    .bind(&m.id)
    .bind(&m.organisation_id)
    .bind(&m.report_id)
    .bind(&m.author)
    .bind(&m.author_user_id)
    .bind(&m.sealed_body)
    .bind(m.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A report's messages, oldest first.
pub async fn for_report(
    db: &Database,
    organisation_id: &str,
    report_id: &str,
) -> StorageResult<Vec<MessageRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM messages WHERE organisation_id = $1 AND report_id = $2 ORDER BY created_at, id"
    )))
    .bind(organisation_id)
    .bind(report_id)
    .fetch_all(db.pool())
    .await?)
}

/// How many messages the reporter sent on a report since `since`.
pub async fn count_from_reporter_since(
    db: &Database,
    report_id: &str,
    since: i64,
) -> StorageResult<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM messages WHERE report_id = $1 AND author = 'reporter' AND created_at >= $2",
    )
    .bind(report_id)
    .bind(since)
    .fetch_one(db.pool())
    .await?;
    Ok(n)
}
