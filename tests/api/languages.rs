use crate::helpers::{spawn_app, spawn_app_with};

async fn page(app: &crate::helpers::TestApp, path: &str, accept_language: &str) -> (u16, String) {
    let r = app
        .client
        .get(app.url(path))
        .header("accept-language", accept_language)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn pages_speak_the_visitors_language() {
    let app = spawn_app().await;
    let (_, fr) = page(&app, "/", "fr-LU,fr;q=0.9,en;q=0.5").await;
    assert!(fr.contains("<html lang=\"fr\" dir=\"ltr\">"), "{fr}");
    assert!(fr.contains("Les signalements ne sont pas encore ouverts"));
    assert!(fr.contains("Sortie rapide"));
    let (_, lb) = page(&app, "/", "lb").await;
    assert!(lb.contains("Séier eraus"));
    let (_, unknown) = page(&app, "/", "ja").await;
    assert!(unknown.contains("Reporting is not open yet"));
    for code in ["en", "fr", "de", "lb", "pt"] {
        assert!(
            fr.contains(&format!("hreflang=\"{code}\"")) || code == "fr",
            "switcher offers {code}"
        );
    }
}

#[tokio::test]
async fn the_language_switcher_is_remembered() {
    let app = spawn_app().await;
    let r = app.get("/?lang=de").await;
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("ward_lang=de")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    // A session cookie: nothing stays on a shared device once the browser closes.
    assert!(
        !cookie.contains("Max-Age") && !cookie.contains("Expires"),
        "{cookie}"
    );
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Meldungen sind noch nicht möglich")
    );
    // The client keeps the cookie: the next page is German even with an English browser.
    let (_, next) = page(&app, "/", "en").await;
    assert!(next.contains("<html lang=\"de\""), "{next}");
    // Unknown languages are ignored.
    let r = app.client.get(app.url("/?lang=xx")).send().await.unwrap();
    assert!(r.headers().get("set-cookie").is_none());
}

#[tokio::test]
async fn error_pages_and_form_errors_are_translated() {
    let app = spawn_app().await;
    let (status, pt) = page(&app, "/no/such/page", "pt-PT").await;
    assert_eq!(status, 404);
    assert!(pt.contains("Página não encontrada"), "{pt}");
    let (status, fr) = page(&app, "/setup/unknown", "fr").await;
    assert_eq!(status, 404);
    assert!(fr.contains("installation n&#39;est pas valide"), "{fr}");

    let path = app.setup_path().await;
    let r = app
        .client
        .post(app.url(&path))
        .header("accept-language", "fr")
        .form(&[
            ("organisation", ""),
            ("country", "LU"),
            ("email", "x"),
            ("password", "short"),
            ("password_confirm", "short"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("Il y a un problème"));
    assert!(
        body.contains("Le mot de passe doit comporter au moins 12 caractères"),
        "{body}"
    );
}

#[tokio::test]
async fn api_errors_carry_stable_codes() {
    let app = spawn_app().await;
    let r = app.post_report(&crate::helpers::sample_report("x")).await;
    assert_eq!(r.status(), 503);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "error-not-open");
}

#[tokio::test]
async fn the_language_cookie_is_secure_behind_tls() {
    let app = spawn_app_with(|s| {
        s.public_url = Some("https://report.example.org".into());
    })
    .await;
    let r = app.get("/?lang=fr").await;
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.ends_with("; Secure"), "{cookie}");
}
