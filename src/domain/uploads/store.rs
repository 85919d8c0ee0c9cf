//! From the spool to the file store, one file at a time: read, cleaned,
//! sealed to the organisation as it is written. Cleaning needs a file
//! whole in memory (as it arrived, and cleaned), so files being cleaned
//! share one budget for the whole process: a flood of large uploads waits
//! for room instead of taking the server's memory.

use tokio::sync::Semaphore;

use super::{AttachmentMetadata, NewAttachment, may_be_accepted, prepare};
use crate::domain::{DomainError, DomainResult};
use crate::storage::attachments::AttachmentRow;
use crate::storage::{FileStore, StorageError, new_id};
use crate::vault::{PublicKey, VaultError};

/// KiB of files being cleaned at once, in the whole process. A file takes
/// twice its size (as it arrived, and cleaned); one larger than half the
/// budget takes all of it, alone.
const CLEANING_KIB: usize = 48 * 1024;
static CLEANING: Semaphore = Semaphore::const_new(CLEANING_KIB);
/// Files up to this size are cleaned within a budget of their own, so
/// that a report with a small photo or PDF never queues behind large files.
const SMALL_FILE_KIB: usize = 1024;
const SMALL_FILES_KIB: usize = 16 * 1024;
static SMALL_FILES: Semaphore = Semaphore::const_new(SMALL_FILES_KIB);

/// Bytes read first, to refuse a file of the wrong kind without reading it all.
const HEAD_BYTES: usize = 64 * 1024;

/// A file cleaned, sealed and written to the file store.
pub(crate) struct StoredUpload {
    pub row: AttachmentRow,
    /// The cleaned name (for a message that lists its files).
    pub file_name: String,
}

/// Files written for a change that is not committed yet. Dropped before
/// [`Written::keep`] (the request dropped midway: a client gone, a
/// deadline), it removes them in the background, so that nothing is left
/// that no row names.
pub(crate) struct Written {
    files: FileStore,
    stored: Vec<StoredUpload>,
}

impl Written {
    /// The files' cleaned names, in order.
    pub fn names(&self) -> Vec<String> {
        self.stored.iter().map(|s| s.file_name.clone()).collect()
    }

    /// The change that names the files is being committed: they stay (the
    /// caller removes them if the commit fails).
    pub fn keep(mut self) -> Vec<AttachmentRow> {
        self.take_rows()
    }

    /// The change failed: the files go now.
    pub async fn remove(mut self) {
        let rows = self.take_rows();
        remove_objects(&self.files, &rows).await;
    }

    /// The rows of the files, which this no longer answers for.
    fn take_rows(&mut self) -> Vec<AttachmentRow> {
        std::mem::take(&mut self.stored)
            .into_iter()
            .map(|s| s.row)
            .collect()
    }
}

impl Drop for Written {
    fn drop(&mut self) {
        let rows = self.take_rows();
        if rows.is_empty() {
            return;
        }
        let files = self.files.clone();
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move { remove_objects(&files, &rows).await });
        }
    }
}

/// Cleans, seals (to `recipient`) and stores every file, in order; on the
/// first failure, what was stored is removed again and nothing is kept.
pub(crate) async fn store_all(
    files: &FileStore,
    recipient: &PublicKey,
    (organisation_id, report_id, message_id): (&str, &str, Option<&str>),
    uploads: Vec<NewAttachment>,
    now: i64,
) -> DomainResult<Written> {
    let mut written = Written {
        files: files.clone(),
        stored: Vec::with_capacity(uploads.len()),
    };
    for (position, upload) in uploads.into_iter().enumerate() {
        let id = new_id();
        let object_key = format!("attachments/{organisation_id}/{id}");
        match store_one(files, recipient, &object_key, upload).await {
            Ok((file_name, sealed_metadata, stored_size)) => written.stored.push(StoredUpload {
                row: AttachmentRow {
                    id,
                    organisation_id: organisation_id.to_string(),
                    report_id: report_id.to_string(),
                    object_key,
                    stored_size: stored_size as i64,
                    sealed_metadata,
                    // A millisecond apart, so that files list in the order they were sent.
                    created_at: now + position as i64,
                    message_id: message_id.map(str::to_string),
                },
                file_name,
            }),
            Err(e) => {
                written.remove().await;
                return Err(e);
            }
        }
    }
    Ok(written)
}

/// One file: its cleaned name, its sealed metadata and its stored size.
async fn store_one(
    files: &FileStore,
    recipient: &PublicKey,
    object_key: &str,
    upload: NewAttachment,
) -> DomainResult<(String, Vec<u8>, u64)> {
    let size_kib = usize::try_from(upload.len().div_ceil(1024)).unwrap_or(usize::MAX);
    let (budget, budget_kib) = match size_kib <= SMALL_FILE_KIB {
        true => (&SMALL_FILES, SMALL_FILES_KIB),
        false => (&CLEANING, CLEANING_KIB),
    };
    let kib = size_kib.saturating_mul(2).min(budget_kib);
    let _room = budget
        .acquire_many(u32::try_from(kib).unwrap_or(u32::MAX))
        .await
        .expect("the semaphore is never closed");
    let head = upload.content.head(HEAD_BYTES).await.map_err(disk)?;
    if !may_be_accepted(&head) {
        return Err(DomainError::invalid("file", "invalid-file-type"));
    }
    let bytes = upload.content.read_all().await.map_err(disk)?;
    let clean = prepare(&upload.file_name, bytes).await?;
    let metadata = AttachmentMetadata {
        file_name: clean.file_name,
        content_type: clean.kind.mime().to_string(),
        size: clean.bytes.len() as u64,
    };
    let sealed_metadata =
        recipient.seal(&serde_json::to_vec(&metadata).expect("metadata serialises"));
    let (recipient, bytes) = (recipient.clone(), clean.bytes);
    let stored_size = files
        .put_with(object_key, move |out| {
            // A full disk stays a full disk (503), not an unknown error.
            recipient.seal_stream(&bytes[..], out).map_err(|e| match e {
                VaultError::Io(e) => e,
                other => std::io::Error::other(other),
            })
        })
        .await?;
    Ok((metadata.file_name, sealed_metadata, stored_size))
}

fn disk(e: std::io::Error) -> DomainError {
    DomainError::Storage(StorageError::Disk(e))
}

pub(crate) async fn remove_objects(files: &FileStore, rows: &[AttachmentRow]) {
    let keys: Vec<&str> = rows.iter().map(|a| a.object_key.as_str()).collect();
    remove_keys(files, &keys).await;
}

/// Removes files written for something that then failed (best effort: a
/// leftover is sealed and named by nothing).
pub(crate) async fn remove_keys(files: &FileStore, keys: &[&str]) {
    for key in keys {
        if let Err(e) = files.delete(key).await {
            tracing::warn!(error = %e, "could not remove a file written for a failed change");
        }
    }
}
