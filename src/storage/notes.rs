//! Internal notes on reports, sealed to the organisation.

use sqlx::{Any, Transaction};

use super::{Database, StorageResult};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct NoteRow {
    pub id: String,
    pub organisation_id: String,
    pub report_id: String,
    pub author_user_id: String,
    pub sealed_body: Vec<u8>,
    pub created_at: i64,
}

pub async fn insert(tx: &mut Transaction<'_, Any>, note: &NoteRow) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO notes (id, organisation_id, report_id, author_user_id, sealed_body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&note.id)
    .bind(&note.organisation_id)
    .bind(&note.report_id)
    .bind(&note.author_user_id)
    .bind(&note.sealed_body)
    .bind(note.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A note as the case view lists it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AuthoredNote {
    pub author_email: String,
    pub sealed_body: Vec<u8>,
    pub created_at: i64,
}

/// A report's notes with their authors' addresses, oldest first.
pub async fn for_report(
    db: &Database,
    organisation_id: &str,
    report_id: &str,
) -> StorageResult<Vec<AuthoredNote>> {
    Ok(sqlx::query_as(
        "SELECT u.email AS author_email, n.sealed_body, n.created_at \
         FROM notes n JOIN users u ON u.id = n.author_user_id \
         WHERE n.organisation_id = $1 AND n.report_id = $2 ORDER BY n.created_at, n.id",
    )
    .bind(organisation_id)
    .bind(report_id)
    .fetch_all(db.pool())
    .await?)
}
