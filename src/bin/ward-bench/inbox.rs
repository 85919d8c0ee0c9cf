//! The back office at scale: an instance filled with N synthetic encrypted
//! reports (written straight into the database, in large transactions),
//! then the inbox, a filtered inbox, the next page and a case view, each
//! requested one after another by a signed-in administrator.

use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use sqlx::{Any, Transaction};

use crate::http::Http;
use crate::instance::Instance;
use crate::stats::{ms, percentile, sorted};

const SEED: u64 = 1_000_003;
/// Rows per INSERT statement, and per transaction.
const ROWS_PER_STATEMENT: usize = 400;
const ROWS_PER_TRANSACTION: usize = 40_000;
const CATEGORIES: [&str; 5] = [
    "travel-tourism",
    "abuse-material",
    "prostitution",
    "trafficking",
    "other",
];
const COUNTRIES: [&str; 8] = ["LU", "TH", "PT", "FR", "DE", "BR", "KE", "PH"];
const STATUSES: [&str; 5] = [
    "new",
    "in-assessment",
    "waiting-for-reporter",
    "forwarded",
    "closed",
];
const DAY_MS: i64 = 86_400_000;

struct Row {
    n: u64,
    fill: Duration,
    pages: Vec<(&'static str, Vec<Duration>)>,
    peak_mb: f64,
}

pub async fn run(sizes: &[u64], requests: usize, postgres: Option<&str>) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for &n in sizes {
        rows.push(measure(n, requests, postgres).await?);
    }
    let backend = if postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("Inbox at scale, {backend}, {requests} requests per page, one after another\n");
    let mut header = String::from("| reports | fill s |");
    let mut rule = String::from("| ---: | ---: |");
    for (name, _) in &rows[0].pages {
        header.push_str(&format!(" {name} p50 / p95 ms |"));
        rule.push_str(" ---: |");
    }
    header.push_str(" peak RSS MB |");
    rule.push_str(" ---: |");
    println!("{header}\n{rule}");
    for row in rows {
        let mut line = format!("| {} | {:.1} |", row.n, row.fill.as_secs_f64());
        for (_, latencies) in row.pages {
            let l = sorted(latencies);
            line.push_str(&format!(
                " {} / {} |",
                ms(percentile(&l, 50.0)),
                ms(percentile(&l, 95.0))
            ));
        }
        line.push_str(&format!(" {:.1} |", row.peak_mb));
        println!("{line}");
    }
    Ok(())
}

async fn measure(n: u64, requests: usize, postgres: Option<&str>) -> anyhow::Result<Row> {
    let mut instance = Instance::init(postgres).await?;
    let started = Instant::now();
    let sample = fill(&instance, n).await?;
    let fill_time = started.elapsed();
    instance.serve().await?;
    let http = instance.http().with_cookie(&instance.sign_in().await?);
    let first = http.get("/admin").await?;
    anyhow::ensure!(first.status == 200, "the inbox answered {}", first.status);
    let next = next_page(&first.body).unwrap_or_else(|| "/admin".into());
    instance.reset_peak_memory();
    let mut pages = Vec::new();
    for (name, path) in [
        ("inbox", "/admin".to_string()),
        (
            "filtered",
            "/admin?status=closed&country=TH&sort=newest".to_string(),
        ),
        ("next page", next),
    ] {
        pages.push((name, timed(&http, requests, |_| path.clone()).await?));
    }
    let case = timed(&http, requests, |i| {
        format!("/admin/reports/{}", sample[i % sample.len()])
    })
    .await?;
    pages.push(("case view", case));
    let (_, peak_mb) = instance.memory_mb();
    instance.stop();
    Ok(Row {
        n,
        fill: fill_time,
        pages,
        peak_mb,
    })
}

/// Requests `path(i)` `requests` times, one after another; every answer must be 200.
async fn timed(
    http: &Http,
    requests: usize,
    path: impl Fn(usize) -> String,
) -> anyhow::Result<Vec<Duration>> {
    let mut latencies = Vec::with_capacity(requests);
    for i in 0..requests {
        let path = path(i);
        let sent = Instant::now();
        let answer = http.get(&path).await?;
        latencies.push(sent.elapsed());
        anyhow::ensure!(answer.status == 200, "{path} answered {}", answer.status);
    }
    Ok(latencies)
}

/// The "next page" link of an inbox page.
fn next_page(page: &[u8]) -> Option<String> {
    let page = String::from_utf8_lossy(page);
    page.split("<a href=\"").skip(1).find_map(|rest| {
        let (href, text) = rest.split_once("\">")?;
        text.starts_with("Next page")
            .then(|| href.replace("&amp;", "&").replace("&#38;", "&"))
    })
}

/// Writes `n` reports of the instance's organisation, every one holding the
/// same answers sealed to the organisation's key (the inbox opens nothing;
/// the case view opens one). Returns some report ids to open.
async fn fill(instance: &Instance, n: u64) -> anyhow::Result<Vec<String>> {
    let db = instance.database().await?;
    let (organisation_id, public_key): (String, String) =
        sqlx::query_as("SELECT id, public_key FROM organisations")
            .fetch_one(db.pool())
            .await?;
    let content = serde_json::json!({
        "answers": {
            "description": "Synthetic benchmark report: a man with two children near the beach bar.",
            "place_type": "hotel",
            "children_count": 2
        }
    });
    let sealed = ward::vault::PublicKey::parse(&public_key)?.seal(content.to_string().as_bytes());
    let mut rng = rand::rngs::StdRng::seed_from_u64(SEED);
    let now = ward::storage::now_millis();
    let mut sample = Vec::new();
    let mut done = 0u64;
    while done < n {
        let mut tx = db.begin_write().await?;
        let in_transaction = (n - done).min(ROWS_PER_TRANSACTION as u64);
        let mut written = 0;
        while written < in_transaction {
            let rows = (in_transaction - written).min(ROWS_PER_STATEMENT as u64);
            let mut batch = Vec::with_capacity(rows as usize);
            for _ in 0..rows {
                let i = done + written + batch.len() as u64;
                let id = uuid::Builder::from_random_bytes(rng.r#gen())
                    .into_uuid()
                    .to_string();
                if sample.len() < 500 && rng.gen_ratio(1, (n / 500).max(1) as u32) {
                    sample.push(id.clone());
                }
                let status = STATUSES[rng.gen_range(0..STATUSES.len())];
                batch.push(Report {
                    id,
                    receipt_hash: format!("bench-{i}"),
                    category: CATEGORIES[rng.gen_range(0..CATEGORIES.len())],
                    country: COUNTRIES[rng.gen_range(0..COUNTRIES.len())],
                    language: if rng.gen_ratio(1, 4) { "fr" } else { "en" },
                    status,
                    // Spread over three years, newest last.
                    created_at: now - 3 * 365 * DAY_MS + (i as i64 * 3 * 365 * DAY_MS) / n as i64,
                    priority: rng.gen_range(0..3),
                    urgent: rng.gen_ratio(1, 50),
                });
            }
            insert(&mut tx, &organisation_id, &sealed, &batch).await?;
            written += rows;
        }
        tx.commit().await?;
        done += in_transaction;
    }
    // As autovacuum (PostgreSQL) does within a minute of a bulk load, and
    // `ward restore` does at its end: the planner needs to know the table.
    db.analyze().await?;
    if sample.is_empty() {
        let (id,): (String,) = sqlx::query_as("SELECT id FROM reports LIMIT 1")
            .fetch_one(db.pool())
            .await?;
        sample.push(id);
    }
    db.close().await;
    Ok(sample)
}

struct Report {
    id: String,
    receipt_hash: String,
    category: &'static str,
    country: &'static str,
    language: &'static str,
    status: &'static str,
    created_at: i64,
    priority: i64,
    urgent: bool,
}

async fn insert(
    tx: &mut Transaction<'static, Any>,
    organisation_id: &str,
    sealed: &[u8],
    rows: &[Report],
) -> anyhow::Result<()> {
    let mut query_text = String::from(
        "INSERT INTO reports (id, organisation_id, receipt_hash, category, reported_category, country, \
         language, status, sealed_content, created_at, updated_at, inbox_rank, priority, urgent) VALUES ",
    );
    let mut binds = 0;
    for (r, _) in rows.iter().enumerate() {
        if r > 0 {
            query_text.push_str(", ");
        }
        let ph: Vec<String> = (binds + 1..=binds + 12).map(|i| format!("${i}")).collect();
        binds += 12;
        // category and created_at are bound once and used twice.
        query_text.push_str(&format!(
            "({0}, {1}, {2}, {3}, {3}, {4}, {5}, {6}, {7}, {8}, {8}, {9}, {10}, {11})",
            ph[0], ph[1], ph[2], ph[3], ph[4], ph[5], ph[6], ph[7], ph[8], ph[9], ph[10], ph[11]
        ));
    }
    let mut query = sqlx::query(ward::storage::sql(query_text));
    for row in rows {
        query = query
            .bind(row.id.clone())
            .bind(organisation_id.to_string())
            .bind(row.receipt_hash.clone())
            .bind(row.category)
            .bind(row.country)
            .bind(row.language)
            .bind(row.status)
            .bind(sealed.to_vec())
            .bind(row.created_at)
            .bind(i64::from(row.status == "new"))
            .bind(row.priority)
            .bind(i64::from(row.urgent));
    }
    query.execute(&mut **tx).await?;
    Ok(())
}
