//! Sign-in with password and TOTP, sessions, lockout, CSRF.

use super::{Browser, Login, allow_another_code, audit_actions, team};
use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, sample_report, spawn_app, spawn_app_with};

#[tokio::test]
async fn a_member_signs_in_with_password_and_code_and_sees_the_inbox() {
    let app = spawn_app().await;
    let setup = app.complete_setup().await;
    let admin = Login::admin(&setup);
    assert_eq!(
        app.post_report(&sample_report("seen at the pool"))
            .await
            .status(),
        201
    );
    let browser = Browser::new(&app);

    // Not signed in: sent to the sign-in page.
    let r = browser.get("/admin").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/admin/sign-in");
    let (_, page) = browser.page("/admin/sign-in").await;
    for autocomplete in ["username", "current-password", "one-time-code"] {
        assert!(
            page.contains(&format!("autocomplete=\"{autocomplete}\"")),
            "{autocomplete}"
        );
    }

    // Wrong password, then a wrong code: refused with one message.
    let r = browser
        .sign_in_with(ADMIN_EMAIL, "not the right password", &admin.code())
        .await;
    assert_eq!(r.status(), 401);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("password or authenticator code is wrong")
    );
    let r = browser
        .sign_in_with(ADMIN_EMAIL, ADMIN_PASSWORD, "000000")
        .await;
    assert_eq!(r.status(), 401);

    // A cookie planted before sign-in is not adopted: sign-in makes a new session.
    let code = admin.code();
    let r = browser
        .client
        .post(format!("{}/admin/sign-in", browser.base))
        .header("cookie", "ward_session=planted.00")
        .form(&[
            ("email", ADMIN_EMAIL),
            ("password", ADMIN_PASSWORD),
            ("code", &code),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/admin");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("ward_session=")
            && !cookie.starts_with("ward_session=planted")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/admin"),
        "{cookie}"
    );
    let (status, page) = browser.page("/admin?lang=en").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Inbox") && page.contains("Thailand") && page.contains(ADMIN_EMAIL),
        "{page}"
    );
    assert!(
        !page.contains("seen at the pool"),
        "the inbox opens nothing sealed"
    );

    // The same code cannot be used twice.
    let replay = Browser::new(&app)
        .sign_in_with(ADMIN_EMAIL, ADMIN_PASSWORD, &code)
        .await;
    assert_eq!(replay.status(), 401);

    // Sign-in is recorded, failures too; the address typed is never recorded for unknown accounts.
    let unknown = Browser::new(&app)
        .sign_in_with("nobody@example.org", "a password of some length", "123456")
        .await;
    assert_eq!(unknown.status(), 401);
    let actions: Vec<String> = audit_actions(&app)
        .await
        .into_iter()
        .map(|(a, _, _)| a)
        .collect();
    assert_eq!(
        actions.iter().filter(|a| *a == "sign-in-failed").count(),
        4,
        "{actions:?}"
    );
    assert!(actions.contains(&"sign-in".to_string()));
    let (actors,): (String,) =
        sqlx::query_as("SELECT actor FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(actors, "unknown");

    // Sign out needs the form's token; then the session is gone.
    let mut browser = browser;
    browser.read_csrf().await;
    assert_eq!(browser.post_raw("/admin/sign-out", &[]).await.status(), 403);
    let r = browser.post("/admin/sign-out", &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(browser.get("/admin").await.status(), 303);
}

/// The sign-in attempts the administrator's account has taken in its window.
async fn attempts_taken(app: &crate::helpers::TestApp) -> i64 {
    let (taken,): (i64,) = sqlx::query_as("SELECT failed_sign_ins FROM users WHERE email = $1")
        .bind(ADMIN_EMAIL)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    taken
}

#[tokio::test]
async fn parallel_guesses_are_all_counted_and_five_lock_the_account() {
    // Many clients, as far as the per-client limit goes: only the account's own count is tried here.
    let app = spawn_app_with(|s| {
        s.rate_limit_sign_ins = 1_000;
    })
    .await;
    let setup = app.complete_setup().await;
    let admin = Login::admin(&setup);

    // 24 wrong passwords at once, from someone without the member's
    // authenticator: five are checked, the rest refused unchecked.
    let guesses = (0..24).map(|n| {
        let app = &app;
        let code = "000000";
        async move {
            Browser::new(app)
                .sign_in_with(ADMIN_EMAIL, &format!("wrong password number {n}"), code)
                .await
                .status()
                .as_u16()
        }
    });
    let mut statuses = futures::future::join_all(guesses).await;
    statuses.sort();
    assert_eq!(statuses, [vec![401; 5], vec![429; 19]].concat());
    let (taken, window_end): (i64, Option<i64>) =
        sqlx::query_as("SELECT failed_sign_ins, locked_until FROM users WHERE email = $1")
            .bind(ADMIN_EMAIL)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(taken, 5);
    let left = window_end.unwrap() - ward::storage::now_millis();
    assert!((14 * 60_000..=15 * 60_000).contains(&left), "{left}");
    let failures = audit_actions(&app)
        .await
        .into_iter()
        .filter(|(action, _, _)| action == "sign-in-failed")
        .count();
    assert_eq!(
        failures, 5,
        "each checked guess is audited, refused ones are not"
    );

    // Locked: without the authenticator's code, even the right password is not checked.
    let r = Browser::new(&app)
        .sign_in_with(ADMIN_EMAIL, ADMIN_PASSWORD, "000000")
        .await;
    assert_eq!(r.status(), 429);
    assert!(r.text().await.unwrap().contains("locked for 15 minutes"));

    // Someone who saw the member's current code gets one attempt with it,
    // never two, however many they send at once.
    let seen = admin.code();
    let with_seen_code = (0..6).map(|n| {
        let (app, seen) = (&app, seen.clone());
        async move {
            Browser::new(app)
                .sign_in_with(ADMIN_EMAIL, &format!("another wrong password {n}"), &seen)
                .await
                .status()
                .as_u16()
        }
    });
    let mut statuses = futures::future::join_all(with_seen_code).await;
    statuses.sort();
    assert_eq!(statuses, [401, 429, 429, 429, 429, 429]);

    // The flood does not keep the member out: their own next code passes the lock.
    allow_another_code(&app, ADMIN_EMAIL).await;
    let r = Browser::new(&app)
        .sign_in_with(ADMIN_EMAIL, ADMIN_PASSWORD, &admin.code())
        .await;
    assert_eq!(r.status(), 303);
    let taken = attempts_taken(&app).await;
    assert_eq!(taken, 0);
}

#[tokio::test]
async fn refusals_look_alike_whatever_was_wrong() {
    let app = spawn_app().await;
    let setup = app.complete_setup().await;
    let admin = Login::admin(&setup);
    let floor = ward::domain::sign_in_guard::FAILURE_FLOOR;
    // Unknown address, wrong password, right password with a wrong code.
    let cases = [
        ("nobody@example.org", "a password of some length", "123456"),
        (ADMIN_EMAIL, "not the right password", "123456"),
        (ADMIN_EMAIL, ADMIN_PASSWORD, "000000"),
    ];
    // Each refusal waits for the floor (the rule itself is tested on a
    // paused clock in `sign_in_guard`); how much longer one took depends on
    // the machine's load, so it is not compared here.
    let mut bodies = Vec::new();
    for (email, password, code) in cases {
        let browser = Browser::new(&app);
        let started = std::time::Instant::now();
        let r = browser.sign_in_with(email, password, code).await;
        let took = started.elapsed();
        assert_eq!(r.status(), 401, "{email} {password} {code}");
        let page = r.text().await.unwrap();
        // The page differs only by the address typed back.
        bodies.push(page.replace(email, "EMAIL"));
        assert!(
            took >= floor,
            "{email}/{password}/{code} answered after {took:?}"
        );
    }
    assert!(bodies.iter().all(|b| *b == bodies[0]), "the answers differ");
    // An unknown address locks after five attempts too, so that a lock does
    // not tell which addresses exist.
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let r = Browser::new(&app)
            .sign_in_with("nobody@example.org", "a password of some length", "123456")
            .await;
        statuses.push(r.status().as_u16());
    }
    assert_eq!(
        statuses,
        [401, 401, 401, 401, 429],
        "the first attempt was above"
    );
    // Only two attempts of the account were taken (the unknown address has none).
    let taken = attempts_taken(&app).await;
    assert_eq!(taken, 2);
    let _ = admin;
}

#[tokio::test]
async fn one_client_is_throttled_whatever_accounts_it_tries() {
    let app = spawn_app_with(|s| {
        s.rate_limit_sign_ins = 3;
    })
    .await;
    let setup = app.complete_setup().await;
    let admin = Login::admin(&setup);
    let browser = Browser::new(&app);
    for n in 0..3 {
        let r = browser
            .sign_in_with(
                &format!("someone{n}@example.org"),
                "a password of some length",
                "123456",
            )
            .await;
        assert_eq!(r.status(), 401);
    }
    // The fourth attempt from this client is refused before any check, even
    // with the right credentials, and says when to come back.
    let r = browser
        .sign_in_with(ADMIN_EMAIL, ADMIN_PASSWORD, &admin.code())
        .await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    // The portal's form shares the budget.
    let r = browser
        .client
        .post(format!("{}/portal/sign-in", browser.base))
        .form(&[
            ("email", ADMIN_EMAIL),
            ("password", ADMIN_PASSWORD),
            ("code", "123456"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    // The account itself lost no attempt to this client's flood.
    let taken = attempts_taken(&app).await;
    assert_eq!(taken, 0);
}

#[tokio::test]
async fn sessions_end_when_idle_or_too_old_and_an_admin_sign_in_grants_nothing() {
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
    let browser = super::signed_in(&app, &Login::admin(&setup)).await;
    let users = accounts::list_users(&app.state.db).await.unwrap();
    assert!(
        users
            .iter()
            .any(|u| u.email == "analyst@hotline.example" && u.has_access == 0),
        "an administrator's sign-in grants no access by itself"
    );

    // Idle for longer than 30 minutes.
    assert_eq!(browser.get("/admin").await.status(), 200);
    let idle = ward::storage::now_millis() - 31 * 60_000;
    sqlx::query("UPDATE sessions SET last_seen_at = $1")
        .bind(idle)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(
        browser.get("/admin").await.status(),
        303,
        "an idle session has ended"
    );
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(left, 0);

    // Active all along, but signed in more than 12 hours ago.
    allow_another_code(&app, ADMIN_EMAIL).await;
    let browser = super::signed_in(&app, &Login::admin(&setup)).await;
    let old = ward::storage::now_millis() - 12 * 3_600_000 - 60_000;
    sqlx::query("UPDATE sessions SET created_at = $1")
        .bind(old)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(
        browser.get("/admin").await.status(),
        303,
        "an old session has ended"
    );
}

#[tokio::test]
async fn the_session_lifetimes_are_settings() {
    let app = spawn_app_with(|s| {
        s.session_idle_minutes = 5;
    })
    .await;
    let setup = app.complete_setup().await;
    let browser = super::signed_in(&app, &Login::admin(&setup)).await;
    let six_minutes_ago = ward::storage::now_millis() - 6 * 60_000;
    sqlx::query("UPDATE sessions SET last_seen_at = $1")
        .bind(six_minutes_ago)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(browser.get("/admin").await.status(), 303);
}

#[tokio::test]
async fn forms_without_the_sessions_token_or_from_another_site_are_refused() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let report = super::report(&app, "a note will be tried").await;
    let browser = super::signed_in(&app, &team.analyst).await;
    let path = format!("/admin/reports/{report}/notes");

    // No token, a wrong token, a token of another session.
    assert_eq!(
        browser.post_raw(&path, &[("note", "one")]).await.status(),
        403
    );
    assert_eq!(
        browser
            .post_raw(&path, &[("note", "two"), ("csrf", "0000")])
            .await
            .status(),
        403
    );
    let other = super::signed_in(&app, &team.supervisor).await;
    assert_eq!(
        browser
            .post_raw(&path, &[("note", "three"), ("csrf", &other.csrf)])
            .await
            .status(),
        403
    );
    // The right token, but the browser says the form came from another site.
    let r = browser
        .client
        .post(format!("{}{path}", browser.base))
        .header("sec-fetch-site", "cross-site")
        .form(&[("note", "four"), ("csrf", browser.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let (notes,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM notes")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(notes, 0, "no refused form did anything");

    // The right token from this site works.
    let r = browser.post(&path, &[("note", "five")]).await;
    assert_eq!(r.status(), 303);
    let (notes,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM notes")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(notes, 1);
}

#[tokio::test]
async fn renewing_recovery_codes_asks_for_the_password() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let analyst = super::signed_in(&app, &team.analyst).await;
    let codes_before: Vec<(String,)> =
        sqlx::query_as("SELECT code_hash FROM recovery_codes ORDER BY code_hash")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();

    // A session left open is not enough: without the password, nothing changes.
    for password in ["", "not the analyst's password"] {
        let (status, page) = analyst
            .submit("/admin/account/recovery-codes", &[("password", password)])
            .await;
        assert_eq!(status, 401, "{page}");
        assert!(
            page.contains("password or authenticator code is wrong"),
            "{page}"
        );
        assert!(!page.contains("<li><code>"));
    }
    let codes_after: Vec<(String,)> =
        sqlx::query_as("SELECT code_hash FROM recovery_codes ORDER BY code_hash")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(codes_before, codes_after);

    let (status, page) = analyst
        .submit(
            "/admin/account/recovery-codes",
            &[("password", &team.analyst.password)],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(page.matches("<li><code>").count(), 10);
}
