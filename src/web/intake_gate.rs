//! How reports and follow-up messages get in, so that neither slow clients
//! nor large bodies can take the service:
//!
//! 1. Every body being read takes its bytes from one budget shared by the
//!    whole process ([`BodyBudget`]), and keeps them until its answer is
//!    sent: the bytes of all intake bodies in memory stay within it. A body
//!    that cannot get room within [`BUDGET_WAIT`] is answered 503 "busy".
//! 2. Only once its body is read does a request take one of
//!    [`MAX_INTAKE_IN_PROGRESS`] places to be cleaned, sealed and stored
//!    ([`IntakeGate::place`]). A client that stalls mid-upload therefore
//!    holds bytes it sent, never a place: a normal report is not queued
//!    behind stalled uploads.

use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::future::BoxFuture;
use http_body::{Frame, SizeHint};
use tokio::sync::{AcquireError, OwnedSemaphorePermit, Semaphore};

use crate::error::AppError;
use crate::web::AppState;

/// Requests being cleaned, sealed and stored at once. The group commit
/// needs no more than this to fill its batches.
pub const MAX_INTAKE_IN_PROGRESS: usize = 16;
/// Bytes of intake bodies held in memory at once, at least (the budget
/// also fits one request of the largest size allowed).
pub const MIN_BODY_BUDGET: usize = 96 * 1024 * 1024;
/// Longest wait for room in the budget, or for a place.
pub const BUDGET_WAIT: Duration = Duration::from_secs(10);

/// The shared limits of intake.
pub struct IntakeGate {
    budget: Arc<Semaphore>,
    places: Arc<Semaphore>,
}

impl IntakeGate {
    /// Limits for requests of at most `max_request_bytes`.
    pub fn new(max_request_bytes: usize) -> Self {
        let budget_kib = max_request_bytes.max(MIN_BODY_BUDGET).div_ceil(1024);
        Self {
            budget: Arc::new(Semaphore::new(budget_kib)),
            places: Arc::new(Semaphore::new(MAX_INTAKE_IN_PROGRESS)),
        }
    }

    /// A place to clean, seal and store what a request brought (taken once
    /// its body is read); "busy" when none comes free in time.
    pub async fn place(&self) -> Result<OwnedSemaphorePermit, AppError> {
        match tokio::time::timeout(BUDGET_WAIT, self.places.clone().acquire_owned()).await {
            Ok(Ok(place)) => Ok(place),
            _ => Err(AppError::Busy),
        }
    }

    /// KiB of the budget not held by any body (for tests and metrics).
    pub fn budget_free_kib(&self) -> usize {
        self.budget.available_permits()
    }
}

/// What one request's body holds of the budget, kept until its answer.
#[derive(Default)]
struct Held {
    permit: Option<OwnedSemaphorePermit>,
    refused: bool,
}

/// Middleware of the intake routes: the body takes its bytes from the
/// budget as they arrive; a body refused for want of room is answered 503.
pub async fn budget_bodies(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let held = Arc::new(Mutex::new(Held::default()));
    let budget = state.intake.budget.clone();
    let body_held = held.clone();
    let request = request.map(|body| {
        Body::new(Budgeted {
            inner: body,
            budget,
            held: body_held,
            waiting: None,
            pending: None,
        })
    });
    let response = next.run(request).await;
    let refused = lock(&held).refused;
    if refused {
        return match is_api {
            true => crate::error::ApiError(AppError::Busy).into_response(),
            false => AppError::Busy.into_response(),
        };
    }
    response
}

fn lock(held: &Mutex<Held>) -> std::sync::MutexGuard<'_, Held> {
    held.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

type Acquiring = BoxFuture<
    'static,
    Result<Result<OwnedSemaphorePermit, AcquireError>, tokio::time::error::Elapsed>,
>;

struct Budgeted {
    inner: Body,
    budget: Arc<Semaphore>,
    held: Arc<Mutex<Held>>,
    /// Room being waited for, for the frame in `pending`.
    waiting: Option<Acquiring>,
    pending: Option<Frame<Bytes>>,
}

impl http_body::Body for Budgeted {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        loop {
            if let Some(waiting) = this.waiting.as_mut() {
                let acquired = std::task::ready!(waiting.as_mut().poll(cx));
                this.waiting = None;
                match acquired {
                    Ok(Ok(permit)) => {
                        let mut held = lock(&this.held);
                        match held.permit.as_mut() {
                            Some(all) => all.merge(permit),
                            None => held.permit = Some(permit),
                        }
                    }
                    _ => {
                        lock(&this.held).refused = true;
                        return Poll::Ready(Some(Err(axum::Error::new(std::io::Error::other(
                            "no room for this body now",
                        )))));
                    }
                }
                return Poll::Ready(this.pending.take().map(Ok));
            }
            let frame = match std::task::ready!(std::pin::Pin::new(&mut this.inner).poll_frame(cx))
            {
                Some(Ok(frame)) => frame,
                other => return Poll::Ready(other),
            };
            let kib = frame.data_ref().map_or(0, |d| d.len().div_ceil(1024));
            if kib == 0 {
                return Poll::Ready(Some(Ok(frame)));
            }
            let kib = u32::try_from(kib).unwrap_or(u32::MAX);
            // Most frames find room at once; otherwise wait, within a limit.
            if let Ok(permit) = this.budget.clone().try_acquire_many_owned(kib) {
                let mut held = lock(&this.held);
                match held.permit.as_mut() {
                    Some(all) => all.merge(permit),
                    None => held.permit = Some(permit),
                }
                return Poll::Ready(Some(Ok(frame)));
            }
            let budget = this.budget.clone();
            this.pending = Some(frame);
            this.waiting = Some(Box::pin(tokio::time::timeout(
                BUDGET_WAIT,
                budget.acquire_many_owned(kib),
            )));
        }
    }

    fn is_end_stream(&self) -> bool {
        self.pending.is_none() && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
