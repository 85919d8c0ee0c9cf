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
use crate::storage::{Database, FileStore, attachments, referrals};

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
    // Attachments are stored as `attachments/<organisation>/<row id>`.
    for key in files.keys_older_than("attachments", age).await? {
        let Some(id) = key.rsplit('/').next() else {
            continue;
        };
        if !attachments::names_object(db, id, &key).await? {
            files.delete(&key).await?;
            removed.orphans += 1;
        }
    }
    // Previews: `previews/<organisation>/<attachment id>`.
    for key in files.keys_older_than("previews", age).await? {
        let parts: Vec<&str> = key.split('/').collect();
        let named = match parts[..] {
            [_, organisation, id] => attachments::exists(db, organisation, id).await?,
            _ => false,
        };
        if !named {
            files.delete(&key).await?;
            removed.orphans += 1;
        }
    }
    // Portal copies: `referral-files/<organisation>/<referral>/<attachment>`.
    for key in files.keys_older_than("referral-files", age).await? {
        let parts: Vec<&str> = key.split('/').collect();
        let named = match parts[..] {
            [_, organisation, referral, _] => {
                referrals::get(db, organisation, referral).await?.is_some()
            }
            _ => false,
        };
        if !named {
            files.delete(&key).await?;
            removed.orphans += 1;
        }
    }
    Ok(removed)
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
