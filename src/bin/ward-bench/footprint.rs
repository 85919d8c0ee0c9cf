//! Footprint: start-up time, idle memory, and the size of the `ward` binary.

use std::time::Duration;

use crate::instance::{Instance, ward_binary};
use crate::stats::{ms, percentile, sorted};

pub async fn run(runs: usize) -> anyhow::Result<()> {
    let mut instance = Instance::init(None).await?;
    let mut startups = Vec::new();
    let mut idle = Vec::new();
    for _ in 0..runs.max(1) {
        startups.push(instance.serve().await?);
        // A few requests, then a moment's rest.
        let http = instance.http();
        for path in ["/", "/report", "/follow-up", "/admin/sign-in"] {
            http.get(path).await?;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        idle.push(instance.memory_mb().0);
        instance.stop();
    }
    let startups = sorted(startups);
    let size = std::fs::metadata(ward_binary()?)?.len() as f64 / 1_000_000.0;
    println!("Footprint ({} runs)\n", startups.len());
    println!("| start-up to /healthz, median ms | slowest ms | idle RSS MB | ward binary MB |");
    println!("| ---: | ---: | ---: | ---: |");
    println!(
        "| {} | {} | {:.1} | {:.1} |",
        ms(percentile(&startups, 50.0)),
        ms(percentile(&startups, 100.0)),
        idle.iter().cloned().fold(0.0, f64::max),
        size
    );
    Ok(())
}
