//! A Ward instance of the benchmark's own: a fresh data directory (and, for
//! PostgreSQL, a fresh database), set up with `ward init`, served by the real
//! `ward` binary in its own process.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use sqlx::Connection;
use tempfile::TempDir;

use crate::http::Http;

pub const ADMIN_EMAIL: &str = "admin@bench.example";
pub const ADMIN_PASSWORD: &str = "a benchmark password";

pub struct Instance {
    pub data_dir: TempDir,
    /// The database the instance uses, when it is PostgreSQL.
    pub database_url: Option<String>,
    /// The first administrator's authenticator secret.
    pub admin_secret: String,
    postgres: Option<(String, String)>,
    child: Option<Child>,
    pub port: u16,
}

/// The `ward` binary built beside this one.
pub fn ward_binary() -> anyhow::Result<PathBuf> {
    let path = std::env::current_exe()?.with_file_name("ward");
    anyhow::ensure!(
        path.is_file(),
        "no ward binary at {}: build both with `cargo build --release --bins`",
        path.display()
    );
    Ok(path)
}

impl Instance {
    /// A set-up instance, not yet serving. `postgres`: a server on which to make a fresh database.
    pub async fn init(postgres: Option<&str>) -> anyhow::Result<Self> {
        let data_dir = tempfile::tempdir()?;
        let (database_url, postgres) = match postgres {
            Some(server) => {
                let name = format!("ward_bench_{}", uuid::Uuid::new_v4().simple());
                let mut conn = sqlx::PgConnection::connect(server)
                    .await
                    .context("cannot reach the PostgreSQL server")?;
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut conn)
                    .await?;
                let url = with_database(server, &name);
                (Some(url), Some((server.to_string(), name)))
            }
            None => (None, None),
        };
        let mut instance = Self {
            data_dir,
            database_url,
            admin_secret: String::new(),
            postgres,
            child: None,
            port: 0,
        };
        let output = instance.run(
            &[
                "init",
                "--organisation",
                "Bench Hotline",
                "--country",
                "LU",
                "--admin-email",
                ADMIN_EMAIL,
            ],
            ADMIN_PASSWORD,
        )?;
        instance.admin_secret = output
            .split("secret=")
            .nth(1)
            .and_then(|rest| rest.split('&').next())
            .context("ward init printed no authenticator secret")?
            .to_string();
        Ok(instance)
    }

    fn command(&self) -> anyhow::Result<Command> {
        let mut command = Command::new(ward_binary()?);
        for (key, _) in std::env::vars() {
            if key.starts_with("WARD_") {
                command.env_remove(key);
            }
        }
        command
            .current_dir(self.data_dir.path())
            .env("WARD_DATA_DIR", self.data_dir.path())
            .env("WARD_LISTEN", "127.0.0.1:0")
            .env("WARD_RATE_LIMITS", "off")
            .env("WARD_LOG_LEVEL", "warn");
        if let Some(url) = &self.database_url {
            command.env("WARD_DATABASE_URL", url);
        }
        Ok(command)
    }

    /// Runs a `ward` command with `input` on standard input; returns what it printed.
    pub fn run(&self, args: &[&str], input: &str) -> anyhow::Result<String> {
        let mut child = self
            .command()?
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        child
            .stdin
            .take()
            .context("stdin")?
            .write_all(format!("{input}\n").as_bytes())?;
        let output = child.wait_with_output()?;
        anyhow::ensure!(
            output.status.success(),
            "ward {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Starts serving on a port the system gives (it prints which); returns
    /// how long it took until `/healthz` answered.
    pub async fn serve(&mut self) -> anyhow::Result<Duration> {
        let started = Instant::now();
        self.port = 0;
        let mut child = self
            .command()?
            .arg("serve")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdout = child.stdout.take().context("stdout")?;
        self.child = Some(child);
        let port = ward::cli::announced_port(stdout);
        for _ in 0..3000 {
            if self.port == 0 {
                self.port = port.try_recv().unwrap_or(0);
            } else if self
                .http()
                .get("/healthz")
                .await
                .is_ok_and(|a| a.status == 200)
            {
                return Ok(started.elapsed());
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        anyhow::bail!("ward did not start")
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn http(&self) -> Http {
        Http::new(&self.base())
    }

    /// The database, for the benchmark's own reading and writing.
    pub async fn database(&self) -> anyhow::Result<ward::storage::Database> {
        let url = match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}",
                self.data_dir.path().join("ward.db").display()
            ),
        };
        Ok(ward::storage::Database::connect(&url, 4).await?)
    }

    fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Waits until the server has been idle for two seconds (under 5 % of
    /// a core, and under 1 MB written), so that one measurement does not
    /// pay for the last one's requests still in progress; at most `most`.
    pub async fn wait_until_idle(&self, most: std::time::Duration) {
        let Some(pid) = self.pid() else {
            return;
        };
        // utime + stime of the process and its children, in clock ticks.
        let ticks = || {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
            after_name
                .split_whitespace()
                .skip(11)
                .take(4)
                .filter_map(|t| t.parse::<u64>().ok())
                .sum::<u64>()
        };
        // Bytes written (files being stored wait on the disk, not the CPU).
        let written = || {
            std::fs::read_to_string(format!("/proc/{pid}/io"))
                .unwrap_or_default()
                .lines()
                .find_map(|l| l.strip_prefix("wchar:"))
                .and_then(|n| n.trim().parse::<u64>().ok())
                .unwrap_or(0)
        };
        let started = std::time::Instant::now();
        let mut last = (ticks(), written());
        while started.elapsed() < most {
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            let now = (ticks(), written());
            if now.0 - last.0 < 10 && now.1 - last.1 < 1_000_000 {
                return;
            }
            last = now;
        }
    }

    /// Resident memory now and at its peak since the last reset, in MB.
    pub fn memory_mb(&self) -> (f64, f64) {
        let Some(pid) = self.pid() else {
            return (0.0, 0.0);
        };
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|kb| kb.parse::<f64>().ok())
                .map_or(0.0, |kb| kb / 1024.0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// Starts counting the peak of resident memory again (Linux `clear_refs`).
    pub fn reset_peak_memory(&self) {
        if let Some(pid) = self.pid() {
            let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
        }
    }

    /// Signs the administrator in; returns the session cookie (`name=value`).
    pub async fn sign_in(&self) -> anyhow::Result<String> {
        let code = ward::domain::totp::current_code(&self.admin_secret)?;
        let body: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("email", ADMIN_EMAIL)
            .append_pair("password", ADMIN_PASSWORD)
            .append_pair("code", &code)
            .finish();
        let answer = self
            .http()
            .post(
                "/admin/sign-in",
                "application/x-www-form-urlencoded",
                body.into(),
            )
            .await?;
        anyhow::ensure!(answer.status == 303, "sign-in failed: {}", answer.status);
        answer
            .set_cookie
            .iter()
            .find_map(|c| {
                c.split(';')
                    .next()
                    .filter(|c| c.starts_with("ward_session="))
            })
            .map(str::to_string)
            .context("no session cookie")
    }

    /// Kills the server (SIGKILL), as a crash or the OOM killer would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Stops the server (SIGTERM) and waits for it.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let _ = child.wait();
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.stop();
        if let Some((server, name)) = self.postgres.take() {
            // Best effort, on a runtime of its own: Drop cannot await.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(runtime) = runtime {
                    runtime.block_on(async {
                        if let Ok(mut conn) = sqlx::PgConnection::connect(&server).await {
                            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            )))
                            .execute(&mut conn)
                            .await;
                        }
                    });
                }
            })
            .join();
        }
    }
}

/// The URL with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (without_query, query) = match url.split_once('?') {
        Some((u, q)) => (u, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = without_query.find("://").map_or(0, |i| i + 3);
    let base = match without_query[scheme_end..].find('/') {
        Some(i) => &without_query[..scheme_end + i],
        None => without_query,
    };
    format!("{base}/{name}{query}")
}
