//! The session cookie and the extractor that requires a signed-in user.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::config::Settings;
use crate::domain::sessions::{self, Session};
use crate::web::AppState;

pub const COOKIE: &str = "ward_session";

/// A request from a signed-in user; others are sent to the sign-in page.
pub struct SignedIn(pub Session);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let to_sign_in = || Redirect::to("/admin/sign-in").into_response();
        let Some(cookie) = cookie_value(&parts.headers) else {
            return Err(to_sign_in());
        };
        match sessions::authenticate(&state.db, &cookie).await {
            Ok(Some(session)) => Ok(SignedIn(session)),
            Ok(None) => Err(to_sign_in()),
            Err(e) => Err(crate::error::AppError::from(e).into_response()),
        }
    }
}

/// The session cookie's value, if the request has one.
pub fn cookie_value(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            pair.trim()
                .strip_prefix("ward_session=")
                .map(str::to_string)
        })
}

/// `Set-Cookie` for a new session, or (with `None`) one that ends it.
pub fn set_cookie(value: Option<&str>, settings: &Settings) -> HeaderValue {
    let secure = if settings.public_base_url().starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = match value {
        Some(value) => format!("{COOKIE}={value}; Path=/admin; HttpOnly; SameSite=Strict{secure}"),
        None => format!("{COOKIE}=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&cookie).unwrap_or(HeaderValue::from_static(""))
}
