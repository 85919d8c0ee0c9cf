//! The one-time setup page: the first administrator creates the organisation,
//! enrols an authenticator app and receives the recovery key.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::domain::setup::{self, SetupRequest};
use crate::domain::values::{CountryCode, Email, OrganisationName, Password};
use crate::domain::{DomainError, FieldError, passwords, totp};
use crate::web::AppState;
use crate::web::error::AppError;
use crate::web::templates::{SetupDonePage, SetupPage, Tr, qr_svg, render};

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
    #[serde(default)]
    totp_secret: String,
    #[serde(default)]
    totp_code: String,
}

/// `GET /setup/{token}`
pub async fn get(
    State(state): State<AppState>,
    tr: Tr,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    check_link(&state, &token).await?;
    let form = SetupForm {
        organisation: String::new(),
        country: String::new(),
        email: String::new(),
        password: String::new(),
        password_confirm: String::new(),
        totp_secret: totp::new_secret(),
        totp_code: String::new(),
    };
    Ok(setup_page(tr, token, &form, Vec::new(), StatusCode::OK))
}

/// `POST /setup/{token}`
pub async fn post(
    State(state): State<AppState>,
    tr: Tr,
    Path(token): Path<String>,
    Form(form): Form<SetupForm>,
) -> Result<Response, AppError> {
    // 1. The link must still be valid.
    check_link(&state, &token).await?;
    // 2. Every field must parse; all problems are shown at once.
    let request = match parse(&form) {
        Ok(request) => request,
        Err(fields) => {
            return Ok(setup_page(
                tr,
                token,
                &form,
                fields,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    // 3. Create the organisation and the administrator; the link is used up.
    let organisation = request.organisation.as_str().to_string();
    let outcome = setup::complete_setup(state.ctx(), Some(&token), request).await?;
    Ok(render(&SetupDonePage {
        tr,
        organisation,
        recovery_key: outcome.recovery_key.to_string(),
        recovery_codes: outcome.recovery_codes,
    })
    .into_response())
}

async fn check_link(state: &AppState, token: &str) -> Result<(), AppError> {
    if setup::is_complete(state.ctx()).await? {
        return Err(DomainError::AlreadySetUp.into());
    }
    if !setup::setup_token_is_valid(state.ctx(), token).await? {
        return Err(DomainError::InvalidSetupLink.into());
    }
    Ok(())
}

fn parse(form: &SetupForm) -> Result<SetupRequest, Vec<FieldError>> {
    let organisation = OrganisationName::parse(&form.organisation);
    let country = CountryCode::parse(&form.country);
    let email = Email::parse(&form.email);
    // A weak password is named with the other problems, not after them.
    let password = Password::parse(&form.password).and_then(|password| {
        let context = [form.email.as_str(), form.organisation.as_str()];
        passwords::require_strong(&password, &context).map(|()| password)
    });
    let mut extra = Vec::new();
    if password.is_ok() && form.password != form.password_confirm {
        extra.push(DomainError::invalid(
            "password_confirm",
            "invalid-password-mismatch",
        ));
    }
    if form.totp_secret.is_empty() || totp::otpauth_uri(&form.totp_secret, "Ward", "check").is_err()
    {
        extra.push(DomainError::invalid("totp_code", "invalid-totp-secret"));
    } else if !totp::verify(&form.totp_secret, &form.totp_code) {
        extra.push(DomainError::invalid("totp_code", "invalid-totp-code"));
    }
    match (organisation, country, email, password) {
        (Ok(organisation), Ok(country), Ok(email), Ok(password)) if extra.is_empty() => {
            Ok(SetupRequest {
                organisation,
                country,
                email,
                password,
                totp_secret: form.totp_secret.clone(),
            })
        }
        (o, c, e, p) => {
            let errors = [o.err(), c.err(), e.err(), p.err()]
                .into_iter()
                .flatten()
                .chain(extra);
            match DomainError::collect(errors) {
                Some(DomainError::Invalid(fields)) => Err(fields),
                _ => Err(Vec::new()),
            }
        }
    }
}

fn setup_page(
    tr: Tr,
    token: String,
    form: &SetupForm,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let account = if form.email.trim().is_empty() {
        "administrator"
    } else {
        form.email.trim()
    };
    let uri = totp::otpauth_uri(&form.totp_secret, "Ward", account).unwrap_or_default();
    let page = SetupPage {
        tr,
        token,
        errors,
        organisation: form.organisation.clone(),
        country: form.country.clone(),
        email: form.email.clone(),
        totp_secret: form.totp_secret.clone(),
        qr_svg: qr_svg(&uri),
    };
    (status, render(&page)).into_response()
}
