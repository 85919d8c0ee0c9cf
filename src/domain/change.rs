//! A change to Ward's data together with its audit entry: the way every
//! action of a member (or of the command line) is written. Its
//! [`Change::commit`] refuses a change that recorded nothing, so an action
//! and its record are committed together or not at all.
//!
//! The reporter's own writes (a report, a follow-up message) and
//! maintenance (start-up binding of keys, restore) are not members'
//! actions and use the storage's plain [`WriteTx`].

use std::ops::{Deref, DerefMut};

use super::audit::{self, Entry};
use super::{DomainError, DomainResult};
use crate::storage::{Database, WriteTx};
use crate::vault::InstanceKey;

pub struct Change<'k> {
    tx: WriteTx,
    key: &'k InstanceKey,
    recorded: bool,
}

impl<'k> Change<'k> {
    /// Starts a change (on SQLite, taking the write lock at once).
    pub async fn begin(db: &Database, key: &'k InstanceKey) -> DomainResult<Self> {
        Ok(Self {
            tx: db.begin_write().await?,
            key,
            recorded: false,
        })
    }

    /// Appends `entry` to the audit log inside this change.
    pub async fn record(&mut self, entry: Entry<'_>) -> DomainResult<()> {
        audit::append(&mut self.tx, self.key, entry).await?;
        self.recorded = true;
        Ok(())
    }

    /// Makes the change and its audit entries last. Without an entry,
    /// nothing is kept and the answer is an error.
    pub async fn commit(self) -> DomainResult<()> {
        if !self.recorded {
            return Err(DomainError::Unaudited);
        }
        Ok(self.tx.commit().await?)
    }

    /// For actions that may find nothing to change (a label already on a
    /// case, a status already set): commits when an entry was recorded,
    /// and otherwise keeps nothing, as such actions write only with one.
    /// An action that always records uses [`Change::commit`], which then
    /// catches a forgotten entry.
    pub async fn commit_if_recorded(self) -> DomainResult<()> {
        if self.recorded {
            self.commit().await
        } else {
            Ok(())
        }
    }
}

impl Deref for Change<'_> {
    type Target = WriteTx;

    fn deref(&self) -> &WriteTx {
        &self.tx
    }
}

impl DerefMut for Change<'_> {
    fn deref_mut(&mut self) -> &mut WriteTx {
        &mut self.tx
    }
}
