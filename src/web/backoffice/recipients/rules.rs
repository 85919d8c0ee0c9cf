//! `POST /admin/recipients/{recipient}/rules`: the routing rules that
//! suggest a recipient for cases of a country (and a category).

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::back;
use super::detail::{Extras, recipient_page};
use crate::domain::DomainError;
use crate::domain::recipients as domain;
use crate::web::AppState;
use crate::web::backoffice::session::Member;
use crate::web::error::AppError;
use crate::web::templates::Tr;

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct RuleForm {
    action: String,
    country: String,
    category: String,
}

/// `POST /admin/recipients/{recipient}/rules`: suggests the recipient for a
/// country (and a category), or stops.
pub async fn rule(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(recipient): Path<String>,
    Form(form): Form<RuleForm>,
) -> Result<Response, AppError> {
    let actor = &member.session.actor;
    let outcome = if form.action == "remove" {
        domain::remove_rule(
            state.ctx(),
            actor,
            &recipient,
            &form.country,
            &form.category,
        )
        .await
    } else {
        domain::add_rule(
            state.ctx(),
            actor,
            &recipient,
            &form.country,
            &form.category,
        )
        .await
    };
    match outcome {
        Ok(()) => Ok(back(&recipient, "rules-changed")),
        Err(DomainError::Invalid(errors)) => {
            let extras = Extras {
                errors,
                ..Extras::default()
            };
            recipient_page(&state, tr, &member, &recipient, extras).await
        }
        Err(other) => Err(other.into()),
    }
}
