//! What the report form's pages show: built from the draft, the
//! questionnaire and the visitor's language.

use askama::Template;
use serde_json::Value;

use super::flow::{Step, questionnaire_of};
use crate::domain::FieldError;
use crate::domain::draft::Draft;
use crate::domain::questionnaire::{Question, QuestionType, Questionnaire};
use crate::domain::reports::{CATEGORIES, Contact};
use crate::i18n;
use crate::web::api::questionnaires::optional_text;
use crate::web::templates::Tr;

/// One choice of a radio or checkbox group, or of a select.
pub struct OptionView {
    pub id: String,
    pub label: String,
    pub hint: Option<String>,
    pub checked: bool,
}

pub struct QuestionView {
    /// The form field's name and the element's id: `q.<question id>`.
    pub name: String,
    /// text, textarea, date, number, choice, choices, country or urls.
    pub kind: &'static str,
    pub label: String,
    pub hint: Option<String>,
    pub value: String,
    pub options: Vec<OptionView>,
    pub error: Option<String>,
}

/// Fields every step's form carries.
pub struct StepForm {
    pub draft: String,
    pub step: String,
    /// Whether the page has a back button.
    pub back: bool,
    /// Reached by "Change" on the check page: continuing returns there.
    pub return_to_check: bool,
}

#[derive(Template)]
#[template(path = "report/step.html")]
pub struct StepPage {
    pub tr: Tr,
    pub form: StepForm,
    /// "Step 3 of 9", once the category is known.
    pub progress: Option<String>,
    pub title: String,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
    /// Radios for the category step.
    pub categories: Vec<OptionView>,
    /// The select for the country step.
    pub countries: Vec<OptionView>,
    pub questions: Vec<QuestionView>,
    /// The contact step.
    pub contact: Option<ContactView>,
}

pub struct ContactView {
    pub anonymous: bool,
    pub email: String,
    pub phone: String,
    pub may_contact: bool,
}

/// One row of "check your answers".
pub struct AnswerRow {
    pub label: String,
    pub value: Vec<String>,
}

pub struct CheckSection {
    pub title: String,
    pub change_step: String,
    pub rows: Vec<AnswerRow>,
}

#[derive(Template)]
#[template(path = "report/check.html")]
pub struct CheckPage {
    pub tr: Tr,
    pub form: StepForm,
    pub progress: Option<String>,
    pub errors: Vec<(String, String)>,
    pub sections: Vec<CheckSection>,
    pub max_files: usize,
    pub max_file_mb: usize,
}

#[derive(Template)]
#[template(path = "report/receipt.html")]
pub struct ReceiptPage {
    pub tr: Tr,
    /// The receipt code in groups of four digits (`None` cannot happen: a
    /// form is found sent already only by its id, which gives the code).
    pub receipt: Option<String>,
    /// The form was sent again and its report is stored already.
    pub already: bool,
    /// The emergency number of where it happened.
    pub emergency_number: Option<String>,
}

/// "Step 3 of 9" for the step, when the steps are known.
pub fn progress(tr: Tr, step: &Step, draft: &Draft) -> Option<String> {
    let (current, total) = super::flow::position(step, draft)?;
    Some(crate::i18n::text_with(
        tr.code(),
        "report-progress",
        &[
            ("current", &current.to_string()),
            ("total", &total.to_string()),
        ],
    ))
}

/// A field to correct and the id of the message that says how: kept with
/// the draft between a post and the page it leads to.
pub type ShownError = (String, String);

pub fn shown_errors(errors: &[FieldError]) -> Vec<ShownError> {
    errors
        .iter()
        .map(|e| (e.field.to_string(), e.code.to_string()))
        .collect()
}

/// Everything a step page needs to be drawn.
pub struct StepInput<'a> {
    pub tr: Tr,
    pub draft: &'a Draft,
    pub form: StepForm,
    pub step: &'a Step,
    pub errors: &'a [ShownError],
    pub notice: Option<String>,
    /// The organisation's country, listed first.
    pub home_country: Option<&'a str>,
}

pub fn step_page(input: StepInput<'_>) -> StepPage {
    let tr = input.tr;
    let q = questionnaire_of(input.draft);
    let error_for = |field: &str| {
        input
            .errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, code)| tr.t(code))
    };
    let mut page = StepPage {
        tr,
        form: input.form,
        progress: progress(tr, input.step, input.draft),
        title: String::new(),
        errors: input
            .errors
            .iter()
            .map(|(field, code)| (field_anchor(field), tr.t(code)))
            .collect(),
        notice: input.notice,
        categories: Vec::new(),
        countries: Vec::new(),
        questions: Vec::new(),
        contact: None,
    };
    match input.step {
        Step::Category => {
            page.title = tr.t("report-category-title");
            page.categories = CATEGORIES
                .iter()
                .map(|c| OptionView {
                    id: c.to_string(),
                    label: tr.t(&format!("cat-{c}")),
                    hint: optional_text(tr.code(), &format!("cat-{c}-hint")),
                    checked: input.draft.category.as_deref() == Some(*c),
                })
                .collect();
        }
        Step::Country => {
            page.title = tr.t("report-country-title");
            page.countries =
                country_options(tr, input.draft.country.as_deref(), input.home_country);
        }
        Step::Page(i) => {
            if let Some(q) = q {
                let p = &q.pages[*i];
                page.title = tr.t(&format!("page-{}", p.id));
                page.questions = p
                    .questions
                    .iter()
                    .filter(|question| {
                        question.show_if.is_none() || shown_on_its_page(q, question, input.draft)
                    })
                    .map(|question| {
                        question_view(
                            tr,
                            question,
                            input.draft,
                            error_for(&question.id),
                            input.home_country,
                        )
                    })
                    .collect();
            }
        }
        Step::Contact => {
            page.title = tr.t("report-contact-title");
            let c = input.draft.contact.clone().unwrap_or_default();
            page.contact = Some(ContactView {
                anonymous: input.draft.contact_done && input.draft.contact.is_none(),
                email: c.email.unwrap_or_default(),
                phone: c.phone.unwrap_or_default(),
                may_contact: c.may_contact,
            });
        }
        Step::Check => {}
    }
    page
}

/// A conditional question is drawn on its page unless its condition was
/// answered on an earlier page and is false (without JavaScript, a condition
/// on the same page cannot be known yet, so the question is shown).
fn shown_on_its_page(q: &Questionnaire, question: &Question, draft: &Draft) -> bool {
    let Some(cond) = &question.show_if else {
        return true;
    };
    let same_page = q.pages.iter().any(|p| {
        p.questions.iter().any(|x| x.id == question.id)
            && p.questions.iter().any(|x| x.id == cond.question)
    });
    same_page || q.is_shown(question, &draft.answers)
}

fn field_anchor(field: &str) -> String {
    match field {
        "category" | "country" | "contact_email" | "contact_phone" | "contact_choice" => {
            field.to_string()
        }
        other => format!("q.{other}"),
    }
}

fn question_view(
    tr: Tr,
    question: &Question,
    draft: &Draft,
    error: Option<String>,
    home: Option<&str>,
) -> QuestionView {
    let answer = draft.answers.get(&question.id);
    let chosen: Vec<String> = match answer {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    let value = match answer {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Array(_)) => chosen.join("\n"),
        _ => String::new(),
    };
    let options = match question.kind {
        QuestionType::Choice | QuestionType::Choices => question
            .options
            .iter()
            .map(|o| OptionView {
                id: o.clone(),
                label: tr.t(&format!("opt-{}-{o}", question.id)),
                hint: None,
                checked: chosen.contains(o),
            })
            .collect(),
        QuestionType::Country => country_options(tr, chosen.first().map(String::as_str), home),
        _ => Vec::new(),
    };
    QuestionView {
        name: format!("q.{}", question.id),
        kind: kind_name(question.kind),
        label: tr.t(&format!("q-{}", question.id)),
        hint: optional_text(tr.code(), &format!("q-{}-hint", question.id)),
        value,
        options,
        error,
    }
}

fn kind_name(kind: QuestionType) -> &'static str {
    match kind {
        QuestionType::Text => "text",
        QuestionType::Textarea => "textarea",
        QuestionType::Date => "date",
        QuestionType::Number => "number",
        QuestionType::Choice => "choice",
        QuestionType::Choices => "choices",
        QuestionType::Country => "country",
        QuestionType::Urls => "urls",
    }
}

/// Every country by its name in the visitor's language, the organisation's first.
fn country_options(tr: Tr, selected: Option<&str>, home: Option<&str>) -> Vec<OptionView> {
    let mut all: Vec<OptionView> = i18n::countries_by_name(tr.code())
        .into_iter()
        .map(|(code, label)| OptionView {
            id: code.to_string(),
            label,
            hint: None,
            checked: selected == Some(code),
        })
        .collect();
    if let Some(home) = home
        && let Some(i) = all.iter().position(|o| o.id == home)
    {
        let first = all.remove(i);
        all.insert(0, first);
    }
    all
}

/// The rows of "check your answers".
pub fn check_sections(tr: Tr, draft: &Draft) -> Vec<CheckSection> {
    let mut sections = Vec::new();
    let Some(q) = questionnaire_of(draft) else {
        return sections;
    };
    let category = draft.category.clone().unwrap_or_default();
    sections.push(CheckSection {
        title: tr.t("check-category"),
        change_step: Step::Category.id(Some(q)),
        rows: vec![AnswerRow {
            label: tr.t("check-what"),
            value: vec![tr.t(&format!("cat-{category}"))],
        }],
    });
    sections.push(CheckSection {
        title: tr.t("check-country"),
        change_step: Step::Country.id(Some(q)),
        rows: vec![AnswerRow {
            label: tr.t("report-country-label"),
            value: vec![
                draft
                    .country
                    .as_deref()
                    .map(|c| i18n::country_name(tr.code(), c))
                    .unwrap_or_default(),
            ],
        }],
    });
    for (i, page) in q.pages.iter().enumerate() {
        let rows: Vec<AnswerRow> = page
            .questions
            .iter()
            .filter(|question| q.is_shown(question, &draft.answers))
            .map(|question| AnswerRow {
                label: tr.t(&format!("q-{}", question.id)),
                value: display_answer(tr, question, draft.answers.get(&question.id)),
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        sections.push(CheckSection {
            title: tr.t(&format!("page-{}", page.id)),
            change_step: Step::Page(i).id(Some(q)),
            rows,
        });
    }
    let contact = contact_lines(
        tr,
        draft.contact.as_ref(),
        ("check-may-contact", "check-may-not-contact"),
    );
    sections.push(CheckSection {
        title: tr.t("check-contact"),
        change_step: Step::Contact.id(Some(q)),
        rows: vec![AnswerRow {
            label: tr.t("report-contact-title"),
            value: contact,
        }],
    });
    sections
}

/// How the reporter may be reached, line by line, or "anonymous"; the last
/// line says whether others than the hotline may contact them (`consent`:
/// the message ids for yes and no).
pub(crate) fn contact_lines(
    tr: Tr,
    contact: Option<&Contact>,
    consent: (&str, &str),
) -> Vec<String> {
    match contact {
        None => vec![tr.t("check-anonymous")],
        Some(c) => {
            let mut lines: Vec<String> = [c.email.clone(), c.phone.clone()]
                .into_iter()
                .flatten()
                .collect();
            lines.push(tr.t(if c.may_contact { consent.0 } else { consent.1 }));
            lines
        }
    }
}

pub(crate) fn display_answer(tr: Tr, question: &Question, answer: Option<&Value>) -> Vec<String> {
    let label = |v: &str| match question.kind {
        QuestionType::Choice | QuestionType::Choices => tr.t(&format!("opt-{}-{v}", question.id)),
        QuestionType::Country => i18n::country_name(tr.code(), v),
        _ => v.to_string(),
    };
    match answer {
        None => vec![tr.t("check-not-answered")],
        Some(Value::String(s)) => vec![label(s)],
        Some(Value::Number(n)) => vec![n.to_string()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(label).collect(),
        Some(other) => vec![other.to_string()],
    }
}

/// `12345678901234567890` as `1234 5678 9012 3456 7890`.
pub fn group_digits(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}
