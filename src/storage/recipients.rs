//! Authorities and partners outside the instance, and the rules that
//! suggest them for a case.

use sqlx::{Any, Transaction};

use super::{Database, StorageResult, sql};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RecipientRow {
    pub id: String,
    pub organisation_id: String,
    pub name: String,
    pub country: String,
    pub kind: String,
    pub email: Option<String>,
    pub openpgp_key: Option<String>,
    pub notes: Option<String>,
    pub disabled: i64,
    pub created_at: i64,
}

const COLUMNS: &str =
    "id, organisation_id, name, country, kind, email, openpgp_key, notes, disabled, created_at";

pub async fn all(db: &Database, organisation_id: &str) -> StorageResult<Vec<RecipientRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM recipients WHERE organisation_id = $1 ORDER BY country, name"
    )))
    .bind(organisation_id)
    .fetch_all(db.pool())
    .await?)
}

pub async fn get(
    db: &Database,
    organisation_id: &str,
    id: &str,
) -> StorageResult<Option<RecipientRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM recipients WHERE organisation_id = $1 AND id = $2"
    )))
    .bind(organisation_id)
    .bind(id)
    .fetch_optional(db.pool())
    .await?)
}

/// Creates or replaces a recipient.
pub async fn save(tx: &mut Transaction<'_, Any>, r: &RecipientRow) -> StorageResult<()> {
    sqlx::query(sql(format!(
        "INSERT INTO recipients ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, country = excluded.country, \
         kind = excluded.kind, email = excluded.email, openpgp_key = excluded.openpgp_key, \
         notes = excluded.notes, disabled = excluded.disabled"
    )))
    .bind(&r.id)
    .bind(&r.organisation_id)
    .bind(&r.name)
    .bind(&r.country)
    .bind(&r.kind)
    .bind(&r.email)
    .bind(&r.openpgp_key)
    .bind(&r.notes)
    .bind(r.disabled)
    .bind(r.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The rules of an organisation: (recipient id, country, category).
pub async fn rules(
    db: &Database,
    organisation_id: &str,
) -> StorageResult<Vec<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT recipient_id, country, category FROM recipient_rules WHERE organisation_id = $1 \
         ORDER BY country, category",
    )
    .bind(organisation_id)
    .fetch_all(db.pool())
    .await?)
}

pub async fn add_rule(
    tx: &mut Transaction<'_, Any>,
    organisation_id: &str,
    recipient_id: &str,
    country: &str,
    category: &str,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO recipient_rules (organisation_id, recipient_id, country, category) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (recipient_id, country, category) DO NOTHING",
    )
    .bind(organisation_id)
    .bind(recipient_id)
    .bind(country)
    .bind(category)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn remove_rule(
    tx: &mut Transaction<'_, Any>,
    organisation_id: &str,
    recipient_id: &str,
    country: &str,
    category: &str,
) -> StorageResult<()> {
    sqlx::query(
        "DELETE FROM recipient_rules WHERE organisation_id = $1 AND recipient_id = $2 \
         AND country = $3 AND category = $4",
    )
    .bind(organisation_id)
    .bind(recipient_id)
    .bind(country)
    .bind(category)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Active recipients a rule names for a country and category.
pub async fn suggested(
    db: &Database,
    organisation_id: &str,
    country: &str,
    category: &str,
) -> StorageResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT r.recipient_id FROM recipient_rules r JOIN recipients p ON p.id = r.recipient_id \
         WHERE r.organisation_id = $1 AND r.country = $2 AND (r.category = '' OR r.category = $3) \
         AND p.disabled = 0",
    )
    .bind(organisation_id)
    .bind(country)
    .bind(category)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
