//! `GET /admin/reports/{report}`: the case view. Every answer decrypted for
//! the member, the attachments (images as blurred previews), the
//! conversation with the reporter, internal notes, and the forms of
//! casework. Forms that fail come back here with their errors.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::domain::FieldError;
use crate::domain::actor::Permission;
use crate::domain::cases::codes::{
    AgeBand, ClosingReason, Gender, LegalAssessment, MaterialClassification, Priority, Status,
};
use crate::domain::cases::{self, CaseView};
use crate::domain::questionnaire;
use crate::domain::reports::CATEGORIES;
use crate::i18n;
use crate::web::AppState;
use crate::web::backoffice::inbox::{codes, language_name};
use crate::web::backoffice::page::{
    Choice, Frame, choices, coded_choices, form_status, framed, notice,
};
use crate::web::backoffice::session::Member;
use crate::web::error::AppError;
use crate::web::public::followup::format_date;
use crate::web::public::report::views::{contact_lines, display_answer};
use crate::web::templates::{MessageView, Tr, render};

pub use super::referral_section::Referrals;

/// Notices a redirect back to the case view may ask for.
const NOTICES: &[&str] = &[
    "assessment-saved",
    "status-changed",
    "case-closed",
    "case-reopened",
    "assigned",
    "labels-changed",
    "note-added",
    "links-changed",
    "message-sent",
    "referral-prepared",
    "referral-failed",
    "referral-sent",
    "referral-acknowledged",
    "referral-outcome-recorded",
    "case-transferred",
];

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CaseQuery {
    notice: String,
    /// The attachment just revealed, and the pass that lets it load.
    shown: String,
    pass: String,
}

pub struct AnswerSection {
    pub title: String,
    pub rows: Vec<AnswerRow>,
}

pub struct AnswerRow {
    /// The question's id (the referral form chooses answers by it).
    pub id: String,
    pub label: String,
    pub values: Vec<String>,
}

pub struct FileView {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub size: String,
    pub date: String,
    pub is_image: bool,
    pub with_message: bool,
    /// The pass of a revealed image.
    pub pass: Option<String>,
}

pub struct NoteView {
    pub author: String,
    pub date: String,
    pub body: String,
}

pub struct LinkView {
    pub id: String,
    pub reference: String,
    pub kind: String,
    pub status: String,
    pub category: String,
}

#[derive(Template)]
#[template(path = "backoffice/case.html")]
pub struct CasePage {
    pub frame: Frame,
    pub id: String,
    pub reference: String,
    pub status: String,
    pub is_closed: bool,
    pub closing_reason: Option<String>,
    pub received: String,
    pub category: String,
    pub reported_category: Option<String>,
    pub country: String,
    pub language: String,
    pub assignee: Option<String>,
    pub priority: String,
    pub urgent: bool,
    pub urgent_reason: Option<String>,
    pub legal: Option<String>,
    pub classification: Option<String>,
    pub age_band: Option<String>,
    pub gender: Option<String>,
    pub has_access: bool,
    pub answers: Vec<AnswerSection>,
    pub contact: Vec<String>,
    pub files: Vec<FileView>,
    pub messages: Vec<MessageView>,
    pub notes: Vec<NoteView>,
    pub labels: Vec<(String, String)>,
    pub links: Vec<LinkView>,
    pub can_assign: bool,
    pub can_close: bool,
    pub can_audit: bool,
    pub is_material: bool,
    pub categories: Vec<Choice>,
    pub countries: Vec<Choice>,
    pub legal_choices: Vec<Choice>,
    pub class_choices: Vec<Choice>,
    pub age_choices: Vec<Choice>,
    pub gender_choices: Vec<Choice>,
    pub priority_choices: Vec<Choice>,
    pub open_statuses: Vec<Choice>,
    pub closing_reasons: Vec<Choice>,
    pub members: Vec<Choice>,
    pub referrals: Referrals,
}

impl CasePage {
    pub fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }
}

/// `GET /admin/reports/{report}`
pub async fn get(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(report): Path<String>,
    Query(query): Query<CaseQuery>,
) -> Result<Response, AppError> {
    let notice = notice(tr, NOTICES, &query.notice);
    let reveal = (!query.shown.is_empty()).then_some((query.shown.as_str(), query.pass.as_str()));
    page(&state, tr, &member, &report, Vec::new(), notice, reveal).await
}

/// Renders the case view, with errors from a form (422) or without (200).
pub async fn page(
    state: &AppState,
    tr: Tr,
    member: &Member,
    report_id: &str,
    errors: Vec<FieldError>,
    notice: Option<String>,
    reveal: Option<(&str, &str)>,
) -> Result<Response, AppError> {
    let actor = &member.session.actor;
    let view = cases::open(state.ctx(), actor, report_id).await?;
    let status = form_status(&errors);
    let referrals = Referrals::of_case(state, tr, actor, &view).await?;
    let page = case_page(tr, member, view, errors, notice, reveal, referrals);
    Ok((status, render(&page)).into_response())
}

fn case_page(
    tr: Tr,
    member: &Member,
    view: CaseView,
    errors: Vec<FieldError>,
    notice: Option<String>,
    reveal: Option<(&str, &str)>,
    referrals: Referrals,
) -> CasePage {
    let actor = &member.session.actor;
    let c = &view.case;
    let opt = |prefix: &str, code: &Option<String>| {
        code.as_ref().map(|code| tr.t(&format!("{prefix}{code}")))
    };
    let reported = c
        .reported_category
        .clone()
        .unwrap_or_else(|| c.category.clone());
    let priority_code = c.priority.as_str();
    CasePage {
        frame: Frame::member(tr, member, "inbox")
            .with_errors(errors)
            .with_notice(notice),
        reference: view.reference.clone(),
        status: tr.t(&format!("case-status-{}", c.status.as_str())),
        is_closed: c.status == Status::Closed,
        closing_reason: opt("closing-", &c.closing_reason),
        received: format_date(c.created_at),
        category: tr.t(&format!("cat-{}", c.category)),
        reported_category: (reported != c.category).then(|| tr.t(&format!("cat-{reported}"))),
        country: i18n::country_name(tr.code(), &c.country),
        language: language_name(&c.language),
        assignee: view.assignee_email.clone(),
        priority: tr.t(&format!("priority-{priority_code}")),
        urgent: c.urgent,
        urgent_reason: view.urgent_reason.clone(),
        legal: opt("legal-", &c.legal_assessment),
        classification: opt("class-", &c.material_classification),
        age_band: opt("age-", &c.age_band),
        gender: opt("gender-", &c.child_gender),
        has_access: view.content.is_some(),
        answers: answers(tr, &reported, &view),
        contact: contact(tr, &view),
        files: view
            .attachments
            .iter()
            .map(|a| FileView {
                is_image: a.is_image(),
                pass: reveal
                    .filter(|(shown, _)| *shown == a.id)
                    .map(|(_, pass)| pass.to_string()),
                id: a.id.clone(),
                name: a.metadata.file_name.clone(),
                kind: a.metadata.content_type.clone(),
                size: human_size(a.metadata.size),
                date: format_date(a.created_at),
                with_message: a.with_message,
            })
            .collect(),
        messages: view
            .messages
            .iter()
            .map(|m| MessageView {
                from_hotline: m.author == "analyst",
                body: m.body.clone(),
                files: m.files.clone(),
                date: format_date(m.created_at),
            })
            .collect(),
        notes: view
            .notes
            .iter()
            .map(|n| NoteView {
                author: n.author.clone(),
                date: format_date(n.created_at),
                body: n.body.clone(),
            })
            .collect(),
        labels: view
            .labels
            .iter()
            .map(|l| (l.id.clone(), l.name.clone()))
            .collect(),
        links: view
            .links
            .iter()
            .map(|l| LinkView {
                id: l.id.clone(),
                reference: cases::reference(&l.id),
                kind: tr.t(&format!("case-link-{}", l.kind)),
                status: tr.t(&format!("case-status-{}", l.status)),
                category: tr.t(&format!("cat-{}", l.category)),
            })
            .collect(),
        can_assign: actor.may(Permission::AssignReports),
        can_close: actor.may(Permission::CloseReports),
        can_audit: actor.may(Permission::ReadAuditLog),
        is_material: c.category == cases::assessment::ABUSE_MATERIAL,
        categories: coded_choices(tr, CATEGORIES, "cat-", &c.category),
        countries: choices(i18n::countries_by_name(tr.code()), &c.country),
        legal_choices: coded_choices(
            tr,
            &codes(LegalAssessment::ALL, |v| v.as_str()),
            "legal-",
            c.legal_assessment.as_deref().unwrap_or(""),
        ),
        class_choices: coded_choices(
            tr,
            &codes(MaterialClassification::ALL, |v| v.as_str()),
            "class-",
            c.material_classification.as_deref().unwrap_or(""),
        ),
        age_choices: coded_choices(
            tr,
            &codes(AgeBand::ALL, |v| v.as_str()),
            "age-",
            c.age_band.as_deref().unwrap_or(""),
        ),
        gender_choices: coded_choices(
            tr,
            &codes(Gender::ALL, |v| v.as_str()),
            "gender-",
            c.child_gender.as_deref().unwrap_or(""),
        ),
        priority_choices: coded_choices(
            tr,
            &codes(Priority::ALL, |v| v.as_str()),
            "priority-",
            priority_code,
        ),
        open_statuses: coded_choices(
            tr,
            &codes(&Status::ALL[..Status::ALL.len() - 1], |v| v.as_str()),
            "case-status-",
            c.status.as_str(),
        ),
        closing_reasons: coded_choices(
            tr,
            &codes(ClosingReason::ALL, |v| v.as_str()),
            "closing-",
            c.closing_reason.as_deref().unwrap_or(""),
        ),
        members: choices(view.members.clone(), c.assignee_id.as_deref().unwrap_or("")),
        referrals,
        id: c.id.clone(),
    }
}

/// The reporter's answers with the questionnaire's labels, page by page;
/// answers to questions the questionnaire no longer asks come last.
fn answers(tr: Tr, category: &str, view: &CaseView) -> Vec<AnswerSection> {
    let Some(content) = &view.content else {
        return Vec::new();
    };
    let answers = &content.answers;
    let mut sections = Vec::new();
    let mut shown = std::collections::HashSet::new();
    if let Some(q) = questionnaire::for_category(category) {
        for page in &q.pages {
            let rows: Vec<AnswerRow> = page
                .questions
                .iter()
                .filter(|question| answers.contains_key(&question.id))
                .map(|question| {
                    shown.insert(question.id.as_str());
                    AnswerRow {
                        id: question.id.clone(),
                        label: tr.t(&format!("q-{}", question.id)),
                        values: display_answer(tr, question, answers.get(&question.id)),
                    }
                })
                .collect();
            if !rows.is_empty() {
                sections.push(AnswerSection {
                    title: tr.t(&format!("page-{}", page.id)),
                    rows,
                });
            }
        }
    }
    let other: Vec<AnswerRow> = answers
        .iter()
        .filter(|(id, _)| !shown.contains(id.as_str()))
        .map(|(id, value)| {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            AnswerRow {
                id: id.clone(),
                label: id.clone(),
                values: vec![text],
            }
        })
        .collect();
    if !other.is_empty() {
        sections.push(AnswerSection {
            title: tr.t("case-other-answers"),
            rows: other,
        });
    }
    sections
}

fn contact(tr: Tr, view: &CaseView) -> Vec<String> {
    contact_lines(
        tr,
        view.content.as_ref().and_then(|c| c.contact.as_ref()),
        (
            "case-may-contact-authorities",
            "case-may-not-contact-authorities",
        ),
    )
}

/// `1.2 MB`, `340 KB`, `12 B`.
pub fn human_size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{} KB", bytes / 1_000),
        _ => format!("{:.1} MB", bytes as f64 / 1_000_000.0),
    }
}

framed!(CasePage);
