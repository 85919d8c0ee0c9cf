//! Backup and restore of a whole instance: database rows, encrypted files and
//! the instance key, in one `.tar.gz`. The content stays encrypted inside.
//!
//! Backups are taken from a running instance: the rows are read in one
//! snapshot transaction, then the files (which are written before the rows
//! that name them and never changed, so every file a row names is there).
//!
//! Every entry's SHA-256 is listed in a last entry, with an HMAC under a key
//! derived from the instance key. `verify` reads the whole file (the gzip
//! checksum included) and checks all of it; restore does the same before it
//! writes anything, so a damaged backup is refused, naming what is wrong.
//! (The HMAC catches damage and careless edits; whoever can read a backup
//! also holds its instance key, so backups must be kept where only
//! administrators can write.)
//!
//! Restore goes into an empty instance only. Files and the key are written
//! to a staging folder, the rows in one transaction; once that commits, the
//! staged folder is renamed into place. A restore killed before the commit
//! leaves nothing (the staging folder is removed at the next start); one
//! killed after it is completed at the next start.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Settings;
use crate::startup::open_existing_instance;
use crate::storage::tables::{self, TABLES};
use crate::storage::{Database, StorageError, now_millis};
use crate::vault::InstanceKey;
use crate::vault::instance::write_private_file;

pub mod staging;

use staging::{
    STAGED, STAGING, finish_interrupted_restore, move_staged_into_place, table_with_data,
};

/// The backup format this Ward writes and the newest it reads (format 1
/// had no checksums).
pub const FORMAT_VERSION: u32 = 2;
const MANIFEST: &str = "ward-backup.json";
/// The last entry: every other entry's SHA-256, and their HMAC.
const CHECKSUMS: &str = "ward-backup.sha256.json";

#[derive(Debug, Serialize, Deserialize)]
struct Checksums {
    sha256: BTreeMap<String, String>,
    mac: String,
}

/// The HMAC over the checksums, under a key derived from the instance key.
fn checksums_mac(key: &InstanceKey, sha256: &BTreeMap<String, String>) -> String {
    let listed = serde_json::to_vec(sha256).expect("a map of strings serialises");
    hex::encode(key.derive("backup-checksums").mac(&listed))
}

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
    let mut tx = db.begin_snapshot().await?;
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
        let mut sha256 = BTreeMap::new();
        let mut add = |archive: &mut tar::Builder<_>, path: &str, bytes: &[u8]| {
            sha256.insert(path.to_string(), hex::encode(Sha256::digest(bytes)));
            append(archive, path, bytes)
        };
        let manifest = Manifest {
            files: keys.len(),
            ..manifest
        };
        add(
            &mut archive,
            MANIFEST,
            &serde_json::to_vec_pretty(&manifest)?,
        )?;
        add(
            &mut archive,
            &format!("secrets/{}", InstanceKey::file_name()),
            &key.to_file_bytes(),
        )?;
        for (name, _, jsonl) in &dumps {
            add(&mut archive, &format!("tables/{name}.jsonl"), jsonl)?;
        }
        for object_key in &keys {
            let bytes = files.get(object_key).await?;
            add(&mut archive, &format!("files/{object_key}"), &bytes)?;
        }
        let checksums = Checksums {
            mac: checksums_mac(&key, &sha256),
            sha256,
        };
        append(
            &mut archive,
            CHECKSUMS,
            &serde_json::to_vec_pretty(&checksums)?,
        )?;
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

/// What reading a whole backup found: its manifest and the SHA-256 of
/// each entry (checked against the listed ones).
struct Checked {
    manifest: Manifest,
    sha256: BTreeMap<String, String>,
}

/// Reads a backup from end to end and checks everything in it, writing
/// nothing: the gzip checksum, each entry's SHA-256 and their HMAC, the
/// rows (each one readable, as many as the manifest says), the file names
/// and the instance key. Returns the manifest.
pub fn verify(from: &Path) -> anyhow::Result<Manifest> {
    Ok(check(from)?.manifest)
}

/// [`verify`] over bytes already read (for fuzzing the backup reader).
pub fn verify_reader(backup: impl Read) -> anyhow::Result<Manifest> {
    Ok(check_reader(backup)?.manifest)
}

fn check(from: &Path) -> anyhow::Result<Checked> {
    let file =
        std::fs::File::open(from).with_context(|| format!("cannot open {}", from.display()))?;
    check_reader(std::io::BufReader::new(file))
}

fn check_reader(backup: impl Read) -> anyhow::Result<Checked> {
    let mut archive = tar::Archive::new(GzDecoder::new(backup));
    let mut manifest: Option<Manifest> = None;
    let mut key = None;
    let mut listed: Option<Checksums> = None;
    let mut sha256 = BTreeMap::new();
    let mut rows = BTreeMap::new();
    let mut files = 0usize;
    for entry in archive.entries().map_err(corrupt)? {
        let mut entry = entry.map_err(corrupt)?;
        let path = entry.path().map_err(corrupt)?.to_string_lossy().to_string();
        if listed.is_some() {
            return Err(corrupt(format!("{path} comes after the checksums")));
        }
        if path == CHECKSUMS {
            let text = read_small(&mut entry, &path)?;
            listed = Some(serde_json::from_slice(&text).map_err(corrupt)?);
            continue;
        }
        if sha256.contains_key(&path) {
            return Err(corrupt(format!("{path} appears twice")));
        }
        let mut hashed = Hashing::new(&mut entry);
        if path == MANIFEST {
            if !sha256.is_empty() {
                return Err(corrupt("the archive does not start with a Ward manifest"));
            }
            let found: Manifest =
                serde_json::from_slice(&read_small(&mut hashed, &path)?).map_err(corrupt)?;
            if found.format > FORMAT_VERSION {
                bail!(
                    "this backup uses format {} from Ward {}; this Ward reads format {} at most: upgrade Ward first",
                    found.format,
                    found.ward_version,
                    FORMAT_VERSION
                );
            }
            manifest = Some(found);
        } else if manifest.is_none() {
            return Err(corrupt("the archive does not start with a Ward manifest"));
        } else if let Some(name) = path
            .strip_prefix("tables/")
            .and_then(|p| p.strip_suffix(".jsonl"))
        {
            if !TABLES.iter().any(|t| t.name == name) {
                return Err(corrupt(format!("unknown table {name}")));
            }
            let mut count = 0usize;
            for line in BufReader::new(&mut hashed).lines() {
                let line = line.map_err(corrupt)?;
                serde_json::from_str::<tables::RowValues>(&line)
                    .map_err(|e| corrupt(format!("{path}, row {}: {e}", count + 1)))?;
                count += 1;
            }
            rows.insert(name.to_string(), count);
        } else if let Some(object_key) = path.strip_prefix("files/") {
            check_file_key(object_key)?;
            std::io::copy(&mut hashed, &mut std::io::sink()).map_err(corrupt)?;
            files += 1;
        } else if path == format!("secrets/{}", InstanceKey::file_name()) {
            let bytes = read_small(&mut hashed, &path)?;
            key = Some(InstanceKey::from_bytes(&bytes).map_err(corrupt)?);
        } else {
            return Err(corrupt(format!("unexpected entry {path}")));
        }
        sha256.insert(path, hashed.finish());
    }
    // The tar reader stops at the end-of-archive marker; reading on to the
    // end of the gzip stream makes it check its CRC and length.
    std::io::copy(&mut archive.into_inner(), &mut std::io::sink())
        .map_err(|e| corrupt(format!("the compressed data is damaged or cut short ({e})")))?;

    let manifest = manifest.ok_or_else(|| corrupt("the archive is empty"))?;
    let key = key.ok_or_else(|| corrupt("the archive has no instance key"))?;
    if manifest.format >= 2 {
        let listed = listed.ok_or_else(|| corrupt("the checksums are missing"))?;
        for (path, digest) in &sha256 {
            match listed.sha256.get(path) {
                Some(expected) if expected == digest => {}
                Some(_) => return Err(corrupt(format!("{path} is damaged (its SHA-256 differs)"))),
                None => return Err(corrupt(format!("{path} is not in the checksums"))),
            }
        }
        if let Some(missing) = listed.sha256.keys().find(|p| !sha256.contains_key(*p)) {
            return Err(corrupt(format!("{missing} is missing")));
        }
        let expected = checksums_mac(&key, &listed.sha256);
        if !bool::from(subtle::ConstantTimeEq::ct_eq(
            expected.as_bytes(),
            listed.mac.as_bytes(),
        )) {
            return Err(corrupt(
                "the checksums were not written with this backup's instance key",
            ));
        }
    }
    for (name, expected) in &manifest.tables {
        let found = rows.get(name).copied().unwrap_or(0);
        if found != *expected {
            return Err(corrupt(format!(
                "table {name} holds {found} rows, the manifest says {expected}"
            )));
        }
    }
    if rows.len() != manifest.tables.len() || files != manifest.files {
        return Err(corrupt("the archive is incomplete"));
    }
    Ok(Checked { manifest, sha256 })
}

/// A file key from a backup must stay inside the file store.
fn check_file_key(key: &str) -> anyhow::Result<()> {
    if key
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == ".." || part.contains('\\'))
    {
        return Err(corrupt(format!("unsafe file name files/{key}")));
    }
    Ok(())
}

/// An entry read whole: only the manifest, the checksums and the key are.
fn read_small(entry: &mut impl Read, path: &str) -> anyhow::Result<Vec<u8>> {
    const MOST: u64 = 256 * 1024 * 1024;
    let mut bytes = Vec::new();
    entry
        .take(MOST + 1)
        .read_to_end(&mut bytes)
        .map_err(corrupt)?;
    if bytes.len() as u64 > MOST {
        return Err(corrupt(format!("{path} is too large")));
    }
    Ok(bytes)
}

/// A reader that hashes what passes through it.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Hashing<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// Reads what is left, then gives the digest in hexadecimal.
    fn finish(mut self) -> String {
        let _ = std::io::copy(&mut self, &mut std::io::sink());
        hex::encode(self.hasher.finalize())
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// Restores a backup into an empty instance. The whole backup is checked
/// first ([`verify`]); nothing is written unless all of it is sound.
pub async fn restore(settings: &Settings, from: &Path) -> anyhow::Result<Manifest> {
    // 1. Everything is checked before anything is written.
    let checked = check(from)?;

    // 2. The target must be empty: restore never overwrites an instance.
    crate::config::prepare_data_dir(settings)?;
    let db = Database::connect(&settings.database_url(), settings.database_max_connections).await?;
    db.migrate().await?;
    finish_interrupted_restore(settings, &db).await?;
    let files = crate::storage::FileStore::local(&settings.files_dir())?;
    if checked.manifest.schema_version > db.known_schema_version() {
        bail!(
            "this backup was made by Ward {} with schema version {}; this Ward knows version {} at most: upgrade Ward first",
            checked.manifest.ward_version,
            checked.manifest.schema_version,
            db.known_schema_version()
        );
    }
    let outcome = async {
        ensure_empty(&db, &files).await?;
        // 3. Files and key into the staging folder, rows into one transaction.
        let staging = settings.data_dir.join(STAGING);
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir_all(staging.join("files"))?;
        let written = stage_and_load(&db, &staging, from, &checked).await;
        if let Err(e) = written {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
        // 4. Committed: put the staged files and key in place.
        move_staged_into_place(settings)?;
        anyhow::Ok(())
    }
    .await;
    if outcome.is_ok() {
        // A bulk load: the query planner needs fresh statistics.
        db.analyze().await?;
    }
    db.close().await;
    outcome.map(|()| checked.manifest)
}

/// Reads the backup again, checking each entry against the first reading
/// (the file could have changed in between): files and the key go to the
/// staging folder, rows into a transaction that commits last.
async fn stage_and_load(
    db: &Database,
    staging: &Path,
    from: &Path,
    checked: &Checked,
) -> anyhow::Result<()> {
    let staged_files = crate::storage::FileStore::local(&staging.join("files"))?;
    let file = std::fs::File::open(from)?;
    let mut archive = tar::Archive::new(GzDecoder::new(std::io::BufReader::new(file)));
    // Rows of a backup made before the latest migrations lack the columns
    // those added (the last of their tables).
    let from_older_schema = checked.manifest.schema_version < db.known_schema_version();
    let mut tx = db.begin_write().await?;
    crate::storage::setup_tokens::delete_all(&mut tx).await?;
    for entry in archive.entries().map_err(corrupt)? {
        let mut entry = entry.map_err(corrupt)?;
        let path = entry.path().map_err(corrupt)?.to_string_lossy().to_string();
        if path == CHECKSUMS {
            continue;
        }
        let mut hashed = Hashing::new(&mut entry);
        if let Some(name) = path
            .strip_prefix("tables/")
            .and_then(|p| p.strip_suffix(".jsonl"))
        {
            let table = TABLES
                .iter()
                .find(|t| t.name == name)
                .ok_or_else(|| corrupt(format!("unknown table {name}")))?;
            let mut lines = Vec::new();
            for line in BufReader::new(&mut hashed).lines() {
                lines.push(line.map_err(corrupt)?);
            }
            for line in lines {
                let values: tables::RowValues = serde_json::from_str(&line).map_err(corrupt)?;
                tables::insert_row(&mut tx, table, values, from_older_schema).await?;
            }
        } else if let Some(key) = path.strip_prefix("files/") {
            check_file_key(key)?;
            let mut bytes = Vec::new();
            hashed.read_to_end(&mut bytes).map_err(corrupt)?;
            staged_files.put(key, bytes).await?;
        } else if path == format!("secrets/{}", InstanceKey::file_name()) {
            let bytes = read_small(&mut hashed, &path)?;
            write_private_file(
                &staging.join(InstanceKey::file_name()),
                std::str::from_utf8(&bytes).map_err(corrupt)?,
            )?;
        } else if path != MANIFEST {
            return Err(corrupt(format!("unexpected entry {path}")));
        }
        if checked.sha256.get(&path) != Some(&hashed.finish()) {
            return Err(corrupt(format!(
                "{path} changed while it was being restored"
            )));
        }
    }
    // Everything is staged; the commit decides.
    sync_file(&staging.join(STAGED), b"staged\n")?;
    tx.commit().await?;
    Ok(())
}

fn sync_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

async fn ensure_empty(db: &Database, files: &crate::storage::FileStore) -> anyhow::Result<()> {
    if let Some(table) = table_with_data(db).await? {
        bail!(
            "the target instance already holds data (table {table}): restore only into an empty data directory and database"
        );
    }
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
