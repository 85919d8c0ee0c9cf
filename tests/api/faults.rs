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

use crate::helpers::{
    ADMIN_EMAIL, TestApp, fresh_database_url, sample_report, spawn_app_with, spawn_with,
    test_settings,
};

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

/// A set-up instance whose per-client limits are off (the tests below are
/// one client that plays many).
async fn set_up_without_rate_limits() -> TestApp {
    let app = spawn_app_with(|s| {
        s.rate_limits = Switch::Off;
    })
    .await;
    app.complete_setup().await;
    app
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
    answer_of(app.post_message(receipt, text).await, "a follow-up message").await
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

/// A report with a picture of about 1.9 MB: more than is kept in memory,
/// so it goes through the spool.
async fn send_large_report(app: &TestApp, n: usize) -> Answer {
    let r = app
        .post_report_with_file(
            &sample_report(&format!("Large report {n}")),
            "large.png",
            noise_png_sized(n, 800),
        )
        .await;
    answer_of(r, "a report with a large file").await
}

/// A small PNG of noise (each different), so that files take real room.
fn noise_png(seed: usize) -> Vec<u8> {
    noise_png_sized(seed, 64)
}

/// A square PNG of noise, `side` pixels wide (noise does not compress).
fn noise_png_sized(seed: usize, side: u32) -> Vec<u8> {
    let mut state = seed as u32 ^ 0x9e37_79b9;
    let pixels: Vec<u8> = (0..side * side * 3)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect();
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_raw(side, side, pixels)
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
        if n % 5 == 0 {
            match send_large_report(&app, n).await {
                Answer::Stored(r) => receipts.push(r),
                Answer::TryLater => refused += 1,
            }
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
    // A change on the command line (`ward user disable`) is refused whole:
    // neither the change nor its audit entry (SQLite only: a PostgreSQL
    // server keeps its data on a disk of its own).
    let sqlite = app.state.db.backend() == ward::config::Backend::Sqlite;
    let admin = ward::domain::values::Email::parse(ADMIN_EMAIL).unwrap();
    let key = &app.state.instance_key;
    let audit_head = || async {
        ward::storage::audit::head(&app.state.db)
            .await
            .unwrap()
            .map(|(seq, _)| seq)
    };
    let admin_disabled = || async {
        ward::storage::users::find_by_email(&app.state.db, ADMIN_EMAIL)
            .await
            .unwrap()
            .unwrap()
            .disabled
            != 0
    };
    let entries = audit_head().await;
    if sqlite {
        let disabled =
            ward::domain::members::set_disabled_from_command_line(&app.state.db, key, &admin, true)
                .await;
        assert!(
            matches!(&disabled, Err(ward::domain::DomainError::Storage(e)) if e.is_transient()),
            "refused as 'try again' while the disk is full: {disabled:?}"
        );
        assert!(!admin_disabled().await);
        assert_eq!(audit_head().await, entries, "no entry without its change");
    }

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
    let Answer::Stored(r) = send_large_report(&app, 1001).await else {
        panic!("a report with a large file is stored once there is room");
    };
    receipts.push(r);
    let again = "Written after the disk had room again".to_string();
    assert!(matches!(
        send_message(&app, &receipt, &again).await,
        Answer::Stored(_)
    ));
    sent_messages.push(again);

    // Every acknowledged message and report is there, and nothing else.
    let view = ward::domain::followup::open(app.state.ctx(), &receipt)
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
    assert!(crate::helpers::files_below(&app.settings.spool_dir()).is_empty());
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
    // With room, the same command line change is made, with its entry.
    let entries = audit_head().await;
    ward::domain::members::set_disabled_from_command_line(&app.state.db, key, &admin, true)
        .await
        .unwrap();
    assert!(admin_disabled().await);
    assert_eq!(audit_head().await, Some(entries.unwrap_or(0) + 1));
}

/// Opens `n` connections to the server; each sends `first_bytes`, then nothing.
async fn open_connections(
    app: &TestApp,
    n: usize,
    first_bytes: &[u8],
) -> Vec<tokio::net::TcpStream> {
    use tokio::io::AsyncWriteExt;
    let address = app.address.trim_start_matches("http://").to_string();
    let mut streams = Vec::with_capacity(n);
    for _ in 0..n {
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        if !first_bytes.is_empty() {
            stream.write_all(first_bytes).await.unwrap();
        }
        streams.push(stream);
    }
    streams
}

/// Whether the server closed the connection (end of stream, or reset).
async fn closed_by_server(stream: &mut tokio::net::TcpStream) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buffer = [0u8; 1024];
    loop {
        match tokio::time::timeout(Duration::from_millis(100), stream.read(&mut buffer)).await {
            Err(_) => return false, // still open, nothing to read
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue, // an answer (408/400): read on to the end
        }
    }
}

#[tokio::test]
async fn idle_and_half_sent_connections_are_closed_and_never_stop_the_service() {
    let app = set_up_without_rate_limits().await;

    // More connections than the 1,024 descriptors a service gets by default:
    // idle ones, and ones that sent half a request's headers.
    let mut idle = open_connections(&app, 1000, b"").await;
    let mut half_sent =
        open_connections(&app, 200, b"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\n").await;

    let started = Instant::now();
    assert_eq!(app.get("/healthz").await.status(), 200);
    let r = app
        .post_report(&sample_report("Sent while 1,200 connections hang"))
        .await;
    assert_eq!(r.status(), 201);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "served at once beside 1,200 hanging connections: {:?}",
        started.elapsed()
    );

    // After the header timeout every one of them has been closed.
    tokio::time::sleep(ward::web::connections::HEADER_TIMEOUT + Duration::from_secs(2)).await;
    for stream in idle
        .iter_mut()
        .take(50)
        .chain(half_sent.iter_mut().take(50))
    {
        assert!(
            closed_by_server(stream).await,
            "a hanging connection is closed"
        );
    }
}

#[tokio::test]
async fn stalled_uploads_are_cut_off_and_reports_go_through_again() {
    use tokio::io::AsyncWriteExt;
    let app = set_up_without_rate_limits().await;

    // Two hundred stalled uploads: each announces a large file, sends its
    // beginning, then nothing.
    let head = b"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: 50000000\r\n\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n";
    let mut stalled = open_connections(&app, 200, head).await;
    for stream in &mut stalled {
        stream.write_all(&[0u8; 1024]).await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    // They hold the bytes they sent, never a place: a report goes through at once.
    let started = Instant::now();
    let r = app
        .post_report(&sample_report("Sent beside stalled uploads"))
        .await;
    assert_eq!(r.status(), 201);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "not queued behind stalled uploads: {:?}",
        started.elapsed()
    );
    // Cut off once they have been idle too long.
    tokio::time::sleep(ward::web::body_pace::IDLE_TIMEOUT + Duration::from_secs(2)).await;
    for stream in stalled.iter_mut().take(50) {
        assert!(closed_by_server(stream).await, "a stalled upload is closed");
    }
    assert_eq!(
        app.state.intake.budget_free_kib(),
        ward::web::intake_gate::IntakeGate::new().budget_free_kib(),
        "every byte they held is given back"
    );
}

#[tokio::test]
async fn bodies_beyond_the_memory_budget_wait_then_get_a_busy_answer() {
    use tokio::io::AsyncWriteExt;
    let app = set_up_without_rate_limits().await;
    let budget_kib = app.state.intake.budget_free_kib();
    assert_eq!(budget_kib, ward::web::intake_gate::BODY_BUDGET / 1024);

    // Uploads of long text fields (held in memory, unlike large files) that
    // keep sending a little, so they are never idle, and together hold all
    // of the budget but 3 MiB.
    let head = b"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: 500000000\r\n\r\n--B\r\nContent-Disposition: form-data; name=\"report\"\r\n\r\n";
    let to_hold = (budget_kib - 3 * 1024) * 1024;
    let share = 4 * 1024 * 1024;
    let holders = to_hold.div_ceil(share);
    let mut streams = open_connections(&app, holders, head).await;
    let mut left = to_hold;
    for stream in &mut streams {
        // The first 64 KiB of a body come from a pool of their own.
        let mine = left.min(share);
        let head = ward::web::intake_gate::HEAD_BYTES;
        stream.write_all(&vec![b'a'; mine + head]).await.unwrap();
        left -= mine;
    }
    // One task per stream: a write that stalls (the server reading another
    // body first) must not hold back the others until they look idle and
    // are cut off, which would free the budget this test needs taken.
    let keep_sending: Vec<_> = streams
        .into_iter()
        .map(|mut stream| {
            tokio::spawn(async move {
                for _ in 0..25 {
                    let _ = stream.write_all(&[b'a'; 1000]).await;
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                stream
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        app.state.intake.budget_free_kib() <= 3 * 1024 + 64 * holders,
        "the budget is taken: {} KiB free",
        app.state.intake.budget_free_kib()
    );

    // A file passes through the little room left: beyond its first MiB,
    // its bytes leave memory for the spool as they arrive.
    let r = app
        .post_report_with_file(
            &sample_report("A report with a 4 MB picture"),
            "p.png",
            noise_png_sized(1, 1200),
        )
        .await;
    assert_eq!(r.status(), 201, "a file needs no room of its size");
    assert_eq!(app.open_created(r).await.attachments.len(), 1);

    // A 4 MB JSON body now waits for room, then is told to come back; a
    // normal report meanwhile does not queue behind it.
    let started = Instant::now();
    let mut long = sample_report("x");
    long["padding"] = serde_json::Value::String("p".repeat(4 * 1024 * 1024));
    let big = app.post_raw("/api/v1/reports", "application/json", long.to_string());
    let normal = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let sent = Instant::now();
        let r = app.post_report(&sample_report("A normal report")).await;
        (r.status(), sent.elapsed())
    };
    let (r, (normal_status, normal_took)) = tokio::join!(big, normal);
    assert_eq!(normal_status, 201);
    assert!(
        normal_took < Duration::from_secs(1),
        "a normal report is not queued behind large bodies: {normal_took:?}"
    );
    assert_eq!(r.status(), 503);
    assert!(r.headers().contains_key("retry-after"));
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "error-busy");
    assert!(started.elapsed() >= ward::web::intake_gate::BUDGET_WAIT);

    // Once the holders are gone, the budget is whole again.
    for holder in keep_sending {
        drop(holder.await.unwrap());
    }
    app.budget_comes_back().await;
}

#[tokio::test]
async fn files_larger_than_the_memory_budget_are_stored_whole_through_the_spool() {
    let app = set_up_without_rate_limits().await;
    let budget = ward::web::intake_gate::BODY_BUDGET;
    // Three files of 15 MB: more than the budget together.
    let files: Vec<Vec<u8>> = (0..3).map(|i| noise_png_sized(10 + i, 2240)).collect();
    let total: usize = files.iter().map(Vec::len).sum();
    assert!(total > budget, "{total} bytes against a budget of {budget}");
    let mut form = reqwest::multipart::Form::new()
        .text("report", sample_report("Three large pictures").to_string());
    for (i, bytes) in files.iter().enumerate() {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes.clone()).file_name(format!("p{i}.png")),
        );
    }
    let r = app.post_report_form(form).await;
    let opened = app.open_created(r).await;
    assert_eq!(opened.attachments.len(), 3);
    for ((metadata, stored), sent) in opened.attachments.iter().zip(&files) {
        // Stored whole: the picture decodes to what was sent.
        assert_eq!(metadata.content_type, "image/png");
        let (a, b) = (
            image::load_from_memory(stored).unwrap().to_rgb8(),
            image::load_from_memory(sent).unwrap().to_rgb8(),
        );
        assert_eq!(a, b);
    }
    // The spool keeps nothing with a name, and the budget is whole again.
    let spool = app.settings.spool_dir();
    assert_eq!(std::fs::read_dir(&spool).unwrap().count(), 0);
    app.budget_comes_back().await;
}

#[tokio::test]
async fn a_report_dropped_while_its_files_are_stored_leaves_no_file_behind() {
    use ward::domain::reports;
    let app = crate::helpers::spawn_app().await;
    app.complete_setup().await;
    // Three large pictures: storing them takes long enough to drop the
    // request between the first and the last (a client gone, a deadline).
    let attachments = (0..3)
        .map(|i| {
            reports::NewAttachment::in_memory(format!("p{i}.png"), noise_png_sized(20 + i, 2240))
        })
        .collect();
    let report = crate::helpers::other_report("LU", "en", "three pictures", attachments);
    let state = app.state.clone();
    let submitting =
        tokio::spawn(async move { reports::submit(state.ctx(), report).await.is_ok() });
    let files_dir = app.settings.files_dir();
    let stored = || {
        crate::helpers::files_below(&files_dir)
            .into_iter()
            .filter(|p| !p.file_name().unwrap().to_string_lossy().ends_with(".tmp"))
            .count()
    };
    let started = Instant::now();
    while stored() == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "a file is stored"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    submitting.abort();
    assert!(
        submitting.await.unwrap_err().is_cancelled(),
        "dropped before it finished"
    );
    // What it wrote goes, including a write that was under way.
    let started = Instant::now();
    while !crate::helpers::files_below(&files_dir).is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "files left behind: {:?}",
            crate::helpers::files_below(&files_dir)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(app.report_count().await, 0);
}

#[tokio::test]
async fn files_left_by_writes_that_never_completed_are_removed_once_old() {
    let app = crate::helpers::spawn_app().await;
    app.complete_setup().await;
    let r = app
        .post_report_with_file(&sample_report("With a picture"), "p.png", noise_png(7))
        .await;
    let stored = app.open_created(r).await;
    assert_eq!(stored.attachments.len(), 1);
    let stored_files = crate::helpers::files_below(&app.settings.files_dir());
    assert_eq!(stored_files.len(), 1);
    let folder = stored_files[0].parent().unwrap().to_path_buf();

    // What a crash between writing a file and committing its row leaves,
    // and what a write cut short leaves; old ones and fresh ones.
    let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(7200);
    let files_dir = app.settings.files_dir();
    let leave = |key: String, old: bool| {
        let path = files_dir.join(key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"sealed bytes nobody names").unwrap();
        if old {
            std::fs::File::options()
                .write(true)
                .open(&path)
                .unwrap()
                .set_modified(two_hours_ago)
                .unwrap();
        }
        path
    };
    let attachments = folder.strip_prefix(&files_dir).unwrap().to_str().unwrap();
    let old_orphan = leave(format!("{attachments}/{}", uuid::Uuid::new_v4()), true);
    let fresh_orphan = leave(format!("{attachments}/{}", uuid::Uuid::new_v4()), false);
    let old_tmp = leave(format!("{attachments}/.x.0123.tmp"), true);
    let fresh_tmp = leave(format!("{attachments}/.y.4567.tmp"), false);
    // A preview of a file that no longer exists, and a portal copy of a
    // referral never recorded; and a preview of the stored file, which stays.
    let organisation = &stored.row.organisation_id;
    let attachment_id = stored_files[0].file_name().unwrap().to_str().unwrap();
    let orphan_preview = leave(
        format!("previews/{organisation}/{}", uuid::Uuid::new_v4()),
        true,
    );
    let orphan_copy = leave(
        format!(
            "referral-files/{organisation}/{}/{attachment_id}",
            uuid::Uuid::new_v4()
        ),
        true,
    );
    let kept_preview = leave(format!("previews/{organisation}/{attachment_id}"), true);
    // The stored report's file is old too: still named by its row, it stays.
    std::fs::File::options()
        .write(true)
        .open(&stored_files[0])
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();

    let removed = ward::domain::leftovers::remove(
        &app.state.db,
        &app.state.files,
        ward::domain::leftovers::SAFE_AGE,
    )
    .await
    .unwrap();
    assert_eq!(
        removed,
        ward::domain::leftovers::Removed {
            orphans: 3,
            temporary: 1
        }
    );
    assert!(!old_orphan.exists() && !old_tmp.exists());
    assert!(!orphan_preview.exists() && !orphan_copy.exists());
    assert!(kept_preview.exists(), "the preview of a stored file stays");
    assert!(
        fresh_orphan.exists() && fresh_tmp.exists(),
        "young files are left alone"
    );
    assert!(stored_files[0].exists());
    let row =
        ward::storage::reports::get(&app.state.db, &stored.row.organisation_id, &stored.row.id)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(app.open_as_admin(&row).await.attachments.len(), 1);
}

/// A PostgreSQL cluster of the test's own (`initdb` in a temporary folder,
/// on a port of its own), which the test stops and starts. Run as the
/// `postgres` user when the test runs as root, as PostgreSQL requires.
struct OwnCluster {
    dir: TempDir,
    bin: PathBuf,
    port: u16,
}

impl OwnCluster {
    fn start_new(test: &str) -> Option<Self> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .flatten()
            .map(|version| version.path().join("bin"))
            .find(|bin| bin.join("initdb").is_file());
        let Some(bin) = bin else {
            assert!(
                std::env::var_os("WARD_REQUIRE_FAULT_TESTS").is_none(),
                "{test}: no PostgreSQL server programs, and WARD_REQUIRE_FAULT_TESTS is set"
            );
            let _ = writeln!(std::io::stderr(), "SKIPPED {test}: no initdb");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        if rustix::process::geteuid().is_root() {
            let owner = Command::new("id")
                .args(["-u", "postgres"])
                .output()
                .unwrap();
            let uid: u32 = String::from_utf8_lossy(&owner.stdout)
                .trim()
                .parse()
                .unwrap();
            std::os::unix::fs::chown(dir.path(), Some(uid), None).unwrap();
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cluster = Self { dir, bin, port };
        let data = cluster.dir.path().join("data");
        cluster.run(&[
            "initdb",
            "-D",
            data.to_str().unwrap(),
            "-A",
            "trust",
            "-U",
            "postgres",
        ]);
        cluster.start();
        Some(cluster)
    }

    fn run(&self, args: &[&str]) {
        let program = self.bin.join(args[0]);
        let mut command = if rustix::process::geteuid().is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        let output = command.args(&args[1..]).output().unwrap();
        assert!(output.status.success(), "{args:?}: {output:?}");
    }

    fn pg_ctl(&self, args: &[&str]) {
        let data = self.dir.path().join("data");
        let mut all = vec!["pg_ctl", "-D", data.to_str().unwrap(), "-w"];
        all.extend_from_slice(args);
        self.run(&all);
    }

    fn start(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("log");
        self.pg_ctl(&["-o", &options, "-l", log.to_str().unwrap(), "start"]);
    }

    /// As a crash would: no checkpoint, recovery at the next start.
    fn stop_immediately(&self) {
        self.pg_ctl(&["-m", "immediate", "stop"]);
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let _ = Command::new(self.bin.join("pg_ctl"))
            .args(["-D", data.to_str().unwrap(), "-m", "immediate", "stop"])
            .output();
        if rustix::process::geteuid().is_root() {
            let _ = Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(self.bin.join("pg_ctl"))
                .args(["-D", data.to_str().unwrap(), "-m", "immediate", "stop"])
                .output();
        }
    }
}

#[tokio::test]
async fn a_postgresql_crash_mid_load_gets_quick_503s_and_ward_recovers_by_itself() {
    let Some(cluster) = OwnCluster::start_new("PostgreSQL crash") else {
        return;
    };
    let data_dir = tempfile::tempdir().unwrap();
    let mut settings = test_settings(data_dir.path(), Some(cluster.url()));
    settings.rate_limits = Switch::Off;
    let app = spawn_with(settings, data_dir).await;
    app.complete_setup().await;

    // Clients send reports all along; each answer is counted.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut clients = Vec::new();
    for client in 0..4 {
        let (http, url, stop) = (app.client.clone(), app.url("/api/v1/reports"), stop.clone());
        clients.push(tokio::spawn(async move {
            let (mut stored, mut refused) = (Vec::new(), 0);
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                n += 1;
                let report =
                    sample_report(&format!("Report {client}-{n} while the database may crash"));
                let r = http.post(&url).json(&report).send().await.unwrap();
                match answer_of(r, "a report during a crash").await {
                    Answer::Stored(receipt) => stored.push(receipt),
                    Answer::TryLater => refused += 1,
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            (stored, refused)
        }));
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    cluster.stop_immediately();

    // While it is down: a quick 503 that says when to come back, and a
    // quick "not ready".
    let started = Instant::now();
    let r = app
        .post_report(&sample_report("Sent while the database is down"))
        .await;
    assert_eq!(
        answer_of(r, "a report while the database is down").await,
        Answer::TryLater
    );
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "503 within 2 s: {:?}",
        started.elapsed()
    );
    let started = Instant::now();
    assert_eq!(ready(&app).await, 503);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "/readyz within 1 s: {:?}",
        started.elapsed()
    );
    tokio::time::sleep(Duration::from_secs(1)).await;

    // It comes back (after crash recovery): Ward is ready again by itself.
    cluster.start();
    let started = Instant::now();
    while ready(&app).await != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "ready again within seconds"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (mut stored, mut refused) = (Vec::new(), 0);
    for client in clients {
        let (s, r) = client.await.unwrap();
        stored.extend(s);
        refused += r;
    }
    assert!(refused > 0, "the crash was felt");
    // Every acknowledged report survived the crash.
    for receipt in &stored {
        assert!(
            ward::domain::reports::find_by_receipt(&app.state.db, &app.state.instance_key, receipt)
                .await
                .unwrap()
                .is_some(),
            "an acknowledged report is stored"
        );
    }
    eprintln!(
        "PostgreSQL crash: {} reports acknowledged and found, {refused} answered 503",
        stored.len()
    );
    assert!(app.report_count().await >= stored.len() as i64);
}

#[tokio::test]
async fn a_request_that_outlasts_its_deadline_is_answered_408_and_dropped() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_with(|s| {
        s.request_deadline_seconds = 2;
    })
    .await;
    app.complete_setup().await;
    // An upload that sends a little every second: its pace is fine, but it
    // would never end.
    let address = app.address.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    stream
        .write_all(b"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 512];
    loop {
        let _ = stream.write_all(&[b' '; 4096]).await;
        match tokio::time::timeout(Duration::from_secs(1), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => answer.extend_from_slice(&buffer[..n]),
            Err(_) => {}
        }
        if !answer.is_empty() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(8),
            "cut off at its deadline"
        );
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() >= Duration::from_secs(2));
    assert_eq!(app.get("/healthz").await.status(), 200);
}
