//! Every place where SQLite and PostgreSQL need different SQL, in one file.
//! The rest of Ward writes one SQL for both (`$1` parameters, `BIGINT`
//! milliseconds, `BLOB`/`BYTEA` through `Vec<u8>`); the twin migrations in
//! `migrations/` are checked to make the same schema by
//! `tests/api/migrations.rs`.

use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Transaction};

use super::StorageResult;
use crate::config::Backend;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Run on every new SQLite connection. WAL lets readers work beside the
/// writer; synchronous=FULL makes every committed transaction durable, even
/// across a power loss; a held write lock is waited for 2 s, then answered
/// "busy" (503) rather than hanging.
pub(super) const SQLITE_CONNECTION_SETUP: &str = "PRAGMA journal_mode = WAL; \
    PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 2000;";

/// The migrations of the backend.
pub(super) fn migrator(backend: Backend) -> &'static Migrator {
    match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    }
}

/// A transaction that will write. On SQLite it takes the write lock at
/// once (`BEGIN IMMEDIATE`): a deferred transaction that reads first could
/// not upgrade to writing after another connection committed.
pub(super) async fn begin_write(
    pool: &AnyPool,
    backend: Backend,
) -> StorageResult<Transaction<'static, Any>> {
    Ok(match backend {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => pool.begin().await?,
    })
}

/// A read-only transaction that sees one moment of the whole database (for
/// a backup). SQLite's read transactions are snapshots already.
pub(super) async fn begin_snapshot(
    pool: &AnyPool,
    backend: Backend,
) -> StorageResult<Transaction<'static, Any>> {
    let mut tx = pool.begin().await?;
    if backend == Backend::Postgres {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
    }
    Ok(tx)
}

/// Whether the migrations' bookkeeping table exists (a new database has none).
pub(super) fn migrations_table_exists(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
        }
        Backend::Postgres => {
            "SELECT CAST(1 AS BIGINT) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'"
        }
    }
}

/// The tables of the database that backups copy: migration bookkeeping,
/// the readiness check's row and the form's unsent drafts aside.
pub(super) fn table_names(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT IN ('_sqlx_migrations', 'write_checks', 'drafts') ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
             WHERE table_schema = current_schema() \
             AND table_name NOT IN ('_sqlx_migrations', 'write_checks', 'drafts') ORDER BY table_name"
        }
    }
}

/// How many columns the table `$1` has.
pub(super) fn column_count(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "SELECT COUNT(*) FROM pragma_table_info($1)",
        Backend::Postgres => {
            "SELECT COUNT(*) FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1"
        }
    }
}
