//! `/admin/users`: administrators invite members and manage their accounts.
//! A new link (invitation or password reset) is shown once on the page that
//! follows, and e-mailed when Ward has an SMTP server.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::page::{Choice, Frame, coded_choices, framed, notice};
use super::session::Member;
use crate::domain::members::{self, IssuedLink, LinkKind};
use crate::domain::{DomainError, DomainResult, FieldError};
use crate::web::AppState;
use crate::web::error::AppError;
use crate::web::public::followup::format_date;
use crate::web::templates::{Tr, render};

const ROLES: &[&str] = &["analyst", "supervisor", "admin"];

pub struct MemberView {
    pub id: String,
    pub email: String,
    pub role: String,
    pub roles: Vec<Choice>,
    pub disabled: bool,
    pub totp_pending: bool,
    pub has_access: bool,
    pub is_self: bool,
    /// The fingerprint of the member's key, compared before approving access.
    pub fingerprint: String,
}

pub struct InvitationView {
    pub email: String,
    pub role: String,
    pub expires: String,
}

/// A link just issued, to pass on.
pub struct LinkView {
    pub url: String,
    pub email: String,
    pub reset: bool,
    pub mailed: bool,
}

#[derive(Template)]
#[template(path = "backoffice/users.html")]
pub struct UsersPage {
    pub frame: Frame,
    pub link: Option<LinkView>,
    pub members: Vec<MemberView>,
    pub invitations: Vec<InvitationView>,
    pub invite_email: String,
    pub invite_roles: Vec<Choice>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct UsersQuery {
    notice: String,
}

const NOTICES: &[&str] = &[
    "user-disabled",
    "user-enabled",
    "role-changed",
    "second-factor-reset",
    "access-approved",
];

/// `GET /admin/users`
pub async fn get(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Query(query): Query<UsersQuery>,
) -> Result<Response, AppError> {
    let notice = notice(tr, NOTICES, &query.notice);
    page(&state, tr, &member, Vec::new(), notice, None, String::new()).await
}

async fn page(
    state: &AppState,
    tr: Tr,
    member: &Member,
    errors: Vec<FieldError>,
    notice: Option<String>,
    link: Option<LinkView>,
    invite_email: String,
) -> Result<Response, AppError> {
    let actor = &member.session.actor;
    let (rows, pending) = members::list(state.ctx(), actor).await?;
    let page = UsersPage {
        frame: Frame::member(tr, member, "users")
            .with_errors(errors)
            .with_notice(notice),
        link,
        members: rows
            .into_iter()
            .map(|m| MemberView {
                is_self: m.id == actor.user_id,
                roles: coded_choices(tr, ROLES, "role-", &m.role),
                role: tr.t(&format!("role-{}", m.role)),
                id: m.id,
                email: m.email,
                disabled: m.disabled,
                totp_pending: m.totp_pending,
                has_access: m.has_access,
                fingerprint: crate::vault::fingerprint(&m.public_key),
            })
            .collect(),
        invitations: pending
            .into_iter()
            .map(|i| InvitationView {
                role: tr.t(&format!("role-{}", i.role)),
                email: i.email,
                expires: format_date(i.expires_at),
            })
            .collect(),
        invite_email,
        invite_roles: coded_choices(tr, ROLES, "role-", "analyst"),
    };
    Ok((page.status(), render(&page)).into_response())
}

/// Shows a new link once, and e-mails it when Ward can.
async fn show_link(
    state: &AppState,
    tr: Tr,
    member: &Member,
    link: IssuedLink,
) -> Result<Response, AppError> {
    let url = format!(
        "{}/admin/invitation/{}",
        state.settings.public_base_url(),
        link.token
    );
    let reset = link.kind == LinkKind::PasswordReset;
    let (subject, body) = if reset {
        ("mail-reset-subject", "mail-reset-body")
    } else {
        ("mail-invitation-subject", "mail-invitation-body")
    };
    let mailed = state
        .mailer
        .send_translated(&link.email, subject, body, &[("link", &url)])
        .await;
    let view = LinkView {
        url,
        email: link.email,
        reset,
        mailed,
    };
    page(
        state,
        tr,
        member,
        Vec::new(),
        None,
        Some(view),
        String::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

/// `POST /admin/users/invite`
pub async fn invite(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let issued = members::invite(state.ctx(), &member.session.actor, &form.email, &form.role).await;
    match issued {
        Ok(link) => show_link(&state, tr, &member, link).await,
        Err(DomainError::Invalid(errors)) => {
            page(&state, tr, &member, errors, None, None, form.email).await
        }
        Err(other) => Err(other.into()),
    }
}

/// Back to the list with a notice, or the list with the errors.
async fn done(
    state: &AppState,
    tr: Tr,
    member: &Member,
    outcome: DomainResult<()>,
    notice: &str,
) -> Result<Response, AppError> {
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/admin/users?notice={notice}")).into_response()),
        Err(DomainError::Invalid(errors)) => {
            page(state, tr, member, errors, None, None, String::new()).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /admin/users/{user}/disable`
pub async fn disable(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(user): Path<String>,
) -> Result<Response, AppError> {
    let outcome = members::set_disabled(state.ctx(), &member.session.actor, &user, true).await;
    done(&state, tr, &member, outcome, "user-disabled").await
}

/// `POST /admin/users/{user}/enable`
pub async fn enable(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(user): Path<String>,
) -> Result<Response, AppError> {
    let outcome = members::set_disabled(state.ctx(), &member.session.actor, &user, false).await;
    done(&state, tr, &member, outcome, "user-enabled").await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ApproveForm {
    fingerprint: String,
}

/// `POST /admin/users/{user}/approve`: gives a member the organisation's key,
/// for the fingerprint the administrator compared.
pub async fn approve(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(user): Path<String>,
    Form(form): Form<ApproveForm>,
) -> Result<Response, AppError> {
    let actor = &member.session.actor;
    let outcome = members::approve_access(state.ctx(), actor, &user, &form.fingerprint).await;
    done(&state, tr, &member, outcome, "access-approved").await
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

/// `POST /admin/users/{user}/role`
pub async fn role(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(user): Path<String>,
    Form(form): Form<RoleForm>,
) -> Result<Response, AppError> {
    let outcome = members::change_role(state.ctx(), &member.session.actor, &user, &form.role).await;
    done(&state, tr, &member, outcome, "role-changed").await
}

/// `POST /admin/users/{user}/reset-password`: a one-time link to set a new password.
pub async fn reset_password(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(user): Path<String>,
) -> Result<Response, AppError> {
    let link = members::issue_password_reset(state.ctx(), &member.session.actor, &user).await?;
    show_link(&state, tr, &member, link).await
}

/// `POST /admin/users/{user}/reset-second-factor`
pub async fn reset_second_factor(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(user): Path<String>,
) -> Result<Response, AppError> {
    let outcome = members::reset_second_factor(state.ctx(), &member.session.actor, &user).await;
    done(&state, tr, &member, outcome, "second-factor-reset").await
}

framed!(UsersPage);
