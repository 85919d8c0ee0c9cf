//! Intake: reports per second through `POST /api/v1/reports`, each one
//! durable when it is answered 201; then every 201 is looked for in the
//! database.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use rand::{Rng, SeedableRng};

use crate::http::{Http, multipart};
use crate::instance::Instance;
use crate::stats::{ms, percentile, sorted};

const SEED: u64 = 20_261_125;

/// What one client sends, made before the clock starts.
struct Bodies {
    content_type: String,
    bodies: Vec<Bytes>,
}

/// JSON reports with varied answers, or multipart reports with one image of
/// `attachment_kb` (synthetic noise, which PNG cannot shrink).
fn bodies(client: usize, attachment_kb: usize) -> Bodies {
    let mut rng = rand::rngs::StdRng::seed_from_u64(SEED + client as u64);
    let countries = ["LU", "TH", "PT", "FR", "DE", "BR"];
    let image = (attachment_kb > 0).then(|| noise_png(attachment_kb, &mut rng));
    let mut out = Vec::new();
    for i in 0..32 {
        let report = serde_json::json!({
            "category": "travel-tourism",
            "country": countries[rng.gen_range(0..countries.len())],
            "language": "en",
            "answers": {
                "description": format!("Synthetic benchmark report {client}-{i}: {}", "seen near the beach bar ".repeat(rng.gen_range(2..20))),
                "place_type": "hotel",
                "children_count": rng.gen_range(1..4),
            },
        })
        .to_string();
        out.push(match &image {
            Some(png) => multipart(&[("report", &report)], &[("file", "noise.png", png)]).1,
            None => Bytes::from(report),
        });
    }
    let content_type = match image {
        Some(_) => multipart(&[], &[]).0,
        None => "application/json".to_string(),
    };
    Bodies {
        content_type,
        bodies: out,
    }
}

/// A PNG of random pixels of about `kb` kilobytes.
fn noise_png(kb: usize, rng: &mut impl Rng) -> Vec<u8> {
    let side = ((kb * 1024 / 3) as f64).sqrt() as u32;
    let image = image::RgbImage::from_fn(side, side, |_, _| image::Rgb(rng.r#gen::<[u8; 3]>()));
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encoding into memory");
    out.into_inner()
}

struct Level {
    concurrency: usize,
    created: usize,
    failed: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
    peak_mb: f64,
}

pub async fn run(
    concurrency: &[usize],
    seconds: u64,
    attachment_kb: usize,
    postgres: Option<&str>,
) -> anyhow::Result<()> {
    let mut instance = Instance::init(postgres).await?;
    instance.serve().await?;
    let http = instance.http();
    let mut levels = Vec::new();
    for &c in concurrency {
        instance.reset_peak_memory();
        let mut level = load(&http, c, Duration::from_secs(seconds), attachment_kb).await;
        level.peak_mb = instance.memory_mb().1;
        levels.push(level);
    }
    let created: usize = levels.iter().map(|l| l.created).sum();
    let db = instance.database().await?;
    let stored = ward::storage::reports::count(&db).await? as usize;
    db.close().await;
    instance.stop();

    let kind = if attachment_kb > 0 {
        format!("with one {attachment_kb} KB attachment each")
    } else {
        "JSON answers only".to_string()
    };
    let backend = if postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("Intake, {kind}, {backend}, {seconds} s per level\n");
    println!("| clients | 201s | errors | reports/s | p50 ms | p99 ms | peak RSS MB |");
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for l in &levels {
        let latencies = sorted(l.latencies.clone());
        println!(
            "| {} | {} | {} | {:.0} | {} | {} | {:.1} |",
            l.concurrency,
            l.created,
            l.failed,
            l.created as f64 / l.elapsed.as_secs_f64(),
            ms(percentile(&latencies, 50.0)),
            ms(percentile(&latencies, 99.0)),
            l.peak_mb,
        );
    }
    println!();
    if stored == created {
        println!("Every report answered 201 is in the database: {stored} of {created}.");
        Ok(())
    } else {
        anyhow::bail!("{created} reports were answered 201 but the database holds {stored}")
    }
}

/// `clients` clients posting reports back to back for `duration`.
async fn load(http: &Http, clients: usize, duration: Duration, attachment_kb: usize) -> Level {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..clients {
        let http = http.clone();
        let stop = stop.clone();
        let Bodies {
            content_type,
            bodies,
        } = bodies(client, attachment_kb);
        tasks.push(tokio::spawn(async move {
            let (mut created, mut failed, mut latencies) = (0, 0, Vec::new());
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let body = bodies[i % bodies.len()].clone();
                i += 1;
                let sent = Instant::now();
                match http.post("/api/v1/reports", &content_type, body).await {
                    Ok(answer) if answer.status == 201 => {
                        created += 1;
                        latencies.push(sent.elapsed());
                    }
                    _ => failed += 1,
                }
            }
            (created, failed, latencies)
        }));
    }
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    let mut level = Level {
        concurrency: clients,
        created: 0,
        failed: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
        peak_mb: 0.0,
    };
    for task in tasks {
        if let Ok((created, failed, latencies)) = task.await {
            level.created += created;
            level.failed += failed;
            level.latencies.extend(latencies);
        }
    }
    level.elapsed = started.elapsed();
    level
}
