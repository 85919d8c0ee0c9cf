//! Referrals to authorities and partners, and the organisations' OpenPGP keys.

use sqlx::{Any, Transaction};

use super::{Database, StorageResult, sql};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ReferralRow {
    pub id: String,
    pub organisation_id: String,
    pub report_id: String,
    pub recipient_id: String,
    pub channel: String,
    pub state: String,
    pub sealed_package: Vec<u8>,
    pub created_by: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub due_at: Option<i64>,
    pub acknowledged_at: Option<i64>,
    pub outcome: Option<String>,
    pub sealed_outcome_note: Option<Vec<u8>>,
    pub outcome_at: Option<i64>,
}

const COLUMNS: &str = "id, organisation_id, report_id, recipient_id, channel, state, sealed_package, \
     created_by, created_at, sent_at, due_at, acknowledged_at, outcome, sealed_outcome_note, outcome_at";

pub async fn insert(tx: &mut Transaction<'_, Any>, r: &ReferralRow) -> StorageResult<()> {
    sqlx::query(sql(format!(
        "INSERT INTO referrals ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    )))
    .bind(&r.id)
    .bind(&r.organisation_id)
    .bind(&r.report_id)
    .bind(&r.recipient_id)
    .bind(&r.channel)
    .bind(&r.state)
    .bind(&r.sealed_package)
    .bind(&r.created_by)
    .bind(r.created_at)
    .bind(r.sent_at)
    .bind(r.due_at)
    .bind(r.acknowledged_at)
    .bind(&r.outcome)
    .bind(&r.sealed_outcome_note)
    .bind(r.outcome_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn get(
    db: &Database,
    organisation_id: &str,
    id: &str,
) -> StorageResult<Option<ReferralRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM referrals WHERE organisation_id = $1 AND id = $2"
    )))
    .bind(organisation_id)
    .bind(id)
    .fetch_optional(db.pool())
    .await?)
}

/// A referral addressed to a recipient (the portal's view).
pub async fn get_for_recipient(
    db: &Database,
    recipient_id: &str,
    id: &str,
) -> StorageResult<Option<ReferralRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM referrals WHERE recipient_id = $1 AND id = $2 AND state <> 'prepared'"
    )))
    .bind(recipient_id)
    .bind(id)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn for_report(
    db: &Database,
    organisation_id: &str,
    report_id: &str,
) -> StorageResult<Vec<ReferralRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM referrals WHERE organisation_id = $1 AND report_id = $2 ORDER BY created_at, id"
    )))
    .bind(organisation_id)
    .bind(report_id)
    .fetch_all(db.pool())
    .await?)
}

/// Which of these reports have a referral sent and not acknowledged by `now`.
pub async fn overdue_among(
    db: &Database,
    organisation_id: &str,
    report_ids: &[String],
    now: i64,
) -> StorageResult<Vec<String>> {
    if report_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (0..report_ids.len())
        .map(|i| format!("${}", i + 3))
        .collect();
    let text = format!(
        "SELECT DISTINCT report_id FROM referrals WHERE organisation_id = $1 AND state = 'sent' \
         AND due_at < $2 AND report_id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_scalar::<_, String>(sql(text))
        .bind(organisation_id)
        .bind(now);
    for id in report_ids {
        query = query.bind(id);
    }
    Ok(query.fetch_all(db.pool()).await?)
}

/// The referrals a recipient has received, newest first.
pub async fn for_recipient(db: &Database, recipient_id: &str) -> StorageResult<Vec<ReferralRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM referrals WHERE recipient_id = $1 AND state <> 'prepared' \
         ORDER BY sent_at DESC, id DESC LIMIT 500"
    )))
    .bind(recipient_id)
    .fetch_all(db.pool())
    .await?)
}

pub async fn mark_sent(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    sent_at: i64,
    due_at: i64,
) -> StorageResult<()> {
    sqlx::query("UPDATE referrals SET state = 'sent', sent_at = $1, due_at = $2 WHERE id = $3 AND state = 'prepared'")
        .bind(sent_at)
        .bind(due_at)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn mark_acknowledged(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    at: i64,
) -> StorageResult<()> {
    sqlx::query(
        "UPDATE referrals SET state = 'acknowledged', acknowledged_at = $1 WHERE id = $2 AND state = 'sent'",
    )
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn record_outcome(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    outcome: &str,
    sealed_note: Option<&[u8]>,
    at: i64,
) -> StorageResult<()> {
    sqlx::query(
        "UPDATE referrals SET state = 'outcome', outcome = $1, sealed_outcome_note = $2, outcome_at = $3, \
         acknowledged_at = COALESCE(acknowledged_at, $3) WHERE id = $4 AND state <> 'prepared'",
    )
    .bind(outcome)
    .bind(sealed_note)
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An organisation's OpenPGP certificate and its sealed secret, if made.
pub async fn organisation_key(
    db: &Database,
    organisation_id: &str,
) -> StorageResult<Option<(String, Vec<u8>)>> {
    let row: Option<(Option<String>, Option<Vec<u8>>)> =
        sqlx::query_as("SELECT openpgp_cert, openpgp_sealed_key FROM organisations WHERE id = $1")
            .bind(organisation_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(match row {
        Some((Some(cert), Some(sealed))) => Some((cert, sealed)),
        _ => None,
    })
}

/// Stores an organisation's new OpenPGP key, unless one was stored meanwhile.
pub async fn set_organisation_key(
    db: &Database,
    organisation_id: &str,
    cert: &str,
    sealed: &[u8],
) -> StorageResult<()> {
    sqlx::query(
        "UPDATE organisations SET openpgp_cert = $1, openpgp_sealed_key = $2 WHERE id = $3 AND openpgp_cert IS NULL",
    )
    .bind(cert)
    .bind(sealed)
    .bind(organisation_id)
    .execute(db.pool())
    .await?;
    Ok(())
}
