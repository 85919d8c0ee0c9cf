//! Static assets, compiled into the binary so nothing is loaded from elsewhere.

use axum::http::header;
use axum::response::IntoResponse;

/// `GET /static/ward.css`
pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../../static/ward.css"),
    )
}
