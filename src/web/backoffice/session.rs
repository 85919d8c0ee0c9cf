//! The session cookie, and the extractors that require a signed-in member
//! ([`Member`]) or a member who may only enrol an authenticator ([`Enrolling`]).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::config::Settings;
use crate::domain::network;
use crate::domain::sessions::{self, Session, SessionPolicy, Stage};
use crate::domain::values::Role;
use crate::web::AppState;
use crate::web::cookies::{named_cookie, session_cookie};
use crate::web::error::AppError;

pub const COOKIE: &str = "ward_session";

/// A signed-in member with a full session, and the CSRF token of their forms.
pub struct Member {
    pub session: Session,
    pub csrf: String,
    /// An administrator of the coordinating organisation (see `domain::network`).
    pub coordinator: bool,
}

/// A member signed in to enrol a new authenticator, and nothing else.
pub struct Enrolling {
    pub session: Session,
    pub csrf: String,
}

/// The session of the request, if any; a redirect for a visitor.
async fn session_of(parts: &Parts, state: &AppState) -> Result<(Session, String), Response> {
    let to_sign_in = || Redirect::to("/admin/sign-in").into_response();
    let Some(cookie) = cookie_value(&parts.headers) else {
        return Err(to_sign_in());
    };
    let policy = SessionPolicy::from_settings(&state.settings);
    match sessions::authenticate(&state.db, policy, &cookie).await {
        Ok(Some(session)) => {
            let csrf = sessions::csrf_token(&state.instance_key, &cookie).unwrap_or_default();
            Ok((session, csrf))
        }
        Ok(None) => Err(to_sign_in()),
        Err(e) => Err(AppError::from(e).into_response()),
    }
}

impl FromRequestParts<AppState> for Member {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let (session, csrf) = session_of(parts, state).await?;
        match session.stage {
            Stage::Full => {
                let coordinator = session.actor.role == Role::Admin
                    && network::is_coordinator(state.ctx(), &session.actor)
                        .await
                        .map_err(|e| AppError::from(e).into_response())?;
                Ok(Member {
                    session,
                    csrf,
                    coordinator,
                })
            }
            Stage::Enrol => Err(Redirect::to("/admin/enrol").into_response()),
        }
    }
}

impl FromRequestParts<AppState> for Enrolling {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let (session, csrf) = session_of(parts, state).await?;
        match session.stage {
            Stage::Enrol => Ok(Enrolling { session, csrf }),
            Stage::Full => Err(Redirect::to("/admin").into_response()),
        }
    }
}

/// The session cookie's value, if the request has one.
pub fn cookie_value(headers: &HeaderMap) -> Option<String> {
    named_cookie(headers, COOKIE)
}

/// `Set-Cookie` for a new session, or (with `None`) one that ends it.
pub fn set_cookie(value: Option<&str>, settings: &Settings) -> HeaderValue {
    session_cookie(COOKIE, "/admin", value, settings)
}

/// A redirect that also sets (or clears) a session cookie (`set_cookie` or
/// the portal's).
pub fn redirect_with_cookie(to: &str, cookie: HeaderValue) -> Response {
    let mut response = Redirect::to(to).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}
