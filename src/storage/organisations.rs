//! Organisations: each hotline on the instance, with its public key and the
//! copy of its private key that the recovery key opens.

use sqlx::{Any, Transaction};

use super::{Database, StorageResult, sql};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OrganisationRow {
    pub id: String,
    pub name: String,
    pub country: String,
    pub public_key: String,
    pub recovery_public_key: String,
    pub recovery_wrapped_key: Vec<u8>,
    pub created_at: i64,
}

const COLUMNS: &str =
    "id, name, country, public_key, recovery_public_key, recovery_wrapped_key, created_at";

pub async fn insert(tx: &mut Transaction<'_, Any>, org: &OrganisationRow) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO organisations (id, name, country, public_key, recovery_public_key, recovery_wrapped_key, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&org.id)
    .bind(&org.name)
    .bind(&org.country)
    .bind(&org.public_key)
    .bind(&org.recovery_public_key)
    .bind(&org.recovery_wrapped_key)
    .bind(org.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn count(db: &Database) -> StorageResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organisations")
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}

pub async fn count_in(tx: &mut Transaction<'_, Any>) -> StorageResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organisations")
        .fetch_one(&mut **tx)
        .await?;
    Ok(n)
}

pub async fn get(db: &Database, id: &str) -> StorageResult<Option<OrganisationRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM organisations WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db.pool())
    .await?)
}

/// The organisation that receives public reports: for now the first one created.
pub async fn default_organisation(db: &Database) -> StorageResult<Option<OrganisationRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM organisations ORDER BY created_at, id LIMIT 1"
    )))
    .fetch_optional(db.pool())
    .await?)
}
