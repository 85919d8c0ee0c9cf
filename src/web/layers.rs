//! Middleware shared by every route.
//!
//! Request logs name the method, the route *template* and the status only:
//! never the client's address, user agent, query string or concrete path
//! (paths can carry setup tokens).

use axum::Router;
use axum::extract::MatchedPath;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnRequest, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::web::error::PageError;
use crate::web::templates::{ErrorPage, Tr, render};

type MakeSpan = fn(&Request) -> tracing::Span;

pub fn trace() -> TraceLayer<SharedClassifier<ServerErrorsAsFailures>, MakeSpan> {
    TraceLayer::new_for_http()
        .make_span_with(request_span as MakeSpan)
        .on_request(DefaultOnRequest::new().level(Level::DEBUG))
        .on_response(DefaultOnResponse::new().level(Level::INFO))
}

fn request_span(request: &Request) -> tracing::Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    tracing::info_span!("request", method = %request.method(), route = %route)
}

/// Adds headers that keep pages from loading anything from elsewhere, from
/// being framed, from leaking the address in a Referer, and from being cached.
pub fn with_security_headers<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    router
        .layer(set(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ))
        .layer(set(header::REFERRER_POLICY, "no-referrer"))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(header::CACHE_CONTROL, "no-store"))
        .layer(set(
            HeaderName::from_static("permissions-policy"),
            "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), \
             microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()",
        ))
}

/// Turns an [`AppError`](crate::web::error::AppError) left by a handler into an
/// HTML page in the visitor's language.
pub async fn render_error_pages(tr: Tr, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let Some(error) = response.extensions_mut().remove::<PageError>() else {
        return response;
    };
    let page = ErrorPage {
        tr,
        title: tr.t(error.title_id),
        message: tr.t(error.message_id),
    };
    let mut page = (response.status(), render(&page)).into_response();
    // The error's own headers (`Retry-After`) stay with the page.
    if let Some(retry_after) = response.headers().get(header::RETRY_AFTER) {
        page.headers_mut()
            .insert(header::RETRY_AFTER, retry_after.clone());
    }
    page
}

/// CSRF protection for every form: a state-changing request must come from
/// this site. Browsers say where a request comes from in `Sec-Fetch-Site`
/// (or, older ones, `Origin`); a cross-site form post is refused with 403.
/// Nothing is stored, so the reporter is not tracked by a token.
/// The API is exempt: it uses no cookies, and partner sites call it from elsewhere.
pub async fn same_origin_posts(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    if !request.method().is_safe() && !is_api && is_cross_site(&request) {
        return crate::web::error::AppError::Domain(crate::domain::DomainError::Forbidden)
            .into_response();
    }
    next.run(request).await
}

fn is_cross_site(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Not a browser form post (command-line clients, API integrations).
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or("null");
    origin_host != host
}
