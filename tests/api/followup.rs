//! The reporter's follow-up with the receipt code, and the rate limits.

use reqwest::multipart::{Form, Part};
use ward::config::Switch;
use ward::storage::messages;

use crate::helpers::{
    ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, fresh_database_url, hidden_field, sample_report,
    spawn_app, spawn_app_with, spawn_with, test_settings,
};

async fn submit(app: &TestApp) -> String {
    let r = app
        .post_report(&sample_report("A first account of what happened"))
        .await;
    assert_eq!(r.status(), 201);
    r.json::<serde_json::Value>().await.unwrap()["receipt"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn the_reporter_reads_messages_and_adds_information_with_the_code_alone() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let receipt = submit(&app).await;
    assert_eq!(app.get("/follow-up").await.status(), 200);

    // The code as a person might type it, with spaces.
    let spaced = format!("{} {} {}", &receipt[..4], &receipt[4..12], &receipt[12..]);
    let (status, page) = app
        .post_follow_up(Form::new().text("receipt", spaced).text("action", "view"))
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("We have received your report"));
    assert!(page.contains("There are no messages yet"));
    assert!(
        !page.contains(&receipt),
        "the code is not written into the page"
    );

    // The hotline asks a question; only the reporter's code (and the organisation) can read it.
    let row =
        ward::domain::reports::find_by_receipt(&app.state.db, &app.state.instance_key, &receipt)
            .await
            .unwrap()
            .unwrap();
    ward::domain::cases::workflow::message_reporter(
        app.state.ctx(),
        &app.admin_actor().await,
        &row.id,
        "Which floor was the room on?",
        true,
    )
    .await
    .unwrap();
    let (_, page) = app
        .post_follow_up(
            Form::new()
                .text("receipt", receipt.clone())
                .text("action", "view"),
        )
        .await;
    assert!(
        page.contains("From the hotline") && page.contains("Which floor was the room on?"),
        "{page}"
    );

    // The reporter answers, with a file, through the sealed pass.
    let pass = hidden_field(&page, "pass");
    let form = Form::new()
        .text("pass", pass.clone())
        .text("action", "send")
        .text("message", "The third floor, room 312.")
        .part(
            "file",
            Part::bytes(b"floor plan notes".to_vec()).file_name("notes.txt"),
        );
    let (status, page) = app.post_follow_up(form).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Your information was sent"));
    assert!(
        page.contains("From you")
            && page.contains("The third floor, room 312.")
            && page.contains("notes.txt")
    );

    // An empty message is refused; a forged pass sends the reporter back to the code.
    let (status, page) = app
        .post_follow_up(
            Form::new()
                .text("pass", pass)
                .text("action", "send")
                .text("message", " "),
        )
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("Write a message or add a file"));
    let (status, page) = app
        .post_follow_up(
            Form::new()
                .text("pass", "Zm9yZ2Vk")
                .text("action", "send")
                .text("message", "x"),
        )
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Enter your receipt code again"));

    // The analyst reads the reporter's message with the organisation's key.
    let stored = messages::for_report(&app.state.db, &row.organisation_id, &row.id)
        .await
        .unwrap();
    assert_eq!(stored.len(), 2);
    let admin = app.unlock(ADMIN_EMAIL, ADMIN_PASSWORD).await.unwrap();
    let from_reporter = stored.iter().find(|m| m.author == "reporter").unwrap();
    let body = admin
        .organisation_key()
        .unwrap()
        .open(&from_reporter.sealed_body)
        .unwrap();
    assert!(String::from_utf8_lossy(&body).contains("room 312"));
    let files =
        ward::storage::attachments::for_report(&app.state.db, &row.organisation_id, &row.id)
            .await
            .unwrap();
    assert_eq!(
        files[0].message_id.as_deref(),
        Some(from_reporter.id.as_str())
    );
}

#[tokio::test]
async fn unknown_codes_get_a_clear_answer() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let (status, page) = app
        .post_follow_up(
            Form::new()
                .text("receipt", "12345678901234567890")
                .text("action", "view"),
        )
        .await;
    assert_eq!(status, 404);
    assert!(page.contains("No report has this receipt code"));
    assert!(
        page.contains("value=\"12345678901234567890\""),
        "what was typed stays in the field, to be corrected"
    );
    let (status, page) = app
        .post_follow_up(
            Form::new()
                .text("receipt", "<script>\"x")
                .text("action", "view"),
        )
        .await;
    assert_eq!(status, 404);
    assert!(!page.contains("<script>\"x"), "what was typed is escaped");
    assert!(page.contains("value=\"&#60;script&#62;&#34;x\""), "{page}");
}

#[tokio::test]
async fn the_follow_up_page_says_what_was_reported_when_and_that_it_was_passed_on() {
    let app = spawn_app().await;
    let team = crate::backoffice::team(&app).await;
    let receipt = submit(&app).await;
    // Viewed, or viewed in another language (the switcher's button).
    let view = |action: &'static str| {
        app.post_follow_up(
            Form::new()
                .text("receipt", receipt.clone())
                .text("action", action),
        )
    };
    let (status, page) = view("view").await;
    assert_eq!(status, 200);
    let category = ward::i18n::text("en", "cat-travel-tourism");
    assert!(page.contains(&format!("<dd>{category}</dd>")), "{page}");
    let (year, month, day) = ward::domain::time::year_month_day(ward::domain::time::now_millis());
    let month_name = ward::i18n::text("en", &format!("month-{month}"));
    assert!(
        page.contains(&format!("<dd>{day} {month_name} {year}</dd>")),
        "the date as English writes it"
    );
    assert!(!page.contains("was passed to"), "not passed on yet");

    // A referral to a prosecutor is sent: the reporter is told, in plain words.
    let row =
        ward::domain::reports::find_by_receipt(&app.state.db, &app.state.instance_key, &receipt)
            .await
            .unwrap()
            .unwrap();
    let admin = crate::backoffice::signed_in(&app, &team.admin).await;
    let recipient = crate::network::add_recipient(
        &admin,
        &[
            ("name", "Parquet de Luxembourg"),
            ("country", "LU"),
            ("kind", "prosecutor"),
        ],
    )
    .await;
    let analyst = crate::backoffice::signed_in(&app, &team.analyst).await;
    let referrals = format!("/admin/reports/{}/referrals", row.id);
    let r = analyst
        .post(
            &referrals,
            &[
                ("recipients", recipient.as_str()),
                ("answers", "description"),
                ("summary", "For the prosecutor."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let referral = crate::network::referrals_of(&app, &row.id).await.remove(0);
    let (_, page) = view("view").await;
    assert!(!page.contains("was passed to"), "prepared is not sent");
    let sent = format!("{referrals}/{}/sent", referral.0);
    assert_eq!(analyst.post(&sent, &[]).await.status(), 303);
    let (_, page) = view("view").await;
    assert!(
        page.contains(&format!(
            "On {day} {month_name} {year} your report was passed to the police or the competent authorities."
        )),
        "{page}"
    );
    let (_, page) = view("lang:fr").await;
    assert!(page.contains("votre signalement a été transmis à la police"));
}

#[tokio::test]
async fn the_api_gives_the_status_and_takes_messages() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let receipt = submit(&app).await;
    let r = app
        .client
        .post(app.url("/api/v1/follow-up?lang=fr"))
        .json(&serde_json::json!({ "receipt": receipt }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], "received");
    assert!(
        body["status_text"]
            .as_str()
            .unwrap()
            .contains("Nous avons reçu")
    );
    let r = app
        .client
        .post(app.url("/api/v1/follow-up/messages"))
        .json(&serde_json::json!({ "receipt": receipt, "message": "One more detail" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let body: serde_json::Value = app
        .client
        .post(app.url("/api/v1/follow-up"))
        .json(&serde_json::json!({ "receipt": receipt }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["messages"][0]["from"], "reporter");
    assert_eq!(body["messages"][0]["body"], "One more detail");
    let r = app
        .client
        .post(app.url("/api/v1/follow-up"))
        .json(&serde_json::json!({ "receipt": "00000000000000000000" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = app
        .client
        .post(app.url("/api/v1/follow-up"))
        .body("{")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn look_ups_and_submissions_are_rate_limited_unless_switched_off() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = test_settings(dir.path(), fresh_database_url().await);
    settings.rate_limit_lookups = 3;
    settings.rate_limit_reports = 2;
    let app = spawn_with(settings, dir).await;
    app.complete_setup().await;
    submit(&app).await;
    submit(&app).await;
    let r = app.post_report(&sample_report("a third one")).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "error-rate-limited"
    );
    for _ in 0..3 {
        let (status, _) = app
            .post_follow_up(Form::new().text("receipt", "12345678901234567890"))
            .await;
        assert_eq!(status, 404);
    }
    let (status, page) = app
        .post_follow_up(Form::new().text("receipt", "12345678901234567890"))
        .await;
    assert_eq!(status, 429);
    assert!(page.contains("Too many attempts"));

    let app = spawn_app_with(|s| {
        s.rate_limits = Switch::Off;
        s.rate_limit_reports = 1;
    })
    .await;
    app.complete_setup().await;
    for _ in 0..3 {
        submit(&app).await;
    }
}

#[tokio::test]
async fn behind_a_proxy_each_forwarded_client_has_its_own_budget() {
    let app = spawn_app_with(|s| {
        s.rate_limit_lookups = 1;
        s.behind_proxy = true;
    })
    .await;
    app.complete_setup().await;
    let look_up = |forwarded: &'static str| {
        app.client
            .post(app.url("/api/v1/follow-up"))
            .header("x-forwarded-for", forwarded)
            .json(&serde_json::json!({ "receipt": "12345678901234567890" }))
            .send()
    };
    assert_eq!(look_up("198.51.100.7").await.unwrap().status(), 404);
    assert_eq!(
        look_up("198.51.100.8").await.unwrap().status(),
        404,
        "another client"
    );
    assert_eq!(
        look_up("203.0.113.1, 198.51.100.7").await.unwrap().status(),
        429,
        "the proxy's last entry counts"
    );
}

#[tokio::test]
async fn changing_language_on_the_follow_up_page_keeps_it_open() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let receipt = submit(&app).await;
    let (_, page) = app
        .post_follow_up(Form::new().text("receipt", receipt).text("action", "view"))
        .await;
    assert!(page.contains("form=\"followup-form\" name=\"action\" value=\"lang:pt\""));
    let pass = hidden_field(&page, "pass");
    let (status, page) = app
        .post_follow_up(
            Form::new()
                .text("pass", pass)
                .text("action", "lang:pt")
                .text("message", "not sent"),
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<html lang=\"pt\"") && page.contains("Recebemos a sua denúncia"),
        "{page}"
    );
    assert!(page.contains("Ainda não há mensagens"), "nothing was sent");
}

#[tokio::test]
async fn codes_given_under_earlier_receipt_schemes_keep_working() {
    use ward::domain::receipts::{Scheme, check_v3, derive_with};
    for scheme in [Scheme::V2, Scheme::V1] {
        let app = spawn_app().await;
        app.complete_setup().await;
        let receipt = submit(&app).await;
        assert_eq!(receipt.len(), 24);
        let key = &app.state.instance_key;
        let (stored, sealed): (String, Vec<u8>) =
            sqlx::query_as("SELECT receipt_hash, reporter_sealed_key FROM reports")
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        let current = check_v3(key, &receipt, &stored).expect("the code matches its report");
        let reporter_key = current.seal_key.open(&sealed).unwrap();
        // Rewrite the report as an earlier scheme stored it: a 20-digit code,
        // one salt for the whole instance.
        let old_code = "12345678901234567890";
        let old = derive_with(scheme, key, old_code);
        sqlx::query("UPDATE reports SET receipt_hash = $1, reporter_sealed_key = $2")
            .bind(&old.lookup_hash)
            .bind(old.seal_key.seal(&reporter_key))
            .execute(app.state.db.pool())
            .await
            .unwrap();

        // The old code still finds the report, and the reporter still writes and reads.
        let (status, page) = app
            .post_follow_up(Form::new().text("receipt", old_code).text("action", "view"))
            .await;
        assert_eq!(status, 200, "{scheme:?}: {page}");
        let pass = hidden_field(&page, "pass");
        let (status, page) = app
            .post_follow_up(
                Form::new()
                    .text("pass", pass)
                    .text("action", "send")
                    .text("message", "Still here, under the old code."),
            )
            .await;
        assert_eq!(status, 200);
        assert!(page.contains("Still here, under the old code."));
    }
}

#[tokio::test]
async fn a_code_opens_only_its_own_report() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let first = submit(&app).await;
    let second = submit(&app).await;
    // Every report has its own salt: no two stored hashes share one.
    let salts: Vec<(String,)> = sqlx::query_as("SELECT receipt_hash FROM reports")
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
    let salts: std::collections::HashSet<String> = salts
        .into_iter()
        .map(|(h,)| h.split(':').nth(2).unwrap().to_string())
        .collect();
    assert_eq!(salts.len(), 2);
    // A code that differs from a real one in a single secret digit opens nothing.
    let mut wrong = first.clone();
    wrong.replace_range(23.., if first.ends_with('0') { "1" } else { "0" });
    for (code, expected) in [(&first, 200), (&second, 200), (&wrong, 404)] {
        let (status, _) = app
            .post_follow_up(
                Form::new()
                    .text("receipt", code.clone())
                    .text("action", "view"),
            )
            .await;
        assert_eq!(status, expected, "{code}");
    }
}

#[tokio::test]
async fn the_database_keeps_only_the_hour_of_what_a_reporter_does() {
    const HOUR: i64 = 3_600_000;
    let app = spawn_app().await;
    app.complete_setup().await;
    let receipt = submit(&app).await;
    let row =
        ward::domain::reports::find_by_receipt(&app.state.db, &app.state.instance_key, &receipt)
            .await
            .unwrap()
            .unwrap();
    // The exact time travels sealed with the content.
    let opened = app.open_as_admin(&row).await;
    let received = opened
        .content
        .received_at
        .expect("the exact time is sealed");
    assert!((ward::storage::now_millis() - received).abs() < 60_000);

    // The hotline asks; the reporter answers with a file, within the hour.
    let admin = app.admin_actor().await;
    ward::domain::cases::workflow::message_reporter(
        app.state.ctx(),
        &admin,
        &row.id,
        "Which floor was the room on?",
        true,
    )
    .await
    .unwrap();
    let (_, page) = app
        .post_follow_up(
            Form::new()
                .text("receipt", receipt.clone())
                .text("action", "view"),
        )
        .await;
    let pass = hidden_field(&page, "pass");
    let (status, page) = app
        .post_follow_up(
            Form::new()
                .text("pass", pass)
                .text("action", "send")
                .text("message", "The third floor.")
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(b"floor plan".to_vec()).file_name("plan.txt"),
                ),
        )
        .await;
    assert_eq!(status, 200, "{page}");
    // Read in the order written, though the rows keep only the hour.
    let question = page.find("Which floor was the room on?").unwrap();
    let answer = page.find("The third floor.").unwrap();
    assert!(question < answer);
    let for_hotline = ward::domain::followup::for_hotline(
        &app.state.db,
        admin.organisation_key.as_ref().unwrap(),
        &row.organisation_id,
        &row.id,
    )
    .await
    .unwrap();
    let authors: Vec<&str> = for_hotline.iter().map(|m| m.author.as_str()).collect();
    assert_eq!(authors, ["analyst", "reporter"]);

    // Every clear time of the reporter's doing is the hour and a rank (the
    // order of arrival in this process), never the minute or the second.
    let times: Vec<(String, i64)> = sqlx::query_as(
        "SELECT 'report', created_at FROM reports \
         UNION ALL SELECT 'reporter message', created_at FROM messages WHERE author = 'reporter' \
         UNION ALL SELECT 'attachment', created_at FROM attachments",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(times.len(), 3);
    for (what, at) in times {
        assert_eq!(at - at % HOUR, received - received % HOUR, "{what}");
        assert!(at % HOUR < 100_000, "{what} keeps the exact time {at}");
        assert_ne!(at, received, "{what}");
    }
}

/// Sends a request line and headers that announce a large body, sends no
/// body, and returns the status line of the answer (within 5 s).
async fn status_without_sending_the_body(app: &TestApp, path: &str, content_type: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nOrigin: {}\r\nContent-Type: {content_type}\r\nContent-Length: 200000000\r\n\r\n",
        app.address
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 512];
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut answer))
        .await
        .expect("an answer before any of the body is sent")
        .unwrap();
    String::from_utf8_lossy(&answer[..n])
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn a_client_over_its_limit_of_posts_is_turned_away_before_its_body_is_read() {
    let app = spawn_app_with(|s| {
        s.rate_limit_posts = 4;
        s.rate_limit_lookups = 1_000;
        s.rate_limit_reports = 1_000;
    })
    .await;
    app.complete_setup().await;
    let receipt = submit(&app).await;
    let message = || app.post_message(&receipt, "One more detail");
    assert_eq!(message().await.status(), 201);
    let (status, _) = app
        .post_follow_up(
            Form::new()
                .text("receipt", receipt.clone())
                .text("action", "view"),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(message().await.status(), 201);
    // Four posts so far (the report, two messages, the look-up): every
    // reporting path now answers 429 without waiting for the body.
    for (path, content_type) in [
        ("/follow-up", "multipart/form-data; boundary=x"),
        ("/api/v1/follow-up/messages", "application/json"),
        ("/api/v1/reports", "application/json"),
        ("/report", "multipart/form-data; boundary=x"),
    ] {
        let status = status_without_sending_the_body(&app, path, content_type).await;
        assert!(status.contains(" 429 "), "{path}: {status}");
    }
}

#[tokio::test]
async fn one_report_takes_a_bounded_number_of_messages_a_day() {
    let app = spawn_app_with(|s| {
        s.rate_limits = Switch::Off;
    })
    .await;
    app.complete_setup().await;
    let receipt = submit(&app).await;
    for n in 0..ward::domain::followup::MAX_MESSAGES_PER_DAY {
        let r = app.post_message(&receipt, &format!("Detail {n}")).await;
        assert_eq!(r.status(), 201, "message {n}");
    }
    let r = app.post_message(&receipt, "Detail 99").await;
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        body["fields"][0]["code"], "invalid-followup-too-many",
        "{body}"
    );
    // Another report is not affected.
    let other = submit(&app).await;
    assert_eq!(app.post_message(&other, "Mine").await.status(), 201);
}

#[tokio::test]
async fn the_longest_message_fits_whatever_its_script() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let receipt = submit(&app).await;
    // 20,000 characters of four bytes each, escaped or not.
    let longest = "😀".repeat(ward::domain::followup::MAX_MESSAGE_CHARS);
    assert_eq!(app.post_message(&receipt, &longest).await.status(), 201);
    let too_long = format!("{longest}!");
    assert_eq!(app.post_message(&receipt, &too_long).await.status(), 422);
}
