//! The public report form. `GET /report` starts it (or takes up the draft
//! kept for this browser), every step posts to `POST /report`, and each
//! post answers with a redirect to the page it leads to, `GET
//! /report/{step}` (post/redirect/get): every page the browser keeps in its
//! history can be loaded again, so Back and reload never ask to send a
//! form again. Between pages the draft is kept sealed under a token in a
//! cookie (`domain::draft::keep`); a browser that refuses the cookie, or a
//! full store, gets the next page as the post's answer instead, the draft
//! travelling in the form (as it always does).

pub mod flow;
pub mod form;
pub mod views;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use self::flow::{Step, first_missing, next, previous, questionnaire_of};
use self::form::apply_step;
use self::views::{
    CheckPage, ReceiptPage, ShownError, StepForm, StepInput, check_sections, group_digits,
    shown_errors, step_page,
};
use crate::domain::draft::{self, Draft, DraftError, DraftToken, Kept};
use crate::domain::receipts;
use crate::domain::reports::{self, Category, Language, NewReport, ReportContent};
use crate::domain::time::now_millis;
use crate::domain::values::CountryCode;
use crate::domain::{DomainError, setup};
use crate::web::AppState;
use crate::web::cookies::{named_cookie, session_cookie};
use crate::web::error::AppError;
use crate::web::form::FormData;
use crate::web::language::Lang;
use crate::web::rate_limit;
use crate::web::templates::{Tr, render};

/// The cookie that holds the token of this browser's kept draft.
const COOKIE: &str = "ward_draft";

fn token_in(headers: &HeaderMap) -> Option<DraftToken> {
    named_cookie(headers, COOKIE).and_then(|value| DraftToken::parse(&value))
}

/// Sets a new token when the browser sent none (or clears it with `None`).
fn set_token(response: &mut Response, token: Option<&DraftToken>, state: &AppState) {
    let cookie = session_cookie(
        COOKIE,
        "/report",
        token.map(DraftToken::as_str),
        &state.settings,
    );
    response.headers_mut().append(header::SET_COOKIE, cookie);
}

/// The address of a step's page.
fn step_url(step: &Step, draft: &Draft, return_to_check: bool) -> String {
    let id = step.id(questionnaire_of(draft));
    if return_to_check {
        format!("/report/{id}?then=check")
    } else {
        format!("/report/{id}")
    }
}

#[derive(serde::Deserialize)]
pub struct StartQuery {
    country: Option<String>,
}

/// `GET /report`: the first step, choosing what happened, of the draft kept
/// for this browser or of a new one. `?country=XX` (from the home page's
/// country choice) lists that country first.
pub async fn start(
    State(state): State<AppState>,
    tr: Tr,
    headers: HeaderMap,
    Query(query): Query<StartQuery>,
) -> Result<Response, AppError> {
    setup::ensure_open(state.ctx()).await?;
    let token = token_in(&headers);
    if let Some(kept) = find_kept(&state, token.as_ref()).await {
        return Ok(show_kept(&state, tr, kept, Step::Category, false).await);
    }
    let mut draft = Draft::new(now_millis());
    draft.visitor_country = query
        .country
        .as_deref()
        .and_then(|c| CountryCode::parse(c).ok())
        .map(|c| c.as_str().to_string());
    let page = Shown::new(draft, Step::Category);
    let mut response = show(&state, tr, &page).await;
    if token.is_none() {
        set_token(&mut response, Some(&DraftToken::generate()), &state);
    }
    Ok(response)
}

#[derive(serde::Deserialize)]
pub struct StepQuery {
    then: Option<String>,
}

/// `GET /report/{step}`: a step's page, drawn from the kept draft with what
/// the last post said about it. Without a kept draft (expired, sent, or a
/// browser without the cookie) the form starts again and says so.
pub async fn step(
    State(state): State<AppState>,
    tr: Tr,
    headers: HeaderMap,
    Path(step): Path<String>,
    Query(query): Query<StepQuery>,
) -> Result<Response, AppError> {
    setup::ensure_open(state.ctx()).await?;
    let token = token_in(&headers);
    let Some(kept) = find_kept(&state, token.as_ref()).await else {
        let mut page = Shown::new(Draft::new(now_millis()), Step::Category);
        page.notice = Some(tr.t("draft-gone"));
        let mut response = show(&state, tr, &page).await;
        set_token(&mut response, Some(&DraftToken::generate()), &state);
        return Ok(response);
    };
    let q = questionnaire_of(&kept.draft);
    let mut step = Step::parse(&step, q).unwrap_or(Step::Category);
    if step == Step::Check {
        step = first_missing(&kept.draft).unwrap_or(Step::Check);
    }
    let return_to_check = query.then.as_deref() == Some("check") && step != Step::Check;
    Ok(show_kept(&state, tr, kept, step, return_to_check).await)
}

/// Where the quick exit leads: a site that says nothing of this one.
const QUICK_EXIT_TO: &str = "https://www.wikipedia.org/";

/// `GET /report/leave`, the quick exit on every public page: forgets the
/// draft kept for this browser and its cookie, so that the browser's Back
/// finds an empty form rather than the answers, then leaves for a neutral
/// site. It answers the same whatever happens here.
pub async fn leave(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = token_in(&headers)
        && let Err(e) = draft::forget(state.ctx(), &token).await
    {
        tracing::warn!(error = %e, "a draft could not be forgotten at the quick exit: it expires");
    }
    let mut response = Redirect::to(QUICK_EXIT_TO).into_response();
    set_token(&mut response, None, &state);
    response
}

/// The draft kept under the browser's token; none when there is no token,
/// no draft, or the store cannot be read (the form then starts again).
async fn find_kept(state: &AppState, token: Option<&DraftToken>) -> Option<Kept> {
    let token = token?;
    match draft::find(state.ctx(), token).await {
        Ok(kept) => kept,
        Err(e) => {
            tracing::warn!(error = %e, "a kept draft could not be read");
            None
        }
    }
}

async fn show_kept(
    state: &AppState,
    tr: Tr,
    kept: Kept,
    step: Step,
    return_to_check: bool,
) -> Response {
    let here = step.id(questionnaire_of(&kept.draft)) == kept.shown_at.clone().unwrap_or_default();
    let page = Shown {
        draft: kept.draft,
        step,
        errors: if here { kept.errors } else { Vec::new() },
        notice: if here { kept.notice } else { None },
        return_to_check,
    };
    show(state, tr, &page).await
}

/// A page of the form to show: the draft at a step, with errors or a notice.
struct Shown {
    draft: Draft,
    step: Step,
    errors: Vec<ShownError>,
    notice: Option<String>,
    /// Reached by "Change" on the check page, so continuing goes back there.
    return_to_check: bool,
}

impl Shown {
    fn new(draft: Draft, step: Step) -> Self {
        Self {
            draft,
            step,
            errors: Vec::new(),
            notice: None,
            return_to_check: false,
        }
    }
}

/// `POST /report`: one step's answers, a move back, a change, or the submission.
pub async fn post(
    State(state): State<AppState>,
    Lang(lang): Lang,
    client: rate_limit::Client,
    headers: HeaderMap,
    // Read within the limits, its files spooled (the body is read before
    // the checks below: a post to an instance not set up stores nothing).
    form: FormData,
) -> Result<Response, AppError> {
    let tr = Tr::new(lang);
    // 1. Reporting must be open.
    setup::ensure_open(state.ctx()).await?;
    // 2. A place to clean, seal and store what the form brought.
    let _place = state.intake.place().await?;
    let token = token_in(&headers);
    // 3. Open the draft; an expired one starts again with a notice.
    let now = now_millis();
    let mut draft = match form
        .text("draft")
        .map(|d| Draft::open(d, &state.instance_key, now))
    {
        None => Draft::new(now),
        Some(Ok(draft)) => draft,
        Some(Err(DraftError::Expired)) => {
            let mut page = Shown::new(Draft::new(now), Step::Category);
            page.notice = Some(tr.t("draft-expired"));
            return Ok(answer(&state, tr, token, page).await);
        }
        Some(Err(DraftError::Invalid)) => {
            return Err(AppError::BadRequest("the form's draft is not valid".into()));
        }
    };
    let q = questionnaire_of(&draft);
    let step = form
        .text("step")
        .and_then(|s| Step::parse(s, q))
        .unwrap_or(Step::Category);
    let return_to_check = form.text("then") == Some("check");
    // 4. Do what was asked.
    let page = match form.text("action").unwrap_or("continue") {
        // The language switcher on the form: the same step, in the chosen
        // language, keeping what was typed on it.
        choice if choice.starts_with("lang:") => {
            let lang = crate::i18n::language(&choice["lang:".len()..]).unwrap_or(lang);
            let _ = apply_step(&mut draft, &step, &form);
            let mut page = Shown::new(draft, step);
            page.return_to_check = return_to_check;
            let mut response = answer(&state, Tr::new(lang), token, page).await;
            crate::web::language::remember(&mut response, lang, &state.settings);
            return Ok(response);
        }
        // Back keeps what was typed too; from a change, it returns to the check page.
        "back" => {
            let _ = apply_step(&mut draft, &step, &form);
            let to = if return_to_check {
                first_missing(&draft).unwrap_or(Step::Check)
            } else {
                previous(&step, &draft)
            };
            Shown::new(draft, to)
        }
        change if change.starts_with("change:") => {
            let to = Step::parse(&change["change:".len()..], q).unwrap_or(Step::Category);
            let mut page = Shown::new(draft, to);
            page.return_to_check = true;
            page
        }
        "submit" => {
            rate_limit::check(&state.limits.submissions, &client)?;
            return submit(&state, tr, token, draft, form).await;
        }
        _ => match apply_step(&mut draft, &step, &form) {
            Ok(()) => {
                // A change returns to the check page, unless a new category
                // brings questions of its own.
                let to = match first_missing(&draft) {
                    None if return_to_check && step != Step::Category => Step::Check,
                    _ => next(&step, &draft),
                };
                // Before the questions, say where else to report about a country no hotline here covers.
                let notice = match (&step, draft.country.as_deref()) {
                    (Step::Country, Some(country)) => {
                        super::home::elsewhere(&state, tr.code(), country)
                            .await?
                            .map(|e| elsewhere_notice(tr, &e))
                    }
                    _ => None,
                };
                let mut page = Shown::new(draft, to);
                page.notice = notice;
                page
            }
            Err(errors) => {
                let mut page = Shown::new(draft, step);
                page.errors = shown_errors(&errors);
                page.return_to_check = return_to_check;
                page
            }
        },
    };
    Ok(answer(&state, tr, token, page).await)
}

/// Answers a post with the page it leads to: a redirect to that page when
/// the draft is kept for this browser, else the page itself (and a token,
/// so that the next post can be kept if the browser takes cookies).
async fn answer(state: &AppState, tr: Tr, token: Option<DraftToken>, page: Shown) -> Response {
    if let Some(token) = token {
        let kept = Kept {
            shown_at: Some(page.step.id(questionnaire_of(&page.draft))),
            errors: page.errors.clone(),
            notice: page.notice.clone(),
            draft: page.draft.clone(),
        };
        match draft::keep(state.ctx(), &token, &kept).await {
            Ok(true) => {
                return Redirect::to(&step_url(&page.step, &page.draft, page.return_to_check))
                    .into_response();
            }
            Ok(false) => tracing::warn!("the store of drafts is full: a draft travels in the form"),
            Err(e) => {
                tracing::warn!(error = %e, "a draft could not be kept: it travels in the form")
            }
        }
        return show(state, tr, &page).await;
    }
    let mut response = show(state, tr, &page).await;
    set_token(&mut response, Some(&DraftToken::generate()), state);
    response
}

/// "No hotline here handles reports about X; the national service is Y (address). You can still report here."
fn elsewhere_notice(tr: Tr, elsewhere: &crate::web::templates::Elsewhere) -> String {
    let mut text = tr.t_with("elsewhere-title", "country", &elsewhere.country);
    text.push_str(". ");
    match (&elsewhere.mechanism, &elsewhere.mechanism_url) {
        (Some(name), Some(url)) => {
            text.push_str(&format!("{} {name} ({url}).", tr.t("elsewhere-mechanism")))
        }
        (Some(name), None) => text.push_str(&format!("{} {name}.", tr.t("elsewhere-mechanism"))),
        _ => text.push_str(&tr.t("elsewhere-no-mechanism")),
    }
    text.push(' ');
    text.push_str(&tr.t("elsewhere-still"));
    text
}

async fn submit(
    state: &AppState,
    tr: Tr,
    token: Option<DraftToken>,
    draft: Draft,
    form: FormData,
) -> Result<Response, AppError> {
    if let Some(missing) = first_missing(&draft) {
        return Ok(answer(state, tr, token, Shown::new(draft, missing)).await);
    }
    let report = NewReport {
        category: Category::parse(draft.category.as_deref().unwrap_or_default())?,
        country: CountryCode::parse(draft.country.as_deref().unwrap_or_default())?,
        reporter_country: draft
            .visitor_country
            .as_deref()
            .and_then(|c| CountryCode::parse(c).ok()),
        language: Language::parse(tr.code())?,
        content: ReportContent {
            answers: draft.answers.clone(),
            contact: draft.contact.clone(),
            received_at: None,
        },
        attachments: form.files,
        submission: draft.submission.clone(),
    };
    let (receipt, already) = match reports::submit(state.ctx(), report).await {
        Ok(submitted) => {
            state.metrics.reports_received.inc();
            state.notifier.report_arrived(&submitted.organisation_id);
            (Some(group_digits(&submitted.receipt)), false)
        }
        // Sent already (a reload, Back then Send, a double click): said
        // plainly, with the same code, which comes from the form's own id.
        Err(DomainError::AlreadySent) => {
            let receipt = draft
                .submission
                .as_deref()
                .map(|id| group_digits(&receipts::for_submission(&state.instance_key, id)));
            (receipt, true)
        }
        Err(DomainError::Invalid(errors)) => {
            let mut page = Shown::new(draft, Step::Check);
            page.errors = shown_errors(&errors);
            return Ok(answer(state, tr, token, page).await);
        }
        Err(other) => return Err(other.into()),
    };
    // The report is stored: its draft is no longer kept, and Back or a
    // reload of a step finds a fresh form rather than the answers.
    if let Some(token) = &token
        && let Err(e) = draft::forget(state.ctx(), token).await
    {
        tracing::warn!(error = %e, "a sent report's draft could not be forgotten: it expires");
    }
    let mut response = render(&ReceiptPage {
        tr,
        receipt,
        already,
        emergency_number: draft
            .country
            .as_deref()
            .and_then(|c| state.directory.emergency(c)),
    })
    .into_response();
    if token.is_some() {
        set_token(&mut response, None, state);
    }
    Ok(response)
}

/// Draws a step (or "check your answers") for the draft; 422 when the page
/// shows errors to correct.
async fn show(state: &AppState, tr: Tr, page: &Shown) -> Response {
    let draft = &page.draft;
    let step = &page.step;
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let sealed = draft.seal(&state.instance_key);
    let form = StepForm {
        draft: sealed,
        step: step.id(questionnaire_of(draft)),
        back: *step != Step::Category,
        return_to_check: page.return_to_check,
    };
    if *step == Step::Check {
        let check = CheckPage {
            tr,
            form,
            progress: views::progress(tr, step, draft),
            errors: page
                .errors
                .iter()
                .map(|(field, code)| (field.clone(), tr.t(code)))
                .collect(),
            sections: check_sections(tr, draft),
            max_files: state.settings.max_files,
            max_file_mb: state.settings.max_file_mb,
        };
        return (status, render(&check)).into_response();
    }
    // The visitor's chosen country first, else the organisation's.
    let home = match &draft.visitor_country {
        Some(country) => Some(country.clone()),
        None => crate::domain::network::public_organisation(state.ctx())
            .await
            .ok()
            .flatten()
            .map(|o| o.country),
    };
    let step_page = step_page(StepInput {
        tr,
        draft,
        form,
        step,
        errors: &page.errors,
        notice: page.notice.clone(),
        home_country: home.as_deref(),
    });
    (status, render(&step_page)).into_response()
}
