//! Applying one step's fields of the report form to the draft.

use serde_json::Value;

use super::flow::{Step, questionnaire_of};
use crate::domain::draft::Draft;
use crate::domain::questionnaire::{self, QuestionType};
use crate::domain::reports::{Category, Contact};
use crate::domain::values::CountryCode;
use crate::domain::{DomainError, FieldError};
use crate::web::form::FormData;

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
