//! In-memory rate limits for submissions, receipt look-ups and sign-ins. Clients are
//! told apart by a salted hash of their address; the salt is random, lives
//! only in memory and is replaced every window (which also forgets every
//! count), so no address is ever stored, logged or written to disk.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::web::AppState;

/// Most clients remembered at once; beyond it the window starts afresh.
const MAX_CLIENTS: usize = 100_000;

pub struct RateLimiter {
    limit: u32,
    window: Duration,
    state: Mutex<State>,
}

struct State {
    salt: [u8; 32],
    started: Instant,
    counts: HashMap<[u8; 16], u32>,
}

impl State {
    fn fresh() -> Self {
        let mut salt = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        Self {
            salt,
            started: Instant::now(),
            counts: HashMap::new(),
        }
    }
}

impl RateLimiter {
    /// `limit` requests per client per `window`; a limit of 0 means no limit.
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            state: Mutex::new(State::fresh()),
        }
    }

    /// Counts one request; false when the client is over its limit.
    pub fn allow(&self, client: IpAddr) -> bool {
        if self.limit == 0 {
            return true;
        }
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if state.started.elapsed() >= self.window || state.counts.len() >= MAX_CLIENTS {
            *state = State::fresh();
        }
        let mut hasher = Sha256::new();
        hasher.update(state.salt);
        match client {
            IpAddr::V4(a) => hasher.update(a.octets()),
            // A whole /64 is one client: it is what one household or phone gets.
            IpAddr::V6(a) => hasher.update(&a.octets()[..8]),
        }
        let digest = hasher.finalize();
        let mut id = [0u8; 16];
        id.copy_from_slice(&digest[..16]);
        let count = state.counts.entry(id).or_insert(0);
        *count += 1;
        *count <= self.limit
    }

    /// Seconds until the current window ends, for `Retry-After`.
    pub fn retry_after(&self) -> u64 {
        let state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        self.window
            .saturating_sub(state.started.elapsed())
            .as_secs()
            .max(1)
    }
}

/// The limits of one Ward process.
pub struct RateLimits {
    pub submissions: RateLimiter,
    pub lookups: RateLimiter,
    /// Sign-in attempts on the back office's and the portal's forms.
    pub sign_ins: RateLimiter,
    /// Posts with a body to the reporting paths, counted before it is read.
    pub posts: RateLimiter,
}

impl RateLimits {
    pub fn new(enabled: bool, submissions: u32, lookups: u32, sign_ins: u32, posts: u32) -> Self {
        let window = Duration::from_secs(600);
        let on = |n: u32| if enabled { n } else { 0 };
        Self {
            submissions: RateLimiter::new(on(submissions), window),
            lookups: RateLimiter::new(on(lookups), window),
            sign_ins: RateLimiter::new(on(sign_ins), window),
            posts: RateLimiter::new(on(posts), window),
        }
    }
}

/// The client a request comes from, as the rate limiter sees it: the
/// connection's address, or behind a reverse proxy (`WARD_BEHIND_PROXY`) the
/// last address the proxy added to `X-Forwarded-For`. Never stored or logged.
pub struct Client(pub IpAddr);

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let connection = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        if !state.settings.behind_proxy {
            return Ok(Client(connection));
        }
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<IpAddr>().ok())
            .next_back();
        Ok(Client(forwarded.unwrap_or(connection)))
    }
}

/// Counts a request against `limiter`, or answers "too many requests".
pub fn check(limiter: &RateLimiter, client: &Client) -> Result<(), crate::web::error::AppError> {
    if limiter.allow(client.0) {
        Ok(())
    } else {
        Err(crate::web::error::AppError::RateLimited(
            limiter.retry_after(),
        ))
    }
}

/// Middleware of the reporting paths: a client over its limit of posts is
/// answered before a byte of its body is read (and the connection, its
/// body unread, is not kept).
pub async fn posts_before_body(
    axum::extract::State(state): axum::extract::State<AppState>,
    client: Client,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if request.method() == axum::http::Method::POST
        && let Err(e) = check(&state.limits.posts, &client)
    {
        let mut response = e.into_response_for(request.uri().path());
        response.headers_mut().insert(
            axum::http::header::CONNECTION,
            axum::http::HeaderValue::from_static("close"),
        );
        return response;
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_client_has_its_own_budget() {
        let limiter = RateLimiter::new(2, Duration::from_secs(600));
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        assert!(limiter.allow(a) && limiter.allow(a));
        assert!(!limiter.allow(a));
        assert!(limiter.allow(b));
        let v6a: IpAddr = "2001:db8::1".parse().unwrap();
        let v6b: IpAddr = "2001:db8::2".parse().unwrap();
        assert!(limiter.allow(v6a) && limiter.allow(v6b));
        assert!(!limiter.allow(v6a), "one /64 is one client");
    }

    #[test]
    fn a_new_window_forgets_everything() {
        let limiter = RateLimiter::new(1, Duration::from_millis(1));
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        assert!(limiter.allow(a));
        std::thread::sleep(Duration::from_millis(5));
        assert!(limiter.allow(a));
        assert!(
            RateLimiter::new(0, Duration::from_secs(1)).allow(a),
            "0 means off"
        );
    }
}
