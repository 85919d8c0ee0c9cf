//! The case view's referrals: preparing one for chosen recipients with the
//! parts of the case chosen, following its delivery, acknowledgement and
//! outcome; transfer to another organisation of the instance; and the
//! CyberTipline export.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::files::download_response;
use super::view;
use crate::domain::referrals::transfer;
use crate::domain::referrals::{self, Preparation, cybertipline};
use crate::domain::{DomainError, DomainResult};
use crate::web::AppState;
use crate::web::backoffice::session::Member;
use crate::web::error::AppError;
use crate::web::form::Fields;
use crate::web::templates::Tr;

/// Back to the case's referrals with a notice, or the case with the errors.
async fn done(
    state: &AppState,
    tr: Tr,
    member: &Member,
    report: &str,
    outcome: DomainResult<&str>,
) -> Result<Response, AppError> {
    match outcome {
        Ok(notice) => Ok(Redirect::to(&format!(
            "/admin/reports/{report}?notice={notice}#referrals"
        ))
        .into_response()),
        Err(DomainError::Invalid(errors)) => {
            view::page(state, tr, member, report, errors, None, None).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /admin/reports/{report}/referrals`: prepares (and delivers) a
/// referral for each recipient chosen.
pub async fn prepare(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(report): Path<String>,
    form: Fields,
) -> Result<Response, AppError> {
    let choice = Preparation {
        recipients: form.all("recipients"),
        answers: form.all("answers"),
        attachments: form.all("attachments"),
        include_contact: form.text("include_contact") == "yes",
        summary: form.text("summary").to_string(),
    };
    let outcome = referrals::prepare(
        state.ctx(),
        &member.session.actor,
        &state.mailer,
        &report,
        &choice,
    )
    .await
    .map(|prepared| {
        if prepared.failed.is_empty() {
            "referral-prepared"
        } else {
            "referral-failed"
        }
    });
    done(&state, tr, &member, &report, outcome).await
}

/// `POST /admin/reports/{report}/referrals/{referral}/download`: the package
/// as a ZIP archive, to deliver by hand.
pub async fn download(
    State(state): State<AppState>,
    member: Member,
    Path((_report, referral)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (name, zip) = referrals::download(state.ctx(), &member.session.actor, &referral).await?;
    Ok(download_response("application/zip", &name, zip))
}

/// `POST /admin/reports/{report}/referrals/{referral}/sent`: it went (or
/// the e-mail that failed is sent again).
pub async fn sent(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path((report, referral)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let outcome =
        referrals::mark_sent(state.ctx(), &member.session.actor, &state.mailer, &referral)
            .await
            .map(|()| "referral-sent");
    done(&state, tr, &member, &report, outcome).await
}

/// `POST /admin/reports/{report}/referrals/{referral}/acknowledged`
pub async fn acknowledged(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path((report, referral)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let outcome = referrals::acknowledge(state.ctx(), &member.session.actor, &referral)
        .await
        .map(|()| "referral-acknowledged");
    done(&state, tr, &member, &report, outcome).await
}

/// A referral's outcome, recorded on the case or by the recipient in the portal.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct OutcomeForm {
    pub outcome: String,
    pub note: String,
}

/// `POST /admin/reports/{report}/referrals/{referral}/outcome`
pub async fn outcome(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path((report, referral)): Path<(String, String)>,
    Form(form): Form<OutcomeForm>,
) -> Result<Response, AppError> {
    let outcome = referrals::record_outcome(
        state.ctx(),
        &member.session.actor,
        &referral,
        &form.outcome,
        &form.note,
    )
    .await
    .map(|()| "referral-outcome-recorded");
    done(&state, tr, &member, &report, outcome).await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct TransferForm {
    organisation: String,
}

/// `POST /admin/reports/{report}/transfer`: to another organisation of the instance.
pub async fn transfer(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(report): Path<String>,
    Form(form): Form<TransferForm>,
) -> Result<Response, AppError> {
    let outcome = transfer::transfer(
        state.ctx(),
        &member.session.actor,
        &report,
        &form.organisation,
    )
    .await
    .map(|_| "case-transferred");
    done(&state, tr, &member, &report, outcome).await
}

/// `POST /admin/reports/{report}/cybertipline`: the case as NCMEC
/// CyberTipline report XML.
pub async fn cybertipline(
    State(state): State<AppState>,
    member: Member,
    Path(report): Path<String>,
) -> Result<Response, AppError> {
    let (name, xml) = cybertipline::export(state.ctx(), &member.session.actor, &report).await?;
    Ok(download_response(
        "application/xml",
        &name,
        xml.into_bytes(),
    ))
}
