//! Keys written into the database behind Ward's back: nothing is sealed to
//! them, and the refusal is audited.

use crate::backoffice::audit_actions;
use crate::helpers::{sample_report, spawn_app};

#[tokio::test]
async fn an_organisation_key_replaced_in_the_database_captures_nothing() {
    let app = spawn_app().await;
    app.complete_setup().await;
    assert_eq!(
        app.post_report(&sample_report("before")).await.status(),
        201
    );
    let before = app.report_count().await;

    // Someone with write access to the database swaps in a key of their own.
    let (genuine,): (String,) = sqlx::query_as("SELECT public_key FROM organisations")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let intruder = ward::vault::SecretKey::generate().public_key().to_string();
    sqlx::query("UPDATE organisations SET public_key = $1")
        .bind(&intruder)
        .execute(app.state.db.pool())
        .await
        .unwrap();

    // Reports are refused rather than sealed to the intruder's key.
    let r = app.post_report(&sample_report("after the swap")).await;
    assert_eq!(r.status(), 503);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "error-key-not-trusted");
    assert_eq!(app.report_count().await, before, "nothing was stored");
    let refusals: Vec<_> = audit_actions(&app)
        .await
        .into_iter()
        .filter(|(action, _, _)| action == "key-refused")
        .collect();
    assert_eq!(refusals.len(), 1, "{refusals:?}");
    let detail = refusals[0].2.as_deref().unwrap();
    assert!(
        detail.contains(&ward::vault::fingerprint(&intruder)),
        "{detail}"
    );

    // A binding copied from another row does not help either.
    sqlx::query("UPDATE key_bindings SET mac = (SELECT mac FROM key_bindings WHERE owner_kind = 'member' LIMIT 1) WHERE owner_kind = 'organisation'")
        .execute(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(app.post_report(&sample_report("again")).await.status(), 503);

    // The genuine key back: reports flow again.
    sqlx::query("UPDATE organisations SET public_key = $1")
        .bind(&genuine)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(app.post_report(&sample_report("again")).await.status(), 201);
}

#[tokio::test]
async fn keys_from_before_bindings_are_bound_once_at_start() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let r = app.post_report(&sample_report("before the upgrade")).await;
    let report = app.open_created(r).await.row;
    // An instance as it was before key bindings: no bindings, no marker,
    // reporters' keys alone in their column.
    sqlx::query("DELETE FROM key_bindings")
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let bare = report
        .reporter_public_key
        .as_deref()
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    sqlx::query("UPDATE reports SET reporter_public_key = $1")
        .bind(bare)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let marker = app
        .settings
        .secrets_dir()
        .join(ward::domain::key_bindings::MARKER);
    assert!(marker.exists());
    std::fs::remove_file(&marker).unwrap();
    let (settings, data_dir) = app.stop().await;
    let app = crate::helpers::spawn_with(settings, data_dir).await;
    assert!(marker.exists());
    assert_eq!(
        app.post_report(&sample_report("after the upgrade"))
            .await
            .status(),
        201
    );
    // The older report's reporter still receives the hotline's messages.
    let admin = app.admin_actor().await;
    ward::domain::cases::workflow::message_reporter(
        app.state.ctx(),
        &admin,
        &report.id,
        "Still there?",
        true,
    )
    .await
    .unwrap();

    // Once bound, a key planted later is not bound by a restart.
    let intruder = ward::vault::SecretKey::generate().public_key().to_string();
    sqlx::query("UPDATE organisations SET public_key = $1")
        .bind(&intruder)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let (settings, data_dir) = app.stop().await;
    let app = crate::helpers::spawn_with(settings, data_dir).await;
    assert_eq!(
        app.post_report(&sample_report("planted")).await.status(),
        503
    );
}

#[tokio::test]
async fn a_reporter_key_replaced_in_the_database_receives_no_message() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let r = app.post_report(&sample_report("seen at the pool")).await;
    let report = app.open_created(r).await.row;
    let admin = app.admin_actor().await;
    let ask = |text: &'static str| {
        let (app, admin, id) = (&app, &admin, report.id.clone());
        async move {
            ward::domain::cases::workflow::message_reporter(app.state.ctx(), admin, &id, text, true)
                .await
        }
    };
    ask("Which floor?")
        .await
        .expect("the genuine key takes messages");

    // Someone with write access to the database gives the report a key of their own.
    let intruder = ward::vault::SecretKey::generate().public_key().to_string();
    sqlx::query("UPDATE reports SET reporter_public_key = $1")
        .bind(&intruder)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    assert!(matches!(
        ask("Which room?").await,
        Err(ward::domain::DomainError::KeyNotTrusted)
    ));
    let (messages,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM messages")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(messages, 1, "nothing was sealed to the intruder's key");
    assert!(
        audit_actions(&app)
            .await
            .iter()
            .any(|(action, object, _)| action == "key-refused"
                && object.as_deref() == Some(report.id.as_str()))
    );
    // A binding copied from another report does not help.
    let genuine_other = {
        let r = app.post_report(&sample_report("another")).await;
        app.open_created(r).await.row.reporter_public_key.unwrap()
    };
    sqlx::query("UPDATE reports SET reporter_public_key = $1 WHERE id = $2")
        .bind(&genuine_other)
        .bind(&report.id)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    assert!(ask("Which room?").await.is_err());
}
