//! Sign-in: how long an administrator waits for a successful sign-in (a
//! password check, then the 64 MiB, 3-pass Argon2id that opens the member's
//! key), and how long every refusal takes (the floor that makes refusals
//! alike).

use std::time::{Duration, Instant};

use crate::instance::{ADMIN_EMAIL, Instance};
use crate::stats::{ms, percentile, sorted};

pub async fn run(runs: usize) -> anyhow::Result<()> {
    let mut instance = Instance::init(None).await?;
    instance.serve().await?;
    let db = instance.database().await?;
    // Each run is a fresh attempt: the account's window and last code are forgotten.
    let forget = || async {
        sqlx::query(
            "UPDATE users SET failed_sign_ins = 0, locked_until = NULL, last_totp_step = NULL",
        )
        .execute(db.pool())
        .await
    };
    let (mut signed_in, mut refused) = (Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        forget().await?;
        let started = Instant::now();
        instance.sign_in().await?;
        signed_in.push(started.elapsed());
        forget().await?;
        refused.push(refused_sign_in(&instance).await?);
    }
    instance.stop();
    println!("Sign-in ({} runs each)\n", signed_in.len());
    println!("| answer | median ms | slowest ms |");
    println!("| --- | ---: | ---: |");
    for (name, times) in [("signed in", signed_in), ("refused", refused)] {
        let times = sorted(times);
        println!(
            "| {name} | {} | {} |",
            ms(percentile(&times, 50.0)),
            ms(percentile(&times, 100.0))
        );
    }
    Ok(())
}

async fn refused_sign_in(instance: &Instance) -> anyhow::Result<Duration> {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("email", ADMIN_EMAIL)
        .append_pair("password", "not the administrator's password")
        .append_pair("code", "000000")
        .finish();
    let started = Instant::now();
    let answer = instance
        .http()
        .post(
            "/admin/sign-in",
            "application/x-www-form-urlencoded",
            body.into(),
        )
        .await?;
    anyhow::ensure!(
        answer.status == 401,
        "expected a refusal, got {}",
        answer.status
    );
    Ok(started.elapsed())
}
