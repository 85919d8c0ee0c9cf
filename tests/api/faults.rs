//! Real faults: a disk that fills up while reports and messages arrive.
//!
//! The data directory sits on a small tmpfs the test mounts itself (CI runs
//! as root; elsewhere the test says SKIPPED, and fails when
//! `WARD_REQUIRE_FAULT_TESTS` is set, as `.ci/run` does).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use tempfile::TempDir;
use ward::config::Switch;

use crate::helpers::{TestApp, fresh_database_url, sample_report, spawn_with, test_settings};

/// A small filesystem of the test's own, unmounted when dropped.
pub struct SmallDisk {
    dir: TempDir,
}

impl SmallDisk {
    /// Mounts a tmpfs of `megabytes`; `None` (after saying SKIPPED) when
    /// this process may not mount filesystems.
    pub fn mount(megabytes: u32, test: &str) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m,mode=0700")])
            .arg("tmpfs")
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        if mounted {
            return Some(Self { dir });
        }
        assert!(
            std::env::var_os("WARD_REQUIRE_FAULT_TESTS").is_none(),
            "{test}: cannot mount a tmpfs, and WARD_REQUIRE_FAULT_TESTS is set"
        );
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: mounting a small filesystem needs root"
        );
        None
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file until the filesystem is full; returns its path.
    pub fn fill(&self, name: &str) -> PathBuf {
        let path = self.path().join(name);
        let mut file = std::fs::File::create(&path).unwrap();
        let chunk = vec![0x5a_u8; 4096];
        loop {
            match file.write_all(&chunk) {
                Ok(()) => {}
                Err(e) if e.raw_os_error() == Some(libc_enospc()) => break,
                Err(e) => panic!("filling the disk: {e}"),
            }
        }
        let _ = file.sync_all();
        path
    }
}

fn libc_enospc() -> i32 {
    28
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

async fn spawn_on(disk: &SmallDisk) -> TestApp {
    let data_dir = tempfile::tempdir_in(disk.path()).unwrap();
    let mut settings = test_settings(data_dir.path(), fresh_database_url().await);
    settings.rate_limits = Switch::Off;
    spawn_with(settings, data_dir).await
}

/// What an answer said, as the test counts it.
#[derive(Debug, PartialEq)]
enum Answer {
    Stored(String),
    TryLater,
}

/// 201 with its receipt, or 503 with Retry-After; anything else fails.
async fn answer_of(r: reqwest::Response, what: &str) -> Answer {
    let status = r.status().as_u16();
    match status {
        201 => {
            let body: serde_json::Value = r.json().await.unwrap();
            Answer::Stored(body["receipt"].as_str().unwrap_or("").to_string())
        }
        503 => {
            assert!(
                r.headers().contains_key("retry-after"),
                "{what}: a 503 says when to come back"
            );
            let body: serde_json::Value = r.json().await.unwrap();
            assert_eq!(body["code"], "error-busy", "{what}: {body}");
            Answer::TryLater
        }
        other => panic!("{what}: {other} {}", r.text().await.unwrap_or_default()),
    }
}

async fn send_message(app: &TestApp, receipt: &str, text: &str) -> Answer {
    let r = app
        .client
        .post(app.url("/api/v1/follow-up/messages"))
        .json(&serde_json::json!({ "receipt": receipt, "message": text }))
        .send()
        .await
        .unwrap();
    answer_of(r, "a follow-up message").await
}

async fn send_report(app: &TestApp, n: usize) -> Answer {
    let picture = noise_png(n);
    let r = app
        .post_report_with_file(
            &sample_report(&format!("Report {n} sent while the disk was full")),
            "picture.png",
            picture,
        )
        .await;
    answer_of(r, "a report").await
}

/// A small PNG of noise (each different), so that files take real room.
fn noise_png(seed: usize) -> Vec<u8> {
    let mut state = seed as u32 ^ 0x9e37_79b9;
    let pixels: Vec<u8> = (0..64 * 64 * 3)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect();
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_raw(64, 64, pixels)
        .unwrap()
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

async fn ready(app: &TestApp) -> u16 {
    app.get("/readyz").await.status().as_u16()
}

#[tokio::test]
async fn a_full_disk_never_acknowledges_what_it_did_not_store_and_recovers_by_itself() {
    let Some(disk) = SmallDisk::mount(24, "full disk") else {
        return;
    };
    let app = spawn_on(&disk).await;
    app.complete_setup().await;
    let Answer::Stored(receipt) = send_report(&app, 0).await else {
        panic!("the first report is stored");
    };
    assert_eq!(ready(&app).await, 200);

    let filler = disk.fill("filler");
    let mut sent_messages = Vec::new();
    let mut receipts = Vec::new();
    let mut refused = 0;
    for n in 1..=25 {
        let text = format!(
            "Message {n}: more of what I saw, written while the disk was full. {}",
            "x".repeat(1500)
        );
        match send_message(&app, &receipt, &text).await {
            Answer::Stored(_) => sent_messages.push(text),
            Answer::TryLater => refused += 1,
        }
        match send_report(&app, n).await {
            Answer::Stored(r) => receipts.push(r),
            Answer::TryLater => refused += 1,
        }
        // A disk hovering at full: a little room now and then, taken at once.
        if n % 4 == 0 {
            let size = std::fs::metadata(&filler).unwrap().len();
            std::fs::OpenOptions::new()
                .write(true)
                .open(&filler)
                .unwrap()
                .set_len(size.saturating_sub(40 * 1024))
                .unwrap();
        }
    }
    eprintln!(
        "full disk: {} messages and {} reports stored, {refused} refused",
        sent_messages.len(),
        receipts.len()
    );
    assert!(refused > 0, "a full disk refuses something");
    let last_room = disk.fill("last-room");
    assert_eq!(ready(&app).await, 503, "not ready while the disk is full");

    // Space comes back: ready again within seconds, no restart, and then
    // reports and messages are stored again.
    std::fs::remove_file(filler).unwrap();
    std::fs::remove_file(last_room).unwrap();
    let started = Instant::now();
    while ready(&app).await != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "ready again within seconds of space coming back"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let Answer::Stored(r) = send_report(&app, 1000).await else {
        panic!("a report is stored once there is room");
    };
    receipts.push(r);
    let again = "Written after the disk had room again".to_string();
    assert!(matches!(
        send_message(&app, &receipt, &again).await,
        Answer::Stored(_)
    ));
    sent_messages.push(again);

    // Every acknowledged message and report is there, and nothing else.
    let view = ward::domain::followup::open(&app.state.db, &app.state.instance_key, &receipt)
        .await
        .unwrap()
        .unwrap();
    let stored: Vec<&str> = view.messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(stored, sent_messages, "exactly the acknowledged messages");
    for r in &receipts {
        let row = ward::domain::reports::find_by_receipt(&app.state.db, &app.state.instance_key, r)
            .await
            .unwrap()
            .expect("an acknowledged report is stored");
        let opened = app.open_as_admin(&row).await;
        assert_eq!(opened.attachments.len(), 1, "with its file");
    }
    assert_eq!(app.report_count().await, receipts.len() as i64 + 1);
    // No file is left behind by what was refused.
    let files = crate::helpers::files_below(&app.settings.data_dir.join("files"));
    let stored_files: usize = receipts.len() + 1;
    assert_eq!(
        files
            .iter()
            .filter(|p| !p.to_string_lossy().ends_with(".tmp"))
            .count(),
        stored_files,
        "one file per stored report: {files:?}"
    );
}
