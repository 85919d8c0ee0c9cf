use crate::helpers::spawn_app;

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    let r = app.get("/healthz").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap().trim(), "ok");
    let r = app.get("/readyz").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap().trim(), "ready");
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.state.db.close().await;
    let r = app.get("/readyz").await;
    assert_eq!(r.status(), 503);
    assert!(r.text().await.unwrap().contains("not ready"));
}

#[tokio::test]
async fn metrics_are_served_only_on_the_metrics_listener() {
    let app = spawn_app().await;
    app.get("/healthz").await;
    assert_eq!(app.get("/metrics").await.status(), 404);
    let r = app
        .client
        .get(format!("{}/metrics", app.metrics_address))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    assert!(
        body.contains(
            "ward_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"
        ),
        "{body}"
    );
    assert!(body.contains("ward_reports_received_total 0"), "{body}");
}

#[tokio::test]
async fn pages_carry_protective_headers() {
    let app = spawn_app().await;
    let r = app.get("/").await;
    let h = r.headers();
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["cache-control"], "no-store");
    assert!(
        h["permissions-policy"]
            .to_str()
            .unwrap()
            .contains("geolocation=()")
    );
    assert!(
        !h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("unsafe-inline")
    );
    assert_eq!(app.get("/no/such/page").await.status(), 404);
    let css = app.get("/static/ward.css").await;
    assert_eq!(css.status(), 200);
    assert!(
        css.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn postgresql_connections_can_require_tls() {
    let Some(url) = crate::helpers::fresh_database_url().await else {
        use std::io::Write;
        let _ = std::io::stderr()
            .write_all(b"SKIPPED: TLS to PostgreSQL needs WARD_TEST_DATABASE_URL\n");
        return;
    };
    let separator = if url.contains('?') { '&' } else { '?' };
    let db = ward::storage::Database::connect(&format!("{url}{separator}sslmode=require"), 1)
        .await
        .unwrap();
    let (ssl,): (bool,) =
        sqlx::query_as("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert!(ssl, "the connection is encrypted");
}

#[tokio::test]
async fn a_held_write_lock_gets_a_quick_503_that_says_when_to_come_back() {
    use sqlx::Connection;
    let app = spawn_app().await;
    if app.state.db.backend() != ward::config::Backend::Sqlite {
        eprintln!("SKIPPED on PostgreSQL: this test holds SQLite's write lock from outside");
        return;
    }
    app.complete_setup().await;
    // Another process (here, another connection) holds the database's write lock.
    let path = app.settings.sqlite_path();
    let mut outsider = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut outsider)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let r = app
        .post_report(&crate::helpers::sample_report("during the lock"))
        .await;
    let took = started.elapsed();
    assert_eq!(r.status(), 503, "{:?}", r.text().await);
    assert!(
        took < std::time::Duration::from_secs(5),
        "answered after {took:?}"
    );
    assert!(r.headers().contains_key("retry-after"));
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "error-busy");
    // The lock released, intake works again by itself.
    sqlx::query("ROLLBACK")
        .execute(&mut outsider)
        .await
        .unwrap();
    let r = app
        .post_report(&crate::helpers::sample_report("after the lock"))
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(
        app.report_count().await,
        1,
        "the refused report was not stored"
    );
}
