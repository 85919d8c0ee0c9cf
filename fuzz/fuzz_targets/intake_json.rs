//! The intake API's JSON body, and the questionnaire's checks behind it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: ward::domain::questionnaire::load(None).expect("bundled questionnaires"),
    |input: &[u8]| {
        if let Ok(report) = ward::web::api::reports::parse_json(input)
            && let Some(questionnaire) =
                ward::domain::questionnaire::for_category(report.category.as_str())
        {
            let _ = questionnaire.validate(&report.content.answers);
        }
    }
);
