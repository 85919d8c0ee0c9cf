//! Health checks for orchestrators and monitoring.

use axum::extract::State;
use std::time::Duration;

use axum::http::StatusCode;

use super::AppState;

/// `GET /healthz`: the process is alive.
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// A load balancer waits about this long; a slower answer is "not ready".
const READY_WITHIN: Duration = Duration::from_millis(900);

/// `GET /readyz`: the database answers, its migrations are applied, and
/// both the database and the file store take a write (a full disk does not).
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, String) {
    let checks = async {
        state.db.is_ready().await?;
        state
            .db
            .check_writes()
            .await
            .map_err(|_| "the database refuses writes".to_string())?;
        state
            .files
            .check_writes()
            .await
            .map_err(|_| "the file store refuses writes".to_string())
    };
    let outcome = tokio::time::timeout(READY_WITHIN, checks)
        .await
        .unwrap_or_else(|_| Err("the database does not answer in time".into()));
    match outcome {
        Ok(()) => (StatusCode::OK, "ready\n".into()),
        Err(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: {reason}\n"),
        ),
    }
}
