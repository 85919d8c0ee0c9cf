//! The authorisation matrix: every back-office route, as the router declares
//! it, for each role and for a visitor, gets the expected answer. A route
//! added to the back office is in `route_specs()` and so in this test; it
//! fails until the route has a sample form below.

use ward::domain::actor::Permission;
use ward::domain::values::Role;
use ward::web::backoffice::{Access, RouteSpec, route_specs};

use super::{
    Browser, Team, add_member, attachment_ids, png, report_with_files, signed_in, team, user_id,
};
use crate::helpers::{TestApp, spawn_app};

/// Who may do what, written out here rather than taken from Ward's code.
fn may(role: Role, permission: Permission) -> bool {
    use Permission::*;
    match role {
        Role::Analyst => matches!(permission, ReadReports | WorkOnReports),
        Role::Supervisor => matches!(
            permission,
            ReadReports | WorkOnReports | AssignReports | CloseReports
        ),
        Role::Admin => true,
    }
}

/// A valid form for each route that takes one.
fn sample_form(path: &str, ids: &Ids) -> Vec<(&'static str, String)> {
    let form = match path {
        "/admin/sign-in" => vec![
            ("email", "nobody@example.org"),
            ("password", "not a password of anyone"),
            ("code", "000000"),
        ],
        "/admin/invitation/{token}" => vec![
            ("password", "a new password here"),
            ("password_confirm", "a new password here"),
        ],
        "/admin/enrol" => vec![
            ("totp_secret", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
            ("totp_code", "000000"),
        ],
        "/admin/sign-out" => vec![],
        "/admin/account/recovery-codes" => return vec![("password", ids.password.clone())],
        "/admin/users/{user}/approve" => return vec![("fingerprint", ids.fingerprint.clone())],
        "/admin/reports/bulk" => {
            return vec![
                ("action", "label".into()),
                ("label", "checked".into()),
                ("ids", ids.report.clone()),
            ];
        }
        "/admin/reports/{report}/assessment" => vec![
            ("category", "travel-tourism"),
            ("country", "TH"),
            ("legal_assessment", "illegal"),
            ("priority", "high"),
        ],
        "/admin/reports/{report}/status" => vec![("status", "in-assessment")],
        "/admin/reports/{report}/close" => vec![("reason", "not-enough-information")],
        "/admin/reports/{report}/reopen" => vec![],
        "/admin/reports/{report}/assign" => vec![("assignee", "")],
        "/admin/reports/{report}/labels" => vec![("action", "add"), ("label", "matrix")],
        "/admin/reports/{report}/notes" => vec![("note", "a note")],
        "/admin/reports/{report}/links" => {
            return vec![
                ("action", "add".into()),
                ("reference", ids.other_reference.clone()),
                ("kind", "related".into()),
            ];
        }
        "/admin/reports/{report}/messages" => vec![("message", "a question")],
        "/admin/reports/{report}/attachments/{attachment}/reveal" => vec![],
        "/admin/reports/{report}/attachments/{attachment}/download" => vec![],
        "/admin/users/invite" => vec![("email", "new.member@hotline.example"), ("role", "analyst")],
        "/admin/users/{user}/disable" | "/admin/users/{user}/enable" => vec![],
        "/admin/users/{user}/role" => vec![("role", "analyst")],
        "/admin/users/{user}/reset-password" | "/admin/users/{user}/reset-second-factor" => vec![],
        "/admin/reports/{report}/referrals" => {
            return vec![
                ("recipients", ids.recipient.clone()),
                ("summary", "matrix referral".into()),
            ];
        }
        "/admin/reports/{report}/referrals/{referral}/download"
        | "/admin/reports/{report}/referrals/{referral}/sent"
        | "/admin/reports/{report}/referrals/{referral}/acknowledged"
        | "/admin/reports/{report}/cybertipline" => vec![],
        "/admin/reports/{report}/referrals/{referral}/outcome" => {
            vec![("outcome", "other"), ("note", "matrix")]
        }
        "/admin/reports/{report}/transfer" => {
            return vec![("organisation", ids.other_organisation.clone())];
        }
        "/admin/recipients" | "/admin/recipients/{recipient}" => vec![
            ("name", "Matrix police unit"),
            ("country", "LU"),
            ("kind", "police"),
        ],
        "/admin/recipients/{recipient}/disable"
        | "/admin/recipients/{recipient}/enable"
        | "/admin/recipients/{recipient}/portal-accounts/{account}/disable"
        | "/admin/recipients/{recipient}/portal-accounts/{account}/enable" => vec![],
        "/admin/recipients/{recipient}/rules" => {
            vec![("action", "add"), ("country", "LU"), ("category", "")]
        }
        "/admin/recipients/{recipient}/portal-accounts" => {
            vec![("email", "matrix.officer@police.example")]
        }
        "/admin/network/rules" => {
            return vec![
                ("action", "set".into()),
                ("country", "LU".into()),
                ("organisation", ids.organisation.clone()),
            ];
        }
        "/admin/network/organisations/{organisation}/coverage" => vec![("covers_all", "yes")],
        "/admin/network/countries/{country}" => {
            vec![("emergency", "112"), ("languages", "fr, de, lb")]
        }
        other => panic!("no sample form for POST {other}: add one to the matrix test"),
    };
    form.into_iter().map(|(k, v)| (k, v.to_string())).collect()
}

struct Ids {
    report: String,
    /// A report of its own for each role's transfer (it leaves the organisation).
    transfer_report: String,
    /// The reference of another report, to link to.
    other_reference: String,
    other_organisation: String,
    /// The fingerprint of the target member's key, to approve.
    fingerprint: String,
    /// The password of the member making the calls.
    password: String,
    attachment: String,
    user: String,
    recipient: String,
    account: String,
    referral: String,
    organisation: String,
}

fn concrete(spec: &RouteSpec, ids: &Ids) -> String {
    let report = match spec.path.ends_with("/transfer") {
        true => &ids.transfer_report,
        false => &ids.report,
    };
    spec.path
        .replace("{report}", report)
        .replace("{attachment}", &ids.attachment)
        .replace("{user}", &ids.user)
        .replace("{recipient}", &ids.recipient)
        .replace("{account}", &ids.account)
        .replace("{referral}", &ids.referral)
        .replace("{organisation}", &ids.organisation)
        .replace("{country}", "LU")
        .replace("{token}", "0123456789abcdef")
}

/// Sends the route's request; for the revealed image, reveals it first.
async fn call(browser: &Browser, spec: &RouteSpec, ids: &Ids) -> reqwest::Response {
    let path = concrete(spec, ids);
    if spec.method == "GET" {
        if spec.path.ends_with("/image") {
            let reveal = path.replace("/image", "/reveal");
            let r = browser.post(&reveal, &[]).await;
            let pass = r
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .and_then(|l| l.split("pass=").nth(1))
                .map(|p| p.split('#').next().unwrap_or("").to_string())
                .unwrap_or_default();
            return browser.get(&format!("{path}?pass={pass}")).await;
        }
        browser.get(&path).await
    } else {
        let form = sample_form(spec.path, ids);
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        browser.post(&path, &fields).await
    }
}

/// A recipient with a portal account, and a referral to it: (recipient,
/// portal account, referral, organisation).
async fn referral_ids(
    app: &TestApp,
    team: &Team,
    report: &str,
) -> (String, String, String, String) {
    let admin = signed_in(app, &team.admin).await;
    let r = admin
        .post(
            "/admin/recipients",
            &[("name", "Police"), ("country", "LU"), ("kind", "police")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let one = |sql: &'static str| async move {
        let (id,): (String,) = sqlx::query_as(sql)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        id
    };
    let recipient = one("SELECT id FROM recipients").await;
    let r = admin
        .post(
            &format!("/admin/recipients/{recipient}/portal-accounts"),
            &[("email", "officer@police.example")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let analyst = signed_in(app, &team.analyst).await;
    let r = analyst
        .post(
            &format!("/admin/reports/{report}/referrals"),
            &[("recipients", &recipient), ("summary", "first")],
        )
        .await;
    assert_eq!(r.status(), 303);
    (
        recipient,
        one("SELECT id FROM portal_accounts").await,
        one("SELECT id FROM referrals").await,
        one("SELECT id FROM organisations").await,
    )
}

/// The answer an allowed member gets from each route with the sample
/// forms above, written out here: pages 200, forms that change something
/// 303 to where the result shows, forms that answer with a page or a file
/// (a one-time link, a download) 200; the sign-in form with the sample's
/// wrong credentials 401, and links that were never issued 404.
fn success(spec: &RouteSpec) -> u16 {
    match (spec.method.as_str(), spec.path) {
        ("GET", "/admin/invitation/{token}") | ("POST", "/admin/invitation/{token}") => 404,
        ("GET", _) => 200,
        ("POST", "/admin/sign-in") => 401,
        (
            "POST",
            "/admin/account/recovery-codes"
            | "/admin/users/invite"
            | "/admin/users/{user}/reset-password"
            | "/admin/recipients/{recipient}/portal-accounts"
            | "/admin/reports/{report}/attachments/{attachment}/download"
            | "/admin/reports/{report}/referrals/{referral}/download"
            | "/admin/reports/{report}/cybertipline",
        ) => 200,
        _ => 303,
    }
}

/// A new referral of the report to the recipient; its id.
async fn new_referral(app: &TestApp, team: &Team, report: &str, recipient: &str) -> String {
    let all = || async {
        let ids: Vec<(String,)> = sqlx::query_as("SELECT id FROM referrals")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
        ids.into_iter().map(|(id,)| id).collect::<Vec<_>>()
    };
    let before = all().await;
    let analyst = signed_in(app, &team.analyst).await;
    let r = analyst
        .post(
            &format!("/admin/reports/{report}/referrals"),
            &[("recipients", recipient), ("summary", "another")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let mut new: Vec<String> = all()
        .await
        .into_iter()
        .filter(|id| !before.contains(id))
        .collect();
    assert_eq!(new.len(), 1, "one new referral");
    new.remove(0)
}

fn to_sign_in(response: &reqwest::Response) -> bool {
    response.status() == 303 && response.headers()["location"] == "/admin/sign-in"
}

#[tokio::test]
async fn every_back_office_route_answers_each_role_and_visitors_as_expected() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let target = add_member(&app, "target@hotline.example", Role::Analyst).await;
    let (report, _) =
        report_with_files(&app, "matrix report", vec![("colours.png", png(64, 48))]).await;
    let network = referral_ids(&app, &team, &report).await;
    let (other, _) = report_with_files(&app, "another report", vec![]).await;
    let other_organisation =
        crate::network::add_hotline(&app, "Other Hotline", "BE", "admin@other.example")
            .await
            .id;
    let (target_key,): (String,) = sqlx::query_as("SELECT public_key FROM users WHERE email = $1")
        .bind(&target.email)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let mut ids = Ids {
        attachment: attachment_ids(&app, &report).await.remove(0),
        user: user_id(&app, &target.email).await,
        transfer_report: String::new(),
        other_reference: ward::domain::cases::codes::reference(&other),
        other_organisation,
        fingerprint: ward::vault::fingerprint(&target_key),
        password: String::new(),
        report,
        recipient: network.0,
        account: network.1,
        referral: network.2,
        organisation: network.3,
    };
    // Signing out ends the session: those routes come last.
    let mut specs = route_specs();
    specs.sort_by_key(|s| s.path.starts_with("/admin/sign-out"));
    assert!(specs.len() >= 50, "{} routes", specs.len());

    let mut problems = Vec::new();
    let visitor = Browser::new(&app);
    for spec in &specs {
        let r = call(&visitor, spec, &ids).await;
        let ok = match spec.access {
            Access::Anyone => r.status().as_u16() < 500 && r.status() != 403,
            _ => to_sign_in(&r),
        };
        if !ok {
            problems.push(format!(
                "visitor {} {}: {}",
                spec.method,
                spec.path,
                r.status()
            ));
        }
    }
    for (role, login) in [
        (Role::Analyst, &team.analyst),
        (Role::Supervisor, &team.supervisor),
        (Role::Admin, &team.admin),
    ] {
        let browser = signed_in(&app, login).await;
        ids.password = login.password.clone();
        ids.transfer_report = report_with_files(&app, "to transfer", vec![]).await.0;
        // A referral of its own, to mark sent and acknowledged once.
        ids.referral = new_referral(&app, &team, &ids.report, &ids.recipient).await;
        for spec in &specs {
            let r = call(&browser, spec, &ids).await;
            let status = r.status().as_u16();
            let allowed = match spec.access {
                Access::Anyone | Access::Member => true,
                Access::Enrolling => false,
                Access::Needs(permission) => may(role, permission),
            };
            let signed_out = r
                .headers()
                .get("set-cookie")
                .is_some_and(|c| c.to_str().unwrap_or("").contains("Max-Age=0"));
            let ok = match spec.access {
                // A full session is sent on to the back office.
                Access::Enrolling => status == 303 && r.headers()["location"] == "/admin",
                // Signing out ends the session and says so to the browser.
                Access::Member if spec.path == "/admin/sign-out" => to_sign_in(&r) && signed_out,
                _ if allowed => status == success(spec) && !to_sign_in(&r),
                _ => status == 403,
            };
            if !ok {
                problems.push(format!("{role:?} {} {}: {status}", spec.method, spec.path));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");

    // Nothing else lives under /admin.
    let admin = signed_in(&app, &team.admin).await;
    assert_eq!(admin.get("/admin/nothing-here").await.status(), 404);
    assert_eq!(
        admin.post("/admin/reports/bulk/extra", &[]).await.status(),
        404
    );
}
