//! Administrators manage members: invitations with TOTP enrolment and
//! recovery codes, password and second-factor resets that keep access,
//! disabling, roles.

use ward::domain::totp;

use super::{Browser, Login, allow_another_code, audit_actions, report, signed_in, team, user_id};
use crate::helpers::{hidden_field, spawn_app};

/// The one-time link shown on the members page after an invitation or reset.
fn shown_link(page: &str) -> String {
    let start = page.find("/admin/invitation/").expect("the link is shown");
    let token: String = page[start + "/admin/invitation/".len()..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    format!("/admin/invitation/{token}")
}

/// The recovery codes shown on a page.
fn shown_codes(page: &str) -> Vec<String> {
    page.split("<li><code>")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn an_invited_member_enrols_an_authenticator_and_reads_reports_at_once() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let report_id = report(&app, "the invited member reads this").await;
    let admin = signed_in(&app, &team.admin).await;

    let (status, page) = admin
        .submit(
            "/admin/users/invite",
            &[
                ("email", "New.Analyst@Hotline.example"),
                ("role", "analyst"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    let link = shown_link(&page);
    assert!(
        page.contains("Pass it on over a safe channel"),
        "no SMTP server here"
    );
    // Inviting an address that is already a member is refused.
    let (status, page) = admin
        .submit(
            "/admin/users/invite",
            &[("email", &team.analyst.email), ("role", "analyst")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("already exists"));

    // The invitation page: password twice, QR code and key of a new authenticator.
    let visitor = Browser::new(&app);
    let (status, page) = visitor.page(&link).await;
    assert_eq!(status, 200);
    assert!(page.contains("<svg") && page.contains("autocomplete=\"new-password\""));
    assert!(page.contains("new.analyst@hotline.example"));
    let secret = hidden_field(&page, "totp_secret");
    let form = |password: &'static str, confirm: &'static str, code: String| {
        vec![
            ("password", password.to_string()),
            ("password_confirm", confirm.to_string()),
            ("totp_secret", secret.clone()),
            ("totp_code", code),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let visitor = &visitor;
        let link = link.clone();
        async move {
            let r = visitor
                .client
                .post(format!("{}{link}", visitor.base))
                .form(&fields)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, page) = post(form("short", "short", "000000".into())).await;
    assert_eq!(status, 422);
    assert!(page.contains("at least 12 characters"));
    assert!(
        !page.contains("value=\"short\""),
        "a refused password is not kept"
    );
    let (status, _) = post(form(
        "a long new password",
        "another password",
        totp::current_code(&secret).unwrap(),
    ))
    .await;
    assert_eq!(status, 422);
    let (status, page) = post(form(
        "a long new password",
        "a long new password",
        "000000".into(),
    ))
    .await;
    assert_eq!(status, 422, "a wrong code is refused");
    assert!(page.contains(&secret), "the same key is offered again");
    assert_eq!(
        page.matches("value=\"a long new password\"").count(),
        2,
        "a good password is kept in both fields when only the code was wrong"
    );
    let (status, page) = post(form(
        "a long new password",
        "a long new password",
        totp::current_code(&secret).unwrap(),
    ))
    .await;
    assert_eq!(status, 200, "{page}");
    let codes = shown_codes(&page);
    assert_eq!(codes.len(), 10, "{page}");

    // The link works once.
    assert_eq!(visitor.page(&link).await.0, 404);

    // The new member signs in with the recovery code (once) and reads the report
    // without waiting for an administrator.
    let login = Login {
        email: "new.analyst@hotline.example".into(),
        password: "a long new password".into(),
        totp_secret: secret.clone(),
    };
    let browser = Browser::new(&app);
    let r = browser
        .sign_in_with(&login.email, &login.password, &codes[3].to_uppercase())
        .await;
    assert_eq!(r.status(), 303);
    let (status, page) = browser.page(&format!("/admin/reports/{report_id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("the invited member reads this"));
    let again = Browser::new(&app)
        .sign_in_with(&login.email, &login.password, &codes[3])
        .await;
    assert_eq!(again.status(), 401, "a recovery code works once");
    signed_in(&app, &login).await;

    let actions: Vec<String> = audit_actions(&app)
        .await
        .into_iter()
        .map(|(a, _, _)| a)
        .collect();
    for expected in ["user-invited", "invitation-accepted", "recovery-code-used"] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} in {actions:?}"
        );
    }
}

#[tokio::test]
async fn a_password_reset_keeps_access_to_old_reports_and_ends_sessions() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let report_id = report(&app, "written before the reset").await;
    let analyst = signed_in(&app, &team.analyst).await;
    let admin = signed_in(&app, &team.admin).await;
    let analyst_id = user_id(&app, &team.analyst.email).await;

    let (status, page) = admin
        .submit(&format!("/admin/users/{analyst_id}/reset-password"), &[])
        .await;
    assert_eq!(status, 200);
    let link = shown_link(&page);
    let visitor = Browser::new(&app);
    let (status, page) = visitor.page(&link).await;
    assert_eq!(status, 200);
    assert!(!page.contains("<svg"), "a reset keeps the authenticator");
    let r = visitor
        .post_raw(
            &link,
            &[
                ("password", "the analyst's new password"),
                ("password_confirm", "the analyst's new password"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);

    // The analyst's session ended; the old password no longer works; the new one does.
    assert_eq!(analyst.get("/admin").await.status(), 303);
    allow_another_code(&app, &team.analyst.email).await;
    let old = Browser::new(&app)
        .sign_in_with(
            &team.analyst.email,
            &team.analyst.password,
            &team.analyst.code(),
        )
        .await;
    assert_eq!(old.status(), 401);
    let renewed = Login {
        password: "the analyst's new password".into(),
        ..team.analyst.clone()
    };
    let browser = signed_in(&app, &renewed).await;
    let (status, page) = browser.page(&format!("/admin/reports/{report_id}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("written before the reset"),
        "old reports stay readable"
    );
}

#[tokio::test]
async fn a_reset_second_factor_is_enrolled_again_at_the_next_sign_in() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let admin = signed_in(&app, &team.admin).await;
    let analyst_id = user_id(&app, &team.analyst.email).await;
    let r = admin
        .post(
            &format!("/admin/users/{analyst_id}/reset-second-factor"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);

    // The password alone now opens the enrolment page, and nothing else.
    let mut browser = Browser::new(&app);
    let r = browser
        .sign_in_with(&team.analyst.email, &team.analyst.password, "")
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/admin/enrol");
    let r = browser.get("/admin").await;
    assert_eq!(
        (
            r.status().as_u16(),
            r.headers()["location"].to_str().unwrap()
        ),
        (303, "/admin/enrol")
    );
    let (status, page) = browser.page("/admin/enrol").await;
    assert_eq!(status, 200);
    browser.csrf = hidden_field(&page, "csrf");
    let secret = hidden_field(&page, "totp_secret");
    let (status, _) = browser
        .submit(
            "/admin/enrol",
            &[("totp_secret", &secret), ("totp_code", "000000")],
        )
        .await;
    assert_eq!(status, 422);
    let code = totp::current_code(&secret).unwrap();
    let (status, page) = browser
        .submit(
            "/admin/enrol",
            &[("totp_secret", &secret), ("totp_code", &code)],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(shown_codes(&page).len(), 10);
    assert_eq!(
        browser.get("/admin").await.status(),
        200,
        "a full session now"
    );

    // The old authenticator no longer works; the new one does.
    allow_another_code(&app, &team.analyst.email).await;
    let old = Browser::new(&app)
        .sign_in_with(
            &team.analyst.email,
            &team.analyst.password,
            &team.analyst.code(),
        )
        .await;
    assert_eq!(old.status(), 401);
    signed_in(
        &app,
        &Login {
            totp_secret: secret,
            ..team.analyst.clone()
        },
    )
    .await;
}

#[tokio::test]
async fn administrators_disable_enable_and_change_roles_but_not_their_own() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let admin = signed_in(&app, &team.admin).await;
    let analyst = signed_in(&app, &team.analyst).await;
    let analyst_id = user_id(&app, &team.analyst.email).await;
    let admin_id = user_id(&app, &team.admin.email).await;

    let (_, page) = admin.page("/admin/users").await;
    assert!(page.contains(&team.analyst.email) && page.contains(&team.supervisor.email));

    // Disabled: signed out everywhere and refused at sign-in.
    assert_eq!(
        admin
            .post(&format!("/admin/users/{analyst_id}/disable"), &[])
            .await
            .status(),
        303
    );
    assert_eq!(analyst.get("/admin").await.status(), 303);
    allow_another_code(&app, &team.analyst.email).await;
    let r = Browser::new(&app)
        .sign_in_with(
            &team.analyst.email,
            &team.analyst.password,
            &team.analyst.code(),
        )
        .await;
    assert_eq!(r.status(), 401);
    assert_eq!(
        admin
            .post(&format!("/admin/users/{analyst_id}/enable"), &[])
            .await
            .status(),
        303
    );
    let analyst = signed_in(&app, &team.analyst).await;

    // A new role takes effect at once: the analyst, now a supervisor, may close cases.
    let report_id = report(&app, "to be closed").await;
    let close = format!("/admin/reports/{report_id}/close");
    assert_eq!(
        analyst
            .post(&close, &[("reason", "not-illegal")])
            .await
            .status(),
        403
    );
    let r = admin
        .post(
            &format!("/admin/users/{analyst_id}/role"),
            &[("role", "supervisor")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        analyst
            .post(&close, &[("reason", "not-illegal")])
            .await
            .status(),
        303
    );

    // An administrator cannot lock themselves out.
    let (status, page) = admin
        .submit(&format!("/admin/users/{admin_id}/disable"), &[])
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("your own account"));
    let (status, _) = admin
        .submit(
            &format!("/admin/users/{admin_id}/role"),
            &[("role", "analyst")],
        )
        .await;
    assert_eq!(status, 422);

    let details: Vec<Option<String>> = audit_actions(&app)
        .await
        .into_iter()
        .filter(|(a, _, _)| a == "role-changed")
        .map(|(_, _, d)| d)
        .collect();
    assert_eq!(details, vec![Some("analyst → supervisor".to_string())]);
}

/// What an attacker with write access to the database would try: a member
/// row of their own, with their own public key, waiting for a grant.
async fn plant_member(app: &crate::helpers::TestApp, email: &str) -> (String, String) {
    let organisation: (String,) = sqlx::query_as("SELECT id FROM organisations LIMIT 1")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let key = ward::vault::SecretKey::generate();
    let public_key = key.public_key().to_string();
    let id = format!("planted-{email}");
    sqlx::query(
        "INSERT INTO users (id, organisation_id, email, role, password_hash, totp_secret_sealed, \
         public_key, sealed_private_key, disabled, created_at, totp_pending) \
         VALUES ($1, $2, $3, 'analyst', $4, $5, $6, $7, 0, 0, 0)",
    )
    .bind(&id)
    .bind(&organisation.0)
    .bind(email)
    .bind(ward::domain::passwords::hash("the attacker's password"))
    .bind(vec![0u8; 8])
    .bind(&public_key)
    .bind(vec![0u8; 8])
    .execute(app.state.db.pool())
    .await
    .unwrap();
    (id, public_key)
}

async fn grants_of(app: &crate::helpers::TestApp, user_id: &str) -> i64 {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM organisation_key_grants WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    n
}

#[tokio::test]
async fn access_is_approved_explicitly_for_a_compared_fingerprint_and_disabling_revokes_it() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let (intruder, intruder_key) = plant_member(&app, "intruder@example.org").await;
    // A member added on the command line waits for access.
    let added = ward::domain::accounts::add_user(
        &app.state.db,
        &app.state.instance_key,
        ward::domain::values::Email::parse("added@hotline.example").unwrap(),
        ward::domain::values::Role::Analyst,
        ward::domain::values::Password::parse("added member password").unwrap(),
    )
    .await
    .unwrap();
    let _ = added;
    let planted = user_id(&app, "added@hotline.example").await;
    let (public_key,): (String,) = sqlx::query_as("SELECT public_key FROM users WHERE id = $1")
        .bind(&planted)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();

    // Administrators sign in and work: nothing is granted by itself.
    let admin = signed_in(&app, &team.admin).await;
    let (status, page) = admin.page("/admin/users").await;
    assert_eq!(status, 200);
    assert_eq!(grants_of(&app, &planted).await, 0, "no automatic grant");
    assert_eq!(grants_of(&app, &intruder).await, 0, "no automatic grant");

    // A member row written into the database with a key of the intruder's
    // own is refused even for its right fingerprint: Ward never set that key.
    let (status, _) = admin
        .submit(
            &format!("/admin/users/{intruder}/approve"),
            &[("fingerprint", &ward::vault::fingerprint(&intruder_key))],
        )
        .await;
    assert_eq!(status, 503);
    assert_eq!(grants_of(&app, &intruder).await, 0);
    assert!(
        audit_actions(&app)
            .await
            .iter()
            .any(|(action, object, _)| action == "key-refused"
                && object.as_deref() == Some(&intruder))
    );

    // The members page shows the pending member's key fingerprint to compare.
    let fingerprint = ward::vault::fingerprint(&public_key);
    assert!(page.contains(&fingerprint), "{page}");

    // An approval for another fingerprint (the key changed since the page
    // was shown, or the administrator compared another) is refused.
    let (status, page) = admin
        .submit(
            &format!("/admin/users/{planted}/approve"),
            &[("fingerprint", "0000 0000 0000 0000 0000 0000 0000 0000")],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("key changed"), "{page}");
    assert_eq!(grants_of(&app, &planted).await, 0);

    // An analyst cannot approve.
    let analyst = signed_in(&app, &team.analyst).await;
    let (status, _) = analyst
        .submit(
            &format!("/admin/users/{planted}/approve"),
            &[("fingerprint", &fingerprint)],
        )
        .await;
    assert_eq!(status, 403);

    // The administrator approves the fingerprint compared: granted and audited.
    let r = admin
        .post(
            &format!("/admin/users/{planted}/approve"),
            &[("fingerprint", &fingerprint)],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(grants_of(&app, &planted).await, 1);
    let approvals: Vec<_> = audit_actions(&app)
        .await
        .into_iter()
        .filter(|(action, object, _)| {
            action == "access-approved" && object.as_deref() == Some(&planted)
        })
        .collect();
    assert_eq!(approvals.len(), 1);
    assert!(approvals[0].2.as_deref().unwrap().contains(&fingerprint));

    // Disabling revokes the grant; enabled again, the member waits for a new approval.
    for action in ["disable", "enable"] {
        let r = admin
            .post(&format!("/admin/users/{planted}/{action}"), &[])
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(grants_of(&app, &planted).await, 0, "after {action}");
    }

    // Members read their own fingerprint on their account page.
    let analyst_id = user_id(&app, &team.analyst.email).await;
    let analyst_key: (String,) = sqlx::query_as("SELECT public_key FROM users WHERE id = $1")
        .bind(&analyst_id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let (_, account) = analyst.page("/admin/account").await;
    assert!(account.contains(&ward::vault::fingerprint(&analyst_key.0)));
}
