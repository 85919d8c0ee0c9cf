//! `GET /admin/recipients/openpgp-key`.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::domain::referrals::email;
use crate::web::AppState;
use crate::web::backoffice::session::Member;
use crate::web::error::AppError;

/// `GET /admin/recipients/openpgp-key`: the organisation's public OpenPGP
/// key, which recipients use to check that a referral comes from it.
pub async fn openpgp_key(
    State(state): State<AppState>,
    member: Member,
) -> Result<Response, AppError> {
    let cert = email::organisation_certificate(state.ctx(), &member.session.actor).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pgp-keys"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"organisation-openpgp-key.asc\"",
            ),
        ],
        cert,
    )
        .into_response())
}
