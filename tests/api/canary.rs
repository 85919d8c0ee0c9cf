//! Canary: content with unique markers goes in through every path that takes
//! it or makes a file of it (the public form with a photo, a PDF and a text
//! file; the API; follow-up messages with a file; the assessment, notes and
//! messages of the case view; image previews; referrals by hand, through the
//! portal and by e-mail, with their downloads; the CyberTipline export; a
//! backup). Then everything the instance wrote is scanned: no marker may be
//! there in clear.
//!
//! The walk runs in a child process (this test binary again) whose temporary
//! folder (`TMPDIR`), home and working directory are folders this test
//! controls. With `strace` installed, every file the child process and its
//! children open for writing is traced: they may write into the data
//! directory and the folder the backup was asked for, nowhere else. A file
//! written and deleted, or made without a name (`O_TMPFILE`), is seen too.
//! `.ci/run` installs `strace` and sets `WARD_REQUIRE_WRITE_TRACE=1`.

use std::path::{Path, PathBuf};
use std::process::Command;

use reqwest::multipart::{Form, Part};
use ward::domain::reports;
use ward::storage::tables::{self, TABLES, Value};

use crate::backoffice::{Browser, Login, attachment_ids, signed_in};
use crate::helpers::{TestApp, files_below, fresh_database_url, hidden_field, postgres_url};
use crate::network::portal::{PASSWORD, portal_account, portal_sign_in};
use crate::network::{add_recipient, referrals_of};
use crate::report_form::{Walk, receipt_on};
use crate::smtp::smtp_sink;

/// Stored in clear on purpose (the organisation's name, set by `complete_setup`).
const CONTROL: &str = "Hotline Luxembourg";

/// Where the child finds the folders the parent made.
const ROOT: &str = "WARD_CANARY_ROOT";

const CHILD: &str = "canary::every_path_that_takes_content_with_a_marker_in_every_field";

fn contains(haystack: &[u8], needle: &str) -> bool {
    memchr::memmem::find(haystack, needle.as_bytes()).is_some()
}

/// Fails if any marker is in `data` (`what` names where it was read);
/// whether the control text is there, which shows the scan saw the data.
fn scan(markers: &[&str], what: &str, data: &[u8]) -> bool {
    for m in markers {
        assert!(!contains(data, m), "{m} found in {what}");
    }
    contains(data, CONTROL)
}

/// The folders of one run: the child's temporary folder, home and working
/// directory (which must stay untouched), its data directory and the folder
/// its backup goes to (the only places it may write).
struct Folders {
    root: PathBuf,
}

impl Folders {
    fn tmp(&self) -> PathBuf {
        self.root.join("tmp")
    }
    fn home(&self) -> PathBuf {
        self.root.join("home")
    }
    fn cwd(&self) -> PathBuf {
        self.root.join("cwd")
    }
    fn data(&self) -> PathBuf {
        self.root.join("data")
    }
    fn backups(&self) -> PathBuf {
        self.root.join("backups")
    }
    fn trace(&self) -> PathBuf {
        self.root.join("trace")
    }
    fn untouched(&self) -> [PathBuf; 3] {
        [self.tmp(), self.home(), self.cwd()]
    }
}

fn strace_installed() -> bool {
    Command::new("strace")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn no_sensitive_content_reaches_the_disk_in_clear() {
    let root = tempfile::tempdir().unwrap();
    let folders = Folders {
        root: std::fs::canonicalize(root.path()).unwrap(),
    };
    for dir in
        folders
            .untouched()
            .into_iter()
            .chain([folders.data(), folders.backups(), folders.trace()])
    {
        std::fs::create_dir(&dir).unwrap();
    }
    let modified = |dir: &Path| std::fs::metadata(dir).unwrap().modified().unwrap();
    let before = folders.untouched().map(|d| modified(&d));

    let traced = strace_installed();
    let mut command = if traced {
        let mut strace = Command::new("strace");
        // -ff: one file per process, so that no call is split across lines;
        // -y: the path each new descriptor stands for.
        strace
            .args([
                "-f",
                "-ff",
                "-qq",
                "-y",
                "--seccomp-bpf",
                "-e",
                "signal=none",
            ])
            .args(["-e", "trace=open,openat,openat2,creat"])
            .arg("-o")
            .arg(folders.trace().join("process"))
            .arg(std::env::current_exe().unwrap());
        strace
    } else {
        assert!(
            std::env::var("WARD_REQUIRE_WRITE_TRACE").as_deref() != Ok("1"),
            "WARD_REQUIRE_WRITE_TRACE=1 but strace is not installed"
        );
        eprintln!(
            "canary: SKIPPED tracing where the process writes (strace is not installed); \
             only the folders it was given are checked"
        );
        Command::new(std::env::current_exe().unwrap())
    };
    command
        .args([
            "--exact",
            CHILD,
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ROOT, &folders.root)
        .env("TMPDIR", folders.tmp())
        .env("HOME", folders.home())
        .current_dir(folders.cwd());
    let out = command.output().expect("the test binary runs again");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("test result: ok. 1 passed"),
        "the walk failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Nothing was made in the temporary folder, the home or the working
    // directory, even for a moment (a file made and removed changes the folder's time).
    for (dir, before) in folders.untouched().iter().zip(before) {
        assert_eq!(
            files_below(dir),
            Vec::<PathBuf>::new(),
            "files left in {}",
            dir.display()
        );
        assert_eq!(
            modified(dir),
            before,
            "something was written in {} and removed",
            dir.display()
        );
    }

    if traced {
        let allowed = [folders.data(), folders.backups()];
        let writes = traced_writes(&folders.trace());
        assert!(
            writes.iter().any(|p| p.starts_with(folders.data())),
            "the trace saw no write at all, not even the database's: {writes:?}"
        );
        let outside: Vec<&PathBuf> = writes
            .iter()
            .filter(|p| !allowed.iter().any(|a| p.starts_with(a)) && !is_device(p))
            .collect();
        assert!(
            outside.is_empty(),
            "written outside the data directory: {outside:?}"
        );
    }
}

/// Devices a process may open for writing without anything reaching a disk.
fn is_device(path: &Path) -> bool {
    ["/dev/null", "/dev/tty"]
        .iter()
        .any(|d| path == Path::new(d))
}

/// Every path a traced process opened successfully for writing (or made
/// without a name), from `strace -ff -y` output such as
/// `openat(AT_FDCWD</w>, "a", O_WRONLY|O_CREAT|O_CLOEXEC, 0666) = 4</w/a>`.
fn traced_writes(dir: &Path) -> Vec<PathBuf> {
    const WRITING: [&str; 6] = [
        "O_WRONLY",
        "O_RDWR",
        "O_CREAT",
        "O_TRUNC",
        "O_APPEND",
        "O_TMPFILE",
    ];
    let mut out = Vec::new();
    for file in files_below(dir) {
        for line in std::fs::read_to_string(&file).unwrap().lines() {
            let creat = line.starts_with("creat(");
            let Some((call, result)) = line.rsplit_once(") = ") else {
                continue;
            };
            if !creat && !WRITING.iter().any(|flag| call.contains(flag)) {
                continue;
            }
            // "4</w/a>" or "4</tmp/#1234>(deleted)"; failures are "-1 ENOENT (...)".
            let Some((fd, path)) = result.split_once('<') else {
                continue;
            };
            if fd.parse::<i32>().is_err() {
                continue;
            }
            let path = path.rsplit_once('>').map_or(path, |(p, _)| p);
            out.push(PathBuf::from(path));
        }
    }
    out
}

/// The walk itself; run by the test above in a child process.
#[tokio::test]
#[ignore = "run by no_sensitive_content_reaches_the_disk_in_clear in a child process"]
async fn every_path_that_takes_content_with_a_marker_in_every_field() {
    let folders = Folders {
        root: std::env::var_os(ROOT)
            .expect("run through no_sensitive_content_reaches_the_disk_in_clear")
            .into(),
    };
    let (smtp_port, mail) = smtp_sink().await;
    let data_dir = tempfile::tempdir_in(folders.data()).unwrap();
    let mut settings = crate::helpers::test_settings(data_dir.path(), fresh_database_url().await);
    settings.smtp_url = Some(format!("smtp://127.0.0.1:{smtp_port}"));
    settings.notify_delay_seconds = 0;
    let app = crate::helpers::spawn_with(settings, data_dir).await;
    let setup = app.complete_setup().await;
    let mut markers = Markers::new();
    for secret in [
        &setup.totp_secret,
        &setup.recovery_key,
        crate::helpers::ADMIN_PASSWORD,
        PASSWORD,
    ]
    .into_iter()
    .chain(setup.recovery_codes.iter().map(String::as_str))
    {
        markers.add(secret);
    }
    let mut marker = |what: &str| markers.new_one(what);

    // 1. The public form, every free-text field, with a photo, a PDF and a text file.
    let (form_receipt, description) = {
        let fields = [
            "city",
            "place",
            "name",
            "looks",
            "speaks",
            "airline",
            "flight",
            "dates",
            "operator",
            "description",
            "others",
            "else",
        ]
        .map(&mut marker);
        let email = format!("{}@example.org", marker("email"));
        let phone = marker("phone");
        let photo_name = format!("{}.jpg", marker("photoname"));
        let pdf_name = format!("{}.pdf", marker("pdfname"));
        let text_name = format!("{}.txt", marker("textname"));
        let photo = crate::hostile_files::jpeg(
            false,
            &[(1, crate::hostile_files::exif_segment(&marker("exif")))],
            7,
        );
        let pdf = crate::helpers::pdf_with_text(&marker("pdftext"));
        let text = marker("textfile").into_bytes();

        let mut walk = Walk::start(&app).await;
        walk.next(&[("category", "travel-tourism")]).await;
        walk.next(&[("country", "TH")]).await;
        let pages: [&[(&str, &str)]; 7] = [
            &[
                ("q.date", "2026-08-14"),
                ("q.city", fields[0].as_str()),
                ("q.place_type", "hotel"),
                ("q.place_name", fields[1].as_str()),
            ],
            &[
                ("q.offender_name", fields[2].as_str()),
                ("q.offender_nationality", "DE"),
                ("q.offender_age", "41-60"),
                ("q.offender_description", fields[3].as_str()),
                ("q.offender_language", fields[4].as_str()),
            ],
            &[
                ("q.travelling", "yes"),
                ("q.airline", fields[5].as_str()),
                ("q.flight", fields[6].as_str()),
                ("q.travel_dates", fields[7].as_str()),
                ("q.tour_operator", fields[8].as_str()),
            ],
            &[
                ("q.children_count", "2"),
                ("q.children_ages", "6-12"),
                ("q.children_gender", "girl"),
            ],
            &[("q.description", fields[9].as_str())],
            &[
                ("q.others_informed", "yes"),
                ("q.others_details", fields[10].as_str()),
                ("q.anything_else", fields[11].as_str()),
            ],
            &[
                ("contact_choice", "contact"),
                ("contact_email", email.as_str()),
                ("contact_phone", phone.as_str()),
                ("may_contact", "yes"),
            ],
        ];
        for page in pages {
            walk.next(page).await;
        }
        assert_eq!(walk.step(), "check");
        walk.post(
            "submit",
            &[],
            vec![(&photo_name, photo), (&pdf_name, pdf), (&text_name, text)],
        )
        .await;
        assert_eq!(walk.status, 200, "{}", walk.page);
        (receipt_on(&walk.page), fields[9].clone())
    };

    // 2. The API: a report with addresses and contact details, and one with a file.
    let api_receipt = {
        let r = app
            .post_report(&serde_json::json!({
                "category": "abuse-material", "country": "LU", "language": "fr",
                "answers": {
                    "urls": [format!("https://example.org/{}", marker("url"))],
                    "description": marker("apidescription"),
                },
                "contact": { "email": format!("{}@example.org", marker("apiemail")), "may_contact": true }
            }))
            .await;
        assert_eq!(r.status(), 201);
        receipt_of(r).await
    };
    let r = app
        .post_report_with_file(
            &crate::helpers::sample_report(&marker("apiwithfile")),
            &format!("{}.txt", marker("apifilename")),
            marker("apifilebody").into_bytes(),
        )
        .await;
    assert_eq!(r.status(), 201);
    let file_receipt = receipt_of(r).await;

    // 3. Follow-up: the reporter's message with a file on the page, and one through the API.
    let form = Form::new()
        .text("receipt", form_receipt.clone())
        .text("action", "view");
    let (status, page) = app.post_follow_up(form).await;
    assert_eq!(status, 200);
    let form = Form::new()
        .text("pass", hidden_field(&page, "pass"))
        .text("action", "send")
        .text("message", marker("followup"))
        .part(
            "file",
            Part::bytes(marker("followupfile").into_bytes())
                .file_name(format!("{}.txt", marker("followupname"))),
        );
    let (status, page) = app.post_follow_up(form).await;
    assert_eq!(status, 200);
    assert!(page.contains("Your information was sent"));
    assert_eq!(
        app.post_message(&api_receipt, &marker("apifollowup"))
            .await
            .status(),
        201
    );

    // 4. The case view: opened, previews of the photo made and revealed, the
    // PDF downloaded, assessed, a note, a question to the reporter.
    let admin = signed_in(&app, &Login::admin(&setup)).await;
    let form_report = report_id(&app, &form_receipt).await;
    let case = format!("/admin/reports/{form_report}");
    let (status, page) = admin.page(&case).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&description),
        "the case view shows the answers"
    );
    let files = attachment_ids(&app, &form_report).await;
    for file in &files {
        let preview = admin
            .get(&format!("{case}/attachments/{file}/preview"))
            .await;
        assert!(
            [200, 404].contains(&preview.status().as_u16()),
            "a preview or none for files that are not images"
        );
        let r = admin
            .post(&format!("{case}/attachments/{file}/download"), &[])
            .await;
        assert_eq!(r.status(), 200);
    }
    let r = admin
        .post(&format!("{case}/attachments/{}/reveal", files[0]), &[])
        .await;
    assert!(r.status().is_redirection(), "{}", r.status());
    expect_redirect(
        &admin,
        &format!("{case}/assessment"),
        &[
            ("category", "travel-tourism"),
            ("country", "TH"),
            ("legal_assessment", "illegal"),
            ("priority", "high"),
            ("urgent", "yes"),
            ("urgent_reason", marker("urgent").as_str()),
        ],
    )
    .await;
    expect_redirect(
        &admin,
        &format!("{case}/notes"),
        &[("note", marker("note").as_str())],
    )
    .await;
    expect_redirect(
        &admin,
        &format!("{case}/messages"),
        &[("message", marker("question").as_str()), ("wait", "yes")],
    )
    .await;

    // 5. Referrals: by hand (downloaded), through the portal (downloaded
    // there), by e-mail (encrypted); an outcome noted on each side.
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
    let (police_key, _) = sequoia_openpgp::cert::CertBuilder::general_purpose(
        None,
        Some("Police <referrals@police.example>"),
    )
    .generate()
    .unwrap();
    let by_email = add_recipient(
        &admin,
        &[
            ("name", "Police by e-mail"),
            ("country", "TH"),
            ("kind", "police"),
            ("email", "referrals@police.example"),
            ("openpgp_key", &armoured(&police_key)),
        ],
    )
    .await;
    let secret = portal_account(&app, &admin, &portal, "officer@partner.example").await;
    let summary = marker("summary");
    let mut fields = vec![
        ("recipients", by_hand.as_str()),
        ("recipients", portal.as_str()),
        ("recipients", by_email.as_str()),
        ("include_contact", "yes"),
        ("summary", summary.as_str()),
    ];
    for answer in [
        "city",
        "place_name",
        "offender_name",
        "offender_description",
        "offender_language",
        "airline",
        "flight",
        "travel_dates",
        "tour_operator",
        "description",
        "others_details",
        "anything_else",
    ] {
        fields.push(("answers", answer));
    }
    for file in &files {
        fields.push(("attachments", file.as_str()));
    }
    expect_redirect(&admin, &format!("{case}/referrals"), &fields).await;
    let referrals = referrals_of(&app, &form_report).await;
    let of = |channel: &str| referrals.iter().find(|r| r.2 == channel).unwrap().0.clone();
    let manual = format!("{case}/referrals/{}", of("manual"));
    let r = admin.post(&format!("{manual}/download"), &[]).await;
    assert_eq!(r.status(), 200);
    let package = r.bytes().await.unwrap();
    assert!(
        crate::network::unzip(&package)
            .iter()
            .any(|(_, bytes)| contains(bytes, &summary)),
        "the package the analyst downloads holds the summary (so the walk reached it)"
    );
    expect_redirect(&admin, &format!("{manual}/sent"), &[]).await;
    expect_redirect(
        &admin,
        &format!("{manual}/outcome"),
        &[("outcome", "other"), ("note", marker("outcome").as_str())],
    )
    .await;
    let officer = portal_sign_in(&app, "officer@partner.example", &secret).await;
    let sent = of("portal");
    expect_redirect(
        &officer,
        &format!("/portal/referrals/{sent}/outcome"),
        &[
            ("outcome", "other"),
            ("note", marker("portalnote").as_str()),
        ],
    )
    .await;
    let r = officer
        .post(&format!("/portal/referrals/{sent}/download"), &[])
        .await;
    assert_eq!(r.status(), 200, "the portal reads the files it was sent");
    assert_eq!(referrals.iter().find(|r| r.2 == "email").unwrap().3, "sent");

    // 6. The CyberTipline export of the API's abuse-material report.
    let api_report = report_id(&app, &api_receipt).await;
    let r = admin
        .post(&format!("/admin/reports/{api_report}/cybertipline"), &[])
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("CANARYAPIDESCRIPTION"));

    // 7. A backup, into the folder the backup was asked for.
    let backup = folders.backups().join("ward-backup.tar.gz");
    ward::backup::create(&app.settings, &backup).await.unwrap();

    // The scans. The organisation's name is stored in clear: finding it
    // proves that each scan sees the data.
    for receipt in [&form_receipt, &api_receipt, &file_receipt] {
        markers.add(receipt);
    }
    let markers: Vec<&str> = markers.all.iter().map(String::as_str).collect();
    let scan_for_markers = |what: &str, data: &[u8]| scan(&markers, what, data);

    // Every file in the data directory: SQLite database, WAL, file store, secrets.
    let mut control_seen = false;
    for path in files_below(app.data_dir.path()) {
        control_seen |=
            scan_for_markers(&path.display().to_string(), &std::fs::read(&path).unwrap());
    }
    assert!(
        control_seen || postgres_url().is_some(),
        "the scan did not see the SQLite database"
    );

    // Every value of every table, as the database returns it (both backends).
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
                control_seen |= scan_for_markers(&format!("table {}", table.name), &bytes);
            }
        }
    }
    drop(tx);
    assert!(control_seen, "the row scan did not see the organisation");

    // Every entry of the backup, uncompressed.
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(
        std::fs::File::open(&backup).unwrap(),
    ));
    let mut control_seen = false;
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().display().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        control_seen |= scan_for_markers(&format!("backup entry {name}"), &bytes);
    }
    assert!(control_seen, "the backup scan did not see the organisation");

    // Every e-mail that left: the referral (encrypted) and the notifications.
    let sent_mail = mail.lock().unwrap().clone();
    assert!(
        sent_mail
            .iter()
            .any(|m| m.contains("referrals@police.example")),
        "the referral by e-mail was sent"
    );
    for message in &sent_mail {
        scan_for_markers("an e-mail", message.as_bytes());
    }

    // On PostgreSQL, the server's own files too.
    if postgres_url().is_some() {
        scan_postgres_files(&app, &markers).await;
    }
}

async fn expect_redirect(browser: &Browser, path: &str, fields: &[(&str, &str)]) {
    let r = browser.post(path, fields).await;
    assert_eq!(r.status(), 303, "{path}: {}", r.text().await.unwrap());
}

async fn receipt_of(r: reqwest::Response) -> String {
    r.json::<serde_json::Value>().await.unwrap()["receipt"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn report_id(app: &TestApp, receipt: &str) -> String {
    reports::find_by_receipt(&app.state.db, &app.state.instance_key, receipt)
        .await
        .unwrap()
        .expect("the report is stored")
        .id
}

/// The markers of one walk: each unique to the run.
struct Markers {
    tag: String,
    all: Vec<String>,
}

impl Markers {
    fn new() -> Self {
        Self {
            tag: uuid::Uuid::new_v4().simple().to_string(),
            all: Vec::new(),
        }
    }

    fn add(&mut self, secret: &str) {
        self.all.push(secret.to_string());
    }

    /// A new marker for `what`; a phone number must be digits, so its marker is.
    fn new_one(&mut self, what: &str) -> String {
        let marker = if what == "phone" {
            let digits = u64::from_str_radix(&self.tag[..12], 16).unwrap() % 100_000_000;
            format!("+352 6{digits:08}")
        } else {
            format!("CANARY{}{}", what.to_uppercase(), self.tag)
        };
        self.all.push(marker.clone());
        marker
    }
}

fn armoured(cert: &sequoia_openpgp::Cert) -> String {
    use sequoia_openpgp::serialize::SerializeInto;
    String::from_utf8(cert.armored().to_vec().unwrap()).unwrap()
}

/// PostgreSQL's own files (the database's and the write-ahead log), after a
/// checkpoint. CI, which can read them, sets `WARD_REQUIRE_POSTGRES_FILE_SCAN=1`
/// so that a scan that cannot run fails instead of passing quietly.
async fn scan_postgres_files(app: &TestApp, markers: &[&str]) {
    let required = std::env::var("WARD_REQUIRE_POSTGRES_FILE_SCAN").as_deref() == Ok("1");
    let skip = |why: String| {
        assert!(!required, "WARD_REQUIRE_POSTGRES_FILE_SCAN=1 but {why}");
        eprintln!("canary: SKIPPED the scan of PostgreSQL's files ({why}); scanned rows only");
    };
    if let Err(e) = sqlx::query("CHECKPOINT").execute(app.state.db.pool()).await {
        return skip(format!("CHECKPOINT failed: {e}"));
    }
    let dir: Result<(String,), _> =
        sqlx::query_as("SELECT setting FROM pg_settings WHERE name = 'data_directory'")
            .fetch_one(app.state.db.pool())
            .await;
    let Ok((dir,)) = dir else {
        return skip("the data directory is not visible to this role".into());
    };
    let (oid,): (String,) = sqlx::query_as(
        "SELECT CAST(oid AS TEXT) FROM pg_database WHERE datname = current_database()",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let base = Path::new(&dir).join("base").join(&oid);
    let wal = Path::new(&dir).join("pg_wal");
    if let Err(e) = std::fs::read_dir(&base) {
        return skip(format!("{} cannot be read: {e}", base.display()));
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
        // A file PostgreSQL removed since the listing is not a finding.
        let Ok(data) = std::fs::read(&path) else {
            continue;
        };
        control_seen |= scan(
            markers,
            &format!("PostgreSQL file {}", path.display()),
            &data,
        );
    }
    assert!(control_seen, "the scan did not see the PostgreSQL files");
}
