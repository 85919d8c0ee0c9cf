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
use crate::domain::actor::{Actor, Permission};
use crate::domain::cases::CaseView;
use crate::domain::recipients;
use crate::domain::referrals::transfer;
use crate::domain::referrals::{self, Outcome, Preparation, cybertipline};
use crate::domain::{DomainError, DomainResult};
use crate::error::AppError;
use crate::i18n;
use crate::web::AppState;
use crate::web::backoffice::inbox::codes;
use crate::web::backoffice::page::{Choice, choices, coded_choices};
use crate::web::backoffice::session::Member;
use crate::web::form::Fields;
use crate::web::language::Lang;
use crate::web::public::followup::format_date;
use crate::web::templates::Tr;

/// A referral as the case lists it.
pub struct ReferralItem {
    pub id: String,
    pub recipient: String,
    pub channel: String,
    pub state_code: &'static str,
    pub state: String,
    pub overdue: bool,
    pub prepared: String,
    pub sent: Option<String>,
    pub due: Option<String>,
    pub acknowledged: Option<String>,
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
}

/// A recipient the referral form offers.
pub struct RecipientOption {
    pub id: String,
    pub name: String,
    pub detail: String,
    /// A rule suggests it for this case's country and category.
    pub suggested: bool,
}

pub struct TransferItem {
    pub sent: bool,
    pub organisation: String,
    pub date: String,
}

/// What the case view shows of referrals and transfers.
pub struct Referrals {
    pub items: Vec<ReferralItem>,
    pub recipients: Vec<RecipientOption>,
    /// The reporter agreed to be contacted by the authorities.
    pub may_contact: bool,
    pub outcomes: Vec<Choice>,
    pub destinations: Vec<Choice>,
    pub transfers: Vec<TransferItem>,
}

impl Referrals {
    pub async fn of_case(
        state: &AppState,
        tr: Tr,
        actor: &Actor,
        view: &CaseView,
    ) -> DomainResult<Self> {
        let ctx = state.ctx();
        let case = &view.case;
        let items = referrals::for_case(ctx, actor, &case.id)
            .await?
            .into_iter()
            .map(|r| ReferralItem {
                id: r.row.id.clone(),
                recipient: r.recipient,
                channel: tr.t(&format!("referral-channel-{}", r.channel.as_str())),
                state_code: r.state.as_str(),
                state: tr.t(&format!("referral-state-{}", r.state.as_str())),
                overdue: r.overdue,
                prepared: format_date(r.row.created_at),
                sent: r.row.sent_at.map(format_date),
                due: r.row.due_at.map(format_date),
                acknowledged: r.row.acknowledged_at.map(format_date),
                outcome: r
                    .row
                    .outcome
                    .as_ref()
                    .map(|o| tr.t(&format!("referral-outcome-{o}"))),
                outcome_note: r.outcome_note,
            })
            .collect();
        let suggested = recipients::suggested(ctx, actor, &case.country, &case.category).await?;
        let mut options: Vec<RecipientOption> = recipients::list(ctx, actor)
            .await?
            .into_iter()
            .filter(|r| r.disabled == 0)
            .map(|r| RecipientOption {
                suggested: suggested.contains(&r.id),
                detail: format!(
                    "{}, {}",
                    tr.t(&format!("recipient-kind-{}", r.kind)),
                    i18n::country_name(tr.code(), &r.country)
                ),
                id: r.id,
                name: r.name,
            })
            .collect();
        // Suggested recipients first.
        options.sort_by_key(|o| !o.suggested);
        let transfers = transfer::of_case(ctx, actor, &case.id)
            .await?
            .into_iter()
            .map(|t| TransferItem {
                sent: t.sent,
                organisation: t.other_organisation,
                date: format_date(t.at),
            })
            .collect();
        let destinations = if actor.may(Permission::CloseReports) {
            choices(transfer::destinations(ctx, actor).await?, "")
        } else {
            Vec::new()
        };
        Ok(Self {
            items,
            recipients: options,
            may_contact: view
                .content
                .as_ref()
                .and_then(|c| c.contact.as_ref())
                .is_some_and(|c| c.may_contact),
            outcomes: coded_choices(
                tr,
                &codes(Outcome::ALL, |o| o.as_str()),
                "referral-outcome-",
                "",
            ),
            destinations,
            transfers,
        })
    }
}

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
    Lang(lang): Lang,
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
    done(&state, Tr::new(lang), &member, &report, outcome).await
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
    Lang(lang): Lang,
    member: Member,
    Path((report, referral)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let outcome =
        referrals::mark_sent(state.ctx(), &member.session.actor, &state.mailer, &referral)
            .await
            .map(|()| "referral-sent");
    done(&state, Tr::new(lang), &member, &report, outcome).await
}

/// `POST /admin/reports/{report}/referrals/{referral}/acknowledged`
pub async fn acknowledged(
    State(state): State<AppState>,
    Lang(lang): Lang,
    member: Member,
    Path((report, referral)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let outcome = referrals::acknowledge(state.ctx(), &member.session.actor, &referral)
        .await
        .map(|()| "referral-acknowledged");
    done(&state, Tr::new(lang), &member, &report, outcome).await
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
    Lang(lang): Lang,
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
    done(&state, Tr::new(lang), &member, &report, outcome).await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct TransferForm {
    organisation: String,
}

/// `POST /admin/reports/{report}/transfer`: to another organisation of the instance.
pub async fn transfer(
    State(state): State<AppState>,
    Lang(lang): Lang,
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
    done(&state, Tr::new(lang), &member, &report, outcome).await
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
