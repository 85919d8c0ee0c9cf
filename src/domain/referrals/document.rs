//! The referral document: what a referral says, for machines (JSON, with a
//! published schema: `docs/referral.schema.json`, served at
//! `/api/v1/referral.schema.json`) and, rendered, for people (PDF).
//! Texts are in English, whatever the reporter's language; the answers keep
//! their codes beside the English words.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::cases::codes::{Priority, reference};
use crate::domain::questionnaire::{self, QuestionType};
use crate::domain::reports::{AttachmentMetadata, ReportContent};
use crate::domain::time::rfc3339;
use crate::i18n::{country_name, english};
use crate::storage::cases::CaseRow;
use crate::storage::recipients::RecipientRow;

/// Where the schema is published.
pub const SCHEMA_URL: &str =
    "https://github.com/ecpat-luxembourg/ward/blob/main/docs/referral.schema.json";
/// The schema itself.
pub const SCHEMA: &str = include_str!("../../../docs/referral.schema.json");

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferralDocument {
    #[serde(rename = "$schema")]
    pub schema: String,
    pub format: String,
    pub version: u32,
    pub referral: ReferralInfo,
    pub from: Party,
    pub to: Addressee,
    pub case: CaseInfo,
    pub summary: String,
    pub answers: Vec<Answer>,
    /// Only when the reporter agreed that the authorities may contact them.
    pub contact: Option<ContactInfo>,
    pub attachments: Vec<FileInfo>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferralInfo {
    pub id: String,
    pub created_at: String,
    pub channel: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    pub country: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Addressee {
    pub name: String,
    pub country: String,
    pub kind: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseInfo {
    pub reference: String,
    pub received_at: String,
    pub category: String,
    pub reported_category: String,
    pub country: String,
    pub language: String,
    pub status: String,
    pub assessment: AssessmentInfo,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssessmentInfo {
    pub legal: Option<String>,
    pub classification: Option<String>,
    pub age_band: Option<String>,
    pub gender: Option<String>,
    pub priority: String,
    pub urgent: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// The question's id in the questionnaire.
    pub id: String,
    /// The question, in English.
    pub question: String,
    /// The answer as stored (codes for choices).
    pub value: Value,
    /// The answer in English words, one line each.
    pub text: Vec<String>,
    /// The title, in English, of the questionnaire's page that asks it
    /// (answers come in the questionnaire's order, page by page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
}

impl ReferralDocument {
    /// The answers grouped by the page that asks them, in order.
    pub fn answer_groups(&self) -> Vec<(Option<&str>, Vec<&Answer>)> {
        let mut groups: Vec<(Option<&str>, Vec<&Answer>)> = Vec::new();
        for answer in &self.answers {
            match groups.last_mut() {
                Some((page, answers)) if *page == answer.page.as_deref() => answers.push(answer),
                _ => groups.push((answer.page.as_deref(), vec![answer])),
            }
        }
        groups
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContactInfo {
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileInfo {
    pub file_name: String,
    pub content_type: String,
    pub size: u64,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

/// What goes into a referral, chosen by the analyst.
pub struct Contents<'a> {
    pub id: &'a str,
    pub created_at: i64,
    pub channel: &'a str,
    pub organisation: (&'a str, &'a str),
    pub recipient: &'a RecipientRow,
    pub case: &'a CaseRow,
    pub content: &'a ReportContent,
    pub summary: &'a str,
    /// Question ids to include.
    pub answers: &'a [String],
    pub include_contact: bool,
    pub files: Vec<(AttachmentMetadata, String)>,
}

/// Builds the document from what the analyst chose.
pub fn build(c: Contents<'_>) -> ReferralDocument {
    let case = c.case;
    let reported = case
        .reported_category
        .clone()
        .unwrap_or_else(|| case.category.clone());
    let questionnaire = questionnaire::for_category(&reported);
    // The questionnaire's order: page by page, question by question; an
    // answer it does not ask (an older questionnaire's) comes last.
    let position = |id: &str| {
        questionnaire
            .and_then(|q| {
                q.pages.iter().enumerate().find_map(|(p, page)| {
                    let i = page.questions.iter().position(|x| x.id == id)?;
                    Some((p, i, english(&format!("page-{}", page.id))))
                })
            })
            .map_or((usize::MAX, 0, None), |(p, i, title)| (p, i, Some(title)))
    };
    let mut answers: Vec<((usize, usize), Answer)> = c
        .content
        .answers
        .iter()
        .filter(|(id, _)| c.answers.contains(id))
        .map(|(id, value)| {
            let question = questionnaire.and_then(|q| q.question(id));
            let (page, index, page_title) = position(id);
            let answer = Answer {
                id: id.clone(),
                question: question
                    .map(|_| english(&format!("q-{id}")))
                    .unwrap_or_else(|| id.clone()),
                text: words(question.map(|q| q.kind), id, value),
                value: value.clone(),
                page: page_title,
            };
            ((page, index), answer)
        })
        .collect();
    answers.sort_by(|(a, x), (b, y)| a.cmp(b).then_with(|| x.id.cmp(&y.id)));
    let answers = answers.into_iter().map(|(_, answer)| answer).collect();
    let contact = c
        .content
        .contact
        .as_ref()
        .filter(|contact| c.include_contact && contact.may_contact)
        .map(|contact| ContactInfo {
            email: contact.email.clone(),
            phone: contact.phone.clone(),
        });
    ReferralDocument {
        schema: SCHEMA_URL.into(),
        format: "ward-referral".into(),
        version: 1,
        referral: ReferralInfo {
            id: c.id.into(),
            created_at: rfc3339(c.created_at),
            channel: c.channel.into(),
        },
        from: Party {
            name: c.organisation.0.into(),
            country: c.organisation.1.into(),
        },
        to: Addressee {
            name: c.recipient.name.clone(),
            country: c.recipient.country.clone(),
            kind: c.recipient.kind.clone(),
        },
        case: CaseInfo {
            reference: reference(&case.id),
            received_at: rfc3339(case.created_at),
            category: case.category.clone(),
            reported_category: reported,
            country: case.country.clone(),
            language: case.language.clone(),
            status: case.status.clone(),
            assessment: AssessmentInfo {
                legal: case.legal_assessment.clone(),
                classification: case.material_classification.clone(),
                age_band: case.age_band.clone(),
                gender: case.child_gender.clone(),
                priority: Priority::from_level(case.priority).as_str().into(),
                urgent: case.urgent != 0,
            },
        },
        summary: c.summary.trim().into(),
        answers,
        contact,
        attachments: c
            .files
            .into_iter()
            .map(|(m, sha256)| FileInfo {
                file_name: m.file_name,
                content_type: m.content_type,
                size: m.size,
                sha256,
            })
            .collect(),
    }
}

/// An answer in English words: choices by their labels, countries by name.
fn words(kind: Option<QuestionType>, id: &str, value: &Value) -> Vec<String> {
    let word = |v: &str| match kind {
        Some(QuestionType::Choice | QuestionType::Choices) => english(&format!("opt-{id}-{v}")),
        Some(QuestionType::Country) => country_name("en", v),
        _ => v.to_string(),
    };
    match value {
        Value::String(s) => vec![word(s)],
        Value::Array(items) => items.iter().filter_map(Value::as_str).map(word).collect(),
        Value::Null => Vec::new(),
        other => vec![other.to_string()],
    }
}

/// English words for the document's codes, for the PDF.
pub fn label(prefix: &str, code: &str) -> String {
    english(&format!("{prefix}{code}"))
}
