//! Transfer of a case to another organisation of the instance (the hotline
//! of the offender's country, say). The case is opened with the sending
//! organisation's key and sealed again for the receiving one: answers,
//! files and the conversation with the reporter. The receiving organisation
//! gets a new case that says where it came from; the sending one keeps its
//! case (the reporter still follows it up there) and the record of the
//! transfer. Nobody else can read the copy.

use super::super::actor::{Actor, Permission};
use super::super::audit::{Action, Entry};
use super::super::cases::{self, open_json};
use super::super::followup;
use super::super::reports::{AttachmentMetadata, ReportContent};
use super::super::uploads::remove_objects;
use super::super::{Context, DomainError, DomainResult};
use crate::domain::change::Change;
use crate::storage::attachments::{self, AttachmentRow};
use crate::storage::cases::CaseRow;
use crate::storage::messages::{self, MessageRow};
use crate::storage::organisations::OrganisationRow;
use crate::storage::reports::{self, ReportRow};
use crate::storage::transfers::{self, TransferRow};
use crate::storage::{new_id, now_millis, organisations};
use crate::vault::{PublicKey, SecretKey};

/// Transfers a case; returns the id of the receiving organisation's new case.
pub async fn transfer(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    to_organisation_id: &str,
) -> DomainResult<String> {
    actor.require(Permission::CloseReports)?;
    let key = actor.key()?;
    let case = cases::find(ctx, actor, report_id).await?;
    let to = organisations::get(ctx.db, to_organisation_id)
        .await?
        .filter(|o| o.id != actor.organisation_id)
        .ok_or_else(|| DomainError::invalid("organisation", "invalid-option"))?;
    let from = organisations::get(ctx.db, &actor.organisation_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let recipient = crate::domain::key_bindings::organisation_key(ctx.db, ctx.key, &to).await?;
    let content: ReportContent = open_json(key, &case.sealed_content)?;
    let now = now_millis();
    let new_report_id = new_id();
    // 1. The files, sealed again and stored before any row names them.
    let mut files = Vec::new();
    for a in attachments::for_report(ctx.db, &actor.organisation_id, &case.id).await? {
        let copied = copy_file(ctx, key, &recipient, &to.id, &new_report_id, &a).await;
        match copied {
            Ok(row) => files.push(row),
            Err(e) => {
                remove_objects(ctx.files, &files).await;
                return Err(e);
            }
        }
    }
    // 2. The conversation with the reporter, for the receiving organisation only.
    let conversation = followup::for_hotline(ctx.db, key, &actor.organisation_id, &case.id).await?;
    let copied_messages: Vec<MessageRow> = conversation
        .iter()
        .map(|m| MessageRow {
            id: new_id(),
            organisation_id: to.id.clone(),
            report_id: new_report_id.clone(),
            author: m.author.clone(),
            author_user_id: None,
            sealed_body: recipient.seal(&serde_json::to_vec(m).expect("a message serialises")),
            created_at: m.created_at,
        })
        .collect();
    let copy = ReportRow {
        id: new_report_id.clone(),
        organisation_id: to.id.clone(),
        // Not a receipt code's hash: the reporter follows the case up where they sent it.
        receipt_hash: format!("transferred:{new_report_id}"),
        category: case.category.clone(),
        country: case.country.clone(),
        language: case.language.clone(),
        status: "new".into(),
        sealed_content: recipient.seal(&serde_json::to_vec(&content).expect("a report serialises")),
        created_at: case.created_at,
        reporter_public_key: None,
        reporter_sealed_key: None,
        submission_hash: None,
    };
    // 3. Everything in one transaction, recorded on both sides; the copies go if it fails.
    let outcome = record(
        ctx,
        actor,
        &case,
        &to,
        &from,
        copy,
        &files,
        &copied_messages,
        now,
    )
    .await;
    if outcome.is_err() {
        remove_objects(ctx.files, &files).await;
    }
    outcome.map(|()| new_report_id)
}

/// A file of the case, sealed again for the receiving organisation and stored.
async fn copy_file(
    ctx: Context<'_>,
    key: &SecretKey,
    recipient: &PublicKey,
    to: &str,
    new_report_id: &str,
    a: &AttachmentRow,
) -> DomainResult<AttachmentRow> {
    let metadata: AttachmentMetadata = open_json(key, &a.sealed_metadata)?;
    let bytes = key.open(&ctx.files.get(&a.object_key).await?)?;
    let id = new_id();
    let object_key = format!("attachments/{to}/{id}");
    let sealed = recipient.seal(&bytes);
    let stored_size = sealed.len() as i64;
    ctx.files.put(&object_key, sealed).await?;
    Ok(AttachmentRow {
        id,
        organisation_id: to.to_string(),
        report_id: new_report_id.to_string(),
        object_key,
        stored_size,
        sealed_metadata: recipient
            .seal(&serde_json::to_vec(&metadata).expect("metadata serialises")),
        created_at: a.created_at,
        // The conversation is copied as messages without their files.
        message_id: None,
    })
}

/// The copy's rows and the transfer's record, in one transaction.
#[allow(clippy::too_many_arguments)]
async fn record(
    ctx: Context<'_>,
    actor: &Actor,
    case: &CaseRow,
    to: &OrganisationRow,
    from: &OrganisationRow,
    copy: ReportRow,
    files: &[AttachmentRow],
    copied_messages: &[MessageRow],
    now: i64,
) -> DomainResult<()> {
    let new_report_id = copy.id.clone();
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    reports::insert(&mut tx, &copy).await?;
    for a in files {
        attachments::insert(&mut tx, a).await?;
    }
    for m in copied_messages {
        messages::insert(&mut tx, m).await?;
    }
    transfers::insert(
        &mut tx,
        &TransferRow {
            id: new_id(),
            from_organisation_id: actor.organisation_id.clone(),
            from_report_id: case.id.clone(),
            to_organisation_id: to.id.clone(),
            to_report_id: new_report_id.clone(),
            created_by: actor.user_id.clone(),
            created_at: now,
        },
    )
    .await?;
    let sent = Entry::by(actor, Action::Transferred, "report", &case.id).with_detail(format!(
        "to {} as {}",
        to.name,
        cases::reference(&new_report_id)
    ));
    tx.record(sent).await?;
    let received = Entry {
        organisation_id: Some(&to.id),
        actor_user_id: None,
        actor: &actor.email,
        action: Action::Transferred,
        object_type: Some("report"),
        object_id: Some(&new_report_id),
        detail: Some(format!(
            "from {}, report {}",
            from.name,
            cases::reference(&case.id)
        )),
    };
    tx.record(received).await?;
    tx.commit().await?;
    Ok(())
}

/// The other organisations a case may go to: (id, name).
pub async fn destinations(ctx: Context<'_>, actor: &Actor) -> DomainResult<Vec<(String, String)>> {
    actor.require(Permission::ReadReports)?;
    Ok(organisations::all(ctx.db)
        .await?
        .into_iter()
        .filter(|o| o.id != actor.organisation_id)
        .map(|o| (o.id, o.name))
        .collect())
}

/// A transfer as one of its two cases shows it.
#[derive(Clone, Debug)]
pub struct CaseTransfer {
    /// True on the sending side.
    pub sent: bool,
    pub other_organisation: String,
    pub at: i64,
}

/// A case's transfers, as its organisation sees them.
pub async fn of_case(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
) -> DomainResult<Vec<CaseTransfer>> {
    actor.require(Permission::ReadReports)?;
    let case = cases::find(ctx, actor, report_id).await?;
    Ok(transfers::of_report(ctx.db, &case.id)
        .await?
        .into_iter()
        .map(|t| CaseTransfer {
            sent: t.transfer.from_report_id == case.id,
            other_organisation: t.other_organisation,
            at: t.transfer.created_at,
        })
        .collect())
}
