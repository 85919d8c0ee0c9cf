//! Casework: what analysts do with a report once it has arrived. Every
//! function takes the acting member and checks their permission first; every
//! lookup is bounded to the member's organisation, so another
//! organisation's report is simply not found.

pub mod annotations;
pub mod assessment;
pub mod attachments;
pub mod codes;
pub mod workflow;

use zeroize::Zeroizing;

use self::codes::{Priority, Status};
use super::actor::{Actor, Permission};
use super::audit::{self, Action, Entry};
use super::followup::{self, Message};
use super::reports::{AttachmentMetadata, ReportContent};
use super::{Context, DomainError, DomainResult};
use crate::storage::cases::{self, CaseRow};
use crate::storage::labels;
use crate::storage::links;
use crate::storage::{attachments as attachment_rows, notes, now_millis, users};
use crate::vault::{SecretKey, VaultError};

pub use codes::reference;

/// A case as members see it: what it is about, where it stands and how it
/// was assessed (its content stays sealed, in [`CaseView::content`]).
pub struct Case {
    pub id: String,
    pub category: String,
    /// The category the reporter chose, when an analyst changed it.
    pub reported_category: Option<String>,
    pub country: String,
    pub language: String,
    pub status: Status,
    pub created_at: i64,
    pub assignee_id: Option<String>,
    pub priority: Priority,
    pub urgent: bool,
    /// The assessment's codes (see `codes`), when set.
    pub legal_assessment: Option<String>,
    pub material_classification: Option<String>,
    pub age_band: Option<String>,
    pub child_gender: Option<String>,
    pub closing_reason: Option<String>,
}

impl From<&CaseRow> for Case {
    fn from(row: &CaseRow) -> Self {
        Self {
            id: row.id.clone(),
            category: row.category.clone(),
            reported_category: row.reported_category.clone(),
            country: row.country.clone(),
            language: row.language.clone(),
            // Only this code writes the column, from `Status`.
            status: Status::parse(&row.status).unwrap_or(Status::New),
            created_at: row.created_at,
            assignee_id: row.assignee_id.clone(),
            priority: Priority::from_level(row.priority),
            urgent: row.urgent != 0,
            legal_assessment: row.legal_assessment.clone(),
            material_classification: row.material_classification.clone(),
            age_band: row.age_band.clone(),
            child_gender: row.child_gender.clone(),
            closing_reason: row.closing_reason.clone(),
        }
    }
}

/// A label on a case.
pub struct Label {
    pub id: String,
    pub name: String,
}

/// Another case linked to this one.
pub struct LinkedCase {
    pub id: String,
    /// One of the link kinds (`duplicate`, `related`, …).
    pub kind: String,
    pub category: String,
    pub status: String,
}

/// Everything the case view shows, opened for the member.
pub struct CaseView {
    pub case: Case,
    pub reference: String,
    /// What the reporter wrote; `None` for a member without access yet.
    pub content: Option<ReportContent>,
    pub urgent_reason: Option<String>,
    pub assignee_email: Option<String>,
    pub labels: Vec<Label>,
    pub notes: Vec<Note>,
    pub messages: Vec<Message>,
    pub attachments: Vec<AttachmentView>,
    pub links: Vec<LinkedCase>,
    /// Active members a supervisor may assign the case to: (id, e-mail).
    pub members: Vec<(String, String)>,
}

pub struct Note {
    pub author: String,
    pub body: String,
    pub created_at: i64,
}

pub struct AttachmentView {
    pub id: String,
    pub metadata: AttachmentMetadata,
    pub created_at: i64,
    /// Sent later with a follow-up message.
    pub with_message: bool,
}

impl AttachmentView {
    pub fn is_image(&self) -> bool {
        attachments::is_previewable(&self.metadata.content_type)
    }
}

/// The case row of a report of the member's organisation, or not found.
pub(crate) async fn find(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
) -> DomainResult<CaseRow> {
    cases::get(ctx.db, &actor.organisation_id, report_id)
        .await?
        .ok_or(DomainError::NotFound)
}

/// Opens a case for the member: records the view and marks it read.
pub async fn open(ctx: Context<'_>, actor: &Actor, report_id: &str) -> DomainResult<CaseView> {
    actor.require(Permission::ReadReports)?;
    let case = find(ctx, actor, report_id).await?;
    let org = &actor.organisation_id;
    let key = actor.organisation_key.as_ref();
    let (content, urgent_reason, notes, messages, attachments) = match key {
        Some(key) => (
            Some(open_json::<ReportContent>(key, &case.sealed_content)?),
            case.sealed_urgent_reason
                .as_deref()
                .map(|sealed| open_text(key, sealed).map(|t| t.to_string()))
                .transpose()?,
            open_notes(ctx, org, &case.id, key).await?,
            followup::for_hotline(ctx.db, key, org, &case.id).await?,
            open_attachments(ctx, org, &case.id, key).await?,
        ),
        None => (None, None, Vec::new(), Vec::new(), Vec::new()),
    };
    let assignee_email = match &case.assignee_id {
        Some(id) => users::find_in_organisation(ctx.db, org, id)
            .await?
            .map(|u| u.email),
        None => None,
    };
    let labels = labels::for_reports(ctx.db, org, std::slice::from_ref(&case.id))
        .await?
        .into_iter()
        .map(|(_, label)| Label {
            id: label.id,
            name: label.name,
        })
        .collect();
    let links = links::for_report(ctx.db, org, &case.id)
        .await?
        .into_iter()
        .map(|l| LinkedCase {
            id: l.other_report_id,
            kind: l.kind,
            category: l.category,
            status: l.status,
        })
        .collect();
    let members = users::members(ctx.db, org)
        .await?
        .into_iter()
        .filter(|m| m.disabled == 0)
        .map(|m| (m.id, m.email))
        .collect();
    audit::record(
        ctx.db,
        ctx.key,
        Entry::by(actor, Action::ReportViewed, "report", &case.id),
    )
    .await?;
    cases::mark_read(ctx.db, &actor.user_id, &case.id, now_millis()).await?;
    cases::settle_rank(ctx.db, &case.id).await?;
    Ok(CaseView {
        reference: reference(&case.id),
        case: Case::from(&case),
        content,
        urgent_reason,
        assignee_email,
        labels,
        notes,
        messages,
        attachments,
        links,
        members,
    })
}

async fn open_notes(
    ctx: Context<'_>,
    org: &str,
    report_id: &str,
    key: &SecretKey,
) -> DomainResult<Vec<Note>> {
    notes::for_report(ctx.db, org, report_id)
        .await?
        .into_iter()
        .map(|row| {
            Ok(Note {
                body: open_text(key, &row.sealed_body)?.to_string(),
                author: row.author_email,
                created_at: row.created_at,
            })
        })
        .collect()
}

async fn open_attachments(
    ctx: Context<'_>,
    org: &str,
    report_id: &str,
    key: &SecretKey,
) -> DomainResult<Vec<AttachmentView>> {
    attachment_rows::for_report(ctx.db, org, report_id)
        .await?
        .into_iter()
        .map(|row| {
            Ok(AttachmentView {
                metadata: open_json(key, &row.sealed_metadata)?,
                id: row.id,
                created_at: row.created_at,
                with_message: row.message_id.is_some(),
            })
        })
        .collect()
}

/// Opens sealed JSON with the organisation's key.
pub(crate) fn open_json<T: serde::de::DeserializeOwned>(
    key: &SecretKey,
    sealed: &[u8],
) -> DomainResult<T> {
    let bytes = key.open(sealed)?;
    serde_json::from_slice(&bytes).map_err(|_| DomainError::Vault(VaultError::Corrupt))
}

/// Opens sealed text with the organisation's key.
pub(crate) fn open_text(key: &SecretKey, sealed: &[u8]) -> DomainResult<Zeroizing<String>> {
    let bytes = key.open(sealed)?;
    String::from_utf8(bytes.to_vec())
        .map(Zeroizing::new)
        .map_err(|_| DomainError::Vault(VaultError::Corrupt))
}

/// Free text an analyst writes (a note, a reason): trimmed, 1 to `max` characters.
pub(crate) fn check_text<'a>(
    text: &'a str,
    field: &'static str,
    max: usize,
) -> DomainResult<&'a str> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DomainError::invalid(field, "invalid-required"));
    }
    if text.chars().count() > max {
        return Err(DomainError::invalid(field, "invalid-answer-too-long"));
    }
    Ok(text)
}

/// The report a typed reference names, in the member's organisation.
pub(crate) async fn find_by_reference(
    ctx: Context<'_>,
    actor: &Actor,
    reference: &str,
    not: &str,
) -> DomainResult<String> {
    let invalid = || DomainError::invalid("reference", "invalid-reference");
    let prefix = codes::id_prefix(reference).ok_or_else(invalid)?;
    let found = cases::ids_with_prefix(ctx.db, &actor.organisation_id, &prefix).await?;
    match found.as_slice() {
        [one] if one != not => Ok(one.clone()),
        _ => Err(invalid()),
    }
}
