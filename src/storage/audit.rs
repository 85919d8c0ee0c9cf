//! The audit log's rows and the head of its hash chain. The chain itself is
//! computed in `domain::audit`; this module only reads and appends.

use sqlx::{Any, Transaction};

use super::{Database, StorageResult, sql};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRow {
    pub seq: i64,
    pub at: i64,
    pub organisation_id: Option<String>,
    pub actor_user_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub detail: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

const COLUMNS: &str = "seq, at, organisation_id, actor_user_id, actor, action, object_type, \
                       object_id, detail, prev_hash, hash";

/// Takes the next sequence number and returns it with the hash of the entry
/// before. The update locks the head row until the transaction ends, so
/// appends are serialised (on SQLite the first write takes the database lock).
pub async fn next_link(
    tx: &mut Transaction<'_, Any>,
    genesis: &str,
) -> StorageResult<(i64, String)> {
    sqlx::query(
        "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, $1) ON CONFLICT (id) DO NOTHING",
    )
    .bind(genesis)
    .execute(&mut **tx)
    .await?;
    let (seq, hash): (i64, String) =
        sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut **tx)
            .await?;
    Ok((seq, hash))
}

pub async fn insert(tx: &mut Transaction<'_, Any>, row: &AuditRow) -> StorageResult<()> {
    sqlx::query(sql(format!(
        "INSERT INTO audit_log ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    )))
    .bind(row.seq)
    .bind(row.at)
    .bind(&row.organisation_id)
    .bind(&row.actor_user_id)
    .bind(&row.actor)
    .bind(&row.action)
    .bind(&row.object_type)
    .bind(&row.object_id)
    .bind(&row.detail)
    .bind(&row.prev_hash)
    .bind(&row.hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1 AND seq = $2")
        .bind(&row.hash)
        .bind(row.seq)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The head of the chain: the last sequence number and its hash.
pub async fn head(db: &Database) -> StorageResult<Option<(i64, String)>> {
    Ok(
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_optional(db.pool())
            .await?,
    )
}

/// Up to `limit` entries after `after_seq`, oldest first (for verification).
pub async fn batch_after(
    db: &Database,
    after_seq: i64,
    limit: i64,
) -> StorageResult<Vec<AuditRow>> {
    Ok(sqlx::query_as(sql(format!(
        "SELECT {COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"
    )))
    .bind(after_seq)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

/// What the administrator filters the log by.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub actor_user_id: Option<String>,
    pub action: Option<String>,
    pub object_id: Option<String>,
    pub from: Option<i64>,
    pub until: Option<i64>,
    /// Only entries older than this sequence number (the next page).
    pub before_seq: Option<i64>,
}

/// An organisation's entries, newest first.
pub async fn list(
    db: &Database,
    organisation_id: &str,
    filter: &AuditFilter,
    limit: i64,
) -> StorageResult<Vec<AuditRow>> {
    let mut conditions = vec!["organisation_id = $1".to_string()];
    let mut n = 1;
    let mut next = |column: &str, op: &str| {
        n += 1;
        conditions.push(format!("{column} {op} ${n}"));
    };
    if filter.actor_user_id.is_some() {
        next("actor_user_id", "=");
    }
    if filter.action.is_some() {
        next("action", "=");
    }
    if filter.object_id.is_some() {
        next("object_id", "=");
    }
    if filter.from.is_some() {
        next("at", ">=");
    }
    if filter.until.is_some() {
        next("at", "<");
    }
    if filter.before_seq.is_some() {
        next("seq", "<");
    }
    let text = format!(
        "SELECT {COLUMNS} FROM audit_log WHERE {} ORDER BY seq DESC LIMIT ${}",
        conditions.join(" AND "),
        n + 1
    );
    let mut query = sqlx::query_as(sql(text)).bind(organisation_id);
    for value in [&filter.actor_user_id, &filter.action, &filter.object_id]
        .into_iter()
        .flatten()
    {
        query = query.bind(value.clone());
    }
    for value in [filter.from, filter.until, filter.before_seq]
        .into_iter()
        .flatten()
    {
        query = query.bind(value);
    }
    Ok(query.bind(limit).fetch_all(db.pool()).await?)
}
