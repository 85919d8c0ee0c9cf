use ward::domain::totp;

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, hidden_field, sample_report, spawn_app};

#[tokio::test]
async fn before_setup_reporting_is_closed() {
    let app = spawn_app().await;
    let home = app.get("/").await;
    assert_eq!(home.status(), 200);
    assert!(
        home.text()
            .await
            .unwrap()
            .contains("Reporting is not open yet")
    );
    let r = app.post_report(&sample_report("a hotel guest")).await;
    assert_eq!(r.status(), 503);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("not open"));
    assert_eq!(app.report_count().await, 0);
}

#[tokio::test]
async fn the_setup_link_creates_the_organisation_once() {
    let app = spawn_app().await;
    let setup = app.complete_setup().await;
    assert!(setup.recovery_key.starts_with("AGE-SECRET-KEY-1"));
    // The first administrator also gets one-time recovery codes, and one of
    // them signs in instead of an authenticator code.
    assert_eq!(setup.recovery_codes.len(), 10, "{:?}", setup.recovery_codes);
    assert!(
        setup
            .done_page
            .contains("<a class=\"button\" href=\"/admin/sign-in\">Sign in to the back office</a>"),
        "the last page of setup leads to the back office"
    );
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url("/admin/sign-in"))
        .form(&[
            ("email", ADMIN_EMAIL),
            ("password", ADMIN_PASSWORD),
            ("code", setup.recovery_codes[0].as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);

    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("Hotline Luxembourg"), "{home}");
    assert!(!home.contains("not open yet"));

    // The administrator can unlock the vault and holds the organisation's key.
    let admin = app.unlock(ADMIN_EMAIL, ADMIN_PASSWORD).await.unwrap();
    assert!(admin.organisation_key.is_some());
    assert!(
        ward::domain::accounts::verify_totp(
            &app.state.instance_key,
            &admin.user,
            &totp::current_code(&setup.totp_secret).unwrap()
        )
        .unwrap()
    );

    // No further setup link is issued, and old ones are refused.
    assert!(
        ward::domain::setup::issue_setup_token(app.state.ctx())
            .await
            .unwrap()
            .is_none()
    );
    let r = app.get("/setup/0123456789abcdef").await;
    assert_eq!(r.status(), 409);
}

#[tokio::test]
async fn a_setup_link_works_only_once() {
    let app = spawn_app().await;
    let path = app.setup_path().await;
    let page = app.get(&path).await.text().await.unwrap();
    let secret = hidden_field(&page, "totp_secret");
    let code = totp::current_code(&secret).unwrap();
    let fields = [
        ("organisation", "Hotline"),
        ("country", "lu"),
        ("email", ADMIN_EMAIL),
        ("password", ADMIN_PASSWORD),
        ("password_confirm", ADMIN_PASSWORD),
        ("totp_secret", secret.as_str()),
        ("totp_code", code.as_str()),
    ];
    assert_eq!(app.post_setup(&path, &fields).await.status(), 200);
    // The second use is refused because setup is done, and nothing is created twice.
    let again = app.post_setup(&path, &fields).await;
    assert_eq!(again.status(), 409);
    let page = again.text().await.unwrap();
    assert!(page.contains("Setup is already complete"), "{page}");
    let (organisations,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organisations")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(organisations, 1);
}

#[tokio::test]
async fn unknown_setup_links_are_refused() {
    let app = spawn_app().await;
    let _valid = app.setup_path().await;
    let r = app.get("/setup/not-a-real-token").await;
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("not valid"));
}

#[tokio::test]
async fn setup_shows_every_problem_at_once() {
    let app = spawn_app().await;
    let path = app.setup_path().await;
    let page = app.get(&path).await.text().await.unwrap();
    assert!(page.contains("<svg"), "a QR code is drawn on the server");
    assert!(page.contains("autocomplete=\"new-password\""));
    let secret = hidden_field(&page, "totp_secret");
    let r = app
        .post_setup(
            &path,
            &[
                ("organisation", ""),
                ("country", "XX"),
                ("email", "not-an-email"),
                ("password", "short"),
                ("password_confirm", "short"),
                ("totp_secret", secret.as_str()),
                ("totp_code", "12"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("There is a problem"));
    for message in [
        "organisation",
        "two-letter",
        "correct format",
        "at least 12",
        "6-digit code",
    ] {
        assert!(page.contains(message), "missing error about {message}");
    }
    // Long enough is not enough: a password easy to guess is refused too,
    // and so is one made of the organisation's name.
    for weak in [
        "password1234",
        "aaaaaaaaaaaaaaaa",
        "qwertyuiop123",
        "Hotline Luxembourg",
    ] {
        let r = app
            .post_setup(
                &path,
                &[
                    ("organisation", "Hotline Luxembourg"),
                    ("country", "LU"),
                    ("email", "admin@example.org"),
                    ("password", weak),
                    ("password_confirm", weak),
                    ("totp_secret", secret.as_str()),
                    ("totp_code", "12"),
                ],
            )
            .await;
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("too easy to guess"), "{weak} was accepted");
    }
    // The link was not used up by a failed attempt.
    assert_eq!(app.get(&path).await.status(), 200);
    assert!(
        !ward::domain::setup::is_complete(app.state.ctx())
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn cross_site_form_posts_are_refused() {
    let app = spawn_app().await;
    let path = app.setup_path().await;
    for (header, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ] {
        let r = app
            .client
            .post(app.url(&path))
            .header(header, value)
            .form(&[("organisation", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{header}: {value}");
    }
    let same = app
        .client
        .post(app.url(&path))
        .header("sec-fetch-site", "same-origin")
        .form(&[("organisation", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 422, "a same-site post reaches the form");
    assert!(
        !ward::domain::setup::is_complete(app.state.ctx())
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn oversized_forms_are_refused() {
    let app = spawn_app().await;
    let path = app.setup_path().await;
    let huge = "x".repeat(100 * 1024);
    let r = app
        .post_setup(&path, &[("organisation", huge.as_str())])
        .await;
    assert_eq!(r.status(), 413);
    assert!(
        !ward::domain::setup::is_complete(app.state.ctx())
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn a_wrong_authenticator_code_is_refused() {
    let app = spawn_app().await;
    let path = app.setup_path().await;
    let page = app.get(&path).await.text().await.unwrap();
    let secret = hidden_field(&page, "totp_secret");
    let right = totp::current_code(&secret).unwrap();
    let wrong = if right == "123456" {
        "654321"
    } else {
        "123456"
    };
    let r = app
        .post_setup(
            &path,
            &[
                ("organisation", "Hotline"),
                ("country", "LU"),
                ("email", ADMIN_EMAIL),
                ("password", ADMIN_PASSWORD),
                ("password_confirm", ADMIN_PASSWORD),
                ("totp_secret", secret.as_str()),
                ("totp_code", wrong),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        !ward::domain::setup::is_complete(app.state.ctx())
            .await
            .unwrap()
    );
}
