//! The real binary: start-up on an empty directory, and graceful shutdown.

use std::io::{Read, Write};
use std::process::Stdio;

use crate::helpers::fresh_database_url;
use crate::process::{
    ServerLog, init_instance, serve, start, terminate, wait_for_exit, wait_until_up,
};

#[tokio::test]
async fn starts_on_an_empty_directory_and_prints_a_setup_link() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_database_url().await;
    let mut command = serve(dir.path(), db.as_deref());
    command.stderr(Stdio::piped());
    let (mut child, port) = start(command);
    wait_until_up(port).await;
    assert!(dir.path().join("ward-data/secrets/instance.key").is_file());
    assert!(dir.path().join("ward-data/files").is_dir());
    assert!(dir.path().join("ward-data/spool").is_dir());
    // The server gives memory back from jemalloc's own thread, so an idle
    // server does not keep what a flood took (see main.rs).
    let threads = std::fs::read_dir(format!("/proc/{}/task", child.id())).unwrap();
    let names: Vec<String> = threads
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .collect();
    assert!(
        names.iter().any(|n| n.trim() == "jemalloc_bg_thd"),
        "the allocator's thread runs: {names:?}"
    );
    if db.is_none() {
        // The database and its WAL files are Ward's user's alone, as the secrets are.
        use std::os::unix::fs::PermissionsExt;
        for name in [
            "ward.db",
            "ward.db-wal",
            "ward.db-shm",
            "secrets/instance.key",
        ] {
            let path = dir.path().join("ward-data").join(name);
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{name} is {mode:o}");
        }
    }
    let ready = reqwest::get(format!("http://127.0.0.1:{port}/readyz"))
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    terminate(&child);
    assert!(wait_for_exit(&mut child).success());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let link = stderr
        .split_whitespace()
        .find(|w| w.starts_with(&format!("http://127.0.0.1:{port}/setup/")))
        .unwrap_or_else(|| panic!("no setup link in: {stderr}"))
        .to_string();

    // The link printed works once the server is back (on another port).
    let (mut child, new_port) = start(serve(dir.path(), db.as_deref()));
    wait_until_up(new_port).await;
    let link = link.replace(&format!(":{port}/"), &format!(":{new_port}/"));
    let page = reqwest::get(&link).await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Set up Ward"));
    terminate(&child);
    assert!(wait_for_exit(&mut child).success());
}

#[tokio::test]
async fn sigterm_lets_a_request_in_flight_finish() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_database_url().await;
    init_instance(dir.path(), db.as_deref());

    let mut command = serve(dir.path(), db.as_deref());
    // Requests are logged as they start (route only), which the test waits for.
    command
        .env("WARD_LOG_FORMAT", "json")
        .env("WARD_LOG_LEVEL", "info,tower_http=debug")
        .stderr(Stdio::piped());
    let (mut child, port) = start(command);
    let mut log = ServerLog::of(&mut child);
    wait_until_up(port).await;

    let secret_answer = "SHUTDOWNCANARY the blue house by the harbour";
    let body = serde_json::json!({
        "category": "trafficking", "country": "LU", "language": "lb",
        "answers": { "description": secret_answer }
    })
    .to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "POST /api/v1/reports HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{first}",
        body.len()
    )
    .unwrap();
    stream.flush().unwrap();
    log.wait_for(&["started processing request", "/api/v1/reports"]);

    // SIGTERM while the request body is still arriving.
    terminate(&child);
    log.wait_for(&["shutting down"]);
    stream.write_all(rest.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 201"), "{response}");
    let receipt = response
        .split("\"receipt\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();

    assert!(wait_for_exit(&mut child).success());
    let stderr = log.all().join("\n");
    for line in stderr.lines().filter(|l| !l.trim().is_empty()) {
        serde_json::from_str::<serde_json::Value>(line)
            .unwrap_or_else(|_| panic!("not a JSON log line: {line}"));
    }
    // Logs hold no content, no receipt, no address of the client.
    assert!(!stderr.contains("SHUTDOWNCANARY"));
    assert!(!stderr.contains(&receipt));
    assert!(!stderr.contains("127.0.0.1"), "{stderr}");
    assert!(!stderr.contains("reqwest"), "no user agent: {stderr}");
}

#[tokio::test]
async fn every_report_with_a_receipt_survives_kill_9_in_the_middle_of_a_burst() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_database_url().await;
    init_instance(dir.path(), db.as_deref());
    let serving = || {
        let mut command = serve(dir.path(), db.as_deref());
        command.env("WARD_RATE_LIMITS", "off");
        start(command)
    };
    let (mut child, port) = serving();
    wait_until_up(port).await;

    // Eight clients send reports, half with a file, as fast as they can; the
    // server is killed while reports are in flight (group commit at work).
    let receipts = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut clients = Vec::new();
    for c in 0..8 {
        let receipts = receipts.clone();
        clients.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            for i in 0.. {
                let report = serde_json::json!({ "category": "other", "country": "LU", "language": "en",
                    "answers": { "description": format!("report {c}-{i}") } });
                let request = client.post(format!("http://127.0.0.1:{port}/api/v1/reports"));
                let request = if i % 2 == 0 {
                    request.json(&report)
                } else {
                    let form = reqwest::multipart::Form::new()
                        .text("report", report.to_string())
                        .part("file", reqwest::multipart::Part::bytes(format!("note {c}-{i}").into_bytes()).file_name("note.txt"));
                    request.multipart(form)
                };
                let Ok(r) = request.send().await else { break };
                if r.status() != 201 {
                    break;
                }
                let Ok(body) = r.json::<serde_json::Value>().await else { break };
                receipts.lock().unwrap().push((body["receipt"].as_str().unwrap().to_string(), i % 2 == 1));
            }
        }));
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while receipts.lock().unwrap().len() < 60 {
        assert!(
            std::time::Instant::now() < deadline,
            "60 receipts did not come within a minute"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    child.kill().unwrap(); // SIGKILL: no chance to flush anything.
    child.wait().unwrap();
    for client in clients {
        client.await.unwrap();
    }
    let receipts = receipts.lock().unwrap().clone();

    // Every receipt still finds its report, and every file is there, whole.
    let settings = crate::helpers::test_settings(&dir.path().join("ward-data"), db.clone());
    let (database, files, key) = ward::startup::open_instance(&settings).await.unwrap();
    let admin = ward::domain::accounts::unlock(
        &database,
        &ward::domain::values::Email::parse("admin@hotline.example").unwrap(),
        &ward::domain::values::Password::parse("a long admin password").unwrap(),
    )
    .await
    .unwrap();
    for (receipt, with_file) in &receipts {
        let row = ward::domain::reports::find_by_receipt(&database, &key, receipt)
            .await
            .unwrap()
            .expect("a report answered 201 is there");
        let opened = ward::domain::reports::open(
            &database,
            &files,
            &row.organisation_id,
            admin.organisation_key().unwrap(),
            &row.id,
        )
        .await
        .unwrap();
        assert_eq!(opened.attachments.len(), usize::from(*with_file));
    }
    database.close().await;
    let (mut child, port) = serving();
    wait_until_up(port).await;
    terminate(&child);
    assert!(wait_for_exit(&mut child).success());
}

#[tokio::test]
async fn a_request_that_hangs_cannot_keep_ward_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_database_url().await;
    // Set up, so the intake handler really waits for the body.
    init_instance(dir.path(), db.as_deref());
    let mut command = serve(dir.path(), db.as_deref());
    command
        .env("WARD_SHUTDOWN_GRACE_SECONDS", "1")
        .env("WARD_LOG_LEVEL", "info,tower_http=debug")
        .stderr(Stdio::piped());
    let (mut child, port) = start(command);
    let mut log = ServerLog::of(&mut child);
    wait_until_up(port).await;
    // A body that never arrives.
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "POST /api/v1/reports HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n{{"
    )
    .unwrap();
    log.wait_for(&["started processing request", "/api/v1/reports"]);
    let asked = std::time::Instant::now();
    terminate(&child);
    assert!(wait_for_exit(&mut child).success());
    assert!(
        asked.elapsed() < std::time::Duration::from_secs(10),
        "stopped after the grace period"
    );
    drop(stream);
}
