//! Routing rules: which organisation of the instance handles a new report
//! about a country.

use sqlx::{Any, Transaction};

use super::{Database, StorageResult};

/// The organisation a rule sends a country's reports to.
pub async fn organisation_for(db: &Database, country: &str) -> StorageResult<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT organisation_id FROM routing_rules WHERE country = $1")
            .bind(country)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(id,)| id))
}

/// Every rule: (country, organisation id, organisation name).
pub async fn all(db: &Database) -> StorageResult<Vec<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT r.country, r.organisation_id, o.name FROM routing_rules r \
         JOIN organisations o ON o.id = r.organisation_id ORDER BY r.country",
    )
    .fetch_all(db.pool())
    .await?)
}

pub async fn set(
    tx: &mut Transaction<'_, Any>,
    country: &str,
    organisation_id: &str,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO routing_rules (country, organisation_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (country) DO UPDATE SET organisation_id = excluded.organisation_id",
    )
    .bind(country)
    .bind(organisation_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn remove(tx: &mut Transaction<'_, Any>, country: &str) -> StorageResult<bool> {
    let done = sqlx::query("DELETE FROM routing_rules WHERE country = $1")
        .bind(country)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}
