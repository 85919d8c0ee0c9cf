//! Flood: hostile load beside a trickle of normal reports. Each phase runs
//! for a few seconds; for each, the normal reports' answers and latency, the
//! server's peak resident memory during the phase and its memory after.
//!
//! Phases: none (the baseline); 16 clients streaming 200 MB JSON bodies;
//! 16 clients posting multipart reports of 10 files of 19 MB of noise
//! (refused by type), then of 10 pictures of 19 MB (cleaned and stored);
//! 16 clients posting reports with a PDF (cleaned in child processes);
//! stalled uploads and idle connections held open.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use rand::{Rng, SeedableRng};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::http::multipart;
use crate::instance::Instance;
use crate::stats::{ms, percentile, sorted};

const HOSTILE_CLIENTS: usize = 16;

pub async fn run(stalled: usize, idle: usize, seconds: u64, file_mb: usize) -> anyhow::Result<()> {
    // This process holds over a thousand sockets.
    ward::web::connections::raise_open_file_limit();
    let mut instance = Instance::init(None).await?;
    instance.serve().await?;
    let address = format!("127.0.0.1:{}", instance.port);
    let phase = Duration::from_secs(seconds);
    let (idle_before, _) = instance.memory_mb();

    println!(
        "| hostile load | normal reports answered 201 | p50 | max | peak RSS | RSS after | hostile answers |"
    );
    println!("|---|---|---|---|---|---|---|");

    measure(&instance, "none", phase, |_, _| async {}).await?;

    let json_head = format!(
        "POST /api/v1/reports HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: 200000000\r\n\r\n"
    );
    measure(&instance, "16 × 200 MB JSON bodies", phase, |stop, _| {
        let (address, head) = (address.clone(), json_head.clone());
        async move {
            let chunk = vec![b' '; 64 * 1024];
            while !stop.load(Ordering::Relaxed) {
                let Ok(mut stream) = TcpStream::connect(&address).await else {
                    continue;
                };
                if stream.write_all(head.as_bytes()).await.is_err() {
                    continue;
                }
                // Until the server stops reading (it answers 413 at 5 MB).
                while !stop.load(Ordering::Relaxed) && stream.write_all(&chunk).await.is_ok() {}
            }
        }
    })
    .await?;

    let report = normal_report("a flood");
    let http = instance.http();
    // Reports of ten copies of one file: noise (refused by its type), then
    // pictures (cleaned and stored, the heaviest files for memory).
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let noise: Vec<u8> = (0..file_mb * 1024 * 1024).map(|_| rng.r#gen()).collect();
    for (name, file, label) in [
        (
            "noise.png",
            noise,
            format!("16 × multipart, 10 files of {file_mb} MB"),
        ),
        (
            "photo.png",
            noise_png(file_mb),
            format!("16 × multipart, 10 pictures of {file_mb} MB"),
        ),
    ] {
        let files: Vec<(&str, &str, &[u8])> = (0..10).map(|_| ("file", name, &file[..])).collect();
        let (content_type, body) = multipart(&[("report", &report)], &files);
        drop(file);
        measure(
            &instance,
            &label,
            phase,
            posting(&http, &content_type, &body),
        )
        .await?;
    }

    // PDFs are cleaned in child processes, two at a time.
    let pdf = include_bytes!("../../../tests/fixtures/metadata.pdf");
    let (pdf_type, pdf_body) = multipart(&[("report", &report)], &[("file", "ticket.pdf", pdf)]);
    let label = "16 × reports with a PDF";
    measure(
        &instance,
        label,
        phase,
        posting(&http, &pdf_type, &pdf_body),
    )
    .await?;

    // Held open for the whole phase: stalled uploads and idle connections.
    let stalled_head = format!(
        "POST /api/v1/reports HTTP/1.1\r\nHost: {address}\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: 50000000\r\n\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n"
    );
    let mut held = Vec::new();
    for i in 0..stalled + idle {
        let mut stream = TcpStream::connect(&address).await?;
        if i < stalled {
            stream.write_all(stalled_head.as_bytes()).await?;
            stream.write_all(&[0u8; 4096]).await?;
        }
        held.push(stream);
    }
    let label = format!("{stalled} stalled uploads, {idle} idle connections");
    measure(&instance, &label, phase, |_, _| async {}).await?;
    drop(held);

    // Requests of the floods may outlive their phase (an upload waiting for
    // room); memory is read once the server is idle and no longer falling.
    instance.wait_until_idle(Duration::from_secs(120)).await;
    let (mut after, _) = instance.memory_mb();
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_secs(3)).await;
        let (now, _) = instance.memory_mb();
        let falling = after - now > 0.5;
        after = now;
        if !falling {
            break;
        }
    }
    println!();
    println!(
        "Memory once every flood is over: {after:.0} MB (before the floods: {idle_before:.0} MB)"
    );
    Ok(())
}

/// How the server answered the hostile clients' complete posts, by status
/// (0: the connection failed).
#[derive(Clone, Default)]
struct Answers(Arc<std::sync::Mutex<std::collections::BTreeMap<u16, usize>>>);

impl Answers {
    fn count(&self, status: u16) {
        *self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(status)
            .or_default() += 1;
    }

    fn summary(&self) -> String {
        let counts = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if counts.is_empty() {
            return "-".into();
        }
        counts
            .iter()
            .map(|(status, n)| format!("{status}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A hostile client that posts the same report again and again until stopped.
fn posting(
    http: &crate::http::Http,
    content_type: &str,
    body: &Bytes,
) -> impl Fn(Arc<AtomicBool>, Answers) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> {
    let (http, content_type, body) = (http.clone(), content_type.to_string(), body.clone());
    move |stop, answers: Answers| {
        let (http, content_type, body) = (http.clone(), content_type.clone(), body.clone());
        Box::pin(async move {
            while !stop.load(Ordering::Relaxed) {
                let status = match http
                    .post("/api/v1/reports", &content_type, body.clone())
                    .await
                {
                    Ok(answer) => answer.status,
                    Err(_) => 0,
                };
                answers.count(status);
            }
        })
    }
}

fn normal_report(text: &str) -> String {
    serde_json::json!({
        "category": "travel-tourism",
        "country": "LU",
        "language": "en",
        "answers": { "description": format!("A normal report beside {text}"), "place_type": "hotel" },
    })
    .to_string()
}

/// How long memory is given to settle once the server is idle (the
/// allocator returns pages unused for 10 s; see `src/main.rs`).
const SETTLE: Duration = Duration::from_secs(12);

/// Runs `hostile` in 16 tasks for `phase` while a normal report is sent
/// every 100 ms; prints one row. Memory "after" is read once the server is
/// idle again and its memory has settled, so the next phase starts on an idle server.
async fn measure<F, Fut>(
    instance: &Instance,
    label: &str,
    phase: Duration,
    hostile: F,
) -> anyhow::Result<()>
where
    F: Fn(Arc<AtomicBool>, Answers) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    instance.reset_peak_memory();
    let stop = Arc::new(AtomicBool::new(false));
    let answers = Answers::default();
    let tasks: Vec<_> = (0..HOSTILE_CLIENTS)
        .map(|_| tokio::spawn(hostile(stop.clone(), answers.clone())))
        .collect();
    let http = instance.http();
    let body = Bytes::from(normal_report(label));
    let started = Instant::now();
    let (mut sent, mut stored, mut latencies) = (0, 0, Vec::new());
    while started.elapsed() < phase {
        let begun = Instant::now();
        sent += 1;
        if let Ok(answer) = http
            .post("/api/v1/reports", "application/json", body.clone())
            .await
            && answer.status == 201
        {
            stored += 1;
        }
        latencies.push(begun.elapsed());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (_, peak) = instance.memory_mb();
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.abort();
        let _ = task.await;
    }
    // Requests waiting for room (which takes no CPU) give up within 10 s.
    tokio::time::sleep(ward::web::intake_gate::BUDGET_WAIT + Duration::from_secs(2)).await;
    instance.wait_until_idle(Duration::from_secs(120)).await;
    // The allocator gives pages unused for 10 s back to the system.
    tokio::time::sleep(SETTLE).await;
    let (after, _) = instance.memory_mb();
    let latencies = sorted(latencies);
    println!(
        "| {label} | {stored} of {sent} | {} | {} | {peak:.0} MB | {after:.0} MB | {} |",
        ms(percentile(&latencies, 0.5)),
        ms(*latencies.last().unwrap_or(&Duration::ZERO)),
        answers.summary(),
    );
    Ok(())
}

/// A PNG of noise of about `mb` MB (noise does not compress): a valid
/// picture, which Ward cleans and stores.
fn noise_png(mb: usize) -> Vec<u8> {
    let side = ((mb * 1024 * 1024 / 3) as f64).sqrt() as u32;
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let pixels: Vec<u8> = (0..side * side * 3).map(|_| rng.r#gen()).collect();
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_raw(side, side, pixels)
        .expect("the buffer fits the picture")
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("a PNG is written to memory");
    out.into_inner()
}
