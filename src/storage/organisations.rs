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
    /// 1 when the organisation takes reports about every country.
    pub covers_all_countries: i64,
}

const COLUMNS: &str = "id, name, country, public_key, recovery_public_key, recovery_wrapped_key, \
                       created_at, covers_all_countries";

pub async fn insert(tx: &mut Transaction<'_, Any>, org: &OrganisationRow) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO organisations (id, name, country, public_key, recovery_public_key, recovery_wrapped_key, \
         created_at, covers_all_countries) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&org.id)
    .bind(&org.name)
    .bind(&org.country)
    .bind(&org.public_key)
    .bind(&org.recovery_public_key)
    .bind(&org.recovery_wrapped_key)
    .bind(org.created_at)
    .bind(org.covers_all_countries)
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

/// Every organisation of the instance, the first (the coordinating one) first.
pub async fn all(db: &Database) -> StorageResult<Vec<OrganisationRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM organisations ORDER BY created_at, id"
    )))
    .fetch_all(db.pool())
    .await?)
}

/// The first organisation of a country, if the instance has one there.
pub async fn of_country(db: &Database, country: &str) -> StorageResult<Option<OrganisationRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM organisations WHERE country = $1 ORDER BY created_at, id LIMIT 1"
    )))
    .bind(country)
    .fetch_optional(db.pool())
    .await?)
}

/// Whether some organisation takes reports about every country.
pub async fn any_covers_all(db: &Database) -> StorageResult<bool> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM organisations WHERE covers_all_countries = 1")
            .fetch_one(db.pool())
            .await?;
    Ok(n > 0)
}

pub async fn set_covers_all(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    covers_all: bool,
) -> StorageResult<()> {
    sqlx::query("UPDATE organisations SET covers_all_countries = $1 WHERE id = $2")
        .bind(i64::from(covers_all))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
