//! The web layer: thin handlers that parse requests, call the domain and
//! render answers. `public` is the reporters' site, `backoffice` the
//! analysts', `api` the intake API, `ops` health checks, `metrics` the
//! separate Prometheus listener.

pub mod api;
pub mod backoffice;
pub mod body_pace;
pub mod connections;
pub mod cookies;
pub mod error;
pub mod form;
pub mod intake_gate;
pub mod language;
pub mod layers;
pub mod metrics;
pub mod ops;
pub mod portal;
pub mod public;
pub mod rate_limit;
pub mod state;
pub mod templates;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

pub use state::AppState;

/// Largest body of an HTML form post (routes with uploads set their own limit).
pub const MAX_FORM_BYTES: usize = 64 * 1024;

pub use intake_gate::MAX_INTAKE_IN_PROGRESS;

/// Largest body of a follow-up message through the API.
pub const MAX_MESSAGE_BODY_BYTES: usize = 256 * 1024;

/// Every route of the public listener.
pub fn router(state: AppState) -> Router {
    let body_limit = state.settings.max_request_bytes;
    // Intake shares one limit of work in progress; reports may carry files.
    // Counted per client before the body is read; then the body takes its
    // bytes from the shared budget (handlers take a place once it is read).
    let posts = axum::middleware::from_fn_with_state(state.clone(), rate_limit::posts_before_body);
    let budget = axum::middleware::from_fn_with_state(state.clone(), intake_gate::budget_bodies);
    let intake = tower::ServiceBuilder::new()
        .layer(posts.clone())
        .layer(budget.clone())
        .layer(DefaultBodyLimit::max(body_limit));
    let router = Router::new()
        .route("/", get(public::home::get))
        .route(
            "/setup/{token}",
            get(public::setup::get).post(public::setup::post),
        )
        .route(
            "/report",
            get(public::report::start).merge(post(public::report::post).layer(intake.clone())),
        )
        .route("/report/leave", get(public::report::leave))
        .route("/report/{step}", get(public::report::step))
        .route(
            "/follow-up",
            get(public::followup::start).merge(post(public::followup::post).layer(intake.clone())),
        )
        .route("/about/{page}", get(public::awareness::get))
        .route("/static/ward.css", get(public::assets::stylesheet))
        .route("/favicon.svg", get(public::assets::favicon))
        .route("/favicon.ico", get(public::assets::favicon))
        .route("/robots.txt", get(public::assets::robots))
        .route(
            "/api/v1/reports",
            post(api::reports::post).layer(intake.clone()),
        )
        .route("/api/v1/openapi.json", get(api::openapi::get))
        .route("/api/v1/follow-up", post(api::followup::status))
        .route(
            "/api/v1/follow-up/messages",
            // A message of 20,000 characters may take 80 KB of UTF-8, and more as JSON.
            post(api::followup::send).layer(
                tower::ServiceBuilder::new()
                    .layer(posts)
                    .layer(budget)
                    .layer(DefaultBodyLimit::max(MAX_MESSAGE_BODY_BYTES)),
            ),
        )
        .route("/api/v1/questionnaires", get(api::questionnaires::list))
        .route(
            "/api/v1/questionnaires/{category}",
            get(api::questionnaires::get),
        )
        .route(
            "/api/v1/referral.schema.json",
            get(api::openapi::referral_schema),
        )
        .merge(backoffice::router(state.clone()))
        .merge(portal::router(state.clone()))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .fallback(public::not_found)
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        .layer(axum::middleware::from_fn(body_pace::pace_bodies))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            std::time::Duration::from_secs(state.settings.request_deadline_seconds),
        ))
        .layer(axum::middleware::from_fn(layers::same_origin_posts))
        .layer(axum::middleware::from_fn(layers::render_error_pages))
        .layer(axum::middleware::from_fn_with_state(
            state.settings.clone(),
            language::remember_choice,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            metrics::track,
        ))
        .layer(layers::trace());
    layers::with_security_headers(router).with_state(state)
}
