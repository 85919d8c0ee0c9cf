use ward::backup;
use ward::domain::reports;

use crate::helpers::{
    ADMIN_EMAIL, ADMIN_PASSWORD, fresh_database_url, sample_report, spawn_app, spawn_with,
    test_settings,
};

#[tokio::test]
async fn a_running_instance_restores_into_an_empty_directory_with_everything_readable() {
    let app = spawn_app().await;
    app.complete_setup().await;
    for i in 0..5 {
        assert_eq!(
            app.post_report(&sample_report(&format!("report number {i}")))
                .await
                .status(),
            201
        );
    }
    let receipt = reports::submit(
        &app.state.db,
        &app.state.files,
        &app.state.instance_key,
        reports::NewReport {
            category: reports::Category::parse("other").unwrap(),
            country: ward::domain::values::CountryCode::parse("LU").unwrap(),
            reporter_country: None,
            language: reports::Language::parse("de").unwrap(),
            content: reports::ReportContent {
                answers: serde_json::Map::from_iter([(
                    "description".to_string(),
                    "see the ticket".into(),
                )]),
                contact: None,
                received_at: None,
            },
            attachments: vec![reports::NewAttachment {
                file_name: "ticket.pdf".into(),
                content_type: "application/pdf".into(),
                bytes: crate::helpers::pdf_with_text("a ticket"),
            }],
        },
    )
    .await
    .unwrap()
    .receipt;

    // Backup while the server runs.
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("ward.tar.gz");
    let manifest = backup::create(&app.settings, &file).await.unwrap();
    assert_eq!(manifest.tables["reports"], 6);
    assert_eq!(manifest.files, 1);
    assert!(!out_dir.path().join("ward.tar.gz.partial").exists());

    // Restore into a fresh instance.
    let target_dir = tempfile::tempdir().unwrap();
    let target = test_settings(target_dir.path(), fresh_database_url().await);
    backup::restore(&target, &file).await.unwrap();
    let restored = spawn_with(target.clone(), target_dir).await;

    let admin = restored
        .unlock(ADMIN_EMAIL, ADMIN_PASSWORD)
        .await
        .expect("the administrator's password still works");
    let key = admin.organisation_key().unwrap();
    let ids: Vec<(String, String)> =
        sqlx::query_as("SELECT organisation_id, id FROM reports ORDER BY created_at")
            .fetch_all(restored.state.db.pool())
            .await
            .unwrap();
    assert_eq!(ids.len(), 6);
    let mut texts = Vec::new();
    for (org, id) in &ids {
        let opened = reports::open(&restored.state.db, &restored.state.files, org, key, id)
            .await
            .unwrap();
        if let Some(t) = opened.content.answers.get("description") {
            texts.push(t.as_str().unwrap().to_string());
        }
        for (meta, bytes) in opened.attachments {
            assert_eq!(meta.file_name, "ticket.pdf");
            assert!(bytes.starts_with(b"%PDF-") && bytes.windows(8).any(|w| w == b"a ticket"));
        }
    }
    texts.sort();
    let mut expected: Vec<String> = (0..5).map(|i| format!("report number {i}")).collect();
    expected.push("see the ticket".into());
    expected.sort();
    assert_eq!(texts, expected);
    // Receipts keep working: the instance key came along.
    assert!(
        reports::find_by_receipt(&restored.state.db, &restored.state.instance_key, &receipt)
            .await
            .unwrap()
            .is_some()
    );

    // Restoring again over data is refused and changes nothing.
    let (_settings, _kept_dir) = restored.stop().await;
    let err = backup::restore(&target, &file)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("already holds data"), "{err}");
}

#[tokio::test]
async fn corrupt_and_newer_backups_are_refused_without_leaving_anything_behind() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("ward.tar.gz");
    backup::create(&app.settings, &file).await.unwrap();
    let good = std::fs::read(&file).unwrap();

    let target_dir = tempfile::tempdir().unwrap();
    let target = test_settings(target_dir.path(), fresh_database_url().await);

    // Not a backup at all, or cut short.
    for (name, bytes) in [
        ("garbage", b"this is not a backup".to_vec()),
        ("truncated", good[..good.len() / 2].to_vec()),
    ] {
        let path = out_dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = format!("{:#}", backup::restore(&target, &path).await.unwrap_err());
        assert!(err.contains("corrupt"), "{name}: {err}");
    }

    // From a newer Ward.
    let newer = rewrite_manifest(&good, |m| m["format"] = 99.into());
    let path = out_dir.path().join("newer");
    std::fs::write(&path, newer).unwrap();
    let err = backup::restore(&target, &path)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("upgrade Ward"), "{err}");
    let newer_schema = rewrite_manifest(&good, |m| m["schema_version"] = 99_999_999_999_i64.into());
    std::fs::write(&path, newer_schema).unwrap();
    let err = backup::restore(&target, &path)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("upgrade Ward"), "{err}");

    // Nothing was restored: the target can still take the good backup.
    backup::restore(&target, &file).await.unwrap();
}

#[tokio::test]
async fn backup_needs_an_existing_instance_and_changes_nothing() {
    let empty = tempfile::tempdir().unwrap();
    let settings = test_settings(&empty.path().join("nothing-here"), None);
    let err = format!(
        "{:#}",
        backup::create(&settings, &empty.path().join("b.tar.gz"))
            .await
            .unwrap_err()
    );
    assert!(err.contains("no Ward instance"), "{err}");
    assert!(
        !empty.path().join("nothing-here").exists(),
        "backup created nothing"
    );
    assert!(!empty.path().join("b.tar.gz").exists());
}

fn rewrite_manifest(archive: &[u8], change: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    use std::io::Read;
    let mut input = tar::Archive::new(flate2::read::GzDecoder::new(archive));
    let mut output = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    for entry in input.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_path_buf();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if path.to_str() == Some("ward-backup.json") {
            let mut manifest: serde_json::Value = serde_json::from_slice(&data).unwrap();
            change(&mut manifest);
            data = serde_json::to_vec(&manifest).unwrap();
        }
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o600);
        header.set_cksum();
        output.append_data(&mut header, &path, &data[..]).unwrap();
    }
    output.into_inner().unwrap().finish().unwrap()
}

#[tokio::test]
async fn the_backup_knows_every_table_and_column_count_of_the_schema() {
    let app = spawn_app().await;
    let mut tx = app.state.db.pool().begin().await.unwrap();
    let existing = ward::storage::tables::existing_tables(&mut tx, app.state.db.backend())
        .await
        .unwrap();
    let mut listed: Vec<String> = ward::storage::tables::TABLES
        .iter()
        .map(|t| t.name.to_string())
        .collect();
    listed.sort();
    assert_eq!(
        existing, listed,
        "storage::tables::TABLES must list every table"
    );
    // Every listed column exists (a SELECT of all of them works), and none is missing.
    for table in ward::storage::tables::TABLES {
        ward::storage::tables::read_rows(&mut tx, table)
            .await
            .unwrap();
        let columns =
            ward::storage::tables::column_count(&mut tx, app.state.db.backend(), table.name)
                .await
                .unwrap();
        assert_eq!(
            columns,
            table.columns.len() as i64,
            "storage::tables::TABLES must list every column of {}",
            table.name
        );
    }
}
