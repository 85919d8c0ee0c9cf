//! Casework on reports: the workflow and assessment columns of `reports`,
//! and which member has read which report.

use sqlx::{Any, Transaction};

use super::{Database, StorageResult, sql};

/// A report as the case view needs it: routing and casework in clear, the
/// reporter's content sealed.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CaseRow {
    pub id: String,
    pub organisation_id: String,
    pub category: String,
    pub reported_category: Option<String>,
    pub country: String,
    pub language: String,
    pub status: String,
    pub created_at: i64,
    pub updated_at: Option<i64>,
    pub assignee_id: Option<String>,
    pub priority: i64,
    pub urgent: i64,
    pub sealed_urgent_reason: Option<Vec<u8>>,
    pub legal_assessment: Option<String>,
    pub material_classification: Option<String>,
    pub age_band: Option<String>,
    pub child_gender: Option<String>,
    pub closing_reason: Option<String>,
    pub sealed_content: Vec<u8>,
}

const COLUMNS: &str = "id, organisation_id, category, reported_category, country, language, status, \
     created_at, updated_at, assignee_id, priority, urgent, sealed_urgent_reason, legal_assessment, \
     material_classification, age_band, child_gender, closing_reason, sealed_content";

pub async fn get(db: &Database, organisation_id: &str, id: &str) -> StorageResult<Option<CaseRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM reports WHERE organisation_id = $1 AND id = $2"
    )))
    .bind(organisation_id)
    .bind(id)
    .fetch_optional(db.pool())
    .await?)
}

/// Ids of an organisation's reports whose id starts with `prefix` (at most two).
pub async fn ids_with_prefix(
    db: &Database,
    organisation_id: &str,
    prefix: &str,
) -> StorageResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM reports WHERE organisation_id = $1 AND id LIKE $2 ORDER BY id LIMIT 2",
    )
    .bind(organisation_id)
    .bind(format!("{prefix}%"))
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Sets the workflow status (and the inbox rank that follows from it).
pub async fn set_status(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    status: &str,
    closing_reason: Option<&str>,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "UPDATE reports SET status = $1, inbox_rank = $2, closing_reason = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(status)
    .bind(i64::from(status == "new"))
    .bind(closing_reason)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_assignee(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    assignee_id: Option<&str>,
    now: i64,
) -> StorageResult<()> {
    sqlx::query("UPDATE reports SET assignee_id = $1, updated_at = $2 WHERE id = $3")
        .bind(assignee_id)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The analysts' assessment of a case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssessmentColumns {
    pub category: String,
    pub country: String,
    pub legal_assessment: Option<String>,
    pub material_classification: Option<String>,
    pub age_band: Option<String>,
    pub child_gender: Option<String>,
    pub priority: i64,
    pub urgent: bool,
    pub sealed_urgent_reason: Option<Vec<u8>>,
}

pub async fn set_assessment(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    a: &AssessmentColumns,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "UPDATE reports SET category = $1, country = $2, legal_assessment = $3, \
         material_classification = $4, age_band = $5, child_gender = $6, priority = $7, \
         urgent = $8, sealed_urgent_reason = $9, updated_at = $10 WHERE id = $11",
    )
    .bind(&a.category)
    .bind(&a.country)
    .bind(&a.legal_assessment)
    .bind(&a.material_classification)
    .bind(&a.age_band)
    .bind(&a.child_gender)
    .bind(a.priority)
    .bind(i64::from(a.urgent))
    .bind(&a.sealed_urgent_reason)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Marks a report read by a member.
pub async fn mark_read(
    db: &Database,
    user_id: &str,
    report_id: &str,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO report_reads (user_id, report_id, read_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, report_id) DO UPDATE SET read_at = excluded.read_at",
    )
    .bind(user_id)
    .bind(report_id)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Makes a report unread for everyone (news from the reporter).
pub async fn mark_unread(tx: &mut Transaction<'_, Any>, report_id: &str) -> StorageResult<()> {
    sqlx::query("DELETE FROM report_reads WHERE report_id = $1")
        .bind(report_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The inbox rank of a case with news from its reporter: above every other
/// (new reports are 1, the rest 0), whatever its status, until a member
/// opens it.
pub const RANK_REPORTER_NEWS: i64 = 2;

/// Raises a case to the top of the triage order: its reporter wrote.
pub async fn raise_for_reporter_news(
    tx: &mut Transaction<'_, Any>,
    report_id: &str,
) -> StorageResult<()> {
    sqlx::query("UPDATE reports SET inbox_rank = $1 WHERE id = $2")
        .bind(RANK_REPORTER_NEWS)
        .bind(report_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A member opened the case: the reporter's news is seen, and the case
/// takes the rank its status gives (1 for new, else 0).
pub async fn settle_rank(db: &Database, report_id: &str) -> StorageResult<()> {
    sqlx::query(
        "UPDATE reports SET inbox_rank = CASE WHEN status = 'new' THEN 1 ELSE 0 END \
         WHERE id = $1 AND inbox_rank = $2",
    )
    .bind(report_id)
    .bind(RANK_REPORTER_NEWS)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Which of `report_ids` a member has read.
pub async fn read_among(
    db: &Database,
    user_id: &str,
    report_ids: &[String],
) -> StorageResult<Vec<String>> {
    if report_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (2..report_ids.len() + 2).map(|i| format!("${i}")).collect();
    let text = format!(
        "SELECT report_id FROM report_reads WHERE user_id = $1 AND report_id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, (String,)>(sql(text)).bind(user_id);
    for id in report_ids {
        query = query.bind(id);
    }
    Ok(query
        .fetch_all(db.pool())
        .await?
        .into_iter()
        .map(|(id,)| id)
        .collect())
}
