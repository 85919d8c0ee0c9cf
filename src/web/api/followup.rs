//! The reporter's follow-up through the API, with the receipt code:
//! `POST /api/v1/follow-up` (status and messages) and
//! `POST /api/v1/follow-up/messages` (send more information).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::{DomainError, followup, setup};
use crate::i18n;
use crate::web::AppState;
use crate::web::error::{ApiError, AppError};
use crate::web::language::Lang;
use crate::web::rate_limit;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LookUp {
    receipt: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    receipt: String,
    message: String,
}

/// The report's status in plain words, and the conversation.
pub async fn status(
    State(state): State<AppState>,
    Lang(lang): Lang,
    client: rate_limit::Client,
    body: Result<Json<LookUp>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(request) = body.map_err(|e| {
        AppError::BadRequest(format!(
            "the body must be JSON {{\"receipt\": \"...\"}}: {}",
            e.body_text()
        ))
    })?;
    setup::ensure_open(state.ctx()).await?;
    rate_limit::check(&state.limits.lookups, &client)?;
    let view = followup::open(state.ctx(), &request.receipt)
        .await?
        .ok_or(DomainError::NotFound)?;
    let status_id = followup::status_message_id(view.status);
    Ok(Json(json!({
        "status": status_id.trim_start_matches("status-"),
        "status_text": i18n::text(lang.code, status_id),
        "messages": view.messages.iter().map(|m| json!({
            "from": if m.author == "analyst" { "hotline" } else { "reporter" },
            "body": m.body,
            "files": m.files,
            "created_at": m.created_at,
        })).collect::<Vec<_>>(),
    })))
}

/// Adds the reporter's message to the report.
pub async fn send(
    State(state): State<AppState>,
    client: rate_limit::Client,
    body: Result<Json<NewMessage>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let Json(request) = body.map_err(|e| {
        AppError::BadRequest(format!(
            "the body must be JSON {{\"receipt\": \"...\", \"message\": \"...\"}}: {}",
            e.body_text()
        ))
    })?;
    setup::ensure_open(state.ctx()).await?;
    rate_limit::check(&state.limits.lookups, &client)?;
    let _place = state.intake.place().await?;
    followup::add_information(state.ctx(), &request.receipt, &request.message, Vec::new()).await?;
    Ok((StatusCode::CREATED, Json(json!({ "sent": true }))))
}
