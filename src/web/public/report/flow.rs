//! The order of the report form's steps: category, country, the category's
//! question pages (a page whose questions all depend on answers not given is
//! skipped), contact details, then "check your answers".

use crate::domain::draft::Draft;
use crate::domain::questionnaire::{self, Questionnaire};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Category,
    Country,
    Page(usize),
    Contact,
    Check,
}

impl Step {
    /// The step's name in forms.
    pub fn id(&self, q: Option<&Questionnaire>) -> String {
        match self {
            Step::Category => "category".into(),
            Step::Country => "country".into(),
            Step::Page(i) => format!(
                "page:{}",
                q.and_then(|q| q.pages.get(*i))
                    .map(|p| p.id.as_str())
                    .unwrap_or("")
            ),
            Step::Contact => "contact".into(),
            Step::Check => "check".into(),
        }
    }

    pub fn parse(id: &str, q: Option<&Questionnaire>) -> Option<Step> {
        match id {
            "category" => Some(Step::Category),
            "country" => Some(Step::Country),
            "contact" => Some(Step::Contact),
            "check" => Some(Step::Check),
            _ => {
                let page = id.strip_prefix("page:")?;
                q?.pages.iter().position(|p| p.id == page).map(Step::Page)
            }
        }
    }
}

/// The questionnaire of the draft's category.
pub fn questionnaire_of(draft: &Draft) -> Option<&'static Questionnaire> {
    draft
        .category
        .as_deref()
        .and_then(questionnaire::for_category)
}

fn page_is_shown(q: &Questionnaire, index: usize, draft: &Draft) -> bool {
    q.pages[index]
        .questions
        .iter()
        .any(|question| q.is_shown(question, &draft.answers))
}

/// The step after `step`.
pub fn next(step: &Step, draft: &Draft) -> Step {
    let Some(q) = questionnaire_of(draft) else {
        return Step::Category;
    };
    let first_page_from = |start: usize| {
        (start..q.pages.len())
            .find(|&i| page_is_shown(q, i, draft))
            .map(Step::Page)
            .unwrap_or(Step::Contact)
    };
    match step {
        Step::Category => Step::Country,
        Step::Country => first_page_from(0),
        Step::Page(i) => first_page_from(i + 1),
        Step::Contact | Step::Check => Step::Check,
    }
}

/// The step before `step`.
pub fn previous(step: &Step, draft: &Draft) -> Step {
    let Some(q) = questionnaire_of(draft) else {
        return Step::Category;
    };
    let last_page_before = |end: usize| {
        (0..end)
            .rev()
            .find(|&i| page_is_shown(q, i, draft))
            .map(Step::Page)
            .unwrap_or(Step::Country)
    };
    match step {
        Step::Category | Step::Country => Step::Category,
        Step::Page(i) => last_page_before(*i),
        Step::Contact => last_page_before(q.pages.len()),
        Step::Check => Step::Contact,
    }
}

/// Where a step stands among the steps the draft leads through, as
/// (its number, how many), counted from the first: `None` before a
/// category is chosen (the questions are not known yet). The count can
/// change as answers make pages apply or not.
pub fn position(step: &Step, draft: &Draft) -> Option<(usize, usize)> {
    questionnaire_of(draft)?;
    let mut steps = vec![Step::Category];
    while steps.last() != Some(&Step::Check) && steps.len() < 1000 {
        let after = next(steps.last().expect("one step at least"), draft);
        steps.push(after);
    }
    let index = steps.iter().position(|s| s == step)?;
    Some((index + 1, steps.len()))
}

/// The first step the draft still lacks, if any (questions themselves are
/// checked when the report is submitted).
pub fn first_missing(draft: &Draft) -> Option<Step> {
    if questionnaire_of(draft).is_none() {
        Some(Step::Category)
    } else if draft.country.is_none() {
        Some(Step::Country)
    } else if !draft.contact_done {
        Some(Step::Contact)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_whose_questions_do_not_apply_are_skipped() {
        let mut draft = Draft::new(0);
        assert_eq!(
            next(&Step::Country, &draft),
            Step::Category,
            "no category yet"
        );
        draft.category = Some("travel-tourism".into());
        let q = questionnaire_of(&draft).unwrap();
        let travel = q.pages.iter().position(|p| p.id == "travel").unwrap();
        // The travel page starts with an unconditional question, so it is shown.
        assert_eq!(next(&Step::Page(travel - 1), &draft), Step::Page(travel));
        assert_eq!(
            previous(&Step::Page(travel), &draft),
            Step::Page(travel - 1)
        );
        assert_eq!(next(&Step::Page(q.pages.len() - 1), &draft), Step::Contact);
        assert_eq!(
            previous(&Step::Contact, &draft),
            Step::Page(q.pages.len() - 1)
        );
        assert_eq!(
            Step::parse(&Step::Page(travel).id(Some(q)), Some(q)),
            Some(Step::Page(travel))
        );
        assert_eq!(Step::parse("page:nope", Some(q)), None);
    }

    #[test]
    fn the_position_counts_the_steps_that_apply() {
        let mut draft = Draft::new(0);
        assert_eq!(position(&Step::Category, &draft), None, "no category yet");
        draft.category = Some("other".into());
        let q = questionnaire_of(&draft).unwrap();
        // Category, country, every page of "other" (none is conditional), contact, check.
        let total = q.pages.len() + 4;
        assert_eq!(position(&Step::Category, &draft), Some((1, total)));
        assert_eq!(position(&Step::Page(0), &draft), Some((3, total)));
        assert_eq!(position(&Step::Check, &draft), Some((total, total)));
    }
}
