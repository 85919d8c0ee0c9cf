//! Questionnaires: one file per category in `questionnaires/`, data not code.
//! Each lists pages (one topic per page) of questions; a question may show
//! only when an earlier choice has one of some values. Texts live in
//! `locales/*/questionnaires.ftl`. Files are checked when Ward starts.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::values::CATEGORIES;
use super::values::CountryCode;
use super::{DomainError, FieldError};

/// The questionnaire files bundled with Ward, by category.
const FILES: &[(&str, &str)] = &[
    (
        "travel-tourism",
        include_str!("../../questionnaires/travel-tourism.toml"),
    ),
    (
        "abuse-material",
        include_str!("../../questionnaires/abuse-material.toml"),
    ),
    (
        "prostitution",
        include_str!("../../questionnaires/prostitution.toml"),
    ),
    (
        "trafficking",
        include_str!("../../questionnaires/trafficking.toml"),
    ),
    ("other", include_str!("../../questionnaires/other.toml")),
];

/// Limits on answers, the same for the form and the API.
pub const MAX_TEXT_CHARS: usize = 500;
pub const MAX_TEXTAREA_CHARS: usize = 20_000;
pub const MAX_URLS: usize = 50;
pub const MAX_URL_CHARS: usize = 2_000;
pub const MAX_NUMBER: i64 = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionType {
    /// One line of text.
    Text,
    /// Several lines of text.
    Textarea,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// A whole number from 0.
    Number,
    /// One of the options.
    Choice,
    /// Any of the options.
    Choices,
    /// An ISO 3166 country code.
    Country,
    /// A list of web addresses.
    Urls,
}

/// Show a question only when an earlier choice has one of these values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShowIf {
    pub question: String,
    pub any_of: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<ShowIf>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub id: String,
    pub questions: Vec<Question>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    pub category: String,
    pub pages: Vec<Page>,
}

/// Answers by question id, as JSON values.
pub type Answers = serde_json::Map<String, Value>;

static ALL: OnceLock<Vec<Questionnaire>> = OnceLock::new();

/// Reads every questionnaire: from `dir` (`<category>.toml`) where it has
/// one, else the bundled copy, and checks each. (That every text exists in
/// English is checked at start-up by `i18n::check_questionnaires`.)
pub fn read_all(dir: Option<&Path>) -> Result<Vec<Questionnaire>, String> {
    FILES
        .iter()
        .map(|(category, bundled)| {
            let path = dir.map(|d| d.join(format!("{category}.toml")));
            let text = match &path {
                Some(p) if p.is_file() => {
                    std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?
                }
                _ => bundled.to_string(),
            };
            parse(category, &text)
        })
        .collect()
}

/// Loads the questionnaires once at start-up (`WARD_QUESTIONNAIRES_DIR`).
pub fn load(dir: Option<&Path>) -> Result<(), String> {
    let loaded = read_all(dir)?;
    match ALL.get() {
        None => {
            let _ = ALL.set(loaded);
            Ok(())
        }
        Some(existing) if *existing == loaded => Ok(()),
        Some(_) => Err("the questionnaires were already loaded differently in this process".into()),
    }
}

/// Every questionnaire, in the order of [`CATEGORIES`].
pub fn all() -> &'static [Questionnaire] {
    ALL.get_or_init(|| read_all(None).unwrap_or_default())
}

pub fn for_category(category: &str) -> Option<&'static Questionnaire> {
    all().iter().find(|q| q.category == category)
}

impl Questionnaire {
    /// The ids of the texts it shows (`locales/*/questionnaires.ftl`): each
    /// page's title, each question and each option.
    pub fn text_ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for page in &self.pages {
            ids.push(format!("page-{}", page.id));
            for question in &page.questions {
                ids.push(format!("q-{}", question.id));
                for option in &question.options {
                    ids.push(format!("opt-{}-{option}", question.id));
                }
            }
        }
        ids
    }
}

/// Parses and checks one questionnaire file.
pub fn parse(category: &str, text: &str) -> Result<Questionnaire, String> {
    let file = format!("questionnaires/{category}.toml");
    let q: Questionnaire = toml::from_str(text).map_err(|e| format!("{file}: {e}"))?;
    let problem = |m: String| Err(format!("{file}: {m}"));
    if q.category != category || !CATEGORIES.contains(&category) {
        return problem(format!(
            "category must be {category:?} (one of {CATEGORIES:?})"
        ));
    }
    if q.pages.is_empty() {
        return problem("there must be at least one page".into());
    }
    let mut seen: BTreeMap<&str, &Question> = BTreeMap::new();
    let mut pages = HashSet::new();
    for page in &q.pages {
        if !pages.insert(page.id.as_str()) || !is_id(&page.id) {
            return problem(format!(
                "page id {:?} is repeated or not made of a-z, 0-9, - and _",
                page.id
            ));
        }
        if page.questions.is_empty() {
            return problem(format!("page {:?} has no question", page.id));
        }
        for question in &page.questions {
            let id = question.id.as_str();
            if !is_id(id) || seen.contains_key(id) {
                return problem(format!(
                    "question id {id:?} is repeated or not made of a-z, 0-9, - and _"
                ));
            }
            let has_options = matches!(question.kind, QuestionType::Choice | QuestionType::Choices);
            if has_options == question.options.is_empty() {
                return problem(format!(
                    "question {id:?}: options belong to choice questions, and only to them"
                ));
            }
            if question.options.iter().any(|o| !is_id(o))
                || question.options.iter().collect::<HashSet<_>>().len() != question.options.len()
            {
                return problem(format!("question {id:?}: options must be distinct ids"));
            }
            if let Some(cond) = &question.show_if {
                let Some(earlier) = seen.get(cond.question.as_str()) else {
                    return problem(format!(
                        "question {id:?} depends on {:?}, which is not an earlier question",
                        cond.question
                    ));
                };
                if cond.any_of.is_empty()
                    || cond.any_of.iter().any(|v| !earlier.options.contains(v))
                {
                    return problem(format!(
                        "question {id:?}: show_if values must be options of {:?}",
                        cond.question
                    ));
                }
            }
            seen.insert(id, question);
        }
    }
    Ok(q)
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

impl Questionnaire {
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.pages.iter().flat_map(|p| p.questions.iter())
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().find(|q| q.id == id)
    }

    pub fn page(&self, id: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.id == id)
    }

    /// Whether a question applies, given the answers so far.
    pub fn is_shown(&self, question: &Question, answers: &Answers) -> bool {
        let Some(cond) = &question.show_if else {
            return true;
        };
        let Some(earlier) = self.question(&cond.question) else {
            return false;
        };
        if !self.is_shown(earlier, answers) {
            return false;
        }
        match answers.get(&cond.question) {
            Some(Value::String(v)) => cond.any_of.contains(v),
            Some(Value::Array(vs)) => vs.iter().any(|v| {
                v.as_str()
                    .is_some_and(|v| cond.any_of.iter().any(|c| c == v))
            }),
            _ => false,
        }
    }

    /// Cleans each answer on its own (trimmed, typed, empty ones dropped);
    /// wrong answers and unknown questions are listed, each naming its question.
    pub fn normalise(&'static self, answers: &Answers) -> (Answers, Vec<FieldError>) {
        let mut errors = Vec::new();
        if answers.keys().any(|id| self.question(id).is_none()) {
            errors.push(FieldError {
                field: "answers",
                code: "invalid-unknown-question",
            });
        }
        let mut clean = Answers::new();
        for question in self.questions() {
            match answers.get(&question.id).map(|v| normalise(question, v)) {
                Some(Ok(Some(v))) => {
                    clean.insert(question.id.clone(), v);
                }
                Some(Err(code)) => errors.push(FieldError {
                    field: question.id.as_str(),
                    code,
                }),
                Some(Ok(None)) | None => {}
            }
        }
        (clean, errors)
    }

    /// Checks answers against the questionnaire and returns them cleaned:
    /// answers to questions that do not apply are removed, and every
    /// required question that applies must be answered.
    pub fn validate(&'static self, answers: &Answers) -> Result<Answers, DomainError> {
        let (mut clean, mut errors) = self.normalise(answers);
        // Conditions are evaluated on the cleaned answers, in order.
        let shown: Vec<&'static Question> = self
            .questions()
            .filter(|q| self.is_shown(q, &clean))
            .collect();
        clean.retain(|id, _| shown.iter().any(|q| &q.id == id));
        for question in shown {
            if question.required && !clean.contains_key(&question.id) {
                errors.push(FieldError {
                    field: question.id.as_str(),
                    code: "invalid-required",
                });
            }
        }
        if errors.is_empty() {
            Ok(clean)
        } else {
            Err(DomainError::Invalid(errors))
        }
    }
}

/// One answer, cleaned: `Ok(None)` means "not answered".
fn normalise(question: &Question, value: &Value) -> Result<Option<Value>, &'static str> {
    let text = |v: &Value| -> Result<Option<String>, &'static str> {
        match v {
            Value::Null => Ok(None),
            Value::String(s) => {
                let s = s.trim();
                Ok((!s.is_empty()).then(|| s.to_string()))
            }
            _ => Err("invalid-answer-type"),
        }
    };
    let limited = |s: String, max: usize| {
        if s.chars().count() > max {
            Err("invalid-answer-too-long")
        } else {
            Ok(Some(Value::String(s)))
        }
    };
    match question.kind {
        QuestionType::Text => text(value)?.map_or(Ok(None), |s| limited(s, MAX_TEXT_CHARS)),
        QuestionType::Textarea => text(value)?.map_or(Ok(None), |s| limited(s, MAX_TEXTAREA_CHARS)),
        QuestionType::Date => match text(value)? {
            None => Ok(None),
            Some(s) if is_date(&s) => Ok(Some(Value::String(s))),
            Some(_) => Err("invalid-date"),
        },
        QuestionType::Number => match value {
            Value::Null => Ok(None),
            Value::Number(n) => n
                .as_i64()
                .filter(|n| (0..=MAX_NUMBER).contains(n))
                .map(|n| Some(n.into()))
                .ok_or("invalid-number"),
            Value::String(s) if s.trim().is_empty() => Ok(None),
            Value::String(s) => s
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| (0..=MAX_NUMBER).contains(n))
                .map(|n| Some(n.into()))
                .ok_or("invalid-number"),
            _ => Err("invalid-number"),
        },
        QuestionType::Choice => match text(value)? {
            None => Ok(None),
            Some(s) if question.options.contains(&s) => Ok(Some(Value::String(s))),
            Some(_) => Err("invalid-option"),
        },
        QuestionType::Choices => {
            let items: Vec<Value> = match value {
                Value::Null => Vec::new(),
                Value::Array(items) => items.clone(),
                Value::String(_) => vec![value.clone()],
                _ => return Err("invalid-answer-type"),
            };
            let mut chosen: Vec<String> = Vec::new();
            for item in &items {
                let Some(s) = text(item)? else { continue };
                if !question.options.contains(&s) {
                    return Err("invalid-option");
                }
                if !chosen.contains(&s) {
                    chosen.push(s);
                }
            }
            Ok((!chosen.is_empty()).then(|| Value::from(chosen)))
        }
        QuestionType::Country => match text(value)? {
            None => Ok(None),
            Some(s) => CountryCode::parse(&s)
                .map(|c| Some(Value::String(c.as_str().to_string())))
                .map_err(|_| "invalid-country"),
        },
        QuestionType::Urls => {
            let lines: Vec<String> = match value {
                Value::Null => Vec::new(),
                Value::String(s) => s.lines().map(str::to_string).collect(),
                Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map(str::to_string).ok_or("invalid-answer-type"))
                    .collect::<Result<_, _>>()?,
                _ => return Err("invalid-answer-type"),
            };
            let urls: Vec<String> = lines
                .into_iter()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect();
            if urls.len() > MAX_URLS {
                return Err("invalid-urls-count");
            }
            if urls.iter().any(|u| !is_web_address(u)) {
                return Err("invalid-url");
            }
            Ok((!urls.is_empty()).then(|| Value::from(urls)))
        }
    }
}

fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts[..] else { return false };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return false,
    };
    s.len() == 10 && (1900..=2200).contains(&y) && (1..=days).contains(&d)
}

/// An http(s) address, or a bare address a person may paste (`example.org/page`).
fn is_web_address(u: &str) -> bool {
    if u.chars().count() > MAX_URL_CHARS || u.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let rest = match u.split_once("://") {
        Some((scheme, rest))
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
        {
            rest
        }
        Some(_) => return false,
        None => u,
    };
    let host_port = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match host_port.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => host,
        Some(_) => return false,
        None => host_port,
    };
    host.contains('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answers(v: Value) -> Answers {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn bundled_questionnaires_are_valid_and_cover_every_category() {
        read_all(None).unwrap();
        let categories: Vec<&str> = all().iter().map(|q| q.category.as_str()).collect();
        assert_eq!(categories, CATEGORIES);
    }

    #[test]
    fn a_folder_replaces_some_questionnaires() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("other.toml"),
            "category = \"other\"\n[[pages]]\nid = \"what-happened\"\nquestions = [{ id = \"description\", type = \"textarea\" }]\n",
        )
        .unwrap();
        let all = read_all(Some(dir.path())).unwrap();
        let other = all.iter().find(|q| q.category == "other").unwrap();
        assert_eq!(other.pages.len(), 1);
        assert!(
            all.iter()
                .find(|q| q.category == "trafficking")
                .unwrap()
                .pages
                .len()
                > 1,
            "the others stay bundled"
        );
        std::fs::write(
            dir.path().join("other.toml"),
            "category = \"other\"\n[[pages]]\nid = \"what-happened\"\nquestions = [{ id = \"shoe_size\", type = \"number\" }]\n",
        )
        .unwrap();
        let all = read_all(Some(dir.path())).unwrap();
        let other = all.iter().find(|q| q.category == "other").unwrap();
        assert!(other.text_ids().contains(&"q-shoe_size".to_string()));
    }

    #[test]
    fn broken_files_are_explained() {
        let cases = [
            ("category = \"other\"\npages = []", "at least one page"),
            (
                "category = \"nope\"\n[[pages]]\nid = \"a\"\nquestions = [{ id = \"x\", type = \"text\" }]",
                "category must be",
            ),
            (
                "category = \"other\"\n[[pages]]\nid = \"a\"\nquestions = [{ id = \"x\", type = \"choice\" }]",
                "options",
            ),
            (
                "category = \"other\"\n[[pages]]\nid = \"a\"\nquestions = [{ id = \"x\", type = \"text\", show_if = { question = \"y\", any_of = [\"a\"] } }]",
                "not an earlier question",
            ),
            (
                "category = \"other\"\n[[pages]]\nid = \"a\"\nquestions = [{ id = \"x\", type = \"colour\" }]",
                "unknown variant",
            ),
        ];
        for (text, expected) in cases {
            let err = parse("other", text).unwrap_err();
            assert!(
                err.contains("questionnaires/other.toml") && err.contains(expected),
                "{err}"
            );
        }
    }

    #[test]
    fn conditional_questions_follow_earlier_answers() {
        let q = for_category("travel-tourism").unwrap();
        let clean = q
            .validate(&answers(json!({ "description": " seen ", "place_type": "street", "place_name": "Hotel Sol" })))
            .unwrap();
        assert_eq!(clean["description"], "seen");
        assert!(
            clean.get("place_name").is_none(),
            "a hidden question's answer is dropped"
        );
        let clean = q
            .validate(&answers(
                json!({ "description": "x", "place_type": "hotel", "place_name": "Hotel Sol" }),
            ))
            .unwrap();
        assert_eq!(clean["place_name"], "Hotel Sol");
    }

    #[test]
    fn wrong_answers_name_their_question() {
        let q = for_category("travel-tourism").unwrap();
        let err = q
            .validate(&answers(json!({
                "place_type": "castle", "date": "2026-02-30", "children_count": -1,
                "children_ages": ["6-12", "adult"], "offender_nationality": "XX", "city": 5, "nope": "x"
            })))
            .unwrap_err();
        let DomainError::Invalid(fields) = err else {
            panic!()
        };
        let named: Vec<(&str, &str)> = fields.iter().map(|f| (f.field, f.code)).collect();
        for expected in [
            ("answers", "invalid-unknown-question"),
            ("place_type", "invalid-option"),
            ("date", "invalid-date"),
            ("children_count", "invalid-number"),
            ("children_ages", "invalid-option"),
            ("offender_nationality", "invalid-country"),
            ("city", "invalid-answer-type"),
            ("description", "invalid-required"),
        ] {
            assert!(named.contains(&expected), "{expected:?} in {named:?}");
        }
    }

    #[test]
    fn urls_and_numbers_from_forms() {
        let q = for_category("abuse-material").unwrap();
        let clean = q
            .validate(&answers(json!({ "urls": "https://example.org/a\n\n example.net/b ", "children_count": "3" })))
            .unwrap();
        assert_eq!(
            clean["urls"],
            json!(["https://example.org/a", "example.net/b"])
        );
        assert_eq!(clean["children_count"], 3);
        assert!(
            q.validate(&answers(json!({ "urls": "javascript:alert(1)" })))
                .is_err()
        );
        assert!(
            q.validate(&answers(json!({}))).is_err(),
            "links are required for abuse material"
        );
    }
}
