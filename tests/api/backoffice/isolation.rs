//! Two organisations on one instance: a member of one never reads, changes
//! or even finds the other's reports, files, members or audit entries, by
//! any route or identifier.

use ward::domain::reports::{self, NewAttachment};
use ward::domain::setup::{self, SetupRequest};
use ward::domain::totp;
use ward::domain::values::{CountryCode, Email, OrganisationName, Password};
use ward::web::backoffice::route_specs;

use super::{Login, attachment_ids, png, report_with_files, signed_in, team, user_id};
use crate::helpers::spawn_app;

#[tokio::test]
async fn one_organisations_members_never_reach_anothers_reports() {
    let app = spawn_app().await;
    let team_a = team(&app).await;
    let (report_a, _) = report_with_files(
        &app,
        "only hotline A may read this",
        vec![("a.png", png(32, 32))],
    )
    .await;
    let attachment_a = attachment_ids(&app, &report_a).await.remove(0);
    let analyst_a = user_id(&app, &team_a.analyst.email).await;
    // A's network: a recipient with a portal account, and a referral to it.
    let admin_a = signed_in(&app, &team_a.admin).await;
    let recipient_a = crate::network::add_recipient(
        &admin_a,
        &[
            ("name", "Police of A"),
            ("country", "LU"),
            ("kind", "police"),
        ],
    )
    .await;
    crate::network::portal::portal_account(&app, &admin_a, &recipient_a, "officer@a.example").await;
    let r = signed_in(&app, &team_a.analyst)
        .await
        .post(
            &format!("/admin/reports/{report_a}/referrals"),
            &[
                ("recipients", recipient_a.as_str()),
                ("summary", "A's referral"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let one = |sql: &'static str| {
        let app = &app;
        async move {
            let (id,): (String,) = sqlx::query_as(sql)
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
            id
        }
    };
    let account_a = one("SELECT id FROM portal_accounts").await;
    let referral_a = one("SELECT id FROM referrals").await;
    let organisation_a = one("SELECT organisation_id FROM reports").await;

    // Hotline B on the same instance, with a report of its own.
    let totp_secret = totp::new_secret();
    let b = setup::add_organisation(
        app.state.ctx(),
        SetupRequest {
            organisation: OrganisationName::parse("Hotline B").unwrap(),
            country: CountryCode::parse("PT").unwrap(),
            email: Email::parse("admin@hotline-b.example").unwrap(),
            password: Password::parse("hotline b admin password").unwrap(),
            totp_secret: totp_secret.clone(),
        },
    )
    .await
    .unwrap();
    let org_b = ward::storage::organisations::get(&app.state.db, &b.organisation_id)
        .await
        .unwrap()
        .unwrap();
    let report_b = reports::submit_for(
        &app.state.db,
        &app.state.files,
        &app.state.instance_key,
        org_b,
        crate::helpers::other_report(
            "PT",
            "pt",
            "hotline B's own report",
            vec![NewAttachment::in_memory("b.png", png(16, 16))],
        ),
    )
    .await
    .unwrap()
    .report_id;
    let login_b = Login {
        email: "admin@hotline-b.example".into(),
        password: "hotline b admin password".into(),
        totp_secret,
    };
    let b_admin = signed_in(&app, &login_b).await;

    // B's inbox holds B's report only; A's does not hold B's.
    let (_, inbox_b) = b_admin.page("/admin").await;
    assert!(inbox_b.contains(&report_b) && !inbox_b.contains(&report_a));
    let a_admin = signed_in(&app, &team_a.admin).await;
    let (_, inbox_a) = a_admin.page("/admin").await;
    assert!(inbox_a.contains(&report_a) && !inbox_a.contains(&report_b));

    // Every route that names a report, a file, a member, a recipient, a
    // portal account or a referral, with A's real identifiers, answers 404
    // to B's administrator (who holds every permission in B). Routes that
    // name an organisation or a country belong to the coordinating
    // organisation's administrators: 403 for B.
    let mut reached = Vec::new();
    for spec in route_specs() {
        let names = |p: &str| spec.path.contains(p);
        let network_wide = names("{organisation}") || names("{country}");
        if !network_wide
            && ![
                "{report}",
                "{attachment}",
                "{user}",
                "{recipient}",
                "{account}",
                "{referral}",
            ]
            .iter()
            .any(|p| names(p))
        {
            continue;
        }
        let expected = if network_wide { 403 } else { 404 };
        let path = spec
            .path
            .replace("{report}", &report_a)
            .replace("{attachment}", &attachment_a)
            .replace("{user}", &analyst_a)
            .replace("{recipient}", &recipient_a)
            .replace("{account}", &account_a)
            .replace("{referral}", &referral_a)
            .replace("{organisation}", &organisation_a)
            .replace("{country}", "LU");
        let status = if spec.method == "GET" {
            b_admin.get(&format!("{path}?pass=x")).await.status()
        } else {
            b_admin
                .post(
                    &path,
                    &[
                        ("status", "closed"),
                        ("reason", "not-illegal"),
                        ("note", "x"),
                        ("message", "x"),
                        ("label", "x"),
                        ("role", "admin"),
                        ("category", "other"),
                        ("country", "PT"),
                        ("name", "renamed by B"),
                        ("kind", "police"),
                        ("outcome", "other"),
                        ("covers_all", "yes"),
                        ("emergency", "999"),
                    ],
                )
                .await
                .status()
        };
        if status != expected {
            reached.push(format!("{} {}: {status}", spec.method, spec.path));
        }
    }
    assert!(reached.is_empty(), "{reached:#?}");

    // Nor through the bulk form, the inbox's filters, links or the audit log.
    let r = b_admin
        .post(
            "/admin/reports/bulk",
            &[
                ("ids", report_a.as_str()),
                ("action", "label"),
                ("label", "x"),
            ],
        )
        .await;
    assert_eq!(r.status(), 404);
    let (_, filtered) = b_admin.page(&format!("/admin?assignee={analyst_a}")).await;
    assert!(!filtered.contains(&report_a));
    let reference_a = ward::domain::cases::reference(&report_a);
    let (status, _) = b_admin
        .submit(
            &format!("/admin/reports/{report_b}/links"),
            &[
                ("action", "add"),
                ("reference", &reference_a),
                ("kind", "related"),
            ],
        )
        .await;
    assert_eq!(status, 422, "A's reference names nothing for B");
    let (_, audit_b) = b_admin
        .page(&format!("/admin/audit?object={report_a}"))
        .await;
    assert!(!audit_b.contains(&reference_a));
    let (_, users_b) = b_admin.page("/admin/users").await;
    assert!(!users_b.contains(&team_a.analyst.email));
    let (_, recipients_b) = b_admin.page("/admin/recipients").await;
    assert!(!recipients_b.contains(&recipient_a) && !recipients_b.contains("Police of A"));

    // Nothing of A's network changed.
    let (name, disabled): (String, i64) =
        sqlx::query_as("SELECT name, disabled FROM recipients WHERE id = $1")
            .bind(&recipient_a)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!((name.as_str(), disabled), ("Police of A", 0));
    let (disabled,): (i64,) = sqlx::query_as("SELECT disabled FROM portal_accounts WHERE id = $1")
        .bind(&account_a)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(disabled, 0);
    let (state,): (String,) = sqlx::query_as("SELECT state FROM referrals WHERE id = $1")
        .bind(&referral_a)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(state, "sent", "delivered to the portal, and nothing more");

    // Nothing of A changed.
    let (status, labels): (String, i64) = sqlx::query_as(
        "SELECT status, (SELECT COUNT(*) FROM report_labels WHERE report_id = $1) FROM reports WHERE id = $1",
    )
    .bind(&report_a)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!((status.as_str(), labels), ("new", 0));
    let (role, disabled): (String, i64) =
        sqlx::query_as("SELECT role, disabled FROM users WHERE id = $1")
            .bind(&analyst_a)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!((role.as_str(), disabled), ("analyst", 0));
}
