//! The public report form, step by step, as a browser without JavaScript uses it.

use reqwest::multipart::{Form, Part};
use ward::domain::reports;

use crate::helpers::{TestApp, hidden_field, spawn_app};

/// The page the form is on, and a way to post its next step.
pub(crate) struct Walk<'a> {
    app: &'a TestApp,
    /// Keeps cookies, follows no redirect by itself (as `app.client`).
    client: reqwest::Client,
    pub(crate) page: String,
    pub(crate) status: u16,
    /// The address of the page, as a browser's history keeps it.
    pub(crate) address: String,
    /// Whether the last post was answered with a redirect (followed).
    pub(crate) redirected: bool,
}

impl<'a> Walk<'a> {
    pub(crate) async fn start(app: &'a TestApp) -> Walk<'a> {
        Self::start_with(app, app.client.clone()).await
    }

    /// A walk with a client of its own (say, one that refuses cookies).
    pub(crate) async fn start_with(app: &'a TestApp, client: reqwest::Client) -> Walk<'a> {
        let mut walk = Walk {
            app,
            client,
            page: String::new(),
            status: 0,
            address: String::new(),
            redirected: false,
        };
        walk.visit("/report").await;
        walk
    }

    /// A walk on a page already loaded (its form posted again, say).
    pub(crate) fn on_page(app: &'a TestApp, page: String) -> Walk<'a> {
        Walk {
            app,
            client: app.client.clone(),
            page,
            status: 200,
            address: String::new(),
            redirected: false,
        }
    }

    /// Loads an address as a browser does for a link, Back or reload.
    pub(crate) async fn visit(&mut self, address: &str) {
        let r = self.client.get(self.app.url(address)).send().await.unwrap();
        self.status = r.status().as_u16();
        self.address = address.to_string();
        self.page = r.text().await.unwrap();
    }

    pub(crate) fn step(&self) -> String {
        hidden_field(&self.page, "step")
    }

    /// Posts the current step's form with `fields` and the button `action`.
    pub(crate) async fn post(
        &mut self,
        action: &str,
        fields: &[(&str, &str)],
        files: Vec<(&str, Vec<u8>)>,
    ) {
        let mut form = Form::new()
            .text("draft", hidden_field(&self.page, "draft"))
            .text("step", self.step())
            .text("action", action.to_string());
        if self.page.contains("name=\"then\"") {
            form = form.text("then", hidden_field(&self.page, "then"));
        }
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        for (name, bytes) in files {
            form = form.part("file", Part::bytes(bytes).file_name(name.to_string()));
        }
        let r = self
            .client
            .post(self.app.url("/report"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        // Post/redirect/get: the browser loads the page it is sent to.
        self.redirected = r.status() == 303;
        if self.redirected {
            let to = r.headers()["location"].to_str().unwrap().to_string();
            self.visit(&to).await;
        } else {
            self.status = r.status().as_u16();
            self.page = r.text().await.unwrap();
        }
    }

    pub(crate) async fn next(&mut self, fields: &[(&str, &str)]) {
        self.post("continue", fields, Vec::new()).await;
        assert_eq!(self.status, 200, "{}", self.page);
    }
}

/// Walks an anonymous report of `category` about Luxembourg to the page
/// that checks the answers, with the fewest answers each page needs.
pub(crate) async fn to_check_anonymously<'a>(app: &'a TestApp, category: &str) -> Walk<'a> {
    let mut walk = Walk::start(app).await;
    for _ in 0..20 {
        let step = walk.step();
        match step.as_str() {
            "category" => walk.next(&[("category", category)]).await,
            "country" => walk.next(&[("country", "LU")]).await,
            "contact" => walk.next(&[("contact_choice", "anonymous")]).await,
            "check" => return walk,
            page => {
                let mut fields = Vec::new();
                if walk.page.contains("name=\"q.description\"") {
                    fields.push(("q.description", "Seen near the station"));
                }
                if walk.page.contains("name=\"q.urls\"") {
                    fields.push(("q.urls", "https://example.org/some-page"));
                }
                walk.next(&fields).await;
                assert_ne!(walk.step(), page, "{category}: stuck on {page}");
            }
        }
    }
    panic!("{category}: the check page was not reached");
}

pub(crate) fn receipt_on(page: &str) -> String {
    let start = page
        .find("class=\"receipt-code\">")
        .expect("a receipt code is shown")
        + "class=\"receipt-code\">".len();
    page[start..].split('<').next().unwrap().replace(' ', "")
}

#[tokio::test]
async fn a_travel_and_tourism_report_through_every_step() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let mut walk = Walk::start(&app).await;
    assert_eq!(walk.status, 200);
    assert_eq!(walk.step(), "category");
    assert!(walk.page.contains("What do you want to report?"));

    walk.next(&[("category", "travel-tourism")]).await;
    assert_eq!(walk.step(), "country");
    assert!(
        walk.page
            .contains("<option value=\"LU\">Luxembourg</option>"),
        "the organisation's country is listed"
    );
    walk.next(&[("country", "TH")]).await;
    assert_eq!(walk.step(), "page:when-where");
    walk.next(&[
        ("q.date", "2026-08-14"),
        ("q.city", "Pattaya"),
        ("q.place_type", "hotel"),
        ("q.place_name", "Hotel Sol"),
    ])
    .await;
    assert_eq!(walk.step(), "page:offender");
    walk.next(&[
        ("q.offender_nationality", "DE"),
        ("q.offender_age", "41-60"),
    ])
    .await;
    assert_eq!(walk.step(), "page:travel");
    walk.next(&[("q.travelling", "no"), ("q.airline", "Should be dropped")])
        .await;
    assert_eq!(walk.step(), "page:children");
    walk.next(&[
        ("q.children_count", "2"),
        ("q.children_ages", "6-12"),
        ("q.children_ages", "13-17"),
    ])
    .await;
    assert_eq!(walk.step(), "page:what-happened");

    // A required answer left empty: the same page again, with the error linked to the field.
    walk.post("continue", &[("q.description", "  ")], Vec::new())
        .await;
    assert_eq!(walk.status, 422);
    assert_eq!(walk.step(), "page:what-happened");
    assert!(
        walk.page.contains("There is a problem") && walk.page.contains("href=\"#q.description\"")
    );
    walk.next(&[(
        "q.description",
        "A man took two girls to his room <script>alert(1)</script>",
    )])
    .await;
    assert_eq!(walk.step(), "page:already-acted");
    walk.next(&[("q.others_informed", "no")]).await;
    assert_eq!(walk.step(), "contact");
    walk.post("continue", &[("contact_choice", "contact")], Vec::new())
        .await;
    assert_eq!(
        walk.status, 422,
        "an e-mail or phone is needed when choosing to be contacted"
    );
    walk.next(&[
        ("contact_choice", "contact"),
        ("contact_email", "witness@example.org"),
        ("may_contact", "yes"),
    ])
    .await;
    assert_eq!(walk.step(), "check");

    // Check your answers: labels instead of ids, hidden questions gone, text escaped.
    for shown in [
        "Hotel Sol",
        "Thailand",
        "Germany",
        "41 to 60",
        "6 to 12",
        "13 to 17",
        "witness@example.org",
        "alert(1)",
    ] {
        assert!(walk.page.contains(shown), "{shown} on the check page");
    }
    assert!(!walk.page.contains("Should be dropped"));
    assert!(!walk.page.contains("<script>alert"));
    // Before choosing files, the reporter learns what is accepted and that
    // location and camera details are removed.
    let before_input = &walk.page[..walk.page.find("type=\"file\"").expect("a file input")];
    assert!(before_input.contains("JPEG, PNG, WebP"));
    assert!(before_input.contains("removes the location, camera details"));

    // Change an answer, come back, and send with a file.
    walk.post("change:page:when-where", &[], Vec::new()).await;
    assert_eq!(walk.step(), "page:when-where");
    assert!(walk.page.contains("value=\"Pattaya\""));
    for fields in [
        &[
            ("q.date", "2026-08-14"),
            ("q.city", "Phuket"),
            ("q.place_type", "hotel"),
            ("q.place_name", "Hotel Sol"),
        ][..],
        &[
            ("q.offender_nationality", "DE"),
            ("q.offender_age", "41-60"),
        ],
        &[("q.travelling", "no")],
        &[
            ("q.children_count", "2"),
            ("q.children_ages", "6-12"),
            ("q.children_ages", "13-17"),
        ],
        &[("q.description", "A man took two girls to his room")],
        &[("q.others_informed", "no")],
        &[
            ("contact_choice", "contact"),
            ("contact_email", "witness@example.org"),
            ("may_contact", "yes"),
        ],
    ] {
        walk.next(fields).await;
    }
    assert_eq!(walk.step(), "check");
    // A password-protected PDF: the reporter is told why and keeps the form.
    let protected = include_bytes!("../fixtures/protected.pdf").to_vec();
    walk.post("submit", &[], vec![("ticket.pdf", protected)])
        .await;
    assert_eq!(walk.status, 422);
    assert_eq!(walk.step(), "check");
    assert!(walk.page.contains("This PDF is protected with a password"));
    assert_eq!(app.report_count().await, 0);
    walk.post(
        "submit",
        &[],
        vec![("ticket.txt", b"Boarding pass BKK".to_vec())],
    )
    .await;
    assert_eq!(walk.status, 200, "{}", walk.page);
    let receipt = receipt_on(&walk.page);
    assert_eq!(receipt.len(), 24);

    // The analyst reads exactly what was sent.
    let row = reports::find_by_receipt(&app.state.db, &app.state.instance_key, &receipt)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            row.category.as_str(),
            row.country.as_str(),
            row.language.as_str()
        ),
        ("travel-tourism", "TH", "en")
    );
    let opened = app.open_as_admin(&row).await;
    let a = &opened.content.answers;
    assert_eq!(a["city"], "Phuket");
    assert_eq!(a["children_ages"], serde_json::json!(["6-12", "13-17"]));
    assert_eq!(a["children_count"], 2);
    assert!(a.get("airline").is_none());
    assert_eq!(
        opened.content.contact.unwrap().email.as_deref(),
        Some("witness@example.org")
    );
    assert_eq!(opened.attachments.len(), 1);
    assert_eq!(&opened.attachments[0].1[..], b"Boarding pass BKK");
}

#[tokio::test]
async fn every_category_can_be_reported_anonymously_through_the_form() {
    let app = spawn_app().await;
    app.complete_setup().await;
    for category in reports::CATEGORIES {
        let mut walk = to_check_anonymously(&app, category).await;
        assert!(walk.page.contains("Anonymous"));
        walk.post("submit", &[], Vec::new()).await;
        assert_eq!(walk.status, 200, "{category}: {}", walk.page);
        let receipt = receipt_on(&walk.page);
        let row = reports::find_by_receipt(&app.state.db, &app.state.instance_key, &receipt)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.category, *category);
    }
    assert_eq!(app.report_count().await, 5);
}

#[tokio::test]
async fn a_forged_draft_is_refused_and_the_form_stays_closed_before_setup() {
    let app = spawn_app().await;
    assert_eq!(app.get("/report").await.status(), 503);
    app.complete_setup().await;
    let form = Form::new()
        .text("draft", "Zm9yZ2Vk")
        .text("step", "check")
        .text("action", "submit");
    let r = app
        .client
        .post(app.url("/report"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = app
        .post_raw(
            "/report",
            "multipart/form-data; boundary=x",
            "--x\r\nbroken",
        )
        .await;
    assert_eq!(r.status(), 400);
    assert_eq!(app.report_count().await, 0);
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "the server keeps serving"
    );
}

#[tokio::test]
async fn changing_language_on_the_form_keeps_the_answers() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let mut walk = Walk::start(&app).await;
    walk.next(&[("category", "other")]).await;
    walk.next(&[("country", "LU")]).await;
    walk.next(&[("q.description", "Gesinn um Bahnhof")]).await;
    assert!(
        walk.page
            .contains("form=\"report-form\" name=\"action\" value=\"lang:de\"")
    );
    walk.post("lang:de", &[], Vec::new()).await;
    assert_eq!(walk.status, 200);
    assert!(
        walk.page.contains("<html lang=\"de\""),
        "the page is now German"
    );
    assert_eq!(walk.step(), "page:when-where", "the same step");
    walk.post("back", &[], Vec::new()).await;
    assert!(
        walk.page.contains("Gesinn um Bahnhof"),
        "the answers are still there"
    );
}

#[tokio::test]
async fn the_visitors_chosen_country_is_listed_first() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let mut walk = Walk::start(&app).await;
    walk.visit("/report?country=TH&lang=en").await;
    walk.next(&[("category", "other")]).await;
    let first = walk.page.split("<option value=\"").nth(2).unwrap();
    assert!(first.starts_with("TH\">Thailand"), "{first}");
}

#[tokio::test]
async fn a_country_no_hotline_covers_gets_the_fallback_and_the_report_is_still_accepted() {
    let app = spawn_app().await;
    let team = crate::backoffice::team(&app).await;
    let coordinating = ward::storage::organisations::default_organisation(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    // The coordinating hotline covers Luxembourg only; Thailand has no service in the directory.
    let coordinator = crate::backoffice::signed_in(&app, &team.admin).await;
    let r = coordinator
        .post(
            &format!("/admin/network/organisations/{coordinating}/coverage"),
            &[("covers_all", "no")],
        )
        .await;
    assert_eq!(r.status(), 303);

    // Before starting, the home page says where to report about Thailand instead.
    let home = app.get("/?country=TH").await.text().await.unwrap();
    assert!(home.contains("No hotline here handles reports about Thailand"));
    assert!(home.contains("Report to the police there, or call the emergency number"));
    assert!(home.contains("191"));
    assert!(home.contains("You can still report here"));

    let mut walk = Walk::start(&app).await;
    walk.next(&[("category", "other")]).await;
    walk.next(&[("country", "LU")]).await;
    assert!(!walk.page.contains("No hotline here handles reports"));
    walk.post("back", &[], Vec::new()).await;
    assert_eq!(walk.step(), "country");
    walk.next(&[("country", "TH")]).await;
    assert!(
        walk.page
            .contains("No hotline here handles reports about Thailand"),
        "{}",
        walk.page
    );
    // The report still goes through, to the coordinating hotline.
    for _ in 0..20 {
        match walk.step().as_str() {
            "contact" => walk.next(&[("contact_choice", "anonymous")]).await,
            "check" => {
                walk.post("submit", &[], Vec::new()).await;
                break;
            }
            _ => {
                let fields: &[(&str, &str)] = if walk.page.contains("name=\"q.description\"") {
                    &[("q.description", "Seen in Bangkok")]
                } else {
                    &[]
                };
                walk.next(fields).await;
            }
        }
    }
    assert_eq!(walk.status, 200, "{}", walk.page);
    let receipt = receipt_on(&walk.page);
    let row = reports::find_by_receipt(&app.state.db, &app.state.instance_key, &receipt)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.country.as_str(), row.organisation_id.as_str()),
        ("TH", coordinating.as_str())
    );
}

#[tokio::test]
async fn sending_the_form_again_never_files_a_second_report() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let files_dir = app.settings.files_dir();
    let mut walk = to_check_anonymously(&app, "other").await;
    let check = walk.page.clone();
    let file = || vec![("note.txt", b"Seen at the front desk".to_vec())];
    walk.post("submit", &[], file()).await;
    assert_eq!(walk.status, 200, "{}", walk.page);
    let receipt = receipt_on(&walk.page);
    let stored = crate::helpers::files_below(&files_dir).len();

    // Reloading the receipt page (or Back, then Send) posts the same form again.
    for _ in 0..2 {
        walk.page = check.clone();
        walk.post("submit", &[], file()).await;
        assert_eq!(walk.status, 200, "{}", walk.page);
        assert!(
            walk.page.contains("Your report has already been sent"),
            "{}",
            walk.page
        );
        assert_eq!(
            receipt_on(&walk.page),
            receipt,
            "the same code, which the first answer gave"
        );
    }
    assert_eq!(app.report_count().await, 1);
    assert_eq!(crate::helpers::files_below(&files_dir).len(), stored);

    // A double click: the same form posted several times at once.
    let check = to_check_anonymously(&app, "other").await.page;
    let posts = (0..4).map(|_| {
        let mut walk = Walk::on_page(&app, check.clone());
        async move {
            walk.post("submit", &[], file()).await;
            walk
        }
    });
    let answers = futures::future::join_all(posts).await;
    let already = answers
        .iter()
        .filter(|w| w.page.contains("Your report has already been sent"))
        .count();
    assert!(answers.iter().all(|w| w.status == 200));
    assert_eq!(already, 3, "one post made the report");
    // Whichever answer the browser shows (the last click's), the code is
    // the one the report was stored with.
    let codes: std::collections::BTreeSet<String> =
        answers.iter().map(|w| receipt_on(&w.page)).collect();
    assert_eq!(codes.len(), 1, "{codes:?}");
    let code = codes.into_iter().next().unwrap();
    assert!(
        ward::domain::reports::find_by_receipt(&app.state.db, &app.state.instance_key, &code)
            .await
            .unwrap()
            .is_some(),
        "the code shown opens the stored report"
    );
    assert_eq!(app.report_count().await, 2);
    // The copies of the file the other posts stored are gone again.
    assert_eq!(crate::helpers::files_below(&files_dir).len(), stored * 2);
}

/// The drafts kept between the form's pages, as bytes.
async fn kept_drafts(app: &TestApp) -> Vec<Vec<u8>> {
    let rows: Vec<(Vec<u8>,)> = sqlx::query_as("SELECT sealed FROM drafts")
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
    rows.into_iter().map(|(b,)| b).collect()
}

#[tokio::test]
async fn back_and_reload_load_every_page_again_without_sending_anything_twice() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let mut walk = Walk::start(&app).await;
    walk.next(&[("category", "other")]).await;
    assert!(walk.redirected, "a step's post is answered with a redirect");
    assert_eq!(walk.address, "/report/country");
    // "other" asks its pages, between the country and the contact steps.
    let total = 4 + ward::domain::questionnaire::for_category("other")
        .unwrap()
        .pages
        .len();
    assert!(
        walk.page
            .contains(&format!("class=\"step-progress\">Step 2 of {total}<")),
        "the page says where the reporter is"
    );
    let country_page = walk.address.clone();
    walk.next(&[("country", "LU")]).await;
    let question_page = walk.address.clone();
    assert!(
        question_page.starts_with("/report/page:"),
        "{question_page}"
    );

    // A required answer left empty: the page it redirects to shows the
    // error, and shows it again when reloaded.
    walk.post("continue", &[("q.description", " ")], Vec::new())
        .await;
    assert!(walk.redirected);
    assert_eq!(walk.address, question_page);
    assert_eq!(walk.status, 422);
    assert!(walk.page.contains("href=\"#q.description\""));
    walk.visit(&question_page).await;
    assert_eq!(walk.status, 422, "reloaded, the error is still shown");

    let marker = "Kept-between-pages marker 7731";
    walk.next(&[("q.description", marker)]).await;
    while walk.step() != "contact" {
        let step = walk.step();
        walk.next(&[]).await;
        assert_ne!(walk.step(), step, "stuck on {step}");
    }
    // The kept draft is sealed: the answer is nowhere in the database.
    let kept = kept_drafts(&app).await;
    assert_eq!(kept.len(), 1, "one draft kept for this browser");
    assert!(
        !kept[0]
            .windows(marker.len())
            .any(|w| w == marker.as_bytes()),
        "a kept draft holds no answer in clear"
    );

    // The browser's Back: each earlier address loads again, with what was
    // answered there.
    walk.visit(&question_page).await;
    assert_eq!(walk.status, 200);
    assert!(walk.page.contains(marker), "Back shows the answer given");
    walk.visit(&country_page).await;
    assert_eq!(walk.step(), "country");
    assert!(walk.page.contains("<option value=\"LU\" selected>"));
    walk.visit("/report").await;
    assert_eq!(walk.step(), "category");
    assert!(walk.page.contains("value=\"other\" checked"));

    // Forward again, to the check page; reloading it changes nothing.
    walk.visit("/report/contact").await;
    walk.next(&[("contact_choice", "anonymous")]).await;
    assert_eq!(walk.address, "/report/check");
    walk.visit("/report/check").await;
    assert_eq!(walk.status, 200);
    assert!(walk.page.contains(marker));
    assert!(walk.page.contains(&format!("Step {total} of {total}")));

    walk.post("submit", &[], Vec::new()).await;
    assert_eq!(walk.status, 200);
    receipt_on(&walk.page);
    assert_eq!(app.report_count().await, 1);
    assert!(
        kept_drafts(&app).await.is_empty(),
        "sent, the draft is gone"
    );

    // Back from the receipt: a fresh form that says why, not the answers.
    for address in ["/report/check", &question_page, "/report"] {
        walk.visit(address).await;
        assert_eq!(walk.status, 200, "{address}");
        assert_eq!(walk.step(), "category", "{address}");
        assert!(!walk.page.contains(marker), "{address} shows no answer");
    }
    walk.visit("/report/check").await;
    assert!(
        walk.page
            .contains("Your earlier answers are no longer here")
    );
    assert_eq!(app.report_count().await, 1, "nothing was sent again");
}

#[tokio::test]
async fn change_on_the_check_page_returns_to_it_and_back_keeps_what_was_typed() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let mut walk = to_check_anonymously(&app, "other").await;
    walk.post("change:country", &[], Vec::new()).await;
    assert_eq!(walk.address, "/report/country?then=check");
    assert_eq!(walk.step(), "country");
    walk.next(&[("country", "FR")]).await;
    assert_eq!(walk.step(), "check", "a change returns to the check page");
    assert!(walk.page.contains("France"));

    // Back from a changed page returns to the check page too.
    walk.post("change:country", &[], Vec::new()).await;
    walk.post("back", &[], Vec::new()).await;
    assert_eq!(walk.step(), "check");

    // On a question page, Back and the language switch keep what was typed.
    let question = "q.description";
    walk.visit("/report").await;
    walk.next(&[("category", "other")]).await;
    walk.next(&[("country", "LU")]).await;
    assert!(walk.page.contains(&format!("name=\"{question}\"")));
    walk.post(
        "lang:fr",
        &[(question, "Tapé avant de changer")],
        Vec::new(),
    )
    .await;
    assert_eq!(walk.status, 200);
    assert!(walk.page.contains("lang=\"fr\""));
    assert!(walk.page.contains("Tapé avant de changer"));
    walk.post("back", &[(question, "Typed before going back")], Vec::new())
        .await;
    assert_eq!(walk.step(), "country");
    walk.next(&[("country", "LU")]).await;
    assert!(walk.page.contains("Typed before going back"));
}

/// From the country step of an "other" report: Luxembourg, `description`,
/// anonymous, sent; the receipt code shown.
async fn send_other_from_the_country_step(walk: &mut Walk<'_>, description: &str) -> String {
    assert_eq!(walk.step(), "country");
    walk.next(&[("country", "LU")]).await;
    walk.next(&[("q.description", description)]).await;
    while walk.step() != "contact" {
        walk.next(&[]).await;
    }
    walk.next(&[("contact_choice", "anonymous")]).await;
    walk.post("submit", &[], Vec::new()).await;
    receipt_on(&walk.page)
}

#[tokio::test]
async fn a_browser_that_refuses_cookies_still_reports_with_each_page_as_the_answer() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let no_cookies = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut walk = Walk::start_with(&app, no_cookies).await;
    walk.next(&[("category", "other")]).await;
    assert!(
        !walk.redirected,
        "without the cookie, the next page is the answer"
    );
    send_other_from_the_country_step(&mut walk, "Sent without cookies").await;
    assert_eq!(app.report_count().await, 1);
    assert!(
        kept_drafts(&app).await.is_empty(),
        "nothing kept without a cookie"
    );
}

#[tokio::test]
async fn a_forged_or_unknown_draft_cookie_starts_a_fresh_form() {
    let app = spawn_app().await;
    app.complete_setup().await;
    for cookie in [
        "ward_draft=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "ward_draft=not-a-token",
        "ward_draft=../../etc/passwd",
    ] {
        for address in ["/report/check", "/report/page:nope", "/report/%00"] {
            let r = reqwest::Client::new()
                .get(app.url(address))
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{cookie} {address}");
            let page = r.text().await.unwrap();
            assert_eq!(hidden_field(&page, "step"), "category");
            assert!(page.contains("Your earlier answers are no longer here"));
        }
    }
}

#[tokio::test]
async fn the_store_of_drafts_is_bounded_and_forgets_expired_drafts() {
    use ward::storage::drafts::{Bounds, count, load, save};
    let app = spawn_app().await;
    let db = &app.state.db;
    let bounds = Bounds {
        drafts: 2,
        bytes: 1000,
    };
    assert!(save(db, "a", &[1; 100], 10_000, 0, bounds).await.unwrap());
    assert!(save(db, "b", &[1; 100], 10_000, 0, bounds).await.unwrap());
    assert!(
        !save(db, "c", &[1; 100], 10_000, 0, bounds).await.unwrap(),
        "a third draft finds the store full"
    );
    assert!(
        save(db, "a", &[2; 300], 10_000, 5, bounds).await.unwrap(),
        "a kept draft is still kept up to date"
    );
    assert_eq!(load(db, "a", 5).await.unwrap(), Some(vec![2; 300]));
    // Once the first two have expired, a new draft makes room.
    assert!(
        save(db, "c", &[3; 100], 20_000, 10_000, bounds)
            .await
            .unwrap()
    );
    assert_eq!(count(db).await.unwrap(), 1, "expired drafts are gone");
    assert_eq!(load(db, "a", 10_000).await.unwrap(), None);
    assert!(
        !save(db, "d", &[4; 901], 20_000, 10_000, bounds)
            .await
            .unwrap(),
        "beyond the bytes allowed"
    );
    assert_eq!(load(db, "c", 10_000).await.unwrap(), Some(vec![3; 100]));
}

#[tokio::test]
async fn a_full_store_of_drafts_never_stops_anyone_from_reporting() {
    let app = spawn_app().await;
    app.complete_setup().await;
    // A flood of drafts has filled the store.
    let full = ward::domain::draft::KEPT_BOUNDS.drafts;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         INSERT INTO drafts (id_hash, sealed, expires_at) \
         SELECT 'flood-' || CAST(i AS TEXT), $2, $3 FROM n",
    )
    .bind(full)
    .bind(vec![0u8; 16])
    .bind(i64::MAX / 2)
    .execute(app.state.db.pool())
    .await
    .unwrap();
    let mut walk = Walk::start(&app).await;
    walk.next(&[("category", "other")]).await;
    assert!(
        !walk.redirected,
        "the store is full: the next page is the answer"
    );
    send_other_from_the_country_step(&mut walk, "Sent while the store was full").await;
    assert_eq!(app.report_count().await, 1);
}

#[tokio::test]
async fn the_quick_exit_forgets_the_answers_so_that_back_cannot_show_them() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let mut walk = Walk::start(&app).await;
    walk.next(&[("category", "other")]).await;
    walk.next(&[("country", "LU")]).await;
    let marker = "Typed before the quick exit";
    walk.next(&[("q.description", marker)]).await;
    let question_page = "/report/page:what-happened";
    walk.visit(question_page).await;
    assert!(walk.page.contains(marker));
    assert!(
        walk.page.contains("href=\"/report/leave\""),
        "every page has the quick exit"
    );

    let r = app.get("/report/leave").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "https://www.wikipedia.org/");
    assert!(kept_drafts(&app).await.is_empty(), "the kept draft is gone");

    // The browser's Back finds an empty form.
    walk.visit(question_page).await;
    assert_eq!(walk.step(), "category");
    assert!(!walk.page.contains(marker));
}

#[tokio::test]
async fn the_file_field_says_what_may_be_sent_before_anything_is_chosen() {
    let app = spawn_app().await;
    app.complete_setup().await;
    for lang in ["en", "fr"] {
        let mut walk = to_check_anonymously(&app, "other").await;
        walk.post(&format!("lang:{lang}"), &[], Vec::new()).await;
        let page = &walk.page;
        let at = |id: &str| {
            let text = ward::i18n::text(lang, id).replace('\'', "&#39;");
            page.find(&text)
                .unwrap_or_else(|| panic!("{lang}: {id} is on the check page"))
        };
        let input = page.find("type=\"file\"").unwrap();
        // The limits, the types, that hidden details are removed, and the
        // warning about abuse images, which welcomes a witness's own
        // photos: all before the field, none above its label.
        let label = at("attachments-label");
        for id in ["attachments-cleaned", "attachments-abuse-warning"] {
            assert!(label < at(id) && at(id) < input, "{lang}: {id}");
        }
        assert!(page.contains(&format!("{} MB", app.state.settings.max_file_mb)) || lang != "en");
    }
    let fr = ward::i18n::text("fr", "never-upload-abuse");
    assert!(
        !fr.to_lowercase().contains("télécharg"),
        "ambiguous in French: {fr}"
    );
}
