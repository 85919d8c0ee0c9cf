//! Administrators' changes to the countries directory.

use sqlx::{Any, Transaction};

use super::{Database, StorageResult};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CountryRow {
    pub code: String,
    pub emergency: Option<String>,
    pub mechanism: Option<String>,
    pub mechanism_url: Option<String>,
    /// ISO 639-1 codes, comma-separated.
    pub languages: String,
}

pub async fn all(db: &Database) -> StorageResult<Vec<CountryRow>> {
    Ok(sqlx::query_as(
        "SELECT code, emergency, mechanism, mechanism_url, languages FROM country_directory ORDER BY code",
    )
    .fetch_all(db.pool())
    .await?)
}

pub async fn upsert(
    tx: &mut Transaction<'_, Any>,
    row: &CountryRow,
    user_id: &str,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO country_directory (code, emergency, mechanism, mechanism_url, languages, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO UPDATE SET \
         emergency = excluded.emergency, mechanism = excluded.mechanism, mechanism_url = excluded.mechanism_url, \
         languages = excluded.languages, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(&row.code)
    .bind(&row.emergency)
    .bind(&row.mechanism)
    .bind(&row.mechanism_url)
    .bind(&row.languages)
    .bind(user_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
