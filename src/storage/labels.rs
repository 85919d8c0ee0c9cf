//! Labels an organisation puts on reports.

use sqlx::{Any, Transaction};

use super::{Database, StorageResult, sql};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LabelRow {
    pub id: String,
    pub name: String,
}

/// Every label of an organisation, by name.
pub async fn all(db: &Database, organisation_id: &str) -> StorageResult<Vec<LabelRow>> {
    Ok(
        sqlx::query_as("SELECT id, name FROM labels WHERE organisation_id = $1 ORDER BY name")
            .bind(organisation_id)
            .fetch_all(db.pool())
            .await?,
    )
}

pub async fn find(
    tx: &mut Transaction<'_, Any>,
    organisation_id: &str,
    name: &str,
) -> StorageResult<Option<LabelRow>> {
    Ok(
        sqlx::query_as("SELECT id, name FROM labels WHERE organisation_id = $1 AND name = $2")
            .bind(organisation_id)
            .bind(name)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

pub async fn get(
    db: &Database,
    organisation_id: &str,
    id: &str,
) -> StorageResult<Option<LabelRow>> {
    Ok(
        sqlx::query_as("SELECT id, name FROM labels WHERE organisation_id = $1 AND id = $2")
            .bind(organisation_id)
            .bind(id)
            .fetch_optional(db.pool())
            .await?,
    )
}

pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    organisation_id: &str,
    label: &LabelRow,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO labels (id, organisation_id, name, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&label.id)
    .bind(organisation_id)
    .bind(&label.name)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Puts a label on a report; false when it was already there.
pub async fn attach(
    tx: &mut Transaction<'_, Any>,
    organisation_id: &str,
    report_id: &str,
    label_id: &str,
) -> StorageResult<bool> {
    let done = sqlx::query(
        "INSERT INTO report_labels (report_id, label_id, organisation_id) VALUES ($1, $2, $3) \
         ON CONFLICT (report_id, label_id) DO NOTHING",
    )
    .bind(report_id)
    .bind(label_id)
    .bind(organisation_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes a label off a report; false when it was not there.
pub async fn detach(
    tx: &mut Transaction<'_, Any>,
    report_id: &str,
    label_id: &str,
) -> StorageResult<bool> {
    let done = sqlx::query("DELETE FROM report_labels WHERE report_id = $1 AND label_id = $2")
        .bind(report_id)
        .bind(label_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The labels of each of `report_ids`: (report id, label).
pub async fn for_reports(
    db: &Database,
    organisation_id: &str,
    report_ids: &[String],
) -> StorageResult<Vec<(String, LabelRow)>> {
    if report_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (2..report_ids.len() + 2).map(|i| format!("${i}")).collect();
    let text = format!(
        "SELECT rl.report_id, l.id, l.name FROM report_labels rl JOIN labels l ON l.id = rl.label_id \
         WHERE rl.organisation_id = $1 AND rl.report_id IN ({}) ORDER BY l.name",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, (String, String, String)>(sql(text)).bind(organisation_id);
    for id in report_ids {
        query = query.bind(id);
    }
    Ok(query
        .fetch_all(db.pool())
        .await?
        .into_iter()
        .map(|(report, id, name)| (report, LabelRow { id, name }))
        .collect())
}
