//! The case view's forms. Each calls the domain, then sends the member back
//! to the case (post/redirect/get) with a notice, or shows the case again
//! with what must be corrected.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::view;
use crate::domain::cases::assessment::{self, AssessmentInput};
use crate::domain::cases::{annotations, workflow};
use crate::domain::{DomainError, DomainResult};
use crate::web::AppState;
use crate::web::backoffice::session::Member;
use crate::web::error::AppError;
use crate::web::templates::Tr;

/// Back to the case with a notice, or the case again with the form's errors.
async fn done(
    state: &AppState,
    tr: Tr,
    member: &Member,
    report: &str,
    outcome: DomainResult<()>,
    notice: &str,
    anchor: &str,
) -> Result<Response, AppError> {
    match outcome {
        Ok(()) => Ok(
            Redirect::to(&format!("/admin/reports/{report}?notice={notice}#{anchor}"))
                .into_response(),
        ),
        Err(DomainError::Invalid(errors)) => {
            view::page(state, tr, member, report, errors, None, None).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct AssessmentForm {
    #[serde(default)]
    category: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    legal_assessment: String,
    #[serde(default)]
    material_classification: String,
    #[serde(default)]
    age_band: String,
    #[serde(default)]
    child_gender: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    urgent: String,
    #[serde(default)]
    urgent_reason: String,
}

/// `POST /admin/reports/{report}/assessment`
pub async fn assess(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(report): Path<String>,
    Form(form): Form<AssessmentForm>,
) -> Result<Response, AppError> {
    let input = AssessmentInput {
        category: form.category,
        country: form.country,
        legal_assessment: form.legal_assessment,
        material_classification: form.material_classification,
        age_band: form.age_band,
        child_gender: form.child_gender,
        priority: form.priority,
        urgent: form.urgent == "yes",
        urgent_reason: form.urgent_reason,
    };
    let outcome = assessment::assess(state.ctx(), &member.session.actor, &report, &input).await;
    done(
        &state,
        tr,
        &member,
        &report,
        outcome,
        "assessment-saved",
        "assessment",
    )
    .await
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
}

/// `POST /admin/reports/{report}/status`
pub async fn status(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(report): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let outcome =
        workflow::set_status(state.ctx(), &member.session.actor, &report, &form.status).await;
    done(
        &state,
        tr,
        &member,
        &report,
        outcome,
        "status-changed",
        "workflow",
    )
    .await
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    duplicate_of: String,
}

/// `POST /admin/reports/{report}/close`
pub async fn close(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(report): Path<String>,
    Form(form): Form<CloseForm>,
) -> Result<Response, AppError> {
    let duplicate_of = Some(form.duplicate_of.as_str()).filter(|d| !d.trim().is_empty());
    let outcome = workflow::close(
        state.ctx(),
        &member.session.actor,
        &report,
        &form.reason,
        duplicate_of,
    )
    .await;
    done(
        &state,
        tr,
        &member,
        &report,
        outcome,
        "case-closed",
        "workflow",
    )
    .await
}

/// `POST /admin/reports/{report}/reopen`
pub async fn reopen(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(report): Path<String>,
) -> Result<Response, AppError> {
    let outcome = workflow::reopen(state.ctx(), &member.session.actor, &report).await;
    done(
        &state,
        tr,
        &member,
        &report,
        outcome,
        "case-reopened",
        "workflow",
    )
    .await
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    assignee: String,
}

/// `POST /admin/reports/{report}/assign`
pub async fn assign(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(report): Path<String>,
    Form(form): Form<AssignForm>,
) -> Result<Response, AppError> {
    let assignee = Some(form.assignee.as_str()).filter(|a| !a.is_empty());
    let outcome = workflow::assign(state.ctx(), &member.session.actor, &report, assignee).await;
    done(
        &state,
        tr,
        &member,
        &report,
        outcome,
        "assigned",
        "assignment",
    )
    .await
}

#[derive(Deserialize)]
pub struct LabelForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    label_id: String,
}

/// `POST /admin/reports/{report}/labels`: `action=add` with a name, or `remove` with an id.
pub async fn labels(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(report): Path<String>,
    Form(form): Form<LabelForm>,
) -> Result<Response, AppError> {
    let actor = &member.session.actor;
    let outcome = match form.action.as_str() {
        "remove" => annotations::remove_label(state.ctx(), actor, &report, &form.label_id).await,
        _ => annotations::add_label(state.ctx(), actor, &report, &form.label).await,
    };
    done(
        &state,
        tr,
        &member,
        &report,
        outcome,
        "labels-changed",
        "labels",
    )
    .await
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    note: String,
}

/// `POST /admin/reports/{report}/notes`
pub async fn note(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(report): Path<String>,
    Form(form): Form<NoteForm>,
) -> Result<Response, AppError> {
    let outcome =
        annotations::add_note(state.ctx(), &member.session.actor, &report, &form.note).await;
    done(&state, tr, &member, &report, outcome, "note-added", "notes").await
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    other: String,
}

/// `POST /admin/reports/{report}/links`: `action=add` with a reference and a
/// kind, or `remove` with the other report's id.
pub async fn links(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(report): Path<String>,
    Form(form): Form<LinkForm>,
) -> Result<Response, AppError> {
    let actor = &member.session.actor;
    let outcome = match form.action.as_str() {
        "remove" => annotations::remove_link(state.ctx(), actor, &report, &form.other).await,
        _ => annotations::add_link(state.ctx(), actor, &report, &form.reference, &form.kind).await,
    };
    done(
        &state,
        tr,
        &member,
        &report,
        outcome,
        "links-changed",
        "links",
    )
    .await
}

#[derive(Deserialize)]
pub struct MessageForm {
    #[serde(default)]
    message: String,
    #[serde(default)]
    wait: String,
}

/// `POST /admin/reports/{report}/messages`: a question or answer to the reporter.
pub async fn message(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(report): Path<String>,
    Form(form): Form<MessageForm>,
) -> Result<Response, AppError> {
    let wait = form.wait == "yes";
    let outcome = workflow::message_reporter(
        state.ctx(),
        &member.session.actor,
        &report,
        &form.message,
        wait,
    )
    .await;
    done(
        &state,
        tr,
        &member,
        &report,
        outcome,
        "message-sent",
        "messages",
    )
    .await
}
