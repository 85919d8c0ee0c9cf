//! Canary: content with unique markers goes in through the real code paths;
//! then every byte the instance stores is scanned. No marker may appear.

use ward::domain::reports::{self, Category, Language, NewAttachment, NewReport, ReportContent};
use ward::domain::values::CountryCode;
use ward::storage::tables::{self, TABLES, Value};

use crate::helpers::{files_below, postgres_url, spawn_app};
use crate::network::portal::{PASSWORD, portal_account, portal_sign_in};
use crate::network::{add_recipient, referrals_of};

/// Stored in clear on purpose (the organisation's name, set by `complete_setup`).
const CONTROL: &str = "Hotline Luxembourg";

fn contains(haystack: &[u8], needle: &str) -> bool {
    memchr::memmem::find(haystack, needle.as_bytes()).is_some()
}

#[tokio::test]
async fn no_sensitive_content_reaches_the_disk_in_clear() {
    let app = spawn_app().await;
    let setup = app.complete_setup().await;
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let answer = format!("CANARYANSWER{tag}");
    let contact = format!("CANARYCONTACT{tag}@example.org");
    let file_body = format!("CANARYFILE{tag}");
    let file_name = format!("CANARYNAME{tag}.pdf");

    // 1. Through the intake API.
    let r = app
        .post_report(&serde_json::json!({
            "category": "abuse-material", "country": "LU", "language": "fr",
            "answers": { "urls": [format!("https://example.org/{answer}")], "description": answer },
            "contact": { "email": contact, "may_contact": false }
        }))
        .await;
    assert_eq!(r.status(), 201);
    let receipt = r.json::<serde_json::Value>().await.unwrap()["receipt"]
        .as_str()
        .unwrap()
        .to_string();

    // 2. With an attachment, through the domain.
    let bytes = crate::helpers::pdf_with_text(&file_body.repeat(1000));
    let receipt2 = reports::submit(
        &app.state.db,
        &app.state.files,
        &app.state.instance_key,
        NewReport {
            category: Category::parse("travel-tourism").unwrap(),
            country: CountryCode::parse("PT").unwrap(),
            reporter_country: None,
            language: Language::parse("pt").unwrap(),
            content: ReportContent {
                answers: serde_json::Map::from_iter([(
                    "description".into(),
                    answer.clone().into(),
                )]),
                contact: None,
                received_at: None,
            },
            attachments: vec![NewAttachment {
                file_name: file_name.clone(),
                content_type: "application/pdf".into(),
                bytes,
            }],
        },
    )
    .await
    .unwrap()
    .receipt;

    // 3. Referred by hand and through the portal, with an outcome noted on each side.
    let summary = format!("CANARYSUMMARY{tag}");
    let analyst_note = format!("CANARYOUTCOME{tag}");
    let portal_note = format!("CANARYPORTALNOTE{tag}");
    let admin = crate::backoffice::signed_in(&app, &crate::backoffice::Login::admin(&setup)).await;
    let by_hand = add_recipient(
        &admin,
        &[("name", "Police"), ("country", "LU"), ("kind", "police")],
    )
    .await;
    let portal = add_recipient(
        &admin,
        &[("name", "Partner"), ("country", "PT"), ("kind", "hotline")],
    )
    .await;
    let secret = portal_account(&app, &admin, &portal, "officer@partner.example").await;
    let report =
        ward::domain::reports::find_by_receipt(&app.state.db, &app.state.instance_key, &receipt2)
            .await
            .unwrap()
            .unwrap()
            .id;
    let attachment = crate::backoffice::attachment_ids(&app, &report)
        .await
        .remove(0);
    let r = admin
        .post(
            &format!("/admin/reports/{report}/referrals"),
            &[
                ("recipients", by_hand.as_str()),
                ("recipients", portal.as_str()),
                ("answers", "description"),
                ("attachments", attachment.as_str()),
                ("summary", summary.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let referrals = referrals_of(&app, &report).await;
    let manual = referrals.iter().find(|r| r.2 == "manual").unwrap();
    let sent = referrals.iter().find(|r| r.2 == "portal").unwrap();
    assert_eq!(sent.3, "sent");
    let path = format!("/admin/reports/{report}/referrals/{}", manual.0);
    assert_eq!(admin.post(&format!("{path}/sent"), &[]).await.status(), 303);
    let r = admin
        .post(
            &format!("{path}/outcome"),
            &[("outcome", "other"), ("note", analyst_note.as_str())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let officer = portal_sign_in(&app, "officer@partner.example", &secret).await;
    let r = officer
        .post(
            &format!("/portal/referrals/{}/outcome", sent.0),
            &[("outcome", "other"), ("note", portal_note.as_str())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = officer
        .post(&format!("/portal/referrals/{}/download", sent.0), &[])
        .await;
    assert_eq!(r.status(), 200, "the portal reads the files it was sent");

    let markers = [
        summary.as_str(),
        analyst_note.as_str(),
        portal_note.as_str(),
        PASSWORD,
        answer.as_str(),
        contact.as_str(),
        file_body.as_str(),
        file_name.as_str(),
        receipt.as_str(),
        receipt2.as_str(),
        setup.totp_secret.as_str(),
        setup.recovery_key.as_str(),
        crate::helpers::ADMIN_PASSWORD,
    ];

    // 4. Every file in the data directory: SQLite database, WAL, file store, secrets.
    // The organisation's name is stored in clear: finding it proves the scan sees the data.
    let mut control_seen = false;
    for path in files_below(app.data_dir.path()) {
        let data = std::fs::read(&path).unwrap();
        control_seen |= contains(&data, CONTROL);
        for m in markers {
            assert!(!contains(&data, m), "{m} found in {}", path.display());
        }
    }
    assert!(
        control_seen || postgres_url().is_some(),
        "the scan did not see the SQLite database"
    );

    // 5. Every value of every table, as the database returns it (both backends).
    let mut tx = app.state.db.pool().begin().await.unwrap();
    let mut control_seen = false;
    for table in TABLES {
        for row in tables::read_rows(&mut tx, table).await.unwrap() {
            for value in row {
                let bytes: Vec<u8> = match value {
                    Value::Text(s) => s.into_bytes(),
                    Value::Blob(b) => b,
                    Value::Int(_) | Value::Null => continue,
                };
                control_seen |= contains(&bytes, CONTROL);
                for m in markers {
                    assert!(!contains(&bytes, m), "{m} found in table {}", table.name);
                }
            }
        }
    }
    drop(tx);
    assert!(control_seen, "the row scan did not see the organisation");

    // 6. On PostgreSQL, the server's own files too, when this process may read them.
    if postgres_url().is_some() {
        scan_postgres_files(&app, &markers).await;
    }
}

async fn scan_postgres_files(app: &crate::helpers::TestApp, markers: &[&str]) {
    sqlx::query("CHECKPOINT")
        .execute(app.state.db.pool())
        .await
        .ok();
    let dir: Result<(String,), _> =
        sqlx::query_as("SELECT setting FROM pg_settings WHERE name = 'data_directory'")
            .fetch_one(app.state.db.pool())
            .await;
    let oid: (String,) = sqlx::query_as(
        "SELECT CAST(oid AS TEXT) FROM pg_database WHERE datname = current_database()",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let Ok((dir,)) = dir else {
        eprintln!("canary: PostgreSQL data directory not visible to this role; scanned rows only");
        return;
    };
    let base = std::path::Path::new(&dir).join("base").join(&oid.0);
    let wal = std::path::Path::new(&dir).join("pg_wal");
    if std::fs::read_dir(&base).is_err() {
        eprintln!("canary: cannot read {}; scanned rows only", base.display());
        return;
    }
    let mut control_seen = false;
    for path in files_below(&base).into_iter().chain(
        std::fs::read_dir(&wal)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file()),
    ) {
        let Ok(data) = std::fs::read(&path) else {
            continue;
        };
        control_seen |= contains(&data, CONTROL);
        for m in markers {
            assert!(
                !contains(&data, m),
                "{m} found in PostgreSQL file {}",
                path.display()
            );
        }
    }
    assert!(control_seen, "the scan did not see the PostgreSQL files");
}
