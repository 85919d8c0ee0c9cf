//! Public pages at a fixed offered load: the home page and a questionnaire
//! step (the form's post that opens the first question page), half each.
//! Requests leave on schedule whatever the answers do (an open loop: a slow
//! answer does not delay the next request, so a stall is not hidden).

use std::time::{Duration, Instant};

use bytes::Bytes;

use crate::http::{Http, multipart};
use crate::instance::Instance;
use crate::stats::{ms, percentile, sorted};

/// The sealed draft on a form page.
fn draft_of(page: &[u8]) -> anyhow::Result<String> {
    let page = String::from_utf8_lossy(page);
    let marker = "name=\"draft\" value=\"";
    let start = page
        .find(marker)
        .ok_or_else(|| anyhow::anyhow!("no draft on the form page"))?
        + marker.len();
    Ok(page[start..].split('"').next().unwrap_or("").to_string())
}

/// The post that leads from the country step to the first question page.
async fn question_step(http: &Http) -> anyhow::Result<(String, Bytes)> {
    let (content_type, body) = multipart(
        &[
            ("step", "category"),
            ("category", "travel-tourism"),
            ("action", "continue"),
        ],
        &[],
    );
    let country_page = http.post("/report", &content_type, body).await?;
    let draft = draft_of(&country_page.body)?;
    let (content_type, body) = multipart(
        &[
            ("draft", &draft),
            ("step", "country"),
            ("country", "LU"),
            ("action", "continue"),
        ],
        &[],
    );
    let answer = http.post("/report", &content_type, body.clone()).await?;
    let page = String::from_utf8_lossy(&answer.body);
    anyhow::ensure!(
        answer.status == 200 && page.contains("name=\"q."),
        "the questionnaire step did not open ({}): {}",
        answer.status,
        page.chars().take(3000).collect::<String>()
    );
    Ok((content_type, body))
}

pub async fn run(rate: u64, seconds: u64) -> anyhow::Result<()> {
    let mut instance = Instance::init(None).await?;
    instance.serve().await?;
    let http = instance.http();
    let (step_type, step_body) = question_step(&http).await?;
    // Warm the connection pool.
    for _ in 0..20 {
        http.get("/").await?;
    }
    instance.reset_peak_memory();
    let total = rate * seconds;
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for i in 0..total {
        let scheduled = started + interval * i as u32;
        tokio::time::sleep_until(scheduled.into()).await;
        let http = http.clone();
        let (step_type, step_body) = (step_type.clone(), step_body.clone());
        tasks.push(tokio::spawn(async move {
            let sent = Instant::now();
            let home = i % 2 == 0;
            let answer = if home {
                http.get("/").await
            } else {
                http.post("/report", &step_type, step_body).await
            };
            let ok = answer.is_ok_and(|a| a.status == 200);
            (home, ok, sent.elapsed())
        }));
    }
    let (mut home, mut step, mut failed) = (Vec::new(), Vec::new(), 0);
    for task in tasks {
        let (is_home, ok, latency) = task.await?;
        if !ok {
            failed += 1;
        }
        if is_home {
            home.push(latency);
        } else {
            step.push(latency);
        }
    }
    let elapsed = started.elapsed();
    let (_, peak) = instance.memory_mb();
    instance.stop();
    println!(
        "Public pages at {rate} requests/s offered for {seconds} s (achieved {:.0}/s, {failed} failed)\n",
        total as f64 / elapsed.as_secs_f64()
    );
    println!("| page | requests | p50 ms | p99 ms | peak RSS MB |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (name, latencies) in [
        ("home page `/`", home),
        ("questionnaire step `POST /report`", step),
    ] {
        let latencies = sorted(latencies);
        println!(
            "| {name} | {} | {} | {} | {peak:.1} |",
            latencies.len(),
            ms(percentile(&latencies, 50.0)),
            ms(percentile(&latencies, 99.0)),
        );
    }
    anyhow::ensure!(failed == 0, "{failed} requests failed");
    Ok(())
}
