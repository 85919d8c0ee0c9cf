//! The twin migrations (`migrations/sqlite`, `migrations/postgres`) describe
//! one schema. Both are applied to real databases, and what each database
//! says it holds (tables, columns with their types normalised, nullability,
//! primary keys, unique constraints, indexes, foreign keys and what deleting
//! does to them) is compared. A column, index or key added to one migration
//! and not the other fails here. Needs PostgreSQL (`WARD_TEST_DATABASE_URL`).

use std::collections::BTreeSet;

use sqlx::Row;
use ward::storage::Database;

use crate::helpers::{fresh_database_url, test_settings};

/// One fact about the schema, comparable between the two databases.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Fact {
    Table(String),
    Column {
        table: String,
        name: String,
        kind: String,
        not_null: bool,
    },
    PrimaryKey(String, Vec<String>),
    Unique(String, Vec<String>),
    Index {
        table: String,
        name: String,
        columns: Vec<String>,
        unique: bool,
        partial: bool,
    },
    ForeignKey {
        table: String,
        columns: Vec<String>,
        references: String,
        to: Vec<String>,
        on_delete: String,
    },
}

/// The type a column holds, whatever each database calls it.
fn normalised(kind: &str) -> String {
    match kind.to_ascii_uppercase().as_str() {
        "INTEGER" | "BIGINT" | "INT" | "SMALLINT" | "INT8" | "INT4" => "integer".into(),
        "TEXT" | "CHARACTER VARYING" | "VARCHAR" => "text".into(),
        "BLOB" | "BYTEA" => "bytes".into(),
        "REAL" | "DOUBLE PRECISION" => "real".into(),
        other => other.to_lowercase(),
    }
}

fn on_delete(action: &str) -> String {
    match action.trim().to_ascii_uppercase().as_str() {
        "" | "NO ACTION" => "no action".into(),
        other => other.to_lowercase(),
    }
}

/// Column names in a list such as `a, b DESC`.
fn names(list: &str) -> Vec<String> {
    list.split(',')
        .map(|c| {
            c.split_whitespace()
                .next()
                .unwrap_or_default()
                .trim_matches('"')
                .to_string()
        })
        .collect()
}

/// The text between the first `(` after `from` and its closing `)`.
fn parenthesised<'a>(text: &'a str, from: &str) -> &'a str {
    let start = text.find(from).map_or(0, |i| i + from.len());
    let open = start + text[start..].find('(').expect("a list in parentheses") + 1;
    let close = open + text[open..].find(')').expect("a closing parenthesis");
    &text[open..close]
}

async fn sqlite_schema(db: &Database) -> BTreeSet<Fact> {
    let pool = db.pool();
    let mut facts = BTreeSet::new();
    let tables: Vec<String> = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect();
    for table in tables {
        facts.insert(Fact::Table(table.clone()));
        let mut key = Vec::new();
        for row in sqlx::query(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY pk, cid",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .unwrap()
        {
            let (name, kind, not_null, pk): (String, String, i64, i64) =
                (row.get(0), row.get(1), row.get(2), row.get(3));
            if pk > 0 {
                key.push(name.clone());
            }
            facts.insert(Fact::Column {
                table: table.clone(),
                name,
                kind: normalised(&kind),
                not_null: not_null == 1 || pk > 0,
            });
        }
        if !key.is_empty() {
            facts.insert(Fact::PrimaryKey(table.clone(), key));
        }
        for row in
            sqlx::query("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)")
                .bind(&table)
                .fetch_all(pool)
                .await
                .unwrap()
        {
            let (name, unique, origin, partial): (String, i64, String, i64) =
                (row.get(0), row.get(1), row.get(2), row.get(3));
            let columns: Vec<String> =
                sqlx::query("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&name)
                    .fetch_all(pool)
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.get(0))
                    .collect();
            match origin.as_str() {
                "u" => {
                    facts.insert(Fact::Unique(table.clone(), columns));
                }
                "c" => {
                    facts.insert(Fact::Index {
                        table: table.clone(),
                        name,
                        columns,
                        unique: unique == 1,
                        partial: partial == 1,
                    });
                }
                _ => {} // the primary key's own index
            }
        }
        let mut keys: std::collections::BTreeMap<i64, (String, Vec<String>, Vec<String>, String)> =
            Default::default();
        for row in sqlx::query(
            "SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list($1) ORDER BY id, seq",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .unwrap()
        {
            let (id, references, from, to, delete): (i64, String, String, Option<String>, String) =
                (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4));
            let entry = keys
                .entry(id)
                .or_insert_with(|| (references, Vec::new(), Vec::new(), on_delete(&delete)));
            entry.1.push(from);
            entry.2.push(to.unwrap_or_default());
        }
        for (references, columns, to, on_delete) in keys.into_values() {
            facts.insert(Fact::ForeignKey {
                table: table.clone(),
                columns,
                references,
                to,
                on_delete,
            });
        }
    }
    facts
}

async fn postgres_schema(db: &Database) -> BTreeSet<Fact> {
    let pool = db.pool();
    let mut facts = BTreeSet::new();
    for row in sqlx::query(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    {
        facts.insert(Fact::Table(row.get(0)));
    }
    for row in sqlx::query(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = current_schema()",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    {
        let nullable: String = row.get(3);
        facts.insert(Fact::Column {
            table: row.get(0),
            name: row.get(1),
            kind: normalised(&row.get::<String, _>(2)),
            not_null: nullable == "NO",
        });
    }
    for row in sqlx::query(
        "SELECT conrelid::regclass::text, contype::text, pg_get_constraintdef(oid) FROM pg_constraint \
         WHERE connamespace = current_schema()::regnamespace AND contype IN ('p', 'u', 'f')",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    {
        let (table, kind, definition): (String, String, String) =
            (row.get(0), row.get(1), row.get(2));
        let table = table.trim_matches('"').to_string();
        let columns = names(parenthesised(&definition, ""));
        facts.insert(match kind.as_str() {
            "p" => Fact::PrimaryKey(table, columns),
            "u" => Fact::Unique(table, columns),
            _ => {
                let after = &definition[definition.find("REFERENCES ").unwrap() + 11..];
                let references = after[..after.find('(').unwrap()].trim_matches('"').to_string();
                let delete = definition
                    .split_once("ON DELETE ")
                    .map_or("", |(_, action)| action);
                Fact::ForeignKey {
                    table,
                    columns,
                    references,
                    to: names(parenthesised(after, "")),
                    on_delete: on_delete(
                        delete
                            .split(" ON UPDATE")
                            .next()
                            .unwrap_or_default()
                            .trim(),
                    ),
                }
            }
        });
    }
    for row in sqlx::query(
        "SELECT tablename::text, indexname::text, indexdef FROM pg_indexes \
         WHERE schemaname = current_schema() \
         AND indexname NOT IN (SELECT conname FROM pg_constraint)",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    {
        let (table, name, definition): (String, String, String) =
            (row.get(0), row.get(1), row.get(2));
        facts.insert(Fact::Index {
            table,
            name,
            columns: names(parenthesised(&definition, " USING ")),
            unique: definition.starts_with("CREATE UNIQUE"),
            partial: definition.contains(" WHERE "),
        });
    }
    facts
}

#[tokio::test]
async fn the_sqlite_and_postgresql_migrations_make_the_same_schema() {
    let Some(postgres) = fresh_database_url().await else {
        eprintln!("SKIPPED: needs PostgreSQL (WARD_TEST_DATABASE_URL) to compare the migrations");
        return;
    };
    let sqlite_dir = tempfile::tempdir().unwrap();
    let postgres_dir = tempfile::tempdir().unwrap();
    let (sqlite, _, _) = ward::startup::open_instance(&test_settings(sqlite_dir.path(), None))
        .await
        .unwrap();
    let (pg, _, _) =
        ward::startup::open_instance(&test_settings(postgres_dir.path(), Some(postgres)))
            .await
            .unwrap();
    // sqlx's own bookkeeping table is not part of the migrations.
    let ours = |facts: BTreeSet<Fact>| -> BTreeSet<Fact> {
        facts
            .into_iter()
            .filter(|f| !format!("{f:?}").contains("\"_sqlx_migrations\""))
            .collect()
    };
    let lite = ours(sqlite_schema(&sqlite).await);
    let post = ours(postgres_schema(&pg).await);
    assert!(
        lite.iter()
            .filter(|f| matches!(f, Fact::Column { .. }))
            .count()
            > 100,
        "the comparison sees the columns: {lite:#?}"
    );
    assert!(
        lite.iter().any(|f| matches!(f, Fact::ForeignKey { .. }))
            && lite.iter().any(|f| matches!(f, Fact::Index { .. })),
        "the comparison sees keys and indexes"
    );
    let only_sqlite: Vec<&Fact> = lite.difference(&post).collect();
    let only_postgres: Vec<&Fact> = post.difference(&lite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the migrations drifted apart.\nOnly in SQLite: {only_sqlite:#?}\nOnly in PostgreSQL: {only_postgres:#?}"
    );
}
