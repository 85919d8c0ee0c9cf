//! Translations: Project Fluent files in `locales/<language>/`, compiled into
//! the binary. English is the reference; a message missing elsewhere falls
//! back to English (a test checks that none is missing).

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

/// A language of the public site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Language {
    pub code: &'static str,
    /// The language's name in itself, for the language switcher.
    pub native_name: &'static str,
    /// Written right to left (the layout supports it; none of the first five is).
    pub rtl: bool,
}

pub const LANGUAGES: &[Language] = &[
    Language {
        code: "en",
        native_name: "English",
        rtl: false,
    },
    Language {
        code: "fr",
        native_name: "Français",
        rtl: false,
    },
    Language {
        code: "de",
        native_name: "Deutsch",
        rtl: false,
    },
    Language {
        code: "lb",
        native_name: "Lëtzebuergesch",
        rtl: false,
    },
    Language {
        code: "pt",
        native_name: "Português",
        rtl: false,
    },
];

pub const DEFAULT_LANGUAGE: &str = "en";

macro_rules! locale_files {
    ($($lang:literal),*) => {
        &[$(($lang, &[
            include_str!(concat!("../locales/", $lang, "/site.ftl")),
            include_str!(concat!("../locales/", $lang, "/errors.ftl")),
            include_str!(concat!("../locales/", $lang, "/questionnaires.ftl")),
            include_str!(concat!("../locales/", $lang, "/countries.ftl")),
            include_str!(concat!("../locales/", $lang, "/backoffice.ftl")),
            include_str!(concat!("../locales/", $lang, "/network.ftl")),
        ])),*]
    };
}

const SOURCES: &[(&str, &[&str])] = locale_files!("en", "fr", "de", "lb", "pt");

pub struct Translations {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
}

static TRANSLATIONS: LazyLock<Translations> = LazyLock::new(|| {
    Translations::load().unwrap_or_else(|e| panic!("bundled translations are invalid: {e}"))
});

impl Translations {
    /// Parses every bundled file; any syntax error or duplicate message is an error.
    pub fn load() -> Result<Self, String> {
        let mut bundles = HashMap::new();
        for (code, files) in SOURCES {
            let langid: LanguageIdentifier = code.parse().map_err(|e| format!("{code}: {e}"))?;
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            // No Unicode isolation marks around arguments: they would end up in e-mails and logs.
            bundle.set_use_isolating(false);
            for source in *files {
                let resource = FluentResource::try_new(source.to_string())
                    .map_err(|(_, errors)| format!("locales/{code}: {errors:?}"))?;
                bundle
                    .add_resource(resource)
                    .map_err(|errors| format!("locales/{code}: {errors:?}"))?;
            }
            bundles.insert(*code, bundle);
        }
        Ok(Self { bundles })
    }

    fn format(&self, lang: &str, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        let bundle = self.bundles.get(lang)?;
        let pattern = bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        errors.is_empty().then(|| text.into_owned())
    }

    /// Message ids of one language, for completeness checks.
    pub fn message_ids(lang: &str) -> Vec<String> {
        let Some((_, files)) = SOURCES.iter().find(|(code, _)| *code == lang) else {
            return Vec::new();
        };
        let mut ids = Vec::new();
        for source in *files {
            if let Ok(resource) = FluentResource::try_new(source.to_string()) {
                for entry in resource.entries() {
                    if let fluent_syntax::ast::Entry::Message(m) = entry {
                        ids.push(m.id.name.to_string());
                    }
                }
            }
        }
        ids
    }
}

/// Checks the bundled translations (called at start-up for a clear message).
pub fn check() -> Result<(), String> {
    Translations::load().map(|_| ())
}

/// Every text a questionnaire shows must exist in English, the fallback of
/// every language.
pub fn check_questionnaires(
    questionnaires: &[crate::domain::questionnaire::Questionnaire],
) -> Result<(), String> {
    for q in questionnaires {
        if let Some(id) = q.text_ids().into_iter().find(|id| english(id) == *id) {
            return Err(format!(
                "questionnaires/{}.toml: no text `{id}` in locales/en/questionnaires.ftl",
                q.category
            ));
        }
    }
    Ok(())
}

/// The text of message `id` in `lang`, falling back to English, then to the id.
pub fn text(lang: &str, id: &str) -> String {
    text_with(lang, id, &[])
}

/// Like [`text`], with named arguments (`{ $name }` in the file).
pub fn text_with(lang: &str, id: &str, args: &[(&str, &str)]) -> String {
    let fluent_args = (!args.is_empty()).then(|| {
        let mut a = FluentArgs::new();
        for (name, value) in args {
            a.set(*name, value.to_string());
        }
        a
    });
    let t = &*TRANSLATIONS;
    t.format(lang, id, fluent_args.as_ref())
        .or_else(|| t.format(DEFAULT_LANGUAGE, id, fluent_args.as_ref()))
        .unwrap_or_else(|| id.to_string())
}

/// English text, for the command line and logs.
pub fn english(id: &str) -> String {
    text(DEFAULT_LANGUAGE, id)
}

/// A country's name in `lang`, from its ISO 3166 code.
pub fn country_name(lang: &str, code: &str) -> String {
    text(lang, &format!("country-{code}"))
}

/// Every country (code, name in `lang`), alphabetically by name.
pub fn countries_by_name(lang: &str) -> Vec<(&'static str, String)> {
    let mut all: Vec<(&'static str, String)> = crate::domain::countries::codes()
        .map(|code| (code, country_name(lang, code)))
        .collect();
    all.sort_by_cached_key(|(_, name)| sort_key(name));
    all
}

/// Sorts names alphabetically, ignoring accents on common Latin letters.
fn sort_key(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            other => other,
        })
        .collect()
}

/// The site language for a code, if the site speaks it.
pub fn language(code: &str) -> Option<&'static Language> {
    LANGUAGES
        .iter()
        .find(|l| l.code.eq_ignore_ascii_case(code.trim()))
}

/// The best site language for an `Accept-Language` header.
pub fn negotiate(accept_language: &str) -> &'static Language {
    let requested = fluent_langneg::accepted_languages::parse(accept_language);
    let available: Vec<LanguageIdentifier> = LANGUAGES
        .iter()
        .filter_map(|l| l.code.parse().ok())
        .collect();
    let default: LanguageIdentifier = DEFAULT_LANGUAGE.parse().expect("a valid language tag");
    let chosen = fluent_langneg::negotiate_languages(
        &requested,
        &available,
        Some(&default),
        fluent_langneg::NegotiationStrategy::Lookup,
    );
    chosen
        .first()
        .and_then(|id| language(id.language.as_str()))
        .unwrap_or(&LANGUAGES[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire;

    #[test]
    fn every_text_of_the_bundled_questionnaires_is_in_english() {
        check_questionnaires(&questionnaire::read_all(None).unwrap()).unwrap();
    }

    #[test]
    fn a_questionnaire_with_a_text_missing_is_refused_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("other.toml"),
            "category = \"other\"\n[[pages]]\nid = \"what-happened\"\nquestions = [{ id = \"shoe_size\", type = \"number\" }]\n",
        )
        .unwrap();
        let all = questionnaire::read_all(Some(dir.path())).unwrap();
        let err = check_questionnaires(&all).unwrap_err();
        assert!(err.contains("questionnaires/other.toml"), "{err}");
        assert!(err.contains("q-shoe_size"), "{err}");
    }

    #[test]
    fn every_language_parses_and_has_every_english_message() {
        check().unwrap();
        let english: Vec<String> = Translations::message_ids("en");
        assert!(english.len() > 40);
        for lang in LANGUAGES {
            let ids = Translations::message_ids(lang.code);
            for id in &english {
                assert!(ids.contains(id), "{}: missing {id}", lang.code);
            }
            for id in &ids {
                assert!(
                    english.contains(id),
                    "{}: {id} is not in English",
                    lang.code
                );
            }
        }
    }

    /// Every message a template names literally exists in English.
    #[test]
    fn every_message_the_templates_name_exists() {
        fn html_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    html_files(&path, out);
                } else if path.extension().is_some_and(|e| e == "html") {
                    out.push(path);
                }
            }
        }
        let english: Vec<String> = Translations::message_ids("en");
        let mut files = Vec::new();
        html_files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"),
            &mut files,
        );
        assert!(files.len() > 20);
        let mut missing = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for call in ["tr.t(\"", "tr.t_with(\""] {
                for (start, _) in text.match_indices(call) {
                    let rest = &text[start + call.len()..];
                    let id = &rest[..rest.find('"').unwrap()];
                    if !english.iter().any(|e| e == id) {
                        missing.push(format!("{}: {id}", file.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "{missing:#?}");
    }

    #[test]
    fn texts_fall_back_and_take_arguments() {
        assert_eq!(text("fr", "quick-exit"), "Sortie rapide");
        assert_eq!(text("xx", "quick-exit"), "Quick exit");
        assert_eq!(text("en", "no-such-message"), "no-such-message");
        assert!(text_with("de", "emergency", &[("number", "112")]).contains("112"));
    }

    #[test]
    fn accept_language_picks_the_best_site_language() {
        assert_eq!(negotiate("fr-LU,fr;q=0.9,en;q=0.8").code, "fr");
        assert_eq!(negotiate("lb").code, "lb");
        assert_eq!(negotiate("pt-BR").code, "pt");
        assert_eq!(negotiate("ja,zh;q=0.5").code, "en");
        assert_eq!(negotiate("").code, "en");
        assert_eq!(negotiate("de-CH;q=0.4, it;q=0.9").code, "de");
    }
}
