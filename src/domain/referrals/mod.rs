//! Referrals: a case, or the parts of it an analyst chooses, sent to an
//! authority or a partner, and followed until its outcome.
//!
//! A referral is prepared for each recipient chosen, as a document (JSON,
//! rendered as a PDF) and the chosen files, sealed to the organisation (and
//! to the recipient's portal accounts). It is delivered by the recipient's
//! channel: the portal (at once), e-mail encrypted and signed with OpenPGP
//! (at once), or by hand (the analyst downloads the package and says when
//! it went). Its state then follows: sent, acknowledged, outcome recorded;
//! an acknowledgement that does not come within a week makes it overdue.

pub mod cybertipline;
pub mod document;
pub mod email;
pub mod openpgp;
pub mod package;
pub mod pdf;
pub mod portal;
mod prepare;
pub mod transfer;

pub use prepare::prepare;

use serde::{Deserialize, Serialize};

use self::document::ReferralDocument;
use self::package::PackageFile;
use super::actor::{Actor, Permission};
use super::audit::{self, Action, Entry};
use super::cases::{self, open_json, open_text};
use super::{Context, DomainError, DomainResult};
use crate::domain::change::Change;
use crate::mail::Mailer;
use crate::storage::recipients::{self, RecipientRow};
use crate::storage::referrals::{self, ReferralRow};
use crate::storage::{attachments, now_millis};
use crate::vault::{PublicKey, SecretKey, seal_for_all};

/// How long a recipient has to acknowledge a referral before it is overdue.
pub const ACKNOWLEDGE_WITHIN_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// The longest summary, in characters.
pub const MAX_SUMMARY_CHARS: usize = 5_000;

crate::code_enum! {
    /// How a referral reaches its recipient.
    Channel {
        Email = "email",
        Portal = "portal",
        Manual = "manual",
    }
}

crate::code_enum! {
    /// Where a referral stands.
    State {
        Prepared = "prepared",
        Sent = "sent",
        Acknowledged = "acknowledged",
        Outcome = "outcome",
    }
}

crate::code_enum! {
    /// What the recipient did with a referral.
    Outcome {
        InvestigationOpened = "investigation-opened",
        NoFurtherAction = "no-further-action",
        PassedToAnotherCountry = "passed-to-another-country",
        Other = "other",
    }
}

/// What is sealed in a referral: its document and the ids of its files.
#[derive(Serialize, Deserialize)]
pub(crate) struct Sealed {
    pub document: ReferralDocument,
    pub attachment_ids: Vec<String>,
}

/// What the analyst chose to send.
#[derive(Clone, Debug, Default)]
pub struct Preparation {
    pub recipients: Vec<String>,
    /// Question ids of the answers to include.
    pub answers: Vec<String>,
    pub attachments: Vec<String>,
    /// Include the reporter's contact details (only if they agreed).
    pub include_contact: bool,
    pub summary: String,
}

/// What preparing did: referrals made, delivered at once, and those whose
/// delivery failed (by recipient name; they stay prepared).
#[derive(Debug, Default)]
pub struct Prepared {
    pub made: usize,
    pub delivered: usize,
    pub failed: Vec<String>,
}

/// A referral as the case view lists it.
pub struct ReferralView {
    pub id: String,
    /// When it was prepared, sent, due and acknowledged (milliseconds).
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub due_at: Option<i64>,
    pub acknowledged_at: Option<i64>,
    pub outcome: Option<Outcome>,
    pub recipient: String,
    pub channel: Channel,
    pub state: State,
    pub outcome_note: Option<String>,
    /// Sent, not acknowledged, and past its due date.
    pub overdue: bool,
}

async fn record_sent(
    ctx: Context<'_>,
    actor: &Actor,
    row: &ReferralRow,
    recipient: &RecipientRow,
) -> DomainResult<()> {
    let now = now_millis();
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    referrals::mark_sent(&mut tx, &row.id, now, now + ACKNOWLEDGE_WITHIN_MS).await?;
    let entry = Entry::by(actor, Action::ReferralSent, "report", &row.report_id)
        .with_detail(format!("to {} by {}", recipient.name, row.channel));
    tx.record(entry).await?;
    tx.commit().await?;
    Ok(())
}

/// A referral of the member's organisation; another's is not found.
async fn find(ctx: Context<'_>, actor: &Actor, id: &str) -> DomainResult<ReferralRow> {
    referrals::get(ctx.db, &actor.organisation_id, id)
        .await?
        .ok_or(DomainError::NotFound)
}

/// The referrals of a case.
pub async fn for_case(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
) -> DomainResult<Vec<ReferralView>> {
    actor.require(Permission::ReadReports)?;
    let case = cases::find(ctx, actor, report_id).await?;
    let rows = referrals::for_report(ctx.db, &actor.organisation_id, &case.id).await?;
    let now = now_millis();
    let mut out = Vec::new();
    for row in rows {
        let recipient = recipients::get(ctx.db, &actor.organisation_id, &row.recipient_id)
            .await?
            .map_or_else(String::new, |r| r.name);
        let outcome_note = match (&row.sealed_outcome_note, actor.organisation_key.as_ref()) {
            (Some(sealed), Some(key)) => Some(open_text(key, sealed)?.to_string()),
            _ => None,
        };
        let state = State::parse(&row.state).unwrap_or(State::Prepared);
        out.push(ReferralView {
            overdue: state == State::Sent && row.due_at.is_some_and(|due| due < now),
            channel: Channel::parse(&row.channel).unwrap_or(Channel::Manual),
            state,
            recipient,
            outcome_note,
            id: row.id,
            created_at: row.created_at,
            sent_at: row.sent_at,
            due_at: row.due_at,
            acknowledged_at: row.acknowledged_at,
            outcome: row.outcome.as_deref().and_then(Outcome::parse),
        });
    }
    Ok(out)
}

/// Opens what a referral holds, with a key that can read it.
pub(crate) fn open_sealed(key: &SecretKey, row: &ReferralRow) -> DomainResult<Sealed> {
    open_json(key, &row.sealed_package)
}

/// The files of a referral's package, for a reader with a key that opens it.
pub(crate) async fn package_files(
    ctx: Context<'_>,
    organisation_key: Option<&SecretKey>,
    reader: &SecretKey,
    row: &ReferralRow,
) -> DomainResult<(ReferralDocument, Vec<PackageFile>)> {
    let sealed = open_sealed(reader, row)?;
    let mut files = Vec::new();
    for (id, info) in sealed
        .attachment_ids
        .iter()
        .zip(&sealed.document.attachments)
    {
        let Some(a) = attachments::get(ctx.db, &row.organisation_id, &row.report_id, id).await?
        else {
            continue;
        };
        // The organisation reads its own files; a portal reader the copies sealed for it.
        let (object_key, key) = match organisation_key {
            Some(org) => (a.object_key.clone(), org),
            None => (portal::copy_key(&row.organisation_id, &row.id, id), reader),
        };
        let bytes = key.open(&ctx.files.get(&object_key).await?)?;
        files.push((
            info.file_name.clone(),
            info.content_type.clone(),
            bytes.to_vec(),
        ));
    }
    let package = package::files(&sealed.document, files)?;
    Ok((sealed.document, package))
}

/// The package of a referral as a ZIP archive, for delivery by hand; recorded.
pub async fn download(
    ctx: Context<'_>,
    actor: &Actor,
    id: &str,
) -> DomainResult<(String, Vec<u8>)> {
    actor.require(Permission::WorkOnReports)?;
    let row = find(ctx, actor, id).await?;
    let key = actor.key()?;
    let (doc, files) = package_files(ctx, Some(key), key, &row).await?;
    let zip = package::zip(&files)?;
    audit::record(
        ctx.db,
        ctx.key,
        Entry::by(actor, Action::ReferralDownloaded, "report", &row.report_id)
            .with_detail(format!("referral to {}", doc.to.name)),
    )
    .await?;
    Ok((format!("referral-{}.zip", doc.case.reference), zip))
}

/// Marks a referral as sent: one delivered by hand went, or one for the
/// portal is released. An e-mail that could not go is sent again first.
pub async fn mark_sent(
    ctx: Context<'_>,
    actor: &Actor,
    mailer: &Mailer,
    id: &str,
) -> DomainResult<()> {
    actor.require(Permission::WorkOnReports)?;
    let row = find(ctx, actor, id).await?;
    if row.state != State::Prepared.as_str() {
        return Ok(());
    }
    let recipient = recipients::get(ctx.db, &actor.organisation_id, &row.recipient_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    if row.channel == Channel::Email.as_str() {
        let key = actor.key()?;
        let (doc, package) = package_files(ctx, Some(key), key, &row).await?;
        email::send(
            ctx,
            actor,
            mailer,
            &doc.from.name,
            &recipient,
            &doc,
            &package,
        )
        .await?;
    }
    record_sent(ctx, actor, &row, &recipient).await
}

/// Records that the recipient acknowledged a referral (told by phone or
/// e-mail; portal recipients acknowledge themselves).
pub async fn acknowledge(ctx: Context<'_>, actor: &Actor, id: &str) -> DomainResult<()> {
    actor.require(Permission::WorkOnReports)?;
    let row = find(ctx, actor, id).await?;
    if row.state != State::Sent.as_str() {
        return Err(DomainError::invalid("state", "invalid-referral-state"));
    }
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    referrals::mark_acknowledged(&mut tx, &row.id, now_millis()).await?;
    tx.record(Entry::by(
        actor,
        Action::ReferralAcknowledged,
        "report",
        &row.report_id,
    ))
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records what the recipient did with a referral, with an optional note (sealed).
pub async fn record_outcome(
    ctx: Context<'_>,
    actor: &Actor,
    id: &str,
    outcome: &str,
    note: &str,
) -> DomainResult<()> {
    actor.require(Permission::WorkOnReports)?;
    let row = find(ctx, actor, id).await?;
    let outcome =
        Outcome::parse(outcome).ok_or_else(|| DomainError::invalid("outcome", "invalid-option"))?;
    if row.state == State::Prepared.as_str() {
        return Err(DomainError::invalid("state", "invalid-referral-state"));
    }
    let sealed_note = sealed_note(ctx, &row.organisation_id, note, &[]).await?;
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    referrals::record_outcome(
        &mut tx,
        &row.id,
        outcome.as_str(),
        sealed_note.as_deref(),
        now_millis(),
    )
    .await?;
    tx.record(
        Entry::by(actor, Action::ReferralOutcome, "report", &row.report_id)
            .with_detail(outcome.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A note on an outcome, sealed to the organisation (and other readers), or none.
pub(crate) async fn sealed_note(
    ctx: Context<'_>,
    organisation_id: &str,
    note: &str,
    others: &[PublicKey],
) -> DomainResult<Option<Vec<u8>>> {
    let note = note.trim();
    if note.is_empty() {
        return Ok(None);
    }
    if note.chars().count() > MAX_SUMMARY_CHARS {
        return Err(DomainError::invalid("note", "invalid-answer-too-long"));
    }
    let org = cases::annotations::organisation_key(ctx, organisation_id).await?;
    let readers: Vec<&PublicKey> = std::iter::once(&org).chain(others.iter()).collect();
    Ok(Some(seal_for_all(&readers, note.as_bytes())))
}
