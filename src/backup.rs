//! Backup and restore of a whole instance: database rows, encrypted files and
//! the instance key, in one `.tar.gz`. The content stays encrypted inside.
//!
//! Backups are taken from a running instance: the rows are read in one
//! snapshot transaction, then the files (which are written before the rows
//! that name them and never changed, so every file a row names is there).
//! Restore goes into an empty instance only, checks the manifest before
//! writing anything, and removes what it wrote if anything fails.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};

use crate::config::{Backend, Settings};
use crate::startup::{open_existing_instance, open_instance};
use crate::storage::tables::{self, TABLES};
use crate::storage::{Database, StorageError, now_millis, sql};
use crate::vault::InstanceKey;
use crate::vault::instance::write_private_file;

/// The backup format this Ward writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;
const MANIFEST: &str = "ward-backup.json";

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub ward_version: String,
    pub schema_version: i64,
    pub created_at: i64,
    pub tables: BTreeMap<String, usize>,
    pub files: usize,
}

/// Writes a backup of the instance to `out` (through a temporary file, so a
/// failed backup leaves nothing behind).
pub async fn create(settings: &Settings, out: &Path) -> anyhow::Result<Manifest> {
    let (db, files, key) = open_existing_instance(settings).await?;
    let mut tx = db.pool().begin().await.map_err(StorageError::from)?;
    if db.backend() == Backend::Postgres {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await
            .map_err(StorageError::from)?;
    }
    let mut dumps = Vec::new();
    for table in TABLES {
        let rows = tables::read_rows(&mut tx, table).await?;
        let mut jsonl = Vec::new();
        for row in &rows {
            serde_json::to_writer(&mut jsonl, row)?;
            jsonl.push(b'\n');
        }
        dumps.push((table.name, rows.len(), jsonl));
    }
    tx.rollback().await.map_err(StorageError::from)?;

    let manifest = Manifest {
        format: FORMAT_VERSION,
        ward_version: env!("CARGO_PKG_VERSION").into(),
        schema_version: db.known_schema_version(),
        created_at: now_millis(),
        tables: dumps
            .iter()
            .map(|(name, n, _)| (name.to_string(), *n))
            .collect(),
        files: 0,
    };
    let keys = files.keys().await?;
    let partial = partial_path(out);
    let result = async {
        let file = std::fs::File::create(&partial)
            .with_context(|| format!("cannot create {}", partial.display()))?;
        let mut archive = tar::Builder::new(GzEncoder::new(file, Compression::fast()));
        let manifest = Manifest {
            files: keys.len(),
            ..manifest
        };
        append(
            &mut archive,
            MANIFEST,
            &serde_json::to_vec_pretty(&manifest)?,
        )?;
        append(
            &mut archive,
            &format!("secrets/{}", InstanceKey::file_name()),
            &key.to_file_bytes(),
        )?;
        for (name, _, jsonl) in &dumps {
            append(&mut archive, &format!("tables/{name}.jsonl"), jsonl)?;
        }
        for object_key in &keys {
            let bytes = files.get(object_key).await?;
            append(&mut archive, &format!("files/{object_key}"), &bytes)?;
        }
        let file = archive.into_inner()?.finish()?;
        file.sync_all()?;
        std::fs::rename(&partial, out)?;
        anyhow::Ok(manifest)
    }
    .await;
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    db.close().await;
    result
}

fn partial_path(out: &Path) -> PathBuf {
    let mut name = out
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".partial");
    out.with_file_name(name)
}

fn append<W: Write>(
    archive: &mut tar::Builder<W>,
    path: &str,
    bytes: &[u8],
) -> std::io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o600);
    header.set_mtime(0);
    header.set_cksum();
    archive.append_data(&mut header, path, bytes)
}

/// Restores a backup into an empty instance.
pub async fn restore(settings: &Settings, from: &Path) -> anyhow::Result<Manifest> {
    let file =
        std::fs::File::open(from).with_context(|| format!("cannot open {}", from.display()))?;
    let mut archive = tar::Archive::new(GzDecoder::new(file));
    let mut entries = archive.entries().map_err(corrupt)?;

    // 1. The manifest comes first and must be one this Ward can read.
    let manifest: Manifest = {
        let mut entry = entries
            .next()
            .ok_or_else(|| corrupt("the archive is empty"))?
            .map_err(corrupt)?;
        if entry.path().map_err(corrupt)?.to_string_lossy() != MANIFEST {
            return Err(corrupt("the archive does not start with a Ward manifest"));
        }
        let mut text = Vec::new();
        entry.read_to_end(&mut text).map_err(corrupt)?;
        serde_json::from_slice(&text).map_err(corrupt)?
    };
    if manifest.format > FORMAT_VERSION {
        bail!(
            "this backup uses format {} from Ward {}; this Ward reads format {} at most: upgrade Ward first",
            manifest.format,
            manifest.ward_version,
            FORMAT_VERSION
        );
    }

    // 2. The target must be empty: restore never overwrites an instance.
    let (db, files, _) = open_instance(settings).await?;
    if manifest.schema_version > db.known_schema_version() {
        bail!(
            "this backup was made by Ward {} with schema version {}; this Ward knows version {} at most: upgrade Ward first",
            manifest.ward_version,
            manifest.schema_version,
            db.known_schema_version()
        );
    }
    ensure_empty(&db, &files).await?;

    // 3. Rows go in one transaction; files are tracked so they can be removed.
    let mut tx = db.pool().begin().await.map_err(StorageError::from)?;
    sqlx::query("DELETE FROM setup_tokens")
        .execute(&mut *tx)
        .await
        .map_err(StorageError::from)?;
    let mut written_files = Vec::new();
    let mut instance_key = None;
    let mut seen_tables = Vec::new();
    let result: anyhow::Result<()> = async {
        for entry in entries {
            let mut entry = entry.map_err(corrupt)?;
            let path = entry.path().map_err(corrupt)?.to_string_lossy().to_string();
            if let Some(name) = path
                .strip_prefix("tables/")
                .and_then(|p| p.strip_suffix(".jsonl"))
            {
                let table = TABLES
                    .iter()
                    .find(|t| t.name == name)
                    .ok_or_else(|| corrupt(format!("unknown table {name}")))?;
                let mut count = 0usize;
                for line in BufReader::new(&mut entry).lines() {
                    let line = line.map_err(corrupt)?;
                    let values: tables::RowValues = serde_json::from_str(&line).map_err(corrupt)?;
                    tables::insert_row(&mut tx, table, values).await?;
                    count += 1;
                }
                if manifest.tables.get(name) != Some(&count) {
                    return Err(corrupt(format!(
                        "table {name} holds {count} rows, the manifest says otherwise"
                    )));
                }
                seen_tables.push(name.to_string());
            } else if let Some(key) = path.strip_prefix("files/") {
                if key
                    .split('/')
                    .any(|part| part.is_empty() || part == "." || part == "..")
                {
                    return Err(corrupt(format!("unsafe file name {path}")));
                }
                let mut bytes = Vec::new();
                entry.read_to_end(&mut bytes).map_err(corrupt)?;
                files.put(key, bytes).await?;
                written_files.push(key.to_string());
            } else if path == format!("secrets/{}", InstanceKey::file_name()) {
                let mut bytes = Vec::new();
                entry.read_to_end(&mut bytes).map_err(corrupt)?;
                InstanceKey::from_bytes(&bytes).map_err(corrupt)?;
                instance_key = Some(String::from_utf8(bytes).map_err(corrupt)?);
            } else {
                return Err(corrupt(format!("unexpected entry {path}")));
            }
        }
        if seen_tables.len() != manifest.tables.len() || written_files.len() != manifest.files {
            return Err(corrupt("the archive is incomplete"));
        }
        if instance_key.is_none() {
            return Err(corrupt("the archive has no instance key"));
        }
        Ok(())
    }
    .await;

    match result {
        Ok(()) => {
            tx.commit().await.map_err(StorageError::from)?;
            let key_path = settings.secrets_dir().join(InstanceKey::file_name());
            write_private_file(&key_path, instance_key.as_deref().unwrap_or_default())?;
            // The keys the backup holds are bound again at the next start
            // (a backup from before key bindings has none).
            let _ = std::fs::remove_file(
                settings
                    .secrets_dir()
                    .join(crate::domain::key_bindings::MARKER),
            );
            // A bulk load: the query planner needs fresh statistics.
            db.analyze().await?;
            db.close().await;
            Ok(manifest)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            for key in written_files {
                let _ = files.delete(&key).await;
            }
            db.close().await;
            Err(e)
        }
    }
}

async fn ensure_empty(db: &Database, files: &crate::storage::FileStore) -> anyhow::Result<()> {
    let mut tx = db.pool().begin().await.map_err(StorageError::from)?;
    for table in TABLES.iter().filter(|t| t.name != "setup_tokens") {
        let (n,): (i64,) = sqlx::query_as(sql(format!("SELECT COUNT(*) FROM {}", table.name)))
            .fetch_one(&mut *tx)
            .await
            .map_err(StorageError::from)?;
        if n > 0 {
            bail!(
                "the target instance already holds data (table {}): restore only into an empty data directory and database",
                table.name
            );
        }
    }
    tx.rollback().await.map_err(StorageError::from)?;
    if !files.keys().await?.is_empty() {
        bail!(
            "the target file store already holds files: restore only into an empty data directory"
        );
    }
    Ok(())
}

fn corrupt(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("the backup file is corrupt or not a Ward backup: {e}")
}
