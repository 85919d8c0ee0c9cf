//! The file store holds encrypted attachments. Callers see only this type;
//! it wraps an `object_store` backend (a local directory by default), so an
//! S3-compatible store can be added here without touching callers.
//!
//! A file must be on disk before the report that names it is committed, so
//! in a local directory every write is made durable: a temporary file,
//! flushed to the disk, renamed into place, and the directory flushed too
//! (`object_store` itself does not flush).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use futures::TryStreamExt;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, PutPayload};

use super::StorageResult;

#[derive(Clone, Debug)]
pub struct FileStore {
    inner: Arc<dyn ObjectStore>,
    /// The directory of a local store, which Ward writes durably itself.
    local_root: Option<PathBuf>,
}

impl FileStore {
    /// A store in a local directory, which must exist.
    pub fn local(dir: &Path) -> StorageResult<Self> {
        let store = LocalFileSystem::new_with_prefix(dir)?;
        Ok(Self {
            inner: Arc::new(store),
            local_root: Some(dir.to_path_buf()),
        })
    }

    /// Stores an object; when this returns, it survives a crash or a power loss.
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> StorageResult<()> {
        let location = ObjectPath::from(key);
        match &self.local_root {
            Some(root) => {
                let path = location
                    .parts()
                    .fold(root.clone(), |path, part| path.join(part.as_ref()));
                tokio::task::spawn_blocking(move || write_durably(&path, &bytes))
                    .await
                    .map_err(|e| super::StorageError::Invalid(e.to_string()))?
                    .map_err(super::StorageError::Disk)
            }
            None => {
                self.inner.put(&location, PutPayload::from(bytes)).await?;
                Ok(())
            }
        }
    }

    /// Stores an object that `write` produces as it goes (a file sealed as
    /// it is written), on a blocking thread: to a local store straight to
    /// the disk, never whole in memory. Durable as [`FileStore::put`];
    /// returns the object's size. If this future is dropped before it
    /// completes (a request dropped midway), the write still finishes on
    /// its thread, and the object is then removed: nobody learnt it exists.
    pub async fn put_with(
        &self,
        key: &str,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()> + Send + 'static,
    ) -> StorageResult<u64> {
        let location = ObjectPath::from(key);
        let written = match &self.local_root {
            Some(root) => {
                let path = location
                    .parts()
                    .fold(root.clone(), |path, part| path.join(part.as_ref()));
                let mut writing = UndoneIfDropped {
                    handle: Some(tokio::task::spawn_blocking(move || {
                        write_durably_with(&path, write)
                    })),
                    store: self.clone(),
                    key: key.to_string(),
                };
                let written = writing.handle.as_mut().expect("just set").await;
                writing.handle = None;
                written
            }
            None => {
                let bytes = tokio::task::spawn_blocking(move || {
                    let mut bytes = Vec::new();
                    write(&mut bytes).map(|()| bytes)
                })
                .await
                .map_err(|e| super::StorageError::Invalid(e.to_string()))?
                .map_err(super::StorageError::Disk)?;
                let size = bytes.len() as u64;
                self.inner.put(&location, PutPayload::from(bytes)).await?;
                return Ok(size);
            }
        };
        written
            .map_err(|e| super::StorageError::Invalid(e.to_string()))?
            .map_err(super::StorageError::Disk)
    }

    /// Whether a small file can be written and flushed (a full disk cannot).
    pub async fn check_writes(&self) -> StorageResult<()> {
        let Some(root) = self.local_root.clone() else {
            return Ok(());
        };
        tokio::task::spawn_blocking(move || {
            let probe = root.join(format!(
                ".write-check.{}.tmp",
                uuid::Uuid::new_v4().simple()
            ));
            let written = write_durably(&probe, &[0; 4096]);
            let _ = std::fs::remove_file(&probe);
            written
        })
        .await
        .map_err(|e| super::StorageError::Invalid(e.to_string()))?
        .map_err(super::StorageError::Disk)
    }

    pub async fn get(&self, key: &str) -> StorageResult<Bytes> {
        Ok(self
            .inner
            .get(&ObjectPath::from(key))
            .await?
            .bytes()
            .await?)
    }

    /// The object, or none when there is no object under this key.
    pub async fn get_optional(&self, key: &str) -> StorageResult<Option<Bytes>> {
        match self.inner.get(&ObjectPath::from(key)).await {
            Ok(found) => Ok(Some(found.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn delete(&self, key: &str) -> StorageResult<()> {
        self.inner.delete(&ObjectPath::from(key)).await?;
        Ok(())
    }

    /// Keys under `prefix` last written more than `age` ago.
    pub async fn keys_older_than(
        &self,
        prefix: &str,
        age: std::time::Duration,
    ) -> StorageResult<Vec<String>> {
        let before = std::time::SystemTime::now() - age;
        let prefix = ObjectPath::from(prefix);
        let metas: Vec<_> = self.inner.list(Some(&prefix)).try_collect().await?;
        Ok(metas
            .into_iter()
            .filter(|m| std::time::SystemTime::from(m.last_modified) < before)
            .map(|m| m.location.to_string())
            .filter(|key| !is_temporary(key))
            .collect())
    }

    /// Removes the temporary files of writes cut short (a crash, a full
    /// disk) last written more than `age` ago; returns how many.
    pub async fn remove_stale_temporary_files(
        &self,
        age: std::time::Duration,
    ) -> StorageResult<usize> {
        let Some(root) = self.local_root.clone() else {
            return Ok(0);
        };
        tokio::task::spawn_blocking(move || {
            let before = std::time::SystemTime::now() - age;
            let mut removed = 0;
            let mut dirs = vec![root];
            while let Some(dir) = dirs.pop() {
                for entry in std::fs::read_dir(&dir)?.flatten() {
                    let path = entry.path();
                    let meta = entry.metadata()?;
                    if meta.is_dir() {
                        dirs.push(path);
                    } else if is_temporary(&entry.file_name().to_string_lossy())
                        && meta.modified()? < before
                        && std::fs::remove_file(&path).is_ok()
                    {
                        removed += 1;
                    }
                }
            }
            Ok(removed)
        })
        .await
        .map_err(|e| super::StorageError::Invalid(e.to_string()))?
        .map_err(super::StorageError::Disk)
    }

    /// Every key in the store (not the temporary files of a write cut short).
    pub async fn keys(&self) -> StorageResult<Vec<String>> {
        let metas: Vec<_> = self.inner.list(None).try_collect().await?;
        Ok(metas
            .into_iter()
            .map(|m| m.location.to_string())
            .filter(|key| !is_temporary(key))
            .collect())
    }
}

/// A write on a blocking thread whose caller may go away: if it does, the
/// object is removed once the write has finished.
struct UndoneIfDropped {
    handle: Option<tokio::task::JoinHandle<std::io::Result<u64>>>,
    store: FileStore,
    key: String,
}

impl Drop for UndoneIfDropped {
    fn drop(&mut self) {
        let Some(handle) = self.handle.take() else {
            return;
        };
        let (store, key) = (self.store.clone(), std::mem::take(&mut self.key));
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Ok(Ok(_)) = handle.await
                    && let Err(e) = store.delete(&key).await
                {
                    tracing::warn!(error = %e, "could not remove a file written for a dropped request");
                }
            });
        }
    }
}

/// A temporary file of a write (`.<name>.<random>.tmp`), by its key or name.
fn is_temporary(key: &str) -> bool {
    let name = key.rsplit('/').next().unwrap_or(key);
    name.starts_with('.') && name.ends_with(".tmp")
}

/// Writes a file so that it is complete on disk or absent: a temporary file
/// beside it, flushed, renamed over the name, then the directory flushed.
fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_durably_with(path, |file| file.write_all(bytes)).map(|_| ())
}

/// [`write_durably`], the content written by `write`; returns its size.
fn write_durably_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<u64> {
    let dir = path.parent().ok_or(std::io::ErrorKind::InvalidInput)?;
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("object"),
        uuid::Uuid::new_v4().simple()
    ));
    let written: std::io::Result<u64> = (|| {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        write(&mut file)?;
        let file = file.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        let size = file.metadata()?.len();
        std::fs::rename(&tmp, path)?;
        Ok(size)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    let size = written?;
    std::fs::File::open(dir)?.sync_all()?;
    Ok(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_write_whose_caller_went_away_is_removed_once_finished() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::local(dir.path()).unwrap();
        let slow = store.put_with("attachments/o/dropped", |out| {
            std::thread::sleep(std::time::Duration::from_millis(300));
            out.write_all(b"sealed bytes")
        });
        // The caller goes away while the write is under way.
        let gone = tokio::time::timeout(std::time::Duration::from_millis(50), slow).await;
        assert!(gone.is_err(), "dropped before the write finished");
        let started = std::time::Instant::now();
        loop {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            let left = store.keys().await.unwrap();
            if left.is_empty() && started.elapsed() > std::time::Duration::from_millis(400) {
                break;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(5),
                "still there: {left:?}"
            );
        }
        // A write whose caller waits is kept.
        let size = store
            .put_with("attachments/o/kept", |out| out.write_all(b"sealed bytes"))
            .await
            .unwrap();
        assert_eq!(size, 12);
        assert_eq!(store.keys().await.unwrap(), ["attachments/o/kept"]);
    }
}
