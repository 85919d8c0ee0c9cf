//! The file store holds encrypted attachments. Callers see only this type;
//! it wraps an `object_store` backend (a local directory by default), so an
//! S3-compatible store can be added here without touching callers.

use std::path::Path;
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
}

impl FileStore {
    /// A store in a local directory, which must exist.
    pub fn local(dir: &Path) -> StorageResult<Self> {
        let store = LocalFileSystem::new_with_prefix(dir)?;
        Ok(Self {
            inner: Arc::new(store),
        })
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> StorageResult<()> {
        self.inner
            .put(&ObjectPath::from(key), PutPayload::from(bytes))
            .await?;
        Ok(())
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

    /// Every key in the store.
    pub async fn keys(&self) -> StorageResult<Vec<String>> {
        let metas: Vec<_> = self.inner.list(None).try_collect().await?;
        Ok(metas.into_iter().map(|m| m.location.to_string()).collect())
    }
}
