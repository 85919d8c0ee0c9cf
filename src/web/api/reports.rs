//! `POST /api/v1/reports`: a report as JSON, or as multipart with files.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use serde::Deserialize;

use crate::domain::questionnaire;
use crate::domain::reports::{self, Category, Contact, Language, NewReport, ReportContent};
use crate::domain::values::CountryCode;
use crate::domain::{DomainError, setup};
use crate::web::AppState;
use crate::web::error::{ApiError, AppError};
use crate::web::form::FormData;
use crate::web::rate_limit;

/// Largest JSON report (the files of a multipart report are counted apart).
pub const MAX_JSON_BYTES: usize = 5 * 1024 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportRequest {
    category: String,
    country: String,
    language: String,
    answers: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    contact: Option<ContactRequest>,
    /// Where the reporter is (routing only; not stored).
    #[serde(default)]
    reporter_country: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactRequest {
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    may_contact: bool,
}

/// Stores a report and answers `201 {"receipt": "..."}`. The body is the
/// report as JSON, or `multipart/form-data` with the JSON in a `report` part
/// and files in `file` parts.
pub async fn post(
    State(state): State<AppState>,
    client: rate_limit::Client,
    request: Request,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    // 1. Nothing is accepted before setup: there is no key to encrypt to.
    setup::ensure_open(state.ctx()).await?;
    rate_limit::check(&state.limits.submissions, &client)?;
    // 2. The body must arrive whole and within the size limits.
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let (json, files) = if is_multipart {
        let mut form = FormData::read_request(request, &state).await?;
        let json = form
            .text("report")
            .ok_or_else(|| {
                AppError::BadRequest(
                    "the multipart body needs a `report` part with the JSON report".into(),
                )
            })?
            .as_bytes()
            .to_vec();
        (json, std::mem::take(&mut form.files))
    } else {
        (
            read_json_body(
                request,
                state.settings.max_request_bytes.min(MAX_JSON_BYTES),
            )
            .await?
            .to_vec(),
            Vec::new(),
        )
    };
    if json.len() > MAX_JSON_BYTES {
        return Err(AppError::TooLarge.into());
    }
    // The body is in: now a place to clean, seal and store it.
    let _place = state.intake.place().await?;
    // 3. and 4. A JSON report whose every field is valid.
    let mut report = parse_json(&json)?;
    report.attachments = files;
    // 5. Seal and store; the receipt is shown once and never stored.
    let submitted = reports::submit(state.ctx(), report).await?;
    state.metrics.reports_received.inc();
    state.notifier.report_arrived(&submitted.organisation_id);
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "receipt": submitted.receipt.as_str() })),
    ))
}

/// Reads a JSON report and checks every field (errors say where, never
/// echo content). Pure, so that it can be fuzzed (`tests/fuzz.rs`).
pub fn parse_json(json: &[u8]) -> Result<NewReport, AppError> {
    let request: ReportRequest = serde_json::from_slice(json).map_err(|e| {
        AppError::BadRequest(format!(
            "the body must be a JSON report: {} at line {} column {}",
            describe(&e),
            e.line(),
            e.column()
        ))
    })?;
    Ok(parse(request)?)
}

/// The body of a JSON report, refused as soon as it passes `limit`: a
/// larger body is never held whole.
async fn read_json_body(request: Request, limit: usize) -> Result<Bytes, AppError> {
    use http_body_util::BodyExt;
    let limited = http_body_util::Limited::new(request.into_body(), limit);
    match limited.collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if is_too_large(e.as_ref()) => Err(AppError::TooLarge),
        Err(_) => Err(AppError::BadRequest(
            "the request body could not be read".into(),
        )),
    }
}

/// Whether a body error is a length limit, this one or the router's.
fn is_too_large(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(e);
    while let Some(e) = current {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        current = e.source();
    }
    false
}

fn describe(e: &serde_json::Error) -> &'static str {
    use serde_json::error::Category as C;
    match e.classify() {
        C::Syntax => "malformed JSON",
        C::Eof => "the JSON ends too early",
        C::Data => "a field is missing, unknown or of the wrong type",
        C::Io => "the body could not be read",
    }
}

fn parse(request: ReportRequest) -> Result<NewReport, DomainError> {
    let category = Category::parse(&request.category);
    let country = CountryCode::parse(&request.country);
    let language = Language::parse(&request.language);
    let contact = match request.contact {
        None => Ok(None),
        Some(c) => Contact::parse(c.email.as_deref(), c.phone.as_deref(), c.may_contact),
    };
    let reporter_country = request
        .reporter_country
        .as_deref()
        .map(|c| {
            CountryCode::parse(c)
                .map_err(|_| DomainError::invalid("reporter_country", "invalid-country"))
        })
        .transpose();
    // Answers are checked against the category's questionnaire when the category is known.
    let answers = match &category {
        Ok(category) => questionnaire::for_category(category.as_str())
            .map(|q| q.validate(&request.answers))
            .unwrap_or_else(|| Err(DomainError::invalid("category", "invalid-category"))),
        Err(_) => Ok(request.answers.clone()),
    };
    match (
        category,
        country,
        language,
        answers,
        contact,
        reporter_country,
    ) {
        (
            Ok(category),
            Ok(country),
            Ok(language),
            Ok(answers),
            Ok(contact),
            Ok(reporter_country),
        ) => Ok(NewReport {
            category,
            country,
            reporter_country,
            language,
            content: ReportContent {
                answers,
                contact,
                received_at: None,
            },
            attachments: Vec::new(),
            // The API has no form: each post is a report of its own.
            submission: None,
        }),
        (a, b, c, d, e, f) => Err(DomainError::collect(
            [a.err(), b.err(), c.err(), d.err(), e.err(), f.err()]
                .into_iter()
                .flatten(),
        )
        .unwrap_or(DomainError::invalid("report", "invalid-report"))),
    }
}
