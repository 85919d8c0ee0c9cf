//! Links between duplicate or related reports, stored in both directions.

use sqlx::{Any, Transaction};

use super::{Database, StorageResult};

/// A report linked to another, as the case view lists it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LinkedReport {
    pub other_report_id: String,
    pub kind: String,
    pub category: String,
    pub status: String,
    pub created_at: i64,
}

/// Links two reports of one organisation (or changes the kind of their
/// link); false when they were linked so already.
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    organisation_id: &str,
    a: &str,
    b: &str,
    kind: &str,
    user_id: &str,
    now: i64,
) -> StorageResult<bool> {
    let mut added = false;
    for (from, to) in [(a, b), (b, a)] {
        let done = sqlx::query(
            "INSERT INTO report_links (organisation_id, report_id, other_report_id, kind, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (report_id, other_report_id) \
             DO UPDATE SET kind = excluded.kind WHERE report_links.kind <> excluded.kind",
        )
        .bind(organisation_id)
        .bind(from)
        .bind(to)
        .bind(kind)
        .bind(user_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        added |= done.rows_affected() == 1;
    }
    Ok(added)
}

/// Removes the link between two reports; false when there was none.
pub async fn delete(
    tx: &mut Transaction<'_, Any>,
    organisation_id: &str,
    a: &str,
    b: &str,
) -> StorageResult<bool> {
    let done = sqlx::query(
        "DELETE FROM report_links WHERE organisation_id = $1 AND \
         ((report_id = $2 AND other_report_id = $3) OR (report_id = $3 AND other_report_id = $2))",
    )
    .bind(organisation_id)
    .bind(a)
    .bind(b)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn for_report(
    db: &Database,
    organisation_id: &str,
    report_id: &str,
) -> StorageResult<Vec<LinkedReport>> {
    Ok(sqlx::query_as(
        "SELECT l.other_report_id, l.kind, r.category, r.status, r.created_at \
         FROM report_links l JOIN reports r ON r.id = l.other_report_id \
         WHERE l.organisation_id = $1 AND l.report_id = $2 ORDER BY r.created_at",
    )
    .bind(organisation_id)
    .bind(report_id)
    .fetch_all(db.pool())
    .await?)
}
