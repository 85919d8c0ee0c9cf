use crate::helpers::spawn_app;

#[tokio::test]
async fn the_api_lists_categories_and_their_questions_in_the_asked_language() {
    let app = spawn_app().await;
    let list: serde_json::Value = app
        .get("/api/v1/questionnaires?lang=fr")
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = list["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "travel-tourism",
            "abuse-material",
            "prostitution",
            "trafficking",
            "other"
        ]
    );
    assert_eq!(list["language"], "fr");
    assert!(
        list["categories"][0]["label"]
            .as_str()
            .unwrap()
            .contains("voyageur")
    );

    let q: serde_json::Value = app
        .get("/api/v1/questionnaires/travel-tourism?lang=de")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(q["language"], "de");
    let questions: Vec<&serde_json::Value> = q["pages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["questions"].as_array().unwrap())
        .collect();
    let place_type = questions.iter().find(|q| q["id"] == "place_type").unwrap();
    assert_eq!(place_type["type"], "choice");
    assert_eq!(
        place_type["options"][0],
        serde_json::json!({ "id": "hotel", "label": "Hotel" })
    );
    let place_name = questions.iter().find(|q| q["id"] == "place_name").unwrap();
    assert_eq!(place_name["show_if"]["question"], "place_type");
    let description = questions.iter().find(|q| q["id"] == "description").unwrap();
    assert_eq!(description["required"], true);
    assert_eq!(
        description["label"],
        "Beschreiben Sie, was Sie gesehen oder gehört haben"
    );

    let missing = app.get("/api/v1/questionnaires/burglary").await;
    assert_eq!(missing.status(), 404);
    let body: serde_json::Value = missing.json().await.unwrap();
    assert_eq!(body["code"], "error-not-found");
}

#[tokio::test]
async fn the_openapi_file_describes_every_api_route() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/openapi.json").await;
    assert_eq!(r.status(), 200);
    let spec: serde_json::Value = r.json().await.unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    let paths: Vec<&String> = spec["paths"].as_object().unwrap().keys().collect();
    for path in [
        "/questionnaires",
        "/questionnaires/{category}",
        "/reports",
        "/follow-up",
        "/follow-up/messages",
        "/referral.schema.json",
    ] {
        assert!(paths.iter().any(|p| *p == path), "{path} is documented");
    }
    // The documented categories and languages are the ones Ward knows.
    let categories = &spec["components"]["schemas"]["Category"]["enum"];
    assert_eq!(
        categories,
        &serde_json::json!(ward::domain::reports::CATEGORIES)
    );
    let languages = &spec["components"]["schemas"]["Language"]["enum"];
    assert_eq!(
        languages,
        &serde_json::json!(ward::domain::reports::LANGUAGES)
    );
}
