//! Accepting and keeping connections, within limits an attacker cannot
//! stretch: a client must send its request's headers within a few seconds,
//! an idle kept-alive connection is closed after the same time, and the
//! number of open connections stays below the file-descriptor limit, so
//! that `accept` (and with it `/healthz`) keeps working under a flood of
//! half-sent requests. Request bodies have their own pace (`body_pace`).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// Time to send a request's headers, and to send the next request on a
/// kept-alive connection before it is closed.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// File descriptors kept free for the database, the file store and logs.
const RESERVED_DESCRIPTORS: u64 = 256;
/// Open connections at most, whatever the descriptor limit.
const MAX_CONNECTIONS: u64 = 16_384;

/// How many connections this process may hold open: the soft limit of
/// open files is first raised to the hard one (Linux gives services 1,024
/// by default), then a margin is kept for everything else.
pub fn connection_cap() -> usize {
    let soft = raise_open_file_limit().unwrap_or(MAX_CONNECTIONS);
    soft.saturating_sub(RESERVED_DESCRIPTORS)
        .clamp(16, MAX_CONNECTIONS) as usize
}

/// Raises this process's soft limit of open files to its hard limit;
/// returns the soft limit now in force (`None`: unlimited).
pub fn raise_open_file_limit() -> Option<u64> {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut limit = getrlimit(Resource::Nofile);
    if let Some(hard) = limit.maximum
        && limit.current.is_some_and(|soft| soft < hard)
    {
        limit.current = Some(hard);
        let _ = setrlimit(Resource::Nofile, limit);
    }
    getrlimit(Resource::Nofile).current
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the
/// requests in flight finish (the caller bounds how long).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    max_connections: usize,
    shutdown: impl Future<Output = ()> + Send,
) {
    let open = Arc::new(Semaphore::new(max_connections));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // At the cap, new connections wait in the kernel's queue until one
        // closes (idle ones close after HEADER_TIMEOUT).
        let permit = tokio::select! {
            permit = open.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, address) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors or memory for a moment: wait, never stop serving.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        // The address reaches only the rate limiter (hashed, in memory).
        let service =
            router
                .clone()
                .map_request(move |mut request: axum::http::Request<Incoming>| {
                    request
                        .extensions_mut()
                        .insert(ConnectInfo::<SocketAddr>(address));
                    request.map(axum::body::Body::new)
                });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_TIMEOUT)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}
