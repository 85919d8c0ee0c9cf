//! Which organisation a new report goes to: rules by the country of the
//! incident, then the reporter's country, then an organisation of that
//! country, then the coordinating one; and only the coordinating
//! organisation's administrators change the rules.

use ward::domain::reports;

use super::{add_hotline, coordinating_id, organisation_of};
use crate::backoffice::{signed_in, team};
use crate::helpers::{TestApp, sample_report, spawn_app};

/// Sends a report about `country` through the API; returns its id.
async fn report_about(app: &TestApp, country: &str, reporter_country: Option<&str>) -> String {
    let mut body = sample_report("routing");
    body["country"] = country.into();
    if let Some(c) = reporter_country {
        body["reporter_country"] = c.into();
    }
    let r = app.post_report(&body).await;
    assert_eq!(r.status(), 201);
    let receipt: serde_json::Value = r.json().await.unwrap();
    reports::find_by_receipt(
        &app.state.db,
        &app.state.instance_key,
        receipt["receipt"].as_str().unwrap(),
    )
    .await
    .unwrap()
    .unwrap()
    .id
}

#[tokio::test]
async fn rules_route_each_new_report_to_the_right_organisation() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let lu = coordinating_id(&app).await;
    let pt = add_hotline(&app, "Hotline Portugal", "PT", "admin@hotline-pt.example").await;
    let fr = add_hotline(&app, "Hotline France", "FR", "admin@hotline-fr.example").await;
    let coordinator = signed_in(&app, &team.admin).await;

    // Brazil's reports go to the Portuguese hotline, Spain's to the French one.
    for (country, organisation) in [("BR", &pt.id), ("ES", &fr.id)] {
        let r = coordinator
            .post(
                "/admin/network/rules",
                &[
                    ("action", "set"),
                    ("country", country),
                    ("organisation", organisation),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
    }
    let (_, page) = coordinator.page("/admin/network").await;
    assert!(page.contains("Brazil → Hotline Portugal"), "{page}");

    let cases = [
        // A rule for the country of the incident.
        ("BR", None, &pt.id),
        ("ES", Some("LU"), &fr.id),
        // An organisation of the incident's country.
        ("PT", None, &pt.id),
        ("FR", Some("PT"), &fr.id),
        ("LU", None, &lu),
        // No rule and no organisation for the incident's country: the reporter's country.
        ("TH", Some("FR"), &fr.id),
        ("TH", Some("BR"), &pt.id),
        // Nothing at all: the coordinating organisation.
        ("TH", None, &lu),
        ("KH", Some("US"), &lu),
    ];
    for (country, reporter, expected) in cases {
        let id = report_about(&app, country, reporter).await;
        assert_eq!(
            &organisation_of(&app, &id).await,
            expected,
            "{country} reported from {reporter:?}"
        );
    }

    // Without its rule, Brazil's reports go to the coordinating organisation again.
    let r = coordinator
        .post(
            "/admin/network/rules",
            &[("action", "remove"), ("country", "BR")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let id = report_about(&app, "BR", None).await;
    assert_eq!(organisation_of(&app, &id).await, lu);

    // The changes are in the audit log.
    let changes: Vec<(String,)> =
        sqlx::query_as("SELECT object_id FROM audit_log WHERE action = 'routing-changed'")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(changes.len(), 3);
}

#[tokio::test]
async fn only_the_coordinating_organisations_administrators_change_the_network() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let pt = add_hotline(&app, "Hotline Portugal", "PT", "admin@hotline-pt.example").await;
    let other_admin = signed_in(&app, &pt.admin).await;
    let analyst = signed_in(&app, &team.analyst).await;
    for browser in [&other_admin, &analyst] {
        assert_eq!(browser.get("/admin/network").await.status(), 403);
        assert_eq!(browser.get("/admin/network/countries").await.status(), 403);
        assert_eq!(
            browser.get("/admin/network/countries/LU").await.status(),
            403
        );
        let r = browser
            .post(
                "/admin/network/rules",
                &[
                    ("action", "set"),
                    ("country", "PT"),
                    ("organisation", &pt.id),
                ],
            )
            .await;
        assert_eq!(r.status(), 403);
        let r = browser
            .post("/admin/network/countries/LU", &[("emergency", "999")])
            .await;
        assert_eq!(r.status(), 403);
    }
    // The other hotline's administrator does not see the network in the navigation.
    let (_, page) = other_admin.page("/admin").await;
    assert!(!page.contains("/admin/network"));
    let coordinator = signed_in(&app, &team.admin).await;
    let (_, page) = coordinator.page("/admin").await;
    assert!(page.contains("href=\"/admin/network\""));
    assert_eq!(app.state.directory.emergency("LU").as_deref(), Some("112"));
}

#[tokio::test]
async fn the_countries_directory_is_editable_and_the_public_site_uses_it() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let coordinator = signed_in(&app, &team.admin).await;
    let (status, page) = coordinator.page("/admin/network/countries").await;
    assert_eq!(status, 200);
    assert!(page.contains("Stopline"), "the bundled directory is listed");

    // A bad address is refused with its field named, and nothing changes.
    let r = coordinator
        .post(
            "/admin/network/countries/TH",
            &[
                ("emergency", "191"),
                ("mechanism", "Thai hotline"),
                ("mechanism_url", "javascript:alert(1)"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("href=\"#mechanism_url\""));
    assert_eq!(app.state.directory.entry("TH").unwrap().mechanism, None);

    let r = coordinator
        .post(
            "/admin/network/countries/TH",
            &[
                ("emergency", "191 / 1300"),
                ("mechanism", "Thai reporting service"),
                ("mechanism_url", "https://report.example.th"),
                ("languages", "th, en"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // The coordinating organisation covers every country: no fallback notice yet.
    let page = app.get("/?country=TH").await.text().await.unwrap();
    assert!(
        page.contains("191 / 1300"),
        "the new emergency number is shown"
    );
    assert!(!page.contains("Thai reporting service"));

    // Once it no longer does, visitors about Thailand are told where to report there.
    let lu = coordinating_id(&app).await;
    let r = coordinator
        .post(
            &format!("/admin/network/organisations/{lu}/coverage"),
            &[("covers_all", "no")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = app.get("/?country=TH").await.text().await.unwrap();
    assert!(page.contains("Thai reporting service"), "{page}");
    assert!(page.contains("https://report.example.th"));
    // Luxembourg is covered by its own hotline: no notice there.
    let page = app.get("/?country=LU").await.text().await.unwrap();
    assert!(!page.contains("No hotline here handles reports"));
}

#[tokio::test]
async fn recipients_are_suggested_for_a_case_by_its_country_and_category() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let admin = signed_in(&app, &team.admin).await;
    let mut ids = Vec::new();
    for (name, rule) in [
        ("Thai tourist police", Some(("TH", "travel-tourism"))),
        ("Thai national police", Some(("TH", ""))),
        ("Thai trafficking unit", Some(("TH", "trafficking"))),
        ("Luxembourg police", Some(("LU", ""))),
        ("Someone without rules", None),
    ] {
        let id = super::add_recipient(
            &admin,
            &[("name", name), ("country", "TH"), ("kind", "police")],
        )
        .await;
        if let Some((country, category)) = rule {
            let r = admin
                .post(
                    &format!("/admin/recipients/{id}/rules"),
                    &[
                        ("action", "add"),
                        ("country", country),
                        ("category", category),
                    ],
                )
                .await;
            assert_eq!(r.status(), 303);
        }
        ids.push((name, id));
    }
    // A travel and tourism case in Thailand.
    let report = crate::backoffice::report(&app, "suggestions").await;
    let analyst = signed_in(&app, &team.analyst).await;
    let (_, page) = analyst.page(&format!("/admin/reports/{report}")).await;
    let form = &page[page.find("id=\"recipients\"").unwrap()..];
    let form = &form[..form.find("</fieldset>").unwrap()];
    let mut suggested: Vec<&str> = form
        .split("<div class=\"checkbox\">")
        .skip(1)
        .filter(|option| option.contains("Suggested"))
        .map(|option| {
            ids.iter()
                .find(|(name, _)| option.contains(name))
                .unwrap()
                .0
        })
        .collect();
    suggested.sort();
    assert_eq!(suggested, ["Thai national police", "Thai tourist police"]);
    // Suggested ones come first; the others are still offered.
    assert!(form.find("Thai national police").unwrap() < form.find("Luxembourg police").unwrap());
    assert!(form.contains("Someone without rules"));

    // Removing a rule removes the suggestion.
    let r = admin
        .post(
            &format!("/admin/recipients/{}/rules", ids[0].1),
            &[
                ("action", "remove"),
                ("country", "TH"),
                ("category", "travel-tourism"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = analyst.page(&format!("/admin/reports/{report}")).await;
    assert_eq!(page.matches(">Suggested<").count(), 1);
}
