//! The one error type of the web layer and its mapping to HTTP responses.
//! Clients get a short, generic message; the full chain goes to the log
//! (never with report content: domain errors do not carry any).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::domain::{DomainError, FieldError};
use crate::web::templates::{ErrorPage, render};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("{0}")]
    BadRequest(String),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn status_code(&self) -> StatusCode {
        match self {
            AppError::Domain(e) => match e {
                DomainError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                DomainError::NotOpen => StatusCode::SERVICE_UNAVAILABLE,
                DomainError::AlreadySetUp | DomainError::Conflict(_) => StatusCode::CONFLICT,
                DomainError::InvalidSetupLink | DomainError::NotFound => StatusCode::NOT_FOUND,
                DomainError::WrongCredentials => StatusCode::UNAUTHORIZED,
                DomainError::Forbidden => StatusCode::FORBIDDEN,
                DomainError::Storage(_) | DomainError::Vault(_) => {
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            },
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the client may read: internal details stay in the log.
    pub fn public_message(&self) -> String {
        if self.status_code().is_server_error()
            && !matches!(self, AppError::Domain(DomainError::NotOpen))
        {
            "Something went wrong on our side. Please try again in a few minutes.".into()
        } else {
            self.to_string()
        }
    }

    fn fields(&self) -> &[FieldError] {
        match self {
            AppError::Domain(DomainError::Invalid(fields)) => fields,
            _ => &[],
        }
    }

    fn log(&self) {
        // "Not open yet" is an expected answer before setup, not a failure.
        if self.status_code().is_server_error()
            && !matches!(self, AppError::Domain(DomainError::NotOpen))
        {
            tracing::error!(error = ?self, "request failed");
        }
    }
}

/// HTML pages render the error page.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status_code();
        let page = ErrorPage {
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            message: self.public_message(),
        };
        (status, render(&page)).into_response()
    }
}

/// The API's form of the same error: `{"error": "...", "fields": [...]}`.
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let error = self.0;
        error.log();
        let fields: Vec<_> = error
            .fields()
            .iter()
            .map(|f| serde_json::json!({ "field": f.field, "message": f.message }))
            .collect();
        let mut body = serde_json::json!({ "error": error.public_message() });
        if !fields.is_empty() {
            body["fields"] = fields.into();
        }
        (error.status_code(), Json(body)).into_response()
    }
}
