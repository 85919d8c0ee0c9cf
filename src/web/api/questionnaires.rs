//! `GET /api/v1/questionnaires` and `GET /api/v1/questionnaires/{category}`:
//! the questions of each category, with labels in the requested language
//! (`?lang=xx`, else `Accept-Language`).

use axum::Json;
use axum::extract::Path;
use serde_json::{Value, json};

use crate::domain::DomainError;
use crate::domain::questionnaire::{self, Question};
use crate::i18n::{self, LANGUAGES};
use crate::web::error::ApiError;
use crate::web::language::Lang;

/// The categories a report can have.
pub async fn list(Lang(lang): Lang) -> Json<Value> {
    let categories: Vec<Value> = questionnaire::all()
        .iter()
        .map(|q| {
            let mut c = json!({
                "id": q.category,
                "label": i18n::text(lang.code, &format!("cat-{}", q.category)),
            });
            if let Some(hint) = optional_text(lang.code, &format!("cat-{}-hint", q.category)) {
                c["hint"] = hint.into();
            }
            c
        })
        .collect();
    let languages: Vec<&str> = LANGUAGES.iter().map(|l| l.code).collect();
    Json(json!({ "language": lang.code, "languages": languages, "categories": categories }))
}

/// One category's questionnaire.
pub async fn get(Lang(lang): Lang, Path(category): Path<String>) -> Result<Json<Value>, ApiError> {
    let q = questionnaire::for_category(&category).ok_or(DomainError::NotFound)?;
    let pages: Vec<Value> = q
        .pages
        .iter()
        .map(|page| {
            json!({
                "id": page.id,
                "title": i18n::text(lang.code, &format!("page-{}", page.id)),
                "questions": page.questions.iter().map(|question| describe(lang.code, question)).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(Json(json!({
        "category": q.category,
        "language": lang.code,
        "label": i18n::text(lang.code, &format!("cat-{}", q.category)),
        "pages": pages,
    })))
}

fn describe(lang: &str, question: &Question) -> Value {
    let mut q = json!({
        "id": question.id,
        "type": question.kind,
        "required": question.required,
        "label": i18n::text(lang, &format!("q-{}", question.id)),
    });
    if let Some(hint) = optional_text(lang, &format!("q-{}-hint", question.id)) {
        q["hint"] = hint.into();
    }
    if !question.options.is_empty() {
        q["options"] = question
            .options
            .iter()
            .map(|o| json!({ "id": o, "label": i18n::text(lang, &format!("opt-{}-{o}", question.id)) }))
            .collect::<Vec<_>>()
            .into();
    }
    if let Some(cond) = &question.show_if {
        q["show_if"] = json!({ "question": cond.question, "any_of": cond.any_of });
    }
    q
}

/// A message that may not exist (hints are optional).
pub fn optional_text(lang: &str, id: &str) -> Option<String> {
    let text = i18n::text(lang, id);
    (text != id).then_some(text)
}
