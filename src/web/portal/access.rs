//! Signing in to the portal, out of it, and accepting an invitation.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{COOKIE, PortalUser};
use crate::domain::portal_accounts as portal;
use crate::domain::values::{Email, Password};
use crate::domain::{DomainError, FieldError, members, totp};
use crate::web::AppState;
use crate::web::backoffice::invitation::{InvitationForm, check_password};
use crate::web::backoffice::page::{
    Authenticator, DonePage, Frame, InvitationPage, Nav, SignInPage,
};
use crate::web::backoffice::session::redirect_with_cookie;
use crate::web::backoffice::sign_in::{SignInForm, refusal};
use crate::web::cookies::session_cookie;
use crate::web::error::AppError;
use crate::web::rate_limit;
use crate::web::templates::{Tr, render};

const SITE: &str = "portal-name";

fn sign_in_view(tr: Tr, email: String, error: Option<String>) -> SignInPage {
    SignInPage {
        frame: Frame::visitor(tr, Some(Nav::visitor(SITE))),
        action: "/portal/sign-in",
        email,
        error,
    }
}

/// `GET /portal/sign-in`
pub async fn sign_in_page(tr: Tr) -> Response {
    render(&sign_in_view(tr, String::new(), None)).into_response()
}

/// A redirect that sets (or, with `None`, clears) the portal's cookie.
fn redirect_with_portal_cookie(to: &str, cookie: Option<&str>, state: &AppState) -> Response {
    redirect_with_cookie(
        to,
        session_cookie(COOKIE, "/portal", cookie, &state.settings),
    )
}

/// `POST /portal/sign-in`: e-mail, password and authenticator code together.
pub async fn sign_in(
    State(state): State<AppState>,
    tr: Tr,
    client: rate_limit::Client,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    rate_limit::check(&state.limits.sign_ins, &client)?;
    let again = |code: &str, status: StatusCode| {
        let page = sign_in_view(tr, form.email.clone(), Some(tr.t(code)));
        (status, render(&page)).into_response()
    };
    let (Ok(email), Ok(password)) = (Email::parse(&form.email), Password::parse(&form.password))
    else {
        return Ok(again("error-sign-in", StatusCode::UNAUTHORIZED));
    };
    match portal::sign_in(state.ctx(), &email, &password, form.code.trim()).await {
        Ok(cookie) => Ok(redirect_with_portal_cookie(
            "/portal",
            Some(&cookie),
            &state,
        )),
        Err(e) => match refusal(&e) {
            Some((message, status)) => Ok(again(message, status)),
            None => Err(e.into()),
        },
    }
}

/// `POST /portal/sign-out`
pub async fn sign_out(
    State(state): State<AppState>,
    user: PortalUser,
) -> Result<Response, AppError> {
    portal::sign_out(state.ctx(), &user.session).await?;
    Ok(redirect_with_portal_cookie("/portal/sign-in", None, &state))
}

fn invitation_view(
    tr: Tr,
    token: &str,
    details: (String, String, String),
    authenticator: Authenticator,
    errors: Vec<FieldError>,
) -> Response {
    let (email, recipient, organisation) = details;
    let page = InvitationPage {
        frame: Frame::visitor(tr, Some(Nav::visitor(SITE))).with_errors(errors),
        action: format!("/portal/invitation/{token}"),
        token: token.to_string(),
        reset: false,
        email,
        organisation: format!("{recipient} – {organisation}"),
        authenticator,
        kept_password: String::new(),
    };
    (page.status(), render(&page)).into_response()
}

/// `GET /portal/invitation/{token}`: choose a password and enrol an authenticator.
pub async fn invitation_page(
    State(state): State<AppState>,
    tr: Tr,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let details = portal::invitation(state.ctx(), &token).await?;
    let (secret, uri) = members::new_authenticator(&details.2, &details.0)?;
    let authenticator = Authenticator::new(secret, &uri);
    Ok(invitation_view(
        tr,
        &token,
        details,
        authenticator,
        Vec::new(),
    ))
}

/// `POST /portal/invitation/{token}`
pub async fn accept(
    State(state): State<AppState>,
    tr: Tr,
    Path(token): Path<String>,
    Form(form): Form<InvitationForm>,
) -> Result<Response, AppError> {
    let details = portal::invitation(state.ctx(), &token).await?;
    let again = |errors: Vec<FieldError>| {
        // The same authenticator key again, so that an app that read it stays right.
        let uri = totp::otpauth_uri(&form.totp_secret, &details.2, &details.0).unwrap_or_default();
        let authenticator = Authenticator::new(form.totp_secret.clone(), &uri);
        invitation_view(tr, &token, details.clone(), authenticator, errors)
    };
    let password = match check_password(&form) {
        Ok(password) => password,
        Err(errors) => return Ok(again(errors)),
    };
    match portal::accept(
        state.ctx(),
        &token,
        password,
        &form.totp_secret,
        &form.totp_code,
    )
    .await
    {
        Ok(()) => Ok(render(&DonePage {
            frame: Frame::visitor(tr, Some(Nav::visitor(SITE))),
            title: tr.t("invitation-done-title"),
            message: tr.t("portal-invitation-done"),
            codes: Vec::new(),
            next_href: "/portal/sign-in".into(),
            next_label: tr.t("sign-in-title"),
        })
        .into_response()),
        Err(DomainError::Invalid(errors)) => Ok(again(errors)),
        Err(other) => Err(other.into()),
    }
}
