//! A transaction that writes: the one way storage changes rows together.
//! The domain holds it without knowing sqlx; storage functions take it
//! (through `Deref`) as the sqlx transaction they run their queries in.

use std::ops::{Deref, DerefMut};

use sqlx::{Any, Transaction};

use super::StorageResult;

/// Dropped before [`WriteTx::commit`], everything done in it is rolled back.
pub struct WriteTx(Transaction<'static, Any>);

impl WriteTx {
    pub(super) fn new(tx: Transaction<'static, Any>) -> Self {
        Self(tx)
    }

    /// Makes the change last. After an error nothing of it is kept, and
    /// the connection is rolled back before it is used again (see the
    /// pool's `after_release` in `storage/mod.rs`).
    pub async fn commit(self) -> StorageResult<()> {
        self.0.commit().await?;
        Ok(())
    }
}

impl Deref for WriteTx {
    type Target = Transaction<'static, Any>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}
