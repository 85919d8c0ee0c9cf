//! `GET/POST /admin/enrol`: a member whose second factor an administrator
//! reset enrols a new authenticator app, then receives new recovery codes.

use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::page::{Authenticator, DonePage, EnrolPage, Frame};
use super::session::{Enrolling, set_cookie};
use crate::domain::{DomainError, FieldError, members};
use crate::web::AppState;
use crate::web::error::AppError;
use crate::web::templates::{Tr, render};

#[derive(Deserialize)]
pub struct EnrolForm {
    #[serde(default)]
    totp_secret: String,
    #[serde(default)]
    totp_code: String,
}

/// `GET /admin/enrol`
pub async fn get(tr: Tr, enrolling: Enrolling) -> Result<Response, AppError> {
    let (secret, uri) = members::new_authenticator("Ward", &enrolling.session.actor.email)?;
    Ok(page(
        tr,
        &enrolling,
        Authenticator::new(secret, &uri),
        Vec::new(),
        StatusCode::OK,
    ))
}

/// `POST /admin/enrol`
pub async fn post(
    State(state): State<AppState>,
    tr: Tr,
    enrolling: Enrolling,
    Form(form): Form<EnrolForm>,
) -> Result<Response, AppError> {
    match members::enrol(
        state.ctx(),
        &enrolling.session,
        &form.totp_secret,
        &form.totp_code,
    )
    .await
    {
        Ok((cookie, codes)) => {
            let mut response = render(&DonePage {
                frame: Frame::visitor(tr, None),
                title: tr.t("enrol-done-title"),
                message: tr.t("enrol-done-message"),
                codes,
                next_href: "/admin".into(),
                next_label: tr.t("go-to-inbox"),
            })
            .into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(Some(&cookie), &state.settings),
            );
            Ok(response)
        }
        Err(DomainError::Invalid(errors)) => {
            let uri = crate::domain::totp::otpauth_uri(
                &form.totp_secret,
                "Ward",
                &enrolling.session.actor.email,
            )
            .unwrap_or_default();
            let authenticator = Authenticator::new(form.totp_secret.clone(), &uri);
            Ok(page(
                tr,
                &enrolling,
                authenticator,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(other) => Err(other.into()),
    }
}

fn page(
    tr: Tr,
    enrolling: &Enrolling,
    authenticator: Authenticator,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let page = EnrolPage {
        frame: Frame::visitor(tr, None)
            .with_csrf(enrolling.csrf.clone())
            .with_errors(errors),
        authenticator,
    };
    (status, render(&page)).into_response()
}
