use ward::domain::reports;

use crate::helpers::{sample_report, spawn_app, spawn_app_with};

#[tokio::test]
async fn a_report_gets_a_receipt_and_is_readable_by_the_organisation() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let r = app
        .post_report(&sample_report("Two children with an adult at the pool bar"))
        .await;
    assert_eq!(r.status(), 201);
    let body: serde_json::Value = r.json().await.unwrap();
    let receipt = body["receipt"].as_str().unwrap().to_string();
    assert!(
        receipt.len() >= 16 && receipt.chars().all(|c| c.is_ascii_digit()),
        "{receipt}"
    );

    let row = reports::find_by_receipt(&app.state.db, &app.state.instance_key, &receipt)
        .await
        .unwrap()
        .expect("the receipt finds the report");
    assert_eq!(
        (
            row.category.as_str(),
            row.country.as_str(),
            row.status.as_str()
        ),
        ("travel-tourism", "TH", "new")
    );
    assert!(
        reports::find_by_receipt(
            &app.state.db,
            &app.state.instance_key,
            "11111111111111111111"
        )
        .await
        .unwrap()
        .is_none()
    );

    let opened = app.open_as_admin(&row).await;
    assert_eq!(
        opened.content.answers["description"],
        "Two children with an adult at the pool bar"
    );
    let contact = opened.content.contact.unwrap();
    assert_eq!(contact.email.as_deref(), Some("reporter@example.org"));
    assert!(contact.may_contact);
    assert_eq!(opened.content.answers["place_name"], "Hotel Sol");

    let metrics = app
        .client
        .get(format!("{}/metrics", app.metrics_address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("ward_reports_received_total 1"),
        "{metrics}"
    );
}

#[tokio::test]
async fn malformed_bodies_get_a_clear_error_and_store_nothing() {
    let app = spawn_app().await;
    app.complete_setup().await;
    for (body, expected) in [
        ("{not json", "malformed JSON"),
        ("{\"category\": \"other\"", "ends too early"),
        ("[1, 2]", "wrong type"),
        (
            "{\"category\":\"other\",\"country\":\"LU\",\"language\":\"en\",\"answers\":{},\"extra\":1}",
            "unknown",
        ),
    ] {
        let r = app
            .post_raw("/api/v1/reports", "application/json", body)
            .await;
        assert_eq!(r.status(), 400, "{body}");
        let error: serde_json::Value = r.json().await.unwrap();
        assert!(
            error["error"].as_str().unwrap().contains(expected),
            "{error}"
        );
    }
    assert_eq!(app.report_count().await, 0);
}

#[tokio::test]
async fn invalid_fields_are_all_named() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let r = app
        .post_report(&serde_json::json!({
            "category": "burglary", "country": "ZZ", "language": "xx",
            "answers": { "a": { "nested": true } }, "contact": { "email": "not-an-email" }
        }))
        .await;
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.unwrap();
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["category", "country", "language", "contact_email"]);
    assert_eq!(app.report_count().await, 0);
}

#[tokio::test]
async fn answers_follow_the_categorys_questionnaire() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let r = app
        .post_report(&serde_json::json!({
            "category": "abuse-material", "country": "LU", "language": "en",
            "answers": { "urls": "not a link", "where_found": "moon", "children_count": "many", "place_type": "hotel" }
        }))
        .await;
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.unwrap();
    let fields: Vec<(String, String)> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for expected in [
        ("answers", "invalid-unknown-question"),
        ("urls", "invalid-url"),
        ("where_found", "invalid-option"),
        ("children_count", "invalid-number"),
    ] {
        assert!(
            fields.contains(&(expected.0.into(), expected.1.into())),
            "{expected:?} in {fields:?}"
        );
    }
    assert!(
        body["fields"][0]["message"].as_str().unwrap().len() > 10,
        "a human message"
    );

    // A required answer that is missing, and a hidden question's answer that is dropped.
    let r = app
        .post_report(&serde_json::json!({ "category": "other", "country": "LU", "language": "en", "answers": {} }))
        .await;
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "description");
    assert_eq!(body["fields"][0]["code"], "invalid-required");
    assert_eq!(app.report_count().await, 0);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = spawn_app_with(|s| {
        s.max_request_bytes = 64 * 1024;
    })
    .await;
    app.complete_setup().await;
    let r = app
        .post_report(&sample_report(&"x".repeat(100 * 1024)))
        .await;
    assert_eq!(r.status(), 413);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "error-too-large");
    let long = app.post_report(&sample_report(&"y".repeat(20_001))).await;
    assert_eq!(long.status(), 422);
    assert_eq!(app.report_count().await, 0);
}

#[tokio::test]
async fn pdfs_lose_their_metadata_and_hostile_pdfs_are_refused() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let report = sample_report("The booking confirmation is attached");

    // Author, XMP, comment author, file identifier and the EXIF of a photo
    // inside the PDF are gone; the page is still there.
    let original = include_bytes!("../fixtures/metadata.pdf").to_vec();
    let r = app
        .post_report_with_file(&report, "booking.pdf", original)
        .await;
    let opened = app.open_created(r).await;
    let (meta, bytes) = &opened.attachments[0];
    assert_eq!(meta.content_type, "application/pdf");
    for gone in [
        &b"Synthetic Reporter Name"[..],
        b"Synthetic Writer",
        b"Exif",
        b"SyntheticCameraMaker",
        b"53796E74686574696346696C65496430",
    ] {
        assert!(
            !bytes.windows(gone.len()).any(|w| w == gone),
            "{} is still in the PDF",
            String::from_utf8_lossy(gone)
        );
    }
    let doc = lopdf::Document::load_mem(bytes).expect("the cleaned PDF reads");
    let page = *doc.get_pages().values().next().unwrap();
    let text = doc.get_page_content(page);
    assert!(text.windows(19).any(|w| w == b"Room 312, Hotel Sol"));

    // A password-protected PDF cannot be cleaned: the reporter is told why.
    let protected = include_bytes!("../fixtures/protected.pdf").to_vec();
    let r = app
        .post_report_with_file(&report, "ticket.pdf", protected)
        .await;
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["fields"][0]["code"], "invalid-file-protected");

    // A small file that would take gigabytes to read (millions of numbers in
    // one array) and one nested 200,000 levels deep: refused or cleaned,
    // never taking the server down.
    let mut bomb = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n3 0 obj\n[".to_vec();
    bomb.extend(b"0 ".repeat(9 * 1024 * 1024));
    bomb.extend(b"]\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
    let r = app.post_report_with_file(&report, "big.pdf", bomb).await;
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["fields"][0]["code"], "invalid-file-damaged");
    let mut nested =
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n".to_vec();
    nested.extend(b"[".repeat(200_000));
    nested.extend(b"]".repeat(200_000));
    nested.extend(b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
    let r = app.post_report_with_file(&report, "deep.pdf", nested).await;
    assert!(matches!(r.status().as_u16(), 201 | 422), "{}", r.status());
    let r = app
        .post_report_with_file(&report, "cut.pdf", b"%PDF-1.7\n1 0 obj <<".to_vec())
        .await;
    assert_eq!(r.status(), 422);

    assert_eq!(app.get("/healthz").await.status(), 200);
    let stored = app.report_count().await as usize; // one file per accepted report
    assert_eq!(
        app.state.files.keys().await.unwrap().len(),
        stored,
        "no file left behind by refused reports"
    );
}

#[tokio::test]
async fn files_sent_with_the_api_lose_their_metadata() {
    use reqwest::multipart::{Form, Part};
    let app = spawn_app().await;
    app.complete_setup().await;
    let report = sample_report("The photo shows the hotel entrance").to_string();
    let jpeg = include_bytes!("../fixtures/gps.jpg").to_vec();
    let form = Form::new()
        .text("report", report.clone())
        .part("file", Part::bytes(jpeg).file_name("IMG_0001.jpg"));
    let r = app.post_report_form(form).await;
    let opened = app.open_created(r).await;
    let (meta, bytes) = &opened.attachments[0];
    assert_eq!(
        (meta.file_name.as_str(), meta.content_type.as_str()),
        ("IMG_0001.jpg", "image/jpeg")
    );
    assert!(bytes.starts_with(&[0xFF, 0xD8]));
    for gone in [&b"Exif"[..], b"SyntheticCameraMaker", b"SyntheticComment"] {
        assert!(!bytes.windows(gone.len()).any(|w| w == gone));
    }

    // A program disguised as a photo is refused, and nothing is stored.
    let form = Form::new().text("report", report.clone()).part(
        "file",
        Part::bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".to_vec()).file_name("photo.jpg"),
    );
    let r = app.post_report_form(form).await;
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "file");
    assert_eq!(body["fields"][0]["code"], "invalid-file-type");

    // A multipart body without the report part, or a broken one.
    let r = app
        .client
        .post(app.url("/api/v1/reports"))
        .multipart(Form::new().text("other", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = app
        .post_raw(
            "/api/v1/reports",
            "multipart/form-data; boundary=zz",
            "--zz\r\nContent-Disposition: form-data; name=\"report\"\r\n\r\n{",
        )
        .await;
    assert_eq!(r.status(), 400);
    assert_eq!(app.report_count().await, 1);
    assert_eq!(
        app.state.files.keys().await.unwrap().len(),
        1,
        "no file left behind by refused reports"
    );
}

#[tokio::test]
async fn every_category_can_be_reported_through_the_api() {
    let app = spawn_app().await;
    app.complete_setup().await;
    for category in reports::CATEGORIES {
        let q: serde_json::Value = app
            .get(&format!("/api/v1/questionnaires/{category}"))
            .await
            .json()
            .await
            .unwrap();
        // Answer every required question, as an app reading the questionnaire would.
        let mut answers = serde_json::Map::new();
        for page in q["pages"].as_array().unwrap() {
            for question in page["questions"].as_array().unwrap() {
                if question["required"] == true {
                    let value = match question["type"].as_str().unwrap() {
                        "urls" => serde_json::json!(["https://example.org/a-page"]),
                        _ => serde_json::json!("Seen at the harbour"),
                    };
                    answers.insert(question["id"].as_str().unwrap().to_string(), value);
                }
            }
        }
        let r = app
            .post_report(&serde_json::json!({ "category": category, "country": "PT", "language": "pt", "answers": answers }))
            .await;
        assert_eq!(r.status(), 201, "{category}");
    }
    assert_eq!(app.report_count().await, 5);
}

#[tokio::test]
async fn file_limits_are_configurable_and_enforced() {
    use reqwest::multipart::{Form, Part};
    let app = spawn_app_with(|s| {
        s.max_files = 1;
        s.max_file_mb = 1;
    })
    .await;
    app.complete_setup().await;
    let report = sample_report("with files").to_string();
    let send = |form: Form| {
        app.client
            .post(app.url("/api/v1/reports"))
            .multipart(form)
            .send()
    };
    let two = Form::new()
        .text("report", report.clone())
        .part("file", Part::bytes(b"one".to_vec()).file_name("a.txt"))
        .part("file", Part::bytes(b"two".to_vec()).file_name("b.txt"));
    let r = send(two).await.unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["fields"][0]["code"],
        "invalid-too-many-files"
    );
    let big = Form::new().text("report", report.clone()).part(
        "file",
        Part::bytes(vec![b'a'; 1024 * 1024 + 1]).file_name("big.txt"),
    );
    let r = send(big).await.unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["fields"][0]["code"],
        "invalid-file-too-large"
    );
    assert_eq!(app.report_count().await, 0);
}

#[tokio::test]
async fn partner_sites_may_call_the_api_from_another_origin() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let r = app
        .client
        .post(app.url("/api/v1/reports"))
        .header("origin", "https://partner-hotline.example")
        .header("sec-fetch-site", "cross-site")
        .json(&sample_report("sent by a partner's form"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}

#[tokio::test]
async fn a_json_report_is_refused_as_soon_as_it_passes_five_megabytes() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = crate::helpers::spawn_app().await;
    app.complete_setup().await;
    // The body announces 200 MB; after 6 MB the client stops sending and
    // waits: the answer comes without the rest ever being read.
    let address = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /api/v1/reports HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: 200000000\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b' '; 64 * 1024];
    for _ in 0..96 {
        if stream.write_all(&chunk).await.is_err() {
            break; // the server may close as soon as it has answered
        }
    }
    let mut answer = vec![0u8; 256];
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut answer))
        .await
        .expect("an answer while the body is still incomplete")
        .unwrap();
    let status = String::from_utf8_lossy(&answer[..n]);
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");
}
