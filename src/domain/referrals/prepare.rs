//! Preparing referrals: what the analyst chose is checked, the chosen files
//! are opened, one referral per recipient is planned (its document sealed to
//! the organisation and to the recipient's portal accounts, and the files
//! copied for the portal), all are recorded in one audited change, and those
//! that go by the portal or by e-mail are delivered at once.

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::document::{self, Contents, ReferralDocument};
use super::{Channel, Preparation, Prepared, Sealed, State, email, package, portal, record_sent};
use crate::domain::actor::{Actor, Permission};
use crate::domain::audit::{Action, Entry};
use crate::domain::cases::{self, check_text, open_json};
use crate::domain::change::Change;
use crate::domain::portal_accounts;
use crate::domain::reports::{AttachmentMetadata, ReportContent};
use crate::domain::uploads::remove_keys;
use crate::domain::{Context, DomainError, DomainResult};
use crate::mail::Mailer;
use crate::storage::attachments::AttachmentRow;
use crate::storage::cases::CaseRow;
use crate::storage::organisations::OrganisationRow;
use crate::storage::recipients::{self, RecipientRow};
use crate::storage::referrals::{self, ReferralRow};
use crate::storage::{attachments, new_id, now_millis, organisations};
use crate::vault::{PublicKey, SecretKey, seal_for_all};

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
    let checked = check_choice(ctx, actor, &case, &content, choice).await?;
    let files = open_files(ctx, key, &checked.files).await?;
    let organisation = organisations::get(ctx.db, &actor.organisation_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let org_public =
        crate::domain::key_bindings::organisation_key(ctx.db, ctx.key, &organisation).await?;
    let made = Made {
        actor,
        case: &case,
        content: &content,
        choice,
        summary: &checked.summary,
        files: &files,
        organisation: &organisation,
        organisation_key: &org_public,
    };
    // Portal copies are stored before the referral that names them; if
    // planning or recording fails, they go again.
    let mut copies = Vec::new();
    let recorded = match plan(ctx, &made, &checked.recipients, &mut copies).await {
        Ok(planned) => record_prepared(ctx, actor, &case.id, &planned)
            .await
            .map(|()| planned),
        Err(e) => Err(e),
    };
    let planned = match recorded {
        Ok(planned) => planned,
        Err(e) => {
            let keys: Vec<&str> = copies.iter().map(String::as_str).collect();
            remove_keys(ctx.files, &keys).await;
            return Err(e);
        }
    };
    deliver(ctx, actor, mailer, &organisation, &files, planned).await
}

/// What the analyst chose, checked against the case.
struct Checked {
    summary: String,
    recipients: Vec<RecipientRow>,
    files: Vec<AttachmentRow>,
}

/// Step 1: every choice must make sense; all the errors are given at once.
async fn check_choice(
    ctx: Context<'_>,
    actor: &Actor,
    case: &CaseRow,
    content: &ReportContent,
    choice: &Preparation,
) -> DomainResult<Checked> {
    let mut errors = Vec::new();
    if choice.recipients.is_empty() {
        errors.push(DomainError::invalid("recipients", "invalid-no-recipient"));
    }
    let summary = check_text(&choice.summary, "summary", super::MAX_SUMMARY_CHARS)
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
    let chosen_files: Vec<AttachmentRow> =
        attachments::for_report(ctx.db, &actor.organisation_id, &case.id)
            .await?
            .into_iter()
            .filter(|a| choice.attachments.contains(&a.id))
            .collect();
    if chosen_files.len() != choice.attachments.len() {
        errors.push(DomainError::invalid("attachments", "invalid-option"));
    }
    if let Some(error) = DomainError::collect(errors) {
        return Err(error);
    }
    Ok(Checked {
        summary: summary.unwrap_or_default().to_string(),
        recipients: chosen_recipients,
        files: chosen_files,
    })
}

/// A chosen file, opened, with its fingerprint.
struct OpenedFile {
    attachment_id: String,
    metadata: AttachmentMetadata,
    sha256: String,
    bytes: Zeroizing<Vec<u8>>,
}

/// Step 2: the chosen files, opened with the organisation's key.
async fn open_files(
    ctx: Context<'_>,
    key: &SecretKey,
    chosen: &[AttachmentRow],
) -> DomainResult<Vec<OpenedFile>> {
    let mut files = Vec::new();
    for a in chosen {
        let metadata: AttachmentMetadata = open_json(key, &a.sealed_metadata)?;
        let bytes = key.open(&ctx.files.get(&a.object_key).await?)?;
        files.push(OpenedFile {
            attachment_id: a.id.clone(),
            sha256: hex::encode(Sha256::digest(&bytes[..])),
            metadata,
            bytes,
        });
    }
    Ok(files)
}

/// What every referral of one preparation is made from.
struct Made<'a> {
    actor: &'a Actor,
    case: &'a CaseRow,
    content: &'a ReportContent,
    choice: &'a Preparation,
    summary: &'a str,
    files: &'a [OpenedFile],
    organisation: &'a OrganisationRow,
    organisation_key: &'a PublicKey,
}

/// A referral made, before its delivery.
pub(super) struct Planned {
    row: ReferralRow,
    recipient: RecipientRow,
    channel: Channel,
    document: ReferralDocument,
}

/// The channel a recipient's referrals take: the portal when someone of it
/// has an account there, e-mail when it has an address and an OpenPGP key,
/// otherwise by hand.
fn channel_for(recipient: &RecipientRow, portal_keys: &[PublicKey]) -> Channel {
    if !portal_keys.is_empty() {
        Channel::Portal
    } else if recipient.email.is_some() && recipient.openpgp_key.is_some() {
        Channel::Email
    } else {
        Channel::Manual
    }
}

/// Step 3: one referral per recipient. Files for the portal are sealed
/// again, for the recipient's accounts, and stored; their keys are added to
/// `copies` as they are written.
async fn plan(
    ctx: Context<'_>,
    made: &Made<'_>,
    chosen: &[RecipientRow],
    copies: &mut Vec<String>,
) -> DomainResult<Vec<Planned>> {
    let now = now_millis();
    let mut planned = Vec::new();
    for recipient in chosen {
        let portal_keys = portal_accounts::recipient_keys(ctx, &recipient.id).await?;
        let channel = channel_for(recipient, &portal_keys);
        let id = new_id();
        let readers: Vec<&PublicKey> = std::iter::once(made.organisation_key)
            .chain(portal_keys.iter())
            .collect();
        if channel == Channel::Portal {
            for file in made.files {
                let copy = portal::copy_key(&made.actor.organisation_id, &id, &file.attachment_id);
                ctx.files
                    .put(&copy, seal_for_all(&readers, &file.bytes))
                    .await?;
                copies.push(copy);
            }
        }
        let document = document::build(Contents {
            id: &id,
            created_at: now,
            channel: channel.as_str(),
            organisation: (&made.organisation.name, &made.organisation.country),
            recipient,
            case: made.case,
            content: made.content,
            summary: made.summary,
            answers: &made.choice.answers,
            include_contact: made.choice.include_contact,
            files: made
                .files
                .iter()
                .map(|f| (f.metadata.clone(), f.sha256.clone()))
                .collect(),
        });
        let sealed = Sealed {
            document: document.clone(),
            attachment_ids: made.files.iter().map(|f| f.attachment_id.clone()).collect(),
        };
        let json = Zeroizing::new(serde_json::to_vec(&sealed).expect("a referral serialises"));
        let row = ReferralRow {
            id,
            organisation_id: made.actor.organisation_id.clone(),
            report_id: made.case.id.clone(),
            recipient_id: recipient.id.clone(),
            channel: channel.as_str().into(),
            state: State::Prepared.as_str().into(),
            sealed_package: seal_for_all(&readers, &json),
            created_by: made.actor.user_id.clone(),
            created_at: now,
            sent_at: None,
            due_at: None,
            acknowledged_at: None,
            outcome: None,
            sealed_outcome_note: None,
            outcome_at: None,
        };
        planned.push(Planned {
            row,
            recipient: recipient.clone(),
            channel,
            document,
        });
    }
    Ok(planned)
}

/// The referrals planned, with their audit entries, in one change.
async fn record_prepared(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    planned: &[Planned],
) -> DomainResult<()> {
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    for p in planned {
        referrals::insert(&mut tx, &p.row).await?;
        let entry = Entry::by(actor, Action::ReferralPrepared, "report", report_id)
            .with_detail(format!("to {} by {}", p.recipient.name, p.channel.as_str()));
        tx.record(entry).await?;
    }
    tx.commit_if_recorded().await?;
    Ok(())
}

/// Step 4: delivery by the portal (the referral is there already) and by
/// e-mail, now; referrals by hand wait for the analyst. A failed delivery
/// leaves its referral prepared and is named in what is returned.
async fn deliver(
    ctx: Context<'_>,
    actor: &Actor,
    mailer: &Mailer,
    organisation: &OrganisationRow,
    files: &[OpenedFile],
    planned: Vec<Planned>,
) -> DomainResult<Prepared> {
    let mut outcome = Prepared {
        made: planned.len(),
        ..Prepared::default()
    };
    for p in planned {
        let delivered = match p.channel {
            Channel::Portal => Ok(()),
            Channel::Email => {
                let attachments = files
                    .iter()
                    .map(|f| {
                        let m = &f.metadata;
                        (
                            m.file_name.clone(),
                            m.content_type.clone(),
                            f.bytes.to_vec(),
                        )
                    })
                    .collect();
                let package = package::files(&p.document, attachments)?;
                email::send(
                    ctx,
                    actor,
                    mailer,
                    &organisation.name,
                    &p.recipient,
                    &p.document,
                    &package,
                )
                .await
            }
            Channel::Manual => continue,
        };
        match delivered {
            Ok(()) => {
                record_sent(ctx, actor, &p.row, &p.recipient).await?;
                outcome.delivered += 1;
            }
            Err(e) => {
                tracing::warn!(error = %e, "a referral could not be delivered");
                outcome.failed.push(p.recipient.name);
            }
        }
    }
    Ok(outcome)
}
