//! The authority portal's side of referrals: people of a recipient see the
//! referrals addressed to their recipient and nothing else, download them,
//! acknowledge receipt and record the outcome. Every view and download is
//! recorded in the referring organisation's audit log. Their accounts and
//! sessions are `domain::portal_accounts`.

use super::document::ReferralDocument;
use super::{Outcome, State, open_sealed, package, package_files, sealed_note};
use crate::domain::audit::{self, Action, Entry};
use crate::domain::change::Change;
use crate::domain::portal_accounts::PortalSession;
use crate::domain::{Context, DomainError, DomainResult};
use crate::storage::now_millis;
use crate::storage::referrals::{self, ReferralRow};

/// Where a portal copy of a referral's file lives in the file store.
pub fn copy_key(organisation_id: &str, referral_id: &str, attachment_id: &str) -> String {
    format!("referral-files/{organisation_id}/{referral_id}/{attachment_id}")
}

/// Where a referral stands, as its recipient sees it (times in milliseconds).
pub struct Standing {
    pub id: String,
    /// One of the referral states (`sent`, `acknowledged`, …).
    pub state: String,
    pub sent_at: Option<i64>,
    pub due_at: Option<i64>,
    pub acknowledged_at: Option<i64>,
    /// One of [`super::Outcome`]'s codes.
    pub outcome: Option<String>,
}

impl From<&ReferralRow> for Standing {
    fn from(row: &ReferralRow) -> Self {
        Self {
            id: row.id.clone(),
            state: row.state.clone(),
            sent_at: row.sent_at,
            due_at: row.due_at,
            acknowledged_at: row.acknowledged_at,
            outcome: row.outcome.clone(),
        }
    }
}

/// A referral as the portal lists it.
pub struct PortalReferral {
    pub standing: Standing,
    /// `None` when the referral was sealed before this account existed.
    pub document: Option<ReferralDocument>,
}

/// The referrals addressed to the session's recipient, newest first.
pub async fn list(ctx: Context<'_>, session: &PortalSession) -> DomainResult<Vec<PortalReferral>> {
    let rows = referrals::for_recipient(ctx.db, &session.account.recipient_id).await?;
    Ok(rows
        .into_iter()
        .map(|row| PortalReferral {
            document: open_sealed(&session.key, &row).ok().map(|s| s.document),
            standing: Standing::from(&row),
        })
        .collect())
}

/// One referral addressed to the session's recipient; any other is not found.
async fn addressed(
    ctx: Context<'_>,
    session: &PortalSession,
    id: &str,
) -> DomainResult<ReferralRow> {
    referrals::get_for_recipient(ctx.db, &session.account.recipient_id, id)
        .await?
        .ok_or(DomainError::NotFound)
}

fn entry<'a>(session: &'a PortalSession, row: &'a ReferralRow, action: Action) -> Entry<'a> {
    Entry {
        organisation_id: Some(&row.organisation_id),
        actor_user_id: None,
        actor: &session.account.email,
        action,
        object_type: Some("report"),
        object_id: Some(&row.report_id),
        detail: Some(format!("portal: {}", row.id)),
    }
}

/// A referral's document, for reading in the portal; recorded.
pub async fn view(
    ctx: Context<'_>,
    session: &PortalSession,
    id: &str,
) -> DomainResult<(Standing, ReferralDocument)> {
    let row = addressed(ctx, session, id).await?;
    let sealed = open_sealed(&session.key, &row).map_err(|_| DomainError::NoAccess)?;
    audit::record(
        ctx.db,
        ctx.key,
        entry(session, &row, Action::ReferralViewed),
    )
    .await?;
    Ok((Standing::from(&row), sealed.document))
}

/// A referral's package as a ZIP archive; recorded.
pub async fn download(
    ctx: Context<'_>,
    session: &PortalSession,
    id: &str,
) -> DomainResult<(String, Vec<u8>)> {
    let row = addressed(ctx, session, id).await?;
    let (doc, files) = package_files(ctx, None, &session.key, &row)
        .await
        .map_err(|_| DomainError::NoAccess)?;
    let zip = package::zip(&files)?;
    audit::record(
        ctx.db,
        ctx.key,
        entry(session, &row, Action::ReferralDownloaded),
    )
    .await?;
    Ok((format!("referral-{}.zip", doc.case.reference), zip))
}

/// The recipient says the referral arrived.
pub async fn acknowledge(ctx: Context<'_>, session: &PortalSession, id: &str) -> DomainResult<()> {
    let row = addressed(ctx, session, id).await?;
    if row.state != State::Sent.as_str() {
        return Ok(());
    }
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    referrals::mark_acknowledged(&mut tx, &row.id, now_millis()).await?;
    tx.record(entry(session, &row, Action::ReferralAcknowledged))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The recipient says what became of the referral, with an optional note.
pub async fn record_outcome(
    ctx: Context<'_>,
    session: &PortalSession,
    id: &str,
    outcome: &str,
    note: &str,
) -> DomainResult<()> {
    let row = addressed(ctx, session, id).await?;
    let outcome =
        Outcome::parse(outcome).ok_or_else(|| DomainError::invalid("outcome", "invalid-option"))?;
    let own = session.key.public_key();
    let sealed = sealed_note(ctx, &row.organisation_id, note, std::slice::from_ref(&own)).await?;
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    referrals::record_outcome(
        &mut tx,
        &row.id,
        outcome.as_str(),
        sealed.as_deref(),
        now_millis(),
    )
    .await?;
    let mut e = entry(session, &row, Action::ReferralOutcome);
    e.detail = Some(format!("portal: {}: {}", row.id, outcome.as_str()));
    tx.record(e).await?;
    tx.commit().await?;
    Ok(())
}
