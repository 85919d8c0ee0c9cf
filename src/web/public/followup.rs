//! The reporter's follow-up pages: enter the receipt code, see the status
//! and the hotline's messages, send more information or files.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::domain::followup::{self, ReporterView};
use crate::domain::time::now_millis;
use crate::domain::{DomainError, FieldError, setup};
use crate::web::AppState;
use crate::web::error::AppError;
use crate::web::form::FormData;
use crate::web::language::Lang;
use crate::web::rate_limit;
use crate::web::templates::{FollowUpStartPage, FollowUpViewPage, MessageView, Tr, render};

/// `GET /follow-up`
pub async fn start(State(state): State<AppState>, tr: Tr) -> Result<Response, AppError> {
    setup::ensure_open(state.ctx()).await?;
    Ok(start_page(
        tr,
        Vec::new(),
        None,
        StatusCode::OK,
        String::new(),
    ))
}

/// `POST /follow-up`: look a report up by its code, or send more information.
pub async fn post(
    State(state): State<AppState>,
    Lang(lang): Lang,
    client: rate_limit::Client,
    mut form: FormData,
) -> Result<Response, AppError> {
    setup::ensure_open(state.ctx()).await?;
    let _place = state.intake.place().await?;
    // The language switcher on the page posts the form (`lang:xx`), keeping the pass.
    let switched = form
        .text("action")
        .and_then(|a| a.strip_prefix("lang:"))
        .and_then(crate::i18n::language);
    let tr = Tr::new(switched.unwrap_or(lang));
    let now = now_millis();
    // 1. The code comes typed in (counted against the look-up limit) or in a pass.
    let receipt = match form.text("pass") {
        Some(pass) => match followup::open_pass(&state.instance_key, pass, now) {
            Some(receipt) => receipt,
            None => {
                return Ok(start_page(
                    tr,
                    Vec::new(),
                    Some(tr.t("followup-pass-expired")),
                    StatusCode::OK,
                    String::new(),
                ));
            }
        },
        None => {
            rate_limit::check(&state.limits.lookups, &client)?;
            zeroize::Zeroizing::new(form.text("receipt").unwrap_or_default().to_string())
        }
    };
    // 2. Send what the reporter added.
    let mut errors = Vec::new();
    let mut notice = None;
    if form.text("action") == Some("send") {
        let files = std::mem::take(&mut form.files);
        let message = form.text("message").unwrap_or_default();
        match followup::add_information(state.ctx(), &receipt, message, files).await {
            Ok(()) => notice = Some(tr.t("followup-sent")),
            Err(DomainError::Invalid(fields)) => errors = fields,
            Err(other) => return Err(other.into()),
        }
    }
    // 3. Show the report as the reporter may see it.
    let Some(view) = followup::open(state.ctx(), &receipt).await? else {
        let error = FieldError {
            field: "receipt",
            code: "invalid-receipt",
        };
        // What was typed stays in the field, to be corrected rather than
        // typed again (a pass never reaches here: its code is valid).
        let typed = form.text("receipt").unwrap_or_default();
        let typed: String = typed.chars().take(64).collect();
        return Ok(start_page(
            tr,
            vec![error],
            None,
            StatusCode::NOT_FOUND,
            typed,
        ));
    };
    let pass = followup::issue_pass(&state.instance_key, &receipt, now);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut response = (
        status,
        render(&view_page(
            tr,
            view,
            pass,
            errors,
            notice,
            state.settings.max_files,
        )),
    )
        .into_response();
    if let Some(lang) = switched {
        crate::web::language::remember(&mut response, lang, &state.settings);
    }
    Ok(response)
}

fn start_page(
    tr: Tr,
    errors: Vec<FieldError>,
    notice: Option<String>,
    status: StatusCode,
    typed: String,
) -> Response {
    let errors = errors
        .iter()
        .map(|e| (e.field.to_string(), tr.t(e.code)))
        .collect();
    let page = FollowUpStartPage {
        tr,
        errors,
        notice,
        typed,
    };
    (status, render(&page)).into_response()
}

fn view_page(
    tr: Tr,
    view: ReporterView,
    pass: String,
    errors: Vec<FieldError>,
    notice: Option<String>,
    max_files: usize,
) -> FollowUpViewPage {
    FollowUpViewPage {
        tr,
        status: tr.t(followup::status_message_id(view.status)),
        category: tr.t(&format!("cat-{}", view.category)),
        received: tr.date(view.received_at),
        passed_on: view.passed_on.map(|passed| {
            let id = if passed.to_authorities {
                "followup-passed-authorities"
            } else {
                "followup-passed-partner"
            };
            tr.t_with(id, "date", &tr.date(passed.at))
        }),
        messages: view
            .messages
            .into_iter()
            .map(|m| MessageView {
                from_hotline: m.author == "analyst",
                body: m.body,
                files: m.files,
                date: tr.date(m.created_at),
            })
            .collect(),
        pass,
        errors: errors
            .iter()
            .map(|e| (e.field.to_string(), tr.t(e.code)))
            .collect(),
        notice,
        max_files,
    }
}

/// `YYYY-MM-DD` (UTC) from milliseconds since the epoch.
pub fn format_date(millis: i64) -> String {
    crate::domain::time::date(millis)
}
