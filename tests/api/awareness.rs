use crate::helpers::spawn_app;

#[tokio::test]
async fn awareness_pages_are_served_in_every_language() {
    let app = spawn_app().await;
    for (lang, expected) in [
        ("en", "Signs you may notice"),
        ("fr", "Les signes"),
        ("de", "Anzeichen"),
        ("lb", "Zeechen"),
        ("pt", "Sinais"),
    ] {
        let r = app.get(&format!("/about/signs?lang={lang}")).await;
        assert_eq!(r.status(), 200);
        let page = r.text().await.unwrap();
        assert!(page.contains(expected), "{lang}");
        assert!(
            !page.contains("needs-review"),
            "review notes stay out of the page"
        );
    }
    let page = app
        .get("/about/what-to-do?lang=en")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("<strong>Never download, screenshot, save or share"),
        "Markdown is rendered"
    );
    assert_eq!(app.get("/about/../../etc/passwd").await.status(), 404);
    assert_eq!(app.get("/about/nope").await.status(), 404);
    app.complete_setup().await;
    let home = app.get("/").await.text().await.unwrap();
    assert!(
        home.contains("href=\"/about/what-is-csec\"")
            && home.contains("href=\"/report?country=LU\"")
            && home.contains("href=\"/follow-up\"")
    );
}

#[tokio::test]
async fn the_home_page_shows_the_emergency_number_of_the_chosen_country() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let lu = app.get("/?lang=en").await.text().await.unwrap();
    assert!(
        lu.contains("call the emergency number 112 now"),
        "the organisation's country by default"
    );
    let th = app.get("/?country=TH").await.text().await.unwrap();
    assert!(th.contains("call the emergency number 191 now"));
    assert!(th.contains("<option value=\"TH\" selected>"));
    let unknown = app.get("/?country=AQ").await.text().await.unwrap();
    assert!(unknown.contains("call the local emergency number"));
    assert_eq!(
        app.get("/?country=%3Cscript%3E").await.status(),
        200,
        "a bad country is ignored"
    );
}

#[tokio::test]
async fn public_pages_stay_light_for_slow_phones() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let css = app
        .get(ward::web::public::assets::stylesheet_href())
        .await
        .bytes()
        .await
        .unwrap()
        .len();
    for path in [
        "/",
        "/report",
        "/follow-up",
        "/about/what-is-csec",
        "/about/signs",
        "/about/what-to-do",
    ] {
        for lang in ["en", "fr", "de", "lb", "pt"] {
            let html = app
                .get(&format!("{path}?lang={lang}"))
                .await
                .bytes()
                .await
                .unwrap()
                .len();
            assert!(
                html + css < 30 * 1024,
                "{path} in {lang}: {html} + {css} bytes"
            );
        }
    }
}

#[tokio::test]
async fn robots_favicon_and_description_are_served_by_ward_itself() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let r = app.get("/robots.txt").await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let robots = r.text().await.unwrap();
    for kept_out in ["/admin", "/portal", "/follow-up", "/report/"] {
        assert!(
            robots.lines().any(|l| l == format!("Disallow: {kept_out}")),
            "robots.txt keeps {kept_out} out:\n{robots}"
        );
    }
    assert!(
        !robots.contains("Disallow: /\n"),
        "the public pages stay findable"
    );
    for path in ["/favicon.svg", "/favicon.ico"] {
        let r = app.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["content-type"], "image/svg+xml");
        assert!(r.text().await.unwrap().starts_with("<svg"));
    }
    for lang in ["en", "fr"] {
        let home = app
            .get(&format!("/?lang={lang}"))
            .await
            .text()
            .await
            .unwrap();
        let lead = ward::i18n::text(lang, "home-lead");
        let lead = lead.replace('\'', "&#39;");
        assert!(
            home.contains(&format!("<meta name=\"description\" content=\"{lead}\">")),
            "{lang}: {home}"
        );
        assert!(home.contains("<link rel=\"icon\" href=\"/favicon.svg\""));
    }
}
