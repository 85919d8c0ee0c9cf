//! The pace a request body must keep. A client that stops sending (a
//! stalled upload) or drips bytes to hold a place in the intake queue is
//! cut off: the body ends with an error, the handler answers 400, and the
//! connection is closed. Timers start when the handler first reads, so time
//! spent waiting for a place in the intake queue is not counted.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Frame, SizeHint};
use tokio::time::{Instant, Sleep};

/// Longest wait for the next piece of a body.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(10);
/// Slowest average a body may keep once [`RATE_GRACE`] has passed: far
/// below a phone on a poor network or Tor, far above a drip.
pub const MIN_BYTES_PER_SECOND: u64 = 2 * 1024;
/// Time before the average rate is checked.
pub const RATE_GRACE: Duration = Duration::from_secs(20);

/// Middleware: every request body keeps the pace above.
pub async fn pace_bodies(request: Request, next: Next) -> Response {
    next.run(request.map(|body| Body::new(Paced::new(body))))
        .await
}

struct Paced {
    inner: Body,
    /// Set at the first read.
    clock: Option<Clock>,
    received: u64,
}

struct Clock {
    started: Instant,
    idle: Pin<Box<Sleep>>,
}

impl Paced {
    fn new(inner: Body) -> Self {
        Self {
            inner,
            clock: None,
            received: 0,
        }
    }
}

fn cut_off(why: &'static str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::TimedOut, why)
}

impl http_body::Body for Paced {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        let clock = this.clock.get_or_insert_with(|| Clock {
            started: Instant::now(),
            idle: Box::pin(tokio::time::sleep(IDLE_TIMEOUT)),
        });
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.received += data.len() as u64;
                }
                let elapsed = clock.started.elapsed();
                if elapsed > RATE_GRACE && this.received < MIN_BYTES_PER_SECOND * elapsed.as_secs()
                {
                    return Poll::Ready(Some(Err(axum::Error::new(cut_off(
                        "the request body arrives too slowly",
                    )))));
                }
                clock.idle.as_mut().reset(Instant::now() + IDLE_TIMEOUT);
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Pending => {
                if clock.idle.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(Some(Err(axum::Error::new(cut_off(
                        "the request body stopped arriving",
                    )))));
                }
                Poll::Pending
            }
            other => other,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
