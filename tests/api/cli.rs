use crate::helpers::{fresh_database_url, postgres_url};
use crate::process::{run_with_input, text, ward};

/// Every command and subcommand Ward knows, as clap describes them (hidden
/// ones, such as the PDF cleaner, left out).
fn every_command() -> Vec<Vec<String>> {
    fn walk(command: &clap::Command, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(path.clone());
        for sub in command.get_subcommands().filter(|c| !c.is_hide_set()) {
            let mut next = path.clone();
            next.push(sub.get_name().to_string());
            walk(sub, next, out);
        }
    }
    let mut out = Vec::new();
    walk(
        &<ward::cli::Cli as clap::CommandFactory>::command(),
        Vec::new(),
        &mut out,
    );
    out
}

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    let commands = every_command();
    assert!(commands.len() > 15, "{commands:?}");
    for path in commands {
        let mut args = path.clone();
        args.push("--help".into());
        let out = ward(dir.path(), None).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let help = text(&out.stdout);
        assert!(help.contains("Usage: ward"), "{args:?}");
        // The help is about that command, and says what it does.
        assert!(
            help.contains(&format!("ward {}", path.join(" ")).trim_end().to_string()),
            "{args:?}: {help}"
        );
        assert!(
            help.lines().next().is_some_and(|l| !l.trim().is_empty()),
            "{args:?}: no description"
        );
    }
}

#[test]
fn config_show_redacts_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let out = ward(
        dir.path(),
        Some("postgres://ward:hunter2secret@db.example:5432/ward"),
    )
    .args(["config", "show"])
    .env("WARD_METRICS_LISTEN", "127.0.0.1:9100")
    .output()
    .unwrap();
    assert!(out.status.success());
    let shown = text(&out.stdout);
    assert!(
        shown.contains("postgres://ward:***@db.example:5432/ward"),
        "{shown}"
    );
    assert!(!shown.contains("hunter2secret"));
    assert!(
        shown.contains("metrics_listen = \"127.0.0.1:9100\""),
        "{shown}"
    );
}

#[test]
fn invalid_configuration_stops_start_up_and_names_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    for (key, value, expected) in [
        ("WARD_LISTEN", "not-an-address", "WARD_LISTEN"),
        (
            "WARD_DATABASE_URL",
            "mysql://localhost/ward",
            "WARD_DATABASE_URL",
        ),
        ("WARD_LOG_FORMAT", "xml", "WARD_LOG_FORMAT"),
        (
            "WARD_DATABASE_MAX_CONNECTIONS",
            "0",
            "WARD_DATABASE_MAX_CONNECTIONS",
        ),
        ("WARD_CONFIG", "/nonexistent/ward.toml", "WARD_CONFIG"),
    ] {
        let out = ward(dir.path(), None)
            .env(key, value)
            .arg("serve")
            .output()
            .unwrap();
        assert!(!out.status.success(), "{key}={value}");
        let err = text(&out.stderr);
        assert!(err.contains(expected), "{key}={value}: {err}");
    }
    std::fs::write(dir.path().join("ward.toml"), "listen = 8080\n").unwrap();
    let out = ward(dir.path(), None).arg("serve").output().unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("WARD_LISTEN (listen)"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn unreachable_database_and_unwritable_data_directory_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let out = ward(dir.path(), Some("postgres://ward:pw@127.0.0.1:1/ward"))
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("cannot reach the database at postgres://ward:***@127.0.0.1:1/ward"),
        "{err}"
    );

    std::fs::write(dir.path().join("a-file"), "").unwrap();
    let out = ward(dir.path(), None)
        .env("WARD_DATA_DIR", dir.path().join("a-file/data"))
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("WARD_DATA_DIR"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_questionnaire_with_a_text_missing_stops_start_up_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let questionnaires = dir.path().join("questionnaires");
    std::fs::create_dir(&questionnaires).unwrap();
    std::fs::write(
        questionnaires.join("other.toml"),
        "category = \"other\"\n[[pages]]\nid = \"what-happened\"\nquestions = [{ id = \"shoe_size\", type = \"number\" }]\n",
    )
    .unwrap();
    let mut child = ward(dir.path(), None)
        .env("WARD_QUESTIONNAIRES_DIR", &questionnaires)
        .env("WARD_LISTEN", "127.0.0.1:0")
        .arg("serve")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // It must stop by itself; a server that started is killed and fails the test.
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > std::time::Duration::from_secs(20) {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(status.is_some_and(|s| !s.success()), "it started: {err}");
    assert!(
        err.contains("questionnaires/other.toml") && err.contains("q-shoe_size"),
        "{err}"
    );
}

#[tokio::test]
async fn init_and_user_commands_manage_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_database_url().await;
    let db = db.as_deref();
    let mut init = ward(dir.path(), db);
    init.args([
        "init",
        "--organisation",
        "Hotline Luxembourg",
        "--country",
        "LU",
        "--admin-email",
        "admin@hotline.example",
    ]);
    let out = run_with_input(init, "a long admin password\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("otpauth://totp/"), "{stdout}");
    let recovery_key = stdout
        .split_whitespace()
        .find(|w| w.starts_with("AGE-SECRET-KEY-1"))
        .expect("a recovery key")
        .to_string();

    let mut again = ward(dir.path(), db);
    again.args([
        "init",
        "--organisation",
        "Other",
        "--country",
        "FR",
        "--admin-email",
        "x@hotline.example",
    ]);
    let out = run_with_input(again, "a long admin password\n");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("already complete"));

    let mut add = ward(dir.path(), db);
    add.args([
        "user",
        "add",
        "--email",
        "Ana@Hotline.example",
        "--role",
        "analyst",
    ]);
    let out = run_with_input(add, "analyst password here\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("otpauth://totp/"));

    let mut short = ward(dir.path(), db);
    short.args([
        "user",
        "add",
        "--email",
        "bo@hotline.example",
        "--role",
        "analyst",
    ]);
    let out = run_with_input(short, "short\n");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("at least 12 characters"));

    let mut bad_role = ward(dir.path(), db);
    bad_role.args([
        "user",
        "add",
        "--email",
        "bo@hotline.example",
        "--role",
        "root",
    ]);
    assert!(
        !run_with_input(bad_role, "analyst password here\n")
            .status
            .success()
    );

    // Access is approved for the fingerprint of the member's key only.
    let grant = |fingerprint: Option<&str>| {
        let mut command = ward(dir.path(), db);
        command.args([
            "user",
            "grant",
            "--admin-email",
            "admin@hotline.example",
            "--email",
            "ana@hotline.example",
        ]);
        if let Some(fingerprint) = fingerprint {
            command.args(["--fingerprint", fingerprint]);
        }
        run_with_input(command, "a long admin password\n")
    };
    let shown = text(&grant(None).stdout);
    let fingerprint = shown
        .split("key: ")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .expect("the fingerprint is shown")
        .to_string();
    let wrong = grant(Some("0000 0000 0000 0000 0000 0000 0000 0000"));
    assert!(!wrong.status.success());
    assert!(
        text(&wrong.stderr).contains("key changed"),
        "{}",
        text(&wrong.stderr)
    );
    let right = grant(Some(&fingerprint));
    assert!(right.status.success(), "{}", text(&right.stderr));
    assert!(text(&right.stdout).contains("Access approved"));

    let out = ward(dir.path(), db)
        .args(["user", "disable", "--email", "ana@hotline.example"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Recorded in the audit log, by the command line, with the change.
    let settings =
        crate::helpers::test_settings(&dir.path().join("ward-data"), db.map(str::to_string));
    let (database, _, _) = ward::startup::open_instance(&settings).await.unwrap();
    let recorded: Vec<(String, String)> = sqlx::query_as(
        "SELECT a.actor, u.email FROM audit_log a JOIN users u ON u.id = a.object_id \
         WHERE a.action = 'user-disabled'",
    )
    .fetch_all(database.pool())
    .await
    .unwrap();
    assert_eq!(
        recorded,
        [(
            "command line".to_string(),
            "ana@hotline.example".to_string()
        )]
    );
    database.close().await;
    let out = ward(dir.path(), db)
        .args(["user", "list"])
        .output()
        .unwrap();
    let list = text(&out.stdout);
    let ana = list
        .lines()
        .find(|l| l.starts_with("ana@hotline.example"))
        .expect("ana is listed");
    assert!(
        ana.contains("analyst") && ana.contains("disabled") && ana.contains("pending"),
        "{list}"
    );
    let admin = list
        .lines()
        .find(|l| l.starts_with("admin@hotline.example"))
        .unwrap();
    assert!(
        admin.contains("admin") && admin.contains("active") && admin.contains("granted"),
        "{list}"
    );

    let out = ward(dir.path(), db)
        .args(["user", "disable", "--email", "nobody@hotline.example"])
        .output()
        .unwrap();
    assert!(!out.status.success());

    let mut recover = ward(dir.path(), db);
    recover.args(["user", "recover", "--email", "admin@hotline.example"]);
    let out = run_with_input(recover, &format!("{recovery_key}\na recovered password\n"));
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn postgresql_is_tested_or_said_to_be_skipped() {
    use std::io::Write;
    // Written to the real stderr (not the captured one), so every run shows it.
    let line = match postgres_url() {
        Some(_) => "NOTE: this run of the suite uses PostgreSQL (WARD_TEST_DATABASE_URL is set)\n",
        None => {
            "SKIPPED: the PostgreSQL run of the suite: WARD_TEST_DATABASE_URL is not set, so this run uses SQLite only\n"
        }
    };
    let _ = std::io::stderr().write_all(line.as_bytes());
}
