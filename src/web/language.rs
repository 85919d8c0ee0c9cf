//! The visitor's language: chosen with the switcher (`?lang=xx`, remembered in
//! a cookie on the visitor's device only), else from `Accept-Language`.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

use crate::config::Settings;
use crate::i18n::{self, Language};

const COOKIE: &str = "ward_lang";

/// The language of this request.
#[derive(Clone, Copy, Debug)]
pub struct Lang(pub &'static Language);

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        Ok(Lang(choose(parts)))
    }
}

fn choose(parts: &Parts) -> &'static Language {
    if let Some(lang) = query_choice(parts.uri.query()) {
        return lang;
    }
    let from_cookie =
        crate::web::cookies::named_cookie(&parts.headers, COOKIE).and_then(|v| i18n::language(&v));
    if let Some(lang) = from_cookie {
        return lang;
    }
    let accept = parts
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    i18n::negotiate(accept)
}

fn query_choice(query: Option<&str>) -> Option<&'static Language> {
    query?
        .split('&')
        .filter_map(|pair| pair.strip_prefix("lang="))
        .find_map(i18n::language)
}

/// Remembers a language chosen with the switcher (`?lang=xx`).
pub async fn remember_choice(
    State(settings): State<Arc<Settings>>,
    request: Request,
    next: Next,
) -> Response {
    let chosen = query_choice(request.uri().query());
    let mut response = next.run(request).await;
    if let Some(lang) = chosen {
        remember(&mut response, lang, &settings);
    }
    response
}

/// Sets the cookie that keeps the visitor's language while the browser is
/// open (`Secure` when Ward is reached over TLS). A session cookie, gone
/// when the browser closes: a lasting one would tell whoever later uses
/// the same device that someone chose a language on a reporting site.
pub fn remember(response: &mut Response, lang: &Language, settings: &Settings) {
    let cookie = crate::web::cookies::session_cookie(COOKIE, "/", Some(lang.code), settings);
    response.headers_mut().append(header::SET_COOKIE, cookie);
}
