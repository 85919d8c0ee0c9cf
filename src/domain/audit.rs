//! The audit trail: who did what to which object, and when; never content.
//!
//! The log is append-only and hash-chained. Each entry carries the hash of
//! the entry before and its own hash, an HMAC-SHA256 (keyed by the instance
//! key) over every field and that previous hash. Editing an entry breaks its
//! hash; removing one breaks the sequence and the next entry's link; cutting
//! the tail off disagrees with `audit_head`. Because the hash is keyed,
//! someone holding only the database cannot forge a consistent chain.
//! `ward audit verify` ([`verify`]) checks everything.

use super::actor::{Actor, Permission};
use super::{Context, DomainResult, Page};
/// What the audit log is searched by.
pub use crate::storage::audit::AuditFilter;
use crate::storage::audit::{self, AuditRow};
use crate::storage::{Database, WriteTx, now_millis};
use crate::vault::InstanceKey;

/// The actor of changes made with `ward` on the server's command line.
pub const COMMAND_LINE: &str = "command line";

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

crate::code_enum! {
    /// Everything Ward records. The codes are stable: they are in the log.
    Action {
        SignIn = "sign-in",
        SignInFailed = "sign-in-failed",
        SignOut = "sign-out",
        SignOutEverywhere = "sign-out-everywhere",
        RecoveryCodeUsed = "recovery-code-used",
        SecondFactorEnrolled = "second-factor-enrolled",
        RecoveryCodesRenewed = "recovery-codes-renewed",
        ReportViewed = "report-viewed",
        AttachmentRevealed = "attachment-revealed",
        AttachmentDownloaded = "attachment-downloaded",
        StatusChanged = "status-changed",
        CaseClosed = "case-closed",
        CaseReopened = "case-reopened",
        AssessmentChanged = "assessment-changed",
        Assigned = "assigned",
        LabelAdded = "label-added",
        LabelRemoved = "label-removed",
        NoteAdded = "note-added",
        LinkAdded = "link-added",
        LinkRemoved = "link-removed",
        MessageSent = "message-sent",
        UserInvited = "user-invited",
        InvitationAccepted = "invitation-accepted",
        UserDisabled = "user-disabled",
        UserEnabled = "user-enabled",
        AccessApproved = "access-approved",
        KeyRefused = "key-refused",
        RoleChanged = "role-changed",
        PasswordResetIssued = "password-reset-issued",
        PasswordReset = "password-reset",
        SecondFactorReset = "second-factor-reset",
        AuditLogViewed = "audit-log-viewed",
        Exported = "exported",
        DirectoryChanged = "directory-changed",
        RoutingChanged = "routing-changed",
        RecipientChanged = "recipient-changed",
        ReferralPrepared = "referral-prepared",
        ReferralSent = "referral-sent",
        ReferralDownloaded = "referral-downloaded",
        ReferralViewed = "referral-viewed",
        ReferralAcknowledged = "referral-acknowledged",
        ReferralOutcome = "referral-outcome",
        Transferred = "transferred",
        PortalAccountInvited = "portal-account-invited",
        PortalSignIn = "portal-sign-in",
        PortalSignInFailed = "portal-sign-in-failed",
    }
}

/// One thing that happened. `detail` names codes and states, never content.
pub struct Entry<'a> {
    pub organisation_id: Option<&'a str>,
    pub actor_user_id: Option<&'a str>,
    /// The actor's e-mail address at the time, or `system`.
    pub actor: &'a str,
    pub action: Action,
    pub object_type: Option<&'static str>,
    pub object_id: Option<&'a str>,
    pub detail: Option<String>,
}

impl<'a> Entry<'a> {
    /// An action of a signed-in member on an object.
    pub fn by(
        actor: &'a Actor,
        action: Action,
        object_type: &'static str,
        object_id: &'a str,
    ) -> Self {
        Self {
            organisation_id: Some(&actor.organisation_id),
            actor_user_id: Some(&actor.user_id),
            actor: &actor.email,
            action,
            object_type: Some(object_type),
            object_id: Some(object_id),
            detail: None,
        }
    }

    /// An action taken on the command line (by whoever runs `ward` on
    /// the server) on an object of an organisation.
    pub fn by_command_line(
        organisation_id: &'a str,
        action: Action,
        object_type: &'static str,
        object_id: &'a str,
    ) -> Self {
        Self {
            organisation_id: Some(organisation_id),
            actor_user_id: None,
            actor: COMMAND_LINE,
            action,
            object_type: Some(object_type),
            object_id: Some(object_id),
            detail: None,
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

fn chain_key(key: &InstanceKey) -> InstanceKey {
    key.derive("audit chain")
}

/// The keyed hash of an entry: every field, length-prefixed, after the previous hash.
fn entry_hash(key: &InstanceKey, row: &AuditRow) -> String {
    let mut data = Vec::with_capacity(256);
    let mut field = |value: Option<&str>| match value {
        Some(v) => {
            data.extend_from_slice(&(v.len() as u64).to_be_bytes());
            data.extend_from_slice(v.as_bytes());
        }
        None => data.extend_from_slice(&u64::MAX.to_be_bytes()),
    };
    field(Some("ward audit v1"));
    field(Some(&row.prev_hash));
    field(Some(&row.seq.to_string()));
    field(Some(&row.at.to_string()));
    field(row.organisation_id.as_deref());
    field(row.actor_user_id.as_deref());
    field(Some(&row.actor));
    field(Some(&row.action));
    field(row.object_type.as_deref());
    field(row.object_id.as_deref());
    field(row.detail.as_deref());
    hex::encode(chain_key(key).mac(&data))
}

/// Appends an entry inside a change (`Change::record`), so the action
/// and its record are committed together or not at all.
pub(super) async fn append(
    tx: &mut WriteTx,
    key: &InstanceKey,
    entry: Entry<'_>,
) -> DomainResult<()> {
    let (seq, prev_hash) = audit::next_link(tx, GENESIS).await?;
    let mut row = AuditRow {
        seq,
        at: now_millis(),
        organisation_id: entry.organisation_id.map(str::to_string),
        actor_user_id: entry.actor_user_id.map(str::to_string),
        actor: entry.actor.to_string(),
        action: entry.action.as_str().to_string(),
        object_type: entry.object_type.map(str::to_string),
        object_id: entry.object_id.map(str::to_string),
        detail: entry.detail,
        prev_hash,
        hash: String::new(),
    };
    row.hash = entry_hash(key, &row);
    audit::insert(tx, &row).await?;
    Ok(())
}

/// Records an entry in a transaction of its own (views, downloads, sign-ins).
/// (What it writes is only its entry, so it needs no `Change`; `change`
/// builds on this module, not the other way round.)
pub async fn record(db: &Database, key: &InstanceKey, entry: Entry<'_>) -> DomainResult<()> {
    let mut tx = db.begin_write().await?;
    append(&mut tx, key, entry).await?;
    Ok(tx.commit().await?)
}

/// What [`verify`] found.
#[derive(Debug, PartialEq, Eq)]
pub struct Verification {
    /// Entries checked.
    pub entries: u64,
    /// The first entry that does not fit the chain, and why.
    pub broken: Option<Broken>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Broken {
    pub seq: i64,
    pub reason: &'static str,
}

/// Checks the whole chain, oldest first, in batches.
pub async fn verify(db: &Database, key: &InstanceKey) -> DomainResult<Verification> {
    const BATCH: i64 = 5_000;
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS.to_string();
    let mut entries = 0u64;
    let broken = |seq, reason| Broken { seq, reason };
    loop {
        let rows = audit::batch_after(db, expected_seq - 1, BATCH).await?;
        let fetched = rows.len();
        for row in rows {
            if row.seq != expected_seq {
                return Ok(Verification {
                    entries,
                    broken: Some(broken(expected_seq, "missing entry")),
                });
            }
            if row.prev_hash != prev_hash {
                return Ok(Verification {
                    entries,
                    broken: Some(broken(row.seq, "does not follow the entry before")),
                });
            }
            if entry_hash(key, &row) != row.hash {
                return Ok(Verification {
                    entries,
                    broken: Some(broken(row.seq, "altered")),
                });
            }
            entries += 1;
            expected_seq += 1;
            prev_hash = row.hash;
        }
        if (fetched as i64) < BATCH {
            break;
        }
    }
    let last = expected_seq - 1;
    let head_matches = match audit::head(db).await? {
        None => last == 0,
        Some((seq, hash)) => seq == last && (last == 0 || hash == prev_hash),
    };
    Ok(Verification {
        entries,
        broken: (!head_matches).then(|| broken(last + 1, "entries after this one were removed")),
    })
}

/// An entry of the log as administrators read it (its chain hashes stay
/// with `verify`).
pub struct RecordedEntry {
    /// Its place in the chain, which also pages the list.
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    /// An [`Action`]'s code (older entries may carry codes no longer made).
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub detail: Option<String>,
}

/// The organisation's log for its administrators, newest first.
pub async fn list(
    ctx: Context<'_>,
    actor: &Actor,
    filter: AuditFilter,
) -> DomainResult<Page<RecordedEntry>> {
    let (db, key) = (ctx.db, ctx.key);
    actor.require(Permission::ReadAuditLog)?;
    const PAGE: i64 = 100;
    let mut rows = audit::list(db, &actor.organisation_id, &filter, PAGE + 1).await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let first_page = filter.before_seq.is_none();
    if first_page {
        let mut entry = Entry::by(
            actor,
            Action::AuditLogViewed,
            "audit-log",
            &actor.organisation_id,
        );
        entry.object_id = None;
        entry.object_type = None;
        record(db, key, entry).await?;
    }
    let next = more
        .then(|| rows.last().map(|r| r.seq.to_string()))
        .flatten();
    let items = rows
        .into_iter()
        .map(|r| RecordedEntry {
            seq: r.seq,
            at: r.at,
            actor: r.actor,
            action: r.action,
            object_type: r.object_type,
            object_id: r.object_id,
            detail: r.detail,
        })
        .collect();
    Ok(Page { items, next })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_parses_back() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(*action));
        }
        assert_eq!(Action::parse("nothing"), None);
    }

    #[test]
    fn the_hash_covers_every_field_and_the_key() {
        let key = InstanceKey::from_raw([7; 32]);
        let row = AuditRow {
            seq: 1,
            at: 5,
            organisation_id: Some("org".into()),
            actor_user_id: Some("u".into()),
            actor: "ana@example.org".into(),
            action: "report-viewed".into(),
            object_type: Some("report".into()),
            object_id: Some("r1".into()),
            detail: None,
            prev_hash: GENESIS.into(),
            hash: String::new(),
        };
        let hash = entry_hash(&key, &row);
        let changed = [
            AuditRow {
                seq: 2,
                ..row.clone()
            },
            AuditRow {
                at: 6,
                ..row.clone()
            },
            AuditRow {
                organisation_id: None,
                ..row.clone()
            },
            AuditRow {
                actor: "bob@example.org".into(),
                ..row.clone()
            },
            AuditRow {
                action: "sign-in".into(),
                ..row.clone()
            },
            AuditRow {
                object_id: Some("r2".into()),
                ..row.clone()
            },
            AuditRow {
                detail: Some(String::new()),
                ..row.clone()
            },
            AuditRow {
                prev_hash: "1".repeat(64),
                ..row.clone()
            },
        ];
        for other in changed {
            assert_ne!(entry_hash(&key, &other), hash, "{other:?}");
        }
        assert_ne!(entry_hash(&InstanceKey::from_raw([8; 32]), &row), hash);
    }
}
