//! The domain: what Ward does, with no knowledge of HTTP or of the command line.

pub mod accounts;
pub mod countries;
pub mod passwords;
pub mod receipts;
pub mod reports;
pub mod setup;
pub mod totp;
pub mod values;

use crate::storage::StorageError;
use crate::vault::VaultError;

/// A field the user must correct, with a message meant for them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("invalid input: {}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("reporting is not open yet: setup is not complete")]
    NotOpen,
    #[error("setup is already complete")]
    AlreadySetUp,
    #[error("this setup link is not valid: it was already used, has expired or never existed")]
    InvalidSetupLink,
    #[error("wrong e-mail address or password")]
    WrongCredentials,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("vault: {0}")]
    Vault(#[from] VaultError),
}

impl DomainError {
    pub fn invalid(field: &'static str, message: &str) -> Self {
        Self::Invalid(vec![FieldError {
            field,
            message: message.to_string(),
        }])
    }

    /// Gathers several field results into one error listing every problem.
    pub fn collect(errors: impl IntoIterator<Item = DomainError>) -> Option<Self> {
        let fields: Vec<FieldError> = errors
            .into_iter()
            .flat_map(|e| match e {
                DomainError::Invalid(v) => v,
                other => vec![FieldError {
                    field: "form",
                    message: other.to_string(),
                }],
            })
            .collect();
        (!fields.is_empty()).then_some(Self::Invalid(fields))
    }
}

pub type DomainResult<T> = Result<T, DomainError>;

/// Runs CPU-heavy work (Argon2, key generation) off the async executor.
pub(crate) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}
