//! The portal's referrals: the list of those addressed to the person's
//! recipient, one referral, its package, acknowledgement and outcome.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::PortalUser;
use crate::domain::referrals::Outcome;
use crate::domain::referrals::document::ReferralDocument;
use crate::domain::referrals::portal::{self, Standing as Stored};
use crate::i18n;
use crate::web::AppState;
use crate::web::backoffice::cases::files::download_response;
use crate::web::backoffice::cases::referrals::OutcomeForm;
use crate::web::backoffice::cases::view::human_size;
use crate::web::backoffice::inbox::codes;
use crate::web::backoffice::page::{Choice, Frame, NoticeQuery, coded_choices, framed, notice};
use crate::web::error::AppError;
use crate::web::public::followup::format_date;
use crate::web::templates::{Tr, render};

/// Where a referral stands, for the portal's pages.
pub struct Standing {
    pub state_code: String,
    pub state: String,
    pub sent: Option<String>,
    pub due: Option<String>,
    pub acknowledged: Option<String>,
    pub outcome: Option<String>,
}

impl Standing {
    fn of(tr: Tr, row: &Stored) -> Self {
        Self {
            state_code: row.state.clone(),
            state: tr.t(&format!("referral-state-{}", row.state)),
            sent: row.sent_at.map(format_date),
            due: row.due_at.map(format_date),
            acknowledged: row.acknowledged_at.map(format_date),
            outcome: row
                .outcome
                .as_ref()
                .map(|o| tr.t(&format!("referral-outcome-{o}"))),
        }
    }
}

pub struct ListItem {
    pub id: String,
    /// `None` when the referral was sealed before this account existed.
    pub reference: Option<String>,
    pub from: Option<String>,
    pub category: Option<String>,
    pub standing: Standing,
}

#[derive(Template)]
#[template(path = "portal/list.html")]
pub struct ListPage {
    pub frame: Frame,
    pub items: Vec<ListItem>,
}

/// `GET /portal`
pub async fn list(
    State(state): State<AppState>,
    tr: Tr,
    user: PortalUser,
) -> Result<Response, AppError> {
    let items = portal::list(state.ctx(), &user.session)
        .await?
        .into_iter()
        .map(|r| ListItem {
            id: r.standing.id.clone(),
            reference: r.document.as_ref().map(|d| d.case.reference.clone()),
            from: r.document.as_ref().map(|d| d.from.name.clone()),
            category: r
                .document
                .as_ref()
                .map(|d| tr.t(&format!("cat-{}", d.case.category))),
            standing: Standing::of(tr, &r.standing),
        })
        .collect();
    let page = ListPage {
        frame: Frame::visitor(tr, Some(user.nav(true))),
        items,
    };
    Ok(render(&page).into_response())
}

#[derive(Template)]
#[template(path = "portal/referral.html")]
pub struct ReferralPage {
    pub frame: Frame,
    pub id: String,
    pub doc: ReferralDocument,
    pub standing: Standing,
    pub category: String,
    pub country: String,
    pub assessment: Vec<(String, String)>,
    pub files: Vec<(String, String)>,
    pub outcomes: Vec<Choice>,
}

/// `GET /portal/referrals/{referral}`: recorded in the referring organisation's audit log.
pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    user: PortalUser,
    Path(referral): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let (row, doc) = portal::view(state.ctx(), &user.session, &referral).await?;
    let a = &doc.case.assessment;
    let mut assessment = vec![(
        tr.t("inbox-priority"),
        tr.t(&format!("priority-{}", a.priority)),
    )];
    if a.urgent {
        assessment.push((tr.t("priority-urgent"), tr.t("network-yes")));
    }
    for (label, prefix, code) in [
        ("case-legal", "legal-", &a.legal),
        ("case-classification", "class-", &a.classification),
        ("case-age-band", "age-", &a.age_band),
        ("case-gender", "gender-", &a.gender),
    ] {
        if let Some(code) = code {
            assessment.push((tr.t(label), tr.t(&format!("{prefix}{code}"))));
        }
    }
    let notice = notice(
        tr,
        &["referral-acknowledged", "referral-outcome-recorded"],
        &query.notice,
    );
    let page = ReferralPage {
        frame: Frame::visitor(tr, Some(user.nav(false)))
            .with_csrf(user.csrf.clone())
            .with_notice(notice),
        id: row.id.clone(),
        standing: Standing::of(tr, &row),
        category: tr.t(&format!("cat-{}", doc.case.category)),
        country: i18n::country_name(tr.code(), &doc.case.country),
        assessment,
        files: doc
            .attachments
            .iter()
            .map(|f| {
                (
                    f.file_name.clone(),
                    format!("{}, {}", f.content_type, human_size(f.size)),
                )
            })
            .collect(),
        outcomes: coded_choices(
            tr,
            &codes(Outcome::ALL, |o| o.as_str()),
            "referral-outcome-",
            row.outcome.as_deref().unwrap_or(""),
        ),
        doc,
    };
    Ok(render(&page).into_response())
}

/// `POST /portal/referrals/{referral}/download`: the package (PDF, JSON,
/// files) as a ZIP archive; recorded.
pub async fn download(
    State(state): State<AppState>,
    user: PortalUser,
    Path(referral): Path<String>,
) -> Result<Response, AppError> {
    let (name, zip) = portal::download(state.ctx(), &user.session, &referral).await?;
    Ok(download_response("application/zip", &name, zip))
}

fn back(referral: &str, notice: &str) -> Response {
    Redirect::to(&format!("/portal/referrals/{referral}?notice={notice}")).into_response()
}

/// `POST /portal/referrals/{referral}/acknowledge`
pub async fn acknowledge(
    State(state): State<AppState>,
    user: PortalUser,
    Path(referral): Path<String>,
) -> Result<Response, AppError> {
    portal::acknowledge(state.ctx(), &user.session, &referral).await?;
    Ok(back(&referral, "referral-acknowledged"))
}

/// `POST /portal/referrals/{referral}/outcome`
pub async fn outcome(
    State(state): State<AppState>,
    user: PortalUser,
    Path(referral): Path<String>,
    Form(form): Form<OutcomeForm>,
) -> Result<Response, AppError> {
    portal::record_outcome(
        state.ctx(),
        &user.session,
        &referral,
        &form.outcome,
        &form.note,
    )
    .await?;
    Ok(back(&referral, "referral-outcome-recorded"))
}

framed!(ListPage, ReferralPage);
