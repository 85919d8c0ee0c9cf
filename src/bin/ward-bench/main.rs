//! `ward-bench`: Ward's benchmarks. Each starts the real `ward` binary (the
//! one built beside this one) on a fresh instance, drives it over HTTP from
//! this process, and prints a Markdown table for `docs/PERFORMANCE.md`.
//! Inputs come from fixed seeds, so runs compare.
//!
//! ```sh
//! cargo build --release --bins
//! target/release/ward-bench intake
//! target/release/ward-bench intake --attachment-kb 200
//! target/release/ward-bench pages
//! target/release/ward-bench inbox --reports 10000,100000,1000000
//! target/release/ward-bench footprint
//! target/release/ward-bench faults --trials 100
//! target/release/ward-bench flood
//! ```

mod faults;
mod flood;
mod footprint;
mod http;
mod inbox;
mod instance;
mod intake;
mod pages;
mod sign_in;
mod stats;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "ward-bench",
    about = "Ward's benchmarks: intake, public pages, the inbox at scale, sign-in, footprint"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Durable reports per second through `POST /api/v1/reports`, at several
    /// client concurrencies; then checks that every report answered 201 is in
    /// the database.
    Intake {
        /// Client concurrencies to measure, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "1,16,64")]
        concurrency: Vec<usize>,
        /// Seconds per concurrency.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Size of one attachment per report, in KB (0: JSON reports).
        #[arg(long, default_value_t = 0)]
        attachment_kb: usize,
        /// A PostgreSQL server (a fresh database is made on it); unset: SQLite.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// Latency of the home page and a questionnaire step at a fixed offered load.
    Pages {
        /// Requests per second offered (half to each page).
        #[arg(long, default_value_t = 1000)]
        rate: u64,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// The back office with N synthetic encrypted reports: inbox, filtered
    /// inbox, a later page and a case view, p50/p95 for each N.
    Inbox {
        /// Numbers of reports, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "10000,100000,1000000")]
        reports: Vec<u64>,
        /// Requests per measured page.
        #[arg(long, default_value_t = 200)]
        requests: usize,
        /// A PostgreSQL server (a fresh database is made on it); unset: SQLite.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// Time of a successful back-office sign-in and of a refused one.
    SignIn {
        #[arg(long, default_value_t = 10)]
        runs: usize,
    },
    /// Kill -9 during intake, again and again: every report answered 201
    /// before a kill must be found after the restart.
    Faults {
        #[arg(long, default_value_t = 20)]
        trials: usize,
        /// Clients sending reports at once.
        #[arg(long, default_value_t = 16)]
        clients: usize,
        /// A PostgreSQL server (a fresh database is made on it); unset: SQLite.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// Hostile load: huge JSON bodies, multipart floods, stalled uploads and
    /// idle connections; peak memory, and a normal report's latency beside them.
    Flood {
        /// Stalled uploads and idle connections held open.
        #[arg(long, default_value_t = 200)]
        stalled: usize,
        #[arg(long, default_value_t = 1000)]
        idle: usize,
        /// Seconds each phase lasts.
        #[arg(long, default_value_t = 8)]
        seconds: u64,
        /// Size of each of the 10 files of a flooding multipart report, in MB.
        #[arg(long, default_value_t = 19)]
        file_mb: usize,
    },
    /// Start-up time, idle memory and the size of the `ward` binary.
    Footprint {
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Intake {
            concurrency,
            seconds,
            attachment_kb,
            database_url,
        } => {
            intake::run(
                &concurrency,
                seconds,
                attachment_kb,
                database_url.as_deref(),
            )
            .await
        }
        Command::Pages { rate, seconds } => pages::run(rate, seconds).await,
        Command::Inbox {
            reports,
            requests,
            database_url,
        } => inbox::run(&reports, requests, database_url.as_deref()).await,
        Command::SignIn { runs } => sign_in::run(runs).await,
        Command::Footprint { runs } => footprint::run(runs).await,
        Command::Faults {
            trials,
            clients,
            database_url,
        } => faults::run(trials, clients, database_url.as_deref()).await,
        Command::Flood {
            stalled,
            idle,
            seconds,
            file_mb,
        } => flood::run(stalled, idle, seconds, file_mb).await,
    }
}
