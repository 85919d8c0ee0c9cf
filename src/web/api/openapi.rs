//! `GET /api/v1/openapi.json`: the API's description (`docs/openapi.json`);
//! `GET /api/v1/referral.schema.json`: the JSON Schema of referral documents.

use axum::http::header;
use axum::response::IntoResponse;

pub const SPEC: &str = include_str!("../../../docs/openapi.json");

pub async fn get() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], SPEC)
}

pub async fn referral_schema() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/schema+json")],
        crate::domain::referrals::document::SCHEMA,
    )
}
