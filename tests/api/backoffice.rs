//! Back-office sign-in, sessions and the inbox.

use ward::domain::totp;

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, sample_report, spawn_app};

async fn sign_in(app: &TestApp, password: &str, code: &str) -> reqwest::Response {
    app.client
        .post(app.url("/admin/sign-in"))
        .form(&[
            ("email", ADMIN_EMAIL),
            ("password", password),
            ("code", code),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_administrator_signs_in_with_password_and_code_and_sees_the_inbox() {
    let app = spawn_app().await;
    let setup = app.complete_setup().await;
    assert_eq!(
        app.post_report(&sample_report("seen at the pool"))
            .await
            .status(),
        201
    );

    // Not signed in: sent to the sign-in page.
    let r = app.get("/admin").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/admin/sign-in");
    let page = app.get("/admin/sign-in").await.text().await.unwrap();
    for autocomplete in ["username", "current-password", "one-time-code"] {
        assert!(
            page.contains(&format!("autocomplete=\"{autocomplete}\"")),
            "{autocomplete}"
        );
    }

    // Wrong password, then a wrong code: refused with one message.
    let r = sign_in(
        &app,
        "not the right password",
        &totp::current_code(&setup.totp_secret).unwrap(),
    )
    .await;
    assert_eq!(r.status(), 401);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("password or authenticator code is wrong")
    );
    let r = sign_in(&app, ADMIN_PASSWORD, "000000").await;
    assert_eq!(r.status(), 401);

    // Right password and code.
    let code = totp::current_code(&setup.totp_secret).unwrap();
    let r = sign_in(&app, ADMIN_PASSWORD, &code).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/admin");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("ward_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let inbox = app.get("/admin?lang=en").await;
    assert_eq!(inbox.status(), 200);
    let page = inbox.text().await.unwrap();
    assert!(
        page.contains("Inbox") && page.contains("Thailand") && page.contains(ADMIN_EMAIL),
        "{page}"
    );
    assert!(
        !page.contains("seen at the pool"),
        "the inbox opens nothing sealed"
    );

    // The same code cannot be used twice.
    let replay = sign_in(
        &app,
        ADMIN_PASSWORD,
        &totp::current_code(&setup.totp_secret).unwrap(),
    )
    .await;
    assert_eq!(replay.status(), 401);

    // Sign out: the session is gone.
    let r = app
        .client
        .post(app.url("/admin/sign-out"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(app.get("/admin").await.status(), 303);
}

#[tokio::test]
async fn repeated_failures_lock_the_account() {
    let app = spawn_app().await;
    let setup = app.complete_setup().await;
    for _ in 0..5 {
        assert_eq!(
            sign_in(&app, "wrong password again", "123456")
                .await
                .status(),
            401
        );
    }
    let r = sign_in(
        &app,
        ADMIN_PASSWORD,
        &totp::current_code(&setup.totp_secret).unwrap(),
    )
    .await;
    assert_eq!(r.status(), 429);
    assert!(r.text().await.unwrap().contains("locked for 15 minutes"));
}

#[tokio::test]
async fn sessions_expire_when_idle_and_an_admin_sign_in_grants_pending_access() {
    use ward::domain::accounts;
    use ward::domain::values::{Email, Password, Role};
    let app = spawn_app().await;
    let setup = app.complete_setup().await;
    accounts::add_user(
        &app.state.db,
        &app.state.instance_key,
        Email::parse("analyst@hotline.example").unwrap(),
        Role::Analyst,
        Password::parse("analyst password 1").unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(
        sign_in(
            &app,
            ADMIN_PASSWORD,
            &totp::current_code(&setup.totp_secret).unwrap()
        )
        .await
        .status(),
        303
    );
    let users = accounts::list_users(&app.state.db).await.unwrap();
    assert!(
        users.iter().all(|u| u.has_access == 1),
        "the analyst was granted access at the admin's sign-in"
    );

    assert_eq!(app.get("/admin").await.status(), 200);
    sqlx::query("UPDATE sessions SET last_seen_at = 0")
        .execute(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(
        app.get("/admin").await.status(),
        303,
        "an idle session has ended"
    );
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(left, 0);
}
