//! The workflow of a case: status, closing and reopening, assignment,
//! questions to the reporter, and the inbox's bulk actions.

use super::codes::{ClosingReason, Status};
use super::{annotations, find, find_by_reference};
use crate::domain::actor::{Actor, Permission};
use crate::domain::audit::{Action, Entry};
use crate::domain::change::Change;
use crate::domain::{Context, DomainError, DomainResult, followup};
use crate::storage::cases::{self, CaseRow};
use crate::storage::{messages, now_millis, users};

/// Moves a case to a status short of closed (closing is a supervisor's decision).
pub async fn set_status(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    status: &str,
) -> DomainResult<()> {
    actor.require(Permission::WorkOnReports)?;
    let status = parse_open_status(status)?;
    let case = find(ctx, actor, report_id).await?;
    if case.status == Status::Closed.as_str() {
        // A closed case is reopened, not moved.
        actor.require(Permission::CloseReports)?;
    }
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    change_status(&mut tx, ctx, actor, &case, status).await?;
    tx.commit_if_recorded().await
}

fn parse_open_status(status: &str) -> DomainResult<Status> {
    Status::parse(status)
        .filter(|s| *s != Status::Closed)
        .ok_or_else(|| DomainError::invalid("status", "invalid-option"))
}

async fn change_status(
    tx: &mut Change<'_>,
    _ctx: Context<'_>,
    actor: &Actor,
    case: &CaseRow,
    status: Status,
) -> DomainResult<()> {
    if case.status == status.as_str() {
        return Ok(());
    }
    cases::set_status(tx, &case.id, status.as_str(), None, now_millis()).await?;
    let entry = Entry::by(actor, Action::StatusChanged, "report", &case.id).with_detail(format!(
        "{} → {}",
        case.status,
        status.as_str()
    ));
    tx.record(entry).await
}

/// Closes a case with a reason; a duplicate names the report it duplicates.
pub async fn close(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    reason: &str,
    duplicate_of: Option<&str>,
) -> DomainResult<()> {
    actor.require(Permission::CloseReports)?;
    let reason = ClosingReason::parse(reason)
        .ok_or_else(|| DomainError::invalid("reason", "invalid-closing-reason"))?;
    let case = find(ctx, actor, report_id).await?;
    let original = match (
        reason,
        duplicate_of.map(str::trim).filter(|r| !r.is_empty()),
    ) {
        (ClosingReason::Duplicate, Some(reference)) => {
            Some(find_by_reference(ctx, actor, reference, &case.id).await?)
        }
        (ClosingReason::Duplicate, None) => {
            return Err(DomainError::invalid("duplicate_of", "invalid-reference"));
        }
        _ => None,
    };
    let now = now_millis();
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    cases::set_status(
        &mut tx,
        &case.id,
        Status::Closed.as_str(),
        Some(reason.as_str()),
        now,
    )
    .await?;
    let entry = Entry::by(actor, Action::CaseClosed, "report", &case.id).with_detail(format!(
        "{} → closed: {}",
        case.status,
        reason.as_str()
    ));
    tx.record(entry).await?;
    if let Some(original) = original {
        annotations::link_in(&mut tx, ctx, actor, &case.id, &original, "duplicate").await?;
    }
    tx.commit().await
}

/// Reopens a closed case for assessment.
pub async fn reopen(ctx: Context<'_>, actor: &Actor, report_id: &str) -> DomainResult<()> {
    actor.require(Permission::CloseReports)?;
    let case = find(ctx, actor, report_id).await?;
    if case.status != Status::Closed.as_str() {
        return Ok(());
    }
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    cases::set_status(
        &mut tx,
        &case.id,
        Status::InAssessment.as_str(),
        None,
        now_millis(),
    )
    .await?;
    let entry = Entry::by(actor, Action::CaseReopened, "report", &case.id)
        .with_detail("closed → in-assessment");
    tx.record(entry).await?;
    tx.commit().await
}

/// Assigns a case to an active member of the organisation, or to nobody.
pub async fn assign(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    assignee_id: Option<&str>,
) -> DomainResult<()> {
    actor.require(Permission::AssignReports)?;
    let case = find(ctx, actor, report_id).await?;
    let assignee = assignee_of(ctx, actor, assignee_id).await?;
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    change_assignee(&mut tx, ctx, actor, &case, assignee.as_ref()).await?;
    tx.commit_if_recorded().await
}

/// The member a case may be assigned to: (id, e-mail).
async fn assignee_of(
    ctx: Context<'_>,
    actor: &Actor,
    assignee_id: Option<&str>,
) -> DomainResult<Option<(String, String)>> {
    let Some(id) = assignee_id.filter(|id| !id.is_empty()) else {
        return Ok(None);
    };
    let user = users::find_in_organisation(ctx.db, &actor.organisation_id, id)
        .await?
        .filter(|u| u.disabled == 0)
        .ok_or_else(|| DomainError::invalid("assignee", "invalid-option"))?;
    Ok(Some((user.id, user.email)))
}

async fn change_assignee(
    tx: &mut Change<'_>,
    _ctx: Context<'_>,
    actor: &Actor,
    case: &CaseRow,
    assignee: Option<&(String, String)>,
) -> DomainResult<()> {
    let id = assignee.map(|(id, _)| id.as_str());
    if case.assignee_id.as_deref() == id {
        return Ok(());
    }
    cases::set_assignee(tx, &case.id, id, now_millis()).await?;
    let to = assignee.map_or("nobody", |(_, email)| email.as_str());
    let entry =
        Entry::by(actor, Action::Assigned, "report", &case.id).with_detail(format!("to {to}"));
    tx.record(entry).await
}

/// Sends a question or answer to the reporter, who reads it on the follow-up
/// page; `wait` marks the case as waiting for the reporter.
pub async fn message_reporter(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    text: &str,
    wait: bool,
) -> DomainResult<()> {
    actor.require(Permission::WorkOnReports)?;
    let case = find(ctx, actor, report_id).await?;
    let message = followup::hotline_message(
        ctx.db,
        ctx.key,
        &case.organisation_id,
        &case.id,
        &actor.user_id,
        text,
    )
    .await?;
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    messages::insert(&mut tx, &message).await?;
    tx.record(Entry::by(actor, Action::MessageSent, "report", &case.id))
        .await?;
    if wait && case.status != Status::Closed.as_str() {
        change_status(&mut tx, ctx, actor, &case, Status::WaitingForReporter).await?;
    }
    tx.commit().await
}

/// What a bulk action on the inbox does to each report selected.
pub enum BulkAction {
    Assign(Option<String>),
    Label(String),
    Status(String),
}

/// At most this many reports in one bulk action (one inbox page).
pub const MAX_BULK: usize = 100;

/// Applies one action to several reports of the organisation, in one transaction.
pub async fn bulk(
    ctx: Context<'_>,
    actor: &Actor,
    report_ids: &[String],
    action: BulkAction,
) -> DomainResult<usize> {
    actor.require(match action {
        BulkAction::Assign(_) => Permission::AssignReports,
        _ => Permission::WorkOnReports,
    })?;
    if report_ids.is_empty() {
        return Err(DomainError::invalid("ids", "invalid-nothing-selected"));
    }
    if report_ids.len() > MAX_BULK {
        return Err(DomainError::invalid("ids", "invalid-too-many-selected"));
    }
    let mut selected = Vec::new();
    for id in report_ids {
        selected.push(find(ctx, actor, id).await?);
    }
    let assignee = match &action {
        BulkAction::Assign(id) => assignee_of(ctx, actor, id.as_deref()).await?,
        _ => None,
    };
    let status = match &action {
        BulkAction::Status(s) => Some(parse_open_status(s)?),
        _ => None,
    };
    if status.is_some() && selected.iter().any(|c| c.status == Status::Closed.as_str()) {
        actor.require(Permission::CloseReports)?;
    }
    let label = match &action {
        BulkAction::Label(name) => Some(annotations::label_name(name)?),
        _ => None,
    };
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    for case in &selected {
        match &action {
            BulkAction::Assign(_) => {
                change_assignee(&mut tx, ctx, actor, case, assignee.as_ref()).await?
            }
            BulkAction::Label(_) => {
                let name = label.as_deref().unwrap_or_default();
                annotations::add_label_in(&mut tx, ctx, actor, &case.id, name).await?
            }
            BulkAction::Status(_) => {
                let status = status.unwrap_or(Status::InAssessment);
                change_status(&mut tx, ctx, actor, case, status).await?
            }
        }
    }
    tx.commit_if_recorded().await?;
    Ok(selected.len())
}
