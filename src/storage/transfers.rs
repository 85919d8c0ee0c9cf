//! Cases passed between organisations of the instance.

use sqlx::{Any, Transaction};

use super::{Database, StorageResult};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TransferRow {
    pub id: String,
    pub from_organisation_id: String,
    pub from_report_id: String,
    pub to_organisation_id: String,
    pub to_report_id: String,
    pub created_by: String,
    pub created_at: i64,
}

pub async fn insert(tx: &mut Transaction<'_, Any>, t: &TransferRow) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO transfers (id, from_organisation_id, from_report_id, to_organisation_id, to_report_id, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&t.id)
    .bind(&t.from_organisation_id)
    .bind(&t.from_report_id)
    .bind(&t.to_organisation_id)
    .bind(&t.to_report_id)
    .bind(&t.created_by)
    .bind(t.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A transfer seen from one of its reports, with the other organisation's name.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TransferView {
    #[sqlx(flatten)]
    pub transfer: TransferRow,
    pub other_organisation: String,
}

/// The transfers a report took part in, from or to it, oldest first.
pub async fn of_report(db: &Database, report_id: &str) -> StorageResult<Vec<TransferView>> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.from_organisation_id, t.from_report_id, t.to_organisation_id, t.to_report_id, \
         t.created_by, t.created_at, o.name AS other_organisation FROM transfers t JOIN organisations o ON o.id = \
         CASE WHEN t.from_report_id = $1 THEN t.to_organisation_id ELSE t.from_organisation_id END \
         WHERE t.from_report_id = $1 OR t.to_report_id = $1 ORDER BY t.created_at",
    )
    .bind(report_id)
    .fetch_all(db.pool())
    .await?)
}
