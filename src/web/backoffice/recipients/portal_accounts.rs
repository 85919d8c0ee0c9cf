//! `/admin/recipients/{recipient}/portal-accounts`: the recipient's people
//! on the authority portal: inviting one (the link is shown once and
//! mailed when mail is set up), disabling and enabling their accounts.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::back;
use super::detail::{Extras, InvitationView, recipient_page};
use crate::domain::portal_accounts as portal;
use crate::domain::{DomainError, FieldError};
use crate::web::AppState;
use crate::web::backoffice::session::Member;
use crate::web::error::AppError;
use crate::web::templates::Tr;

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct InviteForm {
    email: String,
}

/// `POST /admin/recipients/{recipient}/portal-accounts`: invites a person
/// of the recipient to the authority portal; the link is shown once.
pub async fn invite(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(recipient): Path<String>,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let actor = &member.session.actor;
    let extras = match portal::invite(state.ctx(), actor, &recipient, &form.email).await {
        Ok(token) => {
            let url = format!(
                "{}/portal/invitation/{token}",
                state.settings.public_base_url()
            );
            let mailed = state
                .mailer
                .send_translated(
                    form.email.trim(),
                    "mail-portal-invitation-subject",
                    "mail-portal-invitation-body",
                    &[("link", &url)],
                )
                .await;
            Extras {
                invitation: Some(InvitationView {
                    email: form.email.trim().to_string(),
                    url,
                    mailed,
                }),
                ..Extras::default()
            }
        }
        Err(DomainError::Invalid(errors)) => Extras {
            // The page has two e-mail fields: this error is the invitation's.
            errors: errors
                .into_iter()
                .map(|e| FieldError {
                    field: if e.field == "email" {
                        "invite_email"
                    } else {
                        e.field
                    },
                    code: e.code,
                })
                .collect(),
            invite_email: form.email,
            ..Extras::default()
        },
        Err(other) => return Err(other.into()),
    };
    recipient_page(&state, tr, &member, &recipient, extras).await
}

/// `POST /admin/recipients/{recipient}/portal-accounts/{account}/disable`
pub async fn disable_account(
    State(state): State<AppState>,
    member: Member,
    Path((recipient, account)): Path<(String, String)>,
) -> Result<Response, AppError> {
    portal::set_disabled(state.ctx(), &member.session.actor, &account, true).await?;
    Ok(back(&recipient, "portal-account-disabled"))
}

/// `POST /admin/recipients/{recipient}/portal-accounts/{account}/enable`
pub async fn enable_account(
    State(state): State<AppState>,
    member: Member,
    Path((recipient, account)): Path<(String, String)>,
) -> Result<Response, AppError> {
    portal::set_disabled(state.ctx(), &member.session.actor, &account, false).await?;
    Ok(back(&recipient, "portal-account-enabled"))
}
