//! `GET/POST /admin/sign-in` and `POST /admin/sign-out`.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::page::SignInPage;
use super::session::{Member, redirect_with_cookie};
use crate::domain::DomainError;
use crate::domain::sessions::{self, Stage};
use crate::domain::values::{Email, Password};
use crate::error::AppError;
use crate::web::AppState;
use crate::web::language::Lang;
use crate::web::templates::{Tr, render};

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    code: String,
}

/// `GET /admin/sign-in`
pub async fn get(Lang(lang): Lang) -> Response {
    render(&SignInPage {
        tr: Tr::new(lang),
        nav: None,
        action: "/admin/sign-in",
        email: String::new(),
        error: None,
    })
    .into_response()
}

/// `POST /admin/sign-in`: e-mail, password and authenticator (or recovery) code together.
pub async fn post(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    let tr = Tr::new(lang);
    let again = |code: &str, status: StatusCode| {
        let page = SignInPage {
            tr,
            nav: None,
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
            Ok(redirect_with_cookie(
                to,
                Some(&signed_in.cookie),
                &state.settings,
            ))
        }
        Err(DomainError::WrongCredentials | DomainError::Invalid(_)) => {
            Ok(again("error-sign-in", StatusCode::UNAUTHORIZED))
        }
        Err(e @ (DomainError::Locked | DomainError::Throttled)) => {
            Ok(again(e.message_id(), StatusCode::TOO_MANY_REQUESTS))
        }
        Err(other) => Err(other.into()),
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
        None,
        &state.settings,
    ))
}
