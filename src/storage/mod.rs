//! Storage: the only module that speaks SQL or touches the file store.
//!
//! One code path serves SQLite and PostgreSQL through sqlx's `Any` driver:
//! queries use `$n` placeholders (which both understand) and only portable
//! types (TEXT, BIGINT, BLOB/BYTEA). Each backend has its own migrations.

pub mod attachments;
pub mod audit;
pub mod cases;
pub mod dialect;
pub mod directory;
pub mod drafts;
pub mod filestore;
pub mod inbox;
pub mod intake;
pub mod invitations;
pub mod key_bindings;
pub mod labels;
pub mod links;
pub mod messages;
pub mod notes;
pub mod organisations;
pub mod portal;
pub mod recipients;
pub mod recovery_codes;
pub mod referrals;
pub mod reports;
pub mod routing;
pub mod sessions;
pub mod setup_tokens;
pub mod sign_in_attempts;
pub mod tables;
pub mod transfers;
pub mod users;
mod write;

use std::str::FromStr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Connection, Executor};

use crate::config::{Backend, backend_of, redact_url};

pub use filestore::FileStore;
pub use intake::IntakeWriter;
pub use write::WriteTx;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("cannot reach the database at {url}: {source}")]
    Unreachable { url: String, source: sqlx::Error },
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error(
        "the database schema (version {found}) is newer than this Ward knows (version {known}); upgrade Ward"
    )]
    SchemaTooNew { found: i64, known: i64 },
    #[error("already exists")]
    Conflict,
    #[error("database error: {0}")]
    Sqlx(sqlx::Error),
    #[error("file store error: {0}")]
    Files(#[from] object_store::Error),
    /// Writing to the local file store failed (a full disk, most often).
    #[error("cannot write a file: {0}")]
    Disk(std::io::Error),
    #[error("{0}")]
    Invalid(String),
}

impl From<sqlx::Error> for StorageError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StorageError::Conflict,
            _ => StorageError::Sqlx(e),
        }
    }
}

impl StorageError {
    /// Whether the database is out of reach for now (down, every connection
    /// busy, or its write lock held elsewhere) rather than refusing this
    /// request: the answer is then "try again shortly", not a failure.
    /// A full disk is one of these: the write is refused whole, and works
    /// again as soon as there is room.
    pub fn is_transient(&self) -> bool {
        let e = match self {
            StorageError::Sqlx(e) => e,
            StorageError::Disk(e) => return is_disk_full(e),
            _ => return false,
        };
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
            sqlx::Error::Database(db) => {
                let code = db.code().unwrap_or_default();
                if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    let sqlite = code.parse::<i32>().unwrap_or_default();
                    // SQLite's primary code is the low byte of an extended one:
                    // BUSY (5), LOCKED (6), IOERR (10), FULL (13).
                    return matches!(sqlite & 0xff, 5 | 6 | 10 | 13);
                }
                // PostgreSQL: class 08 (connection), 53 (insufficient
                // resources: disk full, out of memory, too many connections),
                // 57P (shutdown), 58030 (I/O error).
                code.starts_with("08")
                    || code.starts_with("53")
                    || code.starts_with("57P")
                    || code.as_ref() == "58030"
            }
            _ => false,
        }
    }
}

impl StorageError {
    /// Whether the database refused a value no text column can hold (a
    /// NUL character, which PostgreSQL refuses in any text: SQLSTATE
    /// 22021): the request was bad, not the server.
    pub fn is_unstorable_input(&self) -> bool {
        matches!(self, StorageError::Sqlx(sqlx::Error::Database(db))
            if db.code().as_deref() == Some("22021"))
    }
}

/// ENOSPC or EDQUOT: no room left on the disk, or in the user's quota.
fn is_disk_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull
        || e.kind() == std::io::ErrorKind::QuotaExceeded
        || matches!(e.raw_os_error(), Some(28 | 122))
}

pub type StorageResult<T> = Result<T, StorageError>;

/// A pool of connections to SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub struct Database {
    pool: AnyPool,
    backend: Backend,
    /// The group-commit writer of intake, started at the first report.
    intake: Arc<OnceLock<IntakeWriter>>,
}

impl Database {
    /// Connects and checks that the database answers.
    pub async fn connect(url: &str, max_connections: u32) -> StorageResult<Self> {
        sqlx::any::install_default_drivers();
        let backend = backend_of(url).map_err(|e| StorageError::Invalid(e.to_string()))?;
        let unreachable = |source| StorageError::Unreachable {
            url: redact_url(url),
            source,
        };
        let options = AnyConnectOptions::from_str(url).map_err(unreachable)?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            // A database out of reach is answered 503 within seconds, not after a long hang.
            .acquire_timeout(Duration::from_secs(2))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(dialect::SQLITE_CONNECTION_SETUP).await?;
                    }
                    Ok(())
                })
            })
            // A transaction whose COMMIT failed (a full disk) may have been
            // rolled back by SQLite behind sqlx's back, leaving sqlx counting
            // a transaction that is gone: every later `BEGIN` on that
            // connection would fail or nest as a savepoint that never
            // commits. Such a connection is closed, never reused.
            .after_release(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Runs the rollback queued when the transaction was dropped.
                        conn.ping().await?;
                    }
                    Ok(!conn.is_in_transaction())
                })
            })
            .connect_with(options)
            .await
            .map_err(unreachable)?;
        let db = Self {
            pool,
            backend,
            intake: Arc::default(),
        };
        if backend == Backend::Sqlite {
            db.make_files_private().await?;
        }
        Ok(db)
    }

    /// Makes the SQLite database and its WAL files readable by Ward's user
    /// only (SQLite gives the files it makes later the database's mode).
    async fn make_files_private(&self) -> StorageResult<()> {
        use std::os::unix::fs::PermissionsExt;
        let (file,): (String,) =
            sqlx::query_as("SELECT file FROM pragma_database_list WHERE name = 'main'")
                .fetch_one(&self.pool)
                .await?;
        if file.is_empty() {
            return Ok(()); // an in-memory database
        }
        for suffix in ["", "-wal", "-shm"] {
            let path = format!("{file}{suffix}");
            match std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(StorageError::Invalid(format!("cannot protect {path}: {e}"))),
            }
        }
        Ok(())
    }

    /// The group-commit writer that stores new reports ([`intake`]).
    pub fn intake(&self) -> &IntakeWriter {
        self.intake.get_or_init(|| {
            // The writer's own handle has no writer, so it does not keep itself alive.
            IntakeWriter::start(Self {
                intake: Arc::default(),
                ..self.clone()
            })
        })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A transaction that will write (on SQLite, holding the write lock from its start).
    pub async fn begin_write(&self) -> StorageResult<WriteTx> {
        Ok(WriteTx::new(
            dialect::begin_write(&self.pool, self.backend).await?,
        ))
    }

    /// A read-only transaction that sees one moment of the whole database.
    pub async fn begin_snapshot(&self) -> StorageResult<sqlx::Transaction<'static, sqlx::Any>> {
        dialect::begin_snapshot(&self.pool, self.backend).await
    }

    fn migrator(&self) -> &'static Migrator {
        dialect::migrator(self.backend)
    }

    /// The newest schema version this build of Ward knows.
    pub fn known_schema_version(&self) -> i64 {
        self.migrator().iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// Applies pending migrations; refuses a database written by a newer Ward.
    pub async fn migrate(&self) -> StorageResult<()> {
        if let Some(found) = self.schema_version().await? {
            let known = self.known_schema_version();
            if found > known {
                return Err(StorageError::SchemaTooNew { found, known });
            }
        }
        self.migrator().run(&self.pool).await?;
        Ok(())
    }

    /// The newest applied migration, or none on an empty database.
    pub async fn schema_version(&self) -> StorageResult<Option<i64>> {
        let exists: Option<(i64,)> = sqlx::query_as(dialect::migrations_table_exists(self.backend))
            .fetch_optional(&self.pool)
            .await?;
        if exists.is_none() {
            return Ok(None);
        }
        let (version,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_one(&self.pool)
                .await?;
        Ok(version)
    }

    /// Ready means: the database answers and every known migration is applied.
    pub async fn is_ready(&self) -> Result<(), String> {
        match self.schema_version().await {
            Ok(Some(v)) if v >= self.known_schema_version() => Ok(()),
            Ok(_) => Err("migrations not applied".into()),
            Err(_) => Err("database unreachable".into()),
        }
    }

    /// Whether a write reaches the disk: the one row of `write_checks` is
    /// rewritten in a transaction of its own.
    pub async fn check_writes(&self) -> StorageResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE write_checks SET checked_at = $1 WHERE id = 1")
            .bind(now_millis())
            .execute(&mut **tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Refreshes the planner's statistics (after a bulk load such as a
    /// restore), so that queries use the right indexes from the start.
    pub async fn analyze(&self) -> StorageResult<()> {
        sqlx::query("ANALYZE").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Marks SQL assembled from constant column lists and table names (never
/// from input) as audited, as sqlx 0.9 asks for any non-literal SQL.
pub fn sql(text: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(text)
}

/// Uses up a one-time link of `table` (its `token_hash`, `used_at` and
/// `expires_at` columns) inside a transaction, so that two racing uses
/// cannot both win; false when it was used, expired or never existed.
async fn use_up_link(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    table: &'static str,
    token_hash: &str,
    now: i64,
) -> StorageResult<bool> {
    let done = sqlx::query(sql(format!(
        "UPDATE {table} SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1"
    )))
    .bind(now)
    .bind(token_hash)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Milliseconds since the Unix epoch, the time format of every table.
pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A random identifier for new rows.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
