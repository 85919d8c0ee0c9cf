//! Table-by-table copy of the database, used by backup and restore.
//!
//! The copy is portable: a backup taken on SQLite restores into PostgreSQL and
//! the other way round. `TABLES` lists every table in dependency order; a test
//! checks that no table of the schema is missing from it.

use serde::{Deserialize, Serialize};
use sqlx::{Any, Row, Transaction};

use super::StorageResult;

#[derive(Clone, Copy, Debug)]
pub enum ColumnType {
    Text,
    Int,
    Blob,
}

pub struct TableSpec {
    pub name: &'static str,
    pub key: &'static str,
    pub columns: &'static [(&'static str, ColumnType)],
}

use ColumnType::{Blob, Int, Text};

/// Every table of data, parents before children (not `write_checks`, the
/// readiness check's scratch row, which every instance makes for itself).
/// A column added by a later migration goes at the end of its table's
/// list: rows of a backup made before it then restore with it left to its
/// default (see [`insert_row`]).
pub const TABLES: &[TableSpec] = &[
    TableSpec {
        name: "organisations",
        key: "id",
        columns: &[
            ("id", Text),
            ("name", Text),
            ("country", Text),
            ("public_key", Text),
            ("recovery_public_key", Text),
            ("recovery_wrapped_key", Blob),
            ("created_at", Int),
            ("covers_all_countries", Int),
            ("openpgp_cert", Text),
            ("openpgp_sealed_key", Blob),
        ],
    },
    TableSpec {
        name: "users",
        key: "id",
        columns: &[
            ("id", Text),
            ("organisation_id", Text),
            ("email", Text),
            ("role", Text),
            ("password_hash", Text),
            ("totp_secret_sealed", Blob),
            ("public_key", Text),
            ("sealed_private_key", Blob),
            ("disabled", Int),
            ("created_at", Int),
            ("failed_sign_ins", Int),
            ("locked_until", Int),
            ("last_totp_step", Int),
            ("totp_pending", Int),
        ],
    },
    TableSpec {
        name: "sessions",
        key: "id_hash",
        columns: &[
            ("id_hash", Text),
            ("user_id", Text),
            ("organisation_id", Text),
            ("sealed_org_key", Blob),
            ("created_at", Int),
            ("last_seen_at", Int),
            ("stage", Text),
        ],
    },
    TableSpec {
        name: "organisation_key_grants",
        key: "organisation_id, user_id",
        columns: &[
            ("organisation_id", Text),
            ("user_id", Text),
            ("wrapped_key", Blob),
            ("granted_at", Int),
        ],
    },
    TableSpec {
        name: "setup_tokens",
        key: "token_hash",
        columns: &[("token_hash", Text), ("expires_at", Int), ("used_at", Int)],
    },
    TableSpec {
        name: "reports",
        key: "id",
        columns: &[
            ("id", Text),
            ("organisation_id", Text),
            ("receipt_hash", Text),
            ("category", Text),
            ("country", Text),
            ("language", Text),
            ("status", Text),
            ("sealed_content", Blob),
            ("created_at", Int),
            ("reporter_public_key", Text),
            ("reporter_sealed_key", Blob),
            ("reported_category", Text),
            ("inbox_rank", Int),
            ("assignee_id", Text),
            ("priority", Int),
            ("urgent", Int),
            ("sealed_urgent_reason", Blob),
            ("legal_assessment", Text),
            ("material_classification", Text),
            ("age_band", Text),
            ("child_gender", Text),
            ("closing_reason", Text),
            ("updated_at", Int),
            ("submission_hash", Text),
        ],
    },
    TableSpec {
        name: "messages",
        key: "id",
        columns: &[
            ("id", Text),
            ("organisation_id", Text),
            ("report_id", Text),
            ("author", Text),
            ("author_user_id", Text),
            ("sealed_body", Blob),
            ("created_at", Int),
        ],
    },
    TableSpec {
        name: "attachments",
        key: "id",
        columns: &[
            ("id", Text),
            ("organisation_id", Text),
            ("report_id", Text),
            ("object_key", Text),
            ("stored_size", Int),
            ("sealed_metadata", Blob),
            ("created_at", Int),
            ("message_id", Text),
        ],
    },
    TableSpec {
        name: "labels",
        key: "id",
        columns: &[
            ("id", Text),
            ("organisation_id", Text),
            ("name", Text),
            ("created_at", Int),
        ],
    },
    TableSpec {
        name: "report_labels",
        key: "report_id, label_id",
        columns: &[
            ("report_id", Text),
            ("label_id", Text),
            ("organisation_id", Text),
        ],
    },
    TableSpec {
        name: "notes",
        key: "id",
        columns: &[
            ("id", Text),
            ("organisation_id", Text),
            ("report_id", Text),
            ("author_user_id", Text),
            ("sealed_body", Blob),
            ("created_at", Int),
        ],
    },
    TableSpec {
        name: "report_links",
        key: "report_id, other_report_id",
        columns: &[
            ("organisation_id", Text),
            ("report_id", Text),
            ("other_report_id", Text),
            ("kind", Text),
            ("created_by", Text),
            ("created_at", Int),
        ],
    },
    TableSpec {
        name: "report_reads",
        key: "user_id, report_id",
        columns: &[("user_id", Text), ("report_id", Text), ("read_at", Int)],
    },
    TableSpec {
        name: "invitations",
        key: "token_hash",
        columns: &[
            ("token_hash", Text),
            ("organisation_id", Text),
            ("kind", Text),
            ("email", Text),
            ("role", Text),
            ("user_id", Text),
            ("sealed_org_key", Blob),
            ("created_by", Text),
            ("created_at", Int),
            ("expires_at", Int),
            ("used_at", Int),
        ],
    },
    TableSpec {
        name: "recovery_codes",
        key: "user_id, code_hash",
        columns: &[("user_id", Text), ("code_hash", Text), ("used_at", Int)],
    },
    TableSpec {
        name: "audit_log",
        key: "seq",
        columns: &[
            ("seq", Int),
            ("at", Int),
            ("organisation_id", Text),
            ("actor_user_id", Text),
            ("actor", Text),
            ("action", Text),
            ("object_type", Text),
            ("object_id", Text),
            ("detail", Text),
            ("prev_hash", Text),
            ("hash", Text),
        ],
    },
    TableSpec {
        name: "audit_head",
        key: "id",
        columns: &[("id", Int), ("seq", Int), ("hash", Text)],
    },
    TableSpec {
        name: "country_directory",
        key: "code",
        columns: &[
            ("code", Text),
            ("emergency", Text),
            ("mechanism", Text),
            ("mechanism_url", Text),
            ("languages", Text),
            ("updated_by", Text),
            ("updated_at", Int),
        ],
    },
    TableSpec {
        name: "routing_rules",
        key: "country",
        columns: &[
            ("country", Text),
            ("organisation_id", Text),
            ("created_at", Int),
        ],
    },
    TableSpec {
        name: "recipients",
        key: "id",
        columns: &[
            ("id", Text),
            ("organisation_id", Text),
            ("name", Text),
            ("country", Text),
            ("kind", Text),
            ("email", Text),
            ("openpgp_key", Text),
            ("notes", Text),
            ("disabled", Int),
            ("created_at", Int),
        ],
    },
    TableSpec {
        name: "recipient_rules",
        key: "recipient_id, country, category",
        columns: &[
            ("organisation_id", Text),
            ("recipient_id", Text),
            ("country", Text),
            ("category", Text),
        ],
    },
    TableSpec {
        name: "portal_accounts",
        key: "id",
        columns: &[
            ("id", Text),
            ("organisation_id", Text),
            ("recipient_id", Text),
            ("email", Text),
            ("password_hash", Text),
            ("totp_secret_sealed", Blob),
            ("public_key", Text),
            ("sealed_private_key", Blob),
            ("disabled", Int),
            ("failed_sign_ins", Int),
            ("locked_until", Int),
            ("last_totp_step", Int),
            ("created_at", Int),
        ],
    },
    TableSpec {
        name: "portal_invitations",
        key: "token_hash",
        columns: &[
            ("token_hash", Text),
            ("account_id", Text),
            ("expires_at", Int),
            ("used_at", Int),
        ],
    },
    TableSpec {
        name: "portal_sessions",
        key: "id_hash",
        columns: &[
            ("id_hash", Text),
            ("account_id", Text),
            ("sealed_private_key", Blob),
            ("created_at", Int),
            ("last_seen_at", Int),
        ],
    },
    TableSpec {
        name: "referrals",
        key: "id",
        columns: &[
            ("id", Text),
            ("organisation_id", Text),
            ("report_id", Text),
            ("recipient_id", Text),
            ("channel", Text),
            ("state", Text),
            ("sealed_package", Blob),
            ("created_by", Text),
            ("created_at", Int),
            ("sent_at", Int),
            ("due_at", Int),
            ("acknowledged_at", Int),
            ("outcome", Text),
            ("sealed_outcome_note", Blob),
            ("outcome_at", Int),
        ],
    },
    TableSpec {
        name: "transfers",
        key: "id",
        columns: &[
            ("id", Text),
            ("from_organisation_id", Text),
            ("from_report_id", Text),
            ("to_organisation_id", Text),
            ("to_report_id", Text),
            ("created_by", Text),
            ("created_at", Int),
        ],
    },
    TableSpec {
        name: "key_bindings",
        key: "owner_kind, owner_id",
        columns: &[("owner_kind", Text), ("owner_id", Text), ("mac", Text)],
    },
];

/// One column value in a backup. Blobs are base64 in JSON.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Blob(#[serde(with = "base64_bytes")] Vec<u8>),
}

/// A row as written to the backup: its values in the order of `TableSpec::columns`.
/// In JSON a blob reads back as text; `insert_row` decodes it by the column type.
pub type RowValues = Vec<Value>;

pub async fn read_rows(
    tx: &mut Transaction<'_, Any>,
    table: &TableSpec,
) -> StorageResult<Vec<RowValues>> {
    let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {}",
        columns.join(", "),
        table.name,
        table.key
    );
    let rows = sqlx::query(super::sql(sql)).fetch_all(&mut **tx).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut values = Vec::with_capacity(columns.len());
        for (i, (_, ty)) in table.columns.iter().enumerate() {
            let value = match ty {
                Text => row.try_get::<Option<String>, _>(i)?.map(Value::Text),
                Int => row.try_get::<Option<i64>, _>(i)?.map(Value::Int),
                Blob => row.try_get::<Option<Vec<u8>>, _>(i)?.map(Value::Blob),
            };
            values.push(value.unwrap_or(Value::Null));
        }
        out.push(values);
    }
    Ok(out)
}

/// Inserts one row of a backup. `from_older_schema`: the row comes from a
/// backup made before some of the table's columns existed; it then holds
/// fewer values, and the columns it lacks (the last ones) keep their
/// defaults.
pub async fn insert_row(
    tx: &mut Transaction<'_, Any>,
    table: &TableSpec,
    values: RowValues,
    from_older_schema: bool,
) -> StorageResult<()> {
    let fewer_allowed =
        from_older_schema && !values.is_empty() && values.len() < table.columns.len();
    if values.len() != table.columns.len() && !fewer_allowed {
        return Err(super::StorageError::Invalid(format!(
            "a row of {} has {} values, expected {}",
            table.name,
            values.len(),
            table.columns.len()
        )));
    }
    let known = &table.columns[..values.len()];
    let columns: Vec<&str> = known.iter().map(|(c, _)| *c).collect();
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        table.name,
        columns.join(", "),
        placeholders.join(", ")
    );
    let mut query = sqlx::query(super::sql(sql));
    for ((column, ty), value) in known.iter().zip(values) {
        query = match (ty, value) {
            (Text, Value::Text(s)) => query.bind(s),
            (Text, Value::Null) => query.bind(None::<String>),
            (Int, Value::Int(n)) => query.bind(n),
            (Int, Value::Null) => query.bind(None::<i64>),
            // Untagged JSON cannot tell base64 from text: the column type decides.
            (Blob, Value::Text(s)) => {
                query.bind(base64_bytes::decode(&s).map_err(|_| bad(table, column))?)
            }
            (Blob, Value::Blob(b)) => query.bind(b),
            (Blob, Value::Null) => query.bind(None::<Vec<u8>>),
            _ => return Err(bad(table, column)),
        };
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

fn bad(table: &TableSpec, column: &str) -> super::StorageError {
    super::StorageError::Invalid(format!("bad value for {}.{column}", table.name))
}

/// Whether a table of [`TABLES`] holds any row.
pub async fn has_rows(tx: &mut Transaction<'_, Any>, table: &TableSpec) -> StorageResult<bool> {
    let found: Option<(i64,)> =
        sqlx::query_as(super::sql(format!("SELECT 1 FROM {} LIMIT 1", table.name)))
            .fetch_optional(&mut **tx)
            .await?;
    Ok(found.is_some())
}

/// Names of the tables that exist in the connected database (migration
/// bookkeeping excluded), to check that `TABLES` is complete.
pub async fn existing_tables(
    tx: &mut Transaction<'_, Any>,
    backend: crate::config::Backend,
) -> StorageResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(super::dialect::table_names(backend))
        .fetch_all(&mut **tx)
        .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

/// How many columns a table of the connected database has, to check that
/// `TABLES` names them all.
pub async fn column_count(
    tx: &mut Transaction<'_, Any>,
    backend: crate::config::Backend,
    table: &str,
) -> StorageResult<i64> {
    let (n,): (i64,) = sqlx::query_as(super::dialect::column_count(backend))
        .bind(table)
        .fetch_one(&mut **tx)
        .await?;
    Ok(n)
}

mod base64_bytes {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        decode(&text).map_err(serde::de::Error::custom)
    }

    pub fn decode(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
        STANDARD.decode(text)
    }
}
