//! The one error type of the web layer and its mapping to HTTP responses.
//!
//! Clients get a short, translated message; the full chain goes to the log
//! (never with report content: domain errors do not carry any). HTML error
//! pages are rendered by `web::layers::render_error_pages`, which knows the
//! visitor's language; the API answers JSON in English with stable codes.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::domain::{DomainError, FieldError};
use crate::i18n::english;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The request could not be read; the text says why (never echoing content).
    #[error("{0}")]
    BadRequest(String),
    #[error("{}", english("error-too-large"))]
    TooLarge,
    #[error("{}", english("error-not-found"))]
    NotFound,
    /// Too much is being received at once: come back in a few seconds.
    #[error("{}", english("error-busy"))]
    Busy,
    /// Over a rate limit; the number is the seconds to wait.
    #[error("{}", english("error-rate-limited"))]
    RateLimited(u64),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Left in a response's extensions for the error-page renderer.
#[derive(Clone, Debug)]
pub struct PageError {
    pub title_id: &'static str,
    pub message_id: &'static str,
}

impl AppError {
    pub fn status_code(&self) -> StatusCode {
        match self {
            AppError::Domain(e) => match e {
                DomainError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                DomainError::NotOpen | DomainError::KeyNotTrusted | DomainError::Busy => {
                    StatusCode::SERVICE_UNAVAILABLE
                }
                DomainError::AlreadySetUp | DomainError::Conflict(_) | DomainError::AlreadySent => {
                    StatusCode::CONFLICT
                }
                DomainError::InvalidSetupLink
                | DomainError::InvalidLink
                | DomainError::NotFound => StatusCode::NOT_FOUND,
                DomainError::WrongCredentials => StatusCode::UNAUTHORIZED,
                DomainError::Forbidden | DomainError::NoAccess => StatusCode::FORBIDDEN,
                DomainError::Locked => StatusCode::TOO_MANY_REQUESTS,
                DomainError::Storage(e) if e.is_transient() => StatusCode::SERVICE_UNAVAILABLE,
                DomainError::Storage(e) if e.is_unstorable_input() => StatusCode::BAD_REQUEST,
                DomainError::Storage(_) | DomainError::Vault(_) | DomainError::Unaudited => {
                    StatusCode::INTERNAL_SERVER_ERROR
                }
                DomainError::Delivery(_) => StatusCode::BAD_GATEWAY,
            },
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The translated message for people.
    pub fn message_id(&self) -> &'static str {
        match self {
            AppError::Domain(e) => e.message_id(),
            AppError::BadRequest(_) => "error-bad-request",
            AppError::TooLarge => "error-too-large",
            AppError::NotFound => "error-not-found",
            AppError::RateLimited(_) => "error-rate-limited",
            AppError::Busy => "error-busy",
            AppError::Internal(_) => "error-internal",
        }
    }

    fn title_id(&self) -> &'static str {
        match self.status_code() {
            StatusCode::NOT_FOUND => "title-not-found",
            StatusCode::SERVICE_UNAVAILABLE => "title-unavailable",
            s if s.is_server_error() => "title-error",
            _ => "title-problem",
        }
    }

    fn add_headers(&self, response: &mut Response) {
        let seconds = match self {
            AppError::RateLimited(seconds) => Some(*seconds),
            AppError::Domain(DomainError::Storage(e)) if e.is_transient() => Some(5),
            AppError::Busy | AppError::Domain(DomainError::Busy) => Some(5),
            _ => None,
        };
        if let Some(seconds) = seconds
            && let Ok(value) = axum::http::HeaderValue::from_str(&seconds.to_string())
        {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, value);
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

/// HTML pages: the status and what to say; the page itself is rendered in the
/// visitor's language by `web::layers::render_error_pages`.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let mut response = (self.status_code(), english(self.message_id())).into_response();
        self.add_headers(&mut response);
        response.extensions_mut().insert(PageError {
            title_id: self.title_id(),
            message_id: self.message_id(),
        });
        response
    }
}

impl AppError {
    /// The answer for a request to `path`: JSON under `/api/`, a page
    /// elsewhere (for middleware, which answers before any handler chose).
    pub fn into_response_for(self, path: &str) -> Response {
        match path.starts_with("/api/") {
            true => ApiError(self).into_response(),
            false => self.into_response(),
        }
    }
}

/// The API's form of the same error:
/// `{"error": "...", "code": "...", "fields": [{"field", "code", "message"}]}`.
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
        let message = match &error {
            AppError::BadRequest(detail) => detail.clone(),
            other => english(other.message_id()),
        };
        let mut body = serde_json::json!({ "error": message, "code": error.message_id() });
        let fields: Vec<_> = error
            .fields()
            .iter()
            .map(
                |f| serde_json::json!({ "field": f.field, "code": f.code, "message": english(f.code) }),
            )
            .collect();
        if !fields.is_empty() {
            body["fields"] = fields.into();
        }
        let mut response = (error.status_code(), Json(body)).into_response();
        error.add_headers(&mut response);
        response
    }
}
