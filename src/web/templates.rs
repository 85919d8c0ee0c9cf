//! Page templates (askama, HTML-escaped by default). Files live in `templates/`.

use askama::Template;
use axum::response::Html;

use crate::domain::FieldError;

/// Renders a page; a template error becomes a plain error page.
pub fn render(template: &impl Template) -> Html<String> {
    Html(template.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "template failed to render");
        "<!doctype html><title>Error</title><p>Something went wrong on our side.</p>".into()
    }))
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub title: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub organisation: Option<String>,
}

#[derive(Template)]
#[template(path = "setup.html")]
pub struct SetupPage {
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
    /// The error message for one field, if any.
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

#[derive(Template)]
#[template(path = "setup_done.html")]
pub struct SetupDonePage {
    pub organisation: String,
    pub recovery_key: String,
}
