//! The public report form: `GET /report` starts it, and every step posts to
//! `POST /report`. The draft travels sealed in the form (see
//! `domain::draft`); nothing is stored until the reporter submits.

pub mod flow;
pub mod form;
pub mod views;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use self::flow::{Step, first_missing, next, previous, questionnaire_of};
use self::form::apply_step;
use self::views::{
    CheckPage, ReceiptPage, StepForm, StepInput, check_sections, group_digits, step_page,
};
use crate::domain::draft::{Draft, DraftError};
use crate::domain::reports::{self, Category, Language, NewReport, ReportContent};
use crate::domain::time::now_millis;
use crate::domain::values::CountryCode;
use crate::domain::{DomainError, FieldError, setup};
use crate::web::AppState;
use crate::web::error::AppError;
use crate::web::form::FormData;
use crate::web::language::Lang;
use crate::web::rate_limit;
use crate::web::templates::{Tr, render};

#[derive(serde::Deserialize)]
pub struct StartQuery {
    country: Option<String>,
}

/// `GET /report`: the first step, choosing what happened.
/// `?country=XX` (from the home page's country choice) lists that country first.
pub async fn start(
    State(state): State<AppState>,
    tr: Tr,
    Query(query): Query<StartQuery>,
) -> Result<Response, AppError> {
    if !setup::is_complete(&state.db).await? {
        return Err(DomainError::NotOpen.into());
    }
    let mut draft = Draft::new(now_millis());
    draft.visitor_country = query
        .country
        .as_deref()
        .and_then(|c| CountryCode::parse(c).ok())
        .map(|c| c.as_str().to_string());
    Ok(show(
        &state,
        tr,
        &draft,
        &Step::Category,
        &[],
        None,
        StatusCode::OK,
    )
    .await)
}

/// `POST /report`: one step's answers, a move back, a change, or the submission.
pub async fn post(
    State(state): State<AppState>,
    Lang(lang): Lang,
    client: rate_limit::Client,
    // Read within the limits, its files spooled (the body is read before
    // the checks below: a post to an instance not set up stores nothing).
    form: FormData,
) -> Result<Response, AppError> {
    let tr = Tr::new(lang);
    // 1. Reporting must be open.
    if !setup::is_complete(&state.db).await? {
        return Err(DomainError::NotOpen.into());
    }
    // 2. A place to clean, seal and store what the form brought.
    let _place = state.intake.place().await?;
    // 3. Open the draft; an expired one starts again with a notice.
    let now = now_millis();
    let mut draft = match form
        .text("draft")
        .map(|d| Draft::open(d, &state.instance_key, now))
    {
        None => Draft::new(now),
        Some(Ok(draft)) => draft,
        Some(Err(DraftError::Expired)) => {
            let fresh = Draft::new(now);
            let notice = Some(tr.t("draft-expired"));
            return Ok(show(
                &state,
                tr,
                &fresh,
                &Step::Category,
                &[],
                notice,
                StatusCode::OK,
            )
            .await);
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
    // 4. Do what was asked.
    match form.text("action").unwrap_or("continue") {
        // The language switcher on the form: the same step, in the chosen language.
        choice if choice.starts_with("lang:") => {
            let lang = crate::i18n::language(&choice["lang:".len()..]).unwrap_or(lang);
            let mut response = show(
                &state,
                Tr::new(lang),
                &draft,
                &step,
                &[],
                None,
                StatusCode::OK,
            )
            .await;
            crate::web::language::remember(&mut response, lang, &state.settings);
            Ok(response)
        }
        "back" => {
            let to = previous(&step, &draft);
            Ok(show(&state, tr, &draft, &to, &[], None, StatusCode::OK).await)
        }
        change if change.starts_with("change:") => {
            let to = Step::parse(&change["change:".len()..], q).unwrap_or(Step::Category);
            Ok(show(&state, tr, &draft, &to, &[], None, StatusCode::OK).await)
        }
        "submit" => {
            rate_limit::check(&state.limits.submissions, &client)?;
            submit(&state, tr, draft, form).await
        }
        _ => match apply_step(&mut draft, &step, &form) {
            Ok(()) => {
                let to = next(&step, &draft);
                // Before the questions, say where else to report about a country no hotline here covers.
                let notice = match (&step, draft.country.as_deref()) {
                    (Step::Country, Some(country)) => {
                        super::home::elsewhere(&state, tr.code(), country)
                            .await?
                            .map(|e| elsewhere_notice(tr, &e))
                    }
                    _ => None,
                };
                Ok(show(&state, tr, &draft, &to, &[], notice, StatusCode::OK).await)
            }
            Err(errors) => Ok(show(
                &state,
                tr,
                &draft,
                &step,
                &errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await),
        },
    }
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
    draft: Draft,
    form: FormData,
) -> Result<Response, AppError> {
    if let Some(missing) = first_missing(&draft) {
        return Ok(show(state, tr, &draft, &missing, &[], None, StatusCode::OK).await);
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
    let receipt = match reports::submit(state.ctx(), report).await {
        Ok(submitted) => {
            state.metrics.reports_received.inc();
            state.notifier.report_arrived(&submitted.organisation_id);
            Some(group_digits(&submitted.receipt))
        }
        // Sent already (a reload, Back then Send, a double click): said
        // plainly, and the code is not shown a second time.
        Err(DomainError::AlreadySent) => None,
        Err(DomainError::Invalid(errors)) => {
            return Ok(show(
                state,
                tr,
                &draft,
                &Step::Check,
                &errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await);
        }
        Err(other) => return Err(other.into()),
    };
    Ok(render(&ReceiptPage {
        tr,
        receipt,
        emergency_number: draft
            .country
            .as_deref()
            .and_then(|c| state.directory.emergency(c)),
    })
    .into_response())
}

/// Draws a step (or "check your answers") for the draft.
async fn show(
    state: &AppState,
    tr: Tr,
    draft: &Draft,
    step: &Step,
    errors: &[FieldError],
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let sealed = draft.seal(&state.instance_key);
    if *step == Step::Check {
        let page = CheckPage {
            tr,
            form: StepForm {
                draft: sealed,
                step: step.id(questionnaire_of(draft)),
                back: true,
            },
            errors: errors
                .iter()
                .map(|e| (e.field.to_string(), tr.t(e.code)))
                .collect(),
            sections: check_sections(tr, draft),
            max_files: state.settings.max_files,
            max_file_mb: state.settings.max_file_mb,
        };
        return (status, render(&page)).into_response();
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
    let page = step_page(StepInput {
        tr,
        draft,
        sealed,
        step,
        errors,
        notice,
        home_country: home.as_deref(),
    });
    (status, render(&page)).into_response()
}
