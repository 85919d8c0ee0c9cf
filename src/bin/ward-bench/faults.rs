//! Faults: the server is killed with SIGKILL while clients send reports,
//! again and again. After each kill it is started again, and every report
//! that was answered 201 before the kill is looked for by its receipt code.
//! A report the server stored but never answered is not counted: its
//! reporter got no receipt.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::{Rng, SeedableRng};

use crate::instance::Instance;

const SEED: u64 = 20_261_130;

pub async fn run(trials: usize, clients: usize, database_url: Option<&str>) -> anyhow::Result<()> {
    let mut instance = Instance::init(database_url).await?;
    instance.serve().await?;
    let key = ward::vault::InstanceKey::from_bytes(&std::fs::read(
        instance
            .data_dir
            .path()
            .join("secrets")
            .join(ward::vault::InstanceKey::file_name()),
    )?)?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(SEED);
    let (mut acknowledged, mut found, mut lost) = (0usize, 0usize, 0usize);
    for trial in 1..=trials {
        let receipts = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let mut tasks = Vec::new();
        for client in 0..clients {
            let (http, receipts, stop) = (instance.http(), receipts.clone(), stop.clone());
            tasks.push(tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let body = serde_json::json!({
                        "category": "travel-tourism",
                        "country": "LU",
                        "language": "en",
                        "answers": {
                            "description": format!("Synthetic report {trial}-{client}-{n}, sent while the server may be killed"),
                            "place_type": "hotel",
                        },
                    });
                    let Ok(answer) = http
                        .post("/api/v1/reports", "application/json", body.to_string().into())
                        .await
                    else {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        continue;
                    };
                    if answer.status == 201 {
                        let answer: serde_json::Value = serde_json::from_slice(&answer.body)?;
                        if let Some(receipt) = answer["receipt"].as_str() {
                            receipts
                                .lock()
                                .expect("not poisoned")
                                .push(receipt.to_string());
                        }
                    }
                }
                anyhow::Ok(())
            }));
        }
        tokio::time::sleep(Duration::from_millis(rng.gen_range(150..900))).await;
        instance.kill();
        stop.store(true, Ordering::Relaxed);
        for task in tasks {
            task.await??;
        }
        instance.serve().await?;
        let db = instance.database().await?;
        let receipts = std::mem::take(&mut *receipts.lock().expect("not poisoned"));
        for receipt in &receipts {
            acknowledged += 1;
            match ward::domain::reports::find_by_receipt(&db, &key, receipt).await? {
                Some(_) => found += 1,
                None => {
                    lost += 1;
                    eprintln!("trial {trial}: a report answered 201 is missing");
                }
            }
        }
        db.close().await;
        eprintln!(
            "trial {trial}/{trials}: {} acknowledged before the kill, all found: {}",
            receipts.len(),
            lost == 0
        );
    }
    let backend = if database_url.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("| database | kill -9 trials | clients | acknowledged | found | lost |");
    println!("|---|---|---|---|---|---|");
    println!("| {backend} | {trials} | {clients} | {acknowledged} | {found} | {lost} |");
    anyhow::ensure!(lost == 0, "{lost} acknowledged reports were lost");
    Ok(())
}
