//! `GET/POST /admin/sign-in` and `POST /admin/sign-out`.

use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::session::{SignedIn, cookie_value, set_cookie};
use crate::domain::values::{Email, Password};
use crate::domain::{DomainError, sessions};
use crate::error::AppError;
use crate::web::AppState;
use crate::web::language::Lang;
use crate::web::templates::{SignInPage, Tr, render};

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
        email: String::new(),
        error: None,
    })
    .into_response()
}

/// `POST /admin/sign-in`: e-mail, password and authenticator code together.
pub async fn post(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    let tr = Tr::new(lang);
    let again = |code: &str, status: StatusCode| {
        let page = SignInPage {
            tr,
            email: form.email.clone(),
            error: Some(tr.t(code)),
        };
        (status, render(&page)).into_response()
    };
    // Malformed input gets the same answer as a wrong password.
    let (Ok(email), Ok(password)) = (Email::parse(&form.email), Password::parse(&form.password))
    else {
        return Ok(again("error-wrong-credentials", StatusCode::UNAUTHORIZED));
    };
    match sessions::sign_in(
        &state.db,
        &state.instance_key,
        &email,
        &password,
        &form.code,
    )
    .await
    {
        Ok(cookie) => {
            let mut response = Redirect::to("/admin").into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(Some(&cookie), &state.settings),
            );
            Ok(response)
        }
        Err(DomainError::WrongCredentials | DomainError::Invalid(_)) => {
            Ok(again("error-sign-in", StatusCode::UNAUTHORIZED))
        }
        Err(DomainError::Locked) => Ok(again("error-locked", StatusCode::TOO_MANY_REQUESTS)),
        Err(other) => Err(other.into()),
    }
}

/// `POST /admin/sign-out`: ends this session (`everywhere=yes`: every session of the user).
pub async fn sign_out(
    State(state): State<AppState>,
    signed_in: SignedIn,
    headers: axum::http::HeaderMap,
    body: String,
) -> Result<Response, AppError> {
    if body.contains("everywhere=yes") {
        sessions::sign_out_everywhere(&state.db, &signed_in.0.user.id).await?;
    } else if let Some(cookie) = cookie_value(&headers) {
        sessions::sign_out(&state.db, &cookie).await?;
    }
    let mut response = Redirect::to("/admin/sign-in").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(None, &state.settings));
    Ok(response)
}
