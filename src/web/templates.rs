//! Page templates (askama, HTML-escaped by default). Files live in `templates/`.
//! Every page carries a [`Tr`], through which all its text is translated.

use std::convert::Infallible;

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Html;

use crate::domain::FieldError;
use crate::i18n::{self, LANGUAGES, Language};
use crate::web::language::Lang;

/// Renders a page; a template error becomes a plain error page.
pub fn render(template: &impl Template) -> Html<String> {
    Html(template.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "template failed to render");
        "<!doctype html><title>Error</title><p>Something went wrong on our side.</p>".into()
    }))
}

/// A QR code as inline SVG, made on the server (authenticator enrolment).
pub fn qr_svg(data: &str) -> String {
    match qrcode::QrCode::new(data.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

/// The translator a template uses: `{{ tr.t("message-id") }}`. A handler
/// takes it as an extractor, in the request's language ([`Lang`]).
#[derive(Clone, Copy, Debug)]
pub struct Tr {
    lang: &'static Language,
}

impl<S: Send + Sync> FromRequestParts<S> for Tr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Infallible> {
        let Lang(lang) = Lang::from_request_parts(parts, state).await?;
        Ok(Self::new(lang))
    }
}

impl Tr {
    pub fn new(lang: &'static Language) -> Self {
        Self { lang }
    }

    pub fn t(&self, id: &str) -> String {
        i18n::text(self.lang.code, id)
    }

    pub fn t_with(&self, id: &str, name: &str, value: &str) -> String {
        i18n::text_with(self.lang.code, id, &[(name, value)])
    }

    pub fn code(&self) -> &'static str {
        self.lang.code
    }

    /// A date (UTC) as the language writes it: "1 December 2026",
    /// "1. Dezember 2026", "1 de dezembro de 2026".
    pub fn date(&self, millis: i64) -> String {
        let (year, month, day) = crate::domain::time::year_month_day(millis);
        i18n::text_with(
            self.lang.code,
            "date",
            &[
                ("day", &day.to_string()),
                ("month", &self.t(&format!("month-{month}"))),
                ("year", &year.to_string()),
            ],
        )
    }

    pub fn dir(&self) -> &'static str {
        if self.lang.rtl { "rtl" } else { "ltr" }
    }

    pub fn languages(&self) -> &'static [Language] {
        LANGUAGES
    }

    pub fn is_current(&self, other: &Language) -> bool {
        other.code == self.lang.code
    }

    /// The stylesheet's address (versioned by content).
    pub fn stylesheet(&self) -> &'static str {
        crate::web::public::assets::stylesheet_href()
    }

    /// "If a child is in immediate danger, call ..." with a country's number.
    pub fn emergency(&self, number: Option<&str>) -> String {
        match number {
            Some(number) => self.t_with("emergency", "number", number),
            None => self.t("emergency-local"),
        }
    }

    /// Where the source code is offered, as the AGPL asks of network services.
    pub fn source_url(&self) -> &'static str {
        env!("CARGO_PKG_REPOSITORY")
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub tr: Tr,
    pub title: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub tr: Tr,
    pub organisation: Option<String>,
    /// The country whose emergency number is shown, and every country to choose from.
    pub country: Option<String>,
    pub emergency_number: Option<String>,
    pub countries: Vec<(String, String)>,
    /// Where to report about the chosen country, when no hotline here covers it.
    pub elsewhere: Option<Elsewhere>,
    /// (page id, title) of every awareness page.
    pub pages: Vec<(String, String)>,
}

/// Where to report about a country that no organisation of this instance covers.
pub struct Elsewhere {
    pub country: String,
    pub mechanism: Option<String>,
    pub mechanism_url: Option<String>,
}

#[derive(Template)]
#[template(path = "setup.html")]
pub struct SetupPage {
    pub tr: Tr,
    pub token: String,
    pub errors: Vec<FieldError>,
    pub organisation: String,
    pub country: String,
    pub email: String,
    pub totp_secret: String,
    /// An SVG image of the `otpauth://` URI, generated on the server.
    pub qr_svg: String,
}

impl SetupPage {
    /// The message id of the error for one field, if any.
    pub fn error_for(&self, field: &str) -> Option<&'static str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.code)
    }
}

#[derive(Template)]
#[template(path = "followup/start.html")]
pub struct FollowUpStartPage {
    pub tr: Tr,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
    /// What was typed, shown again when it matched no report.
    pub typed: String,
}

pub struct MessageView {
    pub from_hotline: bool,
    pub body: String,
    pub files: Vec<String>,
    pub date: String,
}

#[derive(Template)]
#[template(path = "followup/view.html")]
pub struct FollowUpViewPage {
    pub tr: Tr,
    pub status: String,
    /// The category the reporter chose, in words.
    pub category: String,
    /// When it was sent, as the language writes dates.
    pub received: String,
    /// "On 2 December 2026 your report was passed to the police…".
    pub passed_on: Option<String>,
    pub messages: Vec<MessageView>,
    /// Sealed receipt code for the next post (see `domain::followup::issue_pass`).
    pub pass: String,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
    pub max_files: usize,
}

#[derive(Template)]
#[template(path = "awareness.html")]
pub struct AwarenessPage {
    pub tr: Tr,
    pub title: String,
    /// HTML made from the organisation's Markdown, with raw HTML escaped.
    pub body: String,
    /// (page id, title) of every awareness page.
    pub pages: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "setup_done.html")]
pub struct SetupDonePage {
    pub tr: Tr,
    pub organisation: String,
    pub recovery_key: String,
    pub recovery_codes: Vec<String>,
}
