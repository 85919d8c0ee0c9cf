//! How reports and follow-up messages get in, so that neither slow clients
//! nor large bodies can take the service:
//!
//! 1. Every body being read takes its bytes from one budget shared by the
//!    whole process, and keeps them until its answer is sent, except the
//!    bytes of files, given back once written to the spool
//!    ([`BodyRoom::written_out`]): the bytes of all intake bodies in memory
//!    stay within it, and a file larger than the budget passes through it.
//!    The first 64 KiB of each body come from a pool of their own, so a
//!    normal report never waits behind large uploads. A body that cannot
//!    get room within [`BUDGET_WAIT`] is answered 503 "busy".
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
use axum::response::Response;
use futures::future::BoxFuture;
use http_body::{Frame, SizeHint};
use tokio::sync::{AcquireError, OwnedSemaphorePermit, Semaphore};

use crate::web::AppState;
use crate::web::error::AppError;

/// Requests being cleaned, sealed and stored at once. The group commit
/// needs no more than this to fill its batches.
pub const MAX_INTAKE_IN_PROGRESS: usize = 16;
/// Bytes of intake bodies held in memory at once: text fields and JSON
/// bodies (at most a few MB each), and file bytes on their way to the spool.
pub const BODY_BUDGET: usize = 32 * 1024 * 1024;
/// Longest wait for room in the budget, or for a place.
pub const BUDGET_WAIT: Duration = Duration::from_secs(10);

/// The shared limits of intake.
pub struct IntakeGate {
    /// For the bytes of a body beyond its first [`HEAD_BYTES`].
    budget: Arc<Semaphore>,
    /// For the first [`HEAD_BYTES`] of every body: a normal report (a few
    /// KiB) takes only from here, so it never queues behind large uploads
    /// waiting for room in `budget`.
    heads: Arc<Semaphore>,
    places: Arc<Semaphore>,
}

/// The part of every body counted in the heads' pool.
pub const HEAD_BYTES: usize = 64 * 1024;
/// The heads' pool: room for the first part of this many bodies at once.
const HEADS: usize = 256;

impl IntakeGate {
    pub fn new() -> Self {
        Self {
            budget: Arc::new(Semaphore::new(BODY_BUDGET / 1024)),
            heads: Arc::new(Semaphore::new(HEADS * HEAD_BYTES / 1024)),
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

    /// KiB of the budget for large bodies not held by any body (for tests).
    pub fn budget_free_kib(&self) -> usize {
        self.budget.available_permits()
    }
}

impl Default for IntakeGate {
    fn default() -> Self {
        Self::new()
    }
}

/// What one request's body holds of the pools, kept until its answer.
#[derive(Default)]
struct Held {
    head: Option<OwnedSemaphorePermit>,
    rest: Option<OwnedSemaphorePermit>,
    /// KiB given back for file bytes written to the spool.
    given_back_kib: usize,
    refused: bool,
}

/// A request's room in the budget, found in its extensions by the reader
/// of its form.
#[derive(Clone)]
pub struct BodyRoom(Arc<Mutex<Held>>);

impl BodyRoom {
    /// Gives back the room of the first `bytes` of file content in the
    /// body, now written to the spool and no longer held in memory.
    pub fn written_out(&self, bytes: u64) {
        let mut held = lock(&self.0);
        let due = usize::try_from(bytes / 1024)
            .unwrap_or(usize::MAX)
            .saturating_sub(held.given_back_kib);
        let Some(rest) = held.rest.as_mut() else {
            return;
        };
        let kib = due.min(rest.num_permits());
        if kib == 0 {
            return;
        }
        if kib == rest.num_permits() {
            held.rest = None;
        } else {
            drop(rest.split(kib));
        }
        held.given_back_kib += kib;
    }
}

impl Held {
    fn keep(&mut self, permit: OwnedSemaphorePermit, from_heads: bool) {
        let slot = if from_heads {
            &mut self.head
        } else {
            &mut self.rest
        };
        match slot.as_mut() {
            Some(all) => all.merge(permit),
            None => *slot = Some(permit),
        }
    }
}

/// Middleware of the intake routes: the body takes its bytes from the
/// pools as they arrive; a body refused for want of room is answered 503.
pub async fn budget_bodies(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    let held = Arc::new(Mutex::new(Held::default()));
    let body_held = held.clone();
    let mut request = request;
    request.extensions_mut().insert(BodyRoom(held.clone()));
    let gate = state.intake.clone();
    let request = request.map(|body| {
        Body::new(Budgeted {
            inner: body,
            gate,
            held: body_held,
            received: 0,
            waiting: None,
            pending: None,
        })
    });
    let response = next.run(request).await;
    let refused = lock(&held).refused;
    if refused {
        return AppError::Busy.into_response_for(&path);
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
    gate: Arc<IntakeGate>,
    held: Arc<Mutex<Held>>,
    received: usize,
    /// Room being waited for (and from which pool), for the frame in `pending`.
    waiting: Option<(Acquiring, bool)>,
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
            if let Some((waiting, from_heads)) = this.waiting.as_mut() {
                let acquired = std::task::ready!(waiting.as_mut().poll(cx));
                let from_heads = *from_heads;
                this.waiting = None;
                let Ok(Ok(permit)) = acquired else {
                    lock(&this.held).refused = true;
                    return Poll::Ready(Some(Err(axum::Error::new(std::io::Error::other(
                        "no room for this body now",
                    )))));
                };
                lock(&this.held).keep(permit, from_heads);
                return Poll::Ready(this.pending.take().map(Ok));
            }
            let frame = match std::task::ready!(std::pin::Pin::new(&mut this.inner).poll_frame(cx))
            {
                Some(Ok(frame)) => frame,
                other => return Poll::Ready(other),
            };
            let len = frame.data_ref().map_or(0, Bytes::len);
            if len == 0 {
                return Poll::Ready(Some(Ok(frame)));
            }
            this.received += len;
            let from_heads = this.received <= HEAD_BYTES;
            let pool = match from_heads {
                true => this.gate.heads.clone(),
                false => this.gate.budget.clone(),
            };
            let kib = u32::try_from(len.div_ceil(1024)).unwrap_or(u32::MAX);
            // Most frames find room at once; otherwise wait, within a limit.
            if let Ok(permit) = pool.clone().try_acquire_many_owned(kib) {
                lock(&this.held).keep(permit, from_heads);
                return Poll::Ready(Some(Ok(frame)));
            }
            this.pending = Some(frame);
            this.waiting = Some((
                Box::pin(tokio::time::timeout(
                    BUDGET_WAIT,
                    pool.acquire_many_owned(kib),
                )),
                from_heads,
            ));
        }
    }

    fn is_end_stream(&self) -> bool {
        self.pending.is_none() && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
