//! Hostile input on every public endpoint: each gets a clear 4xx, nothing is
//! stored half-way, and the server keeps serving.

use crate::helpers::spawn_app;

#[tokio::test]
async fn hostile_bodies_get_4xx_and_leave_nothing_behind() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let broken_utf8 = vec![b'{', b'"', 0xFF, 0xFE, b'"', b'}'];
    let deep_json = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes();
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("application/json", broken_utf8.clone()),
        ("application/json", deep_json.clone()),
        ("application/json", b"null".to_vec()),
        ("application/json", br#"{"category":["x"],"country":1,"language":null,"answers":[]}"#.to_vec()),
        ("application/json", br#"{"category":"other","country":"LU","language":"en","answers":{"description":"<script>alert(1)</script>","../../etc/passwd":"x"}}"#.to_vec()),
        ("multipart/form-data; boundary=b", b"--b\r\nContent-Disposition: form-data; name=\"report\"\r\n\r\n\xff\xfe\r\n--b--\r\n".to_vec()),
        ("multipart/form-data", b"no boundary".to_vec()),
        ("multipart/form-data; boundary=b", b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../x.jpg\"\r\n\r\n\x00\x01\xff binary\r\n--b\r\nContent-Disposition: form-data; name=\"report\"\r\n\r\n{\"category\":\"other\",\"country\":\"LU\",\"language\":\"en\",\"answers\":{\"description\":\"x\"}}\r\n--b--\r\n".to_vec()),
        ("text/plain", b"category=other".to_vec()),
        ("application/x-www-form-urlencoded", b"a=%ZZ&&=".to_vec()),
    ];
    for path in [
        "/api/v1/reports",
        "/api/v1/follow-up",
        "/api/v1/follow-up/messages",
        "/report",
        "/follow-up",
        "/admin/sign-in",
        "/admin/invitation/0123456789abcdef",
        "/portal/sign-in",
        "/portal/invitation/0123456789abcdef",
    ] {
        for (content_type, body) in &bodies {
            let status = app
                .post_raw(path, content_type, body.clone())
                .await
                .status()
                .as_u16();
            assert!(
                (400..500).contains(&status),
                "{path} with {content_type}: {status}"
            );
        }
    }
    // Setup links and awareness pages with tricky paths.
    for path in [
        "/setup/%00",
        "/setup/..%2F..%2Fetc%2Fpasswd",
        "/about/%2Fetc%2Fpasswd",
        "/about/what-is-csec%00",
        "/report/../../etc/passwd",
        "/portal/invitation/%00",
        "/portal/invitation/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/referral.schema.json/..%2F..%2Fetc%2Fpasswd",
    ] {
        let status = app.get(path).await.status().as_u16();
        assert!((400..500).contains(&status), "{path}: {status}");
    }
    assert_eq!(app.report_count().await, 0, "nothing stored");
    assert!(
        app.state.files.keys().await.unwrap().is_empty(),
        "no file left behind"
    );
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "the server keeps serving"
    );
}

#[tokio::test]
async fn scripts_in_answers_are_stored_as_text_and_shown_escaped() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let script = "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>";
    let r = app
        .post_report(&serde_json::json!({
            "category": "other", "country": "LU", "language": "en",
            "answers": { "description": script, "city": "\u{202e}evil\u{0000}" }
        }))
        .await;
    let opened = app.open_created(r).await;
    assert_eq!(
        opened.content.answers["description"], script,
        "kept exactly, as text"
    );
}

/// Posts a url-encoded body as it is, with the browser's cookies.
async fn post_encoded(browser: &crate::backoffice::Browser, path: &str, body: String) -> u16 {
    browser
        .client
        .post(format!("{}{path}", browser.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn hostile_values_behind_valid_tokens_reach_the_parsers_and_are_refused_cleanly() {
    use crate::backoffice::{report_with_files, signed_in, team};
    let app = spawn_app().await;
    let team = team(&app).await;
    let (report, _) = report_with_files(&app, "a report to annotate", vec![]).await;
    let admin = signed_in(&app, &team.admin).await;
    let csrf = &admin.csrf;
    assert!(!csrf.is_empty(), "a real token");
    let notes = format!("/admin/reports/{report}/notes");
    let notes_before = count(&app, "notes").await;

    // Each body carries the session's valid token, so the form's own parser
    // sees the hostile part; each is refused with a 4xx, never a 5xx.
    let cases: Vec<(&str, String, std::ops::RangeInclusive<u16>)> = vec![
        // Decoded with replacement characters (browsers never send it):
        // stored as that text, or refused.
        (
            "invalid UTF-8",
            format!("csrf={csrf}&note=%FF%FE%FD"),
            303..=422,
        ),
        (
            "a NUL in a field name",
            format!("csrf={csrf}&no%00te=x"),
            400..=422,
        ),
        (
            "the field twice, one empty",
            format!("csrf={csrf}&note=&note=x"),
            400..=422,
        ),
        (
            "the token twice, one wrong",
            format!("csrf=forged&csrf={csrf}&note=x"),
            400..=403,
        ),
        (
            "a body over the form limit",
            format!("csrf={csrf}&note={}", "a".repeat(70 * 1024)),
            413..=413,
        ),
        // Kept as written, as the WHATWG form parser does.
        (
            "broken percent-encoding",
            format!("csrf={csrf}&note=%ZZ%"),
            303..=303,
        ),
    ];
    let mut stored = 0;
    for (what, body, expected) in cases {
        let status = post_encoded(&admin, &notes, body).await;
        assert!(expected.contains(&status), "{what}: {status}");
        stored += i64::from(status == 303);
    }
    assert_eq!(
        count(&app, "notes").await,
        notes_before + stored,
        "no note half-stored"
    );

    // Identifiers that are paths, scripts or another organisation's: 4xx.
    for path in [
        "/admin/reports/..%2F..%2Fetc%2Fpasswd/notes".to_string(),
        "/admin/reports/%00/notes".to_string(),
        format!("/admin/reports/{report}%00/notes"),
    ] {
        let status = post_encoded(&admin, &path, format!("csrf={csrf}&note=x")).await;
        assert!((400..500).contains(&status), "{path}: {status}");
    }
    // A NUL anywhere (PostgreSQL refuses it in any text): never a 500.
    for path in [
        "/admin?q=%00",
        "/admin?label=%00&status=%00&country=%00",
        "/admin/users?email=%00",
        "/admin/audit?object=%00",
    ] {
        let status = admin.get(path).await.status().as_u16();
        assert!(status < 500, "{path}: {status}");
    }
    let visitor = crate::backoffice::Browser::new(&app);
    for path in ["/admin/sign-in", "/portal/sign-in"] {
        let status = post_encoded(
            &visitor,
            path,
            "email=a%00%40hotline.example&password=x%00&code=%00".into(),
        )
        .await;
        assert!((400..500).contains(&status), "{path} with NULs: {status}");
    }
    let status = post_encoded(
        &admin,
        "/admin/recipients",
        format!("csrf={csrf}&name=%3Cscript%3E&country=..%2F..&kind=%00"),
    )
    .await;
    assert_eq!(status, 422, "a recipient with hostile fields");
    assert_eq!(count(&app, "recipients").await, 0);

    // The public form with its valid, sealed draft: hostile answers, from
    // a browser that keeps the form's cookie (its post redirects to the
    // page that shows the error) and from a script without cookies (the
    // post's own answer shows it).
    let start = app.get("/report").await.text().await.unwrap();
    let draft = crate::helpers::hidden_field(&start, "draft");
    let step = crate::helpers::hidden_field(&start, "step");
    let without_cookies = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for (what, extra, expected) in [
        (
            "a category that is a path",
            ("category", "../../etc/passwd".to_string()),
            422..=422,
        ),
        (
            "a category with a NUL",
            ("category", "other\0".to_string()),
            422..=422,
        ),
        (
            "a step that does not exist (back to the first, which needs a category)",
            ("step", "../../admin".to_string()),
            422..=422,
        ),
        (
            "a field over 5 MB",
            ("category", "x".repeat(5 * 1024 * 1024 + 1)),
            413..=413,
        ),
    ] {
        let mut fields = vec![
            ("draft", draft.clone()),
            ("step", step.clone()),
            ("action", "continue".to_string()),
        ];
        fields.retain(|(name, _)| *name != extra.0);
        fields.push(extra);
        for client in [&app.client, &without_cookies] {
            let status = post_form(&app, client, &fields).await;
            assert!(expected.contains(&status), "{what}: {status}");
        }
    }
    assert_eq!(app.report_count().await, 1, "only the report made above");
    assert_eq!(app.get("/healthz").await.status(), 200);
}

/// Posts the report form as `client` does, following a redirect to the
/// page it leads to; the status of the page finally shown.
async fn post_form(
    app: &crate::helpers::TestApp,
    client: &reqwest::Client,
    fields: &[(&'static str, String)],
) -> u16 {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        form = form.text(*name, value.clone());
    }
    let r = client
        .post(app.url("/report"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    if r.status() == 303 {
        let to = r.headers()["location"].to_str().unwrap().to_string();
        return client
            .get(app.url(&to))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
    }
    r.status().as_u16()
}

async fn count(app: &crate::helpers::TestApp, table: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn raw_path_traversal_never_reaches_a_file() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    // Sent as written: an HTTP client library would remove the dots.
    for path in [
        "/static/../Cargo.toml",
        "/static/../../../../etc/passwd",
        "/about/../../../../etc/passwd",
        "/about/..%2f..%2f..%2fetc%2fpasswd",
        "/admin/../../etc/passwd",
        "/portal/../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "//etc/passwd",
        "/api/v1/questionnaires/..%2F..%2FCargo.toml",
    ] {
        let address = app.address.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        let answer = String::from_utf8_lossy(&answer);
        let status: u16 = answer
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        assert!((400..500).contains(&status), "{path}: {status}");
        assert!(
            !answer.contains("root:") && !answer.contains("[package]"),
            "{path} gave a file away"
        );
    }
}
