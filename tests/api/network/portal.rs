//! The authority portal: a recipient's people sign in with a password and an
//! authenticator, see only the referrals addressed to their recipient (by
//! any route or identifier), download them, acknowledge them and record the
//! outcome, which the analysts then see on the case.

use ward::domain::totp;

use super::{add_recipient, referrals_of, report_with_contact, unzip};
use crate::backoffice::{Browser, attachment_ids, png, signed_in, team};
use crate::helpers::{TestApp, hidden_field, spawn_app};

pub const PASSWORD: &str = "a long portal password";

/// Invites a person of a recipient and sets the account up as they would;
/// returns their TOTP secret.
pub async fn portal_account(
    app: &TestApp,
    admin: &Browser,
    recipient: &str,
    email: &str,
) -> String {
    let (status, page) = admin
        .submit(
            &format!("/admin/recipients/{recipient}/portal-accounts"),
            &[("email", email)],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    let token = page
        .split("/portal/invitation/")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    let visitor = Browser::new(app);
    let (status, page) = visitor.page(&format!("/portal/invitation/{token}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("<svg"), "the QR code is drawn on the server");
    let secret = hidden_field(&page, "totp_secret");
    let code = totp::current_code(&secret).unwrap();
    let r = visitor
        .post_raw(
            &format!("/portal/invitation/{token}"),
            &[
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("totp_secret", &secret),
                ("totp_code", &code),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    // The link works once.
    assert_eq!(
        visitor
            .get(&format!("/portal/invitation/{token}"))
            .await
            .status(),
        404
    );
    secret
}

/// Signs a person in to the portal (forgetting the last code used, as time passing would).
pub async fn portal_sign_in(app: &TestApp, email: &str, secret: &str) -> Browser {
    sqlx::query("UPDATE portal_accounts SET last_totp_step = NULL WHERE email = $1")
        .bind(email)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let mut browser = Browser::new(app);
    let r = browser
        .post_raw(
            "/portal/sign-in",
            &[
                ("email", email),
                ("password", PASSWORD),
                ("code", &totp::current_code(secret).unwrap()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{email} signs in to the portal");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("Path=/portal") && cookie.contains("HttpOnly"));
    let (status, page) = browser.page("/portal").await;
    assert_eq!(status, 200);
    browser.csrf = hidden_field(&page, "csrf");
    browser
}

async fn refer(analyst: &Browser, report: &str, recipient: &str, attachment: &str, summary: &str) {
    let r = analyst
        .post(
            &format!("/admin/reports/{report}/referrals"),
            &[
                ("recipients", recipient),
                ("answers", "description"),
                ("attachments", attachment),
                ("summary", summary),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn a_recipient_sees_only_its_referrals_and_its_answers_reach_the_case() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let admin = signed_in(&app, &team.admin).await;
    let police = add_recipient(
        &admin,
        &[
            ("name", "Police Luxembourg"),
            ("country", "LU"),
            ("kind", "police"),
        ],
    )
    .await;
    let partner = add_recipient(
        &admin,
        &[
            ("name", "Hotline France"),
            ("country", "FR"),
            ("kind", "hotline"),
        ],
    )
    .await;
    let officer = portal_account(&app, &admin, &police, "officer@police.example").await;
    let partner_secret = portal_account(&app, &admin, &partner, "analyst@partner.example").await;

    let analyst = signed_in(&app, &team.analyst).await;
    let for_police =
        report_with_contact(&app, "for the police", vec![("p.png", png(20, 20))], false).await;
    let for_partner =
        report_with_contact(&app, "for the partner", vec![("q.png", png(24, 24))], false).await;
    let files = attachment_ids(&app, &for_police).await;
    refer(&analyst, &for_police, &police, &files[0], "Police summary").await;
    let files = attachment_ids(&app, &for_partner).await;
    refer(
        &analyst,
        &for_partner,
        &partner,
        &files[0],
        "Partner summary",
    )
    .await;
    let police_referral = referrals_of(&app, &for_police).await.remove(0);
    let partner_referral = referrals_of(&app, &for_partner).await.remove(0);
    assert_eq!(
        (police_referral.2.as_str(), police_referral.3.as_str()),
        ("portal", "sent"),
        "a recipient with portal accounts receives there at once"
    );

    // Wrong code: refused.
    let stranger = Browser::new(&app);
    let r = stranger
        .post_raw(
            "/portal/sign-in",
            &[
                ("email", "officer@police.example"),
                ("password", PASSWORD),
                ("code", "000000"),
            ],
        )
        .await;
    assert_eq!(r.status(), 401);
    assert_eq!(stranger.get("/portal").await.status(), 303);

    let portal = portal_sign_in(&app, "officer@police.example", &officer).await;
    let (_, list) = portal.page("/portal").await;
    let police_reference = ward::domain::cases::reference(&for_police);
    let partner_reference = ward::domain::cases::reference(&for_partner);
    assert!(list.contains(&police_reference));
    assert!(
        !list.contains(&partner_reference),
        "another recipient's referral is not listed"
    );

    // The partner's referral cannot be reached by its id, whatever the route.
    let other = &partner_referral.0;
    assert_eq!(
        portal
            .get(&format!("/portal/referrals/{other}"))
            .await
            .status(),
        404
    );
    for action in ["download", "acknowledge", "outcome"] {
        let r = portal
            .post(
                &format!("/portal/referrals/{other}/{action}"),
                &[("outcome", "other")],
            )
            .await;
        assert_eq!(r.status(), 404, "{action}");
    }
    // Nor by a case's id, nor through the back office.
    assert_eq!(
        portal
            .get(&format!("/portal/referrals/{for_police}"))
            .await
            .status(),
        404
    );
    assert_eq!(portal.get("/admin").await.status(), 303);
    assert_eq!(
        portal
            .get(&format!("/admin/reports/{for_police}"))
            .await
            .status(),
        303
    );
    // A back-office session is no portal session either.
    assert_eq!(analyst.get("/portal").await.status(), 303);
    // Posts without the session's token are refused.
    let r = portal
        .post_raw(
            &format!("/portal/referrals/{}/acknowledge", police_referral.0),
            &[],
        )
        .await;
    assert_eq!(r.status(), 403);

    // Its own referral: read, downloaded, acknowledged, outcome recorded.
    let mine = &police_referral.0;
    let (status, page) = portal.page(&format!("/portal/referrals/{mine}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Police summary") && page.contains("for the police"));
    assert!(
        !page.contains("reporter@example.org"),
        "no contact details without consent"
    );
    let r = portal
        .post(&format!("/portal/referrals/{mine}/download"), &[])
        .await;
    assert_eq!(r.status(), 200);
    let files = unzip(&r.bytes().await.unwrap());
    assert_eq!(files.len(), 3);
    assert_eq!(files[2].0, "files/p.png");
    assert_eq!(image::load_from_memory(&files[2].1).unwrap().width(), 20);
    let r = portal
        .post(&format!("/portal/referrals/{mine}/acknowledge"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let r = portal
        .post(
            &format!("/portal/referrals/{mine}/outcome"),
            &[
                ("outcome", "passed-to-another-country"),
                ("note", "sent on to Thailand's police"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);

    // The analyst sees it on the case and in the inbox's filters.
    let (_, case) = analyst.page(&format!("/admin/reports/{for_police}")).await;
    assert!(case.contains("Passed to another country"), "{case}");
    assert!(case.contains("sent on to Thailand"), "{case}");
    assert!(case.contains("acknowledged "));
    let (_, inbox) = analyst.page("/admin?referral=outcome").await;
    assert!(inbox.contains(&police_reference) && !inbox.contains(&partner_reference));
    let (_, inbox) = analyst.page("/admin?referral=sent").await;
    assert!(inbox.contains(&partner_reference) && !inbox.contains(&police_reference));
    let (_, inbox) = analyst.page("/admin?referral=overdue").await;
    assert!(!inbox.contains(&partner_reference));

    // A week later, the partner's acknowledgement is overdue: filtered and highlighted.
    sqlx::query("UPDATE referrals SET due_at = 1 WHERE id = $1")
        .bind(&partner_referral.0)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let (_, inbox) = analyst.page("/admin?referral=overdue").await;
    assert!(inbox.contains(&partner_reference) && !inbox.contains(&police_reference));
    assert!(inbox.contains("Acknowledgement overdue"));
    let (_, case) = analyst.page(&format!("/admin/reports/{for_partner}")).await;
    assert!(case.contains("Acknowledgement overdue"));

    // Every step, from accepting the invitation to each view and download,
    // is in the referring organisation's audit log.
    let actions: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, actor FROM audit_log WHERE actor = 'officer@police.example' ORDER BY seq",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    let actions: Vec<&str> = actions.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "invitation-accepted",
            "portal-sign-in-failed",
            "portal-sign-in",
            "referral-viewed",
            "referral-downloaded",
            "referral-acknowledged",
            "referral-outcome"
        ]
    );

    // The partner's person sees the partner's referral only.
    let other_portal = portal_sign_in(&app, "analyst@partner.example", &partner_secret).await;
    let (_, list) = other_portal.page("/portal").await;
    assert!(list.contains(&partner_reference) && !list.contains(&police_reference));
    assert_eq!(
        other_portal
            .get(&format!("/portal/referrals/{mine}"))
            .await
            .status(),
        404
    );

    // A disabled account is signed out at once.
    let (account,): (String,) =
        sqlx::query_as("SELECT id FROM portal_accounts WHERE email = 'officer@police.example'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    let r = admin
        .post(
            &format!("/admin/recipients/{police}/portal-accounts/{account}/disable"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(portal.get("/portal").await.status(), 303);
}

#[tokio::test]
async fn portal_guesses_are_counted_audited_and_lock_the_account_like_the_back_office() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let admin = signed_in(&app, &team.admin).await;
    let police = add_recipient(
        &admin,
        &[("name", "Police"), ("country", "LU"), ("kind", "police")],
    )
    .await;
    let officer = portal_account(&app, &admin, &police, "officer@police.example").await;
    let before = crate::backoffice::audit_actions(&app).await.len();

    // Guesses from someone without the account's authenticator, twelve at
    // once: five are checked (and audited), the others refused unchecked.
    let guesses = (0..12).map(|n| {
        let app = &app;
        let code = "000000".to_string();
        let password = if n == 0 {
            PASSWORD.to_string()
        } else {
            format!("wrong portal password {n}")
        };
        async move {
            Browser::new(app)
                .post_raw(
                    "/portal/sign-in",
                    &[
                        ("email", "officer@police.example"),
                        ("password", &password),
                        ("code", &code),
                    ],
                )
                .await
                .status()
                .as_u16()
        }
    });
    let mut statuses = futures::future::join_all(guesses).await;
    statuses.sort();
    assert_eq!(statuses, [vec![401; 5], vec![429; 7]].concat());
    let audited: Vec<_> = crate::backoffice::audit_actions(&app).await[before..]
        .iter()
        .map(|(action, _, _)| action.clone())
        .collect();
    assert_eq!(audited, vec!["portal-sign-in-failed"; 5]);

    // Locked: without the code, the right password is refused too.
    let r = Browser::new(&app)
        .post_raw(
            "/portal/sign-in",
            &[
                ("email", "officer@police.example"),
                ("password", PASSWORD),
                ("code", "000000"),
            ],
        )
        .await;
    assert_eq!(r.status(), 429);
    // The officer's own fresh code passes the lock: the flood does not keep them out.
    portal_sign_in(&app, "officer@police.example", &officer).await;

    // An unknown address is refused with the same answer, and audited once
    // per power of ten without the address typed.
    for _ in 0..3 {
        let r = Browser::new(&app)
            .post_raw(
                "/portal/sign-in",
                &[
                    ("email", "nobody@police.example"),
                    ("password", PASSWORD),
                    ("code", "123456"),
                ],
            )
            .await;
        assert_eq!(r.status(), 401);
    }
    let unknown: Vec<_> = crate::backoffice::audit_actions(&app)
        .await
        .into_iter()
        .filter(|(action, _, detail)| {
            action == "portal-sign-in-failed"
                && detail
                    .as_deref()
                    .is_some_and(|d| d.contains("unknown addresses"))
        })
        .collect();
    assert_eq!(unknown.len(), 1, "{unknown:?}");
}

#[tokio::test]
async fn a_portal_key_swapped_in_the_database_receives_nothing() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let admin = signed_in(&app, &team.admin).await;
    let police = add_recipient(
        &admin,
        &[("name", "Police"), ("country", "LU"), ("kind", "police")],
    )
    .await;
    portal_account(&app, &admin, &police, "officer@police.example").await;
    let intruder = ward::vault::SecretKey::generate().public_key().to_string();
    sqlx::query("UPDATE portal_accounts SET public_key = $1")
        .bind(&intruder)
        .execute(app.state.db.pool())
        .await
        .unwrap();

    let analyst = signed_in(&app, &team.analyst).await;
    let report =
        report_with_contact(&app, "for the police", vec![("p.png", png(20, 20))], false).await;
    let files = attachment_ids(&app, &report).await;
    let r = analyst
        .post(
            &format!("/admin/reports/{report}/referrals"),
            &[
                ("recipients", police.as_str()),
                ("answers", "description"),
                ("attachments", files[0].as_str()),
                ("summary", "Police summary"),
            ],
        )
        .await;
    assert_eq!(r.status(), 503);
    assert!(
        referrals_of(&app, &report).await.is_empty(),
        "no referral was made"
    );
    let refused = crate::backoffice::audit_actions(&app)
        .await
        .into_iter()
        .any(|(action, _, _)| action == "key-refused");
    assert!(refused);
}
