//! Reading and setting the cookies Ward uses: the language, the back
//! office's and the portal's sessions, the report form's draft. Each is
//! HttpOnly and SameSite=Strict, Secure when the site is served over HTTPS,
//! and lives for the browser session only.

use axum::http::{HeaderMap, HeaderValue, header};

use crate::config::Settings;

/// A cookie's value, if the request has one of this name.
pub fn named_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            pair.trim()
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('='))
                .map(str::to_string)
        })
}

/// `Set-Cookie` for a session cookie of this name and path.
pub fn session_cookie(
    name: &str,
    path: &str,
    value: Option<&str>,
    settings: &Settings,
) -> HeaderValue {
    let secure = if settings.public_base_url().starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = match value {
        Some(value) => format!("{name}={value}; Path={path}; HttpOnly; SameSite=Strict{secure}"),
        None => format!("{name}=; Path={path}; HttpOnly; SameSite=Strict; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&cookie).unwrap_or(HeaderValue::from_static(""))
}
