//! `GET /api/v1/openapi.json`: the API's description (`docs/openapi.json`).

use axum::http::header;
use axum::response::IntoResponse;

pub const SPEC: &str = include_str!("../../../docs/openapi.json");

pub async fn get() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], SPEC)
}
