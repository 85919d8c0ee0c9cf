//! `GET/POST /admin/invitation/{token}`: the page behind a one-time link.
//! An invited person chooses a password and enrols an authenticator; a
//! member whose password was reset chooses a new one.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::page::{Authenticator, DonePage, Frame, InvitationPage};
use crate::domain::members::{self, LinkDetails, LinkKind};
use crate::domain::values::Password;
use crate::domain::{DomainError, FieldError, totp};
use crate::web::AppState;
use crate::web::error::AppError;
use crate::web::templates::{Tr, render};

#[derive(Deserialize)]
pub struct InvitationForm {
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
    #[serde(default)]
    pub totp_secret: String,
    #[serde(default)]
    pub totp_code: String,
}

/// `GET /admin/invitation/{token}`
pub async fn get(
    State(state): State<AppState>,
    tr: Tr,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let details = members::link_details(state.ctx(), &token).await?;
    let (secret, uri) = members::new_authenticator(&details.organisation, &details.email)?;
    let authenticator = Authenticator::new(secret, &uri);
    Ok(page(
        tr,
        token,
        details,
        authenticator,
        Vec::new(),
        String::new(),
        StatusCode::OK,
    ))
}

/// `POST /admin/invitation/{token}`
pub async fn post(
    State(state): State<AppState>,
    tr: Tr,
    Path(token): Path<String>,
    Form(form): Form<InvitationForm>,
) -> Result<Response, AppError> {
    // 1. The link must still be valid.
    let details = members::link_details(state.ctx(), &token).await?;
    // 2. The password, twice.
    let password = match check_password(&form) {
        Ok(password) => password,
        Err(errors) => return Ok(again(tr, token, details, &form, errors)),
    };
    // 3. The account: a new member, or the reset member's new password.
    let outcome = match details.kind {
        LinkKind::Invitation => {
            members::accept_invitation(
                state.ctx(),
                &token,
                password,
                &form.totp_secret,
                &form.totp_code,
            )
            .await
        }
        LinkKind::PasswordReset => members::accept_reset(state.ctx(), &token, password)
            .await
            .map(|()| Vec::new()),
    };
    let codes = match outcome {
        Ok(codes) => codes,
        Err(DomainError::Invalid(errors)) => return Ok(again(tr, token, details, &form, errors)),
        Err(other) => return Err(other.into()),
    };
    let (title, message) = match details.kind {
        LinkKind::Invitation => ("invitation-done-title", "invitation-done-message"),
        LinkKind::PasswordReset => ("reset-done-title", "reset-done-message"),
    };
    Ok(render(&DonePage {
        frame: Frame::visitor(tr, None),
        title: tr.t(title),
        message: tr.t(message),
        codes,
        next_href: "/admin/sign-in".into(),
        next_label: tr.t("sign-in-title"),
    })
    .into_response())
}

pub fn check_password(form: &InvitationForm) -> Result<Password, Vec<FieldError>> {
    match Password::parse(&form.password) {
        Ok(_) if form.password != form.password_confirm => Err(vec![FieldError {
            field: "password_confirm",
            code: "invalid-password-mismatch",
        }]),
        Ok(password) => Ok(password),
        Err(DomainError::Invalid(errors)) => Err(errors),
        Err(_) => Err(Vec::new()),
    }
}

fn again(
    tr: Tr,
    token: String,
    details: LinkDetails,
    form: &InvitationForm,
    errors: Vec<FieldError>,
) -> Response {
    // The same authenticator key again, so that an app that read it stays right.
    let uri = totp::otpauth_uri(&form.totp_secret, &details.organisation, &details.email)
        .unwrap_or_default();
    let authenticator = Authenticator::new(form.totp_secret.clone(), &uri);
    // A good password is not asked for again because the code was wrong.
    let password_ok = !errors
        .iter()
        .any(|e| e.field.starts_with("password") || e.field == "form");
    let kept_password = if password_ok {
        form.password.clone()
    } else {
        String::new()
    };
    page(
        tr,
        token,
        details,
        authenticator,
        errors,
        kept_password,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

fn page(
    tr: Tr,
    token: String,
    details: LinkDetails,
    authenticator: Authenticator,
    errors: Vec<FieldError>,
    kept_password: String,
    status: StatusCode,
) -> Response {
    let page = InvitationPage {
        frame: Frame::visitor(tr, None).with_errors(errors),
        action: format!("/admin/invitation/{token}"),
        token,
        reset: details.kind == LinkKind::PasswordReset,
        email: details.email,
        organisation: details.organisation,
        authenticator,
        kept_password,
    };
    (status, render(&page)).into_response()
}
