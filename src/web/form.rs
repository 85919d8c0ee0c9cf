//! Reading `multipart/form-data` posts (the report form, and the API's
//! reports with files) within limits, into text fields and files; and
//! url-encoded forms whose fields repeat ([`Fields`]).

use axum::extract::Multipart;

use crate::domain::DomainError;
use crate::domain::reports::NewAttachment;
use crate::web::error::AppError;

/// Longest text field accepted (a long answer, or the sealed draft).
const MAX_FIELD_BYTES: usize = 5 * 1024 * 1024;
/// Most text fields in one post.
const MAX_FIELDS: usize = 400;

/// A posted form: text fields in order, and files.
pub struct FormData {
    fields: Vec<(String, String)>,
    pub files: Vec<NewAttachment>,
}

impl FormData {
    /// Reads the form within the configured file limits.
    pub async fn read(
        mut multipart: Multipart,
        settings: &crate::config::Settings,
    ) -> Result<Self, AppError> {
        let (max_files, max_file_bytes) = (settings.max_files, settings.max_file_mb * 1024 * 1024);
        let bad = |what: &str| AppError::BadRequest(format!("the form could not be read: {what}"));
        let mut fields = Vec::new();
        let mut files = Vec::new();
        while let Some(mut field) = multipart.next_field().await.map_err(|e| match e.status() {
            axum::http::StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
            _ => bad("malformed multipart body"),
        })? {
            let name = field.name().unwrap_or_default().to_string();
            if name == "file" {
                let file_name = field.file_name().unwrap_or_default().to_string();
                let content_type = field
                    .content_type()
                    .unwrap_or("application/octet-stream")
                    .to_string();
                let mut bytes = Vec::new();
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|_| bad("a file was cut short"))?
                {
                    if bytes.len() + chunk.len() > max_file_bytes {
                        return Err(AppError::Domain(DomainError::invalid(
                            "file",
                            "invalid-file-too-large",
                        )));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                // An empty file input sends a part with no name and no bytes.
                if bytes.is_empty() && file_name.is_empty() {
                    continue;
                }
                if files.len() == max_files {
                    return Err(AppError::Domain(DomainError::invalid(
                        "file",
                        "invalid-too-many-files",
                    )));
                }
                files.push(NewAttachment {
                    file_name,
                    content_type,
                    bytes,
                });
            } else {
                let mut bytes = Vec::new();
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|_| bad("a field was cut short"))?
                {
                    if bytes.len() + chunk.len() > MAX_FIELD_BYTES {
                        return Err(AppError::TooLarge);
                    }
                    bytes.extend_from_slice(&chunk);
                }
                let text =
                    String::from_utf8(bytes).map_err(|_| bad("a field is not valid UTF-8"))?;
                if fields.len() == MAX_FIELDS {
                    return Err(bad("too many fields"));
                }
                fields.push((name, text));
            }
        }
        Ok(Self { fields, files })
    }

    /// The first value of a field.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a field (checkboxes).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// A url-encoded form whose fields may repeat (a list of checkboxes), which
/// `axum::Form` cannot read into a struct.
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of a field, or "".
    pub fn text(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of a field, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for Fields {
    type Rejection = AppError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        let axum::Form(pairs): axum::Form<Vec<(String, String)>> =
            axum::Form::from_request(request, state)
                .await
                .map_err(|_| AppError::BadRequest("the form could not be read".into()))?;
        Ok(Self(pairs))
    }
}
