//! `GET/POST /admin/sign-in` and `POST /admin/sign-out`.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::page::{Frame, SignInPage};
use super::session::{Member, redirect_with_cookie, set_cookie};
use crate::domain::DomainError;
use crate::domain::sessions::{self, Stage};
use crate::domain::values::{Email, Password};
use crate::web::AppState;
use crate::web::error::AppError;
use crate::web::rate_limit;
use crate::web::templates::{Tr, render};

/// The sign-in form of the back office and of the portal.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct SignInForm {
    pub email: String,
    pub password: String,
    /// The authenticator code (or, in the back office, a recovery code).
    pub code: String,
}

/// The answer to a refused sign-in, the same for the back office and the
/// portal: the message and the status. `None`: not a refusal.
pub fn refusal(error: &DomainError) -> Option<(&'static str, StatusCode)> {
    match error {
        DomainError::WrongCredentials | DomainError::Invalid(_) => {
            Some(("error-sign-in", StatusCode::UNAUTHORIZED))
        }
        DomainError::Locked => Some((error.message_id(), StatusCode::TOO_MANY_REQUESTS)),
        _ => None,
    }
}

/// `GET /admin/sign-in`
pub async fn get(tr: Tr) -> Response {
    render(&SignInPage {
        frame: Frame::visitor(tr, None),
        action: "/admin/sign-in",
        email: String::new(),
        error: None,
    })
    .into_response()
}

/// `POST /admin/sign-in`: e-mail, password and authenticator (or recovery) code together.
pub async fn post(
    State(state): State<AppState>,
    tr: Tr,
    client: rate_limit::Client,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    rate_limit::check(&state.limits.sign_ins, &client)?;
    let again = |code: &str, status: StatusCode| {
        let page = SignInPage {
            frame: Frame::visitor(tr, None),
            action: "/admin/sign-in",
            email: form.email.clone(),
            error: Some(tr.t(code)),
        };
        (status, render(&page)).into_response()
    };
    // Malformed input gets the same answer as a wrong password.
    let (Ok(email), Ok(password)) = (Email::parse(&form.email), Password::parse(&form.password))
    else {
        return Ok(again("error-sign-in", StatusCode::UNAUTHORIZED));
    };
    match sessions::sign_in(state.ctx(), &email, &password, &form.code).await {
        Ok(signed_in) => {
            let to = match signed_in.stage {
                Stage::Full => "/admin",
                Stage::Enrol => "/admin/enrol",
            };
            let cookie = set_cookie(Some(&signed_in.cookie), &state.settings);
            Ok(redirect_with_cookie(to, cookie))
        }
        Err(e) => match refusal(&e) {
            Some((message, status)) => Ok(again(message, status)),
            None => Err(e.into()),
        },
    }
}

#[derive(Deserialize)]
pub struct SignOutForm {
    #[serde(default)]
    everywhere: String,
}

/// `POST /admin/sign-out`: ends this session (`everywhere=yes`: every session of the member).
pub async fn sign_out(
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<SignOutForm>,
) -> Result<Response, AppError> {
    if form.everywhere == "yes" {
        sessions::sign_out_everywhere(state.ctx(), &member.session).await?;
    } else {
        sessions::sign_out(state.ctx(), &member.session).await?;
    }
    Ok(redirect_with_cookie(
        "/admin/sign-in",
        set_cookie(None, &state.settings),
    ))
}
