//! CSRF protection for the back office's forms. Besides the same-origin
//! check every form has (`web::layers::same_origin_posts`) and the
//! `SameSite=Strict` cookie, each form of a signed-in member carries a token
//! bound to their session (`domain::sessions::csrf_token`); a post without
//! the right one is refused with 403 before any handler runs.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use super::session::cookie_value;
use crate::domain::{DomainError, sessions};
use crate::web::error::AppError;
use crate::web::{AppState, MAX_FORM_BYTES};

/// The name of the hidden field in every back-office form.
pub const FIELD: &str = "csrf";

pub async fn require_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method().is_safe() {
        return next.run(request).await;
    }
    // Without a session the handler sends the visitor to the sign-in page.
    let Some(cookie) = cookie_value(request.headers()) else {
        return next.run(request).await;
    };
    let expected = sessions::csrf_token(&state.instance_key, &cookie).unwrap_or_default();
    check_form_token(request, &expected, next).await
}

/// Runs the request if its form's `csrf` field holds the expected token; else 403.
pub async fn check_form_token(request: Request, expected: &str, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return AppError::TooLarge.into_response();
    };
    let posted = form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == FIELD)
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default();
    let valid = !expected.is_empty() && bool::from(posted.as_bytes().ct_eq(expected.as_bytes()));
    if !valid {
        return AppError::Domain(DomainError::Forbidden).into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
