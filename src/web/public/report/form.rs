//! Reading the report form (always `multipart/form-data`, so the last step
//! can carry files) and applying one step's fields to the draft.

use axum::extract::Multipart;
use serde_json::Value;

use super::flow::{Step, questionnaire_of};
use crate::domain::draft::Draft;
use crate::domain::questionnaire::{self, QuestionType};
use crate::domain::reports::{Category, Contact, NewAttachment};
use crate::domain::values::CountryCode;
use crate::domain::{DomainError, FieldError};
use crate::error::AppError;

/// Longest text field accepted (a long answer, or the sealed draft).
const MAX_FIELD_BYTES: usize = 512 * 1024;
/// Most text fields in one post.
const MAX_FIELDS: usize = 400;

/// A posted form: text fields in order, and files.
pub struct FormData {
    fields: Vec<(String, String)>,
    pub files: Vec<NewAttachment>,
}

impl FormData {
    pub async fn read(
        mut multipart: Multipart,
        max_files: usize,
        max_file_bytes: usize,
    ) -> Result<Self, AppError> {
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

/// Applies one step's fields to the draft, or says what to correct.
pub fn apply_step(draft: &mut Draft, step: &Step, form: &FormData) -> Result<(), Vec<FieldError>> {
    let one = |e: DomainError| match e {
        DomainError::Invalid(fields) => fields,
        other => vec![FieldError {
            field: "form",
            code: other.message_id(),
        }],
    };
    match step {
        Step::Category => {
            let category =
                Category::parse(form.text("category").unwrap_or_default()).map_err(one)?;
            let q = questionnaire::for_category(category.as_str())
                .ok_or_else(|| one(DomainError::invalid("category", "invalid-category")))?;
            // Keep the answers that the new category also asks for.
            draft.answers.retain(|id, _| q.question(id).is_some());
            draft.category = Some(category.as_str().to_string());
        }
        Step::Country => {
            let country =
                CountryCode::parse(form.text("country").unwrap_or_default()).map_err(one)?;
            draft.country = Some(country.as_str().to_string());
        }
        Step::Page(index) => {
            let q = questionnaire_of(draft)
                .ok_or_else(|| one(DomainError::invalid("category", "invalid-category")))?;
            let page = &q.pages[*index];
            let mut submitted = questionnaire::Answers::new();
            for question in &page.questions {
                let name = format!("q.{}", question.id);
                let value = match question.kind {
                    QuestionType::Choices => Value::from(
                        form.all(&name)
                            .into_iter()
                            .map(str::to_string)
                            .collect::<Vec<_>>(),
                    ),
                    _ => Value::from(form.text(&name).unwrap_or_default()),
                };
                submitted.insert(question.id.clone(), value);
            }
            let (clean, errors) = q.normalise(&submitted);
            // What was typed is kept, so a page with errors shows it again.
            for question in &page.questions {
                match clean
                    .get(&question.id)
                    .or_else(|| submitted.get(&question.id).filter(|_| !errors.is_empty()))
                {
                    Some(v) => draft.answers.insert(question.id.clone(), v.clone()),
                    None => draft.answers.remove(&question.id),
                };
            }
            let mut errors = errors;
            for question in &page.questions {
                if question.required
                    && q.is_shown(question, &draft.answers)
                    && !clean.contains_key(&question.id)
                    && !errors.iter().any(|e| e.field == question.id)
                {
                    errors.push(FieldError {
                        field: question.id.as_str(),
                        code: "invalid-required",
                    });
                }
            }
            if !errors.is_empty() {
                return Err(errors);
            }
        }
        Step::Contact => {
            let leave = form.text("contact_choice") == Some("contact");
            if form.text("contact_choice").is_none() {
                return Err(vec![FieldError {
                    field: "contact_choice",
                    code: "invalid-contact-choice",
                }]);
            }
            draft.contact = if leave {
                let contact = Contact::parse(
                    form.text("contact_email"),
                    form.text("contact_phone"),
                    form.text("may_contact") == Some("yes"),
                )
                .map_err(one)?;
                if contact.is_none() {
                    return Err(vec![FieldError {
                        field: "contact_email",
                        code: "invalid-contact-missing",
                    }]);
                }
                contact
            } else {
                None
            };
            draft.contact_done = true;
        }
        Step::Check => {}
    }
    Ok(())
}
