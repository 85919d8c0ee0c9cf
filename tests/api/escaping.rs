//! Hostile text from a reporter (and from anyone else who writes into a
//! case) is shown as text on every page that shows it: the back office's
//! inbox and case view (answers, files, messages, notes, labels, links,
//! referrals), the recipients' pages, the audit log, the reporter's
//! follow-up page, and the authority portal's list and referral.

use crate::backoffice::{Browser, png, report_with_files, signed_in, team};
use crate::helpers::{TestApp, spawn_app};
use crate::network::portal::{portal_account, portal_sign_in};

/// A label (at most 40 characters) that would run as markup.
const HOSTILE_LABEL: &str = "<script>alert(1)</script><b>x";

/// Markup that would run if it reached a page unescaped.
const HOSTILE: &str =
    "<script>alert(1)</script><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">x</a>";

/// The page holds the hostile text as text, never as markup.
fn inert(page: &str, what: &str) {
    for raw in [
        "<script>alert(1)",
        "<img src=x onerror",
        "<a href=\"javascript:",
    ] {
        assert!(
            !page.contains(raw),
            "{what}: {raw} reached the page as markup"
        );
    }
}

/// The page holds the hostile text at least once, escaped (so the check
/// above looked at a page that really shows it).
fn shown_escaped(page: &str, what: &str) {
    inert(page, what);
    assert!(
        page.contains("&#60;script&#62;alert(1)") || page.contains("&lt;script&gt;alert(1)"),
        "{what}: the text is shown, escaped"
    );
}

async fn page(browser: &Browser, path: &str) -> String {
    let (status, page) = browser.page(path).await;
    assert_eq!(status, 200, "{path}");
    page
}

async fn post(browser: &Browser, path: &str, fields: &[(&str, &str)]) {
    let r = browser.post(path, fields).await;
    assert_eq!(r.status(), 303, "{path}");
}

async fn id_of(app: &TestApp, sql: &'static str) -> String {
    let (id,): (String,) = sqlx::query_as(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn hostile_text_is_inert_on_every_page_that_shows_it() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let admin = signed_in(&app, &team.admin).await;
    let analyst = signed_in(&app, &team.analyst).await;

    // The reporter writes it in an answer, a file name and a message.
    let file_name = format!("{}.png", HOSTILE.replace('/', ""));
    let (report, receipt) =
        report_with_files(&app, HOSTILE, vec![(file_name.as_str(), png(8, 8))]).await;
    assert_eq!(app.post_message(&receipt, HOSTILE).await.status(), 201);
    // Members write it too: a note, a message, a label, a referral's summary
    // to a recipient whose name is hostile as well.
    let case = format!("/admin/reports/{report}");
    post(&analyst, &format!("{case}/notes"), &[("note", HOSTILE)]).await;
    post(
        &analyst,
        &format!("{case}/messages"),
        &[("message", HOSTILE)],
    )
    .await;
    post(
        &analyst,
        &format!("{case}/labels"),
        &[("action", "add"), ("label", HOSTILE_LABEL)],
    )
    .await;
    post(
        &admin,
        "/admin/recipients",
        &[("name", HOSTILE), ("country", "LU"), ("kind", "police")],
    )
    .await;
    let recipient = id_of(&app, "SELECT id FROM recipients").await;
    let secret = portal_account(&app, &admin, &recipient, "officer@police.example").await;
    post(
        &analyst,
        &format!("{case}/referrals"),
        &[
            ("recipients", &recipient),
            ("answers", "description"),
            ("summary", HOSTILE),
        ],
    )
    .await;
    let referral = id_of(&app, "SELECT id FROM referrals").await;

    // The back office.
    shown_escaped(&page(&analyst, &case).await, "the case view");
    inert(&page(&analyst, "/admin").await, "the inbox");
    shown_escaped(
        &page(
            &analyst,
            &format!("/admin?label={}", urlencode(HOSTILE_LABEL)),
        )
        .await,
        "the inbox filtered by the label",
    );
    shown_escaped(&page(&admin, "/admin/recipients").await, "the recipients");
    shown_escaped(
        &page(&admin, &format!("/admin/recipients/{recipient}")).await,
        "a recipient",
    );
    inert(&page(&admin, "/admin/audit").await, "the audit log");
    inert(
        &page(&analyst, &format!("/admin?q={}", urlencode(HOSTILE))).await,
        "a search for it",
    );

    // The reporter's follow-up page.
    let form = reqwest::multipart::Form::new()
        .text("receipt", receipt.clone())
        .text("action", "view");
    let (status, follow_up) = app.post_follow_up(form).await;
    assert_eq!(status, 200);
    shown_escaped(&follow_up, "the follow-up page");

    // The authority portal.
    let portal = portal_sign_in(&app, "officer@police.example", &secret).await;
    inert(&page(&portal, "/portal").await, "the portal's list");
    shown_escaped(
        &page(&portal, &format!("/portal/referrals/{referral}")).await,
        "a referral in the portal",
    );
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
