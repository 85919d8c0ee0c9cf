//! The authorisation matrix: every back-office route, as the router declares
//! it, for each role and for a visitor, gets the expected answer. A route
//! added to the back office is in `route_specs()` and so in this test; it
//! fails until the route has a sample form below.

use ward::domain::actor::Permission;
use ward::domain::values::Role;
use ward::web::backoffice::{Access, RouteSpec, route_specs};

use super::{
    Browser, add_member, attachment_ids, png, report_with_files, signed_in, team, user_id,
};
use crate::helpers::spawn_app;

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
fn sample_form(path: &str) -> Vec<(&'static str, &'static str)> {
    match path {
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
        "/admin/account/recovery-codes" => vec![],
        "/admin/reports/bulk" => vec![("action", "label"), ("label", "checked")],
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
        "/admin/reports/{report}/links" => vec![
            ("action", "add"),
            ("reference", "0000-0000-0000"),
            ("kind", "related"),
        ],
        "/admin/reports/{report}/messages" => vec![("message", "a question")],
        "/admin/reports/{report}/attachments/{attachment}/reveal" => vec![],
        "/admin/reports/{report}/attachments/{attachment}/download" => vec![],
        "/admin/users/invite" => vec![("email", "new.member@hotline.example"), ("role", "analyst")],
        "/admin/users/{user}/disable" | "/admin/users/{user}/enable" => vec![],
        "/admin/users/{user}/role" => vec![("role", "analyst")],
        "/admin/users/{user}/reset-password" | "/admin/users/{user}/reset-second-factor" => vec![],
        other => panic!("no sample form for POST {other}: add one to the matrix test"),
    }
}

struct Ids {
    report: String,
    attachment: String,
    user: String,
}

fn concrete(spec: &RouteSpec, ids: &Ids) -> String {
    spec.path
        .replace("{report}", &ids.report)
        .replace("{attachment}", &ids.attachment)
        .replace("{user}", &ids.user)
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
        browser.post(&path, &sample_form(spec.path)).await
    }
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
    let ids = Ids {
        attachment: attachment_ids(&app, &report).await.remove(0),
        user: user_id(&app, &target.email).await,
        report,
    };
    // Signing out ends the session: those routes come last.
    let mut specs = route_specs();
    specs.sort_by_key(|s| s.path.starts_with("/admin/sign-out"));
    assert!(specs.len() >= 30, "{} routes", specs.len());

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
                _ if allowed => status < 500 && status != 403 && !to_sign_in(&r),
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
