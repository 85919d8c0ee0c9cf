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
