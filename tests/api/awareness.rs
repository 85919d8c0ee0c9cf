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
            && home.contains("href=\"/report\"")
            && home.contains("href=\"/follow-up\"")
    );
}
