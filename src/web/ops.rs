//! Health checks for orchestrators and monitoring.

use axum::extract::State;
use axum::http::StatusCode;

use super::AppState;

/// `GET /healthz`: the process is alive.
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// `GET /readyz`: the database answers and its migrations are applied.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, String) {
    match state.db.is_ready().await {
        Ok(()) => (StatusCode::OK, "ready\n".into()),
        Err(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: {reason}\n"),
        ),
    }
}
