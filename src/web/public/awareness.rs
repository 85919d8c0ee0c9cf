//! Awareness pages: Markdown files per language in `content/<lang>/`,
//! bundled into the binary, or read from `WARD_CONTENT_DIR` when set, so an
//! organisation edits them without touching code. Raw HTML in a file is
//! shown as text, never interpreted; HTML comments are dropped.

use std::path::Path;

use axum::extract::{Path as UrlPath, State};
use axum::response::Html;
use pulldown_cmark::{Event, Options, Parser, html};

use crate::i18n::DEFAULT_LANGUAGE;
use crate::web::AppState;
use crate::web::error::AppError;
use crate::web::language::Lang;
use crate::web::templates::{AwarenessPage, Tr, render};

/// The pages, in the order they are listed.
pub const PAGES: &[&str] = &["what-is-csec", "signs", "what-to-do"];

macro_rules! bundled {
    ($($lang:literal),*) => {
        &[$(
            ($lang, "what-is-csec", include_str!(concat!("../../../content/", $lang, "/what-is-csec.md"))),
            ($lang, "signs", include_str!(concat!("../../../content/", $lang, "/signs.md"))),
            ($lang, "what-to-do", include_str!(concat!("../../../content/", $lang, "/what-to-do.md"))),
        )*]
    };
}

const BUNDLED: &[(&str, &str, &str)] = bundled!("en", "fr", "de", "lb", "pt");

/// `GET /about/{page}`
pub async fn get(
    State(state): State<AppState>,
    Lang(lang): Lang,
    UrlPath(page): UrlPath<String>,
) -> Result<Html<String>, AppError> {
    if !PAGES.contains(&page.as_str()) {
        return Err(AppError::NotFound);
    }
    let markdown = source(state.settings.content_dir.as_deref(), lang.code, &page)
        .ok_or(AppError::NotFound)?;
    let (title, body) = to_html(&markdown);
    Ok(render(&AwarenessPage {
        tr: Tr::new(lang),
        title,
        body,
        pages: page_links(lang.code),
    }))
}

/// The page's Markdown: from the content folder if one is set and has it,
/// else the bundled copy; English when the language has none.
fn source(dir: Option<&Path>, lang: &str, page: &str) -> Option<String> {
    for lang in [lang, DEFAULT_LANGUAGE] {
        if let Some(dir) = dir
            && let Ok(text) = std::fs::read_to_string(dir.join(lang).join(format!("{page}.md")))
        {
            return Some(text);
        }
        if let Some((_, _, text)) = BUNDLED.iter().find(|(l, p, _)| *l == lang && *p == page) {
            return Some(text.to_string());
        }
    }
    None
}

/// The title (first `# ` heading) of every page, for links.
pub fn page_links(lang: &str) -> Vec<(String, String)> {
    PAGES
        .iter()
        .filter_map(|page| {
            let text = BUNDLED
                .iter()
                .find(|(l, p, _)| *l == lang && p == page)
                .or_else(|| {
                    BUNDLED
                        .iter()
                        .find(|(l, p, _)| *l == DEFAULT_LANGUAGE && p == page)
                })?
                .2;
            Some((page.to_string(), title_of(text)))
        })
        .collect()
}

fn title_of(markdown: &str) -> String {
    markdown
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .unwrap_or("")
        .trim()
        .to_string()
}

/// Safe HTML from Markdown, without the first heading (the page shows it as its title).
pub fn to_html(markdown: &str) -> (String, String) {
    let title = title_of(markdown);
    let body_source: String = {
        let mut skipped = false;
        markdown
            .lines()
            .filter(|l| {
                if !skipped && l.starts_with("# ") {
                    skipped = true;
                    return false;
                }
                true
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let events = Parser::new_ext(&body_source, Options::empty()).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => {
            if raw.trim_start().starts_with("<!--") {
                None
            } else {
                Some(Event::Text(raw))
            }
        }
        other => Some(other),
    });
    let mut body = String::new();
    html::push_html(&mut body, events);
    (title, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_page_with_a_title() {
        for lang in crate::i18n::LANGUAGES {
            for page in PAGES {
                let text = BUNDLED
                    .iter()
                    .find(|(l, p, _)| *l == lang.code && p == page)
                    .expect("bundled")
                    .2;
                assert!(!title_of(text).is_empty(), "{} {page}", lang.code);
            }
        }
    }

    #[test]
    fn raw_html_is_shown_as_text_and_comments_are_dropped() {
        let (title, body) = to_html(
            "# Title\n\n<!-- note -->\n\nText <script>alert(1)</script> and **bold**\n\n<img src=x onerror=alert(1)>\n",
        );
        assert_eq!(title, "Title");
        assert!(!body.contains("<script>") && !body.contains("<img"));
        assert!(body.contains("&lt;script&gt;"));
        assert!(body.contains("<strong>bold</strong>"));
        assert!(!body.contains("note"));
    }

    #[test]
    fn a_content_folder_overrides_the_bundled_text() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("fr")).unwrap();
        std::fs::write(
            dir.path().join("fr/signs.md"),
            "# Signes locaux\n\nTexte de l'organisation.",
        )
        .unwrap();
        assert!(
            source(Some(dir.path()), "fr", "signs")
                .unwrap()
                .contains("Signes locaux")
        );
        assert!(
            source(Some(dir.path()), "de", "signs")
                .unwrap()
                .contains("Anzeichen")
        );
        assert!(
            source(None, "xx", "signs")
                .unwrap()
                .contains("Signs you may notice")
        );
    }
}
