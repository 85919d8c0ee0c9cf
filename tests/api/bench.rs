//! Smoke runs of every benchmark of `ward-bench`, with tiny sizes, so that
//! they keep working. (The figures themselves are measured on demand: see
//! docs/PERFORMANCE.md.)

use std::process::Command;

use crate::helpers::postgres_url;
use crate::process::text;

fn bench(args: &[&str]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ward-bench"));
    for (key, _) in std::env::vars() {
        if key.starts_with("WARD_") {
            command.env_remove(key);
        }
    }
    let out = command.args(args).output().unwrap();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        out.status.success(),
        "ward-bench {args:?}: {stdout}{stderr}"
    );
    stdout
}

/// The first number in the column `column` of the first table row that
/// starts with `row` (or, with "", of the first row that starts with a number).
fn cell_of(table: &str, row: &str, column: usize) -> f64 {
    let row = table
        .lines()
        .find(|l| match l.strip_prefix("| ") {
            Some(rest) if row.is_empty() => rest.starts_with(|c: char| c.is_ascii_digit()),
            Some(rest) => rest.starts_with(row),
            None => false,
        })
        .unwrap_or_else(|| panic!("a table row in: {table}"));
    let value = row.split('|').nth(column).unwrap().trim();
    value
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("a number in column {column} of {row}"))
}

fn cell(table: &str, column: usize) -> f64 {
    cell_of(table, "", column)
}

#[test]
fn the_intake_benchmark_counts_every_accepted_report() {
    let out = bench(&["intake", "--concurrency", "2", "--seconds", "1"]);
    assert!(
        out.contains("Every report answered 201 is in the database"),
        "{out}"
    );
    assert!(cell(&out, 2) > 0.0, "some reports were accepted: {out}");
    let out = bench(&[
        "intake",
        "--concurrency",
        "2",
        "--seconds",
        "1",
        "--attachment-kb",
        "20",
    ]);
    assert!(out.contains("with one 20 KB attachment each"), "{out}");
    assert!(
        out.contains("Every report answered 201 is in the database"),
        "{out}"
    );
    if let Some(url) = postgres_url() {
        let out = bench(&[
            "intake",
            "--concurrency",
            "2",
            "--seconds",
            "1",
            "--database-url",
            &url,
        ]);
        assert!(
            out.contains("PostgreSQL") && out.contains("Every report answered 201"),
            "{out}"
        );
    } else {
        eprintln!("skipped the PostgreSQL run: WARD_TEST_DATABASE_URL is not set");
    }
}

#[test]
fn the_pages_benchmark_measures_both_pages() {
    let out = bench(&["pages", "--rate", "50", "--seconds", "1"]);
    assert!(
        out.contains("home page") && out.contains("questionnaire step"),
        "{out}"
    );
    assert!(out.contains("0 failed"), "{out}");
    for page in ["home page", "questionnaire step"] {
        assert_eq!(
            cell_of(&out, page, 2),
            25.0,
            "half the requests to each page: {out}"
        );
    }
}

#[test]
fn the_inbox_benchmark_fills_and_measures_the_back_office() {
    let out = bench(&["inbox", "--reports", "300", "--requests", "3"]);
    assert_eq!(cell(&out, 1), 300.0, "{out}");
    for page in ["inbox", "filtered", "next page", "case view"] {
        assert!(out.contains(page), "{page}: {out}");
    }
    if let Some(url) = postgres_url() {
        let out = bench(&[
            "inbox",
            "--reports",
            "300",
            "--requests",
            "3",
            "--database-url",
            &url,
        ]);
        assert!(out.contains("PostgreSQL"), "{out}");
    } else {
        eprintln!("skipped the PostgreSQL run: WARD_TEST_DATABASE_URL is not set");
    }
}

#[test]
fn the_footprint_benchmark_reports_start_up_and_memory() {
    let out = bench(&["footprint", "--runs", "1"]);
    assert!(cell(&out, 1) > 0.0 && cell(&out, 3) > 0.0, "{out}");
}

#[test]
fn the_sign_in_benchmark_times_both_answers() {
    let out = bench(&["sign-in", "--runs", "1"]);
    assert!(cell_of(&out, "signed in", 2) > 0.0, "{out}");
    let floor = ward::domain::sign_in_guard::FAILURE_FLOOR.as_millis() as f64;
    assert!(cell_of(&out, "refused", 2) >= floor, "{out}");
}

#[test]
fn the_faults_benchmark_kills_the_server_and_finds_every_acknowledged_report() {
    let out = bench(&["faults", "--trials", "2", "--clients", "4"]);
    assert!(cell_of(&out, "SQLite", 2) > 0.0, "trials ran: {out}");
    let row = out.lines().find(|l| l.starts_with("| SQLite")).expect(&out);
    let cells: Vec<&str> = row.split('|').map(str::trim).collect();
    assert_eq!(cells[4], cells[5], "acknowledged = found: {out}");
    assert_eq!(cells[6], "0", "nothing lost: {out}");
}

#[test]
fn the_flood_benchmark_measures_every_phase() {
    let out = bench(&[
        "flood",
        "--seconds",
        "1",
        "--stalled",
        "5",
        "--idle",
        "5",
        "--file-mb",
        "1",
    ]);
    for phase in [
        "none",
        "16 × 200 MB JSON",
        "16 × multipart",
        "16 × reports with a PDF",
        "5 stalled uploads",
    ] {
        assert!(out.contains(&format!("| {phase}")), "{phase}: {out}");
    }
    assert!(
        cell_of(&out, "none", 2) > 0.0,
        "normal reports went in: {out}"
    );
}
