//! What a crash or a full disk can leave in the file store, removed at
//! start-up: files written for a report or message whose transaction never
//! committed (named by no row), copies of files for the portal made for a
//! referral that was never recorded, previews of files that no longer
//! exist, and temporary files of writes cut short.
//! Only what is older than [`SAFE_AGE`] is touched, so that nothing being
//! written by a request in progress (or by another Ward process on the same
//! store) is ever removed.

use std::time::Duration;

use super::DomainResult;
use crate::storage::{Database, FileStore, StorageResult, attachments, referrals};

/// Files younger than this are left alone.
pub const SAFE_AGE: Duration = Duration::from_secs(3600);

/// What was removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Removed {
    pub orphans: usize,
    pub temporary: usize,
}

/// Removes files named by no row, and stale temporary files, older than `age`.
pub async fn remove(db: &Database, files: &FileStore, age: Duration) -> DomainResult<Removed> {
    let mut removed = Removed {
        temporary: files.remove_stale_temporary_files(age).await?,
        ..Removed::default()
    };
    for kind in [Kind::Attachment, Kind::Preview, Kind::PortalCopy] {
        for key in files.keys_older_than(kind.prefix(), age).await? {
            if !kind.is_named(db, &key).await? {
                files.delete(&key).await?;
                removed.orphans += 1;
            }
        }
    }
    Ok(removed)
}

/// The files of the store that a row names.
#[derive(Clone, Copy)]
enum Kind {
    /// `attachments/<organisation>/<row id>`.
    Attachment,
    /// `previews/<organisation>/<attachment id>`.
    Preview,
    /// `referral-files/<organisation>/<referral>/<attachment>`.
    PortalCopy,
}

impl Kind {
    fn prefix(self) -> &'static str {
        match self {
            Kind::Attachment => "attachments",
            Kind::Preview => "previews",
            Kind::PortalCopy => "referral-files",
        }
    }

    /// Whether the row this file belongs to exists.
    async fn is_named(self, db: &Database, key: &str) -> StorageResult<bool> {
        let parts: Vec<&str> = key.split('/').collect();
        match (self, &parts[..]) {
            (Kind::Attachment, [.., id]) => attachments::names_object(db, id, key).await,
            (Kind::Preview, [_, organisation, id]) => {
                attachments::exists(db, organisation, id).await
            }
            (Kind::PortalCopy, [_, organisation, referral, _]) => {
                Ok(referrals::get(db, organisation, referral).await?.is_some())
            }
            _ => Ok(false),
        }
    }
}

/// Runs [`remove`] in the background after start-up, and logs what it did.
pub fn remove_in_background(db: Database, files: FileStore) {
    tokio::spawn(async move {
        match remove(&db, &files, SAFE_AGE).await {
            Ok(Removed {
                orphans: 0,
                temporary: 0,
            }) => {}
            Ok(removed) => tracing::warn!(
                orphans = removed.orphans,
                temporary = removed.temporary,
                "removed files left by writes that never completed"
            ),
            Err(e) => tracing::warn!(error = %e, "cannot look for files left behind"),
        }
    });
}
