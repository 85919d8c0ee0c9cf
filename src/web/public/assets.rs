//! Static assets, compiled into the binary so nothing is loaded from elsewhere.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use sha2::{Digest, Sha256};

const STYLESHEET: &str = include_str!("../../../static/ward.css");
const FAVICON: &str = include_str!("../../../static/favicon.svg");

/// What search engines may index: the public pages, never the back office,
/// the portal, the form's steps or the follow-up.
const ROBOTS: &str = "User-agent: *\nDisallow: /admin\nDisallow: /portal\nDisallow: /follow-up\nDisallow: /report/\nDisallow: /api/\nDisallow: /setup/\n";

/// The stylesheet's address, with a hash of its content so that browsers may
/// cache it for long and still get a new version at once.
pub fn stylesheet_href() -> &'static str {
    static HREF: LazyLock<String> = LazyLock::new(|| {
        let hash = hex::encode(Sha256::digest(STYLESHEET.as_bytes()));
        format!("/static/ward.css?v={}", &hash[..12])
    });
    &HREF
}

/// `GET /static/ward.css`
pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        STYLESHEET,
    )
}

/// `GET /favicon.svg` (the pages link to it) and `GET /favicon.ico` (asked
/// for by browsers on their own), so that neither is a 404.
pub async fn favicon() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAVICON,
    )
}

/// `GET /robots.txt`
pub async fn robots() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        ROBOTS,
    )
}
