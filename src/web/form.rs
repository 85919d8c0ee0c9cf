//! Reading `multipart/form-data` posts (the report form, and the API's
//! reports with files) within limits, into text fields and files; and
//! url-encoded forms whose fields repeat ([`Fields`]).

use axum::extract::{FromRequest, Multipart, Request};

use crate::domain::DomainError;
use crate::domain::uploads::{NewAttachment, Spool, SpoolWriter, Upload};
use crate::web::AppState;
use crate::web::error::AppError;
use crate::web::intake_gate::BodyRoom;

/// Longest text field accepted (a long answer, or the sealed draft).
const MAX_FIELD_BYTES: usize = 5 * 1024 * 1024;
/// Most bytes of text fields in one post, together: they are held in memory.
const MAX_TEXT_BYTES: usize = 8 * 1024 * 1024;
/// Most text fields in one post.
const MAX_FIELDS: usize = 400;
/// Files up to this size are held in memory (their bytes count in the
/// intake budget); larger ones go to the spool.
const IN_MEMORY_FILE_BYTES: usize = 1024 * 1024;

/// A posted form: text fields in order, and files. Files larger than 1 MiB
/// are never held whole in memory: each goes to the spool as it arrives
/// (see `domain::uploads::spool`), and its bytes leave the intake budget.
pub struct FormData {
    fields: Vec<(String, String)>,
    pub files: Vec<NewAttachment>,
}

impl FromRequest<AppState> for FormData {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, AppError> {
        Self::read_request(request, state).await
    }
}

impl FormData {
    /// Reads a `multipart/form-data` request within the configured limits.
    pub async fn read_request(request: Request, state: &AppState) -> Result<Self, AppError> {
        let room = request.extensions().get::<BodyRoom>().cloned();
        let multipart = Multipart::from_request(request, state).await.map_err(|_| {
            AppError::BadRequest("the form could not be read: not a multipart body".into())
        })?;
        Self::read(multipart, &state.settings, &state.spool, room).await
    }

    /// Reads a form; `room` is the request's room in the intake budget,
    /// given back as files go to the spool.
    pub async fn read(
        mut multipart: Multipart,
        settings: &crate::config::Settings,
        spool: &Spool,
        room: Option<BodyRoom>,
    ) -> Result<Self, AppError> {
        let (max_files, max_file_bytes) = (
            settings.max_files,
            (settings.max_file_mb * 1024 * 1024) as u64,
        );
        let bad = |what: &str| AppError::BadRequest(format!("the form could not be read: {what}"));
        let too_large = || AppError::Domain(DomainError::invalid("file", "invalid-file-too-large"));
        let too_many = || AppError::Domain(DomainError::invalid("file", "invalid-too-many-files"));
        let mut fields = Vec::new();
        let mut text_bytes = 0;
        let mut files = Vec::new();
        // File bytes written to the spool so far, in the whole body.
        let mut spooled = 0u64;
        while let Some(mut field) = multipart.next_field().await.map_err(|e| match e.status() {
            axum::http::StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
            _ => bad("malformed multipart body"),
        })? {
            let name = field.name().unwrap_or_default().to_string();
            if name == "file" {
                let file_name = field.file_name().unwrap_or_default().to_string();
                // Small files stay in memory (within the intake budget);
                // a larger one goes to the spool once it passes the limit.
                let mut memory: Vec<u8> = Vec::new();
                let mut part: Option<SpoolWriter> = None;
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|_| bad("a file was cut short"))?
                {
                    let received = memory.len() as u64 + part.as_ref().map_or(0, SpoolWriter::len);
                    // Refused before its bytes are kept, not after.
                    if received == 0 && files.len() == max_files {
                        return Err(too_many());
                    }
                    if received + chunk.len() as u64 > max_file_bytes {
                        return Err(too_large());
                    }
                    let writer = match part.as_mut() {
                        None if memory.len() + chunk.len() <= IN_MEMORY_FILE_BYTES => {
                            memory.extend_from_slice(&chunk);
                            continue;
                        }
                        None => {
                            let writer = part.insert(spool.writer().await?);
                            writer.write(&std::mem::take(&mut memory)).await?;
                            spooled += writer.len();
                            writer
                        }
                        Some(writer) => writer,
                    };
                    writer.write(&chunk).await?;
                    spooled += chunk.len() as u64;
                    if let Some(room) = &room {
                        room.written_out(spooled);
                    }
                }
                let content = match part {
                    Some(writer) => Upload::Spooled(writer.finish().await?),
                    // An empty file input sends a part with no name and no bytes.
                    None if memory.is_empty() && file_name.is_empty() => continue,
                    None => Upload::Memory(memory),
                };
                if files.len() == max_files {
                    return Err(too_many());
                }
                files.push(NewAttachment { file_name, content });
            } else {
                let mut bytes = Vec::new();
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|_| bad("a field was cut short"))?
                {
                    text_bytes += chunk.len();
                    if bytes.len() + chunk.len() > MAX_FIELD_BYTES || text_bytes > MAX_TEXT_BYTES {
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
