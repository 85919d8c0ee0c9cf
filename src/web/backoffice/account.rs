//! `GET /admin/account` and `POST /admin/account/recovery-codes`: the
//! member's own account.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::page::{AccountPage, DonePage, Frame};
use super::session::Member;
use super::sign_in::refusal;
use crate::domain::values::Password;
use crate::domain::{DomainError, members, recovery_codes};
use crate::web::AppState;
use crate::web::error::AppError;
use crate::web::templates::{Tr, render};

/// `GET /admin/account`
pub async fn get(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
) -> Result<Response, AppError> {
    Ok(render(&account_page(&state, tr, &member).await?).into_response())
}

async fn account_page(state: &AppState, tr: Tr, member: &Member) -> Result<AccountPage, AppError> {
    let actor = &member.session.actor;
    let codes_left = recovery_codes::remaining(state.ctx(), actor).await?;
    let fingerprint = members::key_fingerprint(state.ctx(), actor).await?;
    Ok(AccountPage {
        frame: Frame::member(tr, member, "account"),
        fingerprint,
        email: actor.email.clone(),
        role: tr.t(&format!("role-{}", actor.role.as_str())),
        has_access: actor.organisation_key.is_some(),
        codes_left,
        error: None,
    })
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct RenewForm {
    pub password: String,
}

/// `POST /admin/account/recovery-codes`: new codes, shown once, after the
/// member typed their password again.
pub async fn recovery_codes(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Form(form): Form<RenewForm>,
) -> Result<Response, AppError> {
    let actor = &member.session.actor;
    let renewed = match Password::parse(&form.password) {
        Ok(password) => members::renew_recovery_codes(state.ctx(), actor, &password).await,
        Err(_) => Err(DomainError::WrongCredentials),
    };
    let codes = match renewed {
        Ok(codes) => codes,
        Err(e) => match refusal(&e) {
            Some((message, status)) => {
                let mut page = account_page(&state, tr, &member).await?;
                page.error = Some(tr.t(message));
                return Ok((status, render(&page)).into_response());
            }
            None => return Err(e.into()),
        },
    };
    Ok(render(&DonePage {
        frame: Frame::member(tr, &member, "account"),
        title: tr.t("recovery-codes-renewed-title"),
        message: tr.t("recovery-codes-renewed-message"),
        codes,
        next_href: "/admin/account".into(),
        next_label: tr.t("account-title"),
    })
    .into_response())
}
