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
pub mod transfer;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use self::document::{Contents, ReferralDocument};
use self::package::PackageFile;
use super::actor::{Actor, Permission};
use super::audit::{self, Action, Entry};
use super::cases::{self, check_text, open_json, open_text};
use super::reports::{AttachmentMetadata, ReportContent};
use super::uploads::remove_keys;
use super::{Context, DomainError, DomainResult};
use crate::domain::change::Change;
use crate::mail::Mailer;
use crate::storage::recipients::{self, RecipientRow};
use crate::storage::referrals::{self, ReferralRow};
use crate::storage::{attachments, new_id, now_millis, organisations};
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
    pub row: ReferralRow,
    pub recipient: String,
    pub channel: Channel,
    pub state: State,
    pub outcome_note: Option<String>,
    /// Sent, not acknowledged, and past its due date.
    pub overdue: bool,
}

/// Prepares a referral for each recipient chosen, and delivers those that
/// go by the portal or by e-mail.
pub async fn prepare(
    ctx: Context<'_>,
    actor: &Actor,
    mailer: &Mailer,
    report_id: &str,
    choice: &Preparation,
) -> DomainResult<Prepared> {
    actor.require(Permission::WorkOnReports)?;
    let key = actor.key()?;
    let case = cases::find(ctx, actor, report_id).await?;
    let content: ReportContent = open_json(key, &case.sealed_content)?;
    // 1. What was chosen must make sense.
    let mut errors = Vec::new();
    if choice.recipients.is_empty() {
        errors.push(DomainError::invalid("recipients", "invalid-no-recipient"));
    }
    let summary = check_text(&choice.summary, "summary", MAX_SUMMARY_CHARS)
        .map_err(|e| errors.push(e))
        .ok();
    if choice
        .answers
        .iter()
        .any(|id| !content.answers.contains_key(id))
    {
        errors.push(DomainError::invalid("answers", "invalid-option"));
    }
    if choice.include_contact && !content.contact.as_ref().is_some_and(|c| c.may_contact) {
        errors.push(DomainError::invalid(
            "include_contact",
            "invalid-contact-not-agreed",
        ));
    }
    let mut chosen_recipients = Vec::new();
    for id in &choice.recipients {
        match recipients::get(ctx.db, &actor.organisation_id, id).await? {
            Some(r) if r.disabled == 0 => chosen_recipients.push(r),
            _ => errors.push(DomainError::invalid("recipients", "invalid-option")),
        }
    }
    let case_files = attachments::for_report(ctx.db, &actor.organisation_id, &case.id).await?;
    let chosen_files: Vec<_> = case_files
        .iter()
        .filter(|a| choice.attachments.contains(&a.id))
        .collect();
    if chosen_files.len() != choice.attachments.len() {
        errors.push(DomainError::invalid("attachments", "invalid-option"));
    }
    if let Some(error) = DomainError::collect(errors) {
        return Err(error);
    }
    let summary = summary.unwrap_or_default();
    // 2. The files, opened, with their fingerprints.
    let mut files = Vec::new();
    for a in &chosen_files {
        let metadata: AttachmentMetadata = open_json(key, &a.sealed_metadata)?;
        let bytes = key.open(&ctx.files.get(&a.object_key).await?)?;
        let sha256 = hex::encode(Sha256::digest(&bytes[..]));
        files.push((a.id.clone(), metadata, sha256, bytes));
    }
    let organisation = organisations::get(ctx.db, &actor.organisation_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let org_public =
        crate::domain::key_bindings::organisation_key(ctx.db, ctx.key, &organisation).await?;
    // 3. One referral per recipient. Files for the portal are sealed again,
    // for the recipient's accounts, and stored before the referral names them.
    let now = now_millis();
    let mut planned = Vec::new();
    let mut copies: Vec<String> = Vec::new();
    for recipient in &chosen_recipients {
        let portal_keys = portal::recipient_keys(ctx, &recipient.id).await?;
        let channel = if !portal_keys.is_empty() {
            Channel::Portal
        } else if recipient.email.is_some() && recipient.openpgp_key.is_some() {
            Channel::Email
        } else {
            Channel::Manual
        };
        let id = new_id();
        let readers: Vec<&PublicKey> = std::iter::once(&org_public)
            .chain(portal_keys.iter())
            .collect();
        if channel == Channel::Portal {
            for (attachment_id, _, _, bytes) in &files {
                let copy = portal::copy_key(&actor.organisation_id, &id, attachment_id);
                if let Err(e) = ctx.files.put(&copy, seal_for_all(&readers, bytes)).await {
                    remove_keys(
                        ctx.files,
                        &copies.iter().map(String::as_str).collect::<Vec<_>>(),
                    )
                    .await;
                    return Err(e.into());
                }
                copies.push(copy);
            }
        }
        let doc = document::build(Contents {
            id: &id,
            created_at: now,
            channel: channel.as_str(),
            organisation: (&organisation.name, &organisation.country),
            recipient,
            case: &case,
            content: &content,
            summary,
            answers: &choice.answers,
            include_contact: choice.include_contact,
            files: files
                .iter()
                .map(|(_, m, sha, _)| (m.clone(), sha.clone()))
                .collect(),
        });
        let sealed = Sealed {
            document: doc.clone(),
            attachment_ids: files.iter().map(|(id, ..)| id.clone()).collect(),
        };
        let json = Zeroizing::new(serde_json::to_vec(&sealed).expect("a referral serialises"));
        let row = ReferralRow {
            id,
            organisation_id: actor.organisation_id.clone(),
            report_id: case.id.clone(),
            recipient_id: recipient.id.clone(),
            channel: channel.as_str().into(),
            state: State::Prepared.as_str().into(),
            sealed_package: seal_for_all(&readers, &json),
            created_by: actor.user_id.clone(),
            created_at: now,
            sent_at: None,
            due_at: None,
            acknowledged_at: None,
            outcome: None,
            sealed_outcome_note: None,
            outcome_at: None,
        };
        planned.push((row, recipient.clone(), channel, doc));
    }
    // The referrals in one transaction; the portal copies go if it fails.
    if let Err(e) = record_prepared(ctx, actor, &case.id, &planned).await {
        remove_keys(
            ctx.files,
            &copies.iter().map(String::as_str).collect::<Vec<_>>(),
        )
        .await;
        return Err(e);
    }
    // 4. Delivery by the portal and by e-mail, now.
    let mut outcome = Prepared {
        made: planned.len(),
        ..Prepared::default()
    };
    for (row, recipient, channel, doc) in planned {
        let delivered = match channel {
            Channel::Portal => Ok(()),
            Channel::Email => {
                let attachments = files
                    .iter()
                    .map(|(_, m, _, bytes)| {
                        (m.file_name.clone(), m.content_type.clone(), bytes.to_vec())
                    })
                    .collect();
                let package = package::files(&doc, attachments)?;
                email::send(
                    ctx,
                    actor,
                    mailer,
                    &organisation.name,
                    &recipient,
                    &doc,
                    &package,
                )
                .await
            }
            Channel::Manual => continue,
        };
        match delivered {
            Ok(()) => {
                record_sent(ctx, actor, &row, &recipient).await?;
                outcome.delivered += 1;
            }
            Err(e) => {
                tracing::warn!(error = %e, "a referral could not be delivered");
                outcome.failed.push(recipient.name);
            }
        }
    }
    Ok(outcome)
}

/// A referral made, before its delivery.
type Planned = (ReferralRow, RecipientRow, Channel, ReferralDocument);

async fn record_prepared(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    planned: &[Planned],
) -> DomainResult<()> {
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    for (row, recipient, channel, _) in planned {
        referrals::insert(&mut tx, row).await?;
        let entry = Entry::by(actor, Action::ReferralPrepared, "report", report_id)
            .with_detail(format!("to {} by {}", recipient.name, channel.as_str()));
        tx.record(entry).await?;
    }
    tx.commit_if_recorded().await?;
    Ok(())
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
            row,
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
