//! The domain: what Ward does, with no knowledge of HTTP or of the command line.

pub mod accounts;
pub mod actor;
pub mod audit;
pub mod cases;
pub mod change;
pub mod countries;
pub mod directory;
pub mod draft;
pub mod followup;
pub mod inbox;
pub mod key_bindings;
pub mod leftovers;
pub mod members;
pub mod network;
pub mod passwords;
pub mod portal_accounts;
pub mod questionnaire;
pub mod receipts;
pub mod recipients;
pub mod recovery_codes;
pub mod referrals;
pub mod reports;
pub mod sessions;
pub mod setup;
pub mod sign_in_guard;
pub mod time;
pub mod totp;
pub mod uploads;
pub mod values;

use crate::storage::StorageError;
use crate::vault::{InstanceKey, VaultError};

/// The handles a [`Context`] is made of, for the layers above, which hold
/// them without reaching into storage.
pub use crate::storage::{Database, FileStore};

/// What the domain works with: the database, the file store and the instance key.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub db: &'a Database,
    pub files: &'a FileStore,
    pub key: &'a InstanceKey,
    pub unknown_sign_ins: &'a sign_in_guard::UnknownSignIns,
}

/// A field the user must correct. `code` is the id of a translated message
/// (`locales/*/errors.ftl`), so each interface shows it in its reader's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
}

/// What went wrong, as a code: its text is the id of the message that
/// explains it (`locales/*/errors.ftl`), for the logs; the web layer
/// (`web::error`) and the command line (`cli::explain`) show the message
/// itself, translated.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("{}", .0.iter().map(|e| format!("{}: {}", e.field, e.code)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("error-not-open")]
    NotOpen,
    #[error("error-already-set-up")]
    AlreadySetUp,
    #[error("error-invalid-setup-link")]
    InvalidSetupLink,
    /// An invitation or password-reset link that is used, expired or unknown.
    #[error("error-invalid-link")]
    InvalidLink,
    #[error("error-wrong-credentials")]
    WrongCredentials,
    #[error("error-forbidden")]
    Forbidden,
    #[error("error-locked")]
    Locked,
    /// The member holds no grant to the organisation's key yet.
    #[error("error-no-access")]
    NoAccess,
    /// A key Ward would encrypt to was not set by Ward (see `key_bindings`).
    #[error("error-key-not-trusted")]
    KeyNotTrusted,
    #[error("error-not-found")]
    NotFound,
    /// Ward is at capacity for this now (room for files in flight); the
    /// request may be sent again shortly.
    #[error("error-busy")]
    Busy,
    /// This form's report is stored already (`NewReport::submission`).
    #[error("receipt-already-title")]
    AlreadySent,
    /// A referral could not be delivered (e-mail, OpenPGP, a package); the text says why.
    #[error("error-delivery: {0}")]
    Delivery(String),
    /// Something that must be unique already exists; the text is for the command line.
    #[error("{0}")]
    Conflict(String),
    /// A change about to be committed without its audit entry: a bug,
    /// refused rather than written.
    #[error("a change without an audit entry was refused")]
    Unaudited,
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("vault: {0}")]
    Vault(#[from] VaultError),
}

impl DomainError {
    /// One field to correct; `code` names a message in `locales/*/errors.ftl`.
    pub fn invalid(field: &'static str, code: &'static str) -> Self {
        Self::Invalid(vec![FieldError { field, code }])
    }

    /// Gathers several field results into one error listing every problem.
    pub fn collect(errors: impl IntoIterator<Item = DomainError>) -> Option<Self> {
        let fields: Vec<FieldError> = errors
            .into_iter()
            .flat_map(|e| match e {
                DomainError::Invalid(v) => v,
                other => vec![FieldError {
                    field: "form",
                    code: other.message_id(),
                }],
            })
            .collect();
        (!fields.is_empty()).then_some(Self::Invalid(fields))
    }

    /// The id of the translated message that explains this error to a person.
    pub fn message_id(&self) -> &'static str {
        match self {
            DomainError::Invalid(_) => "error-invalid",
            DomainError::NotOpen => "error-not-open",
            DomainError::AlreadySetUp => "error-already-set-up",
            DomainError::InvalidSetupLink => "error-invalid-setup-link",
            DomainError::InvalidLink => "error-invalid-link",
            DomainError::WrongCredentials => "error-wrong-credentials",
            DomainError::Forbidden => "error-forbidden",
            DomainError::Locked => "error-locked",
            DomainError::NoAccess => "error-no-access",
            DomainError::KeyNotTrusted => "error-key-not-trusted",
            DomainError::NotFound => "error-not-found",
            DomainError::Busy => "error-busy",
            DomainError::AlreadySent => "receipt-already-title",
            DomainError::Conflict(_) => "error-conflict",
            DomainError::Delivery(_) => "error-delivery",
            DomainError::Storage(e) if e.is_transient() => "error-busy",
            DomainError::Storage(e) if e.is_unstorable_input() => "error-bad-request",
            DomainError::Storage(_) | DomainError::Vault(_) | DomainError::Unaudited => {
                "error-internal"
            }
        }
    }
}

pub type DomainResult<T> = Result<T, DomainError>;

/// One page of a long list, and the cursor of the next page if there is one.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

/// Runs CPU-heavy work (Argon2, key generation) off the async executor.
pub(crate) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    // A job waits here, not in the pool's queue: blocking threads stay
    // free for file writes and the database's own work.
    let _permit = BLOCKING_PERMITS
        .acquire()
        .await
        .expect("the semaphore is never closed");
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

/// Domain jobs (sealing, key derivation, picture rewriting) on blocking
/// threads at once; `main` gives the runtime 8 such threads.
const BLOCKING_JOBS: usize = 6;
static BLOCKING_PERMITS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(BLOCKING_JOBS);
