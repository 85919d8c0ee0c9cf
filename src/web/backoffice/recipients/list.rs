//! `GET /admin/recipients` and `POST /admin/recipients`: the organisation's
//! recipients with the channel their referrals take, and the form that adds one.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::{NOTICES, RecipientFields, RecipientForm};
use crate::domain::portal_accounts as portal;
use crate::domain::recipients::{self as domain, RecipientInput};
use crate::domain::{DomainError, FieldError};
use crate::i18n;
use crate::web::AppState;
use crate::web::backoffice::page::{Frame, NoticeQuery, framed, notice};
use crate::web::backoffice::session::Member;
use crate::web::error::AppError;
use crate::web::templates::{Tr, render};

pub struct RecipientView {
    pub id: String,
    pub name: String,
    pub country: String,
    pub kind: String,
    pub channel: String,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "backoffice/recipients.html")]
pub struct RecipientsPage {
    pub frame: Frame,
    pub recipients: Vec<RecipientView>,
    pub form: RecipientFields,
}

/// The channel a recipient's referrals take, in words.
fn channel(tr: Tr, r: &domain::Recipient, portal_accounts: usize) -> String {
    let code = if portal_accounts > 0 {
        "portal"
    } else if r.email.is_some() && r.openpgp_key.is_some() {
        "email"
    } else {
        "manual"
    };
    tr.t(&format!("referral-channel-{code}"))
}

/// `GET /admin/recipients`
pub async fn list(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let input = RecipientInput::default();
    list_page(
        &state,
        tr,
        &member,
        Vec::new(),
        notice(tr, NOTICES, &query.notice),
        &input,
    )
    .await
}

async fn list_page(
    state: &AppState,
    tr: Tr,
    member: &Member,
    errors: Vec<FieldError>,
    notice: Option<String>,
    input: &RecipientInput,
) -> Result<Response, AppError> {
    let actor = &member.session.actor;
    // Only administrators manage recipients (analysts choose them on a case).
    actor.require(crate::domain::actor::Permission::ManageDirectory)?;
    let mut recipients = Vec::new();
    for r in domain::list(state.ctx(), actor).await? {
        let accounts = portal::accounts_of(state.ctx(), actor, &r.id).await?;
        let active = accounts.iter().filter(|a| a.set_up && !a.disabled).count();
        recipients.push(RecipientView {
            channel: channel(tr, &r, active),
            country: i18n::country_name(tr.code(), &r.country),
            kind: tr.t(&format!("recipient-kind-{}", r.kind)),
            disabled: r.disabled,
            id: r.id,
            name: r.name,
        });
    }
    let page = RecipientsPage {
        frame: Frame::member(tr, member, "recipients")
            .with_errors(errors)
            .with_notice(notice),
        recipients,
        form: RecipientFields::new(tr, input),
    };
    Ok((page.status(), render(&page)).into_response())
}

/// `POST /admin/recipients`: adds a recipient.
pub async fn create(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Form(form): Form<RecipientForm>,
) -> Result<Response, AppError> {
    let input = form.input();
    match domain::save(state.ctx(), &member.session.actor, None, &input).await {
        Ok(id) => Ok(
            Redirect::to(&format!("/admin/recipients/{id}?notice=recipient-saved")).into_response(),
        ),
        Err(DomainError::Invalid(errors)) => {
            list_page(&state, tr, &member, errors, None, &input).await
        }
        Err(other) => Err(other.into()),
    }
}

framed!(RecipientsPage);
