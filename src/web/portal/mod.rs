//! The authority portal (`/portal`): people of a recipient (a police unit,
//! a prosecutor's office, a partner hotline) sign in with a password and an
//! authenticator, read the referrals addressed to their recipient, download
//! them, acknowledge receipt and record the outcome. Its session cookie is
//! its own (`ward_portal`, path `/portal`), and every form carries a token
//! bound to the session, as in the back office.

pub mod access;
pub mod referrals;

use axum::Router;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::domain::portal_accounts::{self as portal, PortalSession};
use crate::domain::sessions::SessionPolicy;
use crate::web::AppState;
use crate::web::backoffice::csrf::check_form_token;
use crate::web::backoffice::page::{Nav, NavItem};
use crate::web::cookies::named_cookie;
use crate::web::error::AppError;

pub const COOKIE: &str = "ward_portal";

/// A signed-in person of a recipient, and the CSRF token of their forms.
pub struct PortalUser {
    pub session: PortalSession,
    pub csrf: String,
}

impl PortalUser {
    /// The portal's header and navigation.
    pub fn nav(&self, current: bool) -> Nav {
        Nav {
            site: "portal-name",
            email: self.session.account.email.clone(),
            csrf: self.csrf.clone(),
            sign_out: "/portal/sign-out",
            items: vec![NavItem {
                href: "/portal",
                label: "portal-referrals",
                current,
            }],
        }
    }
}

impl FromRequestParts<AppState> for PortalUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let to_sign_in = || Redirect::to("/portal/sign-in").into_response();
        let Some(cookie) = named_cookie(&parts.headers, COOKIE) else {
            return Err(to_sign_in());
        };
        let policy = SessionPolicy::from_settings(&state.settings);
        match portal::authenticate(&state.db, policy, &cookie).await {
            Ok(Some(session)) => Ok(PortalUser {
                session,
                csrf: portal::csrf_token(&state.instance_key, &cookie).unwrap_or_default(),
            }),
            Ok(None) => Err(to_sign_in()),
            Err(e) => Err(AppError::from(e).into_response()),
        }
    }
}

/// Posts of a signed-in person must carry their session's token.
async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method().is_safe() {
        return next.run(request).await;
    }
    let Some(cookie) = named_cookie(request.headers(), COOKIE) else {
        return next.run(request).await;
    };
    let expected = portal::csrf_token(&state.instance_key, &cookie).unwrap_or_default();
    check_form_token(request, &expected, next).await
}

/// The portal's routes.
pub fn router(state: AppState) -> Router<AppState> {
    let open = Router::new()
        .route(
            "/portal/sign-in",
            get(access::sign_in_page).post(access::sign_in),
        )
        .route(
            "/portal/invitation/{token}",
            get(access::invitation_page).post(access::accept),
        );
    let signed_in = Router::new()
        .route("/portal", get(referrals::list))
        .route("/portal/sign-out", post(access::sign_out))
        .route("/portal/referrals/{referral}", get(referrals::show))
        .route(
            "/portal/referrals/{referral}/download",
            post(referrals::download),
        )
        .route(
            "/portal/referrals/{referral}/acknowledge",
            post(referrals::acknowledge),
        )
        .route(
            "/portal/referrals/{referral}/outcome",
            post(referrals::outcome),
        )
        .route_layer(axum::middleware::from_fn_with_state(state, require_token));
    open.merge(signed_in)
}
