use ward::backup;
use ward::domain::reports;

use crate::helpers::{
    ADMIN_EMAIL, ADMIN_PASSWORD, fresh_database_url, sample_report, spawn_app, spawn_app_with,
    spawn_with, test_settings,
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
        app.state.ctx(),
        crate::helpers::other_report(
            "LU",
            "de",
            "see the ticket",
            vec![reports::NewAttachment::in_memory(
                "ticket.pdf",
                crate::helpers::pdf_with_text("a ticket"),
            )],
        ),
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
async fn a_backup_made_before_the_latest_columns_restores_with_them_empty() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let mut report = crate::helpers::other_report("LU", "en", "from an older Ward", Vec::new());
    report.submission = Some("a form of the older Ward".into());
    let receipt = reports::submit(app.state.ctx(), report)
        .await
        .unwrap()
        .receipt;
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("ward.tar.gz");
    backup::create(&app.settings, &file).await.unwrap();
    // As the Ward before migration 0008 wrote it: schema version 7, and rows
    // of `reports` without their last column (`submission_hash`).
    let known = app.state.db.known_schema_version();
    let older = rewrite_signed(&std::fs::read(&file).unwrap(), |path, data| {
        if path == "ward-backup.json" {
            let mut manifest: serde_json::Value = serde_json::from_slice(data).unwrap();
            manifest["schema_version"] = (known - 1).into();
            *data = serde_json::to_vec(&manifest).unwrap();
        }
        if path == "tables/reports.jsonl" {
            let rows: Vec<String> = String::from_utf8(data.clone())
                .unwrap()
                .lines()
                .map(|line| {
                    let mut row: Vec<serde_json::Value> = serde_json::from_str(line).unwrap();
                    assert!(
                        row.pop().unwrap().is_string(),
                        "the last column is the submission"
                    );
                    serde_json::to_string(&row).unwrap()
                })
                .collect();
            *data = format!("{}\n", rows.join("\n")).into_bytes();
        }
    });
    let path = out_dir.path().join("older.tar.gz");
    std::fs::write(&path, older).unwrap();

    let target_dir = tempfile::tempdir().unwrap();
    let target = test_settings(target_dir.path(), fresh_database_url().await);
    backup::restore(&target, &path).await.unwrap();
    let restored = spawn_with(target.clone(), target_dir).await;
    let row = reports::find_by_receipt(&restored.state.db, &restored.state.instance_key, &receipt)
        .await
        .unwrap()
        .expect("the report came back");
    assert_eq!(row.submission_hash, None);

    // The same rows from a backup of this schema are one value short: refused.
    let short = rewrite_signed(&std::fs::read(&path).unwrap(), |path, data| {
        if path == "ward-backup.json" {
            let mut manifest: serde_json::Value = serde_json::from_slice(data).unwrap();
            manifest["schema_version"] = known.into();
            *data = serde_json::to_vec(&manifest).unwrap();
        }
    });
    let (_settings, _kept) = restored.stop().await;
    let other_dir = tempfile::tempdir().unwrap();
    let other = test_settings(other_dir.path(), fresh_database_url().await);
    let short_path = out_dir.path().join("short.tar.gz");
    std::fs::write(&short_path, short).unwrap();
    let err = format!(
        "{:#}",
        backup::restore(&other, &short_path).await.unwrap_err()
    );
    assert!(err.contains("expected"), "{err}");
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

/// A backup with its manifest changed and its checksums made again, as a
/// newer Ward (or someone holding the backup, and so its key) would write it.
fn rewrite_manifest(archive: &[u8], change: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    rewrite_signed(archive, |path, data| {
        if path == "ward-backup.json" {
            let mut manifest: serde_json::Value = serde_json::from_slice(data).unwrap();
            change(&mut manifest);
            *data = serde_json::to_vec(&manifest).unwrap();
        }
    })
}

/// A backup with entries changed by `change` and its checksums made again.
fn rewrite_signed(archive: &[u8], change: impl Fn(&str, &mut Vec<u8>)) -> Vec<u8> {
    use sha2::Digest;
    let mut entries = entries_of(archive);
    for (path, data) in &mut entries {
        change(path, data);
    }
    let key = entries
        .iter()
        .find(|(p, _)| p.starts_with("secrets/"))
        .map(|(_, k)| ward::vault::InstanceKey::from_bytes(k).unwrap())
        .unwrap();
    let sums: std::collections::BTreeMap<String, String> = entries
        .iter()
        .filter(|(p, _)| p != "ward-backup.sha256.json")
        .map(|(p, d)| (p.clone(), hex::encode(sha2::Sha256::digest(d))))
        .collect();
    let mac = hex::encode(
        key.derive("backup-checksums")
            .mac(&serde_json::to_vec(&sums).unwrap()),
    );
    let checksums = serde_json::to_vec(&serde_json::json!({ "sha256": sums, "mac": mac })).unwrap();
    for (path, data) in &mut entries {
        if path == "ward-backup.sha256.json" {
            *data = checksums.clone();
        }
    }
    archive_of(entries)
}

/// The tar stream inside a backup, decompressed (to compare content).
fn tar_stream(archive: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(archive)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// Whether anything of an instance is in a data directory: files, an
/// instance key, or the restore's staging folder.
fn leftovers(settings: &ward::config::Settings) -> Vec<std::path::PathBuf> {
    [
        settings.files_dir(),
        settings.secrets_dir(),
        settings.data_dir.join("restore-staging"),
    ]
    .iter()
    .filter(|dir| dir.exists())
    .flat_map(|dir| crate::helpers::files_below(dir))
    .collect()
}

/// A set-up instance holding `n` reports, each with a PDF.
async fn app_with_reports(n: usize) -> crate::helpers::TestApp {
    let app = spawn_app_with(|s| {
        s.rate_limits = ward::config::Switch::Off;
    })
    .await;
    app.complete_setup().await;
    for i in 0..n {
        let r = app
            .post_report_with_file(
                &sample_report(&format!("report {i}")),
                "ticket.pdf",
                crate::helpers::pdf_with_text("a ticket"),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    app
}

#[tokio::test]
async fn a_backup_with_any_byte_flipped_is_refused_naming_what_is_wrong() {
    let app = app_with_reports(3).await;
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("ward.tar.gz");
    backup::create(&app.settings, &file).await.unwrap();
    let good = std::fs::read(&file).unwrap();
    let good_tar = tar_stream(&good).unwrap();
    let manifest = backup::verify(&file).unwrap();
    assert_eq!(manifest.files, 3);

    // One byte flipped at a hundred places spread over the whole file: either
    // the backup is refused, or what it holds is exactly what it held (a
    // flip in the gzip header's time stamp changes nothing restored).
    let damaged = out_dir.path().join("damaged.tar.gz");
    let mut refused = 0;
    for i in 0..100 {
        let position = (good.len() - 1) * i / 99;
        let mut bytes = good.clone();
        bytes[position] ^= 0x40;
        std::fs::write(&damaged, &bytes).unwrap();
        match backup::verify(&damaged) {
            Err(e) => {
                let message = format!("{e:#}");
                assert!(message.contains("corrupt"), "byte {position}: {message}");
                refused += 1;
            }
            Ok(_) => assert_eq!(
                tar_stream(&bytes).as_deref(),
                Some(&good_tar[..]),
                "byte {position}: a changed backup was called sound"
            ),
        }
    }
    assert!(refused >= 95, "only {refused} of 100 refused");

    // A changed row whose gzip is remade (so that only the checksums can
    // tell): named, and nothing restored.
    let edited = rewrite_entry(&good, "tables/reports.jsonl", |rows| {
        let text = String::from_utf8(rows.to_vec()).unwrap();
        text.replacen("\"received\"", "\"closed\"", 1)
            .replacen("\"new\"", "\"closed\"", 1)
            .into_bytes()
    });
    assert_ne!(tar_stream(&edited).unwrap(), good_tar);
    std::fs::write(&damaged, &edited).unwrap();
    let message = format!("{:#}", backup::verify(&damaged).unwrap_err());
    assert!(
        message.contains("tables/reports.jsonl is damaged"),
        "{message}"
    );
    let target_dir = tempfile::tempdir().unwrap();
    let target = test_settings(target_dir.path(), fresh_database_url().await);
    let message = format!(
        "{:#}",
        backup::restore(&target, &damaged).await.unwrap_err()
    );
    assert!(message.contains("damaged"), "{message}");
    assert!(leftovers(&target).is_empty(), "{:?}", leftovers(&target));

    // The command line says the same.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ward"))
        .args(["backup", "verify"])
        .arg(&damaged)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("tables/reports.jsonl is damaged"));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ward"))
        .args(["backup", "verify"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("is sound"));

    // And the good backup restores into the same target afterwards.
    backup::restore(&target, &file).await.unwrap();
}

#[tokio::test]
async fn a_restore_killed_at_any_moment_leaves_nothing_or_everything() {
    let app = app_with_reports(40).await;
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("ward.tar.gz");
    let manifest = backup::create(&app.settings, &file).await.unwrap();
    let backup_key = std::fs::read(
        app.settings
            .secrets_dir()
            .join(ward::vault::InstanceKey::file_name()),
    )
    .unwrap();

    let restore_command = |target: &ward::config::Settings| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_ward"));
        command
            .args(["restore", "--from"])
            .arg(&file)
            .env("WARD_DATA_DIR", &target.data_dir)
            .env("WARD_LOG_LEVEL", "error")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        if let Some(url) = &target.database_url {
            command.env("WARD_DATABASE_URL", url);
        }
        command
    };
    // How long a whole restore takes here.
    let target_dir = tempfile::tempdir().unwrap();
    let target = test_settings(target_dir.path(), fresh_database_url().await);
    let started = std::time::Instant::now();
    assert!(restore_command(&target).status().unwrap().success());
    let whole = started.elapsed();

    // Killed just after the rows committed (the moment is too short to hit
    // by chance): the staged files and key are still in the staging
    // folder. The next start puts them in place.
    let staging = target.data_dir.join("restore-staging");
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::rename(target.files_dir(), staging.join("files")).unwrap();
    let key_name = ward::vault::InstanceKey::file_name();
    std::fs::rename(target.secrets_dir().join(key_name), staging.join(key_name)).unwrap();
    std::fs::write(staging.join("staged"), b"staged\n").unwrap();
    let restored = spawn_with(target.clone(), target_dir).await;
    assert_eq!(restored.report_count().await, 40);
    assert_eq!(
        crate::helpers::files_below(&target.files_dir()).len(),
        manifest.files
    );
    assert_eq!(
        std::fs::read(target.secrets_dir().join(key_name)).unwrap(),
        backup_key
    );
    assert!(!staging.exists());
    let (_, target_dir) = restored.stop().await;

    // Killed after the files were moved but before the key was: the next
    // start puts the key in place and keeps the restored files.
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::rename(target.secrets_dir().join(key_name), staging.join(key_name)).unwrap();
    std::fs::write(staging.join("staged"), b"staged\n").unwrap();
    let restored = spawn_with(target.clone(), target_dir).await;
    assert_eq!(restored.report_count().await, 40);
    assert_eq!(
        crate::helpers::files_below(&target.files_dir()).len(),
        manifest.files
    );
    assert_eq!(
        std::fs::read(target.secrets_dir().join(key_name)).unwrap(),
        backup_key
    );
    restored.stop().await;

    let (mut nothing, mut everything) = (0, 0);
    for step in 1..=16 {
        let target_dir = tempfile::tempdir().unwrap();
        let target = test_settings(target_dir.path(), fresh_database_url().await);
        let mut child = restore_command(&target).spawn().unwrap();
        std::thread::sleep(whole * step / 14);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();

        // The next start finishes or removes what the restore left.
        let restored = spawn_with(target.clone(), target_dir).await;
        let rows = restored.report_count().await;
        let files = crate::helpers::files_below(&target.files_dir()).len();
        let key = std::fs::read(
            target
                .secrets_dir()
                .join(ward::vault::InstanceKey::file_name()),
        )
        .unwrap();
        assert!(
            !target.data_dir.join("restore-staging").exists(),
            "step {step}: the staging folder is gone"
        );
        if rows == 0 {
            assert_eq!(files, 0, "step {step}: no files without rows");
            assert_ne!(
                key, backup_key,
                "step {step}: a fresh instance, not half of the backup"
            );
            nothing += 1;
        } else {
            assert_eq!(rows, 40, "step {step}");
            assert_eq!(files, manifest.files, "step {step}");
            assert_eq!(key, backup_key, "step {step}: the backup's key is in place");
            restored
                .unlock(ADMIN_EMAIL, ADMIN_PASSWORD)
                .await
                .expect("the restored administrator can sign in");
            everything += 1;
        }
    }
    eprintln!("restore killed 16 times: {nothing} left nothing, {everything} were complete");
}

/// A backup with one entry changed and the gzip remade around it.
fn rewrite_entry(archive: &[u8], name: &str, change: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    let entries = entries_of(archive)
        .into_iter()
        .map(|(path, data)| match path == name {
            true => (path, change(&data)),
            false => (path, data),
        })
        .collect();
    archive_of(entries)
}

/// The entries of a backup, in order.
fn entries_of(archive: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut input = tar::Archive::new(flate2::read::GzDecoder::new(archive));
    let mut entries = Vec::new();
    for entry in input.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        entries.push((path, data));
    }
    entries
}

/// A `.tar.gz` of these entries.
fn archive_of(entries: Vec<(String, Vec<u8>)>) -> Vec<u8> {
    let mut output = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    for (path, data) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o600);
        header.set_cksum();
        output.append_data(&mut header, &path, &data[..]).unwrap();
    }
    output.into_inner().unwrap().finish().unwrap()
}
