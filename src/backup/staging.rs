//! What a restore leaves while it runs, and how the next start finishes or
//! removes it: files and the key are staged in `restore-staging/`, marked
//! `staged` once written; the rows commit in one transaction; then the
//! staged folder is moved into place.

use anyhow::Context;

use crate::config::Settings;
use crate::storage::tables::{self, TABLES};
use crate::storage::{Database, StorageError};
use crate::vault::InstanceKey;

/// The folder a restore stages files and the key in, under the data directory.
pub(super) const STAGING: &str = "restore-staging";
/// Written in the staging folder once everything is staged.
pub(super) const STAGED: &str = "staged";

/// Puts a committed restore's staged files and key in place.
pub(super) fn move_staged_into_place(settings: &Settings) -> anyhow::Result<()> {
    let staging = settings.data_dir.join(STAGING);
    let files_dir = settings.files_dir();
    // Staged files still there: the file store was checked empty (only the
    // folder itself, or temporary files of writes cut short, can be in it),
    // so it is replaced. Gone: an earlier run of this step moved them
    // before it was killed, and the file store is the restored one.
    if staging.join("files").exists() {
        if files_dir.exists() {
            std::fs::remove_dir_all(&files_dir)?;
        }
        std::fs::rename(staging.join("files"), &files_dir)?;
    } else {
        std::fs::create_dir_all(&files_dir)?;
    }
    std::fs::create_dir_all(settings.secrets_dir())?;
    let staged_key = staging.join(InstanceKey::file_name());
    if staged_key.exists() {
        std::fs::rename(
            &staged_key,
            settings.secrets_dir().join(InstanceKey::file_name()),
        )?;
    }
    // The keys the backup holds are bound again at the next start (a
    // backup from before key bindings has none).
    let _ = std::fs::remove_file(
        settings
            .secrets_dir()
            .join(crate::domain::key_bindings::MARKER),
    );
    for dir in [&settings.data_dir, &settings.secrets_dir()] {
        std::fs::File::open(dir)?.sync_all()?;
    }
    std::fs::remove_dir_all(&staging)?;
    Ok(())
}

/// Called at start-up (and before a restore): a restore that was killed
/// after its rows committed is completed; one killed before leaves only its
/// staging folder, which is removed.
pub async fn finish_interrupted_restore(settings: &Settings, db: &Database) -> anyhow::Result<()> {
    let staging = settings.data_dir.join(STAGING);
    if !staging.exists() {
        return Ok(());
    }
    let committed = staging.join(STAGED).exists() && table_with_data(db).await?.is_some();
    if committed {
        tracing::warn!("completing a restore that was interrupted");
        move_staged_into_place(settings)
    } else {
        tracing::warn!("removing what an interrupted restore left");
        std::fs::remove_dir_all(&staging)
            .with_context(|| format!("cannot remove {}", staging.display()))
    }
}

/// The first table that holds rows (setup links aside), if any.
pub(super) async fn table_with_data(db: &Database) -> anyhow::Result<Option<&'static str>> {
    let mut tx = db.pool().begin().await.map_err(StorageError::from)?;
    for table in TABLES.iter().filter(|t| t.name != "setup_tokens") {
        if tables::has_rows(&mut tx, table).await? {
            return Ok(Some(table.name));
        }
    }
    Ok(None)
}
