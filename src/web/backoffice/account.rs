//! `GET /admin/account` and `POST /admin/account/recovery-codes`: the
//! member's own account.

use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::page::{AccountPage, DonePage, Nav};
use super::session::Member;
use crate::domain::{members, recovery_codes};
use crate::error::AppError;
use crate::web::AppState;
use crate::web::language::Lang;
use crate::web::templates::{Tr, render};

/// `GET /admin/account`
pub async fn get(
    State(state): State<AppState>,
    Lang(lang): Lang,
    member: Member,
) -> Result<Response, AppError> {
    let tr = Tr::new(lang);
    let actor = &member.session.actor;
    let codes_left = recovery_codes::remaining(&state.db, &actor.user_id).await?;
    Ok(render(&AccountPage {
        tr,
        email: actor.email.clone(),
        role: tr.t(&format!("role-{}", actor.role.as_str())),
        has_access: actor.organisation_key.is_some(),
        codes_left,
        nav: Some(Nav::new(&member, "account")),
    })
    .into_response())
}

/// `POST /admin/account/recovery-codes`: new codes, shown once.
pub async fn recovery_codes(
    State(state): State<AppState>,
    Lang(lang): Lang,
    member: Member,
) -> Result<Response, AppError> {
    let tr = Tr::new(lang);
    let codes = members::renew_recovery_codes(state.ctx(), &member.session.actor).await?;
    Ok(render(&DonePage {
        tr,
        title: tr.t("recovery-codes-renewed-title"),
        message: tr.t("recovery-codes-renewed-message"),
        codes,
        next_href: "/admin/account".into(),
        next_label: tr.t("account-title"),
        nav: Some(Nav::new(&member, "account")),
    })
    .into_response())
}
