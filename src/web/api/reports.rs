//! `POST /api/v1/reports`: a report as JSON.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use serde::Deserialize;

use crate::domain::reports::{self, Category, Language, NewReport, ReportContent};
use crate::domain::values::CountryCode;
use crate::domain::{DomainError, setup};
use crate::error::{ApiError, AppError};
use crate::web::AppState;

/// Largest JSON report: 200 answers of up to 20,000 characters fit well below it.
pub const MAX_JSON_BYTES: usize = 5 * 1024 * 1024;

/// Most answers a report may carry, and the longest answer, in characters.
const MAX_ANSWERS: usize = 200;
const MAX_ANSWER_CHARS: usize = 20_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportRequest {
    category: String,
    country: String,
    language: String,
    answers: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    contact: Option<serde_json::Value>,
}

/// Stores a report and answers `201 {"receipt": "..."}`.
pub async fn post(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    // 1. Nothing is accepted before setup: there is no key to encrypt to.
    if !setup::is_complete(&state.db).await? {
        return Err(DomainError::NotOpen.into());
    }
    // 2. The body must arrive whole and within the size limit.
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
        _ => AppError::BadRequest("the request body could not be read".into()),
    })?;
    // 3. The body must be a JSON report (errors say where, never echo content).
    let request: ReportRequest = serde_json::from_slice(&body).map_err(|e| {
        AppError::BadRequest(format!(
            "the body must be a JSON report: {} at line {} column {}",
            describe(&e),
            e.line(),
            e.column()
        ))
    })?;
    // 4. Every field must be valid.
    let report = parse(request)?;
    // 5. Seal and store; the receipt is shown once and never stored.
    let receipt = reports::submit(&state.db, &state.files, &state.instance_key, report).await?;
    state.metrics.reports_received.inc();
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "receipt": receipt.as_str() })),
    ))
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
    let answers = check_answers(&request.answers);
    let contact = match &request.contact {
        None | Some(serde_json::Value::Null) | Some(serde_json::Value::Object(_)) => Ok(()),
        Some(_) => Err(DomainError::invalid("contact", "invalid-contact")),
    };
    match (category, country, language, answers, contact) {
        (Ok(category), Ok(country), Ok(language), Ok(()), Ok(())) => Ok(NewReport {
            category,
            country,
            language,
            content: ReportContent {
                answers: request.answers,
                contact: request.contact.filter(|c| !c.is_null()),
            },
            attachments: Vec::new(),
        }),
        (a, b, c, d, e) => Err(DomainError::collect(
            [a.err(), b.err(), c.err(), d.err(), e.err()]
                .into_iter()
                .flatten(),
        )
        .unwrap_or(DomainError::invalid("report", "invalid-report"))),
    }
}

fn check_answers(answers: &serde_json::Map<String, serde_json::Value>) -> Result<(), DomainError> {
    if answers.len() > MAX_ANSWERS {
        return Err(DomainError::invalid("answers", "invalid-answers-count"));
    }
    for (id, value) in answers {
        if id.is_empty() || id.len() > 100 {
            return Err(DomainError::invalid("answers", "invalid-answer-id"));
        }
        let ok = match value {
            serde_json::Value::String(s) => s.chars().count() <= MAX_ANSWER_CHARS,
            serde_json::Value::Bool(_) | serde_json::Value::Number(_) => true,
            serde_json::Value::Array(items) => {
                items.len() <= 100
                    && items.iter().all(|i| {
                        i.as_str()
                            .is_some_and(|s| s.chars().count() <= MAX_ANSWER_CHARS)
                    })
            }
            _ => false,
        };
        if !ok {
            return Err(DomainError::invalid("answers", "invalid-answer-value"));
        }
    }
    Ok(())
}
