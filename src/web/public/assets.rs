//! Static assets, compiled into the binary so nothing is loaded from elsewhere.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use sha2::{Digest, Sha256};

const STYLESHEET: &str = include_str!("../../../static/ward.css");

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
